//! An independent, brute-force computation of the statistics, for the tests only: it reads
//! the tickets and their events as a person would (dates through the time-zone database,
//! working days by walking the calendar, status by replaying events) and shares no code with
//! the engine but the output types. Included by `analytics::tests` and by the integration
//! tests (`tests/it/analytics`), each of which provides `super::deps` (this crate's
//! `analytics` and `domain` items).

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;

use super::deps::*;

/// One event with the ticket as it left it.
#[derive(Debug, Clone)]
pub struct Event {
    pub seq: i64,
    pub kind: EventKind,
    pub at: DateTime<Utc>,
    pub ticket: Ticket,
}

/// What the oracle reads.
pub struct World<'a> {
    pub tickets: &'a [Ticket],
    /// Every event, in `seq` order.
    pub events: &'a [Event],
    pub cat: &'a Catalogue,
    pub calendar: &'a HolidayCalendar,
    pub now: DateTime<Utc>,
}

fn vn_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&Ho_Chi_Minh).date_naive()
}

/// Working days after `a` up to and including `b`, walking the calendar.
fn working_days(cal: &HolidayCalendar, a: NaiveDate, b: NaiveDate) -> u32 {
    let (mut d, mut n) = (a, 0);
    while d < b {
        d = d.succ_opt().unwrap();
        n += u32::from(cal.is_working_day(d));
    }
    n
}

fn area_line(cat: &Catalogue, code: &AreaCode) -> Vec<AreaCode> {
    let mut out = vec![code.clone()];
    while let Some(p) = cat.areas.get(out.last().unwrap()).and_then(|a| a.parent.clone()) {
        if out.contains(&p) {
            break;
        }
        out.push(p);
    }
    out
}

fn unit_line(cat: &Catalogue, code: &UnitCode) -> Vec<UnitCode> {
    let mut out = vec![code.clone()];
    while let Some(Some(p)) = cat.unit_parents.get(out.last().unwrap()).cloned() {
        if out.contains(&p) {
            break;
        }
        out.push(p);
    }
    out
}

fn resolved(t: &Ticket) -> Option<DateTime<Utc>> {
    t.resolved_at.filter(|_| matches!(t.status, Status::Resolved | Status::Closed))
}

fn field_of(cat: &Catalogue, c: &CategoryCode) -> Field {
    cat.fields.get(c).copied().unwrap_or(Field::Other)
}

/// Every filter of `q` but the period.
fn passes(w: &World, q: &Query, scope: &Scope, t: &Ticket) -> bool {
    let areas = t.area.as_ref().map(|a| area_line(w.cat, a)).unwrap_or_default();
    let units = t.unit.as_ref().map(|u| unit_line(w.cat, u)).unwrap_or_default();
    let in_scope = match scope {
        Scope::All => true,
        Scope::Areas(s) => t.area.as_ref().is_some_and(|a| s.contains(a)),
        Scope::Units(s) => t.unit.as_ref().is_some_and(|u| s.contains(u)),
    };
    in_scope
        && (q.areas.is_empty() || q.areas.iter().any(|a| areas.contains(a)))
        && (q.units.is_empty() || q.units.iter().any(|u| units.contains(u)))
        && (q.fields.is_empty() || q.fields.contains(&field_of(w.cat, &t.category)))
        && (q.categories.is_empty() || q.categories.contains(&t.category))
        && (q.channels.is_empty() || q.channels.contains(&t.channel))
        && (q.priorities.is_empty() || q.priorities.contains(&t.priority))
}

/// The instant the period looks at.
fn basis(q: &Query, t: &Ticket) -> Option<DateTime<Utc>> {
    match q.basis {
        Basis::Received => Some(t.received_at),
        Basis::Resolved => resolved(t),
    }
}

fn in_period(q: &Query, at: DateTime<Utc>) -> bool {
    let d = vn_date(at);
    q.from.is_none_or(|f| d >= f) && q.to.is_none_or(|to| d <= to)
}

