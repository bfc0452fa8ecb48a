//! [`TicketIndex`]: every ticket (all statuses) in an R-tree keyed by its lon/lat position,
//! plus an id table and time-ordered lists. It is the query engine behind ticket listing, the
//! map wall, tiles and duplicate search; the database stays the source of truth.

use std::hash::BuildHasher;

use chrono::{DateTime, Utc};
use hashbrown::{DefaultHashBuilder, HashTable};
use rstar::primitives::GeomWithData;
use rstar::{AABB, Envelope, RStarInsertionStrategy, RTree, RTreeParams};

use super::envelope::{aabb, radius_envelope};
use super::{Region, TicketFilter};
use crate::domain::location::EARTH_RADIUS_M;
use crate::domain::{AreaCode, CategoryCode, Location, Priority, Status, Ticket, TicketCode, TicketId, UnitCode};
use crate::spatial::tiles::ClusterGrid;

mod cells;
mod compact;
mod lateness;
mod pages;

use cells::Cells;
pub use cells::{CELL_ZOOM, WALL_RECENT_HOURS};
pub use compact::EntryRef;
use compact::{Compact, Names, Parts, VACANT};
use lateness::Lateness;
pub use pages::Order;
use pages::{Compiled, Timelines, Within};

/// What the index keeps of a ticket: enough to place, filter and count it.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketEntry {
    pub id: TicketId,
    /// The public code (`DN-2611-000123`), for map layers and vector tiles.
    pub code: TicketCode,
    /// WGS84, lon/lat degrees.
    pub location: Location,
    pub status: Status,
    pub category: CategoryCode,
    /// The ticket's most specific area, if it fell in one.
    pub area: Option<AreaCode>,
    pub unit: Option<UnitCode>,
    pub priority: Priority,
    pub received_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The ticket's version; a change carrying an older version is ignored.
    pub version: i64,
    /// Citizens who support the report ("me too"); the index keeps up to 63.
    pub supporters: u32,
}

impl TicketEntry {
    pub fn from_ticket(t: &Ticket) -> Self {
        Self {
            id: t.id,
            code: t.code.clone(),
            location: t.location,
            status: t.status,
            category: t.category.clone(),
            area: t.area.clone(),
            unit: t.unit.clone(),
            priority: t.priority,
            received_at: t.received_at,
            deadline: t.deadline,
            resolved_at: t.resolved_at,
            version: t.version,
            supporters: t.supporters,
        }
    }

    /// Open and past its deadline at `now` (same rule as [`Ticket::is_overdue`]).
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status.is_open() && now > self.deadline
    }
}

/// A tree element: the position (lon, lat) rounded to `f32` and the entry's slot in
/// [`TicketIndex::slots`]. Kept small (12 bytes; 40 as a node of the tree, against 56 with
/// `f64`) so that the tree takes little memory and bulk loading and walks move little of it.
///
/// The tree only finds candidates; the slab holds the exact position. Rounding to nearest is
/// monotone, so a box whose bounds are rounded the same way ([`tree_box`]) holds the rounded
/// point of every position inside the exact box; a candidate on the rounded box's edge may be
/// just outside and is checked against the slab, one strictly inside is inside.
type Item = GeomWithData<[f32; 2], u32>;

/// The tree's node sizes. Every element takes a node's room in its parent (40 bytes, the size
/// of an inner node, whatever the element's own size), so the elements' cost is fixed; what
/// the node size changes is the inner nodes per element: about 40 / 4.5 bytes with rstar's
/// default (3 to 6 children), about 40 / 12 with 8 to 16. A query reads up to 16 small
/// elements per leaf instead of 6, which costs little against the fewer levels
/// (`cargo bench --bench index`, `cargo bench --bench index_memory`).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Nodes;

impl RTreeParams for Nodes {
    const MIN_SIZE: usize = 8;
    const MAX_SIZE: usize = 16;
    const REINSERTION_COUNT: usize = 4;
    type DefaultInsertionStrategy = RStarInsertionStrategy;
}

