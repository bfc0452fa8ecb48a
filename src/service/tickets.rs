//! Ticket operations: reading with role scopes, transitions (filing is in `filing.rs`).

use serde::{Deserialize, Serialize};

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

use super::combine::Combiner;
use super::{Projection, Reference, ReferenceData, ServiceError, ServiceResult};
use crate::config::Secret;
use crate::domain::status::{self, Transition};
use crate::domain::{
    Action, ActionKind, Actor, Channel, Location, Principal, Priority, ReporterContact, Role, Scope, Status, Ticket,
    TicketCode, TicketEvent, TicketExtras, TicketId, UnitCode, ValidationErrors,
};
use crate::spatial::TicketIndex;
use crate::store::sql::MAX_ROWS;
use crate::store::{Created, NewTicketItem, Store, StoreResult};

/// Longest description accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 4000;
/// Longest address accepted, in characters.
pub const MAX_ADDRESS_CHARS: usize = 500;

/// A new ticket as a client sends it (`POST /api/v1/tickets`).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketInput {
    /// Category code (see `GET /api/v1/categories`).
    pub category: String,
    pub description: String,
    /// WGS84 lon/lat in degrees.
    pub location: Location,
    #[serde(default)]
    pub address: Option<String>,
    /// Staff may set the channel; the public always files on `web` or `app`.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// Staff may set the priority; the public files at `normal`.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// The reporter's contact: personal data, stored apart and never published.
    #[serde(default)]
    pub reporter: Option<ReporterContact>,
    /// The citizen agrees that the centre uses the contact to reach them about this report;
    /// required (`true`) when the public leaves a contact. Staff record consent on the call.
    #[serde(default)]
    pub consent: Option<bool>,
}

/// A report arriving through a chat/SMS webhook rather than from a signed-in caller.
#[derive(Debug, Clone)]
pub(crate) struct ChannelIntake {
    pub channel: Channel,
    /// How the event's actor is written, e.g. `channel:zalo` (never the sender: personal data).
    pub actor: String,
    /// A note for the `created` event (e.g. the category was suggested automatically).
    pub note: Option<String>,
}

/// The city's rules for new tickets.
#[derive(Debug, Clone)]
pub struct TicketRules {
    /// Prefix of ticket codes (`DN` → `DN-2611-000123`).
    pub city_code: String,
    /// Working days to settle a ticket when its category names none.
    pub default_deadline_days: u32,
    /// The key tracking tokens of chat, SMS and phone reports are derived with
    /// ([`TrackingToken::derive`]), so the notifier can put them in the first message.
    pub tracking_key: Secret,
}

/// Tickets: filing with idempotency, reading with role scopes, transitions, listings and
/// nearby checks through the R-tree, the map wall's rows, the public tracking page and the
/// console's calls. Cheap to clone; the state is shared with the other handles of the instance.
#[derive(Clone)]
pub struct Tickets {
    pub(super) store: Arc<dyn Store>,
    /// Every ticket by location, read here and written only by the [`Projection`]. A std lock:
    /// held only for synchronous index work, never across `.await`.
    pub(super) index: Arc<RwLock<TicketIndex>>,
    reference: ReferenceData,
    pub(super) calendar: Arc<crate::domain::HolidayCalendar>,
    pub(super) projection: Projection,
    pub(super) rules: Arc<TicketRules>,
    /// The tickets of recent pages, by (id, version).
    pub(super) rows: super::rows::TicketRows,
    /// Filings (single tickets and batches) waiting to be written together (`filing.rs`).
    pub(super) filings: Arc<Combiner<PendingFiling>>,
}

/// A filing waiting in [`Tickets::filings`] — one ticket, or a batch written all or none —
/// and where its answer goes: what each item did, in order, or why none was filed
/// ([`crate::store::StoreError::IdempotencyMismatchAt`] names the item by its index in `items`).
pub(super) struct PendingFiling {
    pub items: Vec<NewTicketItem>,
    /// Filed by background work ([`crate::store::priority`]).
    pub background: bool,
    pub answer: oneshot::Sender<StoreResult<Vec<Created>>>,
}

/// Most tickets written in one combined filing: a few batches, or many single filings.
const MAX_COMBINED_TICKETS: usize = 2 * MAX_ROWS;

impl Tickets {
    pub fn new(
        store: Arc<dyn Store>,
        index: Arc<RwLock<TicketIndex>>,
        reference: ReferenceData,
        calendar: Arc<crate::domain::HolidayCalendar>,
        projection: Projection,
        rules: TicketRules,
    ) -> Self {
        let filings = Arc::new(Combiner::new(MAX_COMBINED_TICKETS, |p: &PendingFiling| p.items.len()));
        let rows = Default::default();
        Self { store, index, reference, calendar, projection, rules: Arc::new(rules), rows, filings }
    }

