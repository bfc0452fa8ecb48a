//! "Me too": a citizen (or an operator for a caller) adds support to an open report of the same
//! problem instead of filing a duplicate. The ticket counts one more supporter and its priority
//! may rise ([`crate::domain::support`]); the change is a `supported` event like any other, so
//! the index, the map wall, the counters and the live feed follow it. The supporter's contact is
//! personal data: stored apart, shown only to those who see reporters' contacts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::filing::parse_contact;
use super::{ServiceError, ServiceResult, Tickets};
use crate::domain::support::{self, SupportRefused};
use crate::domain::{
    EventKind, Principal, Priority, ReporterContact, Status, TicketEvent, TicketId, TrackingToken, ValidationErrors,
};
use crate::store::supporters::{NewSupporter, Supporter};

/// A supporter as `POST /api/v1/tickets/{id}/supporters` takes it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportInput {
    /// The supporter's name, number or email, if they want to be kept informed (personal data,
    /// never published).
    #[serde(default)]
    pub contact: Option<ReporterContact>,
    /// The citizen agrees that the centre uses the contact about this report (required of the
    /// public with a contact).
    #[serde(default)]
    pub consent: Option<bool>,
}

/// The report once supported.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Supported {
    pub id: TicketId,
    pub code: String,
    pub status: Status,
    /// How many support it now.
    pub supporters: u32,
    pub priority: Priority,
    /// For this supporter only, once: the token to add their photos with (`POST
    /// /api/v1/tickets/{id}/photos` with the header `Tracking-Token`). Absent on a repeat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// This supporter had supported the report already: nothing changed.
    pub already: bool,
}

/// An open report near a place, as the public may see it: to support instead of filing again.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OpenNearby {
    pub id: TicketId,
    pub code: String,
    pub status: Status,
    pub category: String,
    pub category_name: String,
    pub category_name_en: String,
    /// The first 200 characters of the description, personal data removed.
    pub description: String,
    pub received_at: DateTime<Utc>,
    pub supporters: u32,
    /// From the place asked about, in metres.
    pub distance_m: f64,
}

/// How far the public's "same problem nearby" looks, at most, in metres.
pub const NEARBY_MAX_M: f64 = 500.0;
/// How old an open report it shows may be, in days.
pub const NEARBY_DAYS: i64 = 30;

/// A supporter as the centre and the unit see them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SupporterView {
    pub contact: ReporterContact,
    pub channel: String,
    pub created_at: DateTime<Utc>,
}

impl Tickets {
    /// Adds the support of one citizen to ticket `id`: counted once per idempotency key (or per
    /// number or email address left), only while the ticket is open.
    pub async fn support(
        &self,
        id: TicketId,
        input: SupportInput,
        p: &Principal,
        key: Option<&str>,
    ) -> ServiceResult<Supported> {
        if p.role() == Some(crate::domain::Role::Analyst) {
            return Err(ServiceError::Forbidden("an analyst's key reads only".into()));
        }
        // The contact's faults are named as the supporter sent them: `contact.phone`, ….
        let mut errs = ValidationErrors::new();
        let contact = parse_contact(input.contact.as_ref(), &mut errs);
        for e in &mut errs.0 {
            e.field = e.field.replacen("reporter.", "contact.", 1);
        }
        if !contact.is_empty() && matches!(p, Principal::Public) && input.consent != Some(true) {
            errs.push("consent", "to leave a contact, agree that the centre may use it for this report");
        }
        if let Some(k) = key
            && (k.is_empty() || k.len() > 200 || !k.bytes().all(|b| b.is_ascii_graphic()))
        {
            errs.push("Idempotency-Key", "must be 1 to 200 visible ASCII characters");
        }
        errs.into_result()?;
        let dedupe = match (key, &contact) {
            (Some(k), _) => format!("key:{k}"),
            (None, ReporterContact { phone: Some(phone), .. }) => {
                // One number however it is written (`+84 905…`, `0905…`).
                let digits = || phone.chars().filter(char::is_ascii_digit).collect::<String>();
                format!("phone:{}", crate::domain::desk::normalise_phone(phone).unwrap_or_else(digits))
            }
            (None, ReporterContact { email: Some(email), .. }) => format!("email:{}", email.to_lowercase()),
            _ => format!("once:{}", Uuid::now_v7()),
        };
        let channel = if matches!(p, Principal::Public) { "portal" } else { "console" };
        let token = TrackingToken::generate();
        for attempt in 0.. {
            let t = self.ticket_or_404(id).await?;
            let mut next = support::supported(&t).map_err(|e| match e {
                SupportRefused::NotOpen(_) | SupportRefused::Duplicate => ServiceError::Conflict(e.to_string()),
            })?;
            let now = self.now();
            next.version = t.version + 1;
            next.updated_at = now;
            let event = TicketEvent {
                seq: 0,
                ticket_id: id,
                kind: EventKind::Supported,
                actor: p.actor_name(),
                at: now,
                note: Some(next.supporters.to_string()),
                data: serde_json::Value::Null,
            };
            let row = NewSupporter {
                supporter: Supporter {
                    id: Uuid::now_v7(),
                    ticket: id,
                    contact: contact.clone(),
                    channel: channel.into(),
                    created_at: now,
                },
                dedupe: dedupe.clone(),
                token_hash: token.hash(),
            };
            match self.store.add_supporter(&next, t.version, event, &row).await {
                Ok(Some(event)) => {
                    self.committed(event.seq).await;
                    return Ok(Supported {
                        id,
                        code: next.code.as_str().to_owned(),
                        status: next.status,
                        supporters: next.supporters,
                        priority: next.priority,
                        token: Some(token.0),
                        already: false,
                    });
                }
                Ok(None) => {
                    return Ok(Supported {
                        id,
                        code: t.code.as_str().to_owned(),
                        status: t.status,
                        supporters: t.supporters,
                        priority: t.priority,
                        token: None,
                        already: true,
                    });
                }
                Err(crate::store::StoreError::VersionConflict(_)) if attempt < 64 => continue,
                Err(e) => return Err(e.into()),
            }
        }
        unreachable!("the loop returns")
    }

