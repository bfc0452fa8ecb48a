//! Tickets: numbering, insert with contact, token hash and `created` event (idempotently),
//! optimistic updates, and reads by id, code and id list.

use chrono::Utc;
use sqlx::Row;
use sqlx::sqlite::{SqlitePool, SqliteRow};

use super::outbox::append_event;
use super::{begin_write, opt_ts, ts, uuid};
use crate::domain::{AreaCode, ReporterContact, Ticket, TicketCode, TicketEvent, TicketId, UnitCode};
use crate::store::codec::{TicketRow, enum_str, in_order_of, json_list, normalise_ticket, parse_uuid, ts_text};
use crate::store::{Created, IdempotencyKey, NewTicketRecord, StoreError, StoreResult};

macro_rules! ticket_cols {
    () => {
        "id, code, channel, category, description, lon, lat, address, area, priority, status, unit, \
         received_at, deadline, resolved_at, closed_at, updated_at, result, rating, rating_comment, \
         duplicate_of, version"
    };
}
const INSERT_TICKET: &str = concat!(
    "INSERT INTO tickets (",
    ticket_cols!(),
    ") VALUES (?22, ?21, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) \
     RETURNING ",
    ticket_cols!()
);
/// Every column but `id` and `code`, which never change.
const UPDATE_TICKET: &str = concat!(
    "UPDATE tickets SET channel = ?1, category = ?2, description = ?3, lon = ?4, lat = ?5, address = ?6, \
     area = ?7, priority = ?8, status = ?9, unit = ?10, received_at = ?11, deadline = ?12, resolved_at = ?13, \
     closed_at = ?14, updated_at = ?15, result = ?16, rating = ?17, rating_comment = ?18, duplicate_of = ?19, \
     version = ?20 WHERE id = ?21 AND version = ?22 RETURNING ",
    ticket_cols!()
);

fn ticket_from_row(row: &SqliteRow) -> StoreResult<Ticket> {
    let duplicate_of: Option<&str> = row.try_get("duplicate_of")?;
    TicketRow {
        id: uuid(row, "tickets", "id")?,
        code: row.try_get("code")?,
        channel: row.try_get("channel")?,
        category: row.try_get("category")?,
        description: row.try_get("description")?,
        lon: row.try_get("lon")?,
        lat: row.try_get("lat")?,
        address: row.try_get("address")?,
        area: row.try_get("area")?,
        priority: row.try_get("priority")?,
        status: row.try_get("status")?,
        unit: row.try_get("unit")?,
        received_at: ts(row, "tickets", "received_at")?,
        deadline: ts(row, "tickets", "deadline")?,
        resolved_at: opt_ts(row, "tickets", "resolved_at")?,
        closed_at: opt_ts(row, "tickets", "closed_at")?,
        updated_at: ts(row, "tickets", "updated_at")?,
        result: row.try_get("result")?,
        rating: row.try_get("rating")?,
        rating_comment: row.try_get("rating_comment")?,
        duplicate_of: duplicate_of.map(|d| parse_uuid(d, "tickets.duplicate_of")).transpose()?,
        version: row.try_get("version")?,
    }
    .into_ticket()
}

type SqliteQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>;

/// Binds every ticket column but `id` and `code` as `?1..?20`, in [`ticket_cols!`] order.
fn bind_ticket_fields<'q>(q: SqliteQuery<'q>, t: &'q Ticket) -> SqliteQuery<'q> {
    q.bind(enum_str(&t.channel))
        .bind(t.category.as_str())
        .bind(t.description.as_str())
        .bind(t.location.lon)
        .bind(t.location.lat)
        .bind(t.address.as_deref())
        .bind(t.area.as_ref().map(AreaCode::as_str))
        .bind(enum_str(&t.priority))
        .bind(t.status.as_str())
        .bind(t.unit.as_ref().map(UnitCode::as_str))
        .bind(ts_text(t.received_at))
        .bind(ts_text(t.deadline))
        .bind(t.resolved_at.map(ts_text))
        .bind(t.closed_at.map(ts_text))
        .bind(ts_text(t.updated_at))
        .bind(t.result.as_deref())
        .bind(t.rating.map(|r| i64::from(r.get())))
        .bind(t.rating_comment.as_deref())
        .bind(t.duplicate_of.map(|d| d.0.to_string()))
        .bind(t.version)
}

