//! Filing new tickets: what a filing writes ([`NewTicketRecord`], with its [`IdempotencyKey`])
//! and the write itself, for one ticket or many in one transaction.
//!
//! The whole filing is a few statements however many tickets it holds: one read of the keys
//! seen before, one counter update per code prefix, then multi-row `INSERT`s (tickets,
//! contacts, token hashes, extras, key claims, `created` events; see [`pieces`]), of which only
//! the events' numbers come back. On SQLite, where every statement is a round trip to the
//! connection's thread, that is what makes filing many tickets cheap; on PostgreSQL it saves
//! the network round trips.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sqlx::types::Json;

use super::codec::normalise_ticket;
use super::outbox::append_events;
use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore, WriteTransaction, pieces, values};
use super::ticket_rows::{SELECT_TICKETS, bind_ticket_fields, ticket_cols, ticket_from_row};
use super::{StoreError, StoreResult};
use crate::domain::{ReporterContact, Ticket, TicketCode, TicketEvent, TicketExtras, TicketId};

/// An `Idempotency-Key` with the hash of the request it was first used for.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    /// The client's key, scoped by the caller (e.g. `"{actor}:{key}"`).
    pub key: String,
    /// SHA-256 of the canonical request body.
    pub request_hash: Vec<u8>,
}

/// A ticket to insert. `ticket.code` is ignored: the store numbers the ticket within
/// `code_prefix` (see [`TicketCode::compose`]) inside the insert transaction.
#[derive(Debug, Clone)]
pub struct NewTicketRecord {
    pub ticket: Ticket,
    pub code_prefix: String,
    pub contact: ReporterContact,
    /// SHA-256 of the citizen's tracking token.
    pub token_hash: Vec<u8>,
    /// The `created` event (its `seq` is filled in by the store, and its `data` stored as the
    /// ticket as stored, serialised with serde_json; [`Created::New`] returns the event with
    /// that ticket beside it and its `data` left empty).
    pub event: TicketEvent,
    /// A media URL and attribute answers, stored in the same transaction when not empty
    /// (read back with [`super::Open311Store::ticket_extras`]).
    pub extras: TicketExtras,
}

/// What filing one ticket did ([`super::TicketStore::create_ticket`], [`super::TicketStore::create_tickets`]).
#[derive(Debug, Clone)]
pub enum Created {
    /// A new ticket was committed, with its `created` event (numbered; its `data` is left
    /// empty: the stored `data` is `ticket`).
    New { ticket: Ticket, event: TicketEvent },
    /// The idempotency key was seen before with the same request: the ticket it made.
    Replayed { ticket: Ticket },
}

/// One ticket of a filing: the record and the idempotency key it came with.
#[derive(Debug, Clone)]
pub struct NewTicketItem {
    pub record: NewTicketRecord,
    pub idem: Option<IdempotencyKey>,
}

/// How many times a filing is tried again after losing a key's claim to a concurrent filing
/// (PostgreSQL, another instance) before it gives up with a transient error.
const CLAIM_RETRIES: usize = 3;

/// Files `items` in one write transaction (see [`super::TicketStore::create_tickets`]).
pub(super) async fn file<D: Dialect>(store: &SqlStore<D>, items: &[NewTicketItem]) -> StoreResult<Vec<Created>> {
    let mut keys = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(idem) = &item.idem
            && !keys.insert(idem.key.as_str())
        {
            return Err(StoreError::Invalid(format!("item {i} repeats an idempotency key of the same filing")));
        }
    }
    for _ in 0..=CLAIM_RETRIES {
        if let Some(done) = try_file(store, items).await? {
            return Ok(done);
        }
    }
    Err(StoreError::Db(sqlx::Error::Io(std::io::Error::other(
        "concurrent filings kept claiming the same idempotency keys",
    ))))
}

