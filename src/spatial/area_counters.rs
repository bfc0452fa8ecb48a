//! Live counts per administrative area, each area including every area below it, kept up to
//! date one ticket change at a time.
//!
//! [`AreaCounters::apply`] takes a ticket's old and new index entries and moves one count
//! along each one's chain of areas (ward → district → city): O(depth) per change, whatever
//! the number of areas or tickets. Overdue counts depend on the clock as well as on events:
//! open tickets not yet overdue wait in a queue ordered by deadline, and
//! [`AreaCounters::advance`] moves the ones whose deadline has passed into the overdue counts,
//! each ticket once (amortised O(depth)). Reading one area's figures is O(1).
//!
//! The area hierarchy comes from an [`AreaIndex`]; when it changes (an import), the counters
//! are built again from the index with [`AreaCounters::build`].

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::{AreaIndex, EntryRef, StatusCounts, TicketEntry};
use crate::domain::{AreaCode, Status, TicketId};

/// Live counts of one area (its own tickets and those of every area below it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AreaStats {
    /// Tickets per status.
    pub counts: BTreeMap<String, u64>,
    pub total: u64,
    pub open: u64,
    /// Open past their deadline now.
    pub overdue: u64,
}

#[derive(Debug, Default, Clone, Copy)]
struct Rolled {
    counts: StatusCounts,
    overdue: u64,
}

/// Per-area counts including the areas below, and the overdue queue.
#[derive(Debug)]
pub struct AreaCounters {
    by_area: HashMap<AreaCode, Rolled>,
    /// Open tickets in an area that were not yet overdue at `watermark`, by (deadline, id).
    pending: BTreeMap<(DateTime<Utc>, TicketId), AreaCode>,
    /// Open tickets with a deadline before this instant are in the overdue counts.
    watermark: DateTime<Utc>,
}

/// What the counters read of a ticket.
struct Counted<'a> {
    id: TicketId,
    area: Option<&'a AreaCode>,
    status: Status,
    deadline: DateTime<Utc>,
}

impl<'a> Counted<'a> {
    fn of(e: &'a TicketEntry) -> Self {
        Self { id: e.id, area: e.area.as_ref(), status: e.status, deadline: e.deadline }
    }
}

impl AreaCounters {
    /// Counts every entry, with overdue counts as of `now`. O(n · depth).
    pub fn build<'a>(entries: impl Iterator<Item = EntryRef<'a>>, areas: &AreaIndex, now: DateTime<Utc>) -> Self {
        let mut counters = Self { by_area: HashMap::new(), pending: BTreeMap::new(), watermark: now };
        for e in entries {
            counters.count(
                Counted { id: e.id(), area: e.area(), status: e.status(), deadline: e.deadline() },
                areas,
                true,
            );
        }
        counters
    }

    /// One ticket changed in the index from `old` to `new` (`None`: absent before or after).
    pub fn apply(&mut self, old: Option<&TicketEntry>, new: Option<&TicketEntry>, areas: &AreaIndex) {
        if let Some(old) = old {
            self.count(Counted::of(old), areas, false);
        }
        if let Some(new) = new {
            self.count(Counted::of(new), areas, true);
        }
    }

    /// Moves the open tickets whose deadline is before `now` into the overdue counts. The
    /// clock only moves forward here: an earlier `now` changes nothing.
    pub fn advance(&mut self, now: DateTime<Utc>, areas: &AreaIndex) {
        if now <= self.watermark {
            return;
        }
        self.watermark = now;
        let rest = self.pending.split_off(&(now, TicketId(Uuid::nil())));
        let due = std::mem::replace(&mut self.pending, rest);
        for area in due.into_values() {
            for code in areas.ancestors(&area) {
                self.by_area.entry(code).or_default().overdue += 1;
            }
        }
    }

    /// The figures of one area (zero when it has no ticket).
    pub fn stats(&self, code: &AreaCode) -> AreaStats {
        self.by_area.get(code).map(view).unwrap_or_default()
    }

    /// The figures of every area with at least one ticket.
    pub fn all(&self) -> HashMap<AreaCode, AreaStats> {
        self.by_area.iter().map(|(code, rolled)| (code.clone(), view(rolled))).collect()
    }

    /// Counts `e` in (`add`) or out along its chain of areas.
    fn count(&mut self, e: Counted<'_>, areas: &AreaIndex, add: bool) {
        let Some(area) = e.area else { return };
        let overdue_change = if e.status.is_open() {
            let key = (e.deadline, e.id);
            if add {
                if e.deadline < self.watermark {
                    Some(())
                } else {
                    self.pending.insert(key, area.clone());
                    None
                }
            } else {
                // Counted overdue exactly when it already left the queue.
                self.pending.remove(&key).is_none().then_some(())
            }
        } else {
            None
        };
        for code in areas.ancestors(area) {
            let rolled = self.by_area.entry(code.clone()).or_default();
            if add {
                rolled.counts.add(e.status);
                rolled.overdue += u64::from(overdue_change.is_some());
            } else {
                rolled.counts.sub(e.status);
                if overdue_change.is_some() {
                    rolled.overdue = rolled.overdue.saturating_sub(1);
                }
                if rolled.counts.total == 0 {
                    self.by_area.remove(&code);
                }
            }
        }
    }
}

fn view(rolled: &Rolled) -> AreaStats {
    let mut out = AreaStats { overdue: rolled.overdue, ..AreaStats::default() };
    for status in Status::ALL {
        let n = rolled.counts.get(status);
        if n > 0 {
            out.counts.insert(status.as_str().to_owned(), n);
            out.total += n;
            if status.is_open() {
                out.open += n;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
