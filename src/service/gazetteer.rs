//! The city's named places under every name people use for them: one list for the console's
//! place search ([`super::places`]), Open311 addresses without coordinates and the places named
//! in chat/SMS texts. For now the places are the demo city's (`geodata/danang/places.json`:
//! landmarks, markets, bridges, beaches, main streets), embedded in the binary.
//!
//! Names are matched folded ([`fold`]: no case, no diacritics, punctuation as spaces), as whole
//! words, the longest name found winning ("đèn hỏng trên cầu sông Hàn" is the bridge, not the
//! market).

use std::sync::OnceLock;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::domain::Location;

const PLACES_JSON: &str = include_str!("../../geodata/danang/places.json");

/// A named point people search for: a landmark, a market, a bridge, a beach, a street.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// Vietnamese name with diacritics, e.g. "Cầu Rồng".
    pub name: String,
    /// English name, e.g. "Dragon Bridge".
    pub name_en: String,
    /// `landmark`, `market`, `bridge`, `beach`, `transport` or `street` (a street is given by
    /// a point on it).
    pub kind: String,
    pub location: Location,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlace {
    name: String,
    name_en: String,
    kind: String,
    lon: f64,
    lat: f64,
}

/// The embedded places (`geodata/danang/places.json`), checked.
pub fn embedded_places() -> anyhow::Result<Vec<Place>> {
    let places = serde_json::from_str::<Vec<RawPlace>>(PLACES_JSON)
        .context("geodata/danang/places.json")?
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let location = Location::parse(p.lon, p.lat, "").with_context(|| format!("places.json[{i}]"))?;
            Ok(Place { name: p.name, name_en: p.name_en, kind: p.kind, location })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(places)
}

pub use crate::domain::text::fold;

/// Names shorter than this (folded) are not matched: too likely to occur by chance.
const MIN_ALIAS_CHARS: usize = 6;

/// One name of a place, folded and padded with a space each side (" cho han ").
struct Alias {
    padded: String,
    place: usize,
}

/// Named places with every name they are known by.
pub struct Gazetteer {
    places: Vec<Place>,
    aliases: Vec<Alias>,
}

impl Gazetteer {
    pub fn new(places: Vec<Place>) -> Self {
        let mut aliases: Vec<Alias> = Vec::new();
        for (i, p) in places.iter().enumerate() {
            for name in names(p) {
                let folded = fold(&name);
                let padded = format!(" {folded} ");
                if folded.chars().count() >= MIN_ALIAS_CHARS && !aliases.iter().any(|a| a.padded == padded) {
                    aliases.push(Alias { padded, place: i });
                }
            }
        }
        Self { places, aliases }
    }

    /// The demo city's places (built once; empty, with an error logged, if they do not parse).
    pub fn embedded() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| match embedded_places() {
            Ok(places) => Gazetteer::new(places),
            Err(e) => {
                tracing::error!(error = %format!("{e:#}"), "the embedded places do not parse; place names are not recognised");
                Gazetteer::new(Vec::new())
            }
        })
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The place `text` names, if any: the longest of its names found in it as whole words
    /// ("gần chợ Hàn, Hải Châu" → Chợ Hàn).
    pub fn locate(&self, text: &str) -> Option<&Place> {
        let text = format!(" {} ", fold(text));
        self.aliases
            .iter()
            .filter(|a| text.contains(&a.padded))
            .max_by_key(|a| a.padded.len())
            .map(|a| &self.places[a.place])
    }
}

/// A place's names: Vietnamese and English, the parts of a name with a parenthesis ("Nhà thờ
/// Chính tòa Đà Nẵng (Nhà thờ Con Gà)"), and a street without "Đường" / "Street".
fn names(p: &Place) -> Vec<String> {
    let mut out = Vec::new();
    for n in [&p.name, &p.name_en] {
        out.push(n.clone());
        if let Some((before, inside)) = n.split_once('(') {
            out.push(before.trim().to_owned());
            out.push(inside.trim_end_matches(')').trim().to_owned());
        }
        if p.kind == "street" {
            out.extend(n.strip_prefix("Đường ").map(str::to_owned));
            out.extend(n.strip_suffix(" Street").map(str::to_owned));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Location;

    fn place(name: &str, name_en: &str, kind: &str, lon: f64, lat: f64) -> Place {
        Place { name: name.into(), name_en: name_en.into(), kind: kind.into(), location: Location { lon, lat } }
    }

    #[test]
    fn names_match_without_case_or_diacritics_as_whole_words_longest_first() {
        let g = Gazetteer::new(vec![
            place("Chợ Hàn", "Han Market", "market", 108.2243, 16.0681),
            place("Cầu sông Hàn", "Han River Bridge", "bridge", 108.2265, 16.072),
            place("Đường Trần Phú", "Tran Phu Street", "street", 108.2229, 16.0700),
            place("Nhà thờ Chính tòa Đà Nẵng (Nhà thờ Con Gà)", "Da Nang Cathedral", "landmark", 108.2232, 16.0668),
        ]);
        let name = |t: &str| g.locate(t).map(|p| p.name.as_str());
        assert_eq!(name("Ngập nặng trước CHO HAN, xe không qua được"), Some("Chợ Hàn"));
        assert_eq!(name("đèn hỏng trên cầu sông Hàn"), Some("Cầu sông Hàn"));
        assert_eq!(name("ổ gà trên trần phú"), Some("Đường Trần Phú"));
        assert_eq!(name("12 Tran Phu, Hai Chau"), Some("Đường Trần Phú"));
        assert_eq!(name("gần nhà thờ con gà"), Some("Nhà thờ Chính tòa Đà Nẵng (Nhà thờ Con Gà)"));
        assert_eq!(name("Han Market, north gate"), Some("Chợ Hàn"));
        assert_eq!(name("Chợ Hànội"), None, "whole words only");
        assert_eq!(name("không có địa điểm"), None);
        assert_eq!(name(""), None);
    }

    #[test]
    fn the_embedded_places_know_the_dragon_bridge_and_the_cathedral() {
        let g = Gazetteer::embedded();
        let p = g.locate("Gần chân Cau Rong, phía Hải Châu").expect("Cầu Rồng");
        assert_eq!(p.name, "Cầu Rồng");
        assert!((p.location.lat - 16.0612).abs() < 1e-9);
        assert_eq!(g.locate("cổng Nhà thờ Con Gà").unwrap().name_en, "Da Nang Cathedral");
        assert!(g.locate("nhà tôi").is_none());
    }
}
