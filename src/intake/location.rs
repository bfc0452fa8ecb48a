//! Finding a location in a message's text: coordinates written as `lat,lon` (what phones and
//! map apps share, e.g. `16.0612, 108.2272`), or the name of a known place (the gazetteer,
//! `geodata/danang/places.json`: landmarks, markets, bridges, beaches, main streets), matched
//! without regard to case or diacritics ("cho han" finds "Chợ Hàn").

use std::sync::OnceLock;

use crate::domain::Location;

/// A place people name in messages, with the folded forms it is matched by.
#[derive(Debug, Clone)]
pub struct KnownPlace {
    /// The Vietnamese name, e.g. "Chợ Hàn".
    pub name: String,
    pub location: Location,
    /// Folded aliases (`fold`): the name, the name without a bracketed part and the bracketed
    /// part, the English name, and a street's name without "Đường".
    aliases: Vec<String>,
}

/// Aliases shorter than this (folded) are not matched: too likely to occur by chance.
const MIN_ALIAS: usize = 6;

/// [`crate::service::places::fold`] (lower case, no diacritics, punctuation as single spaces),
/// padded with one space each side for whole-word matching: "Cầu Rồng!" → " cau rong ".
pub fn fold(s: &str) -> String {
    format!(" {} ", crate::service::places::fold(s))
}

impl KnownPlace {
    pub fn new(name: &str, name_en: &str, kind: &str, location: Location) -> Self {
        let mut names = vec![name.to_owned(), name_en.to_owned()];
        if let Some((outer, inner)) = name.split_once('(') {
            names.push(outer.to_owned());
            names.push(inner.trim_end_matches(')').to_owned());
        }
        if kind == "street"
            && let Some(rest) = name.strip_prefix("Đường ")
        {
            names.push(rest.to_owned());
        }
        let mut aliases: Vec<String> = names.iter().map(|n| fold(n)).filter(|a| a.trim().len() >= MIN_ALIAS).collect();
        aliases.sort();
        aliases.dedup();
        Self { name: name.to_owned(), location, aliases }
    }
}

/// The demo city's places (embedded), loaded once.
pub fn gazetteer() -> &'static [KnownPlace] {
    static PLACES: OnceLock<Vec<KnownPlace>> = OnceLock::new();
    PLACES.get_or_init(|| match crate::demo::DemoCity::embedded() {
        Ok(city) => city.places.iter().map(|p| KnownPlace::new(&p.name, &p.name_en, &p.kind, p.location)).collect(),
        Err(e) => {
            tracing::error!(error = %e, "the embedded gazetteer cannot be read; place names are not recognised");
            Vec::new()
        }
    })
}

/// What a message's text says about where.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub location: Location,
    /// The place named, when found by name.
    pub place: Option<String>,
    /// The text without the coordinates (`None` when nothing else was said).
    pub rest: Option<String>,
}

/// A decimal number in `text`: (value, start byte, end byte). Only numbers with a decimal
/// point count, so house numbers and dates are not taken for coordinates.
fn decimals(text: &str) -> Vec<(f64, usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        if b[i] == b'-' || b[i] == b'+' {
            i += 1;
        }
        let digits_from = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i > digits_from && i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let glued = start > 0 && (b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'.');
            if !glued && let Ok(v) = text[start..i].parse::<f64>() {
                out.push((v, start, i));
            }
        } else {
            i = start + 1;
        }
    }
    out
}

/// The first `lat,lon` pair (a comma, semicolon or spaces between them) in `text`. A pair
/// whose first number cannot be a latitude is read as `lon,lat`.
pub fn coordinates(text: &str) -> Option<(Location, usize, usize)> {
    let nums = decimals(text);
    nums.windows(2).find_map(|w| {
        let ((a, s, e1), (b, s2, e)) = (w[0], w[1]);
        let between = &text[e1..s2];
        let separated = between.chars().all(|c| c == ',' || c == ';' || c.is_whitespace())
            && between.chars().filter(|c| *c == ',' || *c == ';').count() <= 1
            && !between.is_empty();
        if !separated {
            return None;
        }
        let (lon, lat) = if a.abs() > 90.0 { (a, b) } else { (b, a) };
        Location::parse(lon, lat, "").ok().map(|l| (l, s, e))
    })
}

