//! Switchboard: the GIS operations centre behind a city's citizen hotline.
//!
//! Module map (see `../shared/DESIGN.md`):
//! - [`domain`]: pure types and rules (tickets, status machine, deadlines, areas, routing).
//! - [`spatial`]: synchronous indexes (tickets in an R-tree, area polygons).
//! - [`store`]: the store trait with PostGIS and SQLite implementations.

pub mod domain;
pub mod import;
pub mod spatial;
pub mod store;
