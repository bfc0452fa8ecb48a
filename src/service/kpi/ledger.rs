//! The key figures kept up to date one ticket change at a time, so that a [`KpiCube`] at any
//! instant costs one pass over the cells (hundreds), never one over the tickets (a million).
//!
//! [`KpiLedger::apply`] takes a ticket's old and new index entries and moves its contribution
//! from one (area, unit) cell to another: O(log n). The figures that depend on the clock as
//! well as on events are kept in queues, as [`crate::spatial::AreaCounters`] keeps overdue counts:
//! - open tickets not yet overdue wait in a queue ordered by deadline, and
//!   [`KpiLedger::advance`] moves those whose deadline has passed into the overdue counts;
//! - tickets resolved inside the 30-day window wait in a queue ordered by resolution time, and
//!   `advance` takes out those that have left the window (their count, on-time count and
//!   handling time);
//! - tickets received or resolved are counted per Vietnamese day, so "today" is a lookup.
//!
//! Each ticket crosses each queue once: `advance` is amortised O(log n) a ticket. The result is
//! the same as [`KpiCube::build`] over every ticket at the same instant (a property test checks it).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use hdrhistogram::Histogram;

use super::{Acc, KPI_WINDOW_DAYS, KpiCube, handling_minutes, histogram, vn_day};
use crate::domain::{AreaCode, Status, TicketId, UnitCode};
use crate::spatial::{EntryRef, TicketEntry};

type CellKey = (Option<AreaCode>, Option<UnitCode>);

/// What the ledger reads of a ticket.
struct Part<'a> {
    id: TicketId,
    area: Option<&'a AreaCode>,
    unit: Option<&'a UnitCode>,
    status: Status,
    received_at: DateTime<Utc>,
    deadline: DateTime<Utc>,
    resolved_at: Option<DateTime<Utc>>,
}

impl<'a> Part<'a> {
    fn of(e: &'a TicketEntry) -> Self {
        Self {
            id: e.id,
            area: e.area.as_ref(),
            unit: e.unit.as_ref(),
            status: e.status,
            received_at: e.received_at,
            deadline: e.deadline,
            resolved_at: e.resolved_at,
        }
    }

    fn of_ref(e: EntryRef<'a>) -> Self {
        Self {
            id: e.id(),
            area: e.area(),
            unit: e.unit(),
            status: e.status(),
            received_at: e.received_at(),
            deadline: e.deadline(),
            resolved_at: e.resolved_at(),
        }
    }

    /// When it was resolved, for a ticket that is no longer being handled.
    fn settled(&self) -> Option<DateTime<Utc>> {
        self.resolved_at.filter(|_| !self.status.is_open())
    }
}

/// A resolved ticket inside the window.
#[derive(Debug, Clone, Copy)]
struct InWindow {
    cell: u32,
    minutes: u64,
    on_time: bool,
}

/// One (area, unit) pair's running figures.
#[derive(Default)]
struct Cell {
    open: u64,
    overdue: u64,
    received_on: HashMap<NaiveDate, u64>,
    resolved_on: HashMap<NaiveDate, u64>,
    /// Resolved inside the window, and of those on time.
    resolved: u64,
    on_time: u64,
    /// Handling minutes of every ticket that entered the window, and of those that left it
    /// again (a histogram cannot forget one value; the difference is the window's).
    handled: Option<Histogram<u32>>,
    forgotten: Option<Histogram<u32>>,
}

fn bump(days: &mut HashMap<NaiveDate, u64>, day: NaiveDate, add: bool) {
    if add {
        *days.entry(day).or_default() += 1;
    } else if let Some(n) = days.get_mut(&day) {
        *n -= 1;
        if *n == 0 {
            days.remove(&day);
        }
    }
}

/// The key figures of every (area, unit) pair, kept up to date by ticket changes and the clock.
pub struct KpiLedger {
    cells: Vec<Cell>,
    keys: Vec<CellKey>,
    numbers: HashMap<CellKey, u32>,
    /// Open tickets not yet overdue at `watermark`, by (deadline, id), with their cell.
    due: BTreeMap<(DateTime<Utc>, TicketId), u32>,
    /// Tickets resolved inside the window at `watermark`, by (resolved, id).
    window: BTreeMap<(DateTime<Utc>, TicketId), InWindow>,
    /// The clock as far as the queues have been advanced.
    watermark: DateTime<Utc>,
    /// The last event `seq` applied.
    pub seq: i64,
}

