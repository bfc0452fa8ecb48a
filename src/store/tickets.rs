//! [`TicketStore`]: tickets and their events outbox — numbering, the insert with contact, token
//! hash and `created` event (idempotently), optimistic updates, reads by id, code and id list,
//! and the events in `seq` order.

use async_trait::async_trait;
use futures_util::TryStreamExt;
use uuid::Uuid;

use super::codec::{enum_str, in_order_of, normalise_ticket};
use super::filing::{self, Created, IdempotencyKey, NewTicketItem, NewTicketRecord};
use super::outbox::{EVENT_COLS, append_event, event_from_row};
use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore, WriteTransaction};
use super::ticket_rows::{SELECT_TICKETS, bind_ticket_fields, ticket_cols, ticket_from_row};
use super::{EventWake, StoreError, StoreResult};
use crate::domain::{EventKind, ReporterContact, Ticket, TicketCode, TicketEvent, TicketId};

/// How many tickets [`TicketStore::ticket_batches`] sends at a time.
pub const TICKET_BATCH: usize = 2048;

#[async_trait]
pub trait TicketStore: Send + Sync {
    /// Commits a new ticket, its contact, its token hash, its `created` event and (if given)
    /// the idempotency key, in one transaction. A key seen before with the same
    /// `request_hash` returns [`Created::Replayed`]; with another hash,
    /// [`StoreError::IdempotencyMismatch`]. Safe under concurrent retries with one key.
    async fn create_ticket(&self, new: NewTicketRecord, idem: Option<IdempotencyKey>) -> StoreResult<Created>;
    /// Files many tickets in one transaction: every item is committed (or replayed) or none.
    /// Results come in the order of `items`. An item whose key was seen before with the same
    /// `request_hash` is [`Created::Replayed`]; with another hash, nothing is written and the
    /// answer is [`StoreError::IdempotencyMismatchAt`] naming the first such item. Keys must
    /// differ within `items` ([`StoreError::Invalid`] otherwise). Safe under concurrent
    /// filings with the same keys.
    async fn create_tickets(&self, items: Vec<NewTicketItem>) -> StoreResult<Vec<Created>>;
    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>>;
    async fn ticket_by_code(&self, code: &TicketCode) -> StoreResult<Option<Ticket>>;
    /// Tickets with these ids, in the order of `ids` (missing ids are skipped).
    async fn tickets_by_ids(&self, ids: &[TicketId]) -> StoreResult<Vec<Ticket>>;
    /// Every ticket, in no particular order.
    async fn all_tickets(&self) -> StoreResult<Vec<Ticket>> {
        let (tx, mut rx) = tokio::sync::mpsc::channel(4);
        let collect = async move {
            let mut all = Vec::new();
            while let Some(batch) = rx.recv().await {
                all.extend(batch);
            }
            all
        };
        let (read, all) = tokio::join!(self.ticket_batches(tx), collect);
        read.map(|()| all)
    }
    /// Every ticket, in no particular order, sent in batches of at most [`TICKET_BATCH`] as
    /// they are read: the start-up bulk load of the index takes each batch in while the next
    /// is read, and never holds every ticket at once. Stops early (`Ok`) when `tx`'s receiver
    /// is dropped.
    async fn ticket_batches(&self, tx: tokio::sync::mpsc::Sender<Vec<Ticket>>) -> StoreResult<()>;
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
    /// `(seq, ticket)` of the events of `kind` with `seq > after`, ascending, at most `limit`:
    /// which tickets have such an event, without reading the events themselves.
    async fn tickets_with_event(&self, kind: EventKind, after: i64, limit: i64) -> StoreResult<Vec<(i64, TicketId)>>;
    /// The highest committed `seq` (0 when there are no events).
    async fn last_seq(&self) -> StoreResult<i64>;
    /// How many tickets there are (to size the start-up bulk load before it begins).
    async fn ticket_count(&self) -> StoreResult<i64>;
    /// The wake-up source for events other instances commit: a task that calls `wake` after
    /// each such commit and after every (re)connect (calls sent while disconnected are lost).
    /// `None` where no other instance can write (SQLite). Wake-up calls carry no data: the
    /// caller reads the outbox with [`TicketStore::events_after`].
    fn watch_events(&self, wake: EventWake) -> Option<tokio::task::JoinHandle<()>>;
}

