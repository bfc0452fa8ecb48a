//! The query string of the statistics routes, as raw strings, and its parsing into an
//! [`analytics::Query`](crate::analytics::Query) with every error named by its parameter.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Deserialize;

use crate::analytics::{Basis, Dimension, Query};
use crate::domain::area::Levels;
use crate::domain::{AreaCode, CategoryCode, Channel, Field, Priority, UnitCode, ValidationErrors};

/// The longest period a query may cover.
pub const MAX_PERIOD_DAYS: i64 = 3 * 366;
/// The most weeks a trend may cover.
pub const MAX_WEEKS: i64 = 106;

/// Query parameters of the statistics routes (lists are comma-separated).
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// A named period, in Vietnam time: `this_week`, `last_week`, `this_month`, `last_month`,
    /// `this_quarter`, `last_quarter`, `this_year`, `last_year`, `last_7_days`, `last_30_days`
    /// (instead of `from`/`to`).
    pub period: Option<String>,
    /// First day of the period, `YYYY-MM-DD` (Vietnam date, included).
    pub from: Option<String>,
    /// Last day of the period, `YYYY-MM-DD` (included).
    pub to: Option<String>,
    /// `received` (default): tickets received in the period; `resolved`: tickets resolved in it.
    pub basis: Option<String>,
    /// Area codes; each includes every area below it.
    pub area: Option<String>,
    /// Unit codes; each includes its sub-units.
    pub unit: Option<String>,
    /// Fields (`environment`, `noise`, `urban_order`, …).
    pub field: Option<String>,
    /// Category codes.
    pub category: Option<String>,
    /// Channels (`hotline`, `web`, `app`, `email`, `zalo`, `facebook`, `sms`, `open311`, `operator`).
    pub channel: Option<String>,
    /// Priorities (`low`, `normal`, `high`, `urgent`).
    pub priority: Option<String>,
    /// One or two of `area:LEVEL` (e.g. `area:district`), `unit`, `field`, `category`,
    /// `channel`, `priority`, `day`, `week`, `month`, `hour`, `weekday`.
    pub group: Option<String>,
    /// `true`: also the totals of the period of the same length just before.
    pub compare: Option<String>,
}

fn list<T>(
    s: &Option<String>,
    field: &str,
    errs: &mut ValidationErrors,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Vec<T> {
    let Some(s) = s else { return Vec::new() };
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .filter_map(|x| parse(x).map_err(|m| errs.push(field, m)).ok())
        .collect()
}

/// A snake_case enum value from its serde name.
fn named<T: for<'de> Deserialize<'de>>(s: &str, what: &str, names: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| format!("`{s}` is not a {what}; one of {names}"))
}

fn date(s: &Option<String>, field: &str, errs: &mut ValidationErrors) -> Option<NaiveDate> {
    let s = s.as_deref()?.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| errs.push(field, "must be a date, YYYY-MM-DD")).ok()
}

/// The first and last day of a named period containing (or before) `today`.
pub fn named_period(name: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let month = today.with_day(1)?;
    let quarter = NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1)?;
    let year = NaiveDate::from_ymd_opt(today.year(), 1, 1)?;
    let before = |d: NaiveDate| d.pred_opt();
    Some(match name {
        "this_week" => (monday, today),
        "last_week" => (monday - Duration::days(7), monday - Duration::days(1)),
        "this_month" => (month, today),
        "last_month" => (before(month)?.with_day(1)?, before(month)?),
        "this_quarter" => (quarter, today),
        "last_quarter" => {
            let end = before(quarter)?;
            (NaiveDate::from_ymd_opt(end.year(), (end.month0() / 3) * 3 + 1, 1)?, end)
        }
        "this_year" => (year, today),
        "last_year" => (NaiveDate::from_ymd_opt(today.year() - 1, 1, 1)?, before(year)?),
        "last_7_days" => (today - Duration::days(6), today),
        "last_30_days" => (today - Duration::days(29), today),
        _ => return None,
    })
}

/// The period of the same length that ends the day before `from`.
pub fn previous_period(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let days = (to - from).num_days() + 1;
    (from - Duration::days(days), from - Duration::days(1))
}

/// A parsed statistics query and whether to compare with the previous period.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsRequest {
    pub query: Query,
    pub compare: bool,
}