    /// Open reports of `category` (any, without) within `radius_m` of `at` filed in the last
    /// [`NEARBY_DAYS`] days, nearest first: what a citizen about to report may support instead.
    /// Public: codes, categories, redacted descriptions and counts only.
    pub async fn open_nearby(
        &self,
        at: crate::domain::Location,
        category: Option<crate::domain::CategoryCode>,
        radius_m: f64,
        limit: usize,
    ) -> ServiceResult<Vec<OpenNearby>> {
        let filter = crate::spatial::TicketFilter {
            categories: category.map(|c| std::collections::HashSet::from([c])),
            received_from: Some(self.now() - chrono::Duration::days(NEARBY_DAYS)),
            open_only: true,
            ..crate::spatial::TicketFilter::default()
        };
        let hits: Vec<((TicketId, i64), f64)> = {
            let index = self.index.read().expect("index lock");
            let near = index.nearest(at, limit, &filter, Some(radius_m.min(NEARBY_MAX_M)));
            near.into_iter().map(|(e, d)| ((e.id(), e.version()), d)).collect()
        };
        let ids: Vec<(TicketId, i64)> = hits.iter().map(|h| h.0).collect();
        let tickets = self.rows.read(&*self.store, &ids).await?;
        let reference = self.reference();
        let mut out: Vec<OpenNearby> = tickets
            .into_iter()
            .filter(|t| t.status.is_open())
            .map(|t| {
                let category = reference.category(&t.category);
                OpenNearby {
                    id: t.id,
                    code: t.code.as_str().to_owned(),
                    status: t.status,
                    category: t.category.as_str().to_owned(),
                    category_name: category.map(|c| c.name_vi.clone()).unwrap_or_default(),
                    category_name_en: category.map(|c| c.name_en.clone()).unwrap_or_default(),
                    description: crate::domain::privacy::redact(&t.description).chars().take(200).collect(),
                    received_at: t.received_at,
                    supporters: t.supporters,
                    distance_m: hits.iter().find(|h| h.0.0 == t.id).map_or(0.0, |h| h.1),
                }
            })
            .collect();
        out.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
        Ok(out)
    }

    /// The ticket's supporters with their contacts: for those who see reporters' contacts
    /// (admins, operators, the unit the ticket is with).
    pub async fn supporters(&self, id: TicketId, p: &Principal) -> ServiceResult<Vec<SupporterView>> {
        let view = self.get_ticket(id, p).await?;
        let reference = self.reference();
        if !self.may_see_contact(p, &view.ticket, &reference) {
            return Err(ServiceError::Forbidden(
                "supporters' contacts are for the centre and the unit handling the report".into(),
            ));
        }
        Ok(self
            .store
            .supporters(id)
            .await?
            .into_iter()
            .map(|s| SupporterView { contact: s.contact, channel: s.channel, created_at: s.created_at })
            .collect())
    }
}
