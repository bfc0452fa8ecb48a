//! [`ChannelStore`]: webhook messages of the chat/SMS intake — recorded once per (medium,
//! message id), merged with the sender's draft, linked to the ticket filed from them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore, WriteTransaction};
use super::{StoreError, StoreResult};
use crate::domain::{Location, Medium, TicketId};

#[async_trait]
pub trait ChannelStore: Send + Sync {
    /// Records a webhook message once per (medium, message id): a message seen before is
    /// [`Accepted::Seen`] as stored then. A new one is merged with its sender's draft (texts
    /// joined by a newline, a later location replacing an earlier one; a draft last touched
    /// before `draft_since` is forgotten); if the result has both text and location, the draft
    /// is consumed and the message stored `complete` with the merged report, else the draft
    /// keeps the merge. One transaction; safe under concurrent messages of one sender.
    async fn accept_message(&self, msg: InboundMessage, draft_since: DateTime<Utc>) -> StoreResult<Accepted>;
    /// Notes the ticket filed from a message.
    async fn link_message(&self, medium: Medium, message_id: &str, ticket: TicketId) -> StoreResult<()>;
    /// For each of `tickets` filed from a message, the medium and sender of its first message
    /// (personal data); tickets filed otherwise are left out.
    async fn message_senders(&self, tickets: &[TicketId]) -> StoreResult<Vec<(TicketId, (Medium, String))>>;
}

/// A message as a webhook adapter parsed it.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    pub medium: Medium,
    /// The platform's id of the message (unique per medium).
    pub message_id: String,
    /// Phone number or chat user id: personal data.
    pub sender: String,
    pub text: Option<String>,
    pub location: Option<Location>,
    pub received_at: DateTime<Utc>,
}

/// A message as stored. Once `complete`, `text` and `location` are the whole report (the
/// sender's earlier draft merged in); before, what this message carried.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelMessage {
    pub medium: Medium,
    pub message_id: String,
    pub sender: String,
    pub text: Option<String>,
    pub location: Option<Location>,
    /// Text and location together: enough to file a ticket.
    pub complete: bool,
    /// The ticket filed from it, once filed.
    pub ticket_id: Option<TicketId>,
    pub received_at: DateTime<Utc>,
}

/// What [`ChannelStore::accept_message`] did with a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Accepted {
    /// First time seen: recorded and merged with the sender's draft. When it is complete, the
    /// draft was consumed.
    New(ChannelMessage),
    /// This (medium, message id) was received before: as it was stored then.
    Seen(ChannelMessage),
}

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

fn message_from_row(row: &impl Get) -> StoreResult<ChannelMessage> {
    Ok(ChannelMessage {
        medium: medium(&row.col::<String>("channel")?, "channel_messages.channel")?,
        message_id: row.col("message_id")?,
        sender: row.col("sender")?,
        text: row.col("text")?,
        location: location(row.col("lon")?, row.col("lat")?, "channel_messages.lon/lat")?,
        complete: row.col("complete")?,
        ticket_id: row.col::<Option<uuid::Uuid>>("channel_messages.ticket_id")?.map(TicketId),
        received_at: row.col("channel_messages.received_at")?,
    })
}

