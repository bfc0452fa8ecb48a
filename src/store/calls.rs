//! [`CallStore`]: phone calls of the console's intake — one row per ticket taken by phone, apart
//! from the ticket (personal data, never in events).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore};
use super::{StoreError, StoreResult};
use crate::domain::{CallRecord, TicketId};

#[async_trait]
pub trait CallStore: Send + Sync {
    /// Stores, or replaces, the details of the call ticket `id` was taken from: personal data,
    /// kept apart from the ticket like its contact and never put in an event.
    /// [`StoreError::NotFound`] if there is no such ticket. `started_at` is kept to the
    /// microsecond.
    async fn put_call(&self, id: TicketId, call: &CallRecord) -> StoreResult<()>;
    /// The details of the call ticket `id` was taken from, if it came by phone.
    async fn call(&self, id: TicketId) -> StoreResult<Option<CallRecord>>;
    /// When each call logged with `from <= started_at < to` began and how long it lasted (for
    /// the hotline's staffing figures; no ticket, no caller).
    async fn calls_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(DateTime<Utc>, Option<u32>)>>;
}

#[async_trait]
impl<D: Dialect> CallStore for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn put_call(&self, id: TicketId, call: &CallRecord) -> StoreResult<()> {
        let done = self
            .execute_write(
                D::query(
                    "INSERT INTO ticket_calls (ticket_id, started_at, duration_seconds, recording_ref) \
             SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM tickets WHERE id = $1) \
             ON CONFLICT (ticket_id) DO UPDATE SET started_at = excluded.started_at, \
             duration_seconds = excluded.duration_seconds, recording_ref = excluded.recording_ref",
                )
                .arg(id)
                .arg(call.started_at)
                .arg(call.duration_seconds.map(i64::from))
                .arg(call.recording_ref.as_deref()),
            )
            .await?;
        if done.rows() == 0 {
            return Err(StoreError::NotFound(format!("ticket {id}")));
        }
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %id))]
    async fn call(&self, id: TicketId) -> StoreResult<Option<CallRecord>> {
        let row = D::query("SELECT started_at, duration_seconds, recording_ref FROM ticket_calls WHERE ticket_id = $1")
            .arg(id)
            .fetch_optional(self.db())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let duration: Option<i64> = row.col("duration_seconds")?;
        Ok(Some(CallRecord {
            started_at: row.col("ticket_calls.started_at")?,
            duration_seconds: duration
                .map(|d| {
                    u32::try_from(d).map_err(|_| StoreError::Corrupt(format!("ticket_calls.duration_seconds: {d}")))
                })
                .transpose()?,
            recording_ref: row.col("recording_ref")?,
        }))
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn calls_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(DateTime<Utc>, Option<u32>)>> {
        let rows = D::query(
            "SELECT started_at, duration_seconds FROM ticket_calls WHERE started_at >= $1 AND started_at < $2",
        )
        .arg(from)
        .arg(to)
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|row| {
                let duration: Option<i64> = row.col("duration_seconds")?;
                Ok((row.col("ticket_calls.started_at")?, duration.and_then(|d| u32::try_from(d).ok())))
            })
            .collect()
    }
}
