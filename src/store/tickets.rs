//! [`TicketStore`]: tickets and their events outbox — numbering, the insert with contact, token
//! hash and `created` event (idempotently), optimistic updates, reads by id, code and id list,
//! and the events in `seq` order.

use async_trait::async_trait;
use chrono::Utc;
use futures_util::TryStreamExt;
use sqlx::types::Json;
use uuid::Uuid;

use super::codec::{enum_str, in_order_of, normalise_ticket, parse_code, parse_enum};
use super::outbox::{EVENT_COLS, append_event, event_from_row};
use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore, WriteTransaction};
use super::{EventWake, StoreError, StoreResult};
use crate::domain::{
    AreaCode, CategoryCode, EventKind, Location, Rating, ReporterContact, Status, Ticket, TicketCode, TicketEvent,
    TicketExtras, TicketId, UnitCode,
};

#[async_trait]
pub trait TicketStore: Send + Sync {
    /// Commits a new ticket, its contact, its token hash, its `created` event and (if given)
    /// the idempotency key, in one transaction. A key seen before with the same
    /// `request_hash` returns [`Created::Replayed`]; with another hash,
    /// [`StoreError::IdempotencyMismatch`]. Safe under concurrent retries with one key.
    async fn create_ticket(&self, new: NewTicketRecord, idem: Option<IdempotencyKey>) -> StoreResult<Created>;
    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>>;
    async fn ticket_by_code(&self, code: &TicketCode) -> StoreResult<Option<Ticket>>;
    /// Tickets with these ids, in the order of `ids` (missing ids are skipped).
    async fn tickets_by_ids(&self, ids: &[TicketId]) -> StoreResult<Vec<Ticket>>;
    /// Every ticket, in no particular order (to bulk-load the index at start-up).
    async fn all_tickets(&self) -> StoreResult<Vec<Ticket>>;
    async fn contact(&self, id: TicketId) -> StoreResult<Option<ReporterContact>>;
    /// The contacts of those of `ids` that have one, in one query (for exports).
    async fn contacts(&self, ids: &[TicketId]) -> StoreResult<Vec<(TicketId, ReporterContact)>>;
    async fn token_hash(&self, id: TicketId) -> StoreResult<Option<Vec<u8>>>;
    /// Replaces a ticket's tracking-token hash (a replayed intake hands out a fresh token);
    /// [`StoreError::NotFound`] if the ticket has none.
    async fn replace_token_hash(&self, id: TicketId, token_hash: &[u8]) -> StoreResult<()>;
    /// Stores `ticket` (whose `version` must be `expected_version + 1`) and `event` in one
    /// transaction; [`StoreError::VersionConflict`] if the stored version is not
    /// `expected_version`, [`StoreError::NotFound`] if there is no such ticket,
    /// [`StoreError::Invalid`] if `ticket.version` or `event.ticket_id` do not fit. `id` and
    /// `code` never change. Returns the event with its `seq` and `data` filled in.
    async fn update_ticket(
        &self,
        ticket: &Ticket,
        expected_version: i64,
        event: TicketEvent,
    ) -> StoreResult<TicketEvent>;
    /// Events with `seq > after`, ascending, at most `limit`.
    async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<TicketEvent>>;
    /// One ticket's events, oldest first.
    async fn ticket_events(&self, id: TicketId) -> StoreResult<Vec<TicketEvent>>;
    /// Events of these kinds with `seq > after`, ascending, at most `limit` (the statistics'
    /// history, read at start-up).
    async fn events_of_kinds(&self, kinds: &[EventKind], after: i64, limit: i64) -> StoreResult<Vec<TicketEvent>>;
    /// The highest committed `seq` (0 when there are no events).
    async fn last_seq(&self) -> StoreResult<i64>;
    /// The wake-up source for events other instances commit: a task that calls `wake` after
    /// each such commit and after every (re)connect (calls sent while disconnected are lost).
    /// `None` where no other instance can write (SQLite). Wake-up calls carry no data: the
    /// caller reads the outbox with [`TicketStore::events_after`].
    fn watch_events(&self, wake: EventWake) -> Option<tokio::task::JoinHandle<()>>;
}

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
    /// The `created` event (its `seq` and `data` are filled in by the store: `data` is the
    /// ticket as stored, serialised with serde_json).
    pub event: TicketEvent,
    /// A media URL and attribute answers, stored in the same transaction when not empty
    /// (read back with [`super::Open311Store::ticket_extras`]).
    pub extras: TicketExtras,
}

