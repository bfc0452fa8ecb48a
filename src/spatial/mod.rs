//! Synchronous spatial indexes: tickets (rstar) and area polygons. No I/O.
//!
//! Coordinates are WGS84 lon/lat in degrees (EPSG:4326, x = lon, y = lat); distances are in
//! metres on a sphere of [`crate::domain::location::EARTH_RADIUS_M`] (haversine).
//!
//! - [`TicketIndex`]: every ticket in an R-tree, queried by [`Region`] and [`TicketFilter`],
//!   pages in receipt order without sorting every match, k-nearest in metres.
//! - [`tiles`]: Mapbox Vector Tile encoding (clip, simplify, layers) and XYZ tile maths.
//! - [`AreaCounters`]: live per-area figures including the areas below, updated per change.
//! - [`AreaIndex`]: point → most specific administrative area, with deterministic border rules,
//!   boundary versions and the area hierarchy.
//! - [`PlanningIndex`]: point → every planning zone there, and zones in a box.

mod area_counters;
mod areas;
mod counts;
mod envelope;
mod filter;
mod interner;
mod planning;
mod tickets;
pub mod tiles;

pub use area_counters::{AreaCounters, AreaStats};
pub use areas::AreaIndex;
pub use counts::StatusCounts;
pub use filter::{Region, TicketFilter};
pub use planning::{PlanningIndex, ZoneHit};
pub use tickets::{CELL_ZOOM, EntryRef, Loader, Order, TicketEntry, TicketIndex, Upserted, WALL_RECENT_HOURS};
