//! Leaders' figures of the offices: bookings, shows and no-shows, waiting and service times by
//! office, service and hour, and the visit survey's means. Counts only: no person is named.
//! Also the survey itself, which a citizen answers once per booking or number.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Appointments, require};
use crate::domain::appointment::{BookingStatus, QueueStatus, SurveyScores, parse_booking_code};
use crate::domain::desk::text;
use crate::domain::schedule::vietnam_instant;
use crate::domain::{Principal, Role, ValidationErrors};
use crate::service::{ServiceError, ServiceResult};
use crate::store::queue::SurveyRecord;

/// Counts and means of one group (an office, a service of an office, an hour of the day).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct VisitFigures {
    pub bookings: usize,
    pub cancelled: usize,
    pub served: usize,
    pub no_show: usize,
    /// Served among bookings whose outcome is known (served or no-show), 0–1.
    pub show_rate: Option<f64>,
    pub no_show_rate: Option<f64>,
    /// Numbers given (walk-ins, online, kiosk and check-ins).
    pub numbers: usize,
    /// Mean minutes from a number's issue to its call.
    pub wait_minutes: Option<f64>,
    /// Mean minutes at the counter (call to finish).
    pub service_minutes: Option<f64>,
    pub surveys: usize,
    /// Mean of the survey's overall score (1–5).
    pub satisfaction: Option<f64>,
    #[serde(skip)]
    waits: Vec<f64>,
    #[serde(skip)]
    services: Vec<f64>,
    #[serde(skip)]
    overall: Vec<f64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AppointmentFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: VisitFigures,
    pub by_office: BTreeMap<String, VisitFigures>,
    /// `office/service`.
    pub by_service: BTreeMap<String, VisitFigures>,
    /// Hour of the day (Vietnam time) numbers were taken and bookings start.
    pub by_hour: BTreeMap<u32, VisitFigures>,
    /// Means of each survey question (1–5).
    pub survey_means: BTreeMap<String, f64>,
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| (v.iter().sum::<f64>() / v.len() as f64 * 10.0).round() / 10.0)
}

impl VisitFigures {
    fn close(&mut self) {
        let known = self.served + self.no_show;
        if known > 0 {
            self.show_rate = Some(((self.served as f64 / known as f64) * 1000.0).round() / 1000.0);
            self.no_show_rate = Some(((self.no_show as f64 / known as f64) * 1000.0).round() / 1000.0);
        }
        self.wait_minutes = mean(&self.waits);
        self.service_minutes = mean(&self.services);
        self.satisfaction = mean(&self.overall);
    }
}

/// A survey answer.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitSurveyInput {
    /// The booking's code, or the queue number's id.
    pub code: String,
    pub token: String,
    pub scores: SurveyScores,
    #[serde(default)]
    pub comment: Option<String>,
}