    /// The current reference snapshot.
    pub fn reference(&self) -> Arc<Reference> {
        self.reference.current()
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    /// Waits until this instance has applied the committed event `seq` (see [`Projection::committed`]).
    pub(crate) async fn committed(&self, seq: i64) {
        self.projection.committed(seq).await
    }

    /// A ticket's id from its UUID or its code (`DN-2611-000123`, any case): a validation
    /// error for anything else, `NotFound` for an unknown code.
    pub async fn resolve(&self, raw: &str) -> ServiceResult<TicketId> {
        if let Ok(id) = TicketId::parse(raw, "id") {
            return Ok(id);
        }
        let valid = raw.len() <= 32 && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !valid {
            return Err(ValidationErrors::single("id", "must be a ticket id (UUID) or code like DN-2611-000123").into());
        }
        let code = TicketCode(raw.to_ascii_uppercase());
        match self.store.ticket_by_code(&code).await? {
            Some(t) => Ok(t.id),
            None => Err(ServiceError::NotFound(format!("ticket {raw}"))),
        }
    }

    /// A ticket's media URL and attribute answers (empty when it has none), for a viewer who
    /// may read the ticket.
    pub async fn extras(&self, id: TicketId, p: &Principal) -> ServiceResult<TicketExtras> {
        self.get_ticket(id, p).await?;
        let found = self.store.ticket_extras(&[id]).await?;
        Ok(found.into_iter().next().map(|(_, e)| e).unwrap_or_default())
    }

    /// The last event `seq` this instance has applied.
    pub fn applied_seq(&self) -> i64 {
        self.projection.applied_seq()
    }
}

/// A ticket as the API shows it to one viewer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TicketView {
    #[serde(flatten)]
    pub ticket: Ticket,
    /// Open and past its deadline now.
    pub overdue: bool,
    /// Resolved after its deadline.
    pub late: bool,
    /// Vietnamese name of `area`.
    pub area_name: Option<String>,
    /// What this viewer may do next.
    pub allowed_actions: Vec<ActionKind>,
    /// The unit the routing rules suggest (for tickets waiting at the centre).
    pub suggested_unit: Option<UnitCode>,
    /// The reporter's contact: only for the centre and the assigned unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter: Option<ReporterContact>,
    /// The ticket's photos, report and result, by position: in the single-ticket view
    /// (`GET /api/v1/tickets/{id}`, transitions), not in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photos: Option<Vec<super::photos::PhotoView>>,
}

/// The result of filing a ticket.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedTicket {
    #[serde(flatten)]
    pub view: TicketView,
    /// The citizen's secret for following the ticket: shown only in this response. A retry
    /// with the same Idempotency-Key returns the same ticket with a fresh token (the earlier
    /// one stops working), so a client that lost the first response is never locked out.
    pub tracking_token: String,
    /// True when this response replays an earlier request with the same Idempotency-Key.
    #[serde(skip)]
    pub replayed: bool,
}

impl Tickets {
    /// Which tickets `p` may read; `None` means none at all.
    pub fn scope(&self, p: &Principal, reference: &Reference) -> Option<Scope> {
        match p {
            Principal::User(u) => match u.role {
                Role::Admin | Role::Operator => Some(Scope::All),
                Role::Leader => Some(Scope::Areas(reference.area_descendants(&u.areas))),
                Role::Agency => Some(Scope::Units(reference.unit_descendants(&u.units))),
                Role::Open311 | Role::Clerk => None,
                Role::Analyst => Some(Scope::All),
            },
            Principal::ApiKey { role: Role::Admin | Role::Operator | Role::Analyst, .. } => Some(Scope::All),
            _ => None,
        }
    }

    /// The status-machine actor `p` acts as on ticket `t`.
    fn actor_for(&self, p: &Principal, t: &Ticket, reference: &Reference) -> ServiceResult<Actor> {
        match p.role() {
            Some(Role::Admin | Role::Operator) => Ok(Actor::Centre),
            Some(Role::Agency) => match self.scope(p, reference) {
                Some(scope) if scope.allows(t) => Ok(Actor::Unit),
                _ => Err(ServiceError::OutOfScope("this ticket is not assigned to your unit".into())),
            },
            Some(_) => Err(ServiceError::Forbidden("this role cannot change tickets".into())),
            None => Err(ServiceError::Unauthenticated),
        }
    }

    /// Builds the view of `t` for `p` (the caller has checked that `p` may see it).
    pub fn view(
        &self,
        t: Ticket,
        p: &Principal,
        reference: &Reference,
        contact: Option<ReporterContact>,
    ) -> TicketView {
        let now = self.now();
        let allowed_actions = match self.actor_for(p, &t, reference) {
            Ok(actor) => status::allowed(t.status, actor),
            Err(_) => Vec::new(),
        };
        let suggested_unit = matches!(t.status, Status::Received | Status::Returned)
            .then(|| reference.suggest_unit(&t.category, t.area.as_ref()))
            .flatten();
        let area_name = t.area.as_ref().and_then(|a| reference.areas.get(a, t.received_at)).map(|a| a.name.clone());
        TicketView {
            overdue: t.is_overdue(now),
            late: t.is_late(),
            area_name,
            allowed_actions,
            suggested_unit,
            reporter: contact.filter(|c| !c.is_empty()),
            photos: None,
            ticket: t,
        }
    }

