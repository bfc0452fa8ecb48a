//! The map wall's tickets counted per grid cell, kept by every change like the key figures, so
//! that a ticket tile of the city's zoom sums a few hundred cells instead of reading every
//! ticket under it (at a million tickets, the city centre's z 11 tile holds 400 000).
//!
//! A cell is the tile of zoom [`CELL_ZOOM`] (about 1.2 km wide here): the cells of every tile
//! up to zoom [`CELL_ZOOM`] − 3 (those the wall draws as clusters) are whole groups of them.
//! Each holds what [`crate::spatial::tiles::ClusterGrid`] counts of its tickets: how many are on
//! the wall, how many of those are open, how many are overdue, and the sums of their
//! [`Fixed`] positions (for the centroid). On the wall are the open tickets and the closed ones
//! received or closed in the last [`WALL_RECENT_HOURS`].
//!
//! Both time-dependent parts are kept as of the index's clock ([`Cells::advance`], moved at
//! every event) and corrected at the instant a tile is read: the overdue count holds the
//! tickets of the index's overdue list, and a reader adds those of the deadline queue that came
//! due since the clock; the closed tickets counted wait in a queue by the instant they leave
//! the wall, and a reader takes off those that left since the clock.
//!
//! Memory: one entry per cell that holds a ticket (a city has a few thousand), and one per
//! closed ticket still on the wall (a day's closures); nothing per open ticket.

use std::collections::{BTreeMap, BTreeSet};

use super::compact::Compact;
use super::lateness::Lateness;
use crate::spatial::tiles::grid::lon_lat_to_world;
use crate::spatial::tiles::{CELL_LEVELS, ClusterGrid, Fixed};

/// The zoom of the counted cells: the cells of a zoom-12 tile.
pub const CELL_ZOOM: u8 = 15;
/// Closed tickets stay on the map wall this long after they were received or closed.
pub const WALL_RECENT_HOURS: i64 = 24;
const RECENT_US: i64 = WALL_RECENT_HOURS * 3_600_000_000;

/// One cell's figures as of the clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Figures {
    count: u32,
    open: u32,
    /// Open tickets in the index's overdue list.
    late: u32,
    sum_x: u64,
    sum_y: u64,
}

/// The counted cells (see the module doc).
#[derive(Debug, Default)]
pub(super) struct Cells {
    /// By the cell's tile `(x, y)` at [`CELL_ZOOM`]; cells without tickets are dropped.
    figures: BTreeMap<(u32, u32), Figures>,
    /// The closed tickets counted, by (the last microsecond they are on the wall, slot).
    recent: BTreeSet<(i64, u32)>,
    /// The clock (µs): no closed ticket counted left the wall before it.
    clock: i64,
}

fn fixed(e: &Compact) -> Fixed {
    Fixed::from_world(lon_lat_to_world(e.lon, e.lat))
}

/// The last microsecond a closed ticket is on the wall.
fn leaves(e: &Compact) -> i64 {
    e.received.max(e.resolved).saturating_add(RECENT_US)
}

impl Cells {
    /// The figures of every entry of the slab at `now` (µs), with the overdue list of `lateness`
    /// (advanced to `now`).
    pub(super) fn build(slab: &[Compact], lateness: &Lateness, now: i64) -> Self {
        let mut cells = Self { clock: now, ..Self::default() };
        for slot in 0..slab.len() as u32 {
            if !slab[slot as usize].vacant() {
                cells.add(slab, slot, lateness.is_late(slab, slot));
            }
        }
        cells
    }

    /// Counts the entry in `slot` (`late`: it is in the overdue list).
    pub(super) fn add(&mut self, slab: &[Compact], slot: u32, late: bool) {
        let e = &slab[slot as usize];
        let open = e.is_open();
        if !open {
            let until = leaves(e);
            if until < self.clock {
                return;
            }
            self.recent.insert((until, slot));
        }
        self.change(e, |f, p| {
            f.count += 1;
            f.open += u32::from(open);
            f.late += u32::from(late);
            f.sum_x += u64::from(p.x);
            f.sum_y += u64::from(p.y);
        });
    }

    /// Takes out `e`, the entry `slot` held when it was counted (`late` as it was then).
    pub(super) fn take(&mut self, e: &Compact, slot: u32, late: bool) {
        let open = e.is_open();
        if !open && !self.recent.remove(&(leaves(e), slot)) {
            return;
        }
        self.change(e, |f, p| {
            f.count -= 1;
            f.open -= u32::from(open);
            f.late -= u32::from(late);
            f.sum_x -= u64::from(p.x);
            f.sum_y -= u64::from(p.y);
        });
    }