impl StatsParams {
    /// Parses the parameters; `today` is the Vietnam date named periods are taken from, and
    /// `levels` the configured area levels `area:LEVEL` may name.
    pub fn parse(&self, today: NaiveDate, levels: &Levels) -> Result<StatsRequest, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let (mut from, mut to) = (date(&self.from, "from", &mut errs), date(&self.to, "to", &mut errs));
        if let Some(name) = self.period.as_deref().map(str::trim) {
            if self.from.is_some() || self.to.is_some() {
                errs.push("period", "give either period or from/to, not both");
            }
            match named_period(name, today) {
                Some((f, t)) => (from, to) = (Some(f), Some(t)),
                None => errs.push(
                    "period",
                    "must be one of this_week, last_week, this_month, last_month, this_quarter, last_quarter, this_year, last_year, last_7_days, last_30_days",
                ),
            }
        }
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                errs.push("to", "must not be before from");
            } else if (t - f).num_days() >= MAX_PERIOD_DAYS {
                errs.push("to", format!("the period may cover at most {MAX_PERIOD_DAYS} days"));
            }
        }
        let basis = match self.basis.as_deref().map(str::trim) {
            None | Some("") | Some("received") => Basis::Received,
            Some("resolved") => Basis::Resolved,
            Some(_) => {
                errs.push("basis", "must be received or resolved");
                Basis::Received
            }
        };
        let areas: Vec<AreaCode> = list(&self.area, "area", &mut errs, code(AreaCode::parse));
        let units: Vec<UnitCode> = list(&self.unit, "unit", &mut errs, code(UnitCode::parse));
        let categories: Vec<CategoryCode> = list(&self.category, "category", &mut errs, code(CategoryCode::parse));
        let fields: Vec<Field> = list(&self.field, "field", &mut errs, |s| {
            named(
                s,
                "field",
                "environment, noise, urban_order, infrastructure, traffic, construction, land, administrative_procedures, security_order, other",
            )
        });
        let channels: Vec<Channel> = list(&self.channel, "channel", &mut errs, |s| {
            named(s, "channel", "hotline, web, app, email, zalo, facebook, sms, open311, operator")
        });
        let priorities: Vec<Priority> =
            list(&self.priority, "priority", &mut errs, |s| named(s, "priority", "low, normal, high, urgent"));
        let group: Vec<Dimension> = list(&self.group, "group", &mut errs, |s| dimension(s, levels));
        if group.len() > 2 {
            errs.push("group", "group by at most two dimensions");
        }
        let compare = match self.compare.as_deref().map(str::trim) {
            None | Some("") | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                errs.push("compare", "must be true or false");
                false
            }
        };
        if compare && (from.is_none() || to.is_none()) {
            errs.push("compare", "needs a period with both ends (period, or from and to)");
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(StatsRequest {
            query: Query { basis, from, to, areas, units, fields, categories, channels, priorities, group },
            compare,
        })
    }
}

/// A code parser for [`list`]: the code's own rules, with the parameter named by `list`.
fn code<T>(parse: fn(&str, &str) -> Result<T, ValidationErrors>) -> impl Fn(&str) -> Result<T, String> {
    move |s| parse(s, "").map_err(|_| format!("`{s}` is not a valid code"))
}

fn dimension(s: &str, levels: &Levels) -> Result<Dimension, String> {
    if let Some(level) = s.strip_prefix("area:") {
        return if levels.0.iter().any(|l| l == level) {
            Ok(Dimension::Area(level.to_owned()))
        } else {
            Err(format!("`{level}` is not an area level; one of {}", levels.0.join(", ")))
        };
    }
    Ok(match s {
        "area" => Dimension::Area(levels.0.get(1).or(levels.0.first()).cloned().unwrap_or_default()),
        "unit" => Dimension::Unit,
        "field" => Dimension::Field,
        "category" => Dimension::Category,
        "channel" => Dimension::Channel,
        "priority" => Dimension::Priority,
        "day" => Dimension::Day,
        "week" => Dimension::Week,
        "month" => Dimension::Month,
        "hour" => Dimension::Hour,
        "weekday" => Dimension::Weekday,
        _ => {
            return Err(format!(
                "`{s}` is not a dimension; one of area:LEVEL, unit, field, category, channel, priority, day, week, month, hour, weekday"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn named_periods_follow_the_vietnamese_calendar_week_and_quarter() {
        let today = d("2026-12-02"); // a Wednesday
        assert_eq!(named_period("this_week", today), Some((d("2026-11-30"), today)));
        assert_eq!(named_period("last_week", today), Some((d("2026-11-23"), d("2026-11-29"))));
        assert_eq!(named_period("last_month", today), Some((d("2026-11-01"), d("2026-11-30"))));
        assert_eq!(named_period("this_quarter", today), Some((d("2026-10-01"), today)));
        assert_eq!(named_period("last_quarter", today), Some((d("2026-07-01"), d("2026-09-30"))));
        assert_eq!(named_period("last_year", today), Some((d("2025-01-01"), d("2025-12-31"))));
        assert_eq!(named_period("last_month", d("2026-01-15")), Some((d("2025-12-01"), d("2025-12-31"))));
        assert_eq!(named_period("someday", today), None);
        assert_eq!(previous_period(d("2026-11-23"), d("2026-11-29")), (d("2026-11-16"), d("2026-11-22")));
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let p = StatsParams {
            from: Some("2026-13-01".into()),
            basis: Some("filed".into()),
            field: Some("noise,weather".into()),
            channel: Some("pigeon".into()),
            group: Some("area:galaxy,unit,field".into()),
            compare: Some("yes".into()),
            ..Default::default()
        };
        let errs = p.parse(d("2026-12-02"), &Levels::default()).unwrap_err();
        let fields: Vec<&str> = errs.0.iter().map(|e| e.field.as_str()).collect();
        for f in ["from", "basis", "field", "channel", "group", "compare"] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
        let ok = StatsParams {
            period: Some("last_week".into()),
            group: Some("area:ward,hour".into()),
            area: Some("DN-HC".into()),
            ..Default::default()
        };
        let r = ok.parse(d("2026-12-02"), &Levels::default()).unwrap();
        assert_eq!((r.query.from, r.query.to), (Some(d("2026-11-23")), Some(d("2026-11-29"))));
        assert_eq!(r.query.group, vec![Dimension::Area("ward".into()), Dimension::Hour]);
        let reversed =
            StatsParams { from: Some("2026-11-30".into()), to: Some("2026-11-01".into()), ..Default::default() };
        assert!(reversed.parse(d("2026-12-02"), &Levels::default()).is_err());
    }
}
