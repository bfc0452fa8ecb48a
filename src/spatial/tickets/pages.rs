//! Pages of tickets in receipt order without sorting every match: the index keeps its slots in
//! time order three ways (per status, per area, per unit), and a page merges the lists of the
//! dimension with the fewest candidates, newest (or oldest) first, stopping once it has the page.
//! When the region's box holds fewer tickets than those lists, the R-tree gives the candidates
//! and only they are ordered.
//!
//! Costs (n tickets, page of k): a list's insert is O(log n) and O(1) for a ticket newer than every
//! other in its lists (the usual case), a move inside a list O(list); a page is O(L log L + s log L)
//! for L merged lists and s entries read before the page is full — about k / (the share of the
//! merged lists' tickets that match) — and at worst every entry of those lists.

use std::collections::BinaryHeap;

use rstar::AABB;

use super::compact::{Compact, EntryRef, NONE, Names, VACANT};
use super::{Region, TicketFilter, TicketIndex, tree_box};
use crate::domain::{Location, Status, TicketId};
use crate::spatial::envelope::{aabb, radius_envelope};

/// How a page chooses between the R-tree and the time-ordered lists for a region with a box.
#[derive(Debug, Clone, Copy)]
pub(super) struct Plan {
    /// Above this many tickets in the region's box, a page reads the lists.
    pub(super) tree_cap: usize,
    /// Entries a page reads from the lists before it counts the box to choose: a box that holds
    /// much of the city fills a page from the lists long before, and counting it would cost more
    /// than the page.
    pub(super) list_try: usize,
}

impl Plan {
    const DEFAULT: Plan = Plan { tree_cap: 16_384, list_try: 2_048 };
}

/// How far a merge reads: until the page holds `limit`, or `budget` entries were read.
#[derive(Debug, Clone, Copy)]
struct Reads {
    limit: usize,
    budget: Option<usize>,
}

/// The order of a page: by (receipt time, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    NewestFirst,
    OldestFirst,
}

/// Slots in (receipt time, id) order, one list per value of a dimension.
#[derive(Debug, Default)]
pub(super) struct Timelines {
    by_status: Vec<Vec<u32>>,
    /// Index 0: no area; area number `a` at `a + 1`.
    by_area: Vec<Vec<u32>>,
    by_unit: Vec<Vec<u32>>,
}

fn list_no(code: u32) -> usize {
    if code == NONE { 0 } else { code as usize + 1 }
}

fn list_mut(lists: &mut Vec<Vec<u32>>, i: usize) -> &mut Vec<u32> {
    if lists.len() <= i {
        lists.resize_with(i + 1, Vec::new);
    }
    &mut lists[i]
}

/// Puts a slot in its place in a time-ordered list. A full list grows by an eighth, not twice
/// its length: the lists hold every ticket three times over, and doubling the one a status
/// change lands in would leave up to half of it unused.
pub(super) fn insert(list: &mut Vec<u32>, slab: &[Compact], slot: u32) {
    if list.len() == list.capacity() {
        list.reserve_exact(list.len() / 8 + 8);
    }
    let key = slab[slot as usize].key();
    if list.last().is_none_or(|&s| slab[s as usize].key() < key) {
        list.push(slot);
    } else {
        let at = list.partition_point(|&s| slab[s as usize].key() < key);
        list.insert(at, slot);
    }
}

pub(super) fn remove(list: &mut Vec<u32>, slab: &[Compact], slot: u32) {
    let key = slab[slot as usize].key();
    let at = list.partition_point(|&s| slab[s as usize].key() < key);
    debug_assert_eq!(list.get(at), Some(&slot), "a slot is in the lists of its values");
    if list.get(at) == Some(&slot) {
        list.remove(at);
    }
}

