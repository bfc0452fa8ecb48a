//! What citizens see: their report, tracked by code and token; rating its result (a low rating
//! reopens it); and the published results near a place. Never a reporter's contact, never a
//! staff note other than the published result and the reasons given to the citizen.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::{ServiceError, ServiceResult, Tickets};
use crate::domain::privacy::redact;
use crate::domain::status::{Action, Actor};
use crate::domain::{EventKind, Location, Principal, Rating, Status, Ticket, TicketCode, TicketEvent, TrackingToken};
use crate::spatial::TicketFilter;

/// Ratings at or below this reopen a resolved ticket.
pub const REOPEN_AT_OR_BELOW: u8 = 2;
/// How far back published results are listed.
pub const RESULTS_DAYS: i64 = 90;

/// A report as its citizen sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicTicket {
    pub code: String,
    pub status: Status,
    pub category: String,
    pub category_name: String,
    pub category_name_en: String,
    pub area_name: Option<String>,
    pub location: Location,
    pub received_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub overdue: bool,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The published result, once resolved.
    pub result: Option<String>,
    pub rating: Option<Rating>,
    /// Citizens who support the report ("me too"): a count, never who.
    pub supporters: u32,
    /// What may be done now: `rate` (resolved or closed, not yet rated).
    pub can_rate: bool,
    pub timeline: Vec<PublicEvent>,
    /// The photos the public may see: result photos once resolved, report photos an operator published.
    pub photos: Vec<super::photos::PhotoView>,
}

/// One step of the public timeline.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicEvent {
    /// `ticket.created`, `ticket.assigned`, …
    pub kind: String,
    pub at: DateTime<Utc>,
    /// Only the texts meant for the citizen: the result, a rejection or extension reason, the
    /// citizen's own rating comment or reopening reason.
    pub note: Option<String>,
}

/// A published result near a place.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicResult {
    pub code: String,
    pub category_name: String,
    pub category_name_en: String,
    pub area_name: Option<String>,
    pub location: Location,
    pub resolved_at: Option<DateTime<Utc>>,
    pub result: Option<String>,
    pub rating: Option<Rating>,
    pub distance_m: f64,
}

fn public_note(e: &TicketEvent) -> Option<String> {
    match e.kind {
        EventKind::Resolved
        | EventKind::Rejected
        | EventKind::Extended
        | EventKind::Rated
        | EventKind::Reopened
        | EventKind::Duplicate => e.note.as_deref().map(|n| redact(n).into_owned()),
        _ => None,
    }
}

impl Tickets {
    /// The ticket with this code if `token` is its tracking token; `NotFound` otherwise (a wrong
    /// token and an unknown code look the same).
    pub(super) async fn tracked(&self, code: &str, token: &str) -> ServiceResult<Ticket> {
        let not_found = || ServiceError::NotFound(format!("report {code} (check the code and the tracking link)"));
        if code.len() > 32 || token.len() > 64 {
            return Err(not_found());
        }
        let t =
            self.store.ticket_by_code(&TicketCode(code.trim().to_ascii_uppercase())).await?.ok_or_else(not_found)?;
        let stored = self.store.token_hash(t.id).await?.ok_or_else(not_found)?;
        if !TrackingToken(token.to_owned()).matches(&stored) {
            return Err(not_found());
        }
        Ok(t)
    }

    /// `GET /api/v1/track/{code}?token=…`.
    pub async fn track(&self, code: &str, token: &str) -> ServiceResult<PublicTicket> {
        let t = self.tracked(code, token).await?;
        self.public_ticket(t).await
    }

    pub(super) async fn public_ticket(&self, t: Ticket) -> ServiceResult<PublicTicket> {
        let events = self.store.ticket_events(t.id).await?;
        let photos = self.photos_of(t.id).await?;
        Ok(self.public_view(t, &events, photos))
    }

