//! Grid clusters for point layers at low zoom: a tile is cut into [`CELLS`] × [`CELLS`] cells
//! (each cell is the tile of zoom `z + 3` at that place, 64 screen pixels on a 512-pixel tile),
//! and the points of a cell are counted, with their open and overdue shares, at the cell's
//! centroid. Cells are aligned to the tile grid, so every point belongs to exactly one cell of
//! exactly one tile at each zoom: the counts of a map's tiles add up to the points on it,
//! never twice a point near a tile's edge.
//!
//! Pure: [`ClusterGrid`] takes positions in world units and gives cells; the tickets source
//! (`service/tiles/tickets.rs`) decides what a point is and which cells become clusters.

use geo::{Coord, Geometry, Point};
use geozero::mvt::tile;

use super::encode::{EXTENT, TileFrame};

/// Cells per tile side (8: 512 tile units, 64 pixels of a 512-pixel tile).
pub const CELLS: u32 = 8;
const CELL_UNITS: f64 = EXTENT as f64 / CELLS as f64;
/// Fixed-point sub-units per tile unit for the centroid sums: integer sums do not depend on the
/// order the points come in, so the same points give the same bytes (and ETag).
const SUB: f64 = 256.0;

/// One cell's points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    /// `row * CELLS + column`, row 0 at the top.
    pub key: u32,
    pub count: u32,
    pub open: u32,
    pub overdue: u32,
    sum_x: i64,
    sum_y: i64,
}

impl Cell {
    /// The centroid of the cell's points, in tile units (`0..EXTENT`, `y` down).
    pub fn centroid(&self) -> (f64, f64) {
        let n = f64::from(self.count.max(1)) * SUB;
        (self.sum_x as f64 / n, self.sum_y as f64 / n)
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

    /// The cell holding a world position, or `None` when it is outside the tile itself (its
    /// buffer belongs to the neighbours). The tile is half-open: a point on the east or south
    /// edge belongs to the next tile.
    pub fn cell_of(&self, world: (f64, f64)) -> Option<u32> {
        let p = self.frame.to_px(Coord { x: world.0, y: world.1 });
        let e = f64::from(EXTENT);
        if !(0.0..e).contains(&p.x) || !(0.0..e).contains(&p.y) {
            return None;
        }
        let col = ((p.x / CELL_UNITS) as u32).min(CELLS - 1);
        let row = ((p.y / CELL_UNITS) as u32).min(CELLS - 1);
        Some(row * CELLS + col)
    }

    /// Counts a point (world units) in its cell; returns the cell, or `None` (not counted) when
    /// the point is outside the tile.
    pub fn add(&mut self, world: (f64, f64), open: bool, overdue: bool) -> Option<u32> {
        let key = self.cell_of(world)?;
        let p = self.frame.to_px(Coord { x: world.0, y: world.1 });
        let c = &mut self.cells[key as usize];
        c.count += 1;
        c.open += u32::from(open);
        c.overdue += u32::from(overdue);
        c.sum_x += (p.x * SUB).round() as i64;
        c.sum_y += (p.y * SUB).round() as i64;
        Some(key)
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
        self.frame.encode(&Geometry::Point(Point(self.frame.to_world(Coord { x, y }))), 0.0)
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
        assert!((cx - 0.02 * 4096.0).abs() < 0.01 && (cy - 0.03 * 4096.0).abs() < 0.01, "{cx} {cy}");
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
