//! Filing tickets: one from a caller, a chat or SMS message, Open311 or the console; many at
//! once from an import (`POST /api/v1/tickets/batch`). Both validate each ticket the same way
//! (`Tickets::prepare`), write through the store's one filing code
//! ([`crate::store::TicketStore::create_tickets`]) and answer once the events are applied
//! (`Tickets::committed`): the same routing, area, deadline, outbox event, live event and index
//! for a ticket however it came.
//!
//! Filings that arrive together — single tickets and batches alike — are written together:
//! each waits in a combiner (`combine.rs`) and whoever's turn it is writes every ticket queued
//! then in one transaction of a few statements. Each filing stays its own: a refused key, or a
//! filing the database refuses, answers only its own caller, and a batch is filed all or none.

use std::collections::HashSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

use super::handover::Handed;
use super::tickets::{
    ChannelIntake, CreatedTicket, MAX_ADDRESS_CHARS, MAX_DESCRIPTION_CHARS, PendingFiling, TicketInput, Tickets,
};
use super::{Projection, Reference, ServiceError, ServiceResult};
use crate::domain::{
    CategoryCode, Channel, EventKind, Location, NewTicket, Principal, Priority, ReporterContact, Role, Ticket,
    TicketCode, TicketEvent, TicketExtras, TicketId, TrackingToken, ValidationErrors,
};
use crate::store::{Created, IdempotencyKey, NewTicketItem, NewTicketRecord, Store, StoreError, StoreResult, priority};

/// Most tickets in one `POST /api/v1/tickets/batch`.
pub const MAX_BATCH_TICKETS: usize = 100;

/// Tickets to file together (`POST /api/v1/tickets/batch`): an import from another system, or
/// a list such as a newspaper's.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketBatch {
    /// 1 to 100 tickets, filed all or none.
    pub tickets: Vec<BatchItem>,
}

/// One ticket of a batch, with the key that makes its filing safe to retry.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchItem {
    /// 1–200 visible ASCII characters, different for every ticket of the batch: the item's
    /// `Idempotency-Key` (a retried batch answers its filed items with their tickets).
    pub idempotency_key: String,
    pub ticket: TicketInput,
}

/// One ticket of a batch as filed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchFiled {
    #[serde(flatten)]
    pub created: CreatedTicket,
    /// True when this item's key was used before: the ticket it filed then.
    pub replayed: bool,
}

/// What a batch filed, in the order of its items.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchResult {
    pub tickets: Vec<BatchFiled>,
}

/// A validated ticket, ready to write.
struct Prepared {
    item: NewTicketItem,
    token: TrackingToken,
}

/// Trimmed, at most `max` characters, no control characters but line breaks; `None` when empty.
fn clean(text: Option<&str>, field: &str, max: usize, errs: &mut ValidationErrors) -> Option<String> {
    crate::domain::desk::text(text, field, max, false, errs)
}