impl Timelines {
    /// Builds the lists of every filled slot in one sort.
    pub(super) fn build(slab: &[Compact]) -> Self {
        let mut order: Vec<u32> = (0..slab.len() as u32).filter(|&s| !slab[s as usize].vacant()).collect();
        order.sort_unstable_by_key(|&s| slab[s as usize].key());
        let mut t = Self::default();
        for s in order {
            let e = &slab[s as usize];
            list_mut(&mut t.by_status, e.status.into()).push(s);
            list_mut(&mut t.by_area, list_no(e.area())).push(s);
            list_mut(&mut t.by_unit, list_no(e.unit())).push(s);
        }
        // Pushing leaves up to half of each list unused.
        t.by_status.iter_mut().chain(&mut t.by_area).chain(&mut t.by_unit).for_each(Vec::shrink_to_fit);
        t
    }

    /// Adds a slot whose entry is in the slab.
    pub(super) fn add(&mut self, slab: &[Compact], slot: u32) {
        let e = &slab[slot as usize];
        insert(list_mut(&mut self.by_status, e.status.into()), slab, slot);
        insert(list_mut(&mut self.by_area, list_no(e.area())), slab, slot);
        insert(list_mut(&mut self.by_unit, list_no(e.unit())), slab, slot);
    }

    /// Takes a slot out, while the slab still holds the entry it was added with.
    pub(super) fn take(&mut self, slab: &[Compact], slot: u32) {
        let e = &slab[slot as usize];
        remove(list_mut(&mut self.by_status, e.status.into()), slab, slot);
        remove(list_mut(&mut self.by_area, list_no(e.area())), slab, slot);
        remove(list_mut(&mut self.by_unit, list_no(e.unit())), slab, slot);
    }

    /// Whether replacing `old` by `new` leaves the slot where it is in every list.
    pub(super) fn unmoved(old: &Compact, new: &Compact) -> bool {
        old.key() == new.key() && old.status == new.status && old.area() == new.area() && old.unit() == new.unit()
    }
}

/// A [`TicketFilter`] in the index's numbers: a flag per known code.
pub(super) struct Compiled {
    statuses: [bool; Status::ALL.len()],
    categories: Option<Vec<bool>>,
    areas: Option<Vec<bool>>,
    units: Option<Vec<bool>>,
    from: Option<i64>,
    to: Option<i64>,
    overdue_at: Option<i64>,
}

fn flags<T: Clone + Eq + std::hash::Hash>(
    set: &Option<std::collections::HashSet<T>>,
    names: &crate::spatial::interner::Interner<T>,
) -> Option<Vec<bool>> {
    set.as_ref().map(|set| {
        let mut f = vec![false; names.len()];
        for v in set {
            if let Some(n) = names.number(v) {
                f[n as usize] = true;
            }
        }
        f
    })
}

fn allowed(flags: &Option<Vec<bool>>, code: u32) -> bool {
    flags.as_ref().is_none_or(|f| code != NONE && f[code as usize])
}

impl Compiled {
    pub(super) fn new(f: &TicketFilter, names: &Names) -> Self {
        let mut statuses = [true; Status::ALL.len()];
        for (i, s) in Status::ALL.into_iter().enumerate() {
            statuses[i] = f.statuses.as_ref().is_none_or(|set| set.contains(&s))
                && (!(f.open_only || f.overdue_at.is_some()) || s.is_open());
        }
        Self {
            statuses,
            categories: flags(&f.categories, &names.categories),
            areas: flags(&f.areas, &names.areas),
            units: flags(&f.units, &names.units),
            from: f.received_from.map(|t| t.timestamp_micros()),
            to: f.received_to.map(|t| t.timestamp_micros()),
            overdue_at: f.overdue_at.map(|t| t.timestamp_micros()),
        }
    }

    /// Every condition that is set holds (the same rule as [`TicketFilter::matches`]).
    pub(super) fn matches(&self, e: &Compact) -> bool {
        e.status != VACANT
            && self.statuses[e.status as usize]
            && self.overdue_at.is_none_or(|at| at > e.deadline)
            && self.from.is_none_or(|from| e.received >= from)
            && self.to.is_none_or(|to| e.received < to)
            && allowed(&self.categories, e.category.into())
            && allowed(&self.areas, e.area())
            && allowed(&self.units, e.unit())
    }
}