/// The longest known place named in `text`.
pub fn place<'a>(text: &str, places: &'a [KnownPlace]) -> Option<&'a KnownPlace> {
    let folded = fold(text);
    places
        .iter()
        .filter_map(|p| {
            p.aliases.iter().filter(|a| folded.contains(a.as_str())).map(|a| (a.len(), p)).max_by_key(|x| x.0)
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, p)| p)
}

/// Coordinates first, then a place name.
pub fn find(text: &str, places: &[KnownPlace]) -> Option<Found> {
    if let Some((location, s, e)) = coordinates(text) {
        let rest = format!("{} {}", &text[..s], &text[e..]);
        let rest = rest.trim_matches(|c: char| c.is_whitespace() || ",;:-–.".contains(c)).trim();
        let rest =
            (rest.chars().any(char::is_alphanumeric)).then(|| rest.split_whitespace().collect::<Vec<_>>().join(" "));
        return Some(Found { location, place: None, rest });
    }
    place(text, places).map(|p| Found {
        location: p.location,
        place: Some(p.name.clone()),
        rest: Some(text.trim().to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(lon: f64, lat: f64) -> Location {
        Location { lon, lat }
    }

    #[test]
    fn lat_lon_pairs_are_found_and_cut_from_the_text() {
        let f = find("Rác bốc mùi 16.0612, 108.2272 đầu hẻm", &[]).unwrap();
        assert_eq!(f.location, loc(108.2272, 16.0612));
        assert_eq!(f.rest.as_deref(), Some("Rác bốc mùi đầu hẻm"));
        let f = find("16.0612,108.2272", &[]).unwrap();
        assert_eq!(f.rest, None, "only coordinates: no description");
        // lon,lat order is recognised when the first number cannot be a latitude.
        assert_eq!(find("108.2272 16.0612 ngập", &[]).unwrap().location, loc(108.2272, 16.0612));
    }

    #[test]
    fn numbers_that_are_not_a_pair_are_left_alone() {
        for t in ["Số nhà 12/3 Trần Phú", "Giá 15.000 đồng, 20.5 kg", "v1.2.3 4.5", "16.06 rồi 108.22", "Nhiệt độ 37.5"]
        {
            assert_eq!(coordinates(t), None, "{t}");
        }
        // Out of range is not a location.
        assert_eq!(coordinates("95.1, 200.2"), None);
    }

    #[test]
    fn place_names_match_without_case_or_diacritics_longest_first() {
        let places = vec![
            KnownPlace::new("Chợ Hàn", "Han Market", "market", loc(108.2243, 16.0681)),
            KnownPlace::new("Cầu sông Hàn", "Han River Bridge", "bridge", loc(108.2265, 16.072)),
            KnownPlace::new("Đường Trần Phú", "Tran Phu Street", "street", loc(108.2229, 16.0700)),
            KnownPlace::new(
                "Nhà thờ Chính tòa Đà Nẵng (Nhà thờ Con Gà)",
                "Da Nang Cathedral",
                "landmark",
                loc(108.2232, 16.0668),
            ),
        ];
        let f = find("Ngập nặng trước CHO HAN, xe không qua được", &places).unwrap();
        assert_eq!(f.place.as_deref(), Some("Chợ Hàn"));
        assert_eq!(f.rest.as_deref(), Some("Ngập nặng trước CHO HAN, xe không qua được"));
        assert_eq!(place("đèn hỏng trên cầu sông Hàn", &places).unwrap().name, "Cầu sông Hàn");
        assert_eq!(place("ổ gà trên trần phú", &places).unwrap().name, "Đường Trần Phú");
        assert_eq!(place("gần nhà thờ con gà", &places).unwrap().name, "Nhà thờ Chính tòa Đà Nẵng (Nhà thờ Con Gà)");
        assert!(place("Chợ Hànội", &places).is_none(), "whole words only");
        assert!(place("không có địa điểm", &places).is_none());
    }

    #[test]
    fn the_embedded_gazetteer_knows_the_dragon_bridge() {
        let p = place("Cau Rong sáng nay", gazetteer()).expect("Cầu Rồng");
        assert_eq!(p.name, "Cầu Rồng");
        assert!((p.location.lat - 16.0612).abs() < 1e-9);
    }
}
