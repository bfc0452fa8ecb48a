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
//! the events `outbox` and `accounts`; the [`Store`] impl here only maps onto them.

mod accounts;
mod outbox;
mod reference;
mod tickets;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use uuid::Uuid;

use super::codec::{parse_opt_ts, parse_ts, parse_uuid};
use super::{ApiKey, Backend, Created, IdempotencyKey, NewTicketRecord, NewUser, Store, StoreResult};
use crate::domain::{
    Area, Category, ReporterContact, RoutingRule, Ticket, TicketCode, TicketEvent, TicketId, Unit, User,
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

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    // ---- reference data -------------------------------------------------------------------

    async fn upsert_areas(&self, areas: &[Area]) -> StoreResult<()> {
        reference::upsert_areas(&self.pool, areas).await
    }

    async fn areas(&self) -> StoreResult<Vec<Area>> {
        reference::areas(&self.pool).await
    }

    async fn upsert_categories(&self, categories: &[Category]) -> StoreResult<()> {
        reference::upsert_categories(&self.pool, categories).await
    }

    async fn categories(&self) -> StoreResult<Vec<Category>> {
        reference::categories(&self.pool).await
    }

    async fn upsert_units(&self, units: &[Unit]) -> StoreResult<()> {
        reference::upsert_units(&self.pool, units).await
    }

    async fn units(&self) -> StoreResult<Vec<Unit>> {
        reference::units(&self.pool).await
    }

    async fn replace_routing_rules(&self, rules: &[RoutingRule]) -> StoreResult<()> {
        reference::replace_routing_rules(&self.pool, rules).await
    }

    async fn routing_rules(&self) -> StoreResult<Vec<RoutingRule>> {
        reference::routing_rules(&self.pool).await
    }

    // ---- tickets --------------------------------------------------------------------------

    async fn create_ticket(&self, new: NewTicketRecord, idem: Option<IdempotencyKey>) -> StoreResult<Created> {
        tickets::create_ticket(&self.pool, new, idem).await
    }

    async fn ticket(&self, id: TicketId) -> StoreResult<Option<Ticket>> {
        tickets::ticket(&self.pool, id).await
    }

    async fn ticket_by_code(&self, code: &TicketCode) -> StoreResult<Option<Ticket>> {
        tickets::ticket_by_code(&self.pool, code).await
    }

    async fn tickets_by_ids(&self, ids: &[TicketId]) -> StoreResult<Vec<Ticket>> {
        tickets::tickets_by_ids(&self.pool, ids).await
    }

    async fn all_tickets(&self) -> StoreResult<Vec<Ticket>> {
        tickets::all_tickets(&self.pool).await
    }

    async fn contact(&self, id: TicketId) -> StoreResult<Option<ReporterContact>> {
        tickets::contact(&self.pool, id).await
    }

    async fn token_hash(&self, id: TicketId) -> StoreResult<Option<Vec<u8>>> {
        tickets::token_hash(&self.pool, id).await
    }

    async fn replace_token_hash(&self, id: TicketId, token_hash: &[u8]) -> StoreResult<()> {
        tickets::replace_token_hash(&self.pool, id, token_hash).await
    }

    async fn update_ticket(
        &self,
        ticket: &Ticket,
        expected_version: i64,
        event: TicketEvent,
    ) -> StoreResult<TicketEvent> {
        tickets::update_ticket(&self.pool, ticket, expected_version, event).await
    }

    // ---- events ---------------------------------------------------------------------------

    async fn events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<TicketEvent>> {
        outbox::events_after(&self.pool, after, limit).await
    }

    async fn ticket_events(&self, id: TicketId) -> StoreResult<Vec<TicketEvent>> {
        outbox::ticket_events(&self.pool, id).await
    }

    async fn last_seq(&self) -> StoreResult<i64> {
        outbox::last_seq(&self.pool).await
    }

    // ---- users, sessions, API keys --------------------------------------------------------

    async fn create_user(&self, new: NewUser) -> StoreResult<()> {
        accounts::create_user(&self.pool, new).await
    }

    async fn user_by_name(&self, name: &str) -> StoreResult<Option<(User, String)>> {
        accounts::user_by_name(&self.pool, name).await
    }

    async fn users(&self) -> StoreResult<Vec<User>> {
        accounts::users(&self.pool).await
    }

    async fn create_session(&self, token_hash: &[u8], user_id: Uuid, expires_at: DateTime<Utc>) -> StoreResult<()> {
        accounts::create_session(&self.pool, token_hash, user_id, expires_at).await
    }

    async fn session_user(&self, token_hash: &[u8], now: DateTime<Utc>) -> StoreResult<Option<User>> {
        accounts::session_user(&self.pool, token_hash, now).await
    }

    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()> {
        accounts::delete_session(&self.pool, token_hash).await
    }

    async fn create_api_key(&self, key: &ApiKey, key_hash: &[u8]) -> StoreResult<()> {
        accounts::create_api_key(&self.pool, key, key_hash).await
    }

    async fn api_key(&self, key_hash: &[u8]) -> StoreResult<Option<ApiKey>> {
        accounts::api_key(&self.pool, key_hash).await
    }
}
