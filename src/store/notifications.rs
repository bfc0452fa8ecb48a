//! [`NotificationStore`]: the notifier's outbox — idempotent enqueue, claims (with `FOR UPDATE
//! SKIP LOCKED` on PostgreSQL, so several instances deliver side by side, never the same row at
//! once; in one write transaction on SQLite, which serves one instance), outcomes, and the
//! cursor over the events outbox.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use sqlx::types::Json;
use uuid::Uuid;

use super::channels::medium;
use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore, WriteTransaction};
use super::{StoreError, StoreResult};
use crate::domain::{Medium, TicketId};

/// The notifier's queue: see [`NotificationStore::notification_backlog`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NotificationBacklog {
    pub queued: i64,
    pub due: i64,
}

#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Inserts notifications whose `dedup_key` is new (others are skipped), due at `now`.
    /// Returns how many were inserted.
    async fn enqueue_notifications(&self, items: &[NewNotification], now: DateTime<Utc>) -> StoreResult<u64>;
    /// Claims up to `limit` notifications due at `now` (oldest due first): each gets one more
    /// attempt and is due again at `lease_until` unless finished before. Concurrent claimers
    /// never get the same row (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
    async fn claim_notifications(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Notification>>;
    /// Records how an attempt ended.
    async fn finish_notification(&self, id: Uuid, outcome: DeliveryOutcome) -> StoreResult<()>;
    /// A ticket's notifications, oldest first.
    async fn ticket_notifications(&self, ticket: TicketId) -> StoreResult<Vec<Notification>>;
    /// Notifications to one recipient, oldest first.
    async fn recipient_notifications(&self, medium: Medium, recipient: &str) -> StoreResult<Vec<Notification>>;
    /// The last event `seq` the notifier has planned notifications for.
    async fn notify_cursor(&self) -> StoreResult<i64>;
    /// Moves the notifier's cursor forward to `seq` (never back).
    async fn advance_notify_cursor(&self, seq: i64) -> StoreResult<()>;
    /// Notifications still to deliver (neither sent nor given up), and how many of them are due
    /// at `now` (the rest wait for a retry or are being delivered under a lease).
    async fn notification_backlog(&self, now: DateTime<Utc>) -> StoreResult<NotificationBacklog>;
}

/// A message to a citizen, to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNotification {
    /// One row per key, whoever enqueues it how often: e.g. `event:{seq}:{medium}:{recipient}`.
    pub dedup_key: String,
    pub ticket_id: Option<TicketId>,
    /// The event that caused it, if any.
    pub seq: Option<i64>,
    pub medium: Medium,
    /// Phone number, chat user id or email address: personal data.
    pub recipient: String,
    /// What kind of message: `created`, `resolved`, `ask_location`, ….
    pub template: String,
    /// The rendered message (`text_vi`, `text_en`, `subject`, `code`, …).
    pub payload: serde_json::Value,
}

/// A notification as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: Uuid,
    pub dedup_key: String,
    pub ticket_id: Option<TicketId>,
    pub seq: Option<i64>,
    pub medium: Medium,
    pub recipient: String,
    pub template: String,
    pub payload: serde_json::Value,
    /// Delivery attempts started (a claim counts as one).
    pub attempts: i32,
    /// When it is next due; `None` once sent or given up.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Notification {
    /// Neither sent nor to be tried again.
    pub fn gave_up(&self) -> bool {
        self.sent_at.is_none() && self.next_attempt_at.is_none()
    }
}

/// How a delivery attempt ended.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryOutcome {
    Sent {
        at: DateTime<Utc>,
    },
    /// Failed; due again at `at`.
    Retry {
        at: DateTime<Utc>,
        error: String,
    },
    /// Failed for good (a permanent error or the last attempt).
    GiveUp {
        error: String,
    },
}

const COLS: &str = "id, dedup_key, ticket_id, seq, channel, recipient, template, payload, attempts, \
                    next_attempt_at, sent_at, last_error, created_at";

fn from_row(row: &impl Get) -> StoreResult<Notification> {
    let attempts: i64 = row.col("attempts")?;
    Ok(Notification {
        id: row.col("notifications.id")?,
        dedup_key: row.col("dedup_key")?,
        ticket_id: row.col::<Option<Uuid>>("notifications.ticket_id")?.map(TicketId),
        seq: row.col("seq")?,
        medium: medium(&row.col::<String>("channel")?, "notifications.channel")?,
        recipient: row.col("recipient")?,
        template: row.col("template")?,
        payload: row.col("notifications.payload")?,
        attempts: i32::try_from(attempts)
            .map_err(|_| StoreError::Corrupt(format!("notifications.attempts = {attempts}")))?,
        next_attempt_at: row.col("notifications.next_attempt_at")?,
        sent_at: row.col("notifications.sent_at")?,
        last_error: row.col("last_error")?,
        created_at: row.col("notifications.created_at")?,
    })
}

