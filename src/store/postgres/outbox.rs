//! The events outbox: appending a ticket's event in its transaction, announcing it, and
//! reading events back in `seq` order.

use sqlx::postgres::{PgPool, PgRow};
use sqlx::{PgConnection, Row};

use crate::domain::{Ticket, TicketEvent, TicketId};
use crate::store::StoreResult;
use crate::store::codec::{EventRow, enum_str, event_data, micros};

/// The channel every committed event is announced on; the payload is its `seq` as text.
pub const EVENTS_CHANNEL: &str = "switchboard_events";

/// Key of the transaction-scoped advisory lock that serialises event inserts ("SWBOARD1").
const OUTBOX_LOCK: i64 = 0x5357_424F_4152_4431;

pub(super) fn event_from_row(row: &PgRow) -> StoreResult<TicketEvent> {
    EventRow {
        seq: row.try_get("seq")?,
        ticket_id: row.try_get("ticket_id")?,
        kind: row.try_get("kind")?,
        actor: row.try_get("actor")?,
        at: row.try_get("at")?,
        note: row.try_get("note")?,
        data: row.try_get("data")?,
    }
    .into_event()
}

/// Appends `event` (with `data` = the stored ticket) to the outbox and announces it. Must
/// run last in its transaction: the advisory lock it takes is held until commit.
pub(super) async fn append_event(
    conn: &mut PgConnection,
    stored: &Ticket,
    event: TicketEvent,
) -> StoreResult<TicketEvent> {
    let data = event_data(stored, &event)?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(OUTBOX_LOCK).execute(&mut *conn).await?;
    let row = sqlx::query(
        "INSERT INTO events (ticket_id, kind, actor, at, note, data) VALUES ($1, $2, $3, $4, $5, $6) \
         RETURNING seq, ticket_id, kind, actor, at, note, data",
    )
    .bind(event.ticket_id.0)
    .bind(enum_str(&event.kind))
    .bind(&event.actor)
    .bind(micros(event.at))
    .bind(&event.note)
    .bind(&data)
    .fetch_one(&mut *conn)
    .await?;
    let stored_event = event_from_row(&row)?;
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(EVENTS_CHANNEL)
        .bind(stored_event.seq.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(stored_event)
}

#[tracing::instrument(skip_all, fields(backend = "postgres", after = after, limit = limit))]
pub(super) async fn events_after(pool: &PgPool, after: i64, limit: i64) -> StoreResult<Vec<TicketEvent>> {
    let rows = sqlx::query(
        "SELECT seq, ticket_id, kind, actor, at, note, data FROM events WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after)
    .bind(limit.max(0))
    .fetch_all(pool)
    .await?;
    rows.iter().map(event_from_row).collect()
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
pub(super) async fn ticket_events(pool: &PgPool, id: TicketId) -> StoreResult<Vec<TicketEvent>> {
    let rows =
        sqlx::query("SELECT seq, ticket_id, kind, actor, at, note, data FROM events WHERE ticket_id = $1 ORDER BY seq")
            .bind(id.0)
            .fetch_all(pool)
            .await?;
    rows.iter().map(event_from_row).collect()
}

#[tracing::instrument(skip_all, fields(backend = "postgres"))]
pub(super) async fn last_seq(pool: &PgPool) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0)::bigint FROM events").fetch_one(pool).await?)
}

/// Wait before reconnecting a lost listener.
const RECONNECT: std::time::Duration = std::time::Duration::from_millis(500);

/// `LISTEN` on [`EVENTS_CHANNEL`] on a connection of its own (the pool's settings); calls
/// `wake` on every notification and after every (re)connect, since notifications sent while
/// disconnected are lost.
pub(super) fn watch_events(pool: &PgPool, wake: crate::store::EventWake) -> Option<tokio::task::JoinHandle<()>> {
    let pool = pool.clone();
    Some(tokio::spawn(async move {
        loop {
            let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox listener: cannot connect; retrying");
                    tokio::time::sleep(RECONNECT).await;
                    continue;
                }
            };
            if let Err(e) = listener.listen(EVENTS_CHANNEL).await {
                tracing::warn!(error = %e, "outbox listener: LISTEN failed; retrying");
                tokio::time::sleep(RECONNECT).await;
                continue;
            }
            tracing::debug!("outbox listener connected");
            wake();
            loop {
                match listener.try_recv().await {
                    Ok(Some(_)) => wake(),
                    Ok(None) => {
                        tracing::info!("outbox listener: connection lost; reconnecting");
                        break;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "outbox listener failed; reconnecting");
                        break;
                    }
                }
            }
            tokio::time::sleep(RECONNECT).await;
        }
    }))
}