    fn change(&mut self, e: &Compact, f: impl FnOnce(&mut Figures, Fixed)) {
        let p = fixed(e);
        let key = p.tile_at(CELL_ZOOM);
        let cell = self.figures.entry(key).or_default();
        f(cell, p);
        if cell.count == 0 {
            self.figures.remove(&key);
        }
    }

    /// Moves the clock to `now` (µs): the slots in `came_late` joined the overdue list, and the
    /// closed tickets that left the wall before `now` are taken out.
    pub(super) fn advance(&mut self, slab: &[Compact], now: i64, came_late: &[u32]) {
        for &slot in came_late {
            self.change(&slab[slot as usize], |f, _| f.late += 1);
        }
        if now <= self.clock {
            return;
        }
        self.clock = now;
        while let Some(&(until, slot)) = self.recent.first().filter(|(until, _)| *until < now) {
            self.recent.remove(&(until, slot));
            let e = &slab[slot as usize];
            self.change(e, |f, p| {
                f.count -= 1;
                f.sum_x -= u64::from(p.x);
                f.sum_y -= u64::from(p.y);
            });
        }
    }

    /// Fills `grid` (empty) with the wall's tickets in its tile at `now` (µs), every ticket
    /// counted (no scope). `None` when the figures cannot say: the tile is deeper than
    /// [`CELL_ZOOM`] − 3, or `now` is before the clock.
    pub(super) fn fill(&self, grid: &mut ClusterGrid, slab: &[Compact], lateness: &Lateness, now: i64) -> Option<()> {
        let tile = grid.tile();
        if tile.z + CELL_LEVELS > CELL_ZOOM || now < self.clock {
            return None;
        }
        // The tile's cells at CELL_ZOOM: `side` columns from x0, `side` rows from y0; a counted
        // cell lies in the grid's cell `(x, y) >> down`.
        let down = CELL_ZOOM - tile.z - CELL_LEVELS;
        let side = 1u32 << (CELL_ZOOM - tile.z);
        let (x0, y0) = (tile.x * side, tile.y * side);
        let columns = self.figures.range((x0, 0)..(x0 + side, 0));
        for (&(cx, cy), f) in columns.filter(|((_, cy), _)| (y0..y0 + side).contains(cy)) {
            if let Some(key) = grid.cell_of_tile((cx >> down, cy >> down)) {
                let c = grid.cell_mut(key);
                c.count += f.count;
                c.open += f.open;
                c.overdue += f.late;
                c.sum_x += f.sum_x;
                c.sum_y += f.sum_y;
            }
        }
        // Since the clock: tickets that came due, and closed ones that left the wall.
        for slot in lateness.due_before(now) {
            let e = &slab[slot as usize];
            if e.is_overdue(now)
                && let Some(key) = grid.cell_of_fixed(fixed(e))
            {
                grid.cell_mut(key).overdue += 1;
            }
        }
        for &(_, slot) in self.recent.range(..(now, 0)) {
            let e = &slab[slot as usize];
            let p = fixed(e);
            if let Some(key) = grid.cell_of_fixed(p) {
                let c = grid.cell_mut(key);
                c.count -= 1;
                c.sum_x -= u64::from(p.x);
                c.sum_y -= u64::from(p.y);
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use rand::{Rng, SeedableRng, rngs::StdRng};
    use uuid::Uuid;

    use super::WALL_RECENT_HOURS;
    use crate::domain::{CategoryCode, Location, Priority, Status, TicketCode, TicketId};
    use crate::spatial::tiles::grid::lon_lat_to_world;
    use crate::spatial::tiles::{Cell, ClusterGrid, Fixed, TileFrame, TileId};
    use crate::spatial::{TicketEntry, TicketIndex};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0).unwrap()
    }

    /// A ticket received in the three days before `t0`, due within four days of receipt (so some
    /// come due while the test's clock moves), closed ones closed up to a day after receipt.
    fn random_entry(rng: &mut StdRng, id: TicketId) -> TicketEntry {
        let received_at = t0() - Duration::minutes(rng.random_range(0..3 * 24 * 60));
        let status = Status::ALL[rng.random_range(0..Status::ALL.len())];
        // One in five at one of a few points, so that cells and tiles share tickets.
        let location = if rng.random_bool(0.2) {
            Location { lon: 108.2 + f64::from(rng.random_range(0..4)) * 0.01, lat: 16.06 }
        } else {
            Location { lon: rng.random_range(107.9..108.35), lat: rng.random_range(15.9..16.2) }
        };
        TicketEntry {
            id,
            code: TicketCode(id.0.to_string()),
            location,
            status,
            category: CategoryCode::parse("pothole", "c").unwrap(),
            area: None,
            unit: None,
            priority: Priority::Normal,
            received_at,
            deadline: received_at + Duration::minutes(rng.random_range(0..4 * 24 * 60)),
            resolved_at: (!status.is_open()).then(|| received_at + Duration::minutes(rng.random_range(0..24 * 60))),
            version: 1,
            supporters: 0,
        }
    }

    /// The cells of `tile` counted from every ticket, one by one (the tile encoder's way).
    fn one_by_one(index: &TicketIndex, tile: TileId, now: DateTime<Utc>) -> Vec<Cell> {
        let mut grid = ClusterGrid::new(TileFrame::new(tile));
        for e in index.entries().filter(|e| e.open_or_since(now - Duration::hours(WALL_RECENT_HOURS))) {
            let l = e.location();
            grid.add(lon_lat_to_world(l.lon, l.lat), e.status().is_open(), e.is_overdue(now));
        }
        grid.cells().copied().collect()
    }

    fn from_cells(index: &TicketIndex, tile: TileId, now: DateTime<Utc>) -> Option<Vec<Cell>> {
        let mut grid = ClusterGrid::new(TileFrame::new(tile));
        index.wall_cells(&mut grid, now).then(|| grid.cells().copied().collect())
    }

    /// Every tile of zooms 3, 8, 11 and 12 over the tickets' box: the same cells both ways.
    fn assert_same(index: &TicketIndex, now: DateTime<Utc>, when: &str) {
        for z in [3u8, 8, 11, 12] {
            let corner = |lon, lat| Fixed::from_world(lon_lat_to_world(lon, lat)).tile_at(z);
            let ((x0, y0), (x1, y1)) = (corner(107.9, 16.2), corner(108.35, 15.9));
            for x in x0..=x1 {
                for y in y0..=y1 {
                    let tile = TileId::new(z, x, y).unwrap();
                    let counted = from_cells(index, tile, now).unwrap_or_else(|| panic!("{when}: {tile} counted"));
                    assert_eq!(counted, one_by_one(index, tile, now), "{when}: tile {tile}");
                }
            }
        }
    }

    #[test]
    fn the_cells_kept_by_every_change_count_what_the_tickets_themselves_give() {
        let mut rng = StdRng::seed_from_u64(13);
        let mut ids: Vec<TicketId> = (0..3000).map(|_| TicketId(Uuid::from_u128(rng.random()))).collect();
        let mut index = TicketIndex::bulk_load(ids.iter().map(|&id| random_entry(&mut rng, id)).collect());
        let tile = TileId::new(11, 1639, 931).unwrap();
        assert_eq!(from_cells(&index, tile, t0()), None, "no figures before the clock is set");
        let mut clock = t0();
        index.advance(clock);
        assert_same(&index, clock, "after the load");
        assert_same(&index, clock + Duration::hours(7), "7 h after the clock (deadlines passed, closures aged)");
        assert_eq!(from_cells(&index, tile, clock - Duration::seconds(1)), None, "an instant before the clock");
        for round in 0..20 {
            for _ in 0..100 {
                let i = rng.random_range(0..ids.len());
                match rng.random_range(0..10) {
                    // A new ticket.
                    0 => {
                        let id = TicketId(Uuid::from_u128(rng.random()));
                        ids.push(id);
                        index.upsert(random_entry(&mut rng, id));
                    }
                    1 => {
                        index.remove(ids.swap_remove(i));
                    }
                    // A change of status, place, deadline or closure.
                    _ => {
                        let Some(old) = index.get(ids[i]).map(|e| e.to_entry()) else { continue };
                        let mut e = random_entry(&mut rng, old.id);
                        e.version = old.version + 1;
                        if rng.random_bool(0.5) {
                            (e.location, e.received_at) = (old.location, old.received_at);
                        }
                        index.upsert(e);
                    }
                }
            }
            assert_same(&index, clock + Duration::minutes(rng.random_range(0..600)), &format!("round {round}"));
            clock += Duration::minutes(rng.random_range(0..180));
            index.advance(clock);
        }
        assert_same(&index, clock, "at the end");
        assert_same(&index, clock + Duration::days(2), "two days on, every closure off the wall");
    }
}
