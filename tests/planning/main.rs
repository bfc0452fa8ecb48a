//! Planning maps: importing a layer (GeoJSON, Shapefile, GeoPackage) with per-feature errors,
//! the demo plan, and the public API (zones at a point inside, on a border, outside; zones in a
//! box; layers and legend; the public place search) on SQLite and PostGIS.

#[path = "../common/mod.rs"]
mod common;

#[path = "../api/helpers.rs"]
#[allow(dead_code)] // shared with tests/api, which uses all of it
mod helpers;

mod api;
mod formats;
mod import;
