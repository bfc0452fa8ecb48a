//! [`Store`] on an embedded SQLite file, the default for a single server instance.
//!
//! - The file (and its directory) is created on first open. WAL journal with
//!   `synchronous=FULL`, so a committed ticket (a 201 sent to the client) survives a SIGKILL or
//!   power cut; `foreign_keys=ON`; a busy timeout instead of immediate `SQLITE_BUSY`.
//! - Write transactions start with `BEGIN IMMEDIATE`: they take the write lock up front, so two
//!   transactions never both read and then deadlock upgrading to write. SQLite has one writer
//!   at a time, which also makes `seq` (AUTOINCREMENT) order the commit order.
//! - Ids are hyphenated UUID text, timestamps fixed-width UTC text (see
//!   `codec::ts_text`), boundaries GeoJSON text, code lists JSON arrays.
//!
//! One file per topic, each a set of functions over the pool: `reference` data, `tickets`,
//! the events `outbox`, `accounts` and `open311` (ticket extras, events by time); the [`Store`]
//! impl here only maps onto them.

mod accounts;
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

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use uuid::Uuid;

use super::codec::{parse_opt_ts, parse_ts, parse_uuid};
use super::{ApiKey, Backend, Created, IdempotencyKey, NewTicketRecord, NewUser, StoreResult};
use crate::domain::{
    Area, Category, EventKind, ReporterContact, RoutingRule, Ticket, TicketCode, TicketEvent, TicketExtras, TicketId,
    Unit, User,
};

/// The SQLite store: a cheap-to-clone handle over a connection pool.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing, with its parent directory) the database at `url`
    /// (`sqlite:PATH`, or `sqlite::memory:` for a throwaway store) and runs the migrations in
    /// `migrations/sqlite`.
    pub async fn open(url: &str) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("parsing SQLite URL {url:?}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let mut pool_options = SqlitePoolOptions::new().max_connections(8);
        if in_memory {
            // The database lives as long as one connection to it: keep one open forever.
            pool_options = pool_options.min_connections(1).idle_timeout(None).max_lifetime(None);
        } else if let Some(dir) = options.get_filename().parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir)
                .await
                .with_context(|| format!("creating the directory {} for the SQLite database", dir.display()))?;
        }
        let pool =
            pool_options.connect_with(options).await.with_context(|| format!("opening SQLite database {url:?}"))?;
        sqlx::migrate!("migrations/sqlite")
            .run(&pool)
            .await
            .with_context(|| format!("migrating SQLite database {url:?}"))?;
        Ok(Self { pool })
    }

    /// Wraps a pool whose database is already migrated (no migrations are run).
    pub fn from_pool(pool: SqlitePool) -> Self {
        Self { pool }
    }

    /// The pool, e.g. for maintenance (`PRAGMA wal_checkpoint`, backups).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// A write transaction holding SQLite's write lock from its first statement.
async fn begin_write(pool: &SqlitePool) -> StoreResult<sqlx::Transaction<'static, sqlx::Sqlite>> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

// Column readers for the topic files; `table.column` names where bad stored data came from.

fn ts(row: &SqliteRow, table: &str, column: &str) -> StoreResult<DateTime<Utc>> {
    let s: &str = row.try_get(column)?;
    parse_ts(s, &format!("{table}.{column}"))
}

fn opt_ts(row: &SqliteRow, table: &str, column: &str) -> StoreResult<Option<DateTime<Utc>>> {
    let s: Option<&str> = row.try_get(column)?;
    parse_opt_ts(s, &format!("{table}.{column}"))
}

fn uuid(row: &SqliteRow, table: &str, column: &str) -> StoreResult<Uuid> {
    let s: &str = row.try_get(column)?;
    parse_uuid(s, &format!("{table}.{column}"))
}

super::delegate::delegate_store!(SqliteStore, Backend::Sqlite, "sqlite");
