//! Closing an office for a period (a storm, a power cut): every booking in it moves to the
//! nearest free slot of its service and its holder is told; a booking no slot can take in the
//! next weeks stays where it was, its holder is told the centre will call, and it is listed in
//! the answer. Nothing is dropped silently.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::texts::{BookingMessage, booking_message};
use super::{Appointments, require};
use crate::domain::appointment::BookingStatus;
use crate::domain::desk::text;
use crate::domain::office::{Closure, Office, OfficeService, Slot};
use crate::domain::schedule::vietnam_date;
use crate::domain::{Principal, Role, ValidationErrors};
use crate::service::{ServiceError, ServiceResult};
use crate::store::appointments::Booking;

/// How far after the closure a moved booking may land.
pub const SEARCH_DAYS: i64 = 21;
/// The longest closure one request records.
pub const MAX_CLOSURE_DAYS: i64 = 31;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureInput {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub reason: Option<String>,
}

/// A booking moved by a closure.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MovedBooking {
    pub code: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClosureResult {
    pub closure: Closure,
    /// Bookings the closure fell on.
    pub affected: usize,
    pub moved: Vec<MovedBooking>,
    /// Codes no free slot could take: the centre calls their holders.
    pub unplaced: Vec<String>,
}

impl Appointments {
    /// Closes an office for `[from, to)` and moves its bookings. Roles: admin.
    pub async fn close_office(&self, p: &Principal, office: &str, input: ClosureInput) -> ServiceResult<ClosureResult> {
        require(p, &[Role::Admin])?;
        let office = self.office(office).await?;
        let mut errs = ValidationErrors::new();
        let reason = text(input.reason.as_deref(), "reason", 300, true, &mut errs).unwrap_or_default();
        let now = Utc::now();
        if input.to <= input.from {
            errs.push("to", "must be after from");
        } else if input.to <= now {
            errs.push("to", "must be in the future");
        } else if input.to - input.from > Duration::days(MAX_CLOSURE_DAYS) {
            errs.push("to", format!("a closure lasts at most {MAX_CLOSURE_DAYS} days"));
        }
        errs.into_result()?;
        let closure = Closure { from: input.from, to: input.to, reason };
        self.inner.store.add_closure(&office.id, &closure, &p.actor_name(), now).await?;
        self.touched();
        let closures = self.closures(&office.id, now).await?;
        let hit: Vec<Booking> = self
            .inner
            .store
            .office_bookings(&office.id, closure.from - Duration::hours(24), closure.to)
            .await?
            .into_iter()
            .filter(|b| b.status == BookingStatus::Booked && b.starts_at < closure.to && closure.from < b.ends_at)
            .collect();
        let mut result =
            ClosureResult { closure: closure.clone(), affected: hit.len(), moved: vec![], unplaced: vec![] };
        for b in hit {
            let Some(svc) = office.service(&b.service) else {
                self.unplaced(&office, &b, &closure, &mut result).await?;
                continue;
            };
            match self.move_to_nearest(&office, svc, &b, &closures, now).await? {
                Some(m) => {
                    let link = self.manage_link(&m.code, &self.token_for("booking", m.id));
                    let dedup = format!("booking:{}:closed:{}", m.id, m.starts_at.timestamp());
                    self.notify(vec![booking_message(
                        BookingMessage::Moved,
                        &m,
                        &office.name,
                        &link,
                        dedup,
                        Some(&closure.reason),
                    )])
                    .await?;
                    result.moved.push(MovedBooking { code: m.code, from: b.starts_at, to: m.starts_at });
                }
                None => self.unplaced(&office, &b, &closure, &mut result).await?,
            }
        }
        tracing::info!(office = %office.id, affected = result.affected, moved = result.moved.len(),
            unplaced = result.unplaced.len(), "office closed");
        Ok(result)
    }

    async fn unplaced(&self, office: &Office, b: &Booking, c: &Closure, r: &mut ClosureResult) -> ServiceResult<()> {
        let link = self.manage_link(&b.code, &self.token_for("booking", b.id));
        let dedup = format!("booking:{}:unplaced:{}", b.id, c.from.timestamp());
        self.notify(vec![booking_message(BookingMessage::Unplaced, b, &office.name, &link, dedup, Some(&c.reason))])
            .await?;
        r.unplaced.push(b.code.clone());
        Ok(())
    }

    /// Moves `b` to the free slot nearest its time (the same day first, then the days after),
    /// outside every closure; `None` when none within [`SEARCH_DAYS`] takes it.
    async fn move_to_nearest(
        &self,
        office: &Office,
        svc: &OfficeService,
        b: &Booking,
        closures: &[Closure],
        now: DateTime<Utc>,
    ) -> ServiceResult<Option<Booking>> {
        let first = vietnam_date(b.starts_at.max(now));
        for offset in 0..=SEARCH_DAYS {
            let day = first + Duration::days(offset);
            let Ok(slots) = office.slots_on(svc, day, &self.inner.calendar) else { continue };
            let mut open: Vec<Slot> = slots
                .into_iter()
                .filter(|s| s.starts_at > now && !closures.iter().any(|c| c.from < s.ends_at && s.starts_at < c.to))
                .collect();
            let from = crate::domain::schedule::vietnam_instant(day, chrono::NaiveTime::MIN);
            let loads = self.inner.store.slot_loads(&office.id, &svc.id, from, from + Duration::days(1)).await?;
            open.retain(|s| {
                loads.iter().find(|(t, _)| *t == s.starts_at).is_none_or(|(_, n)| *n < i64::from(svc.capacity))
            });
            open.sort_by_key(|s| (s.starts_at - b.starts_at).num_seconds().abs());
            for s in open {
                match self.take_move(office, svc, b, s.starts_at, s.ends_at, true).await {
                    Ok(m) => return Ok(Some(m)),
                    Err(ServiceError::Full { .. }) => continue,
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(None)
    }
}
