//! What the console needs beyond the ticket operations: phone intake (a ticket with the details
//! of its call, optionally filed at once as a duplicate of an open ticket), a ticket's call
//! details, and the routing suggestion for a category at a point.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::tickets::{CreatedTicket, TicketInput};
use super::{ServiceError, ServiceResult, Tickets};
use crate::domain::{
    Action, AreaCode, CallRecord, CategoryCode, Channel, Location, Principal, Priority, ReporterContact, Status,
    TicketId, UnitCode, ValidationErrors,
};

/// A phone call to file (`POST /api/v1/calls`): the ticket's fields as for
/// `POST /api/v1/tickets` (the channel is always `hotline`), the caller's name and number as
/// `reporter`, and the call itself.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallInput {
    /// Category code (see `GET /api/v1/categories`).
    pub category: String,
    pub description: String,
    /// WGS84 lon/lat in degrees.
    pub location: Location,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub priority: Option<Priority>,
    /// The caller's name and number: personal data, stored apart and never published.
    #[serde(default)]
    pub reporter: Option<ReporterContact>,
    /// The caller agrees that the centre uses the contact about this report (as for
    /// `POST /api/v1/tickets`; required of the public only).
    #[serde(default)]
    pub consent: Option<bool>,
    pub call: CallDetailsInput,
    /// File the call at once as a duplicate of this ticket (its id), e.g. one the nearby
    /// check (`GET /api/v1/tickets/nearby`) found.
    #[serde(default)]
    pub duplicate_of: Option<TicketId>,
}

/// The call as the console sends it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallDetailsInput {
    /// When the call began (RFC 3339); at most 5 minutes ahead and 30 days back.
    pub started_at: DateTime<Utc>,
    /// Length in seconds, 0 to 14 400.
    #[serde(default)]
    pub duration_seconds: Option<i64>,
    /// The recording's id or URL in the phone system (at most 300 characters).
    #[serde(default)]
    pub recording_ref: Option<String>,
    /// The phone system's id of the call (from the screen pop): its length and recording are
    /// filled in when it ends.
    #[serde(default)]
    pub call_id: Option<String>,
}

/// A filed call: the ticket as for `POST /api/v1/tickets` (with its tracking token) and the
/// call as stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TakenCall {
    #[serde(flatten)]
    pub created: CreatedTicket,
    pub call: CallRecord,
}

/// An area on the way from a point up to the city.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AreaRef {
    pub code: AreaCode,
    pub name: String,
    pub level: String,
}

/// Where a ticket of a category at a point would go.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RoutingSuggestion {
    /// The areas the point lies in, most specific first (empty outside the city).
    pub areas: Vec<AreaRef>,
    /// The unit the routing rules suggest, if any rule matches.
    pub unit: Option<UnitCode>,
    pub unit_name_vi: Option<String>,
    pub unit_name_en: Option<String>,
}