/// A region as a test on a point, with the box that holds it.
pub(super) enum Within {
    All,
    BBox(AABB<[f64; 2]>),
    Near { center: Location, radius_m: f64, bbox: AABB<[f64; 2]> },
    Nothing,
}

impl Within {
    pub(super) fn new(region: &Region) -> Self {
        match region {
            Region::All => Within::All,
            Region::BBox(b) => Within::BBox(aabb(b)),
            Region::Near { center, radius_m } => match radius_envelope(*center, *radius_m) {
                Some(env) => Within::Near { center: *center, radius_m: *radius_m, bbox: aabb(&env) },
                None => Within::Nothing,
            },
        }
    }

    pub(super) fn bbox(&self) -> Option<&AABB<[f64; 2]>> {
        match self {
            Within::BBox(b) | Within::Near { bbox: b, .. } => Some(b),
            Within::All | Within::Nothing => None,
        }
    }

    pub(super) fn contains(&self, e: &Compact) -> bool {
        use rstar::Envelope;
        match self {
            Within::All => true,
            Within::Nothing => false,
            Within::BBox(b) => b.contains_point(&e.point()),
            Within::Near { center, radius_m, .. } => {
                center.distance_m(&Location { lon: e.lon, lat: e.lat }) <= *radius_m
            }
        }
    }
}

/// A (time, id) key that sorts the way a page goes: larger is earlier in the page.
fn rank(e: &Compact, order: Order) -> (i64, u128) {
    match order {
        Order::NewestFirst => (e.received, e.id.0.as_u128()),
        Order::OldestFirst => (!e.received, !e.id.0.as_u128()),
    }
}

