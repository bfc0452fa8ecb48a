//! Locating an Open311 `address_string` without coordinates: the named places of the city
//! (`geodata/danang/places.json`: landmarks, markets, bridges, beaches, main streets), matched
//! without regard to case or Vietnamese diacritics.

use std::sync::OnceLock;

use crate::demo::{DemoCity, Place};
use crate::domain::Location;

/// Places names shorter than this (after folding) are not matched, so that a stray short word
/// cannot place a report.
const MIN_NAME_CHARS: usize = 4;

/// A place under one of its names, folded.
struct Alias {
    folded: String,
    place: usize,
}

/// Named places with every name they are known by.
pub struct Gazetteer {
    places: Vec<Place>,
    aliases: Vec<Alias>,
}

impl Gazetteer {
    pub fn new(places: Vec<Place>) -> Self {
        let mut aliases = Vec::new();
        for (i, p) in places.iter().enumerate() {
            for name in names(p) {
                let folded = fold(&name);
                if folded.chars().count() >= MIN_NAME_CHARS && !aliases.iter().any(|a: &Alias| a.folded == folded) {
                    aliases.push(Alias { folded, place: i });
                }
            }
        }
        Self { places, aliases }
    }

    /// The places of the embedded city (built once).
    pub fn embedded() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| Gazetteer::new(DemoCity::embedded().map(|c| c.places).unwrap_or_default()))
    }

    /// The place an address names, if any: the longest name found in it as whole words
    /// ("gần chợ Hàn, Hải Châu" → Chợ Hàn).
    pub fn locate(&self, address: &str) -> Option<(&Place, Location)> {
        let text = format!(" {} ", fold(address));
        self.aliases
            .iter()
            .filter(|a| text.contains(&format!(" {} ", a.folded)))
            .max_by_key(|a| a.folded.len())
            .map(|a| (&self.places[a.place], self.places[a.place].location))
    }
}

/// A place's names: Vietnamese and English, a street without its "Đường", and the parts
/// of a name with a parenthesis ("Nhà thờ Chính tòa Đà Nẵng (Nhà thờ Con Gà)").
fn names(p: &Place) -> Vec<String> {
    let mut out = Vec::new();
    for n in [&p.name, &p.name_en] {
        out.push(n.clone());
        if let Some((before, inside)) = n.split_once('(') {
            out.push(before.trim().to_owned());
            out.push(inside.trim_end_matches(')').trim().to_owned());
        }
        if let Some(street) = n.strip_prefix("Đường ") {
            out.push(street.to_owned());
        }
        if let Some(street) = n.strip_suffix(" Street") {
            out.push(street.to_owned());
        }
    }
    out
}

pub use crate::service::places::fold;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_diacritics_and_punctuation() {
        assert_eq!(fold("Cầu Rồng, Đà Nẵng!"), "cau rong da nang");
        assert_eq!(fold("ĐƯỜNG  Võ Nguyên Giáp"), "duong vo nguyen giap");
    }

    #[test]
    fn an_address_naming_a_place_is_located_there() {
        let g = Gazetteer::embedded();
        let (p, at) = g.locate("Gần chân cầu rồng, phía Hải Châu").expect("Cầu Rồng");
        assert_eq!(p.name, "Cầu Rồng");
        assert_eq!(at, p.location);
        assert_eq!(g.locate("12 Tran Phu, Hai Chau").unwrap().0.name, "Đường Trần Phú");
        assert_eq!(g.locate("cổng Nhà thờ Con Gà").unwrap().0.name_en, "Da Nang Cathedral");
        assert_eq!(g.locate("Han Market, north gate").unwrap().0.name, "Chợ Hàn");
        assert!(g.locate("nhà tôi").is_none());
        assert!(g.locate("").is_none());
    }
}