/// A position as the tree keeps it.
fn tree_point(p: [f64; 2]) -> [f32; 2] {
    [p[0] as f32, p[1] as f32]
}

/// The tree element of an entry in `slot`.
fn item(e: &Compact, slot: u32) -> Item {
    Item::new(tree_point(e.point()), slot)
}

/// The tree's box that holds the rounded point of every position in `b`.
pub(super) fn tree_box(b: &AABB<[f64; 2]>) -> AABB<[f32; 2]> {
    AABB::from_corners(tree_point(b.lower()), tree_point(b.upper()))
}

/// Whether a rounded point is strictly inside a rounded box (so its exact position is inside
/// the exact box).
fn strictly_inside(p: &[f32; 2], b: &AABB<[f32; 2]>) -> bool {
    let (lo, hi) = (b.lower(), b.upper());
    lo[0] < p[0] && p[0] < hi[0] && lo[1] < p[1] && p[1] < hi[1]
}

/// Tickets in an R-tree (lon/lat degrees), an id table and time-ordered lists.
///
/// Storage: the entries live in a slab (`slots`) of 76-byte [`Compact`] values whose codes are
/// numbers into [`Names`]; the tree holds (position rounded to `f32`, slot); the id table holds
/// only slots (it finds an id through the slab); [`Timelines`] hold slots in receipt order per
/// status, area and unit, and [`Lateness`] the open ones by lateness, for pages ([`Self::page`]).
/// After [`Self::bulk_load`] the slab is in the tree's depth-first order, so the entries of one
/// area of the map sit together in memory. Freed slots are reused. `cargo bench --bench
/// index_memory` counts the bytes a ticket takes in all.
///
/// Costs (n tickets): `get` O(1), `upsert`/`remove` O(log n) (a change that keeps the position
/// does not touch the tree, one that keeps the receipt time, status, area and unit does not
/// touch the lists), `query` O(log n + hits), `page` see [`Self::page`], `nearest` see
/// [`TicketIndex::nearest`].
#[derive(Debug, Default)]
pub struct TicketIndex {
    tree: RTree<Item, Nodes>,
    slots: Vec<Compact>,
    /// Empty slots, reused by the next insert.
    free: Vec<u32>,
    ids: HashTable<u32>,
    hasher: DefaultHashBuilder,
    names: Names,
    timelines: Timelines,
    lateness: Lateness,
    /// The map wall's tickets per grid cell, from the first [`Self::advance`] on (the clock
    /// tells which closed tickets are still on the wall).
    cells: Option<Cells>,
}

/// A [`TicketIndex::bulk_load`] in steps: the tickets are taken in one at a time (only what
/// the index keeps of each, its codes interned), then [`Self::finish`] builds the tree, the id
/// table and the lists at once.
#[derive(Debug, Default)]
pub struct Loader {
    names: Names,
    loaded: Vec<Compact>,
}

impl Loader {
    /// Takes a stored ticket in (its text is not copied).
    pub fn ticket(&mut self, t: &Ticket) {
        self.add(t.into());
    }

    fn add(&mut self, parts: Parts<'_>) {
        self.loaded.push(Compact::new(parts, &mut self.names));
    }

