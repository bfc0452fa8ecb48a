//! [`Reports`]: the Friday report. Every tick of the schedule (Friday 17:00 Vietnam time by
//! default), each subscribed staff member gets the week's figures for their areas (their
//! role's scope) and fields: a short SMS, an email with the units' league table, and the
//! breakdown as XLSX. A report is composed and kept once per tick and recipient (the store's
//! unique key, whatever the number of instances); the notifier sends what is kept
//! (`crate::notify::reports`). Leaders list their reports and preview the next one.

pub mod text;

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::stats::{StatsReport, StatsRequest, xlsx::report_xlsx};
use super::{Analytics, ServiceError, ServiceResult, Tickets};
use crate::analytics::{Dimension, Query};
use crate::domain::schedule::vietnam_date;
use crate::domain::{Principal, Role, StaffMember, WeeklySchedule, sms};
use crate::store::{Store, StoredReport};

/// A weekly report, as kept (with its id) or as previewed (without).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WeeklyReport {
    pub id: Option<Uuid>,
    /// The schedule's moment it is for.
    pub tick: DateTime<Utc>,
    /// The week: the six days before the tick's date, and that date (Vietnam dates).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The recipient's login and name.
    pub user: String,
    pub display_name: String,
    pub areas: Vec<String>,
    pub fields: Vec<String>,
    /// At most two SMS segments (UCS-2).
    pub sms: String,
    /// Without diacritics: at most two GSM 7-bit segments.
    pub sms_unaccented: String,
    pub sms_segments: usize,
    pub sms_unaccented_segments: usize,
    pub email_subject: String,
    pub email_text: String,
    /// The week by unit (the league table), its total, and the week before's total.
    #[schema(value_type = StatsReport)]
    pub figures: serde_json::Value,
    pub created_at: Option<DateTime<Utc>>,
}

/// The Friday report of one instance. Cheap to clone.
#[derive(Clone)]
pub struct Reports(Arc<Inner>);

struct Inner {
    store: Arc<dyn Store>,
    analytics: Analytics,
    tickets: Tickets,
    schedule: WeeklySchedule,
}

/// Reports kept per page of the list.
const LIST_LIMIT: i64 = 200;

impl Reports {
    pub fn new(store: Arc<dyn Store>, analytics: Analytics, tickets: Tickets, schedule: WeeklySchedule) -> Self {
        Reports(Arc::new(Inner { store, analytics, tickets, schedule }))
    }

    pub fn schedule(&self) -> WeeklySchedule {
        self.0.schedule
    }

    /// Whether `m` gets the report: subscribed, reachable, and in a role with statistics.
    pub fn subscribed(m: &StaffMember) -> bool {
        m.contact.weekly_report
            && (m.contact.phone.is_some() || m.contact.email.is_some())
            && matches!(m.user.role, Role::Admin | Role::Operator | Role::Leader | Role::Agency)
    }

