//! Durable storage behind one interface, [`Store`]: PostGIS ([`postgres::PgStore`]) for
//! production and embedded SQLite ([`sqlite::SqliteStore`]) for a single instance. Both pass the
//! same conformance suite (`tests/it/store_conformance/`).
//!
//! [`open`] picks the store from a database URL and migrates its schema.
//!
//! The store is split by aggregate, one trait and one file each: [`ReferenceStore`],
//! [`TicketStore`] (tickets and their events outbox), [`AccountStore`], [`Open311Store`],
//! [`PhotoStore`], [`ChannelStore`], [`NotificationStore`], [`CallStore`], [`DirectionStore`], [`CameraStore`],
//! [`PlanningStore`], [`ProcedureStore`], [`ConversationStore`], [`PressStore`], [`AppointmentStore`] and [`QueueStore`]; [`Store`] is all of them (plus [`Health`]), so code can hold an
//! `Arc<dyn Store>` or just the narrow `Arc<dyn TicketStore>` it needs. Each trait is implemented
//! once, in its file, for [`sql::SqlStore`] over either database: the SQL text and row mapping
//! are written once, and what the two databases do differently is their [`sql::Dialect`]
//! (`postgres/mod.rs`, `sqlite/mod.rs`). Schemas are plain SQL per backend (`migrations/`).
//!
//! Rules every implementation keeps:
//! - A ticket change and its event commit in one transaction; the event's `seq` strictly
//!   increases in commit order of the events table (bigserial / AUTOINCREMENT).
//! - The event's `data` is the ticket as stored (`serde_json::to_value(&ticket)`), never the
//!   reporter's contact, which lives in its own table and is returned only by
//!   [`TicketStore::contact`] (the tracking-token hash likewise only by
//!   [`TicketStore::token_hash`]).
//! - Timestamps are kept to the microsecond (finer instants are truncated), so both backends
//!   return identical values; `create_ticket`/`update_ticket` return what was stored.
//! - Ticket codes are numbered per prefix inside the insert transaction (`code_counters`).
//! - Spatial queries over tickets are answered by the in-memory R-tree, not here; the store
//!   fetches tickets by id ([`TicketStore::tickets_by_ids`]) in the order asked for.
//! - Lists of reference data and users come back sorted by code / name (bytewise).

pub mod accounts;
pub mod appointments;
pub mod backup;
pub mod calls;
pub mod cameras;
pub mod channel_photos;
pub mod channels;
pub(crate) mod codec;
pub mod conversations;
pub mod desk;
pub mod directions;
pub mod filing;
pub mod notifications;
pub mod open311;
mod outbox;
pub mod photos;
pub mod planning;
pub mod postgres;
pub mod press;
pub mod priority;
pub mod procedures;
pub mod queue;
pub mod reference;
pub mod sql;
pub mod sqlite;
pub mod staff;
pub mod supporters;
pub mod ticket_rows;
pub mod tickets;

use std::sync::Arc;

use anyhow::Context as _;

use crate::domain::TicketId;

pub use accounts::{AccountStore, ApiKey, NewUser};
pub use appointments::AppointmentStore;
pub use calls::CallStore;
pub use cameras::CameraStore;
pub use channel_photos::ChannelPhotoStore;
pub use channels::{Accepted, ChannelMessage, ChannelStore, InboundMessage};
pub use conversations::ConversationStore;
pub use desk::DeskStore;
pub use directions::{DirectionFilter, DirectionStore};
pub use filing::{Created, IdempotencyKey, NewTicketItem, NewTicketRecord};
pub use notifications::{DeliveryOutcome, NewNotification, Notification, NotificationBacklog, NotificationStore};
pub use open311::Open311Store;
pub use photos::{AddedPhotos, NewTicketPhoto, PhotoStore};
pub use planning::{PlanningRevision, PlanningStore};
pub use press::PressStore;
pub use procedures::{ProcedureImport, ProcedureStore};
pub use queue::QueueStore;
pub use reference::ReferenceStore;
pub use sql::{Health, PoolUse};
pub use staff::{StaffStore, StoredReport};
pub use supporters::SupporterStore;
pub use tickets::{TICKET_BATCH, TicketStore};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Optimistic concurrency: the ticket changed since it was read.
    #[error("ticket {0} was changed by someone else; reload and retry")]
    VersionConflict(TicketId),
    /// The same idempotency key was used with a different request.
    #[error("idempotency key was already used for a different request")]
    IdempotencyMismatch,
    /// [`StoreError::IdempotencyMismatch`] for the item at this index of a filing of many.
    #[error("the idempotency key of item {0} was already used for a different request")]
    IdempotencyMismatchAt(usize),
    /// A unique name is taken (user names, API key names).
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// The caller broke a precondition of the call (e.g. an event for another ticket, or a
    /// ticket whose `version` is not `expected_version + 1`): a bug, not bad user input.
    #[error("invalid store request: {0}")]
    Invalid(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// Whether the failure is the database's state rather than the request's: no connection
    /// (restarting, unreachable, pool exhausted), busy, or out of disk. Nothing was committed,
    /// and the same request may succeed later (a 503 with `Retry-After`, not a 500).
    pub fn is_transient(&self) -> bool {
        let StoreError::Db(e) = self else { return false };
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => true,
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                // PostgreSQL: connection exceptions (08…), shutting down or starting (57P01-3),
                // out of resources such as disk (53…), serialization and deadlock (40001, 40P01).
                // SQLite: BUSY (5), LOCKED (6), IOERR (10), FULL (13), with their extended codes.
                let sqlite = code.parse::<u32>().ok().map(|c| c & 0xff);
                code.starts_with("08")
                    || code.starts_with("53")
                    || matches!(&*code, "57P01" | "57P02" | "57P03" | "40001" | "40P01")
                    || matches!(sqlite, Some(5 | 6 | 10 | 13))
            }
            _ => false,
        }
    }
}