    /// The index of every ticket taken in (the highest version of an id; the later on a tie).
    pub fn finish(self) -> TicketIndex {
        let Self { names, mut loaded } = self;
        let hasher = DefaultHashBuilder::default();
        let mut ids: HashTable<u32> = HashTable::with_capacity(loaded.len());
        for i in 0..loaded.len() {
            let id = loaded[i].id;
            match ids.find_mut(hasher.hash_one(id), |&j| loaded[j as usize].id == id) {
                Some(j) if loaded[*j as usize].version > loaded[i].version => loaded[i].status = VACANT,
                Some(j) => loaded[std::mem::replace(j, i as u32) as usize].status = VACANT,
                None => {
                    ids.insert_unique(hasher.hash_one(id), i as u32, |&j| hasher.hash_one(loaded[j as usize].id));
                }
            }
        }
        let items: Vec<Item> = (0..loaded.len() as u32)
            .filter(|&i| !loaded[i as usize].vacant())
            .map(|i| item(&loaded[i as usize], i))
            .collect();
        let mut tree = RTree::bulk_load_with_params(items);
        // Renumber the slots in the tree's depth-first order and lay the slab out the same way.
        // The id table keeps its places (the ids did not change); only the slots it holds move.
        let mut slots = Vec::with_capacity(ids.len());
        let mut moved_to = vec![u32::MAX; loaded.len()];
        for item in tree.iter_mut() {
            slots.push(loaded[item.data as usize]);
            moved_to[item.data as usize] = (slots.len() - 1) as u32;
            item.data = (slots.len() - 1) as u32;
        }
        drop(loaded);
        ids.iter_mut().for_each(|s| *s = moved_to[*s as usize]);
        let timelines = Timelines::build(&slots);
        let lateness = Lateness::build(&slots);
        TicketIndex { tree, slots, free: Vec::new(), ids, hasher, names, timelines, lateness, cells: None }
    }
}

/// What [`TicketIndex::upsert`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Upserted {
    /// The ticket was not in the index.
    New,
    /// The ticket replaced this older (or equal) version of itself.
    Replaced(TicketEntry),
    /// The entry was older than the stored version and was ignored.
    Stale,
}

impl Upserted {
    /// Whether the entry is now in the index.
    pub fn applied(&self) -> bool {
        !matches!(self, Upserted::Stale)
    }

    /// The entry that was replaced, if any.
    pub fn replaced(&self) -> Option<&TicketEntry> {
        match self {
            Upserted::Replaced(old) => Some(old),
            _ => None,
        }
    }
}

