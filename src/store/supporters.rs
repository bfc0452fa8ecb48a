//! [`SupporterStore`]: citizens who support an open report ("me too"). Each supporter is a row
//! apart from the ticket (their contact is personal data); the ticket counts them, and the count
//! moves with a `supported` event like every other change, in the same transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::codec::normalise_ticket;
use super::outbox::append_event;
use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore, WriteTransaction};
use super::ticket_rows::{bind_ticket_fields, ticket_from_row};
use super::tickets::UPDATE_TICKET;
use super::{StoreError, StoreResult};
use crate::domain::{ReporterContact, Ticket, TicketEvent, TicketId};

/// A supporter as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supporter {
    pub id: Uuid,
    pub ticket: TicketId,
    /// Their contact, if they left one (personal data).
    pub contact: ReporterContact,
    /// Where they supported from (`portal`, `console`, …).
    pub channel: String,
    pub created_at: DateTime<Utc>,
}

/// A supporter to add: `dedupe` makes the same citizen count once (their idempotency key, or
/// their number or address); `token_hash` is the SHA-256 of the token they may add photos with.
#[derive(Debug, Clone)]
pub struct NewSupporter {
    pub supporter: Supporter,
    pub dedupe: String,
    pub token_hash: Vec<u8>,
}

#[async_trait]
pub trait SupporterStore: Send + Sync {
    /// Adds a supporter and writes `ticket` (its new state, at `expected_version + 1`) with its
    /// event, in one transaction. `Ok(None)` when this supporter (`dedupe`) supported the
    /// ticket before: nothing is written. [`StoreError::VersionConflict`] when the ticket moved
    /// on meanwhile (nothing is written either).
    async fn add_supporter(
        &self,
        ticket: &Ticket,
        expected_version: i64,
        event: TicketEvent,
        supporter: &NewSupporter,
    ) -> StoreResult<Option<TicketEvent>>;
    /// The ticket's supporters, the first first.
    async fn supporters(&self, ticket: TicketId) -> StoreResult<Vec<Supporter>>;
    /// Whether `token_hash` is that of one of the ticket's supporters.
    async fn supporter_token_matches(&self, ticket: TicketId, token_hash: &[u8]) -> StoreResult<bool>;
}

#[async_trait]
impl<D: Dialect> SupporterStore for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, id = %ticket.id))]
    async fn add_supporter(
        &self,
        ticket: &Ticket,
        expected_version: i64,
        event: TicketEvent,
        s: &NewSupporter,
    ) -> StoreResult<Option<TicketEvent>> {
        if ticket.version != expected_version + 1 {
            return Err(StoreError::Invalid(format!(
                "ticket {} is not at version {}",
                ticket.id,
                expected_version + 1
            )));
        }
        let ticket = normalise_ticket(ticket.clone());
        let mut tx = self.begin_write().await?;
        let c = &s.supporter.contact;
        let fresh = D::query(
            "INSERT INTO ticket_supporters (id, ticket_id, dedupe, name, phone, email, channel, token_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (ticket_id, dedupe) DO NOTHING",
        )
        .arg(s.supporter.id)
        .arg(ticket.id)
        .arg(s.dedupe.as_str())
        .arg(c.name.as_deref())
        .arg(c.phone.as_deref())
        .arg(c.email.as_deref())
        .arg(s.supporter.channel.as_str())
        .arg(s.token_hash.as_slice())
        .arg(s.supporter.created_at)
        .execute(D::conn(&mut tx))
        .await?;
        if fresh.rows() == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        let row = bind_ticket_fields(D::query(UPDATE_TICKET), &ticket)
            .arg(ticket.id)
            .arg(expected_version)
            .fetch_optional(D::conn(&mut tx))
            .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Err(StoreError::VersionConflict(ticket.id));
        };
        let stored = ticket_from_row(&row)?;
        let event = append_event::<D>(&mut tx, &stored, event).await?;
        tx.commit().await?;
        Ok(Some(event))
    }

    async fn supporters(&self, ticket: TicketId) -> StoreResult<Vec<Supporter>> {
        let rows = D::query(
            "SELECT id, ticket_id, name, phone, email, channel, created_at FROM ticket_supporters \
             WHERE ticket_id = $1 ORDER BY created_at, id",
        )
        .arg(ticket)
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Supporter {
                    id: r.col("ticket_supporters.id")?,
                    ticket: TicketId(r.col("ticket_supporters.ticket_id")?),
                    contact: ReporterContact { name: r.col("name")?, phone: r.col("phone")?, email: r.col("email")? },
                    channel: r.col("channel")?,
                    created_at: r.col("ticket_supporters.created_at")?,
                })
            })
            .collect()
    }

    async fn supporter_token_matches(&self, ticket: TicketId, token_hash: &[u8]) -> StoreResult<bool> {
        let row = D::query("SELECT 1 AS one FROM ticket_supporters WHERE ticket_id = $1 AND token_hash = $2")
            .arg(ticket)
            .arg(token_hash)
            .fetch_optional(self.db())
            .await?;
        Ok(row.is_some())
    }
}