/// What [`TicketStore::create_ticket`] did.
#[derive(Debug, Clone)]
pub enum Created {
    /// A new ticket was committed, with its `created` event.
    New { ticket: Ticket, event: TicketEvent },
    /// The idempotency key was seen before with the same request: the ticket it made.
    Replayed { ticket: Ticket },
}

macro_rules! ticket_cols {
    () => {
        "id, code, channel, category, description, lon, lat, address, area, priority, status, unit, \
         received_at, deadline, resolved_at, closed_at, updated_at, result, rating, rating_comment, \
         duplicate_of, version"
    };
}
const SELECT_TICKETS: &str = concat!("SELECT ", ticket_cols!(), " FROM tickets");
const INSERT_TICKET: &str = concat!(
    "INSERT INTO tickets (",
    ticket_cols!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) \
     RETURNING ",
    ticket_cols!()
);
/// Every column but `id` and `code`, which never change (bound by [`bind_ticket_fields`]).
const UPDATE_TICKET: &str = concat!(
    "UPDATE tickets SET channel = $1, category = $2, description = $3, lon = $4, lat = $5, address = $6, \
     area = $7, priority = $8, status = $9, unit = $10, received_at = $11, deadline = $12, resolved_at = $13, \
     closed_at = $14, updated_at = $15, result = $16, rating = $17, rating_comment = $18, duplicate_of = $19, \
     version = $20 WHERE id = $21 AND version = $22 RETURNING ",
    ticket_cols!()
);

fn ticket_from_row(row: &impl Get) -> StoreResult<Ticket> {
    let id: Uuid = row.col("tickets.id")?;
    let opt_code = |column: &str| row.col::<Option<String>>(column);
    Ok(Ticket {
        id: TicketId(id),
        code: TicketCode(row.col("code")?),
        channel: parse_enum(&row.col::<String>("channel")?, "tickets.channel")?,
        category: parse_code(&row.col::<String>("category")?, "tickets.category", CategoryCode::parse)?,
        description: row.col("description")?,
        location: Location::parse(row.col("lon")?, row.col("lat")?, "tickets.")
            .map_err(|e| StoreError::Corrupt(format!("ticket {id}: {e}")))?,
        address: row.col("address")?,
        area: opt_code("area")?.map(|a| parse_code(&a, "tickets.area", AreaCode::parse)).transpose()?,
        priority: parse_enum(&row.col::<String>("priority")?, "tickets.priority")?,
        status: parse_code(&row.col::<String>("status")?, "tickets.status", Status::parse)?,
        unit: opt_code("unit")?.map(|u| parse_code(&u, "tickets.unit", UnitCode::parse)).transpose()?,
        received_at: row.col("tickets.received_at")?,
        deadline: row.col("tickets.deadline")?,
        resolved_at: row.col("tickets.resolved_at")?,
        closed_at: row.col("tickets.closed_at")?,
        updated_at: row.col("tickets.updated_at")?,
        result: row.col("result")?,
        rating: row
            .col::<Option<i64>>("rating")?
            .map(|r| Rating::parse(r, "tickets.rating").map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()?,
        rating_comment: row.col("rating_comment")?,
        duplicate_of: row.col::<Option<Uuid>>("tickets.duplicate_of")?.map(TicketId),
        version: row.col("version")?,
    })
}

/// Binds every ticket column but `id` and `code` (20 values), in [`ticket_cols!`] order.
fn bind_ticket_fields<'q, D: Dialect>(q: super::sql::Query<'q, D>, t: &Ticket) -> super::sql::Query<'q, D> {
    q.arg(enum_str(&t.channel))
        .arg(t.category.as_str())
        .arg(t.description.as_str())
        .arg(t.location.lon)
        .arg(t.location.lat)
        .arg(t.address.as_deref())
        .arg(t.area.as_ref().map(AreaCode::as_str))
        .arg(enum_str(&t.priority))
        .arg(t.status.as_str())
        .arg(t.unit.as_ref().map(UnitCode::as_str))
        .arg(t.received_at)
        .arg(t.deadline)
        .arg(t.resolved_at)
        .arg(t.closed_at)
        .arg(t.updated_at)
        .arg(t.result.as_deref())
        .arg(t.rating.map(|r| i16::from(r.get())))
        .arg(t.rating_comment.as_deref())
        .arg(t.duplicate_of.map(|d| d.0))
        .arg(t.version)
}