impl Tickets {
    /// Files a phone call: validates the call, files the ticket (as [`Tickets::create_ticket`],
    /// on the hotline channel, idempotent with `idempotency_key`), stores the call details and,
    /// with `duplicate_of`, marks the new ticket a duplicate of that one.
    ///
    /// Each step commits on its own; a retry with the same key finishes what a failed attempt
    /// left undone (the ticket is replayed, the call stored again, the duplicate marked), and a
    /// retry whose call or duplicate differs from what was stored is refused as a reused key.
    pub async fn take_call(
        &self,
        input: CallInput,
        p: &Principal,
        idempotency_key: Option<&str>,
    ) -> ServiceResult<TakenCall> {
        let mut errs = ValidationErrors::new();
        let c = &input.call;
        let call = errs.take(CallRecord::new(
            c.started_at,
            c.duration_seconds,
            c.recording_ref.as_deref(),
            self.now(),
            "call.",
        ));
        let call_id = crate::domain::desk::token(
            c.call_id.as_deref(),
            "call.call_id",
            crate::domain::desk::MAX_CALL_ID_CHARS,
            false,
            &mut errs,
        );
        if let Some(id) = &call_id
            && self.store.pbx_call(id).await?.is_none()
        {
            errs.push("call.call_id", format!("the phone system has told of no call {id}"));
        }
        if let Some(of) = input.duplicate_of
            && self.store.ticket(of).await?.is_none()
        {
            errs.push("duplicate_of", format!("no ticket {of}"));
        }
        errs.into_result()?;
        let call = call.expect("validated");
        let ticket = TicketInput {
            category: input.category,
            description: input.description,
            location: input.location,
            address: input.address,
            channel: Some(Channel::Hotline),
            priority: input.priority,
            reporter: input.reporter,
            consent: input.consent,
        };
        let mut created = self.create_ticket(ticket, p, idempotency_key).await?;
        let id = created.view.ticket.id;
        if created.replayed
            && let Some(stored) = self.store.call(id).await?
            && stored != call
        {
            return Err(ServiceError::IdempotencyMismatch);
        }
        self.store.put_call(id, &call).await?;
        if let Some(call_id) = &call_id {
            self.store.link_ticket_call(id, call_id).await?;
        }
        let t = &created.view.ticket;
        match (input.duplicate_of, t.status, t.duplicate_of) {
            (Some(of), Status::Received, _) => {
                created.view = match self.transition(id, Action::MarkDuplicate { of, note: None }, p, None).await {
                    Ok((view, _)) => view,
                    // A concurrent retry of this very call may have marked it first.
                    Err(e @ ServiceError::Transition(_)) => match self.get_ticket(id, p).await? {
                        view if view.ticket.duplicate_of == Some(of) => view,
                        _ => return Err(e),
                    },
                    Err(e) => return Err(e),
                };
            }
            (Some(of), Status::Duplicate, Some(marked)) if marked == of => {}
            (None, status, _) if status != Status::Duplicate || !created.replayed => {}
            (Some(_), Status::Duplicate, _) | (None, _, _) => return Err(ServiceError::IdempotencyMismatch),
            (Some(_), _, _) => {
                return Err(ServiceError::Conflict(format!(
                    "the call was filed as {} but the ticket has moved on since; mark it a duplicate from its page",
                    t.code.as_str()
                )));
            }
        }
        Ok(TakenCall { created, call })
    }

    /// The call ticket `id` was taken from, for those who may read the ticket (the caller
    /// checks the role may see reporters' contacts: admins, operators, the assigned unit).
    pub async fn ticket_call(&self, id: TicketId, p: &Principal) -> ServiceResult<CallRecord> {
        self.get_ticket(id, p).await?;
        self.store.call(id).await?.ok_or_else(|| ServiceError::NotFound(format!("a phone call for ticket {id}")))
    }

    /// The areas `at` lies in and the unit the routing rules suggest for `category` there.
    pub fn suggest_route(&self, category: &CategoryCode, at: Location) -> ServiceResult<RoutingSuggestion> {
        let reference = self.reference();
        if reference.category(category).is_none() {
            return Err(ValidationErrors::single(
                "category",
                format!("unknown category {category}; see GET /api/v1/categories"),
            )
            .into());
        }
        let now = self.now();
        let area = reference.areas.locate(at, now).cloned();
        let areas = area
            .as_ref()
            .map(|a| reference.areas.ancestors(a))
            .unwrap_or_default()
            .iter()
            .filter_map(|code| reference.areas.get(code, now))
            .map(|a| AreaRef { code: a.code.clone(), name: a.name.clone(), level: a.level.clone() })
            .collect();
        let unit = reference.suggest_unit(category, area.as_ref());
        let named = unit.as_ref().and_then(|u| reference.unit(u));
        Ok(RoutingSuggestion {
            areas,
            unit_name_vi: named.map(|u| u.name_vi.clone()),
            unit_name_en: named.map(|u| u.name_en.clone()),
            unit,
        })
    }
}