pub(super) fn parse_contact(c: Option<&ReporterContact>, errs: &mut ValidationErrors) -> ReporterContact {
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

/// The errors of batch item `i`, their fields prefixed `tickets[i].ticket.` (the key's
/// `tickets[i].idempotency_key`).
fn of_item(i: usize, errs: ValidationErrors) -> ValidationErrors {
    ValidationErrors(
        errs.0
            .into_iter()
            .map(|mut e| {
                e.field = if e.field == "Idempotency-Key" {
                    format!("tickets[{i}].idempotency_key")
                } else {
                    format!("tickets[{i}].ticket.{}", e.field)
                };
                e
            })
            .collect(),
    )
}

impl Tickets {
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

    /// [`Self::intake`] whose `created` event carries `note` (e.g. that the category was
    /// suggested automatically, with its confidence).
    pub async fn intake_noted(
        &self,
        input: TicketInput,
        p: &Principal,
        idempotency_key: Option<&str>,
        extras: TicketExtras,
        note: Option<String>,
    ) -> ServiceResult<CreatedTicket> {
        let reference = self.reference();
        let mut prepared = self.prepare(&input, p, idempotency_key, extras, None, &reference)?;
        prepared.item.record.event.note = note;
        let created = self.write(vec![prepared.item.clone()]).await?;
        let created =
            created.into_iter().next().ok_or_else(|| anyhow::anyhow!("the filing's writer answered nothing"))?;
        self.finish(prepared, created, p, &reference).await
    }

    /// Files a ticket: from the API (`via` = `None`), or from a chat/SMS webhook, filed by the
    /// public on `via.channel` as `via.actor`, which also scopes the idempotency key. Written
    /// together with the other filings queued at the time (see the module's comment).
    pub(crate) async fn file_ticket(
        &self,
        input: TicketInput,
        p: &Principal,
        idempotency_key: Option<&str>,
        extras: TicketExtras,
        via: Option<ChannelIntake>,
    ) -> ServiceResult<CreatedTicket> {
        let reference = self.reference();
        let prepared = self.prepare(&input, p, idempotency_key, extras, via.as_ref(), &reference)?;
        // A refused key (`IdempotencyMismatchAt(0)`) is the service's `IdempotencyMismatch`.
        let created = self.write(vec![prepared.item.clone()]).await?;
        let created =
            created.into_iter().next().ok_or_else(|| anyhow::anyhow!("the filing's writer answered nothing"))?;
        self.finish(prepared, created, p, &reference).await
    }

    /// Files `batch` as `p` in one transaction, all or none: every item is validated first (a
    /// 422 names `tickets[i].…`), keys must differ within the batch, and an item whose key was
    /// used before answers with the ticket it filed then (a key used for another ticket is a
    /// 422 naming the item). Only the centre (admin, operator) files batches.
    pub async fn create_tickets(&self, batch: TicketBatch, p: &Principal) -> ServiceResult<Vec<BatchFiled>> {
        if !matches!(p.role(), Some(Role::Admin | Role::Operator)) {
            return Err(ServiceError::Forbidden("only the centre files tickets in batches".into()));
        }
        let mut errs = ValidationErrors::new();
        if batch.tickets.is_empty() || batch.tickets.len() > MAX_BATCH_TICKETS {
            errs.push("tickets", format!("must hold 1 to {MAX_BATCH_TICKETS} tickets"));
            return Err(errs.into());
        }
        let reference = self.reference();
        let mut keys = HashSet::new();
        let mut prepared = Vec::with_capacity(batch.tickets.len());
        for (i, item) in batch.tickets.iter().enumerate() {
            if !keys.insert(item.idempotency_key.as_str()) {
                errs.push(format!("tickets[{i}].idempotency_key"), "is the key of an earlier ticket of this batch");
            }
            let key = Some(item.idempotency_key.as_str());
            match self.prepare(&item.ticket, p, key, TicketExtras::default(), None, &reference) {
                Ok(ready) => prepared.push(ready),
                Err(ServiceError::Validation(e)) => errs.0.extend(of_item(i, e).0),
                Err(e) => return Err(e),
            }
        }
        errs.into_result()?;
        let items = prepared.iter().map(|r| r.item.clone()).collect();
        let created = self.write(items).await.map_err(|e| match e {
            StoreError::IdempotencyMismatchAt(i) => ServiceError::from(ValidationErrors::single(
                format!("tickets[{i}].idempotency_key"),
                "was already used for a different ticket",
            )),
            e => e.into(),
        })?;
        let mut filed = Vec::with_capacity(created.len());
        for (ready, created) in prepared.into_iter().zip(created) {
            let created = self.finish(ready, created, p, &reference).await?;
            filed.push(BatchFiled { replayed: created.replayed, created });
        }
        Ok(filed)
    }

    /// Writes one filing's items, all or none, together with the other filings queued at the
    /// time (see the module's comment); what each item did, in order.
    async fn write(&self, items: Vec<NewTicketItem>) -> StoreResult<Vec<Created>> {
        let (answer, wait) = oneshot::channel();
        let pending = PendingFiling { items, background: priority::is_background(), answer };
        let (store, projection) = (self.store.clone(), self.projection.clone());
        self.filings
            .submit(pending, wait, move |batch| write_combined(store.clone(), projection.clone(), batch))
            .await
            .unwrap_or_else(|| {
                Err(StoreError::Db(sqlx::Error::Io(std::io::Error::other(
                    "the filing's writer ended without an answer",
                ))))
            })
    }

    /// Validates one ticket as `p` files it and builds what the store writes: the area from
    /// the reference snapshot, the deadline, the `created` event, the token and the key.
    fn prepare(
        &self,
        input: &TicketInput,
        p: &Principal,
        idempotency_key: Option<&str>,
        extras: TicketExtras,
        via: Option<&ChannelIntake>,
        reference: &Reference,
    ) -> ServiceResult<Prepared> {
        if p.role() == Some(Role::Analyst) {
            return Err(ServiceError::Forbidden("an analyst's key reads; it files nothing".into()));
        }
        let actor = via.map_or_else(|| p.actor_name(), |v| v.actor.clone());
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
            _ if via.is_some() => via.map_or(Channel::Web, |v| v.channel),
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
                let body = serde_json::to_vec(input).map_err(anyhow::Error::from)?;
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
            note: via.and_then(|v| v.note.clone()),
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
        Ok(Prepared { item: NewTicketItem { record, idem }, token })
    }

    /// The answer to a filing once written: a replay hands out a fresh token; waits until the
    /// event is applied here, so the answer (and the next read) reflects the write.
    async fn finish(
        &self,
        prepared: Prepared,
        created: Created,
        p: &Principal,
        reference: &Reference,
    ) -> ServiceResult<CreatedTicket> {
        let Prepared { item, token } = prepared;
        let (ticket, contact, replayed) = match created {
            Created::New { ticket, event } => {
                self.committed(event.seq).await;
                // What was just written: no need to read it back.
                (ticket, Some(item.record.contact), false)
            }
            Created::Replayed { ticket } => {
                self.store.replace_token_hash(ticket.id, &token.hash()).await?;
                (ticket, None, true)
            }
        };
        let contact = match contact {
            _ if !self.may_see_contact(p, &ticket, reference) => None,
            Some(c) => Some(c),
            None => self.store.contact(ticket.id).await?,
        };
        let view = self.view(ticket, p, reference, contact);
        Ok(CreatedTicket { view, tracking_token: token.0, replayed })
    }
}

/// The `created` events of the tickets a filing wrote, each with its ticket as stored, for the
/// follower ([`crate::service::handover::HandOver::written`]).
fn new_events(created: &[Created]) -> impl Iterator<Item = Handed> + '_ {
    created.iter().filter_map(|c| match c {
        Created::New { ticket, event } => Some(Handed { event: event.clone(), ticket: Some(ticket.clone()) }),
        Created::Replayed { .. } => None,
    })
}