    /// The report of the week ending at `tick` for `m`, as things stand at `at` (the tick
    /// itself, or now for a preview), and its workbook.
    pub fn compose(
        &self,
        m: &StaffMember,
        tick: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> ServiceResult<(WeeklyReport, Vec<u8>)> {
        let to = vietnam_date(tick);
        let from = to - Duration::days(6);
        let req = StatsRequest {
            query: Query {
                from: Some(from),
                to: Some(to),
                fields: m.contact.fields.clone(),
                group: vec![Dimension::Unit],
                ..Query::default()
            },
            compare: true,
        };
        let p = Principal::User(m.user.clone());
        let figures = self.0.analytics.report_at(&p, &req, at.min(tick))?;
        let xlsx = report_xlsx(&figures).map_err(|e| ServiceError::Internal(anyhow::anyhow!("weekly XLSX: {e}")))?;
        let reference = self.0.tickets.reference();
        let scope = text::scope_name(&reference, &m.user.areas, &m.contact.fields);
        let t = text::render(&figures, &scope, from, to);
        let report = WeeklyReport {
            id: None,
            tick,
            from,
            to,
            user: m.user.name.clone(),
            display_name: m.user.display_name.clone(),
            areas: m.user.areas.iter().map(|a| a.as_str().to_owned()).collect(),
            fields: m.contact.fields.iter().map(field_code).collect(),
            sms_segments: sms::segments(&t.sms),
            sms_unaccented_segments: sms::segments(&t.sms_unaccented),
            sms: t.sms,
            sms_unaccented: t.sms_unaccented,
            email_subject: t.email_subject,
            email_text: t.email_text,
            figures: serde_json::to_value(&figures).map_err(|e| ServiceError::Internal(e.into()))?,
            created_at: None,
        };
        Ok((report, xlsx))
    }

    /// Keeps the report of the schedule's last tick at or before `now` for every subscriber
    /// who has none yet, if that tick is at most `catch_up` ago (a server down over the tick
    /// sends it when it comes back; a longer downtime skips to the next week). Returns the
    /// tick's reports with their recipients, whoever kept them, for the notifier to send.
    pub async fn keep_due(
        &self,
        now: DateTime<Utc>,
        catch_up: Duration,
    ) -> ServiceResult<Vec<(StaffMember, WeeklyReport, Vec<u8>)>> {
        let tick = self.0.schedule.last_tick(now);
        if now - tick > catch_up {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for m in self.0.store.staff().await?.into_iter().filter(Self::subscribed) {
            let kept = match self.0.store.weekly_report_at(tick, m.user.id).await? {
                Some(r) => r,
                None => {
                    let (report, xlsx) = self.compose(&m, tick, tick)?;
                    let stored = StoredReport {
                        id: Uuid::now_v7(),
                        tick,
                        user_id: m.user.id,
                        body: serde_json::to_value(&report).map_err(|e| ServiceError::Internal(e.into()))?,
                        created_at: now,
                    };
                    self.0.store.insert_weekly_report(&stored, &xlsx).await?;
                    // Another instance may have kept its own first: send what is kept.
                    self.0.store.weekly_report_at(tick, m.user.id).await?.ok_or_else(|| {
                        ServiceError::Internal(anyhow::anyhow!("the weekly report of {} vanished", m.user.name))
                    })?
                }
            };
            let xlsx = self.0.store.weekly_report_xlsx(kept.id).await?.unwrap_or_default();
            out.push((m, from_stored(&kept)?, xlsx));
        }
        Ok(out)
    }

    /// The next report `p` will get (an admin may name another user), composed now.
    pub async fn preview(&self, p: &Principal, user: Option<&str>) -> ServiceResult<WeeklyReport> {
        let me = signed_in(p)?;
        let name = match user {
            Some(u) if u != me.name => {
                if me.role != Role::Admin {
                    return Err(ServiceError::Forbidden("only admins preview other users' reports".into()));
                }
                u.to_owned()
            }
            _ => me.name.clone(),
        };
        let staff = self.0.store.staff().await?;
        let m = match staff.into_iter().find(|m| m.user.name == name) {
            Some(m) => m,
            None if name == me.name => StaffMember { user: me.clone(), contact: Default::default() },
            None => return Err(ServiceError::NotFound(format!("no staff contact for user {name}"))),
        };
        let now = self.0.tickets.now();
        Ok(self.compose(&m, self.0.schedule.next_tick(now), now)?.0)
    }

    /// Kept reports, newest first: an admin's list has everyone's, anyone else's their own.
    pub async fn list(&self, p: &Principal) -> ServiceResult<Vec<WeeklyReport>> {
        let me = signed_in(p)?;
        let user = (me.role != Role::Admin).then_some(me.id);
        self.0.store.weekly_reports(user, LIST_LIMIT).await?.iter().map(from_stored).collect()
    }

    /// One kept report, to its recipient or an admin.
    pub async fn get(&self, p: &Principal, id: Uuid) -> ServiceResult<WeeklyReport> {
        from_stored(&self.readable(p, id).await?)
    }

    /// One kept report's workbook, to its recipient or an admin.
    pub async fn xlsx(&self, p: &Principal, id: Uuid) -> ServiceResult<(WeeklyReport, Vec<u8>)> {
        let kept = self.readable(p, id).await?;
        let bytes = self.0.store.weekly_report_xlsx(id).await?.unwrap_or_default();
        Ok((from_stored(&kept)?, bytes))
    }

    async fn readable(&self, p: &Principal, id: Uuid) -> ServiceResult<StoredReport> {
        let me = signed_in(p)?;
        match self.0.store.weekly_report(id).await? {
            Some(r) if r.user_id == me.id || me.role == Role::Admin => Ok(r),
            // Someone else's report is as unknown as a missing one.
            _ => Err(ServiceError::NotFound(format!("report {id}"))),
        }
    }
}

fn signed_in(p: &Principal) -> ServiceResult<&crate::domain::User> {
    match p {
        Principal::User(u) => Ok(u),
        Principal::Public => Err(ServiceError::Unauthenticated),
        Principal::ApiKey { .. } => Err(ServiceError::Forbidden("weekly reports are for signed-in users".into())),
    }
}

fn from_stored(r: &StoredReport) -> ServiceResult<WeeklyReport> {
    let mut report: WeeklyReport = serde_json::from_value(r.body.clone())
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("weekly report {}: {e}", r.id)))?;
    report.id = Some(r.id);
    report.created_at = Some(r.created_at);
    Ok(report)
}

/// `field`'s code (`urban_order`).
fn field_code(f: &crate::domain::Field) -> String {
    serde_json::to_value(f).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}
