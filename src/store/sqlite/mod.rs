//! The store on an embedded SQLite file, the default for a single server instance: the SQLite
//! [`Dialect`] of the shared store code, and how its values are stored.
//!
//! - The file (and its directory) is created on first open. WAL journal with
//!   `synchronous=FULL`, so a committed ticket (a 201 sent to the client) survives a SIGKILL or
//!   power cut; `foreign_keys=ON`; a busy timeout instead of immediate `SQLITE_BUSY`.
//! - Every write goes through one writer (`writer.rs`): one connection, a fair queue, group
//!   commit (the writes that queued share one `COMMIT`, each answered once it is committed).
//!   Its batches start with `BEGIN IMMEDIATE`, so the write lock is taken up front. One writer
//!   at a time also makes `seq` (AUTOINCREMENT) order the commit order, serialises claims and
//!   needs no row locks. Reads use the other pooled connections and never wait for it (WAL).
//! - The WAL is copied back into the file by a task of the store (`checkpoint.rs`), not by
//!   whichever commit crosses SQLite's threshold.
//! - Ids are hyphenated UUID text, timestamps fixed-width UTC text (`codec::ts_text`), dates
//!   `YYYY-MM-DD`, boundaries GeoJSON text, JSON and code lists JSON text.

mod checkpoint;
mod writer;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use geo::MultiPolygon;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Connection as _, Executor, Pool, Row, Sqlite};
use uuid::Uuid;

use super::codec::{
    geojson_text, json_list, parse_geojson, parse_json, parse_json_list, parse_ts, parse_uuid, ts_text,
};
use super::sql::{self, Arg, ArgFor, ColFor, Dialect, Query, SqlStore, column_of};
use super::{Backend, EventWake, StoreError, StoreResult};
pub use writer::{MAX_BATCH, WriteTx, Writer};

/// The SQLite store.
pub type SqliteStore = SqlStore<Sqlite>;

/// Rows buffered between a connection's thread and its reader (sqlx's default is 50).
const ROW_BUFFER: usize = 1024;

impl SqlStore<Sqlite> {
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
            .busy_timeout(Duration::from_secs(10))
            // Savepoint journals (every write of the writer's batch is a savepoint) and
            // temporary tables in memory, not in temporary files written page by page.
            .pragma("temp_store", "memory")
            // The rows a statement returns come back from the connection's thread through a
            // bounded channel; past it the thread stops until the reader takes some, a thread
            // switch each time. Big enough for a filing's or the follower's rows at once.
            .row_buffer_size(ROW_BUFFER)
            // Checkpoints are the store's task's (`checkpoint.rs`), never a commit's.
            .pragma("wal_autocheckpoint", "0");
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let mut pool_options = SqlitePoolOptions::new().max_connections(8);
        if in_memory {
            // The database lives as long as one connection to it: keep one open forever.
            pool_options = pool_options.min_connections(1).idle_timeout(None).max_lifetime(None);
        } else {
            // A COMMIT that fails (the disk is full: SQLITE_FULL) is rolled back by SQLite itself,
            // but sqlx still counts the transaction as open on that connection, and every later
            // BEGIN on it fails. Such a connection is closed when it comes back to the pool, which
            // opens a fresh one; the ping first lets the connection finish a queued rollback.
            pool_options = pool_options.after_release(|conn, _| {
                Box::pin(async move {
                    conn.ping().await?;
                    Ok(!conn.is_in_transaction())
                })
            });
        }
        if !in_memory && let Some(dir) = options.get_filename().parent().filter(|d| !d.as_os_str().is_empty()) {
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
        let store = Self::from_pool(pool);
        if !in_memory {
            checkpoint::spawn(store.pool.clone(), &store.writer);
        }
        Ok(store)
    }
}