/// One attempt: `None` when a key was claimed by a concurrent filing meanwhile (everything is
/// rolled back; the next attempt answers that item from the committed claim).
async fn try_file<D: Dialect>(store: &SqlStore<D>, items: &[NewTicketItem]) -> StoreResult<Option<Vec<Created>>> {
    let mut tx = store.begin_write().await?;
    // Keys seen before: same request → that ticket, another request → refused.
    let keys: Vec<String> = items.iter().filter_map(|i| i.idem.as_ref().map(|k| k.key.clone())).collect();
    let mut seen: HashMap<String, (Vec<u8>, TicketId)> = HashMap::new();
    if !keys.is_empty() {
        let sql = format!("SELECT key, request_hash, ticket_id FROM idempotency_keys WHERE {}", D::in_list("key", 1));
        for row in D::query(sqlx::AssertSqlSafe(sql)).arg(keys).fetch_all(D::conn(&mut tx)).await? {
            let ticket_id = TicketId(row.col("idempotency_keys.ticket_id")?);
            seen.insert(row.col("key")?, (row.col("request_hash")?, ticket_id));
        }
    }
    let mut replayed = Vec::new();
    let mut fresh = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.idem.as_ref().and_then(|k| seen.get(&k.key).map(|s| (k, s))) {
            Some((idem, (hash, _))) if *hash != idem.request_hash => {
                tx.rollback().await?;
                return Err(StoreError::IdempotencyMismatchAt(i));
            }
            Some((_, (_, id))) => replayed.push(*id),
            None => fresh.push(item),
        }
    }
    let mut before = HashMap::new();
    if !replayed.is_empty() {
        let sql = format!("{SELECT_TICKETS} WHERE {}", D::in_list("id", 1));
        let ids = replayed.iter().map(|id| id.0).collect::<Vec<_>>();
        for row in D::query(sqlx::AssertSqlSafe(sql)).arg(ids).fetch_all(D::conn(&mut tx)).await? {
            let t = ticket_from_row(&row)?;
            before.insert(t.id, t);
        }
    }
    let mut stored = HashMap::new();
    let mut events = HashMap::new();
    if fresh.is_empty() {
        // Nothing to write: release the writer.
        tx.rollback().await?;
    } else {
        let tickets = number::<D>(&mut tx, &fresh).await?;
        insert_tickets::<D>(&mut tx, tickets, &mut stored).await?;
        insert_details::<D>(&mut tx, &fresh).await?;
        if !claim::<D>(&mut tx, &fresh).await? {
            tx.rollback().await?;
            return Ok(None);
        }
        let pairs = fresh
            .iter()
            .map(|item| {
                let t = stored
                    .get(&item.record.ticket.id)
                    .ok_or_else(|| StoreError::Corrupt(format!("ticket {} was not inserted", item.record.ticket.id)))?;
                Ok((t, item.record.event.clone()))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        for event in append_events::<D>(&mut tx, pairs).await? {
            events.insert(event.ticket_id, event);
        }
        tx.commit().await?;
    }
    items
        .iter()
        .map(|item| match item.idem.as_ref().and_then(|k| seen.get(&k.key)) {
            Some((_, id)) => before.remove(id).map(|ticket| Created::Replayed { ticket }).ok_or_else(|| {
                let key = item.idem.as_ref().map_or("", |k| k.key.as_str());
                StoreError::Corrupt(format!("idempotency key {key:?} names missing ticket {id}"))
            }),
            None => {
                let id = item.record.ticket.id;
                match (stored.remove(&id), events.remove(&id)) {
                    (Some(ticket), Some(event)) => Ok(Created::New { ticket, event }),
                    _ => Err(StoreError::Corrupt(format!("ticket {id} or its event was not returned by its insert"))),
                }
            }
        })
        .collect::<StoreResult<Vec<_>>>()
        .map(Some)
}

/// Numbers the tickets in `code_counters`: one update per code prefix, adding the prefix's count.
async fn number<D: Dialect>(conn: &mut D::Connection, fresh: &[&NewTicketItem]) -> StoreResult<Vec<Ticket>> {
    let mut counts: Vec<(&str, i64)> = Vec::new();
    for item in fresh {
        let prefix = item.record.code_prefix.as_str();
        match counts.iter_mut().find(|(p, _)| *p == prefix) {
            Some((_, n)) => *n += 1,
            None => counts.push((prefix, 1)),
        }
    }
    let mut next: HashMap<&str, i64> = HashMap::new();
    for (prefix, count) in counts {
        let last: i64 = D::query(
            "INSERT INTO code_counters (prefix, last_value) VALUES ($1, $2) \
             ON CONFLICT (prefix) DO UPDATE SET last_value = code_counters.last_value + excluded.last_value \
             RETURNING last_value",
        )
        .arg(prefix)
        .arg(count)
        .fetch_one(D::conn(conn))
        .await?
        .col("last_value")?;
        next.insert(prefix, last - count + 1);
    }
    Ok(fresh
        .iter()
        .map(|item| {
            let prefix = item.record.code_prefix.as_str();
            let n = next.get_mut(prefix).expect("counted above");
            let mut ticket = normalise_ticket(item.record.ticket.clone());
            ticket.code = TicketCode::compose(prefix, *n);
            *n += 1;
            ticket
        })
        .collect())
}

/// Inserts the tickets (normalised as stored: nothing is read back); `stored` gets each.
async fn insert_tickets<D: Dialect>(
    conn: &mut D::Connection,
    tickets: Vec<Ticket>,
    stored: &mut HashMap<TicketId, Ticket>,
) -> StoreResult<()> {
    for piece in pieces(tickets.len()) {
        let sql =
            format!(concat!("INSERT INTO tickets (", ticket_cols!(), ") VALUES {}"), values::<D>(piece.len(), 23));
        let mut q = D::query(sqlx::AssertSqlSafe(sql));
        for t in &tickets[piece] {
            q = bind_ticket_fields(q.arg(t.id).arg(t.code.as_str()), t);
        }
        q.execute(D::conn(conn)).await?;
    }
    stored.extend(tickets.into_iter().map(|t| (t.id, t)));
    Ok(())
}

/// Inserts the reporters' contacts, the token hashes and the extras that are not empty.
async fn insert_details<D: Dialect>(conn: &mut D::Connection, fresh: &[&NewTicketItem]) -> StoreResult<()> {
    for piece in pieces(fresh.len()) {
        let sql = format!(
            "INSERT INTO ticket_contacts (ticket_id, name, phone, email) VALUES {}",
            values::<D>(piece.len(), 4)
        );
        let mut q = D::query(sqlx::AssertSqlSafe(sql));
        for item in &fresh[piece.clone()] {
            let c: &ReporterContact = &item.record.contact;
            q = q.arg(item.record.ticket.id).arg(c.name.as_deref()).arg(c.phone.as_deref()).arg(c.email.as_deref());
        }
        q.execute(D::conn(conn)).await?;
        let sql = format!("INSERT INTO ticket_secrets (ticket_id, token_hash) VALUES {}", values::<D>(piece.len(), 2));
        let mut q = D::query(sqlx::AssertSqlSafe(sql));
        for item in &fresh[piece] {
            q = q.arg(item.record.ticket.id).arg(item.record.token_hash.as_slice());
        }
        q.execute(D::conn(conn)).await?;
    }
    let extras: Vec<_> = fresh.iter().filter(|i| !i.record.extras.is_empty()).collect();
    for piece in pieces(extras.len()) {
        let sql = format!(
            "INSERT INTO ticket_extras (ticket_id, media_url, attributes) VALUES {}",
            values::<D>(piece.len(), 3)
        );
        let mut q = D::query(sqlx::AssertSqlSafe(sql));
        for item in &extras[piece] {
            let e: &TicketExtras = &item.record.extras;
            q = q.arg(item.record.ticket.id).arg(e.media_url.as_deref()).arg(Json(&e.attributes));
        }
        q.execute(D::conn(conn)).await?;
    }
    Ok(())
}

/// Claims the keys (`ON CONFLICT DO NOTHING`, which on PostgreSQL waits for a concurrent
/// claimant to finish), in key order so that two filings never wait for each other in a circle.
/// `false` when a key was taken meanwhile.
async fn claim<D: Dialect>(conn: &mut D::Connection, fresh: &[&NewTicketItem]) -> StoreResult<bool> {
    let mut claims: Vec<_> = fresh.iter().filter_map(|i| i.idem.as_ref().map(|k| (k, i.record.ticket.id))).collect();
    claims.sort_by(|a, b| a.0.key.cmp(&b.0.key));
    let now = Utc::now();
    let mut claimed = 0;
    for piece in pieces(claims.len()) {
        let sql = format!(
            "INSERT INTO idempotency_keys (key, request_hash, ticket_id, created_at) VALUES {} \
             ON CONFLICT (key) DO NOTHING",
            values::<D>(piece.len(), 4)
        );
        let mut q = D::query(sqlx::AssertSqlSafe(sql));
        for (idem, id) in &claims[piece] {
            q = q.arg(idem.key.as_str()).arg(idem.request_hash.as_slice()).arg(*id).arg(now);
        }
        claimed += q.execute(D::conn(conn)).await?.rows();
    }
    Ok(claimed == claims.len() as u64)
}
