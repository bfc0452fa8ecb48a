//! WGS84 coordinates (EPSG:4326), always in lon/lat order, degrees.

use serde::{Deserialize, Serialize};

use super::error::ValidationErrors;

/// Mean Earth radius in metres (IUGG), used for haversine distances.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A validated WGS84 position: lon in [-180, 180], lat in [-90, 90], both finite.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Location {
    /// Longitude in degrees, east positive.
    pub lon: f64,
    /// Latitude in degrees, north positive.
    pub lat: f64,
}

impl Location {
    /// Parses a position; the error names `{prefix}lon` / `{prefix}lat`.
    pub fn parse(lon: f64, lat: f64, prefix: &str) -> Result<Self, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            errs.push(format!("{prefix}lon"), "longitude must be a number between -180 and 180");
        }
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            errs.push(format!("{prefix}lat"), "latitude must be a number between -90 and 90");
        }
        errs.into_result().map(|_| Self { lon, lat })
    }

    /// Great-circle distance in metres (haversine on a sphere of [`EARTH_RADIUS_M`]).
    pub fn distance_m(&self, other: &Location) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }
}

/// A lon/lat bounding box; edges are inclusive (a point on an edge is inside).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl BBox {
    /// Parses `minLon,minLat,maxLon,maxLat` (the `bbox` query parameter); errors name `field`.
    pub fn parse(s: &str, field: &str) -> Result<Self, ValidationErrors> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let bad = || ValidationErrors::single(field, "bbox must be minLon,minLat,maxLon,maxLat in degrees");
        if parts.len() != 4 {
            return Err(bad());
        }
        let mut v = [0f64; 4];
        for (i, p) in parts.iter().enumerate() {
            v[i] = p.parse::<f64>().map_err(|_| bad())?;
        }
        Self::new(v[0], v[1], v[2], v[3], field)
    }

    pub fn new(min_lon: f64, min_lat: f64, max_lon: f64, max_lat: f64, field: &str) -> Result<Self, ValidationErrors> {
        let ok_lon = |x: f64| x.is_finite() && (-180.0..=180.0).contains(&x);
        let ok_lat = |x: f64| x.is_finite() && (-90.0..=90.0).contains(&x);
        if !(ok_lon(min_lon) && ok_lon(max_lon) && ok_lat(min_lat) && ok_lat(max_lat)) {
            return Err(ValidationErrors::single(field, "bbox coordinates out of range (lon -180..180, lat -90..90)"));
        }
        if min_lon > max_lon || min_lat > max_lat {
            return Err(ValidationErrors::single(field, "bbox minimum must not exceed its maximum"));
        }
        Ok(Self { min_lon, min_lat, max_lon, max_lat })
    }

    /// Inclusive containment test.
    pub fn contains(&self, p: &Location) -> bool {
        p.lon >= self.min_lon && p.lon <= self.max_lon && p.lat >= self.min_lat && p.lat <= self.max_lat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longitude_200_is_refused_naming_the_field() {
        let err = Location::parse(200.0, 16.0, "location.").unwrap_err();
        assert_eq!(err.0[0].field, "location.lon");
        assert!(Location::parse(f64::NAN, 16.0, "").is_err());
        assert!(Location::parse(108.2, 16.06, "").is_ok());
    }

    #[test]
    fn distance_between_han_river_bridges_is_about_right() {
        // Dragon Bridge to Han River Bridge: ~1.1 km apart.
        let dragon = Location { lon: 108.2275, lat: 16.0612 };
        let han = Location { lon: 108.2267, lat: 16.0722 };
        let d = dragon.distance_m(&han);
        assert!((1_150.0..1_300.0).contains(&d), "{d}");
    }

    #[test]
    fn bbox_parse_rejects_inverted_and_malformed() {
        assert!(BBox::parse("108,16,108.3,16.2", "bbox").is_ok());
        assert_eq!(BBox::parse("108,16,107,16.2", "bbox").unwrap_err().0[0].field, "bbox");
        assert!(BBox::parse("a,b,c,d", "bbox").is_err());
        assert!(BBox::parse("1,2,3", "bbox").is_err());
    }
}
