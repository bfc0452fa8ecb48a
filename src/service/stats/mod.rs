//! [`Analytics`]: the leaders' statistics — breakdowns with any filters and grouping, weekly
//! trends and the satisfaction index — over the facts the projection keeps
//! ([`crate::analytics`]), within the scope of the asking role.

pub mod csv;
pub mod labels;
pub mod params;
pub mod public;
pub mod staffing;
pub mod xlsx;

use std::sync::{Arc, RwLock};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use serde::Serialize;

use self::labels::{KeyLabel, label};
pub use self::params::{StatsParams, StatsRequest};
use super::{Reference, ServiceError, ServiceResult, Tickets};
use crate::analytics::{
    AreaInfo, Basis, Catalogue, Dimension, Facts, Key, Measures, Query, Satisfaction, Week, Weights, micros, run,
    satisfaction, weekly,
};
use crate::domain::{AreaCode, HolidayCalendar, Principal, Role, Scope, ValidationErrors};
use crate::store::Store;

/// The statistics of one instance. Cheap to clone.
#[derive(Clone)]
pub struct Analytics(Arc<Inner>);

struct Inner {
    /// For the calls of the staffing figures.
    store: Arc<dyn Store>,
    /// Written by the projection only.
    facts: Arc<RwLock<Facts>>,
    tickets: Tickets,
    calendar: Arc<HolidayCalendar>,
    weights: Weights,
}

/// One group of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StatsRow {
    /// The group's value on each dimension (empty for the total).
    pub key: Vec<KeyLabel>,
    pub measures: Measures,
    /// For the total and for groups by area or unit.
    pub satisfaction: Option<Satisfaction>,
}

/// A breakdown: the query as understood, a row per group, the total.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StatsReport {
    pub basis: Basis,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub group: Vec<String>,
    pub generated_at: DateTime<Utc>,
    pub rows: Vec<StatsRow>,
    pub total: StatsRow,
    /// With `compare=true`: the period of the same length just before, and its total.
    pub previous: Option<PreviousPeriod>,
    /// The weights of the satisfaction index.
    pub weights: Weights,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PreviousPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: StatsRow,
}

/// A weekly trend.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TrendReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub weeks: Vec<Week>,
}

impl Analytics {
    pub fn new(
        store: Arc<dyn Store>,
        facts: Arc<RwLock<Facts>>,
        tickets: Tickets,
        calendar: Arc<HolidayCalendar>,
        weights: Weights,
    ) -> Self {
        Analytics(Arc::new(Inner { store, facts, tickets, calendar, weights }))
    }

    /// Today's date in Vietnam.
    pub fn today(&self) -> NaiveDate {
        Utc::now().with_timezone(&Ho_Chi_Minh).date_naive()
    }

    /// Parses a query string against the configured area levels.
    pub fn parse(&self, params: &StatsParams) -> ServiceResult<StatsRequest> {
        let reference = self.0.tickets.reference();
        Ok(params.parse(self.today(), reference.areas.levels())?)
    }

    /// Which tickets `p` may count: admins, operators and analysts' keys all, leaders their
    /// areas, agency staff their units.
    fn scope(&self, p: &Principal, reference: &Reference) -> ServiceResult<Scope> {
        match p.role() {
            None => Err(ServiceError::Unauthenticated),
            Some(Role::Admin | Role::Operator | Role::Leader | Role::Agency | Role::Analyst) => self
                .0
                .tickets
                .scope(p, reference)
                .ok_or_else(|| ServiceError::Forbidden("no statistics for this role".into())),
            Some(_) => Err(ServiceError::Forbidden("no statistics for this role".into())),
        }
    }

    /// Refuses codes the reference data does not know, naming the parameter.
    fn check_codes(&self, q: &Query, r: &Reference) -> ServiceResult<()> {
        let mut errs = ValidationErrors::new();
        for a in &q.areas {
            if !r.areas.versions().iter().any(|v| &v.code == a) {
                errs.push("area", format!("no area {a}"));
            }
        }
        for u in q.units.iter().filter(|u| r.unit(u).is_none()) {
            errs.push("unit", format!("no unit {u}"));
        }
        for c in q.categories.iter().filter(|c| r.category(c).is_none()) {
            errs.push("category", format!("no category {c}"));
        }
        Ok(errs.into_result()?)
    }

    /// A breakdown for `p`, as things stand now.
    pub fn report(&self, p: &Principal, req: &StatsRequest) -> ServiceResult<StatsReport> {
        self.report_at(p, req, Utc::now())
    }