    fn public_view(&self, t: Ticket, events: &[TicketEvent], photos: Vec<super::photos::PhotoView>) -> PublicTicket {
        let reference = self.reference();
        let category = reference.category(&t.category);
        let now = self.now();
        PublicTicket {
            code: t.code.as_str().to_owned(),
            status: t.status,
            category: t.category.as_str().to_owned(),
            category_name: category.map(|c| c.name_vi.clone()).unwrap_or_default(),
            category_name_en: category.map(|c| c.name_en.clone()).unwrap_or_default(),
            area_name: t.area.as_ref().and_then(|a| reference.areas.get(a, now)).map(|a| a.name.clone()),
            location: t.location,
            received_at: t.received_at,
            deadline: t.deadline,
            overdue: t.is_overdue(now),
            resolved_at: t.resolved_at,
            result: match t.status {
                Status::Resolved | Status::Closed => t.result.as_deref().map(|r| redact(r).into_owned()),
                _ => None,
            },
            rating: t.rating,
            can_rate: matches!(t.status, Status::Resolved | Status::Closed) && t.rating.is_none(),
            supporters: t.supporters,
            timeline: events
                .iter()
                .map(|e| PublicEvent { kind: e.kind.wire_name(), at: e.at, note: public_note(e) })
                .collect(),
            photos,
        }
    }

    /// The citizen rates the result; at or below [`REOPEN_AT_OR_BELOW`] a resolved ticket is
    /// reopened with the comment as its reason.
    pub async fn rate_as_citizen(
        &self,
        code: &str,
        token: &str,
        rating: Rating,
        comment: Option<String>,
    ) -> ServiceResult<PublicTicket> {
        let t = self.tracked(code, token).await?;
        let citizen = |_: &Ticket| Ok(Actor::Citizen);
        let rate = Action::Rate { rating, comment: comment.clone() };
        let (rated, _) = self.act(t.id, &rate, &Principal::Public, None, citizen).await?;
        if rating.get() <= REOPEN_AT_OR_BELOW && rated.status == Status::Resolved {
            let why = comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).unwrap_or("không có nhận xét");
            let reason = format!("Người dân đánh giá {}/5: {why}", rating.get());
            self.act(t.id, &Action::Reopen { reason }, &Principal::Public, None, citizen).await?;
        }
        let t = self.store.ticket(t.id).await?.ok_or_else(|| ServiceError::NotFound(code.to_owned()))?;
        self.public_ticket(t).await
    }

    /// Resolved and closed tickets of the last [`RESULTS_DAYS`] days within `radius_m` of
    /// `at`, nearest first, at most `limit`.
    pub async fn results_near(&self, at: Location, radius_m: f64, limit: usize) -> ServiceResult<Vec<PublicResult>> {
        let since = self.now() - Duration::days(RESULTS_DAYS);
        let filter = TicketFilter {
            statuses: Some([Status::Resolved, Status::Closed].into_iter().collect()),
            ..TicketFilter::default()
        };
        let hits: Vec<(crate::domain::TicketId, f64)> = {
            let index = self.index.read().expect("index lock");
            // Older results are skipped after the nearest search, so ask for more than `limit`.
            index
                .nearest(at, limit * 4, &filter, Some(radius_m))
                .into_iter()
                .filter(|(e, _)| e.resolved_at().is_some_and(|r| r >= since))
                .map(|(e, d)| (e.id(), d))
                .take(limit)
                .collect()
        };
        let ids: Vec<_> = hits.iter().map(|h| h.0).collect();
        let tickets = self.store.tickets_by_ids(&ids).await?;
        let reference = self.reference();
        let now = self.now();
        let mut out: Vec<PublicResult> = tickets
            .into_iter()
            .map(|t| {
                let category = reference.category(&t.category);
                let distance_m = hits.iter().find(|h| h.0 == t.id).map_or(0.0, |h| h.1);
                PublicResult {
                    code: t.code.as_str().to_owned(),
                    category_name: category.map(|c| c.name_vi.clone()).unwrap_or_default(),
                    category_name_en: category.map(|c| c.name_en.clone()).unwrap_or_default(),
                    area_name: t.area.as_ref().and_then(|a| reference.areas.get(a, now)).map(|a| a.name.clone()),
                    location: t.location,
                    resolved_at: t.resolved_at,
                    result: t.result.as_deref().map(|r| redact(r).into_owned()),
                    rating: t.rating,
                    distance_m,
                }
            })
            .collect();
        out.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
        Ok(out)
    }
}