impl Appointments {
    /// Figures of the visits in `[from, to]` (Vietnam days, at most a year), optionally of one
    /// office. Roles: admin, operator, leader, analyst.
    pub async fn figures(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
        office: Option<&str>,
    ) -> ServiceResult<AppointmentFigures> {
        require(p, &[Role::Admin, Role::Operator, Role::Leader, Role::Analyst])?;
        if to < from || (to - from).num_days() > 366 {
            return Err(ValidationErrors::single("to", "must be on or after from, within a year").into());
        }
        let office = match office {
            Some(o) => Some(self.office(o).await?.id),
            None => None,
        };
        let keep = |o: &crate::domain::OfficeId| office.as_ref().is_none_or(|x| x == o);
        let (t0, t1) = (
            vietnam_instant(from, chrono::NaiveTime::MIN),
            vietnam_instant(to + chrono::Duration::days(1), chrono::NaiveTime::MIN),
        );
        let hour = |t: DateTime<Utc>| t.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).hour();
        let mut f = AppointmentFigures {
            from,
            to,
            total: VisitFigures::default(),
            by_office: BTreeMap::new(),
            by_service: BTreeMap::new(),
            by_hour: BTreeMap::new(),
            survey_means: BTreeMap::new(),
        };
        macro_rules! each {
            ($office:expr, $service:expr, $hour:expr, |$g:ident| $body:expr) => {{
                for $g in [
                    &mut f.total,
                    f.by_office.entry($office.to_owned()).or_default(),
                    f.by_service.entry(format!("{}/{}", $office, $service)).or_default(),
                    f.by_hour.entry($hour).or_default(),
                ] {
                    $body;
                }
            }};
        }
        for b in self.inner.store.bookings_between(t0, t1).await?.iter().filter(|b| keep(&b.office)) {
            each!(b.office.as_str(), &b.service, hour(b.starts_at), |g| {
                g.bookings += 1;
                match b.status {
                    BookingStatus::Cancelled => g.cancelled += 1,
                    BookingStatus::Served => g.served += 1,
                    BookingStatus::NoShow => g.no_show += 1,
                    _ => {}
                }
            });
        }
        for n in self.inner.store.numbers_between(from, to).await?.iter().filter(|n| keep(&n.office)) {
            let wait = n.called_at.map(|c| (c - n.issued_at).num_seconds() as f64 / 60.0);
            let served = match (n.status, n.called_at, n.finished_at) {
                (QueueStatus::Served, Some(c), Some(e)) => Some((e - c).num_seconds() as f64 / 60.0),
                _ => None,
            };
            each!(n.office.as_str(), &n.service, hour(n.issued_at), |g| {
                g.numbers += 1;
                g.waits.extend(wait);
                g.services.extend(served);
            });
        }
        let surveys = self.inner.store.surveys_between(t0, t1).await?;
        let mut q: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for s in surveys.iter().filter(|s| keep(&s.office)) {
            each!(s.office.as_str(), &s.service, hour(s.at), |g| {
                g.surveys += 1;
                g.overall.push(f64::from(s.scores.overall));
            });
            for (k, v) in [
                ("access", s.scores.access),
                ("procedure", s.scores.procedure),
                ("staff", s.scores.staff),
                ("timeliness", s.scores.timeliness),
                ("overall", s.scores.overall),
            ] {
                q.entry(k).or_default().push(f64::from(v));
            }
        }
        f.survey_means = q.into_iter().filter_map(|(k, v)| Some((k.to_owned(), mean(&v)?))).collect();
        for g in [&mut f.total]
            .into_iter()
            .chain(f.by_office.values_mut())
            .chain(f.by_service.values_mut())
            .chain(f.by_hour.values_mut())
        {
            g.close();
        }
        Ok(f)
    }

    /// Records a citizen's survey of a visit, once (409 after). Roles: everyone, with the
    /// booking's or number's token, after being served.
    pub async fn survey(&self, input: VisitSurveyInput) -> ServiceResult<()> {
        input.scores.validate()?;
        let mut errs = ValidationErrors::new();
        let comment = text(input.comment.as_deref(), "comment", 1000, false, &mut errs);
        errs.into_result()?;
        let (office, service, served, subject) = if parse_booking_code(&input.code).is_some() {
            let v = self.own_view(&input.code, &input.token).await?;
            (v.office, v.service, v.status == BookingStatus::Served, v.code)
        } else {
            let id: Uuid = input
                .code
                .trim()
                .parse()
                .map_err(|_| ValidationErrors::single("code", "is not a booking code or a number's id"))?;
            let n = self.own_number(id, &input.token).await?;
            (n.office, n.service, n.status == QueueStatus::Served, n.id.to_string())
        };
        if !served {
            return Err(ServiceError::Conflict("the survey opens once the visit is served".into()));
        }
        let office = crate::domain::OfficeId::parse(&office, "office")?;
        let record = SurveyRecord { subject, office, service, scores: input.scores, comment, at: Utc::now() };
        if !self.inner.store.add_survey(&record).await? {
            return Err(ServiceError::Conflict("this visit was rated before".into()));
        }
        Ok(())
    }
}
