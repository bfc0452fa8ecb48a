//! [`TicketIndex`]: every ticket (all statuses) in an R-tree keyed by its lon/lat position,
//! plus an id map and live per-area counters. It is the query engine behind ticket listing,
//! the map wall and duplicate search; the database stays the source of truth.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rstar::{AABB, Envelope, RTree, RTreeObject, SelectionFunction};
use uuid::Uuid;

use super::envelope::{aabb, radius_envelope};
use super::{Region, StatusCounts, TicketFilter};
use crate::domain::location::EARTH_RADIUS_M;
use crate::domain::{AreaCode, CategoryCode, Location, Priority, Status, Ticket, TicketId, UnitCode};

/// What the index keeps of a ticket: enough to place, filter and count it.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketEntry {
    pub id: TicketId,
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
}

impl TicketEntry {
    pub fn from_ticket(t: &Ticket) -> Self {
        Self {
            id: t.id,
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
        }
    }

    /// Open and past its deadline at `now` (same rule as [`Ticket::is_overdue`]).
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status.is_open() && now > self.deadline
    }

    fn point(&self) -> [f64; 2] {
        [self.location.lon, self.location.lat]
    }
}

/// A tree element: the entry itself, so that a query walks the tree's leaves without chasing
/// pointers. `get` by id goes through the point kept in [`TicketIndex::points`].
#[derive(Debug, Clone)]
struct Item(TicketEntry);

impl RTreeObject for Item {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_point(self.0.point())
    }
}

/// Selects the one tree element with this id at this exact point (rstar removes by envelope).
struct AtPointWithId {
    point: [f64; 2],
    id: TicketId,
}

impl SelectionFunction<Item> for AtPointWithId {
    fn should_unpack_parent(&self, envelope: &AABB<[f64; 2]>) -> bool {
        envelope.contains_point(&self.point)
    }
    fn should_unpack_leaf(&self, leaf: &Item) -> bool {
        leaf.0.id == self.id && leaf.0.point() == self.point
    }
}

/// Tickets in an R-tree (lon/lat degrees) with an id map and per-area status counters.
///
/// Costs (n tickets): `get` O(log n) (id → point → tree), `upsert`/`remove` O(log n) plus
/// counter updates, `query` O(log n + hits), `nearest` see [`TicketIndex::nearest`].
/// The counters are maintained on every change, so reading them is free.
#[derive(Debug, Default)]
pub struct TicketIndex {
    tree: RTree<Item>,
    /// Where each ticket sits in the tree: removal needs the exact envelope.
    points: HashMap<TicketId, [f64; 2]>,
    counters: Counters,
}

/// The live counters, a field of their own so they can be updated while a tree slot is borrowed.
#[derive(Debug, Default)]
struct Counters {
    by_area: HashMap<AreaCode, StatusCounts>,
    /// Tickets with no area.
    unassigned: StatusCounts,
    /// Open tickets by (deadline, id), with their area: overdue counts read a prefix.
    open_deadlines: BTreeMap<(DateTime<Utc>, TicketId), Option<AreaCode>>,
}

