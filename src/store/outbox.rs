//! The events outbox: appending a ticket's event in its transaction (serialised, so `seq` order
//! is commit order, and announced on PostgreSQL) and reading events back.

use sqlx::types::Json;

use super::codec::{check_ticket, enum_str, event_data, micros, parse_enum};
use super::sql::{Bind, Dialect, Get, pieces, values};
use super::{StoreError, StoreResult};
use crate::domain::{Ticket, TicketEvent, TicketId};

/// The columns of `events`, in the order every query reads them.
pub(super) const EVENT_COLS: &str = "seq, ticket_id, kind, actor, at, note, data";

/// Key of the transaction-scoped lock that serialises event inserts ("SWBOARD1").
const OUTBOX_LOCK: i64 = 0x5357_424F_4152_4431;

pub(super) fn event_from_row(row: &impl Get) -> StoreResult<TicketEvent> {
    Ok(TicketEvent {
        seq: row.col("seq")?,
        ticket_id: TicketId(row.col("events.ticket_id")?),
        kind: parse_enum(&row.col::<String>("kind")?, "events.kind")?,
        actor: row.col("actor")?,
        at: row.col("events.at")?,
        note: row.col("note")?,
        data: row.col("events.data")?,
    })
}

/// Appends `event` (with `data` = the stored ticket) to the outbox and announces it. Must run
/// last in its transaction: the outbox lock it takes is held until commit.
pub(super) async fn append_event<D: Dialect>(
    conn: &mut D::Connection,
    stored: &Ticket,
    event: TicketEvent,
) -> StoreResult<TicketEvent> {
    let data = event_data(stored, &event)?;
    D::lock_outbox(conn, OUTBOX_LOCK).await?;
    let sql = format!(
        "INSERT INTO events (ticket_id, kind, actor, at, note, data) VALUES ($1, $2, $3, $4, $5, $6) \
         RETURNING {EVENT_COLS}"
    );
    let row = D::query(sqlx::AssertSqlSafe(sql))
        .arg(event.ticket_id)
        .arg(enum_str(&event.kind))
        .arg(event.actor.as_str())
        .arg(event.at)
        .arg(event.note.as_deref())
        .arg(Json(&data))
        .fetch_one(D::conn(conn))
        .await?;
    let stored_event = event_from_row(&row)?;
    D::announce(conn, stored_event.seq).await?;
    Ok(stored_event)
}

/// Appends the `created` events of tickets filed together (`(stored ticket, event)` pairs), in
/// a few multi-row statements, and announces them once. Like [`append_event`], it must run last
/// in its transaction. Returns the stored events in the order given, numbered, with their
/// `data` left empty: what is stored as `data` is the ticket, which the caller has, written
/// straight to JSON text (no JSON tree in between: this runs while the filing holds the writer).
pub(super) async fn append_events<D: Dialect>(
    conn: &mut D::Connection,
    events: Vec<(&Ticket, TicketEvent)>,
) -> StoreResult<Vec<TicketEvent>> {
    let mut rows = Vec::with_capacity(events.len());
    for (stored, event) in events {
        check_ticket(stored, &event)?;
        rows.push((stored, TicketEvent { data: serde_json::Value::Null, ..event }));
    }
    D::lock_outbox(conn, OUTBOX_LOCK).await?;
    let mut seqs = std::collections::HashMap::with_capacity(rows.len());
    for piece in pieces(rows.len()) {
        // Only the numbers come back: the rest is what was written.
        let sql = format!(
            "INSERT INTO events (ticket_id, kind, actor, at, note, data) VALUES {} RETURNING seq, ticket_id",
            values::<D>(piece.len(), 6)
        );
        let mut q = D::query(sqlx::AssertSqlSafe(sql));
        for (stored, event) in &rows[piece] {
            q = q
                .arg(event.ticket_id)
                .arg(enum_str(&event.kind))
                .arg(event.actor.as_str())
                .arg(event.at)
                .arg(event.note.as_deref())
                .arg(Json(*stored));
        }
        for row in q.fetch_all(D::conn(conn)).await? {
            seqs.insert(TicketId(row.col("events.ticket_id")?), row.col::<i64>("seq")?);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for (_, mut event) in rows {
        event.seq = *seqs
            .get(&event.ticket_id)
            .ok_or_else(|| StoreError::Corrupt(format!("the event of ticket {} was not numbered", event.ticket_id)))?;
        event.at = micros(event.at);
        out.push(event);
    }
    if let Some(last) = out.iter().map(|e| e.seq).max() {
        D::announce(conn, last).await?;
    }
    Ok(out)
}
