//! What Open311 needs besides tickets: the extras stored with a ticket (media URL, attribute
//! answers) and the outbox read by time for `servicerequestupdates`.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqlitePool;
use sqlx::{Row, SqliteConnection};

use super::outbox::event_from_row;
use super::uuid;
use crate::domain::{EventKind, TicketEvent, TicketExtras, TicketId};
use crate::store::codec::{enum_str, in_order_of_keyed, json_list, ts_text};
use crate::store::{StoreError, StoreResult};

/// Inserts a ticket's extras in its insert transaction (nothing when they are empty).
pub(super) async fn insert_extras(conn: &mut SqliteConnection, id: TicketId, extras: &TicketExtras) -> StoreResult<()> {
    if extras.is_empty() {
        return Ok(());
    }
    let answers = serde_json::to_string(&extras.attributes)
        .map_err(|e| StoreError::Invalid(format!("attribute answers of ticket {id}: {e}")))?;
    sqlx::query("INSERT INTO ticket_extras (ticket_id, media_url, attributes) VALUES (?1, ?2, ?3)")
        .bind(id.0.to_string())
        .bind(extras.media_url.as_deref())
        .bind(answers)
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", count = ids.len()))]
pub(super) async fn ticket_extras(pool: &SqlitePool, ids: &[TicketId]) -> StoreResult<Vec<(TicketId, TicketExtras)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = json_list(&ids.iter().map(|id| id.0.to_string()).collect::<Vec<_>>());
    let rows = sqlx::query(
        "SELECT ticket_id, media_url, attributes FROM ticket_extras \
         WHERE ticket_id IN (SELECT value FROM json_each(?1))",
    )
    .bind(list)
    .fetch_all(pool)
    .await?;
    let found = rows
        .iter()
        .map(|row| {
            let id = TicketId(uuid(row, "ticket_extras", "ticket_id")?);
            let attributes = serde_json::from_str(row.try_get("attributes")?)
                .map_err(|e| StoreError::Corrupt(format!("ticket_extras.attributes of {id}: {e}")))?;
            Ok((id, TicketExtras { media_url: row.try_get("media_url")?, attributes }))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(in_order_of_keyed(ids, found))
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %from, %to, offset, limit))]
pub(super) async fn events_between(
    pool: &SqlitePool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    kinds: &[EventKind],
    offset: i64,
    limit: i64,
) -> StoreResult<Vec<TicketEvent>> {
    let kinds: Vec<String> = kinds.iter().map(enum_str).collect();
    let rows = sqlx::query(
        "SELECT seq, ticket_id, kind, actor, at, note, data FROM events \
         WHERE at >= ?1 AND at <= ?2 AND kind IN (SELECT value FROM json_each(?3)) ORDER BY seq LIMIT ?5 OFFSET ?4",
    )
    .bind(ts_text(from))
    .bind(ts_text(to))
    .bind(json_list(&kinds))
    .bind(offset.max(0))
    .bind(limit.max(0))
    .fetch_all(pool)
    .await?;
    rows.iter().map(event_from_row).collect()
}
