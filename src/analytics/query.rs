//! The statistics engine: a [`Query`] — filters and one or two dimensions to group by — run
//! over every [`Fact`] in one pass ([`run`]), giving a [`Table`] of [`Measures`] per group
//! and for the whole selection.

use rustc_hash::FxHashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::calendar::{WorkingDays, date_of, day_number, day_of, hour_of, start_of_day, weekday_of_day};
use super::catalogue::{Catalogue, Mask, area_mask, category_mask, passes, unit_mask};
use super::facts::{Dict, Fact, Facts, NONE};
use super::measures::{Acc, Measures, Timing};
use crate::domain::{AreaCode, CategoryCode, Channel, Field, HolidayCalendar, Priority, Scope, UnitCode};

/// Which instant of a ticket the period and the time dimensions look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// When it was received.
    #[default]
    Received,
    /// When it was resolved (tickets not resolved now are left out).
    Resolved,
}

/// What to group by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "by", content = "level")]
pub enum Dimension {
    /// The area at this level (e.g. `district`) containing the ticket's area.
    Area(String),
    Unit,
    Field,
    Category,
    Channel,
    Priority,
    /// Vietnam date of the basis instant.
    Day,
    /// ISO week (keyed by its Monday).
    Week,
    Month,
    /// Hour of day, 0–23, Vietnam time.
    Hour,
    /// Monday = 1 … Sunday = 7.
    Weekday,
}

/// Filters and grouping. Empty lists do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub basis: Basis,
    /// First and last day of the period (Vietnam dates, both included).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Areas, each with every area below it.
    pub areas: Vec<AreaCode>,
    /// Units, each with its sub-units.
    pub units: Vec<UnitCode>,
    pub fields: Vec<Field>,
    pub categories: Vec<CategoryCode>,
    pub channels: Vec<Channel>,
    pub priorities: Vec<Priority>,
    /// At most two dimensions.
    pub group: Vec<Dimension>,
}

/// A group's value on one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", untagged)]
pub enum Key {
    /// An area, unit or category code; `None` for tickets without one.
    Code(Option<String>),
    Field(Field),
    Channel(Channel),
    Priority(Priority),
    /// A day, or the Monday of a week.
    Date(NaiveDate),
    /// `YYYY-MM`.
    Month(String),
    /// An hour (0–23) or a weekday (1–7).
    Number(u32),
}

/// One group and its measures.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: Vec<Key>,
    pub measures: Measures,
}

/// The result of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub rows: Vec<Row>,
    pub total: Measures,
    /// Tickets received in the period in the whole city with the same filters except areas,
    /// units and the role's scope (the base of the satisfaction index's volume component).
    pub city_received: u64,
}

/// The compiled filters of a query.
pub(crate) struct Selection<'a> {
    query: &'a Query,
    areas: Mask,
    units: Mask,
    categories: Mask,
    /// `[from, to)` in µs; open ends are unbounded.
    lo: i64,
    hi: i64,
}

impl<'a> Selection<'a> {
    pub(crate) fn new(facts: &Facts, cat: &Catalogue, query: &'a Query, scope: &Scope) -> Self {
        Selection {
            query,
            areas: area_mask(facts, cat, &query.areas, scope),
            units: unit_mask(facts, cat, &query.units, scope),
            categories: category_mask(facts, cat, &query.fields, &query.categories),
            lo: query.from.map_or(i64::MIN, |d| start_of_day(day_number(d))),
            hi: query.to.map_or(i64::MAX, |d| start_of_day(day_number(d) + 1)),
        }
    }

    /// Every filter but the period and the places (areas, units, scope).
    fn passes_kind(&self, f: &Fact) -> bool {
        let q = self.query;
        passes(&self.categories, f.category)
            && (q.channels.is_empty() || q.channels.contains(&f.channel))
            && (q.priorities.is_empty() || q.priorities.contains(&f.priority))
    }

    /// Every filter but the period.
    pub(crate) fn passes_place_and_kind(&self, f: &Fact) -> bool {
        passes(&self.areas, f.area) && passes(&self.units, f.unit) && self.passes_kind(f)
    }

