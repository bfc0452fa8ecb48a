//! Ticket operations: intake with idempotency, reading with role scopes, transitions.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};

use super::{Projection, Reference, ReferenceData, ServiceError, ServiceResult};
use crate::config::Secret;
use crate::domain::status::{self, Transition};
use crate::domain::{
    Action, ActionKind, Actor, CategoryCode, Channel, EventKind, Location, NewTicket, Principal, Priority,
    ReporterContact, Role, Scope, Status, Ticket, TicketCode, TicketEvent, TicketExtras, TicketId, TrackingToken,
    UnitCode, ValidationErrors,
};
use crate::spatial::TicketIndex;
use crate::store::{Created, IdempotencyKey, NewTicketRecord, Store};

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
    projection: Projection,
    pub(super) rules: Arc<TicketRules>,
    /// The tickets of recent pages, by (id, version).
    pub(super) rows: super::rows::TicketRows,
}

impl Tickets {
    pub fn new(
        store: Arc<dyn Store>,
        index: Arc<RwLock<TicketIndex>>,
        reference: ReferenceData,
        calendar: Arc<crate::domain::HolidayCalendar>,
        projection: Projection,
        rules: TicketRules,
    ) -> Self {
        Self { store, index, reference, calendar, projection, rules: Arc::new(rules), rows: Default::default() }
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

fn clean(text: Option<&str>, field: &str, max: usize, errs: &mut ValidationErrors) -> Option<String> {
    let t = text.map(str::trim).filter(|t| !t.is_empty())?;
    if t.chars().count() > max {
        errs.push(field, format!("must be at most {max} characters"));
        return None;
    }
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errs.push(field, "must not contain control characters");
        return None;
    }
    Some(t.to_owned())
}

fn parse_contact(c: Option<&ReporterContact>, errs: &mut ValidationErrors) -> ReporterContact {
    let Some(c) = c else { return ReporterContact::default() };
    let name = clean(c.name.as_deref(), "reporter.name", 200, errs);
    let phone = clean(c.phone.as_deref(), "reporter.phone", 32, errs);
    if let Some(p) = &phone {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if !(6..=15).contains(&digits) || !p.chars().all(|ch| ch.is_ascii_digit() || " +-().".contains(ch)) {
            errs.push("reporter.phone", "must be a phone number of 6 to 15 digits");
        }
    }
    let email = clean(c.email.as_deref(), "reporter.email", 254, errs);
    if let Some(e) = &email {
        let ok = e.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !e.contains(' '));
        if !ok {
            errs.push("reporter.email", "must be an email address");
        }
    }
    ReporterContact { name, phone, email }
}