/// One `BEGIN IMMEDIATE` transaction (so concurrent retries run one after the other):
/// look up the idempotency key (same hash → [`Created::Replayed`], another hash →
/// [`StoreError::IdempotencyMismatch`]), number the ticket in `code_counters`, insert the
/// ticket, its contact, its token hash, its `created` event and the key.
#[tracing::instrument(skip_all, fields(backend = "sqlite", id = %new.ticket.id, prefix = %new.code_prefix))]
pub(super) async fn create_ticket(
    pool: &SqlitePool,
    new: NewTicketRecord,
    idem: Option<IdempotencyKey>,
) -> StoreResult<Created> {
    let mut tx = begin_write(pool).await?;
    if let Some(idem) = &idem {
        let seen: Option<(Vec<u8>, String)> =
            sqlx::query_as("SELECT request_hash, ticket_id FROM idempotency_keys WHERE key = ?1")
                .bind(&idem.key)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((hash, ticket_id)) = seen {
            let replay = if hash != idem.request_hash {
                Err(StoreError::IdempotencyMismatch)
            } else {
                let row = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id = ?1"))
                    .bind(&ticket_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                match row {
                    Some(row) => ticket_from_row(&row).map(|ticket| Created::Replayed { ticket }),
                    None => Err(StoreError::Corrupt(format!(
                        "idempotency key {:?} names missing ticket {ticket_id}",
                        idem.key
                    ))),
                }
            };
            // Release the write lock now rather than whenever the dropped transaction is
            // rolled back.
            tx.rollback().await?;
            return replay;
        }
    }
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO code_counters (prefix, last_value) VALUES (?1, 1) \
         ON CONFLICT (prefix) DO UPDATE SET last_value = last_value + 1 RETURNING last_value",
    )
    .bind(&new.code_prefix)
    .fetch_one(&mut *tx)
    .await?;
    let mut ticket = normalise_ticket(new.ticket);
    ticket.code = TicketCode::compose(&new.code_prefix, n);
    let id = ticket.id.0.to_string();
    let insert = bind_ticket_fields(sqlx::query(INSERT_TICKET), &ticket).bind(ticket.code.as_str()).bind(&id);
    let stored = ticket_from_row(&insert.fetch_one(&mut *tx).await?)?;
    sqlx::query("INSERT INTO ticket_contacts (ticket_id, name, phone, email) VALUES (?1, ?2, ?3, ?4)")
        .bind(&id)
        .bind(&new.contact.name)
        .bind(&new.contact.phone)
        .bind(&new.contact.email)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO ticket_secrets (ticket_id, token_hash) VALUES (?1, ?2)")
        .bind(&id)
        .bind(&new.token_hash)
        .execute(&mut *tx)
        .await?;
    if let Some(idem) = &idem {
        sqlx::query("INSERT INTO idempotency_keys (key, request_hash, ticket_id, created_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(&idem.key)
            .bind(&idem.request_hash)
            .bind(&id)
            .bind(ts_text(Utc::now()))
            .execute(&mut *tx)
            .await?;
    }
    super::open311::insert_extras(&mut tx, stored.id, &new.extras).await?;
    let event = append_event(&mut tx, &stored, new.event).await?;
    tx.commit().await?;
    Ok(Created::New { ticket: stored, event })
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %id))]
pub(super) async fn ticket(pool: &SqlitePool, id: TicketId) -> StoreResult<Option<Ticket>> {
    let row = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id = ?1"))
        .bind(id.0.to_string())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(ticket_from_row).transpose()
}