    /// The instant the period looks at, if the fact has one.
    fn basis(&self, f: &Fact) -> Option<i64> {
        match self.query.basis {
            Basis::Received => Some(f.received),
            Basis::Resolved => f.resolved.filter(|_| f.is_resolved()),
        }
    }

    fn in_period(&self, t: i64) -> bool {
        self.lo <= t && t < self.hi
    }
}

/// Runs `query` within `scope` over every fact, as things stand at `now` (µs).
pub fn run(
    facts: &Facts,
    cat: &Catalogue,
    calendar: &HolidayCalendar,
    query: &Query,
    scope: &Scope,
    now: i64,
) -> Table {
    run_split(facts, cat, calendar, query, scope, now, MIN_ROWS_PER_THREAD)
}

/// [`run`], with the rows split between threads in shares of at least `min_rows`.
pub(crate) fn run_split(
    facts: &Facts,
    cat: &Catalogue,
    calendar: &HolidayCalendar,
    query: &Query,
    scope: &Scope,
    now: i64,
    min_rows: usize,
) -> Table {
    let sel = Selection::new(facts, cat, query, scope);
    let days = working_days(facts, calendar, now);
    let keys: Vec<KeyMap> = query.group.iter().take(2).map(|d| KeyMap::new(d, facts, cat)).collect();
    // One pass per core over its share of the rows, merged: the sums do not depend on the order.
    let rows = facts.rows();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(2, PASS_THREADS);
    let part = rows.len().div_ceil(threads.max(1)).max(min_rows.max(1));
    let pass = |chunk: &[Fact]| fold(chunk, &sel, &days, &keys, now);
    let mut parts: Vec<Pass> = if rows.len() <= part {
        vec![pass(rows)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = rows.chunks(part).map(|c| s.spawn(move || pass(c))).collect();
            handles.into_iter().map(|h| h.join().expect("a statistics pass panicked")).collect()
        })
    };
    let mut merged = parts.pop().unwrap_or_default();
    for p in parts {
        merged.merge(p);
    }
    let Pass { groups, total, city_received } = merged;
    let mut rows: Vec<Row> = groups
        .into_iter()
        .map(|(key, acc)| Row {
            key: keys.iter().zip(key).map(|(k, id)| k.label(id, facts)).collect(),
            measures: acc.measures(),
        })
        .collect();
    rows.sort_by(|a, b| a.key.cmp(&b.key));
    Table { rows, total: total.measures(), city_received }
}

/// Threads a query's pass is split over, at most.
const PASS_THREADS: usize = 4;
/// Fewer rows than this are not worth a thread.
const MIN_ROWS_PER_THREAD: usize = 50_000;

/// What one pass over a share of the rows adds up.
#[derive(Default)]
struct Pass {
    groups: FxHashMap<[u32; 2], Acc>,
    total: Acc,
    city_received: u64,
}

impl Pass {
    fn merge(&mut self, other: Pass) {
        for (k, acc) in other.groups {
            self.groups.entry(k).or_default().merge(acc);
        }
        self.total.merge(other.total);
        self.city_received += other.city_received;
    }
}

fn fold(rows: &[Fact], sel: &Selection, days: &WorkingDays, keys: &[KeyMap], now: i64) -> Pass {
    let mut p = Pass::default();
    for f in rows {
        let Some(t) = sel.basis(f) else { continue };
        if !sel.in_period(t) || !sel.passes_kind(f) {
            continue;
        }
        p.city_received += 1;
        if !passes(&sel.areas, f.area) || !passes(&sel.units, f.unit) {
            continue;
        }
        let end = if f.is_resolved() { f.resolved.unwrap_or(now) } else { now };
        let timing = Timing { working_days: days.between(day_of(f.received), day_of(end)) };
        if !keys.is_empty() {
            let mut key = [NONE; 2];
            for (slot, k) in key.iter_mut().zip(keys) {
                *slot = k.key(f, t);
            }
            p.groups.entry(key).or_default().add(f, now, timing);
        }
        p.total.add(f, now, timing);
    }
    p
}

/// The working-day table for every day a fact or `now` falls on.
pub(crate) fn working_days(facts: &Facts, calendar: &HolidayCalendar, now: i64) -> WorkingDays {
    let (first, last) = facts.span().unwrap_or((now, now));
    WorkingDays::new(calendar, day_of(first.min(now)) - 1, day_of(last.max(now)) + 1)
}

