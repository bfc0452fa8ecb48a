//! [`ChannelPhotoStore`]: images citizens sent on Zalo or Messenger, kept by address until their
//! report is filed, then fetched and attached ([`crate::intake::photos`]).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore, WriteTransaction};
use super::{StoreError, StoreResult};
use crate::domain::{Medium, TicketId};

/// An image to fetch for a filed report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuePhoto {
    pub medium: Medium,
    pub message_id: String,
    pub url: String,
    pub ticket: TicketId,
}

#[async_trait]
pub trait ChannelPhotoStore: Send + Sync {
    /// Keeps the images of a message (a redelivery adds nothing).
    async fn add_channel_photos(
        &self,
        medium: Medium,
        message_id: &str,
        sender: &str,
        urls: &[String],
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Gives the sender's images received since `since` and not yet given to a report to
    /// `ticket`; answers how many.
    async fn assign_channel_photos(
        &self,
        medium: Medium,
        sender: &str,
        since: DateTime<Utc>,
        ticket: TicketId,
    ) -> StoreResult<u64>;
    /// The report the sender's messages filed most recently since `since`, if any.
    async fn sender_ticket_since(
        &self,
        medium: Medium,
        sender: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<Option<TicketId>>;
    /// Images given to a report and not fetched yet, the oldest first.
    async fn due_channel_photos(&self, limit: i64) -> StoreResult<Vec<DuePhoto>>;
    /// Marks an image fetched and attached (`error` `None`) or given up.
    async fn finish_channel_photo(&self, photo: &DuePhoto, error: Option<&str>) -> StoreResult<()>;
}

#[async_trait]
impl<D: Dialect> ChannelPhotoStore for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, n = urls.len()))]
    async fn add_channel_photos(
        &self,
        medium: Medium,
        message_id: &str,
        sender: &str,
        urls: &[String],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for url in urls {
            D::query(
                "INSERT INTO channel_photos (channel, message_id, url, sender, received_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (channel, message_id, url) DO NOTHING",
            )
            .arg(medium.as_str())
            .arg(message_id)
            .arg(url.as_str())
            .arg(sender)
            .arg(at)
            .execute(D::conn(&mut tx))
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn assign_channel_photos(
        &self,
        medium: Medium,
        sender: &str,
        since: DateTime<Utc>,
        ticket: TicketId,
    ) -> StoreResult<u64> {
        let done = self
            .execute_write(
                D::query(
                    "UPDATE channel_photos SET ticket_id = $4 WHERE channel = $1 AND sender = $2 \
                     AND received_at >= $3 AND ticket_id IS NULL",
                )
                .arg(medium.as_str())
                .arg(sender)
                .arg(since)
                .arg(ticket),
            )
            .await?;
        Ok(done.rows())
    }

    async fn sender_ticket_since(
        &self,
        medium: Medium,
        sender: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<Option<TicketId>> {
        let row = D::query(
            "SELECT ticket_id FROM channel_messages WHERE channel = $1 AND sender = $2 AND received_at >= $3 \
             AND ticket_id IS NOT NULL ORDER BY received_at DESC LIMIT 1",
        )
        .arg(medium.as_str())
        .arg(sender)
        .arg(since)
        .fetch_optional(self.db())
        .await?;
        Ok(row.map(|r| r.col("channel_messages.ticket_id")).transpose()?.map(TicketId))
    }

    async fn due_channel_photos(&self, limit: i64) -> StoreResult<Vec<DuePhoto>> {
        let rows = D::query(
            "SELECT channel, message_id, url, ticket_id FROM channel_photos \
             WHERE ticket_id IS NOT NULL AND state = 'pending' ORDER BY received_at LIMIT $1",
        )
        .arg(limit)
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                let channel: String = r.col("channel")?;
                Ok(DuePhoto {
                    medium: Medium::parse(&channel)
                        .ok_or_else(|| StoreError::Corrupt(format!("channel_photos.channel: {channel:?}")))?,
                    message_id: r.col("message_id")?,
                    url: r.col("url")?,
                    ticket: TicketId(r.col("channel_photos.ticket_id")?),
                })
            })
            .collect()
    }

    async fn finish_channel_photo(&self, p: &DuePhoto, error: Option<&str>) -> StoreResult<()> {
        self.execute_write(
            D::query(
                "UPDATE channel_photos SET state = $4, error = $5 WHERE channel = $1 AND message_id = $2 AND url = $3",
            )
            .arg(p.medium.as_str())
            .arg(p.message_id.as_str())
            .arg(p.url.as_str())
            .arg(if error.is_some() { "failed" } else { "attached" })
            .arg(error),
        )
        .await?;
        Ok(())
    }
}
