//! The key figures of the wall's KPI strip and the leaders' views, computed from the ticket
//! index in one pass into a [`KpiCube`]: one accumulator per (area, unit) pair, so that any
//! role scope or area selection is a sum of cells and no second pass over the tickets is needed.
//!
//! Definitions (days are calendar days in Asia/Ho_Chi_Minh):
//! - `received_today`: tickets received today;
//! - `resolved_today`: tickets resolved today;
//! - `open`, `overdue`: tickets being handled now, and those of them past their deadline;
//! - `on_time_rate`: of the tickets resolved in the last [`KPI_WINDOW_DAYS`] days, the share
//!   resolved by their deadline (`None` when none were resolved);
//! - `median_handling_hours`: the median time from receipt to resolution of those same tickets,
//!   to within 1 % (an HDR histogram of minutes per cell, so cells can be merged).

pub mod board;
mod ledger;

pub use ledger::KpiLedger;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use hdrhistogram::Histogram;
use serde::Serialize;

use crate::domain::{AreaCode, UnitCode};
use crate::spatial::EntryRef;

/// The window of the on-time rate and the median handling time.
pub const KPI_WINDOW_DAYS: i64 = 30;
/// Handling times are recorded in minutes up to a year; longer ones count as a year.
const MAX_MINUTES: u64 = 366 * 24 * 60;

/// The key figures of a set of tickets.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Kpis {
    pub received_today: u64,
    pub resolved_today: u64,
    pub open: u64,
    pub overdue: u64,
    /// Tickets resolved in the last 30 days (the base of the two figures below).
    pub resolved_30d: u64,
    /// Share (0–1) of those resolved by their deadline.
    pub on_time_rate: Option<f64>,
    /// Median hours from receipt to resolution of those tickets.
    pub median_handling_hours: Option<f64>,
}

#[derive(Clone, Default)]
struct Acc {
    received_today: u64,
    resolved_today: u64,
    open: u64,
    overdue: u64,
    resolved: u64,
    on_time: u64,
    /// Minutes from receipt to resolution; created on the first resolved ticket.
    handling: Option<Histogram<u32>>,
}

fn histogram() -> Histogram<u32> {
    Histogram::new_with_bounds(1, MAX_MINUTES, 2).expect("valid histogram bounds")
}

impl Acc {
    fn add(&mut self, o: &Acc) {
        self.received_today += o.received_today;
        self.resolved_today += o.resolved_today;
        self.open += o.open;
        self.overdue += o.overdue;
        self.resolved += o.resolved;
        self.on_time += o.on_time;
        if let Some(h) = &o.handling {
            // Same bounds on both sides: adding cannot fail.
            let _ = self.handling.get_or_insert_with(histogram).add(h);
        }
    }

    fn kpis(&self) -> Kpis {
        let median = self.handling.as_ref().filter(|h| !h.is_empty()).map(|h| h.value_at_quantile(0.5) as f64 / 60.0);
        Kpis {
            received_today: self.received_today,
            resolved_today: self.resolved_today,
            open: self.open,
            overdue: self.overdue,
            resolved_30d: self.resolved,
            on_time_rate: (self.resolved > 0).then(|| self.on_time as f64 / self.resolved as f64),
            median_handling_hours: median,
        }
    }
}

/// The per-(area, unit) accumulators at one instant.
pub struct KpiCube {
    pub at: DateTime<Utc>,
    cells: Vec<(Option<AreaCode>, Option<UnitCode>, Acc)>,
}

/// Minutes from receipt to resolution, within the histogram's bounds.
fn handling_minutes(received: DateTime<Utc>, resolved: DateTime<Utc>) -> u64 {
    u64::try_from((resolved - received).num_minutes()).unwrap_or(0).clamp(1, MAX_MINUTES)
}

fn vn_day(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Ho_Chi_Minh).date_naive()
}

impl KpiCube {
    /// One pass over the tickets.
    pub fn build<'a>(entries: impl Iterator<Item = EntryRef<'a>>, now: DateTime<Utc>) -> Self {
        let today = vn_day(now);
        let window_start = now - Duration::days(KPI_WINDOW_DAYS);
        let mut cells: HashMap<(Option<&AreaCode>, Option<&UnitCode>), Acc> = HashMap::new();
        for e in entries {
            let received_today = vn_day(e.received_at()) == today;
            let open = e.status().is_open();
            let resolved = e.resolved_at().filter(|r| !open && *r >= window_start);
            if !(received_today || open || resolved.is_some()) {
                continue;
            }
            let acc = cells.entry((e.area(), e.unit())).or_default();
            acc.received_today += u64::from(received_today);
            if open {
                acc.open += 1;
                acc.overdue += u64::from(e.is_overdue(now));
            }
            if let Some(r) = resolved {
                acc.resolved += 1;
                acc.resolved_today += u64::from(vn_day(r) == today);
                acc.on_time += u64::from(r <= e.deadline());
                // Within the bounds: recording cannot fail.
                let _ = acc.handling.get_or_insert_with(histogram).record(handling_minutes(e.received_at(), r));
            }
        }
        let cells = cells.into_iter().map(|((a, u), acc)| (a.cloned(), u.cloned(), acc)).collect();
        Self { at: now, cells }
    }

    /// The figures of the cells `keep` selects.
    pub fn total(&self, keep: impl Fn(Option<&AreaCode>, Option<&UnitCode>) -> bool) -> Kpis {
        let mut sum = Acc::default();
        for (a, u, acc) in &self.cells {
            if keep(a.as_ref(), u.as_ref()) {
                sum.add(acc);
            }
        }
        sum.kpis()
    }

    /// The figures of every area with selected tickets, each including the areas below it
    /// (`ancestors` lists an area and the areas above it).
    pub fn by_area(
        &self,
        ancestors: impl Fn(&AreaCode) -> Vec<AreaCode>,
        keep: impl Fn(Option<&AreaCode>, Option<&UnitCode>) -> bool,
    ) -> BTreeMap<String, Kpis> {
        let mut sums: HashMap<AreaCode, Acc> = HashMap::new();
        for (a, u, acc) in &self.cells {
            let Some(area) = a else { continue };
            if keep(Some(area), u.as_ref()) {
                for code in ancestors(area) {
                    sums.entry(code).or_default().add(acc);
                }
            }
        }
        sums.into_iter().map(|(code, acc)| (code.as_str().to_owned(), acc.kpis())).collect()
    }
}

#[cfg(test)]
mod tests;