/// Writes single filings that queued together: one store filing for all, on a task of its own
/// (see `combine.rs`); at background priority only if every one of them is background work.
async fn write_combined(store: Arc<dyn Store>, projection: Projection, batch: Vec<PendingFiling>) {
    if batch.iter().all(|p| p.background) {
        priority::background(write_rounds(store, projection, batch)).await
    } else {
        write_rounds(store, projection, batch).await
    }
}

/// Each round holds filings whose keys differ (a key repeated by a concurrent retry waits for
/// the next round, where it is answered from the first one's claim).
async fn write_rounds(store: Arc<dyn Store>, projection: Projection, mut batch: Vec<PendingFiling>) {
    while !batch.is_empty() {
        let mut keys = HashSet::new();
        let (round, later): (Vec<_>, Vec<_>) = batch.into_iter().partition(|p| {
            let mine: Vec<&str> = p.items.iter().filter_map(|i| i.idem.as_ref().map(|k| k.key.as_str())).collect();
            if mine.iter().any(|k| keys.contains(*k)) {
                return false;
            }
            keys.extend(mine.into_iter().map(str::to_owned));
            true
        });
        write_round(store.as_ref(), &projection, round).await;
        batch = later;
    }
}

/// One store filing for every item of `round`, answering each filing with its items' part. A
/// refused key answers only the filing it belongs to (naming the item) and the others are
/// written again; a failure of the database's own (not transient) is retried filing by filing,
/// so that a filing the database refuses answers only its caller.
async fn write_round(store: &dyn Store, projection: &Projection, mut round: Vec<PendingFiling>) {
    loop {
        let items: Vec<NewTicketItem> = round.iter().flat_map(|p| p.items.iter().cloned()).collect();
        let handing = projection.handing_over();
        match store.create_tickets(items).await {
            Ok(created) => {
                handing.written(projection.applied_seq(), new_events(&created));
                let mut created = created.into_iter();
                for p in round {
                    let part: Vec<Created> = created.by_ref().take(p.items.len()).collect();
                    let _ = p.answer.send(Ok(part));
                }
                return;
            }
            Err(StoreError::IdempotencyMismatchAt(i)) => {
                drop(handing);
                // The filing that holds item `i`, and the item's index within it.
                let mut at = i;
                let Some(owner) = round.iter().position(|p| {
                    if at < p.items.len() {
                        return true;
                    }
                    at -= p.items.len();
                    false
                }) else {
                    return answer_all(round, StoreError::Invalid(format!("item {i} of a filing is not there")));
                };
                let _ = round.remove(owner).answer.send(Err(StoreError::IdempotencyMismatchAt(at)));
                if round.is_empty() {
                    return;
                }
            }
            Err(e) if round.len() > 1 && !e.is_transient() => {
                drop(handing);
                tracing::warn!(error = %e, count = round.len(), "a combined filing failed; writing its filings one by one");
                for p in round {
                    let handing = projection.handing_over();
                    let one = store.create_tickets(p.items.clone()).await;
                    if let Ok(created) = &one {
                        handing.written(projection.applied_seq(), new_events(created));
                    }
                    let _ = p.answer.send(one);
                }
                return;
            }
            // Transient (a failed COMMIT, the database gone): nothing was written, every caller
            // gets a 503 with the same cause.
            Err(e) => return answer_all(round, e),
        }
    }
}

/// Answers every filing of `round` with `e` (the first gets `e` itself, the others its text).
fn answer_all(round: Vec<PendingFiling>, e: StoreError) {
    let cause = e.to_string();
    let mut first = Some(e);
    for p in round {
        let e = first.take().unwrap_or_else(|| StoreError::Db(sqlx::Error::Io(std::io::Error::other(cause.clone()))));
        let _ = p.answer.send(Err(e));
    }
}
