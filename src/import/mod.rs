//! Importers for reference data from GIS files, with a progress bar and per-feature errors: a bad
//! feature is reported by its index, code and name and skipped, never taking the good ones with it.
//!
//! - [`areas`]: administrative boundaries from a GeoJSON FeatureCollection.
//! - [`cameras`]: cameras from a GeoJSON FeatureCollection of points.

pub mod areas;
pub mod cameras;
mod error;
pub mod geometry;
mod properties;

pub use areas::{ImportAreasOptions, ImportReport, ParsedAreas, import_areas, parse_areas};
pub use error::{FeatureError, FeatureProblem, ImportError};
pub use geometry::{GeometryError, RingAt};
