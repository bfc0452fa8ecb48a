//! [`Open311Store`]: what Open311 needs besides tickets — the extras stored with a ticket (media
//! URL, attribute answers; written by `create_ticket`) and the outbox read by time for
//! `servicerequestupdates`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::codec::{enum_str, in_order_of_keyed};
use super::outbox::{EVENT_COLS, event_from_row};
use super::sql::{Bind, Dialect, Get, SqlStore};
use super::{StoreError, StoreResult};
use crate::domain::{EventKind, TicketEvent, TicketExtras, TicketId};

#[async_trait]
pub trait Open311Store: Send + Sync {
    /// The extras of those of `ids` that have any, in the order of `ids`.
    async fn ticket_extras(&self, ids: &[TicketId]) -> StoreResult<Vec<(TicketId, TicketExtras)>>;
    /// Events of the given kinds with `from <= at <= to`, by `seq`, skipping the first
    /// `offset`, at most `limit`.
    async fn events_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        kinds: &[EventKind],
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<TicketEvent>>;
}

#[async_trait]
impl<D: Dialect> Open311Store for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, count = ids.len()))]
    async fn ticket_extras(&self, ids: &[TicketId]) -> StoreResult<Vec<(TicketId, TicketExtras)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql =
            format!("SELECT ticket_id, media_url, attributes FROM ticket_extras WHERE {}", D::in_list("ticket_id", 1));
        let rows = D::query(AssertSqlSafe(sql))
            .arg(ids.iter().map(|id| id.0).collect::<Vec<Uuid>>())
            .fetch_all(self.db())
            .await?;
        let found = rows
            .iter()
            .map(|row| {
                let id = TicketId(row.col("ticket_extras.ticket_id")?);
                let attributes = serde_json::from_value(row.col("ticket_extras.attributes")?)
                    .map_err(|e| StoreError::Corrupt(format!("ticket_extras.attributes of {id}: {e}")))?;
                Ok((id, TicketExtras { media_url: row.col("media_url")?, attributes }))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(in_order_of_keyed(ids, found))
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %from, %to, offset, limit))]
    async fn events_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        kinds: &[EventKind],
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<TicketEvent>> {
        let sql = format!(
            "SELECT {EVENT_COLS} FROM events WHERE at >= $1 AND at <= $2 AND {} ORDER BY seq LIMIT $5 OFFSET $4",
            D::in_list("kind", 3)
        );
        let rows = D::query(AssertSqlSafe(sql))
            .arg(from)
            .arg(to)
            .arg(kinds.iter().map(enum_str).collect::<Vec<String>>())
            .arg(offset.max(0))
            .arg(limit.max(0))
            .fetch_all(self.db())
            .await?;
        rows.iter().map(event_from_row).collect()
    }
}