#[async_trait]
impl<D: Dialect> NotificationStore for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, count = items.len()))]
    async fn enqueue_notifications(&self, items: &[NewNotification], now: DateTime<Utc>) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let mut inserted = 0;
        for n in items {
            inserted += D::query(
                "INSERT INTO notifications (id, dedup_key, ticket_id, seq, channel, recipient, template, payload, \
                 attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9) \
                 ON CONFLICT (dedup_key) DO NOTHING",
            )
            .arg(Uuid::now_v7())
            .arg(n.dedup_key.as_str())
            .arg(n.ticket_id)
            .arg(n.seq)
            .arg(n.medium.as_str())
            .arg(n.recipient.as_str())
            .arg(n.template.as_str())
            .arg(Json(&n.payload))
            .arg(now)
            .execute(D::conn(&mut tx))
            .await?
            .rows();
        }
        tx.commit().await?;
        Ok(inserted)
    }

    /// One statement in a write transaction; the rows come back by due time, then id.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, limit = limit))]
    async fn claim_notifications(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<Vec<Notification>> {
        let sql = format!(
            "UPDATE notifications SET attempts = attempts + 1, next_attempt_at = $2 WHERE id IN (\
               SELECT id FROM notifications WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= $1 \
               ORDER BY next_attempt_at, id LIMIT $3{}) \
             RETURNING {COLS}",
            D::SKIP_LOCKED
        );
        let mut tx = self.begin_write().await?;
        let rows = D::query(AssertSqlSafe(sql))
            .arg(now)
            .arg(lease_until)
            .arg(limit.max(0))
            .fetch_all(D::conn(&mut tx))
            .await?;
        tx.commit().await?;
        let mut out = rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?;
        out.sort_by_key(|n| (n.next_attempt_at, n.id));
        Ok(out)
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn finish_notification(&self, id: Uuid, outcome: DeliveryOutcome) -> StoreResult<()> {
        let q = match &outcome {
            DeliveryOutcome::Sent { at } => {
                D::query("UPDATE notifications SET sent_at = $2, next_attempt_at = NULL WHERE id = $1").arg(id).arg(*at)
            }
            DeliveryOutcome::Retry { at, error } => {
                D::query("UPDATE notifications SET next_attempt_at = $2, last_error = $3 WHERE id = $1")
                    .arg(id)
                    .arg(*at)
                    .arg(error.as_str())
            }
            DeliveryOutcome::GiveUp { error } => {
                D::query("UPDATE notifications SET next_attempt_at = NULL, last_error = $2 WHERE id = $1")
                    .arg(id)
                    .arg(error.as_str())
            }
        };
        if self.execute_write(q).await?.rows() == 0 {
            return Err(StoreError::NotFound(format!("notification {id}")));
        }
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %ticket))]
    async fn ticket_notifications(&self, ticket: TicketId) -> StoreResult<Vec<Notification>> {
        let sql = format!("SELECT {COLS} FROM notifications WHERE ticket_id = $1 ORDER BY created_at, id");
        let rows = D::query(AssertSqlSafe(sql)).arg(ticket).fetch_all(self.db()).await?;
        rows.iter().map(from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %medium))]
    async fn recipient_notifications(&self, medium: Medium, recipient: &str) -> StoreResult<Vec<Notification>> {
        let sql =
            format!("SELECT {COLS} FROM notifications WHERE channel = $1 AND recipient = $2 ORDER BY created_at, id");
        let rows = D::query(AssertSqlSafe(sql)).arg(medium.as_str()).arg(recipient).fetch_all(self.db()).await?;
        rows.iter().map(from_row).collect()
    }

    async fn notify_cursor(&self) -> StoreResult<i64> {
        let row = D::query("SELECT seq FROM notify_cursor WHERE id = 1").fetch_optional(self.db()).await?;
        Ok(row.map(|r| r.col("seq")).transpose()?.unwrap_or(0))
    }

    async fn advance_notify_cursor(&self, seq: i64) -> StoreResult<()> {
        self.execute_write(
            D::query(
                "INSERT INTO notify_cursor (id, seq) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq WHERE notify_cursor.seq < excluded.seq",
            )
            .arg(seq),
        )
        .await?;
        Ok(())
    }

    async fn notification_backlog(&self, now: DateTime<Utc>) -> StoreResult<NotificationBacklog> {
        let row = D::query(
            "SELECT COUNT(*) AS queued, COUNT(CASE WHEN next_attempt_at <= $1 THEN 1 END) AS due \
             FROM notifications WHERE next_attempt_at IS NOT NULL",
        )
        .arg(now)
        .fetch_one(self.db())
        .await?;
        Ok(NotificationBacklog { queued: row.col("queued")?, due: row.col("due")? })
    }
}
