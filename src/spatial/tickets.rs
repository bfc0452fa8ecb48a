//! [`TicketIndex`]: every ticket (all statuses) in an R-tree keyed by its lon/lat position,
//! plus an id map and live per-area counters. It is the query engine behind ticket listing,
//! the map wall and duplicate search; the database stays the source of truth.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use rstar::primitives::GeomWithData;
use rstar::{AABB, Envelope, RTree};
use uuid::Uuid;

use super::envelope::{aabb, radius_envelope};
use super::{Region, StatusCounts, TicketFilter};
use crate::domain::location::EARTH_RADIUS_M;
use crate::domain::{AreaCode, CategoryCode, Location, Priority, Status, Ticket, TicketCode, TicketId, UnitCode};

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

/// A tree element: the position (lon, lat) and the entry's slot in [`TicketIndex::slots`].
/// Kept small (24 bytes) so that bulk loading and tree walks move little memory; counting a
/// box with no attribute filter never touches the entries.
type Item = GeomWithData<[f64; 2], u32>;

/// Tickets in an R-tree (lon/lat degrees) with an id map and per-area status counters.
///
/// Storage: the entries live in a slab (`slots`); the tree holds (position, slot). After
/// [`Self::bulk_load`] the slab is in the tree's depth-first order, so the entries of one area
/// of the map sit together in memory. Freed slots are reused.
///
/// Costs (n tickets): `get` O(1), `upsert`/`remove` O(log n) plus counter updates (a status
/// change that keeps the position does not touch the tree), `query` O(log n + hits),
/// `nearest` see [`TicketIndex::nearest`]. The counters are kept up to date on every change,
/// so reading them is free.
#[derive(Debug, Default)]
pub struct TicketIndex {
    tree: RTree<Item>,
    slots: Vec<Option<TicketEntry>>,
    /// Empty slots, reused by the next insert.
    free: Vec<u32>,
    ids: HashMap<TicketId, u32>,
    counters: Counters,
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

/// The live counters.
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
        let mut latest: HashMap<TicketId, u32> = HashMap::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            match latest.get_mut(&e.id) {
                Some(j) if entries[*j as usize].version > e.version => {}
                Some(j) => *j = i as u32,
                None => {
                    latest.insert(e.id, i as u32);
                }
            }
        }
        let items: Vec<Item> = if latest.len() == entries.len() {
            entries.iter().enumerate().map(|(i, e)| Item::new(e.point(), i as u32)).collect()
        } else {
            latest.values().map(|&i| Item::new(entries[i as usize].point(), i)).collect()
        };
        let mut tree = RTree::bulk_load(items);
        // Renumber the slots in the tree's depth-first order and lay the slab out the same way.
        let mut input: Vec<Option<TicketEntry>> = entries.into_iter().map(Some).collect();
        let mut slots = Vec::with_capacity(latest.len());
        for item in tree.iter_mut() {
            slots.push(input[item.data as usize].take());
            item.data = (slots.len() - 1) as u32;
        }
        drop(input);
        latest.clear();
        let mut counters = Counters::default();
        for (i, e) in slots.iter().enumerate() {
            let e = e.as_ref().expect("every slot of a bulk load is filled");
            latest.insert(e.id, i as u32);
            counters.count_in(e);
        }
        Self { tree, slots, free: Vec::new(), ids: latest, counters }
    }

    /// Number of tickets.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Every entry, in slab order (no particular order).
    pub fn entries(&self) -> impl Iterator<Item = &TicketEntry> {
        self.slots.iter().flatten()
    }

    /// The entry of a ticket. O(1).
    pub fn get(&self, id: TicketId) -> Option<&TicketEntry> {
        self.ids.get(&id).and_then(|&slot| self.entry(slot))
    }

    fn entry(&self, slot: u32) -> Option<&TicketEntry> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }

    /// Inserts a ticket, or replaces the stored one if `entry.version` is at least the stored
    /// version. Returns what it replaced, so a caller can update what depends on the old
    /// state (tiles where the ticket was, per-area counters), or [`Upserted::Stale`] when the
    /// entry was older than the stored one and was ignored.
    /// O(log n) when the position changes or the ticket is new, O(1) plus counters otherwise.
    pub fn upsert(&mut self, entry: TicketEntry) -> Upserted {
        let Some(&slot) = self.ids.get(&entry.id) else {
            let slot = match self.free.pop() {
                Some(s) => s,
                None => {
                    self.slots.push(None);
                    (self.slots.len() - 1) as u32
                }
            };
            self.ids.insert(entry.id, slot);
            self.counters.count_in(&entry);
            self.tree.insert(Item::new(entry.point(), slot));
            self.slots[slot as usize] = Some(entry);
            return Upserted::New;
        };
        let Some(old) = self.slots[slot as usize].as_ref() else {
            unreachable!("ticket {} maps to an empty slot", entry.id)
        };
        if old.version > entry.version {
            return Upserted::Stale;
        }
        let (old_point, new_point) = (old.point(), entry.point());
        if old_point != new_point {
            self.tree.remove(&Item::new(old_point, slot));
            self.tree.insert(Item::new(new_point, slot));
        }
        let old = self.slots[slot as usize].take().expect("checked above");
        self.counters.count_out(&old);
        self.counters.count_in(&entry);
        self.slots[slot as usize] = Some(entry);
        Upserted::Replaced(old)
    }

    /// Removes a ticket; returns its entry if it was there. O(log n).
    pub fn remove(&mut self, id: TicketId) -> Option<TicketEntry> {
        let slot = self.ids.remove(&id)?;
        let old = self.slots[slot as usize].take()?;
        self.tree.remove(&Item::new(old.point(), slot));
        self.free.push(slot);
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
        if filter.is_match_all() {
            match region {
                Region::All => return self.len(),
                Region::BBox(b) => return self.tree.locate_in_envelope(&aabb(b)).count(),
                Region::Near { .. } => {}
            }
        }
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
            Region::All => self.slots.iter().flatten().for_each(take),
            Region::BBox(b) => self.tree.locate_in_envelope(&aabb(b)).filter_map(|i| self.entry(i.data)).for_each(take),
            Region::Near { center, radius_m } => {
                let Some(env) = radius_envelope(*center, *radius_m) else { return };
                for i in self.tree.locate_in_envelope(&aabb(&env)) {
                    let (lon, lat) = (i.geom()[0], i.geom()[1]);
                    if center.distance_m(&Location { lon, lat }) <= *radius_m
                        && let Some(e) = self.entry(i.data)
                    {
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
        let all = filter.is_match_all();
        loop {
            let Some(env) = radius_envelope(center, r) else { return Vec::new() };
            let env = aabb(&env);
            let covers_all = env.contains_envelope(&bounds);
            let last = covers_all || max_radius_m.is_some_and(|m| r >= m);
            // Once the box holds every entry, any distance up to the caller's limit is final.
            let limit = if covers_all { max_radius_m.unwrap_or(f64::INFINITY) } else { r };
            // (slot, metres) of the matching entries within the limit; with no attribute filter
            // the entries themselves are only read for the final k.
            let found: Vec<(u32, f64)> = self
                .tree
                .locate_in_envelope(&env)
                .filter_map(|i| {
                    let d = center.distance_m(&Location { lon: i.geom()[0], lat: i.geom()[1] });
                    let keep = d <= limit && (all || self.entry(i.data).is_some_and(|e| filter.matches(e)));
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
    fn k_smallest(&self, mut found: Vec<(u32, f64)>, k: usize) -> Vec<(&TicketEntry, f64)> {
        if found.len() > k {
            found.select_nth_unstable_by(k - 1, |a, b| a.1.total_cmp(&b.1));
            let kth = found[k - 1].1;
            found.retain(|c| c.1 <= kth);
        }
        let mut out: Vec<(&TicketEntry, f64)> =
            found.into_iter().filter_map(|(slot, d)| self.entry(slot).map(|e| (e, d))).collect();
        out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.id.cmp(&b.0.id)));
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