impl<D: Dialect> SqlStore<D> {
    /// Answers a request whose idempotency key is already claimed by a committed ticket: same
    /// hash → [`Created::Replayed`], another hash → [`StoreError::IdempotencyMismatch`].
    async fn replay(&self, idem: &IdempotencyKey) -> StoreResult<Created> {
        let row = D::query("SELECT request_hash, ticket_id FROM idempotency_keys WHERE key = $1")
            .arg(idem.key.as_str())
            .fetch_one(self.db())
            .await?;
        if row.col::<Vec<u8>>("request_hash")? != idem.request_hash {
            return Err(StoreError::IdempotencyMismatch);
        }
        let ticket_id = TicketId(row.col("idempotency_keys.ticket_id")?);
        let ticket = self.ticket(ticket_id).await?.ok_or_else(|| {
            StoreError::Corrupt(format!("idempotency key {:?} names missing ticket {ticket_id}", idem.key))
        })?;
        Ok(Created::Replayed { ticket })
    }

    async fn select_ticket(&self, column: &str, value: impl super::sql::Arg<'_>) -> StoreResult<Option<Ticket>> {
        let sql = format!("{SELECT_TICKETS} WHERE {column} = $1");
        let row = D::query(sqlx::AssertSqlSafe(sql)).arg(value).fetch_optional(self.db()).await?;
        row.as_ref().map(ticket_from_row).transpose()
    }
}

/// One ticket, read (and on PostgreSQL locked) inside a write transaction.
pub(super) async fn ticket_for_update<D: Dialect>(
    conn: &mut D::Connection,
    id: TicketId,
) -> StoreResult<Option<Ticket>> {
    let sql = format!("{SELECT_TICKETS} WHERE id = $1{}", D::FOR_UPDATE);
    let row = D::query(sqlx::AssertSqlSafe(sql)).arg(id).fetch_optional(D::conn(conn)).await?;
    row.as_ref().map(ticket_from_row).transpose()
}