/// Called by a store's event watcher ([`TicketStore::watch_events`]) to wake the outbox follower.
pub type EventWake = std::sync::Arc<dyn Fn() + Send + Sync>;

/// Where the store lives when no database URL is given: an SQLite file, created on first run.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:./data/switchboard.db";

/// Opens the store a database URL names and brings its schema up to date:
/// `postgres://…` or `postgresql://…` → [`postgres::PgStore`]; `sqlite:…` →
/// [`sqlite::SqliteStore`]; `None` → [`DEFAULT_DATABASE_URL`]. Any other scheme is an error.
pub async fn open(database_url: Option<&str>) -> anyhow::Result<Arc<dyn Store>> {
    let url = database_url.unwrap_or(DEFAULT_DATABASE_URL);
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PgStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::open(url).await?))
    } else {
        let scheme = url.split_once(':').map_or(url, |(s, _)| s);
        Err(anyhow::anyhow!(
            "unsupported database URL scheme {scheme:?}: use postgres://USER@HOST/DB (PostGIS) or sqlite:PATH"
        ))
        .context("opening the store")
    }
}

/// `url` with any password replaced by `***`, for error messages and logs.
pub(crate) fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// The whole store: every aggregate's trait. Implemented for every type that implements them
/// all; an `Arc<dyn Store>` upcasts to any narrower `Arc<dyn TicketStore>`, `Arc<dyn CameraStore>`, ….
pub trait Store:
    Health
    + ReferenceStore
    + TicketStore
    + AccountStore
    + Open311Store
    + PhotoStore
    + ChannelStore
    + NotificationStore
    + CallStore
    + DirectionStore
    + StaffStore
    + CameraStore
    + PlanningStore
    + ProcedureStore
    + ConversationStore
    + PressStore
    + DeskStore
    + SupporterStore
    + ChannelPhotoStore
    + AppointmentStore
    + QueueStore
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: Health
        + ReferenceStore
        + TicketStore
        + AccountStore
        + Open311Store
        + PhotoStore
        + ChannelStore
        + NotificationStore
        + CallStore
        + DirectionStore
        + StaffStore
        + CameraStore
        + PlanningStore
        + ProcedureStore
        + ConversationStore
        + PressStore
        + DeskStore
        + SupporterStore
        + ChannelPhotoStore
        + AppointmentStore
        + QueueStore
        + Send
        + Sync
        + 'static
{
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_url_hides_only_the_password() {
        assert_eq!(redact_url("postgres://sb:s3cret@db:5432/sb?x=1"), "postgres://sb:***@db:5432/sb?x=1");
        assert_eq!(redact_url("postgres://postgres@127.0.0.1/sb"), "postgres://postgres@127.0.0.1/sb");
        assert_eq!(redact_url("sqlite:./data/switchboard.db"), "sqlite:./data/switchboard.db");
    }

    #[tokio::test]
    async fn open_refuses_an_unknown_scheme_naming_it() {
        let err = open(Some("mysql://localhost/sb")).await.err().expect("mysql is not supported");
        assert!(format!("{err:#}").contains("\"mysql\""), "{err:#}");
    }
}

#[cfg(test)]
mod transient_tests {
    use super::StoreError;

    #[test]
    fn a_lost_or_busy_database_is_transient_and_a_bug_is_not() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        for e in [sqlx::Error::PoolTimedOut, sqlx::Error::PoolClosed, sqlx::Error::Io(io)] {
            assert!(StoreError::Db(e).is_transient());
        }
        assert!(!StoreError::Db(sqlx::Error::RowNotFound).is_transient());
        assert!(!StoreError::Corrupt("x".into()).is_transient());
    }
}
