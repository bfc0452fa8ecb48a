//! The measures of a set of tickets: an accumulator ([`Acc`]) filled one [`Fact`] at a time,
//! and what it reports ([`Measures`]). The definitions, with their formulas, are in
//! `docs/metrics.md`.

use serde::Serialize;

use super::facts::Fact;

/// Upper bounds (inclusive, in working days since receipt) of the backlog's age buckets; the
/// last bucket has no bound.
pub const BACKLOG_BUCKETS: [u32; 4] = [2, 5, 7, 15];
/// The labels of the age buckets, in order.
pub const BACKLOG_LABELS: [&str; 5] = ["0-2", "3-5", "6-7", "8-15", "16+"];

const MICROS_PER_HOUR: f64 = 3_600_000_000.0;

/// What one fact contributes besides its own columns: its handling time in working days
/// (resolved tickets) or its age in working days (open tickets).
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub working_days: u32,
}

/// Sums of a set of tickets, mergeable.
#[derive(Debug, Clone, Default)]
pub struct Acc {
    pub received: u64,
    pub resolved: u64,
    pub rejected: u64,
    pub duplicates: u64,
    pub open: u64,
    pub overdue: u64,
    pub on_time: u64,
    pub late: u64,
    pub returned: u64,
    pub forwarded: u64,
    pub reopened: u64,
    pub ratings: [u64; 5],
    pub backlog: [u64; 5],
    /// Handling times of the resolved tickets: working days, and microseconds.
    pub handling_days: Vec<u32>,
    pub handling_micros: Vec<i64>,
}

impl Acc {
    /// Adds one ticket, as it stands at `now` (µs).
    pub fn add(&mut self, f: &Fact, now: i64, timing: Timing) {
        self.received += 1;
        if f.is_resolved() {
            self.resolved += 1;
            let resolved = f.resolved.unwrap_or(now);
            if resolved <= f.deadline {
                self.on_time += 1;
            } else {
                self.late += 1;
            }
            self.handling_days.push(timing.working_days);
            self.handling_micros.push(resolved - f.received);
        }
        match f.status {
            crate::domain::Status::Rejected => self.rejected += 1,
            crate::domain::Status::Duplicate => self.duplicates += 1,
            _ => {}
        }
        if f.is_open() {
            self.open += 1;
            if now > f.deadline {
                self.overdue += 1;
            }
            let bucket =
                BACKLOG_BUCKETS.iter().position(|&b| timing.working_days <= b).unwrap_or(BACKLOG_BUCKETS.len());
            self.backlog[bucket] += 1;
        }
        self.returned += u64::from(f.returned > 0);
        self.forwarded += u64::from(f.forwarded > 0);
        self.reopened += u64::from(f.reopened > 0);
        if let Some(r) = f.rating.filter(|r| (1..=5).contains(r)) {
            self.ratings[usize::from(r - 1)] += 1;
        }
    }

    /// Adds the tickets `other` summed.
    pub fn merge(&mut self, other: Acc) {
        self.received += other.received;
        self.resolved += other.resolved;
        self.rejected += other.rejected;
        self.duplicates += other.duplicates;
        self.open += other.open;
        self.overdue += other.overdue;
        self.on_time += other.on_time;
        self.late += other.late;
        self.returned += other.returned;
        self.forwarded += other.forwarded;
        self.reopened += other.reopened;
        for (a, b) in self.ratings.iter_mut().zip(other.ratings) {
            *a += b;
        }
        for (a, b) in self.backlog.iter_mut().zip(other.backlog) {
            *a += b;
        }
        self.handling_days.extend(other.handling_days);
        self.handling_micros.extend(other.handling_micros);
    }

    /// The reported measures (consumes the collected handling times).
    pub fn measures(mut self) -> Measures {
        let rated: u64 = self.ratings.iter().sum();
        let weighted: u64 = self.ratings.iter().enumerate().map(|(i, n)| (i as u64 + 1) * n).sum();
        let hours = |v: Option<i64>| v.map(|m| round3(m as f64 / MICROS_PER_HOUR));
        Measures {
            received: self.received,
            resolved: self.resolved,
            rejected: self.rejected,
            duplicates: self.duplicates,
            open: self.open,
            overdue: self.overdue,
            on_time: self.on_time,
            late: self.late,
            on_time_rate: ratio(self.on_time, self.resolved),
            lateness_rate: ratio(self.late + self.overdue, self.resolved + self.overdue),
            handling_days_median: percentile(&mut self.handling_days, 50),
            handling_days_p90: percentile(&mut self.handling_days, 90),
            handling_hours_median: hours(percentile(&mut self.handling_micros, 50)),
            handling_hours_p90: hours(percentile(&mut self.handling_micros, 90)),
            returned: self.returned,
            forwarded: self.forwarded,
            reopened: self.reopened,
            reopen_rate: ratio(self.reopened, self.resolved),
            rated,
            rating_mean: (rated > 0).then(|| round3(weighted as f64 / rated as f64)),
            ratings: self.ratings,
            rating_response_rate: ratio(rated, self.resolved),
            backlog: self.backlog,
        }
    }
}

/// `num / den` to 4 decimals, `None` when `den` is 0.
pub fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| (num as f64 / den as f64 * 10_000.0).round() / 10_000.0)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The nearest-rank `p`-th percentile: the value at rank ⌈p·n/100⌉ of the sorted values
/// (the median of 4 values is the 2nd). Reorders `values`.
pub fn percentile<T: Ord + Copy>(values: &mut [T], p: usize) -> Option<T> {
    if values.is_empty() {
        return None;
    }
    let rank = (p * values.len()).div_ceil(100).max(1);
    let (_, v, _) = values.select_nth_unstable(rank - 1);
    Some(*v)
}

/// The measures of a set of tickets (definitions in `docs/metrics.md`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Measures {
    /// Tickets in the set.
    pub received: u64,
    /// Of them, resolved (or resolved and closed) now.
    pub resolved: u64,
    pub rejected: u64,
    pub duplicates: u64,
    /// Still being handled now.
    pub open: u64,
    /// Of the open ones, past their deadline now.
    pub overdue: u64,
    /// Resolved by their deadline (as extended).
    pub on_time: u64,
    /// Resolved after it.
    pub late: u64,
    /// on_time / resolved.
    pub on_time_rate: Option<f64>,
    /// (late + overdue) / (resolved + overdue): the HCMC centre's lateness rate.
    pub lateness_rate: Option<f64>,
    /// Working days from receipt to resolution (nearest-rank median and 90th percentile).
    pub handling_days_median: Option<u32>,
    pub handling_days_p90: Option<u32>,
    /// Hours from receipt to resolution.
    pub handling_hours_median: Option<f64>,
    pub handling_hours_p90: Option<f64>,
    /// Tickets returned to the centre at least once (routing quality).
    pub returned: u64,
    /// Tickets forwarded from one unit to another at least once.
    pub forwarded: u64,
    /// Tickets reopened at least once (result quality).
    pub reopened: u64,
    /// reopened / resolved.
    pub reopen_rate: Option<f64>,
    /// Tickets with a citizen's rating.
    pub rated: u64,
    pub rating_mean: Option<f64>,
    /// How many ratings of 1, 2, 3, 4 and 5.
    pub ratings: [u64; 5],
    /// rated / resolved.
    pub rating_response_rate: Option<f64>,
    /// Open tickets by age in working days: 0–2, 3–5, 6–7, 8–15, 16 and more.
    pub backlog: [u64; 5],
}
