//! Units: agencies and processing stations that settle tickets, in a hierarchy.

use serde::{Deserialize, Serialize};

use super::{AreaCode, code::code_newtype};

code_newtype!(
    /// Stable code of a unit, e.g. `DN-HC-UBND` (Hải Châu district People's Committee).
    UnitCode
);

/// A unit that receives tickets. `parent` links build the hierarchy (city department →
/// district committee → ward station); `areas` is the territory it answers for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Unit {
    pub code: UnitCode,
    pub name_vi: String,
    pub name_en: String,
    #[serde(default)]
    pub parent: Option<UnitCode>,
    /// `agency` (a department or committee) or `station` (a processing station).
    pub kind: String,
    /// Areas this unit answers for (any level); empty for city-wide units.
    #[serde(default)]
    pub areas: Vec<AreaCode>,
}

/// Every unit code at or below `root` in the hierarchy (including `root`).
pub fn descendants<'a>(units: &'a [Unit], root: &'a UnitCode) -> Vec<&'a UnitCode> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let cur = out[i];
        for u in units {
            if u.parent.as_ref() == Some(cur) && !out.contains(&&u.code) {
                out.push(&u.code);
            }
        }
        i += 1;
    }
    out
}