    /// A breakdown for `p` at `now` (a test clock, or the Friday report's tick).
    pub fn report_at(&self, p: &Principal, req: &StatsRequest, now: DateTime<Utc>) -> ServiceResult<StatsReport> {
        let reference = self.0.tickets.reference();
        let scope = self.scope(p, &reference)?;
        self.check_codes(&req.query, &reference)?;
        let cat = catalogue(&reference);
        let q = &req.query;
        let (table, previous) = {
            let facts = self.0.facts.read().expect("facts lock");
            let table = run(&facts, &cat, &self.0.calendar, q, &scope, micros(now));
            let previous = match (req.compare, q.from, q.to) {
                (true, Some(from), Some(to)) => {
                    let (from, to) = params::previous_period(from, to);
                    let pq = Query { from: Some(from), to: Some(to), group: Vec::new(), ..q.clone() };
                    Some((from, to, run(&facts, &cat, &self.0.calendar, &pq, &scope, micros(now))))
                }
                _ => None,
            };
            (table, previous)
        };
        let city_rate =
            |received: u64| cat.city_population().filter(|&p| p > 0).map(|p| received as f64 * 10_000.0 / p as f64);
        let w = &self.0.weights;
        let selection_population = selection_population(&cat, q, &scope);
        let rows = table
            .rows
            .into_iter()
            .map(|row| {
                let population = match (q.group.first(), row.key.first()) {
                    (Some(Dimension::Area(_)), Some(Key::Code(Some(c)))) => {
                        AreaCode::parse(c, "").ok().and_then(|a| cat.population(&a))
                    }
                    (Some(Dimension::Unit), Some(Key::Code(Some(c)))) => {
                        crate::domain::UnitCode::parse(c, "").ok().and_then(|u| cat.unit_population(&u))
                    }
                    _ => None,
                };
                let by_place = matches!(q.group.first(), Some(Dimension::Area(_) | Dimension::Unit));
                let sat = by_place.then(|| satisfaction(&row.measures, population, city_rate(table.city_received), w));
                StatsRow {
                    key: q.group.iter().zip(&row.key).map(|(d, k)| label(&reference, d, k)).collect(),
                    measures: row.measures,
                    satisfaction: sat,
                }
            })
            .collect();
        let total_row = |m: Measures, city_received: u64| StatsRow {
            key: Vec::new(),
            satisfaction: Some(satisfaction(&m, selection_population, city_rate(city_received), w)),
            measures: m,
        };
        Ok(StatsReport {
            basis: q.basis,
            from: q.from,
            to: q.to,
            group: q.group.iter().map(group_name).collect(),
            generated_at: now,
            rows,
            total: total_row(table.total, table.city_received),
            previous: previous.map(|(from, to, t)| PreviousPeriod {
                from,
                to,
                total: total_row(t.total, t.city_received),
            }),
            weights: *w,
        })
    }

    /// Weekly trends for `p` over the weeks of the request's period (default: the last 12
    /// weeks), with its filters.
    pub fn trends(&self, p: &Principal, req: &StatsRequest) -> ServiceResult<TrendReport> {
        self.trends_at(p, req, Utc::now())
    }

    pub fn trends_at(&self, p: &Principal, req: &StatsRequest, now: DateTime<Utc>) -> ServiceResult<TrendReport> {
        let reference = self.0.tickets.reference();
        let scope = self.scope(p, &reference)?;
        self.check_codes(&req.query, &reference)?;
        let (default_from, default_to) = crate::analytics::last_weeks(micros(now), 12);
        let (from, to) = (req.query.from.unwrap_or(default_from), req.query.to.unwrap_or(default_to));
        if (to - from).num_days() > 7 * params::MAX_WEEKS {
            return Err(ValidationErrors::single(
                "from",
                format!("a trend covers at most {} weeks", params::MAX_WEEKS),
            )
            .into());
        }
        let cat = catalogue(&reference);
        let facts = self.0.facts.read().expect("facts lock");
        let weeks = weekly(&facts, &cat, &req.query, &scope, from, to, micros(now));
        Ok(TrendReport { from, to, weeks })
    }
}

/// `area:district`, `unit`, … as in the query string.
fn group_name(d: &Dimension) -> String {
    match d {
        Dimension::Area(level) => format!("area:{level}"),
        other => labels::dimension_name(other).to_owned(),
    }
}

/// Residents of what a query selects: its areas, else the role's areas, else the city.
fn selection_population(cat: &Catalogue, q: &Query, scope: &Scope) -> Option<u64> {
    if !q.areas.is_empty() {
        return cat.top_population(&q.areas);
    }
    match scope {
        Scope::Areas(set) => cat.top_population(set),
        _ if q.units.len() == 1 => cat.unit_population(&q.units[0]),
        _ => cat.city_population(),
    }
}

/// What the statistics need of a reference snapshot (each area's latest boundary version).
pub fn catalogue(r: &Reference) -> Catalogue {
    let mut c = Catalogue::default();
    for a in r.areas.versions() {
        let newer = c.areas.contains_key(&a.code);
        if !newer || a.valid_to.is_none() {
            c.areas.insert(
                a.code.clone(),
                AreaInfo { parent: a.parent.clone(), level: a.level.clone(), population: a.population },
            );
        }
    }
    for u in &r.units {
        c.unit_parents.insert(u.code.clone(), u.parent.clone());
        c.unit_areas.insert(u.code.clone(), u.areas.clone());
    }
    for cat in &r.categories {
        c.fields.insert(cat.code.clone(), cat.field);
    }
    c
}