impl TicketIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds the index in one go (R-tree bulk loading: O(n log n), far faster than n inserts).
    /// When an id occurs more than once, the highest `version` wins (the later one on a tie),
    /// as if the entries had been upserted in order.
    pub fn bulk_load(entries: Vec<TicketEntry>) -> Self {
        let mut latest: HashMap<TicketId, usize> = HashMap::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            match latest.get_mut(&e.id) {
                Some(j) if entries[*j].version > e.version => {}
                Some(j) => *j = i,
                None => {
                    latest.insert(e.id, i);
                }
            }
        }
        let mut index = Self::default();
        let keep_all = latest.len() == entries.len();
        let items: Vec<Item> = entries
            .into_iter()
            .enumerate()
            .filter(|(i, e)| keep_all || latest.get(&e.id) == Some(i))
            .map(|(_, e)| Item(e))
            .collect();
        index.points.reserve(items.len());
        for Item(e) in &items {
            index.points.insert(e.id, e.point());
            index.counters.count_in(e);
        }
        index.tree = RTree::bulk_load(items);
        index
    }

    /// Number of tickets.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The entry of a ticket. O(log n).
    pub fn get(&self, id: TicketId) -> Option<&TicketEntry> {
        let point = *self.points.get(&id)?;
        self.tree.locate_with_selection_function(AtPointWithId { point, id }).next().map(|i| &i.0)
    }

    /// Inserts a ticket, or replaces the stored one if `entry.version` is at least the stored
    /// version. Returns whether the entry was applied (`false`: it was stale and ignored).
    /// O(log n); a change that keeps the position is done in place.
    pub fn upsert(&mut self, entry: TicketEntry) -> bool {
        let Some(&old_point) = self.points.get(&entry.id) else {
            self.points.insert(entry.id, entry.point());
            self.counters.count_in(&entry);
            self.tree.insert(Item(entry));
            return true;
        };
        let select = || AtPointWithId { point: old_point, id: entry.id };
        if entry.point() == old_point {
            let Some(slot) = self.tree.locate_with_selection_function_mut(select()).next() else {
                unreachable!("ticket {} is in the id map but not in the tree", entry.id)
            };
            if slot.0.version > entry.version {
                return false;
            }
            let old = std::mem::replace(&mut slot.0, entry);
            self.counters.count_out(&old);
            self.counters.count_in(&slot.0);
            return true;
        }
        let stored = self.get(entry.id).map(|e| e.version);
        if stored.is_some_and(|v| v > entry.version) {
            return false;
        }
        if let Some(Item(old)) = self.tree.remove_with_selection_function(select()) {
            self.counters.count_out(&old);
        }
        self.points.insert(entry.id, entry.point());
        self.counters.count_in(&entry);
        self.tree.insert(Item(entry));
        true
    }

    /// Removes a ticket; returns its entry if it was there. O(log n).
    pub fn remove(&mut self, id: TicketId) -> Option<TicketEntry> {
        let point = self.points.remove(&id)?;
        let Item(old) = self.tree.remove_with_selection_function(AtPointWithId { point, id })?;
        self.counters.count_out(&old);
        Some(old)
    }

    /// Every entry in `region` that `filter` matches, in no particular order.
    /// Cost: O(log n + k) tree work for k entries in the region's box, plus one haversine per
    /// box hit for [`Region::Near`].
    pub fn query(&self, region: &Region, filter: &TicketFilter) -> Vec<&TicketEntry> {
        let mut out = Vec::new();
        self.visit(region, filter, |e| out.push(e));
        out
    }

    /// How many entries [`Self::query`] would return, without collecting them.
    pub fn count(&self, region: &Region, filter: &TicketFilter) -> usize {
        let mut n = 0;
        self.visit(region, filter, |_| n += 1);
        n
    }

    fn visit<'a>(&'a self, region: &Region, filter: &TicketFilter, mut f: impl FnMut(&'a TicketEntry)) {
        let all = filter.is_match_all();
        let mut take = |e: &'a TicketEntry| {
            if all || filter.matches(e) {
                f(e)
            }
        };
        match region {
            Region::All => self.tree.iter().for_each(|i| take(&i.0)),
            Region::BBox(b) => self.tree.locate_in_envelope(&aabb(b)).for_each(|i| take(&i.0)),
            Region::Near { center, radius_m } => {
                let Some(env) = radius_envelope(*center, *radius_m) else { return };
                for Item(e) in self.tree.locate_in_envelope(&aabb(&env)) {
                    if center.distance_m(&e.location) <= *radius_m {
                        take(e);
                    }
                }
            }
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
    ) -> Vec<(&TicketEntry, f64)> {
        if k == 0 || self.tree.size() == 0 || max_radius_m.is_some_and(|m| m.is_nan() || m < 0.0) {
            return Vec::new();
        }
        let bounds = self.tree.root().envelope();
        let mut r = self.initial_radius(&bounds, k);
        if let Some(max) = max_radius_m {
            r = r.min(max);
        }
        loop {
            let Some(env) = radius_envelope(center, r) else { return Vec::new() };
            let env = aabb(&env);
            let covers_all = env.contains_envelope(&bounds);
            let last = covers_all || max_radius_m.is_some_and(|m| r >= m);
            // Once the box holds every entry, any distance up to the caller's limit is final.
            let limit = if covers_all { max_radius_m.unwrap_or(f64::INFINITY) } else { r };
            let mut found: Vec<(&TicketEntry, f64)> = self
                .tree
                .locate_in_envelope(&env)
                .map(|i| (&i.0, center.distance_m(&i.0.location)))
                .filter(|(e, d)| *d <= limit && filter.matches(e))
                .collect();
            if found.len() >= k || last {
                found.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.id.cmp(&b.0.id)));
                found.truncate(k);
                return found;
            }
            r *= 2.0;
            if let Some(max) = max_radius_m {
                r = r.min(max);
            }
        }
    }

    /// A first guess of the radius holding `k` entries if they were spread evenly over `bounds`.
    fn initial_radius(&self, bounds: &AABB<[f64; 2]>, k: usize) -> f64 {
        let [min_lon, min_lat] = bounds.lower();
        let [max_lon, max_lat] = bounds.upper();
        let m_per_deg = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        let mid_lat = 0.5 * (min_lat + max_lat);
        let w = (max_lon - min_lon) * m_per_deg * mid_lat.to_radians().cos().max(0.01);
        let h = (max_lat - min_lat) * m_per_deg;
        let per_entry = (w.max(1.0) * h.max(1.0)) / self.tree.size() as f64;
        (k as f64 * per_entry / std::f64::consts::PI).sqrt().max(10.0)
    }

    /// Live counts per area (most specific area code) and status. Areas with no ticket are
    /// absent; tickets without an area are in [`Self::unassigned_counts`]. O(1).
    pub fn counts_by_area(&self) -> &HashMap<AreaCode, StatusCounts> {
        &self.counters.by_area
    }

    /// Counts of the tickets that have no area.
    pub fn unassigned_counts(&self) -> &StatusCounts {
        &self.counters.unassigned
    }

    /// Open tickets past their deadline at `now`, per area (areas with none are absent).
    /// O(o + log n) for o overdue tickets: it reads the open tickets ordered by deadline.
    pub fn overdue_by_area(&self, now: DateTime<Utc>) -> HashMap<AreaCode, u64> {
        let mut out = HashMap::new();
        for area in self.counters.open_deadlines.range(..(now, TicketId(Uuid::nil()))).filter_map(|(_, a)| a.as_ref()) {
            *out.entry(area.clone()).or_insert(0) += 1;
        }
        out
    }
}

impl Counters {
    fn count_in(&mut self, e: &TicketEntry) {
        match &e.area {
            Some(a) => self.by_area.entry(a.clone()).or_default().add(e.status),
            None => self.unassigned.add(e.status),
        }
        if e.status.is_open() {
            self.open_deadlines.insert((e.deadline, e.id), e.area.clone());
        }
    }

    fn count_out(&mut self, e: &TicketEntry) {
        match &e.area {
            Some(a) => {
                if let Some(c) = self.by_area.get_mut(a) {
                    c.sub(e.status);
                    if c.total == 0 {
                        self.by_area.remove(a);
                    }
                }
            }
            None => self.unassigned.sub(e.status),
        }
        if e.status.is_open() {
            self.open_deadlines.remove(&(e.deadline, e.id));
        }
    }
}

#[cfg(test)]
mod tests;