/// How one dimension turns a fact into a key id, and back into a [`Key`].
enum KeyMap {
    /// Fact area id → id in `codes` (the area at the level).
    Area {
        of: Vec<u32>,
        codes: Dict<AreaCode>,
    },
    Unit,
    Field(Vec<Field>),
    Category,
    Channel,
    Priority,
    Day,
    Week,
    Month,
    Hour,
    Weekday,
}

const CHANNELS: [Channel; 10] = [
    Channel::Hotline,
    Channel::Web,
    Channel::App,
    Channel::Email,
    Channel::Zalo,
    Channel::Facebook,
    Channel::Sms,
    Channel::Open311,
    Channel::Operator,
    Channel::Press,
];
const PRIORITIES: [Priority; 4] = [Priority::Low, Priority::Normal, Priority::High, Priority::Urgent];

impl KeyMap {
    fn new(d: &Dimension, facts: &Facts, cat: &Catalogue) -> Self {
        match d {
            Dimension::Area(level) => {
                let mut codes = Dict::default();
                let of = facts
                    .areas
                    .iter()
                    .map(|(_, code)| cat.area_at_level(code, level).map_or(NONE, |a| codes.intern(a)))
                    .collect();
                KeyMap::Area { of, codes }
            }
            Dimension::Unit => KeyMap::Unit,
            Dimension::Field => KeyMap::Field(facts.categories.iter().map(|(_, c)| cat.field(c)).collect()),
            Dimension::Category => KeyMap::Category,
            Dimension::Channel => KeyMap::Channel,
            Dimension::Priority => KeyMap::Priority,
            Dimension::Day => KeyMap::Day,
            Dimension::Week => KeyMap::Week,
            Dimension::Month => KeyMap::Month,
            Dimension::Hour => KeyMap::Hour,
            Dimension::Weekday => KeyMap::Weekday,
        }
    }

    /// The key id of fact `f` whose basis instant is `t`.
    fn key(&self, f: &Fact, t: i64) -> u32 {
        let day = day_of(t);
        match self {
            KeyMap::Area { of, .. } => of.get(f.area as usize).copied().unwrap_or(NONE),
            KeyMap::Unit => f.unit,
            KeyMap::Field(fields) => fields
                .get(f.category as usize)
                .and_then(|fl| Field::ALL.iter().position(|x| x == fl))
                .map_or(NONE, |i| i as u32),
            KeyMap::Category => f.category,
            KeyMap::Channel => CHANNELS.iter().position(|c| *c == f.channel).map_or(NONE, |i| i as u32),
            KeyMap::Priority => PRIORITIES.iter().position(|p| *p == f.priority).map_or(NONE, |i| i as u32),
            KeyMap::Day => day as u32,
            KeyMap::Week => (day - i64::from(weekday_of_day(day))) as u32,
            KeyMap::Month => {
                let d = date_of(day);
                (d.year() * 12 + d.month0() as i32) as u32
            }
            KeyMap::Hour => hour_of(t),
            KeyMap::Weekday => weekday_of_day(day) + 1,
        }
    }

    fn label(&self, id: u32, facts: &Facts) -> Key {
        let code = |s: Option<String>| Key::Code(s);
        match self {
            KeyMap::Area { codes, .. } => code(codes.code(id).map(|c| c.to_string())),
            KeyMap::Unit => code(facts.units.code(id).map(|c| c.to_string())),
            KeyMap::Category => code(facts.categories.code(id).map(|c| c.to_string())),
            KeyMap::Field(_) => Key::Field(Field::ALL.get(id as usize).copied().unwrap_or(Field::Other)),
            KeyMap::Channel => Key::Channel(CHANNELS[id as usize % CHANNELS.len()]),
            KeyMap::Priority => Key::Priority(PRIORITIES[id as usize % PRIORITIES.len()]),
            KeyMap::Day | KeyMap::Week => Key::Date(date_of(i64::from(id as i32))),
            KeyMap::Month => {
                let n = id as i32;
                Key::Month(format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1))
            }
            KeyMap::Hour | KeyMap::Weekday => Key::Number(id),
        }
    }
}