    /// Whether `p` may see the reporter's contact of `t`.
    pub(super) fn may_see_contact(&self, p: &Principal, t: &Ticket, reference: &Reference) -> bool {
        match p.role() {
            Some(Role::Admin | Role::Operator) => true,
            Some(Role::Agency) => self.scope(p, reference).is_some_and(|s| s.allows(t)),
            _ => false,
        }
    }

    /// Reads one ticket if `p` may see it.
    pub async fn get_ticket(&self, id: TicketId, p: &Principal) -> ServiceResult<TicketView> {
        let reference = self.reference();
        let scope = self.scope(p, &reference).ok_or_else(|| ServiceError::Forbidden("staff only".into()))?;
        let t = self.store.ticket(id).await?.ok_or_else(|| ServiceError::NotFound(format!("ticket {id}")))?;
        if !scope.allows(&t) {
            return Err(ServiceError::OutOfScope("this ticket is outside your areas or units".into()));
        }
        let contact = if self.may_see_contact(p, &t, &reference) { self.store.contact(t.id).await? } else { None };
        let photos = self.staff_photos(&t).await?;
        Ok(TicketView { photos: Some(photos), ..self.view(t, p, &reference, contact) })
    }

    /// A ticket's timeline, if `p` may see the ticket.
    pub async fn ticket_events(&self, id: TicketId, p: &Principal) -> ServiceResult<Vec<TicketEvent>> {
        self.get_ticket(id, p).await?;
        Ok(self.store.ticket_events(id).await?)
    }

    /// Applies an action. `if_match` is the version the client last saw (from the ETag); when
    /// given, a ticket changed since is a conflict. Without it, a concurrent change is retried
    /// on the fresh state.
    pub async fn transition(
        &self,
        id: TicketId,
        action: Action,
        p: &Principal,
        if_match: Option<i64>,
    ) -> ServiceResult<(TicketView, TicketEvent)> {
        let reference = self.reference();
        let (ticket, event) = self.act(id, &action, p, if_match, |t| self.actor_for(p, t, &reference)).await?;
        let contact = if self.may_see_contact(p, &ticket, &reference) { self.store.contact(id).await? } else { None };
        let photos = self.staff_photos(&ticket).await?;
        Ok((TicketView { photos: Some(photos), ..self.view(ticket, p, &reference, contact) }, event))
    }

    /// Applies `action` to ticket `id` as the actor `actor_of` names for it, and commits the
    /// change with its event (retrying on a concurrent change when no `if_match` was given).
    pub(crate) async fn act(
        &self,
        id: TicketId,
        action: &Action,
        p: &Principal,
        if_match: Option<i64>,
        actor_of: impl Fn(&Ticket) -> ServiceResult<Actor>,
    ) -> ServiceResult<(Ticket, TicketEvent)> {
        let reference = self.reference();
        for attempt in 0.. {
            let t = self.store.ticket(id).await?.ok_or_else(|| ServiceError::NotFound(format!("ticket {id}")))?;
            if let Some(v) = if_match
                && v != t.version
            {
                return Err(ServiceError::Conflict(format!(
                    "ticket {} is at version {}, not {v}; reload it and try again",
                    t.code.as_str(),
                    t.version
                )));
            }
            let actor = actor_of(&t)?;
            self.check_references(action, actor, p, &reference).await?;
            let days = reference.deadline_days(&t.category, self.rules.default_deadline_days);
            let now = self.now();
            let Transition { ticket, kind, note } = status::apply(&t, action, actor, now, &self.calendar, days)?;
            let event = TicketEvent {
                seq: 0,
                ticket_id: id,
                kind,
                actor: p.actor_name(),
                at: now,
                note,
                data: serde_json::Value::Null,
            };
            match self.store.update_ticket(&ticket, t.version, event).await {
                Ok(event) => {
                    self.committed(event.seq).await;
                    return Ok((ticket, event));
                }
                Err(crate::store::StoreError::VersionConflict(_)) if if_match.is_none() && attempt < 3 => continue,
                Err(e) => return Err(e.into()),
            }
        }
        unreachable!("the loop returns")
    }

    /// Checks that the units and tickets an action names exist and are within reach.
    async fn check_references(&self, action: &Action, actor: Actor, p: &Principal, r: &Reference) -> ServiceResult<()> {
        match action {
            Action::Assign { unit, .. } | Action::Forward { unit, .. } => {
                if r.unit(unit).is_none() {
                    return Err(ValidationErrors::single("unit", format!("unknown unit {unit}")).into());
                }
                if actor == Actor::Unit
                    && !self.scope(p, r).is_some_and(|s| matches!(s, Scope::Units(u) if u.contains(unit)))
                {
                    return Err(ValidationErrors::single("unit", "a unit may forward only to its own sub-units").into());
                }
            }
            Action::MarkDuplicate { of, .. } if self.store.ticket(*of).await?.is_none() => {
                return Err(ValidationErrors::single("of", format!("no ticket {of}")).into());
            }
            _ => {}
        }
        Ok(())
    }
}
