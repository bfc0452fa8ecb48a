//! Administrative areas as data: levels are configurable (city → district → ward, or the 2025
//! two-tier province → commune), boundaries are MultiPolygons in WGS84 lon/lat, and each
//! boundary has a validity period so old tickets keep the area they were filed in.

use chrono::{DateTime, Utc};
use geo::MultiPolygon;
use serde::{Deserialize, Serialize};

use super::code::code_newtype;

code_newtype!(
    /// Stable code of an area, e.g. `DN` (Đà Nẵng), `DN-HC` (Hải Châu), `DN-HC-01`.
    AreaCode
);

/// One version of an administrative area.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub code: AreaCode,
    /// Vietnamese name with diacritics, e.g. "Hải Châu".
    pub name: String,
    /// Name without diacritics / in English, e.g. "Hai Chau".
    pub name_en: String,
    /// Level name, one of the configured levels (e.g. `city`, `district`, `ward`).
    pub level: String,
    pub parent: Option<AreaCode>,
    /// Boundary in EPSG:4326, lon/lat order.
    pub geometry: MultiPolygon<f64>,
    /// This boundary applies from this instant (inclusive) …
    pub valid_from: DateTime<Utc>,
    /// … until this instant (exclusive); `None` = still in force.
    pub valid_to: Option<DateTime<Utc>>,
    /// Residents, when known (the satisfaction index counts reports per 10 000 of them).
    pub population: Option<u64>,
}

impl Area {
    /// Whether this version of the boundary is in force at `at`.
    pub fn valid_at(&self, at: DateTime<Utc>) -> bool {
        self.valid_from <= at && self.valid_to.is_none_or(|t| at < t)
    }
}

/// The configured levels, from the top (rank 0) down, e.g. `["city", "district", "ward"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Levels(pub Vec<String>);

impl Levels {
    /// Rank of a level (0 = top); unknown levels rank below every known one.
    pub fn rank(&self, level: &str) -> usize {
        self.0.iter().position(|l| l == level).unwrap_or(self.0.len())
    }
}

impl Default for Levels {
    fn default() -> Self {
        Self(vec!["city".into(), "district".into(), "ward".into()])
    }
}
