//! The scopes readers of a scoped source ([`super::Access::Scoped`]) read it with, numbered for
//! the cache and the flights: everything is 0, each other scope gets the next number the first
//! time it is seen and keeps it. The numbers name a scope exactly (its sorted codes, not a hash
//! of them), so two scopes never share a cached tile. There are as many as there are distinct
//! sets of areas or units among the users, a few hundred at most in a city.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::domain::Scope;

/// A scope's number and the seed of its ETags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeNo {
    /// 0 for everything (and for unscoped sources).
    pub no: u32,
    /// Mixed into the ETag ([`super::finish::etag`]); 0 for everything.
    pub seed: u64,
}

impl ScopeNo {
    /// Everything, or a source that is not scoped.
    pub const ALL: ScopeNo = ScopeNo { no: 0, seed: 0 };
}

/// The numbers given so far.
#[derive(Default)]
pub struct Scopes {
    /// A std lock: held for one map look-up or insertion, never across `.await`.
    known: Mutex<HashMap<String, ScopeNo>>,
}

/// The scope written out: its kind and its sorted codes.
fn canonical(scope: &Scope) -> Option<String> {
    let (kind, mut codes): (&str, Vec<&str>) = match scope {
        Scope::All => return None,
        Scope::Areas(a) => ("areas", a.iter().map(|c| c.as_str()).collect()),
        Scope::Units(u) => ("units", u.iter().map(|c| c.as_str()).collect()),
    };
    codes.sort_unstable();
    Some(format!("{kind}:{}", codes.join(",")))
}

impl Scopes {
    /// The number of `scope` (given now if it is new).
    pub fn number(&self, scope: &Scope) -> ScopeNo {
        let Some(key) = canonical(scope) else { return ScopeNo::ALL };
        let mut known = self.known.lock().expect("tile scopes lock");
        let next = u32::try_from(known.len() + 1).expect("fewer than 4 billion scopes");
        *known.entry(key).or_insert_with_key(|key| ScopeNo {
            no: next,
            // Never 0 (that is everything's).
            seed: (twox_hash::XxHash3_128::oneshot(key.as_bytes()) as u64) | 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::domain::{AreaCode, UnitCode};

    fn areas(codes: &[&str]) -> Scope {
        Scope::Areas(codes.iter().map(|c| AreaCode::parse(c, "area").unwrap()).collect::<HashSet<_>>())
    }

    #[test]
    fn each_distinct_scope_has_its_own_number_and_seed() {
        let scopes = Scopes::default();
        assert_eq!(scopes.number(&Scope::All), ScopeNo::ALL);
        let hc = scopes.number(&areas(&["DN-HC", "DN-HC-01"]));
        assert_eq!(scopes.number(&areas(&["DN-HC-01", "DN-HC"])), hc, "the same set in another order");
        let st = scopes.number(&areas(&["DN-ST"]));
        let unit = UnitCode::parse("DN-HC", "unit").unwrap();
        let same_codes_as_units = scopes.number(&Scope::Units([unit].into_iter().collect()));
        let nos = [hc.no, st.no, same_codes_as_units.no];
        assert!(nos.iter().all(|&n| n > 0) && HashSet::from(nos).len() == 3, "{nos:?}");
        assert!([hc.seed, st.seed, same_codes_as_units.seed].iter().all(|&s| s != 0));
        assert_ne!(scopes.number(&areas(&["DN-HC"])), hc, "a subset is another scope");
    }
}
