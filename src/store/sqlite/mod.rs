//! The store on an embedded SQLite file, the default for a single server instance: the SQLite
//! [`Dialect`] of the shared store code, and how its values are stored.
//!
//! - The file (and its directory) is created on first open. WAL journal with
//!   `synchronous=FULL`, so a committed ticket (a 201 sent to the client) survives a SIGKILL or
//!   power cut; `foreign_keys=ON`; a busy timeout instead of immediate `SQLITE_BUSY`.
//! - Write transactions start with `BEGIN IMMEDIATE`: they take the write lock up front, so two
//!   transactions never both read and then deadlock upgrading to write. SQLite has one writer
//!   at a time, which also makes `seq` (AUTOINCREMENT) order the commit order, serialises
//!   claims and needs no row locks.
//! - Ids are hyphenated UUID text, timestamps fixed-width UTC text (`codec::ts_text`), dates
//!   `YYYY-MM-DD`, boundaries GeoJSON text, JSON and code lists JSON text.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use geo::MultiPolygon;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteQueryResult,
    SqliteRow, SqliteSynchronous,
};
use sqlx::types::Json;
use sqlx::{Encode, Executor, Pool, Row, Sqlite, Transaction, Type, ValueRef as _};
use uuid::Uuid;

use super::codec::{
    geojson_text, json_list, parse_geojson, parse_json, parse_json_list, parse_ts, parse_uuid, ts_text,
};
use super::sql::{Arg, Col, Dialect, Get, Query, RowsAffected, SqlStore, column_of};
use super::{Backend, EventWake, StoreError, StoreResult};
use crate::domain::TicketId;

/// The SQLite store.
pub type SqliteStore = SqlStore<Sqlite>;

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
}

impl Dialect for Sqlite {
    const BACKEND: Backend = Backend::Sqlite;
    const LOG_NAME: &'static str = "sqlite";
    const BYTEWISE: &'static str = "";
    const FOR_UPDATE: &'static str = "";
    const SKIP_LOCKED: &'static str = "";
    const GEOM: &'static str = "geometry";
    const GEOM_OUT: &'static str = "geometry";

    fn geom_in(n: usize) -> String {
        format!("${n}")
    }

    /// The list is one JSON array parameter, so any number of items fits within SQLite's
    /// parameter limit.
    fn in_list(column: &str, n: usize) -> String {
        format!("{column} IN (SELECT value FROM json_each(${n}))")
    }

    /// `BEGIN IMMEDIATE`: the write lock from the first statement.
    async fn begin_write(pool: &SqlitePool) -> sqlx::Result<Transaction<'static, Sqlite>> {
        pool.begin_with("BEGIN IMMEDIATE").await
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
        query.bind(value.sqlite())
    }
}

impl RowsAffected for SqliteQueryResult {
    fn rows(&self) -> u64 {
        self.rows_affected()
    }
}

impl Get for SqliteRow {
    fn col<T: Col>(&self, label: &str) -> StoreResult<T> {
        T::from_sqlite(self, label)
    }
}

/// How a Rust value is bound on SQLite: numbers, text and bytes as themselves; timestamps as
/// fixed-width UTC text, uuids as text, dates as `YYYY-MM-DD`, lists as JSON arrays, boundaries
/// as GeoJSON text.
pub trait SqliteArg<'v> {
    type Out: Encode<'v, Sqlite> + Type<Sqlite> + 'v;
    fn sqlite(self) -> Self::Out;
}

/// How a Rust value is read on SQLite (the inverse of [`SqliteArg`]); text that does not parse
/// is [`StoreError::Corrupt`], naming the column.
pub trait SqliteCol: Sized {
    fn from_sqlite(row: &SqliteRow, label: &str) -> StoreResult<Self>;
}

macro_rules! native {
    (args: $($arg:ty),*; cols: $($col:ty),*) => {
        $(impl SqliteArg<'_> for $arg {
            type Out = Self;
            fn sqlite(self) -> Self {
                self
            }
        })*
        $(impl SqliteCol for $col {
            fn from_sqlite(row: &SqliteRow, label: &str) -> StoreResult<Self> {
                Ok(row.try_get(column_of(label))?)
            }
        })*
    };
}

native!(args: String, i16, i32, i64, f64, bool; cols: String, i64, f64, bool, Vec<u8>);

impl<'v, T: serde::Serialize + 'v> SqliteArg<'v> for Json<T> {
    type Out = Self;
    fn sqlite(self) -> Self {
        self
    }
}

impl<'v> SqliteArg<'v> for &'v str {
    type Out = Self;
    fn sqlite(self) -> Self {
        self
    }
}

impl<'v> SqliteArg<'v> for &'v [u8] {
    type Out = Self;
    fn sqlite(self) -> Self {
        self
    }
}

/// Values stored as text made by a function.
macro_rules! as_text {
    ($($t:ty => $to_text:expr),* $(,)?) => {
        $(impl SqliteArg<'_> for $t {
            type Out = String;
            fn sqlite(self) -> String {
                ($to_text)(self)
            }
        })*
    };
}

as_text!(
    DateTime<Utc> => ts_text,
    Uuid => |u: Uuid| u.to_string(),
    TicketId => |id: TicketId| id.0.to_string(),
    NaiveDate => |d: NaiveDate| d.format("%Y-%m-%d").to_string(),
    Vec<String> => |items: Vec<String>| json_list(&items),
    Vec<Uuid> => |ids: Vec<Uuid>| json_list(&ids.iter().map(Uuid::to_string).collect::<Vec<_>>()),
    &MultiPolygon<f64> => geojson_text,
);

impl<'v, T: SqliteArg<'v>> SqliteArg<'v> for Option<T> {
    type Out = Option<T::Out>;
    fn sqlite(self) -> Self::Out {
        self.map(T::sqlite)
    }
}

/// Values read from text with a parser that names the column.
macro_rules! from_text {
    ($($t:ty => $parse:expr),* $(,)?) => {
        $(impl SqliteCol for $t {
            fn from_sqlite(row: &SqliteRow, label: &str) -> StoreResult<Self> {
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

impl<T: SqliteCol> SqliteCol for Option<T> {
    fn from_sqlite(row: &SqliteRow, label: &str) -> StoreResult<Self> {
        if row.try_get_raw(column_of(label))?.is_null() {
            return Ok(None);
        }
        T::from_sqlite(row, label).map(Some)
    }
}
