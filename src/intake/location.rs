//! Finding a location in a message's text: coordinates written as `lat,lon` (what phones and
//! map apps share, e.g. `16.0612, 108.2272`), or the name of a known place (the gazetteer,
//! `geodata/danang/places.json`: landmarks, markets, bridges, beaches, main streets), matched
//! without regard to case or diacritics ("cho han" finds "Chợ Hàn").

use crate::domain::Location;
use crate::service::gazetteer::Gazetteer;

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

/// Coordinates first, then a place name.
pub fn find(text: &str, places: &Gazetteer) -> Option<Found> {
    if let Some((location, s, e)) = coordinates(text) {
        let rest = format!("{} {}", &text[..s], &text[e..]);
        let rest = rest.trim_matches(|c: char| c.is_whitespace() || ",;:-–.".contains(c)).trim();
        let rest =
            (rest.chars().any(char::is_alphanumeric)).then(|| rest.split_whitespace().collect::<Vec<_>>().join(" "));
        return Some(Found { location, place: None, rest });
    }
    places.locate(text).map(|p| Found {
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

    fn none() -> Gazetteer {
        Gazetteer::new(Vec::new())
    }

    #[test]
    fn lat_lon_pairs_are_found_and_cut_from_the_text() {
        let f = find("Rác bốc mùi 16.0612, 108.2272 đầu hẻm", &none()).unwrap();
        assert_eq!(f.location, loc(108.2272, 16.0612));
        assert_eq!(f.rest.as_deref(), Some("Rác bốc mùi đầu hẻm"));
        let f = find("16.0612,108.2272", &none()).unwrap();
        assert_eq!(f.rest, None, "only coordinates: no description");
        // lon,lat order is recognised when the first number cannot be a latitude.
        assert_eq!(find("108.2272 16.0612 ngập", &none()).unwrap().location, loc(108.2272, 16.0612));
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
    fn a_place_name_is_found_when_there_are_no_coordinates_and_the_text_is_kept() {
        let f = find("Ngập nặng trước CHO HAN, xe không qua được", Gazetteer::embedded()).unwrap();
        assert_eq!(f.place.as_deref(), Some("Chợ Hàn"));
        assert_eq!(f.rest.as_deref(), Some("Ngập nặng trước CHO HAN, xe không qua được"));
        let f = find("Cau Rong 16.0612, 108.2272", Gazetteer::embedded()).unwrap();
        assert_eq!((f.place, f.location), (None, loc(108.2272, 16.0612)), "coordinates first");
        assert!(find("không có địa điểm", Gazetteer::embedded()).is_none());
    }
}