/// One ticket, read inside a transaction.
pub(super) async fn ticket_in(conn: &mut sqlx::SqliteConnection, id: TicketId) -> StoreResult<Option<Ticket>> {
    let row = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id = ?1"))
        .bind(id.0.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(ticket_from_row).transpose()
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", code = code.as_str()))]
pub(super) async fn ticket_by_code(pool: &SqlitePool, code: &TicketCode) -> StoreResult<Option<Ticket>> {
    let row = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE code = ?1"))
        .bind(code.as_str())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(ticket_from_row).transpose()
}

/// One query with the ids as a single JSON array parameter (`json_each`), so any number of
/// ids fits within SQLite's parameter limit; then put back in the order of `ids`.
#[tracing::instrument(skip_all, fields(backend = "sqlite", count = ids.len()))]
pub(super) async fn tickets_by_ids(pool: &SqlitePool, ids: &[TicketId]) -> StoreResult<Vec<Ticket>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = json_list(&ids.iter().map(|id| id.0.to_string()).collect::<Vec<_>>());
    let rows =
        sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id IN (SELECT value FROM json_each(?1))"))
            .bind(list)
            .fetch_all(pool)
            .await?;
    let tickets = rows.iter().map(ticket_from_row).collect::<StoreResult<Vec<_>>>()?;
    Ok(in_order_of(ids, tickets))
}

/// Every ticket, oldest id (UUIDv7: creation time) first.
#[tracing::instrument(skip_all, fields(backend = "sqlite"))]
pub(super) async fn all_tickets(pool: &SqlitePool) -> StoreResult<Vec<Ticket>> {
    let rows = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets ORDER BY id")).fetch_all(pool).await?;
    rows.iter().map(ticket_from_row).collect()
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %id))]
pub(super) async fn contact(pool: &SqlitePool, id: TicketId) -> StoreResult<Option<ReporterContact>> {
    let row: Option<(Option<String>, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT name, phone, email FROM ticket_contacts WHERE ticket_id = ?1")
            .bind(id.0.to_string())
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(name, phone, email)| ReporterContact { name, phone, email }))
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %id))]
pub(super) async fn token_hash(pool: &SqlitePool, id: TicketId) -> StoreResult<Option<Vec<u8>>> {
    Ok(sqlx::query_scalar("SELECT token_hash FROM ticket_secrets WHERE ticket_id = ?1")
        .bind(id.0.to_string())
        .fetch_optional(pool)
        .await?)
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %id))]
pub(super) async fn replace_token_hash(pool: &SqlitePool, id: TicketId, token_hash: &[u8]) -> StoreResult<()> {
    let done = sqlx::query("UPDATE ticket_secrets SET token_hash = ?2 WHERE ticket_id = ?1")
        .bind(id.0.to_string())
        .bind(token_hash)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("ticket {id}")));
    }
    Ok(())
}

/// `UPDATE … WHERE id = ? AND version = ?expected` (every column but `id` and `code`), then
/// the event, in one transaction. No row updated → [`StoreError::VersionConflict`] (or
/// [`StoreError::NotFound`] if there is no such ticket).
#[tracing::instrument(skip_all, fields(backend = "sqlite", id = %ticket.id, expected_version = expected_version))]
pub(super) async fn update_ticket(
    pool: &SqlitePool,
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
    let id = ticket.id.0.to_string();
    let mut tx = begin_write(pool).await?;
    let row = bind_ticket_fields(sqlx::query(UPDATE_TICKET), &ticket)
        .bind(&id)
        .bind(expected_version)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else {
        let exists: i64 = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tickets WHERE id = ?1)")
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?;
        tx.rollback().await?;
        return Err(if exists == 1 {
            StoreError::VersionConflict(ticket.id)
        } else {
            StoreError::NotFound(format!("ticket {}", ticket.id))
        });
    };
    let stored = ticket_from_row(&row)?;
    let event = append_event(&mut tx, &stored, event).await?;
    tx.commit().await?;
    Ok(event)
}
