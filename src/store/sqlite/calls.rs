//! Phone calls of the console's intake: one row per ticket taken by phone, apart from the
//! ticket (personal data, never in events).

use sqlx::Row;
use sqlx::sqlite::SqlitePool;

use super::ts;
use crate::domain::{CallRecord, TicketId};
use crate::store::codec::ts_text;
use crate::store::{StoreError, StoreResult};

/// Inserts or replaces the call of ticket `id`; no such ticket → [`StoreError::NotFound`].
#[tracing::instrument(skip_all, fields(backend = "sqlite", %id))]
pub(super) async fn put_call(pool: &SqlitePool, id: TicketId, call: &CallRecord) -> StoreResult<()> {
    let done = sqlx::query(
        "INSERT INTO ticket_calls (ticket_id, started_at, duration_seconds, recording_ref) \
         SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM tickets WHERE id = ?1) \
         ON CONFLICT (ticket_id) DO UPDATE SET started_at = excluded.started_at, \
         duration_seconds = excluded.duration_seconds, recording_ref = excluded.recording_ref",
    )
    .bind(id.0.to_string())
    .bind(ts_text(call.started_at))
    .bind(call.duration_seconds.map(i64::from))
    .bind(&call.recording_ref)
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("ticket {id}")));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(backend = "sqlite", %id))]
pub(super) async fn call(pool: &SqlitePool, id: TicketId) -> StoreResult<Option<CallRecord>> {
    let row = sqlx::query("SELECT started_at, duration_seconds, recording_ref FROM ticket_calls WHERE ticket_id = ?1")
        .bind(id.0.to_string())
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let duration: Option<i64> = row.try_get("duration_seconds")?;
    Ok(Some(CallRecord {
        started_at: ts(&row, "ticket_calls", "started_at")?,
        duration_seconds: duration
            .map(|d| u32::try_from(d).map_err(|_| StoreError::Corrupt(format!("ticket_calls.duration_seconds: {d}"))))
            .transpose()?,
        recording_ref: row.try_get("recording_ref")?,
    }))
}
