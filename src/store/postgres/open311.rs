//! What Open311 needs besides tickets: the extras stored with a ticket (media URL, attribute
//! answers) and the outbox read by time for `servicerequestupdates`.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgPool;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::outbox::event_from_row;
use crate::domain::{EventKind, TicketEvent, TicketExtras, TicketId};
use crate::store::codec::{enum_str, in_order_of_keyed};
use crate::store::{StoreError, StoreResult};

/// Inserts a ticket's extras in its insert transaction (nothing when they are empty).
pub(super) async fn insert_extras(conn: &mut PgConnection, id: TicketId, extras: &TicketExtras) -> StoreResult<()> {
    if extras.is_empty() {
        return Ok(());
    }
    let answers = serde_json::to_value(&extras.attributes)
        .map_err(|e| StoreError::Invalid(format!("attribute answers of ticket {id}: {e}")))?;
    sqlx::query("INSERT INTO ticket_extras (ticket_id, media_url, attributes) VALUES ($1, $2, $3)")
        .bind(id.0)
        .bind(extras.media_url.as_deref())
        .bind(answers)
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(backend = "postgres", count = ids.len()))]
pub(super) async fn ticket_extras(pool: &PgPool, ids: &[TicketId]) -> StoreResult<Vec<(TicketId, TicketExtras)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let uuids: Vec<Uuid> = ids.iter().map(|id| id.0).collect();
    let rows = sqlx::query("SELECT ticket_id, media_url, attributes FROM ticket_extras WHERE ticket_id = ANY($1)")
        .bind(&uuids)
        .fetch_all(pool)
        .await?;
    let found = rows
        .iter()
        .map(|row| {
            let id = TicketId(row.try_get("ticket_id")?);
            let attributes = serde_json::from_value(row.try_get("attributes")?)
                .map_err(|e| StoreError::Corrupt(format!("ticket_extras.attributes of {id}: {e}")))?;
            Ok((id, TicketExtras { media_url: row.try_get("media_url")?, attributes }))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(in_order_of_keyed(ids, found))
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %from, %to, offset, limit))]
pub(super) async fn events_between(
    pool: &PgPool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    kinds: &[EventKind],
    offset: i64,
    limit: i64,
) -> StoreResult<Vec<TicketEvent>> {
    let kinds: Vec<String> = kinds.iter().map(enum_str).collect();
    let rows = sqlx::query(
        "SELECT seq, ticket_id, kind, actor, at, note, data FROM events \
         WHERE at >= $1 AND at <= $2 AND kind = ANY($3) ORDER BY seq OFFSET $4 LIMIT $5",
    )
    .bind(from)
    .bind(to)
    .bind(&kinds)
    .bind(offset.max(0))
    .bind(limit.max(0))
    .fetch_all(pool)
    .await?;
    rows.iter().map(event_from_row).collect()
}
