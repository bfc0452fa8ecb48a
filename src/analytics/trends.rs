//! Weekly trends from the history of each ticket: per ISO week, the tickets received, the
//! resolutions (each resolution event counts in its own week, also when the ticket was
//! reopened later), those of them after the deadline then in force, and the open backlog at
//! the week's end. A past week's figures therefore do not change when a ticket moves today
//! (except that a ticket counts in the area, unit and category it has now).

use chrono::NaiveDate;
use serde::Serialize;

use super::calendar::{date_of, day_number, day_of, start_of_day, weekday_of_day};
use super::catalogue::Catalogue;
use super::facts::{Facts, Outcome};
use super::query::{Query, Selection};
use crate::domain::Scope;

/// One week of a trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Week {
    /// The Monday of the ISO week.
    pub week: NaiveDate,
    /// Tickets received in the week.
    pub received: u64,
    /// Resolutions in the week.
    pub resolved: u64,
    /// Of those, after the deadline in force at the time.
    pub late: u64,
    /// Tickets open at the week's end (or now, for the current week).
    pub backlog: u64,
}

const WEEK_MICROS: i64 = 7 * 86_400_000_000;

/// The weeks from the one containing `from` to the one containing `to`, for the facts that
/// pass every filter of `query` but its period and basis, at `now` (µs).
pub fn weekly(
    facts: &Facts,
    cat: &Catalogue,
    query: &Query,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    now: i64,
) -> Vec<Week> {
    let monday = |d: NaiveDate| {
        let n = day_number(d);
        n - i64::from(weekday_of_day(n))
    };
    let (first, last) = (monday(from.min(to)), monday(from.max(to)));
    let n = ((last - first) / 7 + 1) as usize;
    let start = start_of_day(first);
    // The instant each week's backlog is taken at: its last microsecond, or now.
    let ends: Vec<i64> = (0..n as i64).map(|k| (start + (k + 1) * WEEK_MICROS - 1).min(now)).collect();
    let week_of = |t: i64| -> Option<usize> {
        let k = (t - start).div_euclid(WEEK_MICROS);
        (0..n as i64).contains(&k).then_some(k as usize)
    };
    let sel = Selection::new(facts, cat, query, scope);
    let mut weeks: Vec<Week> = (0..n)
        .map(|k| Week { week: date_of(first + 7 * k as i64), received: 0, resolved: 0, late: 0, backlog: 0 })
        .collect();
    // Backlog as a difference array over the weeks: +1 where an open stretch starts counting.
    let mut diff = vec![0i64; n + 1];
    for f in facts.rows() {
        if !sel.passes_place_and_kind(f) || f.received > now {
            continue;
        }
        if let Some(k) = week_of(f.received) {
            weeks[k].received += 1;
        }
        let mut open_from = f.received;
        for s in &f.settlements {
            if s.outcome == Outcome::Resolved
                && s.at <= now
                && let Some(k) = week_of(s.at)
            {
                weeks[k].resolved += 1;
                weeks[k].late += u64::from(s.late);
            }
            mark(&mut diff, &ends, open_from, s.at);
            match s.reopened_at {
                Some(r) => open_from = r,
                None => {
                    open_from = i64::MAX;
                    break;
                }
            }
        }
        mark(&mut diff, &ends, open_from, i64::MAX);
    }
    let mut running = 0i64;
    for (k, w) in weeks.iter_mut().enumerate() {
        running += diff[k];
        w.backlog = running.max(0) as u64;
    }
    weeks
}

/// Counts an open stretch `[a, b)` in every week whose end instant falls in it.
fn mark(diff: &mut [i64], ends: &[i64], a: i64, b: i64) {
    if a >= b {
        return;
    }
    let lo = ends.partition_point(|&e| e < a);
    let hi = ends.partition_point(|&e| e < b);
    if lo < hi {
        diff[lo] += 1;
        diff[hi] -= 1;
    }
}

/// The default span of a trend: the `weeks` weeks up to the one containing `now`.
pub fn last_weeks(now: i64, weeks: u32) -> (NaiveDate, NaiveDate) {
    let today = day_of(now);
    (date_of(today - 7 * i64::from(weeks.max(1) - 1)), date_of(today))
}
