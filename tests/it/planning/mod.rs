//! Planning maps: importing a layer (GeoJSON, Shapefile, GeoPackage) with per-feature errors,
//! the demo plan, and the public API (zones at a point inside, on a border, outside; zones in a
//! box; layers and legend; the public place search) on SQLite and PostGIS.

mod api;
mod formats;
mod import;
