//! The desk's figures for leaders: inquiry calls by outcome, field and hour, the phone system's
//! answered and missed calls, and the callback list's promptness. Counts only: no caller, no
//! number, no text of a call.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Timelike, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use serde::Serialize;

use super::Desk;
use crate::domain::desk::{CallEventKind, CallbackSource, CallbackState, InquiryOutcome};
use crate::domain::{Principal, Role, ValidationErrors};
use crate::service::{ServiceError, ServiceResult};

/// Longest period of the figures, in days.
pub const MAX_DAYS: i64 = 366;

/// A count under a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Count {
    pub name: String,
    pub count: usize,
}

/// The desk's figures over a period of days (Vietnam time).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DeskFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Inquiry calls recorded, and by outcome (`answered`, `transferred`, `callback`,
    /// `appointment`, `ticket_filed`; every outcome listed, zeros included).
    pub inquiries: usize,
    pub by_outcome: Vec<Count>,
    /// By the field (lĩnh vực) of the procedure asked about; "" for inquiries without one.
    pub by_field: Vec<Count>,
    /// Inquiry calls begun in each hour of the day, 0 to 23 (Vietnam time).
    pub by_hour: Vec<usize>,
    /// The mean length of inquiry calls whose length is known, in seconds.
    pub mean_duration_seconds: Option<f64>,
    /// Calls the phone system told of: answered (or ended after an answer) and missed.
    pub calls_answered: usize,
    pub calls_missed: usize,
    /// Callbacks opened in the period, from missed calls and from inquiries.
    pub callbacks: usize,
    pub callbacks_from_missed_calls: usize,
    /// Of those: done, done by their due time, cancelled, still open, and open past due now.
    pub callbacks_done: usize,
    pub callbacks_done_on_time: usize,
    pub callbacks_cancelled: usize,
    pub callbacks_open: usize,
    pub callbacks_overdue: usize,
    /// The median time from opening to done, in minutes.
    pub median_minutes_to_callback: Option<f64>,
}

impl Desk {
    /// The desk's figures from `from` to `to` (days, both included; by default the last 30
    /// days). Every role that reads statistics (admin, operator, leader, agency, analyst):
    /// counts only, nothing personal.
    pub async fn figures(
        &self,
        p: &Principal,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> ServiceResult<DeskFigures> {
        match p.role() {
            None => return Err(ServiceError::Unauthenticated),
            Some(Role::Admin | Role::Operator | Role::Leader | Role::Agency | Role::Analyst) => {}
            Some(_) => return Err(ServiceError::Forbidden("this role reads no statistics".into())),
        }
        let now = Utc::now();
        let today = now.with_timezone(&Ho_Chi_Minh).date_naive();
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(to - Days::new(29));
        if from > to || (to - from).num_days() >= MAX_DAYS {
            return Err(ValidationErrors::single(
                "to",
                format!("must not be before from, and within {MAX_DAYS} days of it"),
            )
            .into());
        }
        let start = local_midnight(from);
        let end = local_midnight(to + Days::new(1));
        let inquiries = self.store().inquiries_between(start, end).await?;
        let calls = self.store().pbx_calls_between(start, end).await?;
        let callbacks = self.store().callbacks_between(start, end).await?;

        let mut outcomes: BTreeMap<InquiryOutcome, usize> = InquiryOutcome::ALL.iter().map(|o| (*o, 0)).collect();
        let mut fields: BTreeMap<String, usize> = BTreeMap::new();
        let mut by_hour = vec![0; 24];
        let (mut seconds, mut timed) = (0u64, 0u64);
        for q in &inquiries {
            *outcomes.entry(q.outcome).or_default() += 1;
            *fields.entry(q.field.clone().unwrap_or_default()).or_default() += 1;
            by_hour[q.call.started_at.with_timezone(&Ho_Chi_Minh).hour() as usize] += 1;
            if let Some(d) = q.call.duration_seconds {
                seconds += u64::from(d);
                timed += 1;
            }
        }
        let mut by_field: Vec<Count> = fields.into_iter().map(|(name, count)| Count { name, count }).collect();
        by_field.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        let mut waits: Vec<f64> = callbacks
            .iter()
            .filter(|c| c.state == CallbackState::Done)
            .filter_map(|c| c.closed_at.map(|t| (t - c.created_at).num_seconds() as f64 / 60.0))
            .collect();
        waits.sort_by(f64::total_cmp);
        let done = |c: &&crate::domain::desk::Callback| c.state == CallbackState::Done;
        Ok(DeskFigures {
            from,
            to,
            inquiries: inquiries.len(),
            by_outcome: outcomes.into_iter().map(|(o, count)| Count { name: o.as_str().into(), count }).collect(),
            by_field,
            by_hour,
            mean_duration_seconds: (timed > 0).then(|| seconds as f64 / timed as f64),
            calls_answered: calls
                .iter()
                .filter(|c| {
                    matches!(c.state, CallEventKind::Answered | CallEventKind::Ended) && c.answered_at.is_some()
                })
                .count(),
            calls_missed: calls.iter().filter(|c| c.state == CallEventKind::Missed).count(),
            callbacks: callbacks.len(),
            callbacks_from_missed_calls: callbacks.iter().filter(|c| c.source == CallbackSource::MissedCall).count(),
            callbacks_done: callbacks.iter().filter(done).count(),
            callbacks_done_on_time: callbacks
                .iter()
                .filter(done)
                .filter(|c| c.closed_at.is_some_and(|t| t <= c.due_at))
                .count(),
            callbacks_cancelled: callbacks.iter().filter(|c| c.state == CallbackState::Cancelled).count(),
            callbacks_open: callbacks.iter().filter(|c| c.state == CallbackState::Open).count(),
            callbacks_overdue: callbacks.iter().filter(|c| c.is_overdue(now)).count(),
            median_minutes_to_callback: median(&waits),
        })
    }
}

fn local_midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(Ho_Chi_Minh).single())
        .map(|t| t.to_utc())
        .expect("Vietnam has no daylight saving time")
}

fn median(sorted: &[f64]) -> Option<f64> {
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2]),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two_middles() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[1.0, 2.0, 10.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0, 4.0, 10.0]), Some(3.0));
    }

    #[test]
    fn days_are_vietnamese_days() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        assert_eq!(local_midnight(d).to_rfc3339(), "2026-12-04T17:00:00+00:00");
    }
}
