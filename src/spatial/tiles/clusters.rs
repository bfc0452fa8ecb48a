//! Grid clusters for point layers at low zoom: a tile is cut into [`CELLS`] × [`CELLS`] cells
//! (each cell is the tile of zoom `z + 3` at that place, 64 screen pixels on a 512-pixel tile),
//! and the points of a cell are counted, with their open and overdue shares, at the cell's
//! centroid. Cells are aligned to the tile grid, so every point belongs to exactly one cell of
//! exactly one tile at each zoom: the counts of a map's tiles add up to the points on it,
//! never twice a point near a tile's edge.
//!
//! Positions are placed in [`Fixed`] world units (32 bits a side): which tile and cell hold a
//! point is read off its bits, and a centroid is a sum of such integers. So a cell's figures are
//! the same whether its points are counted one by one here or summed from finer cells kept
//! elsewhere (the ticket index's, `spatial/tickets/cells.rs`), in any order: the same points give
//! the same bytes (and ETag).
//!
//! Pure: [`ClusterGrid`] takes positions in world units and gives cells; the tickets source
//! (`service/tiles/tickets.rs`) decides what a point is and which cells become clusters.

use geo::{Coord, Geometry, Point};
use geozero::mvt::tile;

use super::TileId;
use super::encode::TileFrame;

/// Cells per tile side (8: 512 tile units, 64 pixels of a 512-pixel tile).
pub const CELLS: u32 = 8;
/// log2 of [`CELLS`]: a tile's cells are the tiles this many zooms deeper.
pub const CELL_LEVELS: u8 = 3;
/// Bits of a [`Fixed`] coordinate.
const BITS: u32 = 32;
/// [`Fixed`] units per world unit (2^32).
const SCALE: f64 = (1u64 << BITS) as f64;

/// A world position (see [`super::grid`]) in fixed point: `x` and `y` scaled by 2^32 and
/// floored, so the tile of zoom `z` holding it is `(x >> (32 − z), y >> (32 − z))`. One unit is
/// a thousandth of a millimetre at the equator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixed {
    pub x: u32,
    pub y: u32,
}

impl Fixed {
    /// The fixed-point position of a world position (clamped to the world).
    pub fn from_world(world: (f64, f64)) -> Self {
        let f = |v: f64| (v * SCALE).floor().clamp(0.0, f64::from(u32::MAX)) as u32;
        Self { x: f(world.0), y: f(world.1) }
    }

    /// The tile of zoom `z` (at most 32) holding the position, as `(x, y)`.
    pub fn tile_at(self, z: u8) -> (u32, u32) {
        let shift = BITS - u32::from(z);
        ((u64::from(self.x) >> shift) as u32, (u64::from(self.y) >> shift) as u32)
    }
}

/// One cell's points. The sums are of [`Fixed`] coordinates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    /// `row * CELLS + column`, row 0 at the top.
    pub key: u32,
    pub count: u32,
    pub open: u32,
    pub overdue: u32,
    pub sum_x: u64,
    pub sum_y: u64,
}

impl Cell {
    /// The centroid of the cell's points, in world units.
    pub fn centroid(&self) -> (f64, f64) {
        let n = u64::from(self.count.max(1));
        ((self.sum_x / n) as f64 / SCALE, (self.sum_y / n) as f64 / SCALE)
    }
}

/// The cells of one tile.
#[derive(Debug, Clone)]
pub struct ClusterGrid {
    frame: TileFrame,
    cells: Vec<Cell>,
}

impl ClusterGrid {
    pub fn new(frame: TileFrame) -> Self {
        let cells = (0..CELLS * CELLS).map(|key| Cell { key, ..Cell::default() }).collect();
        Self { frame, cells }
    }

    pub fn tile(&self) -> TileId {
        self.frame.tile
    }

    /// The cell holding a position, or `None` when it is outside the tile itself (its buffer
    /// belongs to the neighbours). The tile is half-open: a point on the east or south edge
    /// belongs to the next tile.
    pub fn cell_of_fixed(&self, p: Fixed) -> Option<u32> {
        let t = self.frame.tile;
        if p.tile_at(t.z) != (t.x, t.y) {
            return None;
        }
        let (cx, cy) = p.tile_at(t.z + CELL_LEVELS);
        Some((cy % CELLS) * CELLS + cx % CELLS)
    }

    /// [`Self::cell_of_fixed`] of a world position.
    pub fn cell_of(&self, world: (f64, f64)) -> Option<u32> {
        self.cell_of_fixed(Fixed::from_world(world))
    }