impl KpiLedger {
    /// Counts every entry as of `now`, at event `seq`. O(n log n).
    pub fn build<'a>(entries: impl Iterator<Item = EntryRef<'a>>, now: DateTime<Utc>, seq: i64) -> Self {
        let mut ledger = Self {
            cells: Vec::new(),
            keys: Vec::new(),
            numbers: HashMap::new(),
            due: BTreeMap::new(),
            window: BTreeMap::new(),
            watermark: now,
            seq,
        };
        for e in entries {
            ledger.count(&Part::of_ref(e), true);
        }
        ledger
    }

    /// One ticket changed from `old` to `new` (`None`: absent before or after) by event `seq`.
    pub fn apply(&mut self, old: Option<&TicketEntry>, new: Option<&TicketEntry>, seq: i64) {
        if let Some(old) = old {
            self.count(&Part::of(old), false);
        }
        if let Some(new) = new {
            self.count(&Part::of(new), true);
        }
        self.seq = self.seq.max(seq);
    }

    /// Moves the clock to `now`: tickets past their deadline into the overdue counts, tickets
    /// resolved before the window out of it. The clock only moves forward.
    pub fn advance(&mut self, now: DateTime<Utc>) {
        if now <= self.watermark {
            return;
        }
        self.watermark = now;
        let rest = self.due.split_off(&(now, TicketId(uuid::Uuid::nil())));
        for cell in std::mem::replace(&mut self.due, rest).into_values() {
            self.cells[cell as usize].overdue += 1;
        }
        let rest = self.window.split_off(&(self.window_start(), TicketId(uuid::Uuid::nil())));
        for left in std::mem::replace(&mut self.window, rest).into_values() {
            self.leave_window(left);
        }
    }

    /// The figures per cell at `now` (advancing the clock first).
    pub fn cube(&mut self, now: DateTime<Utc>) -> KpiCube {
        self.advance(now);
        let today = vn_day(self.watermark);
        let cells = self
            .cells
            .iter()
            .zip(&self.keys)
            .filter_map(|(c, (area, unit))| {
                let handling = c.handled.as_ref().map(|h| {
                    let mut h = h.clone();
                    if let Some(f) = &c.forgotten {
                        // Every forgotten value was recorded in `handled` first: cannot fail.
                        let _ = h.subtract(f);
                    }
                    h
                });
                let acc = Acc {
                    received_today: c.received_on.get(&today).copied().unwrap_or(0),
                    resolved_today: c.resolved_on.get(&today).copied().unwrap_or(0),
                    open: c.open,
                    overdue: c.overdue,
                    resolved: c.resolved,
                    on_time: c.on_time,
                    handling: handling.filter(|h| !h.is_empty()),
                };
                // A cell that adds nothing is left out, as the one-pass build never makes it.
                (acc.received_today > 0 || acc.open > 0 || acc.resolved > 0).then(|| (area.clone(), unit.clone(), acc))
            })
            .collect();
        KpiCube { at: self.watermark, cells }
    }

    fn window_start(&self) -> DateTime<Utc> {
        self.watermark - Duration::days(KPI_WINDOW_DAYS)
    }

    fn cell(&mut self, area: Option<&AreaCode>, unit: Option<&UnitCode>) -> u32 {
        let key = (area.cloned(), unit.cloned());
        if let Some(&n) = self.numbers.get(&key) {
            return n;
        }
        let n = self.cells.len() as u32;
        self.cells.push(Cell::default());
        self.keys.push(key.clone());
        self.numbers.insert(key, n);
        n
    }

    fn leave_window(&mut self, w: InWindow) {
        let c = &mut self.cells[w.cell as usize];
        c.resolved -= 1;
        c.on_time -= u64::from(w.on_time);
        // Within the bounds: recording cannot fail.
        let _ = c.forgotten.get_or_insert_with(histogram).record(w.minutes);
    }

    /// Counts `e` in (`add`) or out.
    fn count(&mut self, e: &Part<'_>, add: bool) {
        let cell = self.cell(e.area, e.unit);
        let received_day = vn_day(e.received_at);
        bump(&mut self.cells[cell as usize].received_on, received_day, add);
        if e.status.is_open() {
            let key = (e.deadline, e.id);
            // Overdue exactly when it is not (or would not be) waiting in the queue.
            let overdue = if add {
                let late = e.deadline < self.watermark;
                if !late {
                    self.due.insert(key, cell);
                }
                late
            } else {
                self.due.remove(&key).is_none()
            };
            let c = &mut self.cells[cell as usize];
            if add {
                c.open += 1;
                c.overdue += u64::from(overdue);
            } else {
                c.open -= 1;
                c.overdue -= u64::from(overdue);
            }
        }
        let Some(resolved) = e.settled() else { return };
        bump(&mut self.cells[cell as usize].resolved_on, vn_day(resolved), add);
        let key = (resolved, e.id);
        if add {
            if resolved < self.window_start() {
                return;
            }
            let w =
                InWindow { cell, minutes: handling_minutes(e.received_at, resolved), on_time: resolved <= e.deadline };
            self.window.insert(key, w);
            let c = &mut self.cells[cell as usize];
            c.resolved += 1;
            c.on_time += u64::from(w.on_time);
            // Within the bounds: recording cannot fail.
            let _ = c.handled.get_or_insert_with(histogram).record(w.minutes);
        } else if let Some(w) = self.window.remove(&key) {
            self.leave_window(w);
        }
    }
}

#[cfg(test)]
mod tests;