/// An engine key as text, as the oracle writes its own keys.
pub fn key_text(k: &Key) -> String {
    match k {
        Key::Code(c) => c.clone().unwrap_or_else(|| "-".into()),
        Key::Field(f) => serde_json::to_value(f).unwrap().as_str().unwrap().to_owned(),
        Key::Channel(c) => serde_json::to_value(c).unwrap().as_str().unwrap().to_owned(),
        Key::Priority(p) => serde_json::to_value(p).unwrap().as_str().unwrap().to_owned(),
        Key::Date(d) => d.to_string(),
        Key::Month(m) => m.clone(),
        Key::Number(n) => n.to_string(),
    }
}

fn key(w: &World, d: &Dimension, t: &Ticket, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Ho_Chi_Minh);
    let name = |v: serde_json::Value| v.as_str().unwrap().to_owned();
    match d {
        Dimension::Area(level) => t
            .area
            .as_ref()
            .and_then(|a| {
                area_line(w.cat, a).into_iter().find(|c| w.cat.areas.get(c).is_some_and(|x| &x.level == level))
            })
            .map_or("-".into(), |c| c.to_string()),
        Dimension::Unit => t.unit.as_ref().map_or("-".into(), |u| u.to_string()),
        Dimension::Field => name(serde_json::to_value(field_of(w.cat, &t.category)).unwrap()),
        Dimension::Category => t.category.to_string(),
        Dimension::Channel => name(serde_json::to_value(t.channel).unwrap()),
        Dimension::Priority => name(serde_json::to_value(t.priority).unwrap()),
        Dimension::Day => local.date_naive().to_string(),
        Dimension::Week => {
            let d = local.date_naive();
            (d - Duration::days(i64::from(d.weekday().num_days_from_monday()))).to_string()
        }
        Dimension::Month => format!("{:04}-{:02}", local.year(), local.month()),
        Dimension::Hour => local.hour().to_string(),
        Dimension::Weekday => local.weekday().number_from_monday().to_string(),
    }
}

fn rate(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| (n as f64 / d as f64 * 10_000.0).round() / 10_000.0)
}

fn nearest_rank<T: Ord + Copy>(mut v: Vec<T>, p: usize) -> Option<T> {
    v.sort();
    let n = v.len();
    (n > 0).then(|| v[(p * n).div_ceil(100).max(1) - 1])
}

/// The measures of a set of tickets.
pub fn measures(w: &World, set: &[&Ticket]) -> Measures {
    let ever = |t: &Ticket, kind: EventKind| w.events.iter().any(|e| e.ticket.id == t.id && e.kind == kind);
    let count = |f: &dyn Fn(&Ticket) -> bool| set.iter().filter(|t| f(t)).count() as u64;
    let done: Vec<&&Ticket> = set.iter().filter(|t| resolved(t).is_some()).collect();
    let on_time = done.iter().filter(|t| resolved(t).unwrap() <= t.deadline).count() as u64;
    let overdue = count(&|t| t.status.is_open() && w.now > t.deadline);
    let days: Vec<u32> =
        done.iter().map(|t| working_days(w.calendar, vn_date(t.received_at), vn_date(resolved(t).unwrap()))).collect();
    let micros: Vec<i64> =
        done.iter().map(|t| (resolved(t).unwrap() - t.received_at).num_microseconds().unwrap()).collect();
    let hours = |m: Option<i64>| m.map(|m| ((m as f64 / 3_600_000_000.0) * 1000.0).round() / 1000.0);
    let mut ratings = [0u64; 5];
    for t in set {
        if let Some(r) = t.rating {
            ratings[usize::from(r.get()) - 1] += 1;
        }
    }
    let rated: u64 = ratings.iter().sum();
    let mut backlog = [0u64; 5];
    for t in set.iter().filter(|t| t.status.is_open()) {
        let age = working_days(w.calendar, vn_date(t.received_at), vn_date(w.now));
        backlog[match age {
            0..=2 => 0,
            3..=5 => 1,
            6..=7 => 2,
            8..=15 => 3,
            _ => 4,
        }] += 1;
    }
    let resolved_n = done.len() as u64;
    let reopened = count(&|t| ever(t, EventKind::Reopened));
    let late = resolved_n - on_time;
    Measures {
        received: set.len() as u64,
        resolved: resolved_n,
        rejected: count(&|t| t.status == Status::Rejected),
        duplicates: count(&|t| t.status == Status::Duplicate),
        open: count(&|t| t.status.is_open()),
        overdue,
        on_time,
        late,
        on_time_rate: rate(on_time, resolved_n),
        lateness_rate: rate(late + overdue, resolved_n + overdue),
        handling_days_median: nearest_rank(days.clone(), 50),
        handling_days_p90: nearest_rank(days, 90),
        handling_hours_median: hours(nearest_rank(micros.clone(), 50)),
        handling_hours_p90: hours(nearest_rank(micros, 90)),
        returned: count(&|t| ever(t, EventKind::Returned)),
        forwarded: count(&|t| ever(t, EventKind::Forwarded)),
        reopened,
        reopen_rate: rate(reopened, resolved_n),
        rated,
        rating_mean: (rated > 0).then(|| {
            let sum: u64 = ratings.iter().enumerate().map(|(i, n)| (i as u64 + 1) * n).sum();
            ((sum as f64 / rated as f64) * 1000.0).round() / 1000.0
        }),
        ratings,
        rating_response_rate: rate(rated, resolved_n),
        backlog,
    }
}

