//! Webhook messages: recorded once per (medium, message id), merged with the sender's draft,
//! linked to the ticket filed from them. One `BEGIN IMMEDIATE` transaction per message, so
//! messages of one sender merge one after the other.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::{SqlitePool, SqliteRow};

use super::{begin_write, ts};
use crate::domain::{Location, Medium, TicketId};
use crate::store::codec::{micros, parse_uuid, ts_text};
use crate::store::{Accepted, ChannelMessage, InboundMessage, StoreError, StoreResult};

pub(super) fn medium(s: &str, column: &str) -> StoreResult<Medium> {
    Medium::parse(s).ok_or_else(|| StoreError::Corrupt(format!("{column}: unknown medium {s:?}")))
}

fn location(lon: Option<f64>, lat: Option<f64>, column: &str) -> StoreResult<Option<Location>> {
    match (lon, lat) {
        (Some(lon), Some(lat)) => {
            Location::parse(lon, lat, "").map(Some).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
        }
        (None, None) => Ok(None),
        _ => Err(StoreError::Corrupt(format!("{column}: lon and lat must both be set or both be NULL"))),
    }
}

fn message_from_row(row: &SqliteRow) -> StoreResult<ChannelMessage> {
    let ticket: Option<&str> = row.try_get("ticket_id")?;
    Ok(ChannelMessage {
        medium: medium(row.try_get("channel")?, "channel_messages.channel")?,
        message_id: row.try_get("message_id")?,
        sender: row.try_get("sender")?,
        text: row.try_get("text")?,
        location: location(row.try_get("lon")?, row.try_get("lat")?, "channel_messages.lon/lat")?,
        complete: row.try_get::<i64, _>("complete")? == 1,
        ticket_id: ticket.map(|t| parse_uuid(t, "channel_messages.ticket_id").map(TicketId)).transpose()?,
        received_at: ts(row, "channel_messages", "received_at")?,
    })
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", medium = %msg.medium))]
pub(super) async fn accept_message(
    pool: &SqlitePool,
    msg: InboundMessage,
    draft_since: DateTime<Utc>,
) -> StoreResult<Accepted> {
    let mut tx = begin_write(pool).await?;
    let seen = sqlx::query(
        "SELECT channel, message_id, sender, text, lon, lat, complete, ticket_id, received_at \
         FROM channel_messages WHERE channel = ?1 AND message_id = ?2",
    )
    .bind(msg.medium.as_str())
    .bind(&msg.message_id)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = seen {
        let seen = message_from_row(&row);
        tx.rollback().await?;
        return seen.map(Accepted::Seen);
    }
    let at = micros(msg.received_at);
    let (lon, lat) = (msg.location.map(|l| l.lon), msg.location.map(|l| l.lat));
    let merged = sqlx::query(
        "INSERT INTO channel_drafts AS d (channel, sender, text, lon, lat, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (channel, sender) DO UPDATE SET \
           text = CASE WHEN d.updated_at < ?7 OR d.text IS NULL THEN excluded.text \
                       WHEN excluded.text IS NULL THEN d.text \
                       ELSE d.text || char(10) || excluded.text END, \
           lon = CASE WHEN excluded.lon IS NOT NULL OR d.updated_at < ?7 THEN excluded.lon ELSE d.lon END, \
           lat = CASE WHEN excluded.lon IS NOT NULL OR d.updated_at < ?7 THEN excluded.lat ELSE d.lat END, \
           updated_at = excluded.updated_at \
         RETURNING text, lon, lat",
    )
    .bind(msg.medium.as_str())
    .bind(&msg.sender)
    .bind(&msg.text)
    .bind(lon)
    .bind(lat)
    .bind(ts_text(at))
    .bind(ts_text(micros(draft_since)))
    .fetch_one(&mut *tx)
    .await?;
    let text: Option<String> = merged.try_get("text")?;
    let loc = location(merged.try_get("lon")?, merged.try_get("lat")?, "channel_drafts.lon/lat")?;
    let complete = text.is_some() && loc.is_some();
    if complete {
        sqlx::query("DELETE FROM channel_drafts WHERE channel = ?1 AND sender = ?2")
            .bind(msg.medium.as_str())
            .bind(&msg.sender)
            .execute(&mut *tx)
            .await?;
    }
    let (text, loc) = if complete { (text, loc) } else { (msg.text, msg.location) };
    sqlx::query(
        "INSERT INTO channel_messages (channel, message_id, sender, text, lon, lat, complete, received_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(msg.medium.as_str())
    .bind(&msg.message_id)
    .bind(&msg.sender)
    .bind(&text)
    .bind(loc.map(|l| l.lon))
    .bind(loc.map(|l| l.lat))
    .bind(i64::from(complete))
    .bind(ts_text(at))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Accepted::New(ChannelMessage {
        medium: msg.medium,
        message_id: msg.message_id,
        sender: msg.sender,
        text,
        location: loc,
        complete,
        ticket_id: None,
        received_at: at,
    }))
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %medium, %ticket))]
pub(super) async fn link_message(
    pool: &SqlitePool,
    medium: Medium,
    message_id: &str,
    ticket: TicketId,
) -> StoreResult<()> {
    let done = sqlx::query("UPDATE channel_messages SET ticket_id = ?3 WHERE channel = ?1 AND message_id = ?2")
        .bind(medium.as_str())
        .bind(message_id)
        .bind(ticket.0.to_string())
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("{medium} message {message_id:?}")));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %ticket))]
pub(super) async fn message_sender(pool: &SqlitePool, ticket: TicketId) -> StoreResult<Option<(Medium, String)>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT channel, sender FROM channel_messages WHERE ticket_id = ?1 ORDER BY received_at, message_id LIMIT 1",
    )
    .bind(ticket.0.to_string())
    .fetch_optional(pool)
    .await?;
    row.map(|(m, s)| Ok((medium(&m, "channel_messages.channel")?, s))).transpose()
}
