//! The public figures (`/stats`, open data): per district and per unit the volumes, the
//! on-time rate and the satisfaction index; volumes by field; weekly trends of the city.
//! Aggregates only, and any group of fewer than [`MIN_CELL`] tickets is suppressed (its
//! figures are `null`), so that no figure points at a person.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::labels::label;
use super::{Analytics, catalogue, params};
use crate::analytics::{Dimension, Key, Measures, Query, Week, micros, run, satisfaction, weekly};
use crate::domain::Scope;
use crate::service::ServiceResult;

/// Groups with fewer tickets than this are published without figures.
pub const MIN_CELL: u64 = 5;

/// One published group.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PublicRow {
    /// The area or unit code, or the field.
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// `true` when the group had fewer than 5 tickets: every figure below is then `null`.
    pub suppressed: bool,
    pub received: Option<u64>,
    pub resolved: Option<u64>,
    pub on_time_rate: Option<f64>,
    pub rating_mean: Option<f64>,
    pub satisfaction_index: Option<f64>,
}

/// One published week of the city's trend.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PublicWeek {
    pub week: NaiveDate,
    pub suppressed: bool,
    pub received: Option<u64>,
    pub resolved: Option<u64>,
    pub late: Option<u64>,
}

/// What `/stats` publishes.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PublicStats {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub generated_at: DateTime<Utc>,
    pub city: PublicRow,
    pub districts: Vec<PublicRow>,
    pub units: Vec<PublicRow>,
    pub fields: Vec<PublicRow>,
    pub weeks: Vec<PublicWeek>,
}

fn row(code: String, name: String, name_en: String, m: &Measures, index: Option<f64>) -> PublicRow {
    let shown = m.received >= MIN_CELL;
    let keep = |v: Option<f64>| v.filter(|_| shown);
    PublicRow {
        code,
        name,
        name_en,
        suppressed: !shown,
        received: shown.then_some(m.received),
        resolved: shown.then_some(m.resolved),
        on_time_rate: keep(m.on_time_rate),
        rating_mean: keep(m.rating_mean),
        satisfaction_index: keep(index),
    }
}

impl Analytics {
    /// The public figures of the period `from`–`to` (default: the last 30 days), as of `now`.
    pub fn public_figures(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> ServiceResult<PublicStats> {
        let reference = self.0.tickets.reference();
        let today = now.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).date_naive();
        let (dfrom, dto) = params::named_period("last_30_days", today).unwrap_or((today, today));
        let (from, to) = (from.unwrap_or(dfrom), to.unwrap_or(dto));
        if from > to || (to - from).num_days() >= params::MAX_PERIOD_DAYS {
            return Err(crate::domain::ValidationErrors::single(
                "to",
                "must not be before from, and at most 3 years after it",
            )
            .into());
        }
        let cat = catalogue(&reference);
        let level = reference.areas.levels().0.get(1).cloned().unwrap_or_else(|| "district".into());
        let facts = self.0.facts.read().expect("facts lock");
        let at = micros(now);
        let base = Query { from: Some(from), to: Some(to), ..Query::default() };
        let table = |group: Dimension| {
            run(&facts, &cat, &self.0.calendar, &Query { group: vec![group], ..base.clone() }, &Scope::All, at)
        };
        let city_rate =
            |received: u64| cat.city_population().filter(|&p| p > 0).map(|p| received as f64 * 10_000.0 / p as f64);
        let w = &self.0.weights;

        let areas = table(Dimension::Area(level.clone()));
        let city_per_10k = city_rate(areas.city_received);
        let city = row(
            String::new(),
            "Toàn thành phố".into(),
            "Whole city".into(),
            &areas.total,
            satisfaction(&areas.total, cat.city_population(), city_per_10k, w).index,
        );
        let labelled = |d: &Dimension,
                        t: crate::analytics::Table,
                        index: &dyn Fn(&Key, &Measures) -> Option<f64>|
         -> Vec<PublicRow> {
            t.rows
                .iter()
                .filter(|r| !matches!(r.key.first(), Some(Key::Code(None))))
                .map(|r| {
                    let k = label(&reference, d, &r.key[0]);
                    let code = k.value.as_str().map_or_else(|| k.value.to_string(), str::to_owned);
                    row(code, k.name, k.name_en, &r.measures, index(&r.key[0], &r.measures))
                })
                .collect()
        };
        let area_index = |k: &Key, m: &Measures| match k {
            Key::Code(Some(c)) => {
                let pop = crate::domain::AreaCode::parse(c, "").ok().and_then(|a| cat.population(&a));
                satisfaction(m, pop, city_per_10k, w).index
            }
            _ => None,
        };
        let unit_index = |k: &Key, m: &Measures| match k {
            Key::Code(Some(c)) => {
                let pop = crate::domain::UnitCode::parse(c, "").ok().and_then(|u| cat.unit_population(&u));
                satisfaction(m, pop, city_per_10k, w).index
            }
            _ => None,
        };
        let area_dim = Dimension::Area(level);
        let districts = labelled(&area_dim, areas, &area_index);
        let units = labelled(&Dimension::Unit, table(Dimension::Unit), &unit_index);
        let fields = labelled(&Dimension::Field, table(Dimension::Field), &|_, _| None);
        let weeks = weekly(&facts, &cat, &Query::default(), &Scope::All, from, to, at)
            .into_iter()
            .map(|Week { week, received, resolved, late, .. }| {
                let shown = received >= MIN_CELL;
                PublicWeek {
                    week,
                    suppressed: !shown,
                    received: shown.then_some(received),
                    resolved: shown.then_some(resolved),
                    late: shown.then_some(late),
                }
            })
            .collect();
        Ok(PublicStats { from, to, generated_at: now, city, districts, units, fields, weeks })
    }
}

/// The public figures as CSV (UTF-8 with a byte-order mark): one line per published group.
pub fn public_csv(s: &PublicStats) -> Result<Vec<u8>, ::csv::Error> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = ::csv::Writer::from_writer(&mut out);
        w.write_record([
            "Bảng / table",
            "Mã / code",
            "Tên / name",
            "name_en",
            "Từ ngày / from",
            "Đến ngày / to",
            "Tiếp nhận / received",
            "Đã giải quyết / resolved",
            "Tỷ lệ đúng hạn / on_time_rate",
            "Điểm đánh giá TB / rating_mean",
            "Chỉ số hài lòng / satisfaction_index",
        ])?;
        let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        let tables = [
            ("city", std::slice::from_ref(&s.city)),
            ("district", &s.districts[..]),
            ("unit", &s.units[..]),
            ("field", &s.fields[..]),
        ];
        for (table, rows) in tables {
            for r in rows {
                w.write_record([
                    table.to_owned(),
                    r.code.clone(),
                    r.name.clone(),
                    r.name_en.clone(),
                    s.from.to_string(),
                    s.to.to_string(),
                    r.received.map(|v| v.to_string()).unwrap_or_default(),
                    r.resolved.map(|v| v.to_string()).unwrap_or_default(),
                    opt(r.on_time_rate),
                    opt(r.rating_mean),
                    opt(r.satisfaction_index),
                ])?;
            }
        }
        w.flush()?;
    }
    Ok(out)
}