impl TicketIndex {
    /// Up to `limit` tickets in `region` that `filter` matches, in `order` by (receipt time, id),
    /// starting after the key `after` (a page's last `(received µs, id)`).
    pub fn page(
        &self,
        region: &Region,
        filter: &TicketFilter,
        after: Option<(i64, TicketId)>,
        limit: usize,
        order: Order,
    ) -> Vec<EntryRef<'_>> {
        self.page_planned(region, filter, after, limit, order, Plan::DEFAULT)
    }

    /// [`Self::page`], reading the tree when the region's box holds at most `tree_cap` tickets
    /// (and fewer than the lists).
    pub(super) fn page_planned(
        &self,
        region: &Region,
        filter: &TicketFilter,
        after: Option<(i64, TicketId)>,
        limit: usize,
        order: Order,
        plan: Plan,
    ) -> Vec<EntryRef<'_>> {
        let within = Within::new(region);
        if limit == 0 || matches!(within, Within::Nothing) {
            return Vec::new();
        }
        let f = Compiled::new(filter, &self.names);
        let mut lists = self.fewest_candidates(&f);
        let mut in_lists: usize = lists.iter().map(|l| l.len()).sum();
        // Overdue tickets: the overdue list and those that came due since the clock, when they
        // are fewer.
        let came_due = f.overdue_at.map(|at| self.lateness.came_due(&self.slots, at)).unwrap_or_default();
        let late = self.lateness.late().len() + came_due.len();
        if f.overdue_at.is_some() && late < in_lists {
            (lists, in_lists) = (vec![self.lateness.late(), came_due.as_slice()], late);
        }
        if let Some(bbox) = within.bbox() {
            let cap = in_lists.min(plan.tree_cap);
            let first_try = Reads { limit, budget: Some(plan.list_try) };
            if let Some(page) = self.merge(&lists, &within, &f, after, first_try, order) {
                return page;
            }
            if self.tree.locate_in_envelope(&tree_box(bbox)).take(cap + 1).count() <= cap {
                return self.page_from_tree(bbox, &within, &f, after, limit, order);
            }
        }
        self.merge(&lists, &within, &f, after, Reads { limit, budget: None }, order)
            .expect("a merge without a budget ends")
    }

    /// The lists that hold every match, from the dimension (status, area, unit) with the fewest.
    fn fewest_candidates<'a>(&'a self, f: &Compiled) -> Vec<&'a [u32]> {
        let t = &self.timelines;
        let pick = |lists: &'a [Vec<u32>], keep: &dyn Fn(usize) -> bool| -> Vec<&'a [u32]> {
            lists.iter().enumerate().filter(|(i, l)| !l.is_empty() && keep(*i)).map(|(_, l)| l.as_slice()).collect()
        };
        let mut best = pick(&t.by_status, &|i| f.statuses[i]);
        let mut size: usize = best.iter().map(|l| l.len()).sum();
        for (lists, flags) in [(&t.by_area, &f.areas), (&t.by_unit, &f.units)] {
            let Some(flags) = flags else { continue };
            let these = pick(lists, &|i| i > 0 && flags[i - 1]);
            let n: usize = these.iter().map(|l| l.len()).sum();
            if n < size {
                (best, size) = (these, n);
            }
        }
        best
    }

    fn past(&self, e: &Compact, after: Option<(i64, TicketId)>, order: Order) -> bool {
        after.is_none_or(|a| match order {
            Order::NewestFirst => e.key() < a,
            Order::OldestFirst => e.key() > a,
        })
    }

    fn page_from_tree(
        &self,
        bbox: &AABB<[f64; 2]>,
        within: &Within,
        f: &Compiled,
        after: Option<(i64, TicketId)>,
        limit: usize,
        order: Order,
    ) -> Vec<EntryRef<'_>> {
        let mut hits: Vec<(std::cmp::Reverse<(i64, u128)>, u32)> = self
            .tree
            .locate_in_envelope(&tree_box(bbox))
            .filter_map(|item| {
                let e = &self.slots[item.data as usize];
                (f.matches(e) && within.contains(e) && self.past(e, after, order))
                    .then(|| (std::cmp::Reverse(rank(e, order)), item.data))
            })
            .collect();
        if hits.len() > limit {
            hits.select_nth_unstable(limit - 1);
            hits.truncate(limit);
        }
        hits.sort_unstable();
        hits.into_iter().map(|(_, s)| self.entry_ref(s)).collect()
    }

    /// The page of `size.limit` from `lists`; `None` if `size.budget` entries were read before
    /// it was complete.
    fn merge(
        &self,
        lists: &[&[u32]],
        within: &Within,
        f: &Compiled,
        after: Option<(i64, TicketId)>,
        size: Reads,
        order: Order,
    ) -> Option<Vec<EntryRef<'_>>> {
        let Reads { limit, budget } = size;
        let slab = &self.slots;
        // Per list, the next position to read: newest first reads down from `next - 1`,
        // oldest first reads up from `next`.
        let mut next: Vec<usize> = lists
            .iter()
            .map(|l| match (after, order) {
                (None, Order::NewestFirst) => l.len(),
                (None, Order::OldestFirst) => 0,
                (Some(a), Order::NewestFirst) => l.partition_point(|&s| slab[s as usize].key() < a),
                (Some(a), Order::OldestFirst) => l.partition_point(|&s| slab[s as usize].key() <= a),
            })
            .collect();
        let head = |i: usize, next: &[usize]| -> Option<u32> {
            match order {
                Order::NewestFirst => next[i].checked_sub(1).map(|p| lists[i][p]),
                Order::OldestFirst => lists[i].get(next[i]).copied(),
            }
        };
        let mut heap: BinaryHeap<((i64, u128), usize)> =
            (0..lists.len()).filter_map(|i| head(i, &next).map(|s| (rank(&slab[s as usize], order), i))).collect();
        let mut out = Vec::with_capacity(limit);
        let mut reads = 0;
        while let Some((_, i)) = heap.pop() {
            if budget.is_some_and(|b| reads == b) {
                return None;
            }
            reads += 1;
            let slot = head(i, &next).expect("a list in the heap has a head");
            match order {
                Order::NewestFirst => next[i] -= 1,
                Order::OldestFirst => next[i] += 1,
            }
            if let Some(s) = head(i, &next) {
                heap.push((rank(&slab[s as usize], order), i));
            }
            let e = &slab[slot as usize];
            if f.matches(e) && within.contains(e) {
                out.push(self.entry_ref(slot));
                if out.len() == limit {
                    break;
                }
            }
        }
        Some(out)
    }
}