#[async_trait]
impl<D: Dialect> ChannelStore for SqlStore<D> {
    /// Claims the message id (`ON CONFLICT DO NOTHING`, which on PostgreSQL waits for a
    /// concurrent claimant), then merges the draft with one upsert (row-locked on PostgreSQL,
    /// in SQLite's single write transaction: messages of one sender merge one after the other)
    /// and, if complete, consumes it.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, medium = %msg.medium))]
    async fn accept_message(&self, msg: InboundMessage, draft_since: DateTime<Utc>) -> StoreResult<Accepted> {
        let mut tx = self.begin_write().await?;
        let at = super::codec::micros(msg.received_at);
        let (lon, lat) = (msg.location.map(|l| l.lon), msg.location.map(|l| l.lat));
        let claimed = D::query(
            "INSERT INTO channel_messages (channel, message_id, sender, text, lon, lat, complete, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6, false, $7) ON CONFLICT (channel, message_id) DO NOTHING",
        )
        .arg(msg.medium.as_str())
        .arg(msg.message_id.as_str())
        .arg(msg.sender.as_str())
        .arg(msg.text.as_deref())
        .arg(lon)
        .arg(lat)
        .arg(at)
        .execute(D::conn(&mut tx))
        .await?
        .rows()
            == 1;
        if !claimed {
            tx.rollback().await?;
            let row = D::query(
                "SELECT channel, message_id, sender, text, lon, lat, complete, ticket_id, received_at \
                 FROM channel_messages WHERE channel = $1 AND message_id = $2",
            )
            .arg(msg.medium.as_str())
            .arg(msg.message_id.as_str())
            .fetch_one(self.db())
            .await?;
            return Ok(Accepted::Seen(message_from_row(&row)?));
        }
        // The newline joining two texts is a literal line feed inside the SQL string.
        let merged = D::query(
            "INSERT INTO channel_drafts AS d (channel, sender, text, lon, lat, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (channel, sender) DO UPDATE SET \
               text = CASE WHEN d.updated_at < $7 OR d.text IS NULL THEN excluded.text \
                           WHEN excluded.text IS NULL THEN d.text \
                           ELSE d.text || '\n' || excluded.text END, \
               lon = CASE WHEN excluded.lon IS NOT NULL OR d.updated_at < $7 THEN excluded.lon ELSE d.lon END, \
               lat = CASE WHEN excluded.lon IS NOT NULL OR d.updated_at < $7 THEN excluded.lat ELSE d.lat END, \
               updated_at = excluded.updated_at \
             RETURNING text, lon, lat",
        )
        .arg(msg.medium.as_str())
        .arg(msg.sender.as_str())
        .arg(msg.text.as_deref())
        .arg(lon)
        .arg(lat)
        .arg(at)
        .arg(draft_since)
        .fetch_one(D::conn(&mut tx))
        .await?;
        let text: Option<String> = merged.col("text")?;
        let loc = location(merged.col("lon")?, merged.col("lat")?, "channel_drafts.lon/lat")?;
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
            D::query("DELETE FROM channel_drafts WHERE channel = $1 AND sender = $2")
                .arg(stored.medium.as_str())
                .arg(stored.sender.as_str())
                .execute(D::conn(&mut tx))
                .await?;
            D::query(
                "UPDATE channel_messages SET text = $3, lon = $4, lat = $5, complete = true \
                 WHERE channel = $1 AND message_id = $2",
            )
            .arg(stored.medium.as_str())
            .arg(stored.message_id.as_str())
            .arg(text.as_deref())
            .arg(loc.map(|l| l.lon))
            .arg(loc.map(|l| l.lat))
            .execute(D::conn(&mut tx))
            .await?;
            stored.text = text;
            stored.location = loc;
        }
        tx.commit().await?;
        Ok(Accepted::New(stored))
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %medium, %ticket))]
    async fn link_message(&self, medium: Medium, message_id: &str, ticket: TicketId) -> StoreResult<()> {
        let done = self
            .execute_write(
                D::query("UPDATE channel_messages SET ticket_id = $3 WHERE channel = $1 AND message_id = $2")
                    .arg(medium.as_str())
                    .arg(message_id)
                    .arg(ticket),
            )
            .await?;
        if done.rows() == 0 {
            return Err(StoreError::NotFound(format!("{medium} message {message_id:?}")));
        }
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, count = tickets.len()))]
    async fn message_senders(&self, tickets: &[TicketId]) -> StoreResult<Vec<(TicketId, (Medium, String))>> {
        if tickets.is_empty() {
            return Ok(Vec::new());
        }
        // Every message of these tickets (a ticket has one or a few), by time: the first of
        // each ticket is its sender.
        let sql = format!(
            "SELECT ticket_id, channel, sender FROM channel_messages WHERE {} ORDER BY received_at, message_id",
            D::in_list("ticket_id", 1)
        );
        let rows = D::query(sqlx::AssertSqlSafe(sql))
            .arg(tickets.iter().map(|id| id.0).collect::<Vec<uuid::Uuid>>())
            .fetch_all(self.db())
            .await?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for r in rows {
            let id = TicketId(r.col("channel_messages.ticket_id")?);
            if seen.insert(id) {
                out.push((id, (medium(&r.col::<String>("channel")?, "channel_messages.channel")?, r.col("sender")?)));
            }
        }
        Ok(out)
    }
}