/// Every column but `id` and `code`, which never change (bound by [`bind_ticket_fields`]).
pub(super) const UPDATE_TICKET: &str = concat!(
    "UPDATE tickets SET channel = $1, category = $2, description = $3, lon = $4, lat = $5, address = $6, \
     area = $7, priority = $8, status = $9, unit = $10, received_at = $11, deadline = $12, resolved_at = $13, \
     closed_at = $14, updated_at = $15, result = $16, rating = $17, rating_comment = $18, duplicate_of = $19, \
     version = $20, supporters = $21 WHERE id = $22 AND version = $23 RETURNING ",
    ticket_cols!()
);

impl<D: Dialect> SqlStore<D> {
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
    /// [`Self::create_tickets`] of one item (see `filing.rs`).
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, id = %new.ticket.id, prefix = %new.code_prefix))]
    async fn create_ticket(&self, new: NewTicketRecord, idem: Option<IdempotencyKey>) -> StoreResult<Created> {
        let items = [NewTicketItem { record: new, idem }];
        match filing::file(self, &items).await {
            Ok(mut done) => Ok(done.pop().expect("one result per item")),
            Err(StoreError::IdempotencyMismatchAt(_)) => Err(StoreError::IdempotencyMismatch),
            Err(e) => Err(e),
        }
    }

    /// One write transaction for all the items: a read of the keys seen before, then a few
    /// multi-row statements (`filing.rs`).
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, count = items.len()))]
    async fn create_tickets(&self, items: Vec<NewTicketItem>) -> StoreResult<Vec<Created>> {
        filing::file(self, &items).await
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

    /// The two halves of the table ([`Dialect::HALVES`]) read at once, on two connections and
    /// two tasks (so two cores decode), each row made a ticket as it arrives.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn ticket_batches(&self, tx: tokio::sync::mpsc::Sender<Vec<Ticket>>) -> StoreResult<()> {
        let half = |condition: &str| {
            let pool = self.pool.clone();
            let tx = tx.clone();
            let sql = format!(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE {}"), condition);
            tokio::spawn(async move {
                let mut rows = D::query(sqlx::AssertSqlSafe(sql)).fetch(D::pool(&pool));
                let mut batch = Vec::with_capacity(TICKET_BATCH);
                while let Some(row) = rows.try_next().await? {
                    batch.push(ticket_from_row(&row)?);
                    if batch.len() == TICKET_BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(TICKET_BATCH));
                        if tx.send(full).await.is_err() {
                            return Ok(());
                        }
                    }
                }
                if !batch.is_empty() {
                    let _ = tx.send(batch).await;
                }
                StoreResult::Ok(())
            })
        };
        let [first, second] = D::HALVES.map(half);
        drop(tx);
        let joined = |r: Result<StoreResult<()>, tokio::task::JoinError>| {
            r.map_err(|e| StoreError::Invalid(format!("reading the tickets stopped: {e}")))?
        };
        let (first, second) = tokio::join!(first, second);
        joined(first)?;
        joined(second)
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

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, after))]
    async fn tickets_with_event(&self, kind: EventKind, after: i64, limit: i64) -> StoreResult<Vec<(i64, TicketId)>> {
        let rows = D::query("SELECT seq, ticket_id FROM events WHERE kind = $1 AND seq > $2 ORDER BY seq LIMIT $3")
            .arg(enum_str(&kind))
            .arg(after)
            .arg(limit.max(0))
            .fetch_all(self.db())
            .await?;
        rows.iter().map(|r| Ok((r.col("seq")?, TicketId(r.col("events.ticket_id")?)))).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn last_seq(&self) -> StoreResult<i64> {
        D::query("SELECT COALESCE(MAX(seq), 0) AS seq FROM events").fetch_one(self.db()).await?.col("seq")
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn ticket_count(&self) -> StoreResult<i64> {
        D::query("SELECT count(*) AS n FROM tickets").fetch_one(self.db()).await?.col("n")
    }

    fn watch_events(&self, wake: EventWake) -> Option<tokio::task::JoinHandle<()>> {
        D::watch_events(&self.pool, wake)
    }
}
