//! [`Store`] on PostgreSQL + PostGIS, for production and several server instances.
//!
//! - Geometry columns are EPSG:4326 with GiST indexes (`areas.geom` MultiPolygon,
//!   `tickets.geom` Point generated from `lon`/`lat`), so QGIS opens the tables directly.
//!   Boundaries travel as WKB, which round-trips every `f64` exactly.
//! - Every ticket change and its event commit in one transaction. Event inserts take a
//!   transaction-scoped advisory lock, so `seq` order is also commit order: a follower reading
//!   `seq > N` never misses an event that commits later with a smaller `seq`.
//! - Each event is announced with `pg_notify('switchboard_events', seq)` inside its
//!   transaction (delivered on commit). NOTIFY is only a wake-up call; followers read the
//!   outbox after their last `seq`.
//! - Timestamps are `timestamptz`, kept to the microsecond.
//!
//! One file per topic, each a set of functions over the pool: `reference` data, `tickets`,
//! the events `outbox`, `accounts` and `open311` (ticket extras, events by time); the [`Store`]
//! impl here only maps onto them.

mod accounts;
mod boundary;
mod calls;
mod cameras;
mod open311;
mod outbox;
mod photos;
mod planning;
mod reference;
mod tickets;

mod channels;
mod notifications;

use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgPool, PgPoolOptions};
use uuid::Uuid;

pub use outbox::EVENTS_CHANNEL;

use super::{ApiKey, Backend, Created, IdempotencyKey, NewTicketRecord, NewUser, StoreResult, redact_url};
use crate::domain::{
    Area, Category, EventKind, ReporterContact, RoutingRule, Ticket, TicketCode, TicketEvent, TicketExtras, TicketId,
    Unit, User,
};

/// The PostGIS store: a cheap-to-clone handle over a connection pool.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://…`) and runs the migrations in `migrations/postgres`
    /// (the first one creates the `postgis` extension, which needs the right to do so).
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .with_context(|| format!("connecting to PostgreSQL at {}", redact_url(url)))?;
        sqlx::migrate!("migrations/postgres")
            .run(&pool)
            .await
            .with_context(|| format!("migrating PostgreSQL database {}", redact_url(url)))?;
        Ok(Self { pool })
    }

    /// Wraps a pool whose database is already migrated (no migrations are run).
    pub fn from_pool(pool: PgPool) -> Self {
        Self { pool }
    }

    /// The pool, e.g. for a `PgListener` on [`EVENTS_CHANNEL`].
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

super::delegate::delegate_store!(PgStore, Backend::Postgres, "postgres");
