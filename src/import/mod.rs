//! Importers for reference data from GIS files, with a progress bar and per-feature errors: a bad
//! feature is reported by its index, code and name and skipped, never taking the good ones with it.
//!
//! - [`areas`]: administrative boundaries from a GeoJSON FeatureCollection.
//! - [`planning`]: a planning layer's land-use zones from GeoJSON, Shapefile or GeoPackage.
//! - [`cameras`]: cameras from a GeoJSON FeatureCollection of points.

pub mod areas;
pub mod cameras;
mod error;
pub mod geometry;
mod properties;

pub use areas::{ImportAreasOptions, ImportReport, ParsedAreas, import_areas, parse_areas};
pub use error::{FeatureError, FeatureProblem, ImportError};
pub use geometry::{GeometryError, RingAt};

pub mod gpkg;
pub mod planning;
mod planning_options;
pub mod shp;
pub use planning::{
    ImportPlanningOptions, LayerInfo, ParsedPlanning, PlanningReport, ZoneFields, import_planning, parse_planning,
};