    /// The cell of zoom `z + 3` whose tile is `(x, y)` (a tile of this grid's cells), if it is in
    /// this tile.
    pub fn cell_of_tile(&self, (x, y): (u32, u32)) -> Option<u32> {
        let t = self.frame.tile;
        ((x >> CELL_LEVELS, y >> CELL_LEVELS) == (t.x, t.y)).then_some((y % CELLS) * CELLS + x % CELLS)
    }

    /// The cell `key` as a tile of zoom `z + 3`.
    pub fn cell_tile(&self, key: u32) -> TileId {
        let t = self.frame.tile;
        TileId { z: t.z + CELL_LEVELS, x: t.x * CELLS + key % CELLS, y: t.y * CELLS + key / CELLS }
    }

    /// Counts a point (world units) in its cell; returns the cell, or `None` (not counted) when
    /// the point is outside the tile.
    pub fn add(&mut self, world: (f64, f64), open: bool, overdue: bool) -> Option<u32> {
        let p = Fixed::from_world(world);
        let key = self.cell_of_fixed(p)?;
        let c = &mut self.cells[key as usize];
        c.count += 1;
        c.open += u32::from(open);
        c.overdue += u32::from(overdue);
        c.sum_x += u64::from(p.x);
        c.sum_y += u64::from(p.y);
        Some(key)
    }

    /// The cell `key`, to add counts summed elsewhere to (or take some off).
    pub fn cell_mut(&mut self, key: u32) -> &mut Cell {
        &mut self.cells[key as usize]
    }

    /// How many points the cell holds.
    pub fn count(&self, key: u32) -> u32 {
        self.cells.get(key as usize).map_or(0, |c| c.count)
    }

    /// The cells holding at least one point, top row first.
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        self.cells.iter().filter(|c| c.count > 0)
    }

    /// The MVT point of a cell's centroid.
    pub fn encode(&self, cell: &Cell) -> Option<tile::Feature> {
        let (x, y) = cell.centroid();
        self.frame.encode(&Geometry::Point(Point(Coord { x, y })), 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spatial::tiles::TileId;
    use crate::spatial::tiles::grid::lon_lat_to_world;

    fn grid() -> ClusterGrid {
        // z 11 over Đà Nẵng's centre.
        ClusterGrid::new(TileFrame::new(TileId::new(11, 1639, 931).unwrap()))
    }

    #[test]
    fn points_of_one_cell_are_counted_at_their_centroid() {
        let mut g = grid();
        let r = TileId::new(11, 1639, 931).unwrap().world_rect();
        let (w, h) = (r.width(), r.height());
        let at = |fx: f64, fy: f64| (r.min().x + fx * w, r.min().y + fy * h);
        assert_eq!(g.add(at(0.01, 0.01), true, true), Some(0));
        assert_eq!(g.add(at(0.03, 0.05), true, false), Some(0));
        assert_eq!(g.add(at(0.99, 0.99), false, false), Some(CELLS * CELLS - 1));
        let cells: Vec<&Cell> = g.cells().collect();
        assert_eq!(cells.len(), 2);
        assert_eq!((cells[0].count, cells[0].open, cells[0].overdue), (2, 2, 1));
        let (cx, cy) = cells[0].centroid();
        let (ex, ey) = at(0.02, 0.03);
        assert!((cx - ex).abs() < 1e-9 && (cy - ey).abs() < 1e-9, "{cx} {cy}");
        assert_eq!((cells[1].key, cells[1].count, cells[1].open), (63, 1, 0));
    }

    #[test]
    fn a_point_belongs_to_one_tile_only() {
        let t = TileId::new(11, 1639, 931).unwrap();
        let r = t.world_rect();
        let on_edge = (r.max().x, r.min().y + r.height() / 2.0);
        let east = ClusterGrid::new(TileFrame::new(TileId::new(11, 1640, 931).unwrap()));
        assert_eq!(grid().cell_of(on_edge), None, "the east edge is the next tile's");
        assert_eq!(east.cell_of(on_edge), Some(4 * CELLS));
        let far = lon_lat_to_world(105.8, 21.0); // Hà Nội
        assert_eq!(grid().cell_of(far), None);
    }

    #[test]
    fn the_same_points_in_another_order_give_the_same_cells() {
        let pts: Vec<(f64, f64)> = (0..500)
            .map(|i| lon_lat_to_world(108.15 + f64::from(i % 37) * 0.001, 16.02 + f64::from(i % 23) * 0.001))
            .collect();
        let mut a = grid();
        let mut b = grid();
        for p in &pts {
            a.add(*p, true, false);
        }
        for p in pts.iter().rev() {
            b.add(*p, true, false);
        }
        assert_eq!(a.cells().copied().collect::<Vec<_>>(), b.cells().copied().collect::<Vec<_>>());
        assert_eq!(a.cells().map(|c| c.count).sum::<u32>(), 500);
    }
}