impl TicketIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds the index in one go (R-tree bulk loading: O(n log n), far faster than n inserts).
    /// When an id occurs more than once, the highest `version` wins (the later one on a tie),
    /// as if the entries had been upserted in order.
    pub fn bulk_load(entries: Vec<TicketEntry>) -> Self {
        let mut loader = Loader::default();
        entries.iter().for_each(|e| loader.add(e.into()));
        loader.finish()
    }

    /// A bulk load fed one stored ticket at a time ([`Loader::ticket`]), built by
    /// [`Loader::finish`]: the tickets themselves need not be kept meanwhile. `expected`
    /// tickets are made room for at once.
    pub fn loader(expected: usize) -> Loader {
        Loader { names: Names::default(), loaded: Vec::with_capacity(expected) }
    }

    /// Number of tickets.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Every entry, in slab order (no particular order).
    pub fn entries(&self) -> impl Iterator<Item = EntryRef<'_>> {
        self.slots.iter().filter(|e| !e.vacant()).map(|e| EntryRef { e, names: &self.names })
    }

    /// The entry of a ticket. O(1).
    pub fn get(&self, id: TicketId) -> Option<EntryRef<'_>> {
        self.slot_of(id).map(|s| self.entry_ref(s))
    }

    fn slot_of(&self, id: TicketId) -> Option<u32> {
        self.ids.find(self.hasher.hash_one(id), |&s| self.slots[s as usize].id == id).copied()
    }

    fn entry_ref(&self, slot: u32) -> EntryRef<'_> {
        EntryRef { e: &self.slots[slot as usize], names: &self.names }
    }

    /// Inserts a ticket, or replaces the stored one if `entry.version` is at least the stored
    /// version. Returns what it replaced, so a caller can update what depends on the old
    /// state (tiles where the ticket was, per-area counters), or [`Upserted::Stale`] when the
    /// entry was older than the stored one and was ignored.
    /// O(log n) when the position changes or the ticket is new, O(1) plus the lists otherwise.
    pub fn upsert(&mut self, entry: TicketEntry) -> Upserted {
        let new = Compact::new((&entry).into(), &mut self.names);
        let Some(slot) = self.slot_of(entry.id) else {
            let slot = match self.free.pop() {
                Some(s) => s,
                None => {
                    self.slots.push(new);
                    (self.slots.len() - 1) as u32
                }
            };
            self.slots[slot as usize] = new;
            let (slots, hasher) = (&self.slots, &self.hasher);
            self.ids.insert_unique(hasher.hash_one(new.id), slot, |&s| hasher.hash_one(slots[s as usize].id));
            self.tree.insert(item(&new, slot));
            self.timelines.add(&self.slots, slot);
            self.lateness.add(&self.slots, slot);
            if let Some(cells) = &mut self.cells {
                cells.add(&self.slots, slot, self.lateness.is_late(&self.slots, slot));
            }
            return Upserted::New;
        };
        let old = self.slots[slot as usize];
        if i64::from(old.version) > entry.version {
            return Upserted::Stale;
        }
        if tree_point(old.point()) != tree_point(new.point()) {
            self.tree.remove(&item(&old, slot));
            self.tree.insert(item(&new, slot));
        }
        let unmoved = Timelines::unmoved(&old, &new);
        let same_lateness = Lateness::unmoved(&old, &new);
        let was_late = self.lateness.is_late(&self.slots, slot);
        if !unmoved {
            self.timelines.take(&self.slots, slot);
        }
        if !same_lateness {
            self.lateness.take(&self.slots, slot);
        }
        self.slots[slot as usize] = new;
        if !unmoved {
            self.timelines.add(&self.slots, slot);
        }
        if !same_lateness {
            self.lateness.add(&self.slots, slot);
        }
        if let Some(cells) = &mut self.cells {
            cells.take(&old, slot, was_late);
            cells.add(&self.slots, slot, self.lateness.is_late(&self.slots, slot));
        }
        Upserted::Replaced(EntryRef { e: &old, names: &self.names }.to_entry())
    }

    /// Removes a ticket; returns its entry if it was there. O(log n).
    pub fn remove(&mut self, id: TicketId) -> Option<TicketEntry> {
        let slot = self.slot_of(id)?;
        let old = self.slots[slot as usize];
        if let Some(cells) = &mut self.cells {
            cells.take(&old, slot, self.lateness.is_late(&self.slots, slot));
        }
        self.timelines.take(&self.slots, slot);
        self.lateness.take(&self.slots, slot);
        self.tree.remove(&item(&old, slot));
        let (slots, hasher) = (&self.slots, &self.hasher);
        if let Ok(found) = self.ids.find_entry(hasher.hash_one(id), |&s| slots[s as usize].id == id) {
            found.remove();
        }
        self.slots[slot as usize].status = VACANT;
        self.free.push(slot);
        Some(EntryRef { e: &old, names: &self.names }.to_entry())
    }

    /// Moves the index's clock to `now`: open tickets whose deadline has passed join the list
    /// of overdue ones that pages of overdue tickets read. The clock only moves forward; a page
    /// asked at a later instant also reads the few that came due since. The first call counts
    /// the map wall's tickets per grid cell ([`Self::wall_cells`]), which later ones keep.
    pub fn advance(&mut self, now: DateTime<Utc>) {
        let now = now.timestamp_micros();
        let came_late = self.lateness.advance(&self.slots, now);
        match &mut self.cells {
            Some(cells) => cells.advance(&self.slots, now, &came_late),
            None => self.cells = Some(Cells::build(&self.slots, &self.lateness, now)),
        }
    }

    /// Fills `grid` (empty) with the map wall's tickets in its tile at `now`, every ticket
    /// counted (no filter): on the wall are the open tickets and those received or closed in
    /// the last [`WALL_RECENT_HOURS`]; `overdue` counts the open ones past their deadline. Reads
    /// the cells kept by every change, not the tickets: O(cells of the tile + tickets that came
    /// due or left the wall since the last [`Self::advance`]). `false` (the grid untouched) for a
    /// tile deeper than [`CELL_ZOOM`] − 3, before the first [`Self::advance`], or for an instant
    /// before the clock; then count the tickets themselves.
    pub fn wall_cells(&self, grid: &mut ClusterGrid, now: DateTime<Utc>) -> bool {
        let Some(cells) = &self.cells else { return false };
        cells.fill(grid, &self.slots, &self.lateness, now.timestamp_micros()).is_some()
    }

    /// Open tickets whose deadline is before `until` (those overdue at `until`), in no
    /// particular order. Reads the overdue list and the deadline queue up to `until`, not every
    /// ticket.
    pub fn due_before(&self, until: DateTime<Utc>) -> Vec<EntryRef<'_>> {
        let until = until.timestamp_micros();
        let late = self.lateness.late().iter().copied();
        late.chain(self.lateness.due_before(until))
            .map(|s| self.entry_ref(s))
            .filter(|e| e.e.deadline < until)
            .collect()
    }

    /// Every entry in `region` that `filter` matches, in no particular order.
    /// Cost: O(log n + k) tree work for k entries in the region's box, plus one haversine per
    /// box hit for [`Region::Near`].
    pub fn query(&self, region: &Region, filter: &TicketFilter) -> Vec<EntryRef<'_>> {
        let mut out = Vec::new();
        self.visit(region, filter, |s| out.push(self.entry_ref(s)));
        out
    }

    /// How many entries [`Self::query`] would return, without collecting them.
    pub fn count(&self, region: &Region, filter: &TicketFilter) -> usize {
        if filter.is_match_all() {
            match region {
                Region::All => return self.len(),
                Region::BBox(b) => return self.in_box(&aabb(b)).count(),
                Region::Near { .. } => {}
            }
        }
        let mut n = 0;
        self.visit(region, filter, |_| n += 1);
        n
    }

    /// Whether `region` holds more than `n` entries (any status): stops at the `n + 1`th, so
    /// asking about a few costs a few whatever the region holds.
    pub fn more_than(&self, region: &Region, n: usize) -> bool {
        match region {
            Region::BBox(b) => {
                let exact = aabb(b);
                self.in_box(&exact).take(n + 1).count() > n
            }
            _ => self.count(region, &TicketFilter::default()) > n,
        }
    }

    /// The slots of the entries whose exact position is in `b`: only those on the rounded box's
    /// edge are read from the slab.
    fn in_box<'a>(&'a self, b: &'a AABB<[f64; 2]>) -> impl Iterator<Item = u32> + 'a {
        let rounded = tree_box(b);
        self.tree.locate_in_envelope(&rounded).filter_map(move |i| {
            (strictly_inside(i.geom(), &rounded) || b.contains_point(&self.slots[i.data as usize].point()))
                .then_some(i.data)
        })
    }

    /// Calls `f` with the slot of every match.
    fn visit(&self, region: &Region, filter: &TicketFilter, mut f: impl FnMut(u32)) {
        let compiled = Compiled::new(filter, &self.names);
        let within = Within::new(region);
        let mut take = |slot: u32| {
            let e = &self.slots[slot as usize];
            if compiled.matches(e) && within.contains(e) {
                f(slot)
            }
        };
        match within.bbox() {
            Some(b) => self.tree.locate_in_envelope(&tree_box(b)).for_each(|i| take(i.data)),
            None if matches!(within, Within::All) => (0..self.slots.len() as u32).for_each(take),
            None => {}
        }
    }

    /// The `k` entries matching `filter` nearest to `center` by haversine distance (metres),
    /// nearest first (ties by id), at most `max_radius_m` away if given.
    ///
    /// The R-tree orders by distance in lon/lat degrees, which is not the order in metres (a
    /// degree of longitude is shorter than one of latitude away from the equator), so its
    /// nearest-neighbour iterator is not used. Instead the search gathers candidates in growing
    /// circles: for a radius `r` it reads the conservative box of the circle, keeps entries with
    /// haversine distance ≤ `r`, and stops once it has `k` of them — every entry left out is
    /// further than `r`, so these are the true nearest — or once `r` reaches `max_radius_m` or the
    /// box covers the whole tree. `r` starts from the tree's mean density and doubles each round,
    /// so the rounds cost at most about 4/3 of the last one: O(log n + m) for the m entries in
    /// the final box.
    pub fn nearest(
        &self,
        center: Location,
        k: usize,
        filter: &TicketFilter,
        max_radius_m: Option<f64>,
    ) -> Vec<(EntryRef<'_>, f64)> {
        if k == 0 || self.tree.size() == 0 || max_radius_m.is_some_and(|m| m.is_nan() || m < 0.0) {
            return Vec::new();
        }
        let bounds = self.tree.root().envelope();
        let bounds = AABB::from_corners(bounds.lower().map(f64::from), bounds.upper().map(f64::from));
        let mut r = self.initial_radius(&bounds, k);
        if let Some(max) = max_radius_m {
            r = r.min(max);
        }
        let compiled = Compiled::new(filter, &self.names);
        loop {
            let Some(env) = radius_envelope(center, r) else { return Vec::new() };
            let env = tree_box(&aabb(&env));
            let covers_all = env.contains_envelope(&self.tree.root().envelope());
            let last = covers_all || max_radius_m.is_some_and(|m| r >= m);
            // Once the box holds every entry, any distance up to the caller's limit is final.
            let limit = if covers_all { max_radius_m.unwrap_or(f64::INFINITY) } else { r };
            // (slot, metres) of the matching entries within the limit; with no attribute filter
            // the entries themselves are only read for the final k.
            let found: Vec<(u32, f64)> = self
                .tree
                .locate_in_envelope(&env)
                .filter_map(|i| {
                    let e = &self.slots[i.data as usize];
                    let d = center.distance_m(&Location { lon: e.lon, lat: e.lat });
                    let keep = d <= limit && compiled.matches(e);
                    keep.then_some((i.data, d))
                })
                .collect();
            if found.len() >= k || last {
                return self.k_smallest(found, k);
            }
            r *= 2.0;
            if let Some(max) = max_radius_m {
                r = r.min(max);
            }
        }
    }

    /// The `k` nearest of `found` as entries, nearest first, ties broken by id (including ties
    /// at the k-th place). O(m + t log t) for m candidates and t ≥ k at or within the k-th distance.
    fn k_smallest(&self, mut found: Vec<(u32, f64)>, k: usize) -> Vec<(EntryRef<'_>, f64)> {
        if found.len() > k {
            found.select_nth_unstable_by(k - 1, |a, b| a.1.total_cmp(&b.1));
            let kth = found[k - 1].1;
            found.retain(|c| c.1 <= kth);
        }
        let mut out: Vec<(EntryRef<'_>, f64)> = found.into_iter().map(|(slot, d)| (self.entry_ref(slot), d)).collect();
        out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.id().cmp(&b.0.id())));
        out.truncate(k);
        out
    }

    /// A first guess of the radius: one that would hold about `2k` entries if they were spread
    /// evenly over `bounds` (so that one round usually suffices).
    fn initial_radius(&self, bounds: &AABB<[f64; 2]>, k: usize) -> f64 {
        let [min_lon, min_lat] = bounds.lower();
        let [max_lon, max_lat] = bounds.upper();
        let m_per_deg = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        let mid_lat = 0.5 * (min_lat + max_lat);
        let w = (max_lon - min_lon) * m_per_deg * mid_lat.to_radians().cos().max(0.01);
        let h = (max_lat - min_lat) * m_per_deg;
        let per_entry = (w.max(1.0) * h.max(1.0)) / self.tree.size() as f64;
        (2.0 * k as f64 * per_entry / std::f64::consts::PI).sqrt().max(10.0)
    }
}

#[cfg(test)]
mod tests;
