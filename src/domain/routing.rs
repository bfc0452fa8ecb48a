//! Routing rules: (category, area) → the unit suggested for a new ticket.

use serde::{Deserialize, Serialize};

use super::{AreaCode, CategoryCode, UnitCode};

/// One rule. A missing `category` matches any category; a missing `area` matches anywhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RoutingRule {
    #[serde(default)]
    pub category: Option<CategoryCode>,
    #[serde(default)]
    pub area: Option<AreaCode>,
    pub unit: UnitCode,
}

/// Suggests a unit for a ticket of `category` whose area chain (the ticket's own area first,
/// then its parent, … up to the root) is `area_chain`.
///
/// The most specific rule wins: a rule naming both the category and an area beats one naming
/// only the category, which beats one naming only an area, which beats a catch-all; among
/// area rules the one for the deepest area in the chain wins. Ties go to the earlier rule.
pub fn suggest<'a>(rules: &'a [RoutingRule], category: &CategoryCode, area_chain: &[AreaCode]) -> Option<&'a UnitCode> {
    let score = |r: &RoutingRule| -> Option<(u8, usize)> {
        let cat = match &r.category {
            Some(c) if c == category => true,
            Some(_) => return None,
            None => false,
        };
        let depth = match &r.area {
            Some(a) => Some(area_chain.iter().position(|x| x == a)?),
            None => None,
        };
        // Higher tier is better; lower depth (closer to the ticket's own area) is better.
        let tier = match (cat, depth.is_some()) {
            (true, true) => 3,
            (true, false) => 2,
            (false, true) => 1,
            (false, false) => 0,
        };
        Some((tier, usize::MAX - depth.unwrap_or(usize::MAX)))
    };
    let mut best: Option<(&RoutingRule, (u8, usize))> = None;
    for r in rules {
        if let Some(s) = score(r)
            && best.is_none_or(|(_, b)| s > b)
        {
            best = Some((r, s));
        }
    }
    best.map(|(r, _)| &r.unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> CategoryCode {
        CategoryCode::parse(s, "c").unwrap()
    }
    fn a(s: &str) -> AreaCode {
        AreaCode::parse(s, "a").unwrap()
    }
    fn u(s: &str) -> UnitCode {
        UnitCode::parse(s, "u").unwrap()
    }
    fn rule(cat: Option<&str>, area: Option<&str>, unit: &str) -> RoutingRule {
        RoutingRule { category: cat.map(c), area: area.map(a), unit: u(unit) }
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let rules = vec![
            rule(None, None, "CITY"),
            rule(None, Some("HC"), "HC-UBND"),
            rule(Some("garbage"), None, "URENCO"),
            rule(Some("garbage"), Some("HC"), "HC-URENCO"),
            rule(Some("garbage"), Some("HC-01"), "HC01-STATION"),
        ];
        let chain = [a("HC-01"), a("HC"), a("DN")];
        assert_eq!(suggest(&rules, &c("garbage"), &chain), Some(&u("HC01-STATION")));
        let chain2 = [a("HC-02"), a("HC"), a("DN")];
        assert_eq!(suggest(&rules, &c("garbage"), &chain2), Some(&u("HC-URENCO")));
        let chain3 = [a("ST-01"), a("ST"), a("DN")];
        assert_eq!(suggest(&rules, &c("garbage"), &chain3), Some(&u("URENCO")));
        assert_eq!(suggest(&rules, &c("noise"), &chain2), Some(&u("HC-UBND")));
        assert_eq!(suggest(&rules, &c("noise"), &chain3), Some(&u("CITY")));
        assert_eq!(suggest(&rules[1..2], &c("noise"), &chain3), None);
    }
}
