//! Phone calls of the console's intake: one row per ticket taken by phone, apart from the
//! ticket (personal data, never in events).

use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgPool;

use crate::domain::{CallRecord, TicketId};
use crate::store::codec::micros;
use crate::store::{StoreError, StoreResult};

/// Inserts or replaces the call of ticket `id`; no such ticket → [`StoreError::NotFound`].
#[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
pub(super) async fn put_call(pool: &PgPool, id: TicketId, call: &CallRecord) -> StoreResult<()> {
    let done = sqlx::query(
        "INSERT INTO ticket_calls (ticket_id, started_at, duration_seconds, recording_ref) \
         SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM tickets WHERE id = $1) \
         ON CONFLICT (ticket_id) DO UPDATE SET started_at = excluded.started_at, \
         duration_seconds = excluded.duration_seconds, recording_ref = excluded.recording_ref",
    )
    .bind(id.0)
    .bind(micros(call.started_at))
    .bind(call.duration_seconds.map(|d| d as i32))
    .bind(&call.recording_ref)
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("ticket {id}")));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(backend = "postgres", %id))]
pub(super) async fn call(pool: &PgPool, id: TicketId) -> StoreResult<Option<CallRecord>> {
    let row = sqlx::query("SELECT started_at, duration_seconds, recording_ref FROM ticket_calls WHERE ticket_id = $1")
        .bind(id.0)
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let started_at: DateTime<Utc> = row.try_get("started_at")?;
    let duration: Option<i32> = row.try_get("duration_seconds")?;
    Ok(Some(CallRecord {
        started_at,
        duration_seconds: duration
            .map(|d| u32::try_from(d).map_err(|_| StoreError::Corrupt(format!("ticket_calls.duration_seconds: {d}"))))
            .transpose()?,
        recording_ref: row.try_get("recording_ref")?,
    }))
}
