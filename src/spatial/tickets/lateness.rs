//! Open tickets by lateness, so that a page of overdue tickets reads only overdue ones: those
//! overdue at the index's clock in a time-ordered list, the others in a queue by deadline that
//! [`Lateness::advance`] moves from as deadlines pass.
//!
//! Costs (n open tickets): add and take O(log n) (a list insert or removal, O(1) at the list's
//! end, where new and recent tickets go); `advance` O(m log m + n) for m tickets past their
//! deadline since the last call (usually a few: the projection advances at every event); the
//! candidates of a page at an instant after the clock: the list plus the queue's part before
//! that instant.
//!
//! The queue orders by the deadline's whole second (8 bytes an element instead of 16: half a
//! million open tickets take about 5 MB less). A ticket whose deadline falls in the clock's own
//! second stays in the queue until the next second; readers take the queue's part up to and
//! including an instant's second and check each candidate's exact deadline.

use std::collections::BTreeSet;

use super::compact::Compact;
use super::pages::{insert, remove};

/// Open tickets, overdue or not at `watermark`.
#[derive(Debug)]
pub(super) struct Lateness {
    /// Open tickets not in `late`, by (deadline's second, slot): every open ticket whose
    /// deadline is at or after `watermark`'s second.
    due: BTreeSet<(u32, u32)>,
    /// Open tickets overdue at `watermark` (deadline before its second), in (receipt time, id)
    /// order.
    late: Vec<u32>,
    /// The clock (µs) as far as tickets have been moved.
    watermark: i64,
}

/// The second of an instant in µs since the Unix epoch, as the queue orders it (clamped to
/// 1970–2106, which keeps the order: instants outside share the ends).
fn second(us: i64) -> u32 {
    u32::try_from(us.div_euclid(1_000_000).max(0)).unwrap_or(u32::MAX)
}

impl Default for Lateness {
    fn default() -> Self {
        Self { due: BTreeSet::new(), late: Vec::new(), watermark: i64::MIN }
    }
}

impl Lateness {
    /// Every open ticket of the slab waits in the queue (the clock is at its start until
    /// [`Self::advance`]).
    pub(super) fn build(slab: &[Compact]) -> Self {
        let open = (0..slab.len() as u32).filter(|&s| slab[s as usize].is_open());
        Self { due: open.map(|s| (second(slab[s as usize].deadline), s)).collect(), ..Self::default() }
    }

    /// Adds a slot whose entry is in the slab.
    pub(super) fn add(&mut self, slab: &[Compact], slot: u32) {
        let e = &slab[slot as usize];
        if !e.is_open() {
            return;
        }
        if second(e.deadline) < second(self.watermark) {
            insert(&mut self.late, slab, slot);
        } else {
            self.due.insert((second(e.deadline), slot));
        }
    }

    /// Takes a slot out, while the slab still holds the entry it was added with.
    pub(super) fn take(&mut self, slab: &[Compact], slot: u32) {
        let e = &slab[slot as usize];
        if e.is_open() && !self.due.remove(&(second(e.deadline), slot)) {
            remove(&mut self.late, slab, slot);
        }
    }

    /// Whether replacing `old` by `new` leaves the slot where it is.
    pub(super) fn unmoved(old: &Compact, new: &Compact) -> bool {
        old.key() == new.key() && old.deadline == new.deadline && old.is_open() == new.is_open()
    }

    /// Whether the open ticket in `slot` is in the overdue list (`false` for a closed one).
    pub(super) fn is_late(&self, slab: &[Compact], slot: u32) -> bool {
        let e = &slab[slot as usize];
        e.is_open() && !self.due.contains(&(second(e.deadline), slot))
    }

    /// Moves the tickets whose deadline is before `now`'s second (µs) into the overdue list, and
    /// returns their slots. The clock only moves forward.
    pub(super) fn advance(&mut self, slab: &[Compact], now: i64) -> Vec<u32> {
        if now <= self.watermark {
            return Vec::new();
        }
        self.watermark = now;
        let rest = self.due.split_off(&(second(now), 0));
        let passed = std::mem::replace(&mut self.due, rest);
        let mut moved: Vec<u32> = passed.into_iter().map(|(_, s)| s).collect();
        if moved.len() < 64 {
            moved.iter().for_each(|&s| insert(&mut self.late, slab, s));
            return moved;
        }
        moved.sort_unstable_by_key(|&s| slab[s as usize].key());
        let old = std::mem::take(&mut self.late);
        let mut merged = Vec::with_capacity(old.len() + moved.len());
        let (mut a, mut b) = (old.into_iter().peekable(), moved.iter().copied().peekable());
        while let (Some(&x), Some(&y)) = (a.peek(), b.peek()) {
            if slab[x as usize].key() < slab[y as usize].key() {
                merged.push(x);
                a.next();
            } else {
                merged.push(y);
                b.next();
            }
        }
        merged.extend(a);
        merged.extend(b);
        self.late = merged;
        moved
    }

    /// The open tickets in the queue whose deadline is in `at`'s second (µs) or before, in
    /// (receipt time, id) order: with [`Self::late`], every open ticket overdue at `at`, and
    /// some that are not (a deadline later in that second; when `at` is before the clock, the
    /// late list's): a caller checks each.
    pub(super) fn came_due(&self, slab: &[Compact], at: i64) -> Vec<u32> {
        let mut passed: Vec<u32> = self.due_before(at).collect();
        passed.sort_unstable_by_key(|&s| slab[s as usize].key());
        passed
    }

    /// The overdue list at the clock (see [`Self::came_due`] for what came due since).
    pub(super) fn late(&self) -> &[u32] {
        &self.late
    }

    /// The open tickets in the queue whose deadline is in `until`'s second (µs) or before: every
    /// one due before `until` that is not in the late list, and some due later in that second
    /// (a caller checks each).
    pub(super) fn due_before(&self, until: i64) -> impl Iterator<Item = u32> + '_ {
        self.due.range(..=(second(until), u32::MAX)).map(|&(_, s)| s)
    }
}
