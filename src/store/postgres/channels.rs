//! Webhook messages: recorded once per (medium, message id), merged with the sender's draft,
//! linked to the ticket filed from them.

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgRow};
use uuid::Uuid;

use crate::domain::{Location, Medium, TicketId};
use crate::store::codec::micros;
use crate::store::{Accepted, ChannelMessage, InboundMessage, StoreError, StoreResult};

pub(crate) fn medium(s: &str, column: &str) -> StoreResult<Medium> {
    Medium::parse(s).ok_or_else(|| StoreError::Corrupt(format!("{column}: unknown medium {s:?}")))
}

pub(crate) fn location(lon: Option<f64>, lat: Option<f64>, column: &str) -> StoreResult<Option<Location>> {
    match (lon, lat) {
        (Some(lon), Some(lat)) => {
            Location::parse(lon, lat, "").map(Some).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
        }
        (None, None) => Ok(None),
        _ => Err(StoreError::Corrupt(format!("{column}: lon and lat must both be set or both be NULL"))),
    }
}

fn message_from_row(row: &PgRow) -> StoreResult<ChannelMessage> {
    Ok(ChannelMessage {
        medium: medium(row.try_get("channel")?, "channel_messages.channel")?,
        message_id: row.try_get("message_id")?,
        sender: row.try_get("sender")?,
        text: row.try_get("text")?,
        location: location(row.try_get("lon")?, row.try_get("lat")?, "channel_messages.lon/lat")?,
        complete: row.try_get("complete")?,
        ticket_id: row.try_get::<Option<Uuid>, _>("ticket_id")?.map(TicketId),
        received_at: row.try_get("received_at")?,
    })
}

/// Claims the message id (`ON CONFLICT DO NOTHING` waits for a concurrent claimant), then
/// merges the draft with one upsert (row-locked, so concurrent messages of one sender merge
/// one after the other) and, if complete, consumes it.
#[tracing::instrument(skip_all, fields(backend = "postgres", medium = %msg.medium))]
pub(super) async fn accept_message(
    pool: &PgPool,
    msg: InboundMessage,
    draft_since: DateTime<Utc>,
) -> StoreResult<Accepted> {
    let mut tx = pool.begin().await?;
    let at = micros(msg.received_at);
    let (lon, lat) = (msg.location.map(|l| l.lon), msg.location.map(|l| l.lat));
    let claimed = sqlx::query(
        "INSERT INTO channel_messages (channel, message_id, sender, text, lon, lat, complete, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, false, $7) ON CONFLICT (channel, message_id) DO NOTHING",
    )
    .bind(msg.medium.as_str())
    .bind(&msg.message_id)
    .bind(&msg.sender)
    .bind(&msg.text)
    .bind(lon)
    .bind(lat)
    .bind(at)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        tx.rollback().await?;
        let row = sqlx::query(
            "SELECT channel, message_id, sender, text, lon, lat, complete, ticket_id, received_at \
             FROM channel_messages WHERE channel = $1 AND message_id = $2",
        )
        .bind(msg.medium.as_str())
        .bind(&msg.message_id)
        .fetch_one(pool)
        .await?;
        return Ok(Accepted::Seen(message_from_row(&row)?));
    }
    let merged = sqlx::query(
        "INSERT INTO channel_drafts AS d (channel, sender, text, lon, lat, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (channel, sender) DO UPDATE SET \
           text = CASE WHEN d.updated_at < $7 OR d.text IS NULL THEN EXCLUDED.text \
                       WHEN EXCLUDED.text IS NULL THEN d.text \
                       ELSE d.text || E'\\n' || EXCLUDED.text END, \
           lon = CASE WHEN EXCLUDED.lon IS NOT NULL OR d.updated_at < $7 THEN EXCLUDED.lon ELSE d.lon END, \
           lat = CASE WHEN EXCLUDED.lon IS NOT NULL OR d.updated_at < $7 THEN EXCLUDED.lat ELSE d.lat END, \
           updated_at = EXCLUDED.updated_at \
         RETURNING text, lon, lat",
    )
    .bind(msg.medium.as_str())
    .bind(&msg.sender)
    .bind(&msg.text)
    .bind(lon)
    .bind(lat)
    .bind(at)
    .bind(micros(draft_since))
    .fetch_one(&mut *tx)
    .await?;
    let text: Option<String> = merged.try_get("text")?;
    let loc = location(merged.try_get("lon")?, merged.try_get("lat")?, "channel_drafts.lon/lat")?;
    let complete = text.is_some() && loc.is_some();
    let mut stored = ChannelMessage {
        medium: msg.medium,
        message_id: msg.message_id,
        sender: msg.sender,
        text: msg.text,
        location: msg.location,
        complete,
        ticket_id: None,
        received_at: at,
    };
    if complete {
        sqlx::query("DELETE FROM channel_drafts WHERE channel = $1 AND sender = $2")
            .bind(stored.medium.as_str())
            .bind(&stored.sender)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE channel_messages SET text = $3, lon = $4, lat = $5, complete = true \
             WHERE channel = $1 AND message_id = $2",
        )
        .bind(stored.medium.as_str())
        .bind(&stored.message_id)
        .bind(&text)
        .bind(loc.map(|l| l.lon))
        .bind(loc.map(|l| l.lat))
        .execute(&mut *tx)
        .await?;
        stored.text = text;
        stored.location = loc;
    }
    tx.commit().await?;
    Ok(Accepted::New(stored))
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %medium, %ticket))]
pub(super) async fn link_message(pool: &PgPool, medium: Medium, message_id: &str, ticket: TicketId) -> StoreResult<()> {
    let done = sqlx::query("UPDATE channel_messages SET ticket_id = $3 WHERE channel = $1 AND message_id = $2")
        .bind(medium.as_str())
        .bind(message_id)
        .bind(ticket.0)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("{medium} message {message_id:?}")));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %ticket))]
pub(super) async fn message_sender(pool: &PgPool, ticket: TicketId) -> StoreResult<Option<(Medium, String)>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT channel, sender FROM channel_messages WHERE ticket_id = $1 ORDER BY received_at, message_id LIMIT 1",
    )
    .bind(ticket.0)
    .fetch_optional(pool)
    .await?;
    row.map(|(m, s)| Ok((medium(&m, "channel_messages.channel")?, s))).transpose()
}