impl Tickets {
    /// Which tickets `p` may read; `None` means none at all.
    pub fn scope(&self, p: &Principal, reference: &Reference) -> Option<Scope> {
        match p {
            Principal::User(u) => match u.role {
                Role::Admin | Role::Operator => Some(Scope::All),
                Role::Leader => Some(Scope::Areas(reference.area_descendants(&u.areas))),
                Role::Agency => Some(Scope::Units(reference.unit_descendants(&u.units))),
                Role::Open311 => None,
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
    fn may_see_contact(&self, p: &Principal, t: &Ticket, reference: &Reference) -> bool {
        match p.role() {
            Some(Role::Admin | Role::Operator) => true,
            Some(Role::Agency) => self.scope(p, reference).is_some_and(|s| s.allows(t)),
            _ => false,
        }
    }

    /// Validates and files a new ticket. With an idempotency key, a retry of the same request
    /// returns the same ticket and a different request with the same key is refused.
    pub async fn create_ticket(
        &self,
        input: TicketInput,
        p: &Principal,
        idempotency_key: Option<&str>,
    ) -> ServiceResult<CreatedTicket> {
        self.file_ticket(input, p, idempotency_key, TicketExtras::default(), None).await
    }

    /// [`Self::create_ticket`] with extras (a media URL, attribute answers) validated by the
    /// caller, stored in the ticket's insert transaction.
    pub async fn intake(
        &self,
        input: TicketInput,
        p: &Principal,
        idempotency_key: Option<&str>,
        extras: TicketExtras,
    ) -> ServiceResult<CreatedTicket> {
        self.file_ticket(input, p, idempotency_key, extras, None).await
    }

    /// Files a ticket: from the API (`via` = `None`), or from a chat/SMS webhook, filed by the
    /// public on `via.channel` as `via.actor`, which also scopes the idempotency key.
    pub(crate) async fn file_ticket(
        &self,
        input: TicketInput,
        p: &Principal,
        idempotency_key: Option<&str>,
        extras: TicketExtras,
        via: Option<ChannelIntake>,
    ) -> ServiceResult<CreatedTicket> {
        if p.role() == Some(Role::Analyst) {
            return Err(ServiceError::Forbidden("an analyst's key reads; it files nothing".into()));
        }
        let actor = via.as_ref().map_or_else(|| p.actor_name(), |v| v.actor.clone());
        let reference = self.reference();
        let now = self.now();
        let mut errs = ValidationErrors::new();
        let staff = matches!(p.role(), Some(Role::Admin | Role::Operator));
        let category = errs.take(CategoryCode::parse(input.category.trim(), "category"));
        if let Some(c) = &category
            && reference.category(c).is_none()
        {
            errs.push("category", format!("unknown category {c:?}; see GET /api/v1/categories"));
        }
        let description = clean(Some(&input.description), "description", MAX_DESCRIPTION_CHARS, &mut errs);
        if description.is_none() && !errs.0.iter().any(|e| e.field == "description") {
            errs.push("description", "must not be empty");
        }
        let address = clean(input.address.as_deref(), "address", MAX_ADDRESS_CHARS, &mut errs);
        // A chat/SMS sender reached the centre on their own channel; a web reporter must agree.
        if via.is_none()
            && p.role().is_none()
            && input.reporter.as_ref().is_some_and(|c| !c.is_empty())
            && input.consent != Some(true)
        {
            errs.push("consent", "to leave a contact, agree that the centre may use it for this report");
        }
        let location = errs.take(Location::parse(input.location.lon, input.location.lat, "location."));
        let mut area = None;
        if let Some(loc) = location {
            area = reference.areas.locate(loc, now).cloned();
            if area.is_none() && !reference.areas.all(now).is_empty() {
                errs.push("location", "the location is outside the city's areas");
            }
        }
        let channel = match (p.role(), input.channel) {
            _ if via.is_some() => via.as_ref().map_or(Channel::Web, |v| v.channel),
            (Some(Role::Open311), _) => Channel::Open311,
            (_, Some(c)) if staff => c,
            (_, None) if staff => Channel::Hotline,
            (_, Some(c @ (Channel::Web | Channel::App))) => c,
            (_, None) => Channel::Web,
            (_, Some(_)) => {
                errs.push("channel", "the public may file on the web or app channel only");
                Channel::Web
            }
        };
        let priority = match input.priority {
            Some(pr) if staff => pr,
            Some(pr) if pr != Priority::Normal => {
                errs.push("priority", "only the centre sets a priority");
                Priority::Normal
            }
            _ => Priority::Normal,
        };
        let contact = parse_contact(input.reporter.as_ref(), &mut errs);
        let idem = match idempotency_key {
            None => None,
            Some(k) if (1..=200).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => {
                let body = serde_json::to_vec(&input).map_err(anyhow::Error::from)?;
                Some(IdempotencyKey { key: format!("{actor}:{k}"), request_hash: Sha256::digest(&body).to_vec() })
            }
            Some(_) => {
                errs.push("Idempotency-Key", "must be 1-200 visible ASCII characters");
                None
            }
        };
        errs.into_result()?;
        let (category, description, location) =
            (category.expect("validated"), description.expect("validated"), location.expect("validated"));

        let days = reference.deadline_days(&category, self.rules.default_deadline_days);
        let new = NewTicket { channel, category, description, location, address, area, priority };
        let ticket = Ticket::received(TicketId::new_v7(), new, now, self.calendar.deadline(now, days));
        // The public on the web gets its token in the response; a chat, SMS or phone reporter
        // gets it in the first message, from the key (`NotifySettings::tracking_key`).
        let token = if via.is_some() || staff {
            TrackingToken::derive(self.rules.tracking_key.expose().as_bytes(), ticket.id)
        } else {
            TrackingToken::generate()
        };
        let event = TicketEvent {
            seq: 0,
            ticket_id: ticket.id,
            kind: EventKind::Created,
            actor,
            at: now,
            note: None,
            data: serde_json::Value::Null,
        };
        let record = NewTicketRecord {
            code_prefix: TicketCode::prefix(&self.rules.city_code, now),
            ticket,
            contact,
            token_hash: token.hash(),
            event,
            extras,
        };
        let (ticket, seq, replayed) = match self.store.create_ticket(record, idem).await? {
            Created::New { ticket, event } => (ticket, event.seq, false),
            Created::Replayed { ticket } => {
                self.store.replace_token_hash(ticket.id, &token.hash()).await?;
                (ticket, 0, true)
            }
        };
        self.committed(seq).await;
        let contact =
            if self.may_see_contact(p, &ticket, &reference) { self.store.contact(ticket.id).await? } else { None };
        let view = self.view(ticket, p, &reference, contact);
        Ok(CreatedTicket { view, tracking_token: token.0, replayed })
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
