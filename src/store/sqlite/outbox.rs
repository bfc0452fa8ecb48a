//! The events outbox: appending a ticket's event in its transaction and reading events back
//! in `seq` order.

use sqlx::sqlite::{SqlitePool, SqliteRow};
use sqlx::{Row, SqliteConnection};

use super::{ts, uuid};
use crate::domain::{Ticket, TicketEvent, TicketId};
use crate::store::StoreResult;
use crate::store::codec::{EventRow, enum_str, event_data, parse_json, ts_text};

pub(super) fn event_from_row(row: &SqliteRow) -> StoreResult<TicketEvent> {
    EventRow {
        seq: row.try_get("seq")?,
        ticket_id: uuid(row, "events", "ticket_id")?,
        kind: row.try_get("kind")?,
        actor: row.try_get("actor")?,
        at: ts(row, "events", "at")?,
        note: row.try_get("note")?,
        data: parse_json(row.try_get("data")?, "events.data")?,
    }
    .into_event()
}

/// Appends `event` (with `data` = the stored ticket) to the outbox.
pub(super) async fn append_event(
    conn: &mut SqliteConnection,
    stored: &Ticket,
    event: TicketEvent,
) -> StoreResult<TicketEvent> {
    let data = event_data(stored, &event)?;
    let row = sqlx::query(
        "INSERT INTO events (ticket_id, kind, actor, at, note, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         RETURNING seq, ticket_id, kind, actor, at, note, data",
    )
    .bind(event.ticket_id.0.to_string())
    .bind(enum_str(&event.kind))
    .bind(&event.actor)
    .bind(ts_text(event.at))
    .bind(&event.note)
    .bind(data.to_string())
    .fetch_one(&mut *conn)
    .await?;
    event_from_row(&row)
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", after = after, limit = limit))]
pub(super) async fn events_after(pool: &SqlitePool, after: i64, limit: i64) -> StoreResult<Vec<TicketEvent>> {
    let rows = sqlx::query(
        "SELECT seq, ticket_id, kind, actor, at, note, data FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )
    .bind(after)
    .bind(limit.max(0))
    .fetch_all(pool)
    .await?;
    rows.iter().map(event_from_row).collect()
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %id))]
pub(super) async fn ticket_events(pool: &SqlitePool, id: TicketId) -> StoreResult<Vec<TicketEvent>> {
    let rows =
        sqlx::query("SELECT seq, ticket_id, kind, actor, at, note, data FROM events WHERE ticket_id = ?1 ORDER BY seq")
            .bind(id.0.to_string())
            .fetch_all(pool)
            .await?;
    rows.iter().map(event_from_row).collect()
}

#[tracing::instrument(skip_all, fields(backend = "sqlite"))]
pub(super) async fn last_seq(pool: &SqlitePool) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events").fetch_one(pool).await?)
}

/// One instance writes a SQLite file, and it wakes its own follower: no watcher.
pub(super) fn watch_events(_pool: &SqlitePool, _wake: crate::store::EventWake) -> Option<tokio::task::JoinHandle<()>> {
    None
}
