//! Mapbox Vector Tiles, encoded in-process: pure and synchronous (no I/O, no async).
//!
//! - [`grid`]: XYZ tile ids and Web-Mercator world units.
//! - [`encode`]: one geometry into one tile (clip to the tile and its buffer, simplify in
//!   pixels, snap to the grid, MVT winding).
//! - [`clusters`]: points counted per grid cell of a tile (the ticket clusters at low zoom).
//! - [`tags`]: a layer's shared key and value tables.
//! - [`layer`]: building layers and tiles; [`FeatureLayer`], a generic R-tree of fixed
//!   features (areas, basemap, planning zones).
//!
//! The protobuf types and the geometry command writer are geozero's (`geozero::mvt`).

pub mod clusters;
pub mod encode;
pub mod grid;
pub mod layer;
pub mod tags;

pub use clusters::{CELL_LEVELS, CELLS, Cell, ClusterGrid, Fixed};
pub use encode::{BUFFER, EXTENT, SIMPLIFY_PX, TileFrame};
pub use grid::{MAX_ZOOM, TileId};
pub use layer::{FeatureLayer, LayerBuilder, LayerFeature, Value, tile_bytes};
