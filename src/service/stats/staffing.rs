//! Staffing the hotline: calls per hour (by their logged start) and reports by the other
//! channels per hour over the last weeks, next week's hourly forecast (working days from past
//! working days, weekends and holidays from past days off), and the operators needed per hour
//! for a target answer time (Erlang C, [`crate::analytics::staffing`]).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use serde::{Deserialize, Serialize};

use super::Analytics;
use crate::analytics::calendar::{day_number, day_of, hour_of};
use crate::analytics::micros;
use crate::analytics::staffing::{HourForecast, Load, forecast, profile};
use crate::domain::{Channel, Principal, Role, ValidationErrors};
use crate::service::{ServiceError, ServiceResult};

/// Average length of a call when none has a logged duration (Dong Nai's 1022 reports 3 to 7
/// minutes).
pub const DEFAULT_HANDLE_SECS: f64 = 300.0;

/// The query string of `GET /api/v1/stats/staffing`.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StaffingParams {
    /// Past weeks to learn from (1–26, default 8).
    pub weeks: Option<String>,
    /// Target answer time in seconds (default 20).
    pub answer_seconds: Option<String>,
    /// Share of calls to answer within it, 0.5–0.99 (default 0.8).
    pub level: Option<String>,
}

/// The mean load of one hour of a kind of day.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct HourLoad {
    /// `working` or `day_off` (weekends and holidays).
    pub day: &'static str,
    pub hour: u32,
    pub calls: f64,
    pub reports: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StaffingReport {
    /// The past days learnt from.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Calls logged in them, and how many had a duration.
    pub calls: u64,
    pub calls_with_duration: u64,
    /// Mean call length used (seconds).
    pub handle_seconds: f64,
    pub answer_seconds: f64,
    pub level: f64,
    /// The mean load per hour of working days and of days off.
    pub profile: Vec<HourLoad>,
    /// Next week (Monday to Sunday), hour by hour.
    pub forecast: Vec<HourForecast>,
}

fn number(
    s: &Option<String>,
    field: &str,
    default: f64,
    range: std::ops::RangeInclusive<f64>,
    errs: &mut ValidationErrors,
) -> f64 {
    let Some(raw) = s.as_deref() else { return default };
    match raw.trim().parse::<f64>() {
        Ok(v) if range.contains(&v) => v,
        _ => {
            errs.push(field, format!("must be a number from {} to {}", range.start(), range.end()));
            default
        }
    }
}

impl Analytics {
    /// The staffing figures as of `now`. Roles: admin, operator, leader, analyst (the hotline is
    /// the city's; no ticket or caller is shown).
    pub async fn staffing(
        &self,
        p: &Principal,
        params: &StaffingParams,
        now: DateTime<Utc>,
    ) -> ServiceResult<StaffingReport> {
        match p.role() {
            None => return Err(ServiceError::Unauthenticated),
            Some(Role::Admin | Role::Operator | Role::Leader | Role::Analyst) => {}
            Some(_) => return Err(ServiceError::Forbidden("staffing figures are for the centre and leaders".into())),
        }
        let mut errs = ValidationErrors::new();
        let weeks = number(&params.weeks, "weeks", 8.0, 1.0..=26.0, &mut errs);
        if weeks.fract() != 0.0 {
            errs.push("weeks", "must be a whole number of weeks");
        }
        let answer = number(&params.answer_seconds, "answer_seconds", 20.0, 1.0..=600.0, &mut errs);
        let level = number(&params.level, "level", 0.8, 0.5..=0.99, &mut errs);
        errs.into_result()?;

        let today = now.with_timezone(&Ho_Chi_Minh).date_naive();
        let (from, to) = (today - Duration::weeks(weeks as i64), today - Duration::days(1));
        let first = day_number(from);
        let start = crate::domain::calendar::end_of_day(from - Duration::days(1)) + Duration::seconds(1);
        let end = crate::domain::calendar::end_of_day(to) + Duration::seconds(1);
        let calls = self.0.store.calls_between(start, end).await?;
        let n = (day_number(to) - first + 1) as usize;
        let mut load = Load {
            days: (0..n)
                .map(|i| (self.0.calendar.is_working_day(from + Duration::days(i as i64)), [0.0; 24], [0.0; 24]))
                .collect(),
        };
        let slot = |t: i64| -> Option<(usize, usize)> {
            let d = day_of(t) - first;
            (0..n as i64).contains(&d).then(|| (d as usize, hour_of(t) as usize))
        };
        let mut durations = Vec::new();
        for (at, secs) in &calls {
            if let Some((d, h)) = slot(micros(*at)) {
                load.days[d].1[h] += 1.0;
            }
            durations.extend(secs.map(f64::from));
        }
        {
            let facts = self.0.facts.read().expect("facts lock");
            for f in facts.rows().iter().filter(|f| f.channel != Channel::Hotline) {
                if let Some((d, h)) = slot(f.received) {
                    load.days[d].2[h] += 1.0;
                }
            }
        }
        let handle = if durations.is_empty() {
            DEFAULT_HANDLE_SECS
        } else {
            durations.iter().sum::<f64>() / durations.len() as f64
        };
        let monday = today + Duration::days(7 - i64::from(chrono::Datelike::weekday(&today).num_days_from_monday()));
        let next: Vec<(NaiveDate, bool)> =
            (0..7).map(|i| monday + Duration::days(i)).map(|d| (d, self.0.calendar.is_working_day(d))).collect();
        let (pc, pr) = profile(&load);
        let round = |x: f64| (x * 100.0).round() / 100.0;
        let profile = [("day_off", 0usize), ("working", 1usize)]
            .iter()
            .flat_map(|&(day, k)| {
                (0..24).map(move |h| HourLoad { day, hour: h as u32, calls: round(pc[k][h]), reports: round(pr[k][h]) })
            })
            .collect();
        Ok(StaffingReport {
            from,
            to,
            calls: calls.len() as u64,
            calls_with_duration: durations.len() as u64,
            handle_seconds: round(handle),
            answer_seconds: answer,
            level,
            profile,
            forecast: forecast(&load, &next, handle, answer, level),
        })
    }
}