/// The groups of a query (keys as text) and the total.
pub fn table(w: &World, q: &Query, scope: &Scope) -> (BTreeMap<Vec<String>, Measures>, Measures) {
    let chosen: Vec<(&Ticket, DateTime<Utc>)> = w
        .tickets
        .iter()
        .filter_map(|t| basis(q, t).map(|at| (t, at)))
        .filter(|(t, at)| in_period(q, *at) && passes(w, q, scope, t))
        .collect();
    let mut groups: BTreeMap<Vec<String>, Vec<&Ticket>> = BTreeMap::new();
    if !q.group.is_empty() {
        for (t, at) in &chosen {
            groups.entry(q.group.iter().map(|d| key(w, d, t, *at)).collect()).or_default().push(t);
        }
    }
    let all: Vec<&Ticket> = chosen.iter().map(|(t, _)| *t).collect();
    (groups.into_iter().map(|(k, v)| (k, measures(w, &v))).collect(), measures(w, &all))
}

/// The weekly trend of the weeks from `from`'s to `to`'s, replaying each ticket's events.
pub fn weeks(w: &World, q: &Query, scope: &Scope, from: NaiveDate, to: NaiveDate) -> Vec<Week> {
    let monday = |d: NaiveDate| d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
    let mut out = Vec::new();
    let mut week = monday(from);
    while week <= monday(to) {
        let start = week.and_hms_opt(0, 0, 0).unwrap().and_local_timezone(Ho_Chi_Minh).unwrap().with_timezone(&Utc);
        let next = start + Duration::days(7);
        let end = (next - Duration::microseconds(1)).min(w.now);
        let tickets: Vec<&Ticket> =
            w.tickets.iter().filter(|t| passes(w, q, scope, t) && t.received_at <= w.now).collect();
        let ids: HashSet<TicketId> = tickets.iter().map(|t| t.id).collect();
        let in_week = |at: DateTime<Utc>| start <= at && at < next && at <= w.now;
        let resolutions: Vec<&Event> = w
            .events
            .iter()
            .filter(|e| ids.contains(&e.ticket.id) && e.kind == EventKind::Resolved && in_week(e.at))
            .collect();
        let open_at_end = |t: &Ticket| {
            if t.received_at > end {
                return false;
            }
            let last = w.events.iter().rfind(|e| e.ticket.id == t.id && e.at <= end);
            last.is_none_or(|e| e.ticket.status.is_open())
        };
        out.push(Week {
            week,
            received: tickets.iter().filter(|t| in_week(t.received_at)).count() as u64,
            resolved: resolutions.len() as u64,
            late: resolutions.iter().filter(|e| e.at > e.ticket.deadline).count() as u64,
            backlog: tickets.iter().filter(|t| open_at_end(t)).count() as u64,
        });
        week += Duration::days(7);
    }
    out
}
