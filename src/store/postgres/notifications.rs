//! The notifier's outbox: idempotent enqueue, claims with `FOR UPDATE SKIP LOCKED` (several
//! instances deliver side by side, never the same row at once), outcomes, and the cursor over
//! the events outbox.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgRow};
use uuid::Uuid;

use super::channels::medium;
use crate::domain::{Medium, TicketId};
use crate::store::codec::micros;
use crate::store::{DeliveryOutcome, NewNotification, Notification, StoreError, StoreResult};

const COLS: &str = "id, dedup_key, ticket_id, seq, channel, recipient, template, payload, attempts, \
                    next_attempt_at, sent_at, last_error, created_at";

fn from_row(row: &PgRow) -> StoreResult<Notification> {
    Ok(Notification {
        id: row.try_get("id")?,
        dedup_key: row.try_get("dedup_key")?,
        ticket_id: row.try_get::<Option<Uuid>, _>("ticket_id")?.map(TicketId),
        seq: row.try_get("seq")?,
        medium: medium(row.try_get("channel")?, "notifications.channel")?,
        recipient: row.try_get("recipient")?,
        template: row.try_get("template")?,
        payload: row.try_get("payload")?,
        attempts: row.try_get("attempts")?,
        next_attempt_at: row.try_get("next_attempt_at")?,
        sent_at: row.try_get("sent_at")?,
        last_error: row.try_get("last_error")?,
        created_at: row.try_get("created_at")?,
    })
}

fn select(tail: &str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(format!("SELECT {COLS} FROM notifications {tail}"))
}

#[tracing::instrument(skip_all, fields(backend = "postgres", count = items.len()))]
pub(super) async fn enqueue(pool: &PgPool, items: &[NewNotification], now: DateTime<Utc>) -> StoreResult<u64> {
    let mut tx = pool.begin().await?;
    let mut inserted = 0;
    for n in items {
        inserted += sqlx::query(
            "INSERT INTO notifications (id, dedup_key, ticket_id, seq, channel, recipient, template, payload, \
             attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9) \
             ON CONFLICT (dedup_key) DO NOTHING",
        )
        .bind(Uuid::now_v7())
        .bind(&n.dedup_key)
        .bind(n.ticket_id.map(|t| t.0))
        .bind(n.seq)
        .bind(n.medium.as_str())
        .bind(&n.recipient)
        .bind(&n.template)
        .bind(&n.payload)
        .bind(micros(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    tx.commit().await?;
    Ok(inserted)
}

#[tracing::instrument(skip_all, fields(backend = "postgres", limit = limit))]
pub(super) async fn claim(
    pool: &PgPool,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> StoreResult<Vec<Notification>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE notifications SET attempts = attempts + 1, next_attempt_at = $2 WHERE id IN (\
           SELECT id FROM notifications WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= $1 \
           ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
         RETURNING {COLS}"
    )))
    .bind(micros(now))
    .bind(micros(lease_until))
    .bind(limit.max(0))
    .fetch_all(pool)
    .await?;
    let mut out = rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?;
    out.sort_by_key(|n| (n.next_attempt_at, n.id));
    Ok(out)
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
pub(super) async fn finish(pool: &PgPool, id: Uuid, outcome: DeliveryOutcome) -> StoreResult<()> {
    let q = match &outcome {
        DeliveryOutcome::Sent { at } => {
            sqlx::query("UPDATE notifications SET sent_at = $2, next_attempt_at = NULL WHERE id = $1")
                .bind(id)
                .bind(micros(*at))
        }
        DeliveryOutcome::Retry { at, error } => {
            sqlx::query("UPDATE notifications SET next_attempt_at = $2, last_error = $3 WHERE id = $1")
                .bind(id)
                .bind(micros(*at))
                .bind(error)
        }
        DeliveryOutcome::GiveUp { error } => {
            sqlx::query("UPDATE notifications SET next_attempt_at = NULL, last_error = $2 WHERE id = $1")
                .bind(id)
                .bind(error)
        }
    };
    if q.execute(pool).await?.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("notification {id}")));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %ticket))]
pub(super) async fn for_ticket(pool: &PgPool, ticket: TicketId) -> StoreResult<Vec<Notification>> {
    let rows =
        sqlx::query(select("WHERE ticket_id = $1 ORDER BY created_at, id")).bind(ticket.0).fetch_all(pool).await?;
    rows.iter().map(from_row).collect()
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %medium))]
pub(super) async fn for_recipient(pool: &PgPool, medium: Medium, recipient: &str) -> StoreResult<Vec<Notification>> {
    let rows = sqlx::query(select("WHERE channel = $1 AND recipient = $2 ORDER BY created_at, id"))
        .bind(medium.as_str())
        .bind(recipient)
        .fetch_all(pool)
        .await?;
    rows.iter().map(from_row).collect()
}

pub(super) async fn cursor(pool: &PgPool) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT seq FROM notify_cursor WHERE id = 1").fetch_optional(pool).await?.unwrap_or(0))
}

pub(super) async fn advance_cursor(pool: &PgPool, seq: i64) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO notify_cursor (id, seq) VALUES (1, $1) \
         ON CONFLICT (id) DO UPDATE SET seq = GREATEST(notify_cursor.seq, EXCLUDED.seq)",
    )
    .bind(seq)
    .execute(pool)
    .await?;
    Ok(())
}