#[async_trait]
impl<D: Dialect> TicketStore for SqlStore<D> {
    /// One write transaction: a key seen before is answered without inserting anything; else
    /// number the ticket in `code_counters`, insert the ticket, its contact, its token hash and
    /// extras, claim the key (`ON CONFLICT DO NOTHING`, which on PostgreSQL waits for a
    /// concurrent claimant to finish: if it committed, we roll back and answer from its claim)
    /// and append the `created` event.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, id = %new.ticket.id, prefix = %new.code_prefix))]
    async fn create_ticket(&self, new: NewTicketRecord, idem: Option<IdempotencyKey>) -> StoreResult<Created> {
        let mut tx = self.begin_write().await?;
        if let Some(idem) = &idem {
            let seen = D::query("SELECT 1 FROM idempotency_keys WHERE key = $1")
                .arg(idem.key.as_str())
                .fetch_optional(D::conn(&mut tx))
                .await?;
            if seen.is_some() {
                // Release the write lock before reading the claim.
                tx.rollback().await?;
                return self.replay(idem).await;
            }
        }
        let n: i64 = D::query(
            "INSERT INTO code_counters (prefix, last_value) VALUES ($1, 1) \
             ON CONFLICT (prefix) DO UPDATE SET last_value = code_counters.last_value + 1 RETURNING last_value",
        )
        .arg(new.code_prefix.as_str())
        .fetch_one(D::conn(&mut tx))
        .await?
        .col("last_value")?;
        let mut ticket = normalise_ticket(new.ticket);
        ticket.code = TicketCode::compose(&new.code_prefix, n);
        let insert = D::query(INSERT_TICKET).arg(ticket.id).arg(ticket.code.as_str());
        let stored = ticket_from_row(&bind_ticket_fields(insert, &ticket).fetch_one(D::conn(&mut tx)).await?)?;
        D::query("INSERT INTO ticket_contacts (ticket_id, name, phone, email) VALUES ($1, $2, $3, $4)")
            .arg(stored.id)
            .arg(new.contact.name.as_deref())
            .arg(new.contact.phone.as_deref())
            .arg(new.contact.email.as_deref())
            .execute(D::conn(&mut tx))
            .await?;
        D::query("INSERT INTO ticket_secrets (ticket_id, token_hash) VALUES ($1, $2)")
            .arg(stored.id)
            .arg(new.token_hash.as_slice())
            .execute(D::conn(&mut tx))
            .await?;
        if !new.extras.is_empty() {
            D::query("INSERT INTO ticket_extras (ticket_id, media_url, attributes) VALUES ($1, $2, $3)")
                .arg(stored.id)
                .arg(new.extras.media_url.as_deref())
                .arg(Json(&new.extras.attributes))
                .execute(D::conn(&mut tx))
                .await?;
        }
        if let Some(idem) = &idem {
            let claimed = D::query(
                "INSERT INTO idempotency_keys (key, request_hash, ticket_id, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (key) DO NOTHING",
            )
            .arg(idem.key.as_str())
            .arg(idem.request_hash.as_slice())
            .arg(stored.id)
            .arg(Utc::now())
            .execute(D::conn(&mut tx))
            .await?
            .rows()
                == 1;
            if !claimed {
                tx.rollback().await?;
                return self.replay(idem).await;
            }
        }
        let event = append_event::<D>(&mut tx, &stored, new.event).await?;
        tx.commit().await?;
        Ok(Created::New { ticket: stored, event })
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>> {
        self.select_ticket("id", id).await
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, code = code.as_str()))]
    async fn ticket_by_code(&self, code: &TicketCode) -> StoreResult<Option<Ticket>> {
        self.select_ticket("code", code.as_str()).await
    }

    /// One query (the ids as one list parameter), then put back in the order of `ids`.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, count = ids.len()))]
    async fn tickets_by_ids(&self, ids: &[TicketId]) -> StoreResult<Vec<Ticket>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("{SELECT_TICKETS} WHERE {}", D::in_list("id", 1));
        let rows = D::query(sqlx::AssertSqlSafe(sql))
            .arg(ids.iter().map(|id| id.0).collect::<Vec<Uuid>>())
            .fetch_all(self.db())
            .await?;
        let tickets = rows.iter().map(ticket_from_row).collect::<StoreResult<Vec<_>>>()?;
        Ok(in_order_of(ids, tickets))
    }

    /// Every ticket, in no particular order: the two halves of the id space read at once, on two
    /// connections and two tasks (so two cores decode), each row made a ticket as it arrives
    /// (no million rows held beside a million tickets).
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn all_tickets(&self) -> StoreResult<Vec<Ticket>> {
        let middle = Uuid::from_u128(1 << 127);
        let half = |sql: &'static str| {
            let pool = self.pool.clone();
            tokio::spawn(async move {
                let mut rows = D::query(sql).arg(middle).fetch(D::pool(&pool));
                let mut tickets = Vec::new();
                while let Some(row) = rows.try_next().await? {
                    tickets.push(ticket_from_row(&row)?);
                }
                StoreResult::Ok(tickets)
            })
        };
        let low = half(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id < $1"));
        let high = half(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id >= $1"));
        let joined = |r: Result<StoreResult<Vec<Ticket>>, tokio::task::JoinError>| {
            r.map_err(|e| StoreError::Invalid(format!("reading the tickets stopped: {e}")))?
        };
        let mut tickets = joined(low.await)?;
        tickets.extend(joined(high.await)?);
        Ok(tickets)
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn contact(&self, id: TicketId) -> StoreResult<Option<ReporterContact>> {
        let row = D::query("SELECT name, phone, email FROM ticket_contacts WHERE ticket_id = $1")
            .arg(id)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok(ReporterContact { name: r.col("name")?, phone: r.col("phone")?, email: r.col("email")? }))
            .transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, count = ids.len()))]
    async fn contacts(&self, ids: &[TicketId]) -> StoreResult<Vec<(TicketId, ReporterContact)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql =
            format!("SELECT ticket_id, name, phone, email FROM ticket_contacts WHERE {}", D::in_list("ticket_id", 1));
        let rows = D::query(sqlx::AssertSqlSafe(sql))
            .arg(ids.iter().map(|id| id.0).collect::<Vec<Uuid>>())
            .fetch_all(self.db())
            .await?;
        rows.iter()
            .map(|r| {
                let contact = ReporterContact { name: r.col("name")?, phone: r.col("phone")?, email: r.col("email")? };
                Ok((TicketId(r.col("ticket_id")?), contact))
            })
            .collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn token_hash(&self, id: TicketId) -> StoreResult<Option<Vec<u8>>> {
        let row = D::query("SELECT token_hash FROM ticket_secrets WHERE ticket_id = $1")
            .arg(id)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| r.col("token_hash")).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn replace_token_hash(&self, id: TicketId, token_hash: &[u8]) -> StoreResult<()> {
        let done = self
            .execute_write(
                D::query("UPDATE ticket_secrets SET token_hash = $2 WHERE ticket_id = $1").arg(id).arg(token_hash),
            )
            .await?;
        if done.rows() == 0 {
            return Err(StoreError::NotFound(format!("ticket {id}")));
        }
        Ok(())
    }

    /// `UPDATE … WHERE id = $21 AND version = $22` (every column but `id` and `code`), then the
    /// event, in one transaction. No row updated → [`StoreError::VersionConflict`] (or
    /// [`StoreError::NotFound`] if there is no such ticket).
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, id = %ticket.id, expected_version = expected_version))]
    async fn update_ticket(
        &self,
        ticket: &Ticket,
        expected_version: i64,
        event: TicketEvent,
    ) -> StoreResult<TicketEvent> {
        if ticket.version != expected_version + 1 {
            return Err(StoreError::Invalid(format!(
                "ticket {} has version {}, expected {}",
                ticket.id,
                ticket.version,
                expected_version + 1
            )));
        }
        let ticket = normalise_ticket(ticket.clone());
        let mut tx = self.begin_write().await?;
        let row = bind_ticket_fields(D::query(UPDATE_TICKET), &ticket)
            .arg(ticket.id)
            .arg(expected_version)
            .fetch_optional(D::conn(&mut tx))
            .await?;
        let Some(row) = row else {
            let exists: bool = D::query("SELECT EXISTS (SELECT 1 FROM tickets WHERE id = $1) AS found")
                .arg(ticket.id)
                .fetch_one(D::conn(&mut tx))
                .await?
                .col("found")?;
            tx.rollback().await?;
            return Err(if exists {
                StoreError::VersionConflict(ticket.id)
            } else {
                StoreError::NotFound(format!("ticket {}", ticket.id))
            });
        };
        let stored = ticket_from_row(&row)?;
        let event = append_event::<D>(&mut tx, &stored, event).await?;
        tx.commit().await?;
        Ok(event)
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, after = after, limit = limit))]
    async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<TicketEvent>> {
        let sql = format!("SELECT {EVENT_COLS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2");
        let rows = D::query(sqlx::AssertSqlSafe(sql)).arg(after).arg(limit.max(0)).fetch_all(self.db()).await?;
        rows.iter().map(event_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn ticket_events(&self, id: TicketId) -> StoreResult<Vec<TicketEvent>> {
        let sql = format!("SELECT {EVENT_COLS} FROM events WHERE ticket_id = $1 ORDER BY seq");
        let rows = D::query(sqlx::AssertSqlSafe(sql)).arg(id).fetch_all(self.db()).await?;
        rows.iter().map(event_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, after))]
    async fn events_of_kinds(&self, kinds: &[EventKind], after: i64, limit: i64) -> StoreResult<Vec<TicketEvent>> {
        let sql = format!(
            "SELECT {EVENT_COLS} FROM events WHERE seq > $1 AND {} ORDER BY seq LIMIT $3",
            D::in_list("kind", 2)
        );
        let rows = D::query(sqlx::AssertSqlSafe(sql))
            .arg(after)
            .arg(kinds.iter().map(enum_str).collect::<Vec<String>>())
            .arg(limit.max(0))
            .fetch_all(self.db())
            .await?;
        rows.iter().map(event_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn last_seq(&self) -> StoreResult<i64> {
        D::query("SELECT COALESCE(MAX(seq), 0) AS seq FROM events").fetch_one(self.db()).await?.col("seq")
    }

    fn watch_events(&self, wake: EventWake) -> Option<tokio::task::JoinHandle<()>> {
        D::watch_events(&self.pool, wake)
    }
}
