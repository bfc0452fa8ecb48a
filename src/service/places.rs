//! Place search for the console's call form: the demo city's landmarks and streets
//! (`geodata/danang/places.json`) and the city's districts and wards, matched by name in
//! Vietnamese or English without regard to diacritics or case ("cho han" finds "Chợ Hàn").
//!
//! Demo places are offered only where they fall inside the city's loaded areas, so a city
//! imported from other boundaries is not offered Đà Nẵng's landmarks.

use geo::InteriorPoint;
use serde::Serialize;

use super::Tickets;
use crate::domain::{AreaCode, Location};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// Default and largest number of results.
pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_LIMIT: usize = 50;

/// A place matching a search.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PlaceHit {
    /// Vietnamese name, e.g. "Chợ Hàn".
    pub name: String,
    /// English name, e.g. "Han Market".
    pub name_en: String,
    /// `landmark`, `market`, `bridge`, `beach`, `transport`, `street` (a point on it), or an
    /// area level such as `district` or `ward` (a point inside it).
    pub kind: String,
    pub location: Location,
    /// The most specific area the point lies in.
    pub area: Option<AreaCode>,
    /// That area's name and its parents', most specific first: "Hải Châu I, Hải Châu".
    pub area_name: Option<String>,
}

pub use super::gazetteer::fold;

/// How well folded `name` matches folded `query` (lower is better), or `None`:
/// 0 the whole name, 1 its start, 2 the start of a word, 3 every query word starts a word of
/// the name, 4 every query word is inside the name.
pub fn rank(name: &str, query: &str) -> Option<u8> {
    if query.is_empty() {
        return None;
    }
    if name == query {
        return Some(0);
    }
    if name.starts_with(query) {
        return Some(1);
    }
    if name.match_indices(query).any(|(i, _)| name.as_bytes()[i - 1] == b' ') {
        return Some(2);
    }
    let words: Vec<&str> = name.split(' ').collect();
    let tokens = || query.split(' ');
    if tokens().all(|t| words.iter().any(|w| w.starts_with(t))) {
        return Some(3);
    }
    tokens().all(|t| name.contains(t)).then_some(4)
}

struct Candidate {
    rank: u8,
    /// Places before areas, bigger areas before smaller ones.
    order: usize,
    name: String,
    name_en: String,
    kind: String,
    location: Location,
}

impl Tickets {
    /// Places whose Vietnamese or English name matches `query` (diacritics and case ignored),
    /// best match first, at most `limit`.
    pub fn search_places(&self, query: &str, limit: usize) -> Vec<PlaceHit> {
        let q = fold(query);
        let reference = self.reference();
        let now = self.now();
        let best = |vi: &str, en: &str| [rank(&fold(vi), &q), rank(&fold(en), &q)].into_iter().flatten().min();
        let mut found: Vec<Candidate> = Vec::new();
        for p in super::gazetteer::Gazetteer::embedded().places() {
            if let Some(rank) = best(&p.name, &p.name_en)
                && reference.areas.locate(p.location, now).is_some()
            {
                let (name, name_en, kind) = (p.name.clone(), p.name_en.clone(), p.kind.clone());
                found.push(Candidate { rank, order: 0, name, name_en, kind, location: p.location });
            }
        }
        for a in reference.areas.all(now) {
            // The city itself is no place to send anyone to.
            if a.parent.is_none() {
                continue;
            }
            let Some(rank) = best(&a.name, &a.name_en) else { continue };
            let Some(p) = a.geometry.interior_point() else { continue };
            let Ok(location) = Location::parse(p.x(), p.y(), "") else { continue };
            let order = 1 + reference.areas.levels().rank(&a.level);
            let (name, name_en, kind) = (a.name.clone(), a.name_en.clone(), a.level.clone());
            found.push(Candidate { rank, order, name, name_en, kind, location });
        }
        found.sort_by(|x, y| {
            (x.rank, x.order, x.name.chars().count(), &x.name).cmp(&(y.rank, y.order, y.name.chars().count(), &y.name))
        });
        found
            .into_iter()
            .take(limit)
            .map(|c| {
                let area = reference.areas.locate(c.location, now).cloned();
                let area_name = area.as_ref().map(|code| {
                    let names: Vec<String> = reference
                        .areas
                        .ancestors(code)
                        .iter()
                        .filter_map(|x| reference.areas.get(x, now))
                        .filter(|x| x.parent.is_some())
                        .map(|x| x.name.clone())
                        .collect();
                    names.join(", ")
                });
                PlaceHit { name: c.name, name_en: c.name_en, kind: c.kind, location: c.location, area, area_name }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_diacritics_case_and_punctuation() {
        assert_eq!(fold("Đường Trần Phú"), "duong tran phu");
        assert_eq!(fold("  Chợ   HÀN! "), "cho han");
        assert_eq!(fold("Nhà thờ Chính tòa Đà Nẵng (Nhà thờ Con Gà)"), "nha tho chinh toa da nang nha tho con ga");
        assert_eq!(fold("Hòa Cường Bắc"), fold("hoa cuong bac"));
        assert_eq!(fold("Công viên 29/3"), "cong vien 29 3");
        // Precomposed and decomposed input fold alike.
        assert_eq!(fold("Ho\u{300}a"), fold("Hòa"));
        assert_eq!(fold("—"), "");
    }

    #[test]
    fn whole_names_beat_prefixes_beat_words_beat_fragments() {
        assert_eq!(rank("cho han", "cho han"), Some(0));
        assert_eq!(rank("cho han", "cho"), Some(1));
        assert_eq!(rank("duong tran phu", "tran phu"), Some(2));
        assert_eq!(rank("duong tran phu", "tr ph"), Some(3));
        assert_eq!(rank("han market", "arke"), Some(4));
        assert_eq!(rank("cho con", "han"), None);
        assert_eq!(rank("cho han", ""), None);
        // "han" inside "thanh" is only a fragment; at a word start it ranks higher.
        assert_eq!(rank("thanh khe", "han"), Some(4));
        assert_eq!(rank("cau song han", "han"), Some(2));
    }
}
