//! What the statistics know of the reference data: the area and unit hierarchies, each
//! category's field, and the areas' populations. Filled by the service from its reference
//! snapshot; compiled per query into tables indexed by the interned ids of [`Facts`].

use std::collections::{HashMap, HashSet};

use crate::domain::{AreaCode, CategoryCode, Field, Scope, UnitCode};

use super::facts::{Dict, Facts, NONE};

/// One area as the statistics see it.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaInfo {
    pub parent: Option<AreaCode>,
    pub level: String,
    /// Residents, when known.
    pub population: Option<u64>,
}

/// The reference data the statistics need.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub areas: HashMap<AreaCode, AreaInfo>,
    pub unit_parents: HashMap<UnitCode, Option<UnitCode>>,
    /// The areas each unit answers for (empty: city-wide).
    pub unit_areas: HashMap<UnitCode, Vec<AreaCode>>,
    pub fields: HashMap<CategoryCode, Field>,
}

impl Catalogue {
    /// `code` and every area above it, from `code` up (cycles cut).
    pub fn area_chain<'a>(&'a self, code: &'a AreaCode) -> Vec<&'a AreaCode> {
        chain(code, |c| self.areas.get(c).and_then(|a| a.parent.as_ref()))
    }

    /// `code` and every unit above it.
    pub fn unit_chain<'a>(&'a self, code: &'a UnitCode) -> Vec<&'a UnitCode> {
        chain(code, |c| self.unit_parents.get(c).and_then(|p| p.as_ref()))
    }

    /// The ancestor of `code` (or `code` itself) at `level`.
    pub fn area_at_level<'a>(&'a self, code: &'a AreaCode, level: &str) -> Option<&'a AreaCode> {
        self.area_chain(code).into_iter().find(|c| self.areas.get(*c).is_some_and(|a| a.level == level))
    }

    /// Residents of an area: its own figure, else the sum of its children's.
    pub fn population(&self, code: &AreaCode) -> Option<u64> {
        self.population_at(code, 0)
    }

    fn population_at(&self, code: &AreaCode, depth: usize) -> Option<u64> {
        if let Some(p) = self.areas.get(code).and_then(|a| a.population) {
            return Some(p);
        }
        if depth > 16 {
            return None;
        }
        let children = self
            .areas
            .iter()
            .filter(|(_, a)| a.parent.as_ref() == Some(code))
            .filter_map(|(c, _)| self.population_at(c, depth + 1));
        children.fold(None, |acc, p| Some(acc.unwrap_or(0) + p))
    }

    /// Residents of the whole city: the sum over the top areas (those without a parent).
    pub fn city_population(&self) -> Option<u64> {
        self.top_population(self.areas.iter().filter(|(_, a)| a.parent.is_none()).map(|(c, _)| c))
    }

    /// Residents of a set of areas, counting each only once: the sum over those of them whose
    /// parent is not in the set.
    pub fn top_population<'a>(&self, codes: impl IntoIterator<Item = &'a AreaCode>) -> Option<u64> {
        let set: HashSet<&AreaCode> = codes.into_iter().collect();
        let tops = set.iter().filter(|c| !self.area_chain(c).iter().skip(1).any(|p| set.contains(p)));
        tops.filter_map(|c| self.population(c)).fold(None, |acc, p| Some(acc.unwrap_or(0) + p))
    }

    /// Residents a unit serves: its areas, or the city for a city-wide unit.
    pub fn unit_population(&self, code: &UnitCode) -> Option<u64> {
        match self.unit_areas.get(code) {
            Some(areas) if !areas.is_empty() => self.top_population(areas),
            _ => self.city_population(),
        }
    }
}

fn chain<'a, K: Eq>(start: &'a K, parent: impl Fn(&'a K) -> Option<&'a K>) -> Vec<&'a K> {
    let mut out = vec![start];
    let mut cur = start;
    while let Some(p) = parent(cur) {
        if out.contains(&p) || out.len() > 32 {
            break;
        }
        out.push(p);
        cur = p;
    }
    out
}

/// Which interned ids pass: `None` lets everything through, including "no value".
pub type Mask = Option<Vec<bool>>;

/// The areas that pass a filter of areas (each with everything below it) and a role scope.
pub fn area_mask(facts: &Facts, cat: &Catalogue, filter: &[AreaCode], scope: &Scope) -> Mask {
    let scoped = match scope {
        Scope::Areas(set) => Some(set),
        _ => None,
    };
    if filter.is_empty() && scoped.is_none() {
        return None;
    }
    Some(mask(&facts.areas, |code| {
        let under = filter.is_empty() || cat.area_chain(code).iter().any(|c| filter.contains(*c));
        under && scoped.is_none_or(|s| s.contains(code))
    }))
}

/// The units that pass a filter of units (each with its sub-units) and a role scope.
pub fn unit_mask(facts: &Facts, cat: &Catalogue, filter: &[UnitCode], scope: &Scope) -> Mask {
    let scoped = match scope {
        Scope::Units(set) => Some(set),
        _ => None,
    };
    if filter.is_empty() && scoped.is_none() {
        return None;
    }
    Some(mask(&facts.units, |code| {
        let under = filter.is_empty() || cat.unit_chain(code).iter().any(|c| filter.contains(*c));
        under && scoped.is_none_or(|s| s.contains(code))
    }))
}

/// The categories that pass filters of fields and of categories.
pub fn category_mask(facts: &Facts, cat: &Catalogue, fields: &[Field], categories: &[CategoryCode]) -> Mask {
    if fields.is_empty() && categories.is_empty() {
        return None;
    }
    Some(mask(&facts.categories, |code| {
        (fields.is_empty() || fields.contains(&cat.field(code))) && (categories.is_empty() || categories.contains(code))
    }))
}

impl Catalogue {
    /// A category's field (`Other` when the category is unknown).
    pub fn field(&self, code: &CategoryCode) -> Field {
        self.fields.get(code).copied().unwrap_or(Field::Other)
    }
}

fn mask<K: Clone + Eq + std::hash::Hash>(dict: &Dict<K>, pass: impl Fn(&K) -> bool) -> Vec<bool> {
    dict.iter().map(|(_, code)| pass(code)).collect()
}

/// Whether interned id `id` passes `mask` ("no value" passes only an absent mask).
pub fn passes(mask: &Mask, id: u32) -> bool {
    match mask {
        None => true,
        Some(m) => id != NONE && m.get(id as usize).copied().unwrap_or(false),
    }
}
