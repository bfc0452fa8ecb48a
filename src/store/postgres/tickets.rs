//! Tickets: numbering, insert with contact, token hash and `created` event (idempotently),
//! optimistic updates, and reads by id, code and id list.

use sqlx::Row;
use sqlx::postgres::{PgPool, PgRow};
use uuid::Uuid;

use super::outbox::append_event;
use crate::domain::{AreaCode, ReporterContact, Ticket, TicketCode, TicketEvent, TicketId, UnitCode};
use crate::store::codec::{TicketRow, enum_str, in_order_of, normalise_ticket};
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

fn ticket_from_row(row: &PgRow) -> StoreResult<Ticket> {
    TicketRow {
        id: row.try_get("id")?,
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
        received_at: row.try_get("received_at")?,
        deadline: row.try_get("deadline")?,
        resolved_at: row.try_get("resolved_at")?,
        closed_at: row.try_get("closed_at")?,
        updated_at: row.try_get("updated_at")?,
        result: row.try_get("result")?,
        rating: row.try_get::<Option<i16>, _>("rating")?.map(i64::from),
        rating_comment: row.try_get("rating_comment")?,
        duplicate_of: row.try_get("duplicate_of")?,
        version: row.try_get("version")?,
    }
    .into_ticket()
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// Binds every ticket column but `id` and `code` (20 values), in [`ticket_cols!`] order.
fn bind_ticket_fields<'q>(q: PgQuery<'q>, t: &'q Ticket) -> PgQuery<'q> {
    q.bind(enum_str(&t.channel))
        .bind(t.category.as_str())
        .bind(&t.description)
        .bind(t.location.lon)
        .bind(t.location.lat)
        .bind(t.address.as_deref())
        .bind(t.area.as_ref().map(AreaCode::as_str))
        .bind(enum_str(&t.priority))
        .bind(t.status.as_str())
        .bind(t.unit.as_ref().map(UnitCode::as_str))
        .bind(t.received_at)
        .bind(t.deadline)
        .bind(t.resolved_at)
        .bind(t.closed_at)
        .bind(t.updated_at)
        .bind(t.result.as_deref())
        .bind(t.rating.map(|r| i16::from(r.get())))
        .bind(t.rating_comment.as_deref())
        .bind(t.duplicate_of.map(|d| d.0))
        .bind(t.version)
}

/// One transaction: claim the idempotency key (`INSERT … ON CONFLICT DO NOTHING`, which
/// waits for a concurrent claimant to finish), number the ticket in `code_counters`,
/// insert the ticket, its contact, its token hash and its `created` event. A key already
/// claimed is answered from the committed claim: same hash → [`Created::Replayed`],
/// another hash → [`StoreError::IdempotencyMismatch`].
#[tracing::instrument(skip_all, fields(backend = "postgres", id = %new.ticket.id, prefix = %new.code_prefix))]
pub(super) async fn create_ticket(
    pool: &PgPool,
    new: NewTicketRecord,
    idem: Option<IdempotencyKey>,
) -> StoreResult<Created> {
    let mut tx = pool.begin().await?;
    if let Some(idem) = &idem {
        let claimed = sqlx::query(
            "INSERT INTO idempotency_keys (key, request_hash, ticket_id) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(&idem.key)
        .bind(&idem.request_hash)
        .bind(new.ticket.id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !claimed {
            tx.rollback().await?;
            return replay(pool, idem).await;
        }
    }
    let n: i64 = sqlx::query_scalar(
        "INSERT INTO code_counters (prefix, last_value) VALUES ($1, 1) \
         ON CONFLICT (prefix) DO UPDATE SET last_value = code_counters.last_value + 1 RETURNING last_value",
    )
    .bind(&new.code_prefix)
    .fetch_one(&mut *tx)
    .await?;
    let mut ticket = normalise_ticket(new.ticket);
    ticket.code = TicketCode::compose(&new.code_prefix, n);
    let insert = sqlx::query(INSERT_TICKET).bind(ticket.id.0).bind(ticket.code.as_str());
    let row = bind_ticket_fields(insert, &ticket).fetch_one(&mut *tx).await?;
    let stored = ticket_from_row(&row)?;
    sqlx::query("INSERT INTO ticket_contacts (ticket_id, name, phone, email) VALUES ($1, $2, $3, $4)")
        .bind(stored.id.0)
        .bind(&new.contact.name)
        .bind(&new.contact.phone)
        .bind(&new.contact.email)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO ticket_secrets (ticket_id, token_hash) VALUES ($1, $2)")
        .bind(stored.id.0)
        .bind(&new.token_hash)
        .execute(&mut *tx)
        .await?;
    super::open311::insert_extras(&mut tx, stored.id, &new.extras).await?;
    let event = append_event(&mut tx, &stored, new.event).await?;
    tx.commit().await?;
    Ok(Created::New { ticket: stored, event })
}

/// Reads the idempotency key claimed by another transaction (which has committed by now:
/// our `ON CONFLICT DO NOTHING` waited for it) and answers for it.
async fn replay(pool: &PgPool, idem: &IdempotencyKey) -> StoreResult<Created> {
    let (hash, ticket_id): (Vec<u8>, Uuid) =
        sqlx::query_as("SELECT request_hash, ticket_id FROM idempotency_keys WHERE key = $1")
            .bind(&idem.key)
            .fetch_one(pool)
            .await?;
    if hash != idem.request_hash {
        return Err(StoreError::IdempotencyMismatch);
    }
    let ticket = ticket(pool, TicketId(ticket_id)).await?.ok_or_else(|| {
        StoreError::Corrupt(format!("idempotency key {:?} names missing ticket {ticket_id}", idem.key))
    })?;
    Ok(Created::Replayed { ticket })
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
pub(super) async fn ticket(pool: &PgPool, id: TicketId) -> StoreResult<Option<Ticket>> {
    let row = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(ticket_from_row).transpose()
}

/// One ticket, read and locked inside a transaction.
pub(super) async fn ticket_for_update(conn: &mut sqlx::PgConnection, id: TicketId) -> StoreResult<Option<Ticket>> {
    let row = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id = $1 FOR UPDATE"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(ticket_from_row).transpose()
}

#[tracing::instrument(skip_all, fields(backend = "postgres", code = code.as_str()))]
pub(super) async fn ticket_by_code(pool: &PgPool, code: &TicketCode) -> StoreResult<Option<Ticket>> {
    let row = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE code = $1"))
        .bind(code.as_str())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(ticket_from_row).transpose()
}

/// One query (`id = ANY($1)`), then put back in the order of `ids`.
#[tracing::instrument(skip_all, fields(backend = "postgres", count = ids.len()))]
pub(super) async fn tickets_by_ids(pool: &PgPool, ids: &[TicketId]) -> StoreResult<Vec<Ticket>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let uuids: Vec<Uuid> = ids.iter().map(|id| id.0).collect();
    let rows = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets WHERE id = ANY($1)"))
        .bind(&uuids)
        .fetch_all(pool)
        .await?;
    let tickets = rows.iter().map(ticket_from_row).collect::<StoreResult<Vec<_>>>()?;
    Ok(in_order_of(ids, tickets))
}

/// Every ticket, oldest id (UUIDv7: creation time) first.
#[tracing::instrument(skip_all, fields(backend = "postgres"))]
pub(super) async fn all_tickets(pool: &PgPool) -> StoreResult<Vec<Ticket>> {
    let rows = sqlx::query(concat!("SELECT ", ticket_cols!(), " FROM tickets ORDER BY id")).fetch_all(pool).await?;
    rows.iter().map(ticket_from_row).collect()
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
pub(super) async fn contact(pool: &PgPool, id: TicketId) -> StoreResult<Option<ReporterContact>> {
    let row: Option<(Option<String>, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT name, phone, email FROM ticket_contacts WHERE ticket_id = $1")
            .bind(id.0)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(name, phone, email)| ReporterContact { name, phone, email }))
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
pub(super) async fn token_hash(pool: &PgPool, id: TicketId) -> StoreResult<Option<Vec<u8>>> {
    Ok(sqlx::query_scalar("SELECT token_hash FROM ticket_secrets WHERE ticket_id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await?)
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
pub(super) async fn replace_token_hash(pool: &PgPool, id: TicketId, token_hash: &[u8]) -> StoreResult<()> {
    let done = sqlx::query("UPDATE ticket_secrets SET token_hash = $2 WHERE ticket_id = $1")
        .bind(id.0)
        .bind(token_hash)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("ticket {id}")));
    }
    Ok(())
}

/// `UPDATE … WHERE id = $1 AND version = $expected` (every column but `id` and `code`),
/// then the event, in one transaction. No row updated → [`StoreError::VersionConflict`]
/// (or [`StoreError::NotFound`] if there is no such ticket).
#[tracing::instrument(skip_all, fields(backend = "postgres", id = %ticket.id, expected_version = expected_version))]
pub(super) async fn update_ticket(
    pool: &PgPool,
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
    let mut tx = pool.begin().await?;
    let row = bind_ticket_fields(sqlx::query(UPDATE_TICKET), &ticket)
        .bind(ticket.id.0)
        .bind(expected_version)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else {
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tickets WHERE id = $1)")
            .bind(ticket.id.0)
            .fetch_one(&mut *tx)
            .await?;
        tx.rollback().await?;
        return Err(if exists {
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