impl Dialect for Sqlite {
    const BACKEND: Backend = Backend::Sqlite;
    const LOG_NAME: &'static str = "sqlite";
    const BYTEWISE: &'static str = "";
    const FOR_UPDATE: &'static str = "";
    const SKIP_LOCKED: &'static str = "";
    const GEOM: &'static str = "geometry";
    const GEOM_OUT: &'static str = "geometry";
    /// Even and odd rowids: both halves walk the table in rowid order (pages in file order),
    /// where a range of the text ids would go through their index and fetch each row apart.
    const HALVES: [&'static str; 2] = ["rowid % 2 = 0", "rowid % 2 = 1"];

    fn geom_in(n: usize) -> String {
        format!("${n}")
    }

    /// The list is one JSON array parameter, so any number of items fits within SQLite's
    /// parameter limit.
    fn in_list(column: &str, n: usize) -> String {
        format!("{column} IN (SELECT value FROM json_each(${n}))")
    }

    /// `?`: SQLite numbers it one past the highest parameter before it, so a statement made
    /// only of these is numbered like `$1, $2, …`. Binding a named parameter (`$n`) looks its
    /// name up in a list, which makes binding the thousand parameters of a multi-row `INSERT`
    /// quadratic.
    fn next_param(_: usize) -> String {
        "?".to_owned()
    }

    type Writer = Writer;
    type WriteTx = WriteTx;

    /// A write of the one writer's batch (`writer.rs`), which began with `BEGIN IMMEDIATE`.
    async fn begin_write(pool: &SqlitePool, writer: &Arc<Writer>) -> sqlx::Result<WriteTx> {
        writer.begin(pool).await
    }

    async fn lock_outbox(_: &mut SqliteConnection, _: i64) -> sqlx::Result<()> {
        Ok(())
    }

    async fn announce(_: &mut SqliteConnection, _: i64) -> sqlx::Result<()> {
        Ok(())
    }

    /// One instance writes a SQLite file, and it wakes its own follower: no watcher.
    fn watch_events(_: &SqlitePool, _: EventWake) -> Option<tokio::task::JoinHandle<()>> {
        None
    }

    fn conn(conn: &mut SqliteConnection) -> impl Executor<'_, Database = Sqlite> {
        conn
    }

    fn pool(pool: &Pool<Sqlite>) -> impl Executor<'_, Database = Sqlite> {
        pool
    }

    fn bind<'v, T: Arg<'v>>(query: Query<'_, Sqlite>, value: T) -> Query<'_, Sqlite> {
        query.bind(ArgFor::<'v, Sqlite>::into_arg(value))
    }
}

sql::as_is!(impl [] Sqlite; args: ; cols: i64);

/// Values stored as text: `Self` → `text(self)`.
macro_rules! as_text {
    ($($t:ty => $text:expr),* $(,)?) => {
        $(impl ArgFor<'_, Sqlite> for $t {
            type Out = String;
            fn into_arg(self) -> String {
                ($text)(self)
            }
        })*
    };
}

as_text!(
    DateTime<Utc> => ts_text,
    Uuid => |u: Uuid| u.to_string(),
    NaiveDate => |d: NaiveDate| d.format("%Y-%m-%d").to_string(),
    Vec<String> => |items: Vec<String>| json_list(&items),
    Vec<Uuid> => |ids: Vec<Uuid>| json_list(&ids.iter().map(Uuid::to_string).collect::<Vec<_>>()),
    &MultiPolygon<f64> => geojson_text,
);

/// Values read from text with a parser that names the column: `Self` ← `parse(text, label)`.
macro_rules! from_text {
    ($($t:ty => $parse:expr),* $(,)?) => {
        $(impl ColFor<Sqlite> for $t {
            fn from_row(row: &SqliteRow, label: &str) -> StoreResult<Self> {
                let text: &str = row.try_get(column_of(label))?;
                ($parse)(text, label)
            }
        })*
    };
}

from_text!(
    DateTime<Utc> => parse_ts,
    Uuid => parse_uuid,
    NaiveDate => |s: &str, label: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("{label}: bad date {s:?} ({e})"))),
    serde_json::Value => parse_json,
    Vec<String> => parse_json_list,
    MultiPolygon<f64> => parse_geojson,
);
