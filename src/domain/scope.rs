//! What part of the city's tickets a principal may see: everything, some areas, or some units.

use std::collections::HashSet;

use super::{AreaCode, Ticket, UnitCode};

/// Which tickets a principal may read.
#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    All,
    /// Tickets filed in these areas (already expanded to every area below the user's).
    Areas(HashSet<AreaCode>),
    /// Tickets assigned to these units (already expanded to sub-units).
    Units(HashSet<UnitCode>),
}

impl Scope {
    pub fn allows(&self, t: &Ticket) -> bool {
        match self {
            Scope::All => true,
            Scope::Areas(a) => t.area.as_ref().is_some_and(|x| a.contains(x)),
            Scope::Units(u) => t.unit.as_ref().is_some_and(|x| u.contains(x)),
        }
    }
}
