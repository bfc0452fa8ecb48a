//! The store written once for both databases: [`SqlStore`] runs the same SQL text and the same
//! row mapping on PostgreSQL and on SQLite, and a [`Dialect`] says what the two do differently.
//!
//! - Placeholders are `$1`, `$2`, … on both: sqlx-sqlite binds `$NNN` by number, like `?NNN`.
//! - Values are bound with [`Bind::arg`] and read with [`Get::col`], which keep each Rust type
//!   the way its backend stores it ([`Arg`], [`Col`]; `values.rs`): `timestamptz` or fixed-width
//!   UTC text, `uuid` or text, `jsonb` or JSON text, `text[]` or a JSON array, a PostGIS geometry
//!   (WKB on the wire) or GeoJSON text, `date` or `YYYY-MM-DD` text.
//! - What stays per backend is the dialect: how a write transaction begins (`BEGIN IMMEDIATE` on
//!   SQLite), the outbox lock and NOTIFY, row locks (`FOR UPDATE [SKIP LOCKED]`), list parameters,
//!   bytewise ordering and the geometry SQL. Schemas stay plain SQL per backend (`migrations/`).

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use async_trait::async_trait;
use sqlx::{Database, Executor, IntoArguments, Pool, SqlSafeStr, Transaction};

use super::{Backend, Store, StoreResult};

mod values;

pub use values::{Arg, ArgFor, Bind, Col, ColFor, Get, RowsAffected};

pub(crate) use values::{as_is, column_of};

/// A query on the dialect's database, its parameters bound with [`Bind::arg`].
pub type Query<'q, D> = sqlx::query::Query<'q, D, <D as Database>::Arguments>;

/// What PostgreSQL and SQLite do differently, for the code written once over both. Implemented
/// for [`sqlx::Postgres`] (`store/postgres`) and [`sqlx::Sqlite`] (`store/sqlite`).
pub trait Dialect: Database<Row: Get, QueryResult: RowsAffected, Arguments: IntoArguments<Self>> {
    const BACKEND: Backend;
    /// The backend's name in tracing spans.
    const LOG_NAME: &'static str;
    /// Follows a text column in `ORDER BY` to sort it bytewise (as the stores promise).
    const BYTEWISE: &'static str;
    /// Ends a `SELECT` of rows its write transaction will change (nothing on SQLite, whose write
    /// transactions exclude each other).
    const FOR_UPDATE: &'static str;
    /// Ends the `SELECT` of a claim, so concurrent claimers skip each other's rows.
    const SKIP_LOCKED: &'static str;
    /// The geometry column of `areas` and `planning_zones`.
    const GEOM: &'static str;
    /// That column as selected, named `geometry` (read it as a [`geo::MultiPolygon`]).
    const GEOM_OUT: &'static str;
    /// Conditions splitting a table's rows into two halves that two connections stream at once
    /// (a full read of `tickets` at start-up): each half read in the order the rows lie on disk.
    const HALVES: [&'static str; 2];

    /// SQL for a geometry made from parameter `$n` (bound as a `&MultiPolygon`).
    fn geom_in(n: usize) -> String;
    /// SQL that is true when `column` is in the list parameter `$n` (bound as a `Vec`).
    fn in_list(column: &str, n: usize) -> String;
    /// Parameter `n` (from 1) of a statement whose parameters all come in order, as [`values`]
    /// writes them: `$n`, or what binds faster on this database.
    fn next_param(n: usize) -> String;

    /// What serialises this database's writes beside its pool (SQLite's one writer; nothing on
    /// PostgreSQL, whose writers lock rows).
    type Writer: Default + Send + Sync + std::fmt::Debug + 'static;
    /// A write transaction: statements run on `&mut *tx`.
    type WriteTx: WriteTransaction + DerefMut<Target = Self::Connection> + Send;
    /// Begins a transaction that will write.
    fn begin_write(
        pool: &Pool<Self>,
        writer: &Arc<Self::Writer>,
    ) -> impl Future<Output = sqlx::Result<Self::WriteTx>> + Send;
    /// Serialises the inserts into one outbox (`key` names it) until the transaction ends, so
    /// `seq` order is commit order.
    fn lock_outbox(conn: &mut Self::Connection, key: i64) -> impl Future<Output = sqlx::Result<()>> + Send;
    /// Announces a ticket event to other instances when its transaction commits.
    fn announce(conn: &mut Self::Connection, seq: i64) -> impl Future<Output = sqlx::Result<()>> + Send;
    /// Listens for the events other instances announce (see [`super::TicketStore::watch_events`]).
    fn watch_events(pool: &Pool<Self>, wake: super::EventWake) -> Option<tokio::task::JoinHandle<()>>;

    /// A connection (or an open transaction) to run queries on.
    fn conn(conn: &mut Self::Connection) -> impl Executor<'_, Database = Self>;
    /// The pool to run queries on.
    fn pool(pool: &Pool<Self>) -> impl Executor<'_, Database = Self>;
    /// Binds the next parameter the way this backend stores it.
    fn bind<'v, T: Arg<'v>>(query: Query<'_, Self>, value: T) -> Query<'_, Self>;

    /// A query on this database (its parameters `$1`, `$2`, … on both).
    fn query(sql: impl SqlSafeStr) -> Query<'static, Self> {
        sqlx::query(sql)
    }
}

/// The store on one database: a cheap-to-clone handle over its connection pool. Each aggregate's
/// store trait is implemented once for every [`Dialect`] (in `store/tickets.rs`, `store/cameras.rs`,
/// …); the constructors are per backend (`PgStore::connect`, `SqliteStore::open`).
///
/// It dereferences to `dyn Store`, so every store method can be called on it without importing
/// the trait of its aggregate.
#[derive(Debug)]
pub struct SqlStore<D: Dialect> {
    pub(crate) pool: Pool<D>,
    pub(crate) writer: Arc<D::Writer>,
}

impl<D: Dialect> Clone for SqlStore<D> {
    fn clone(&self) -> Self {
        Self { pool: self.pool.clone(), writer: self.writer.clone() }
    }
}

/// How a write transaction ends.
pub trait WriteTransaction: Sized {
    /// Keeps the writes; returns once they are committed.
    fn commit(self) -> impl Future<Output = sqlx::Result<()>> + Send;
    /// Undoes the writes.
    fn rollback(self) -> impl Future<Output = sqlx::Result<()>> + Send;
}

impl<D: Database> WriteTransaction for Transaction<'static, D> {
    fn commit(self) -> impl Future<Output = sqlx::Result<()>> + Send {
        Transaction::commit(self)
    }

    fn rollback(self) -> impl Future<Output = sqlx::Result<()>> + Send {
        Transaction::rollback(self)
    }
}

impl<D: Dialect> SqlStore<D> {
    /// Wraps a pool whose database is already migrated (no migrations are run).
    pub fn from_pool(pool: Pool<D>) -> Self {
        Self { pool, writer: Arc::default() }
    }

    /// Begins a write transaction (on SQLite, a write of the one writer's batch).
    pub(crate) async fn begin_write(&self) -> sqlx::Result<D::WriteTx> {
        D::begin_write(&self.pool, &self.writer).await
    }

    /// Runs one statement that writes as a write transaction of its own.
    pub(crate) async fn execute_write(&self, q: Query<'_, D>) -> sqlx::Result<D::QueryResult> {
        let mut tx = self.begin_write().await?;
        let done = q.execute(D::conn(&mut tx)).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// The pool, e.g. for a `PgListener` or for maintenance (`PRAGMA wal_checkpoint`, backups).
    pub fn pool(&self) -> &Pool<D> {
        &self.pool
    }

    /// The pool to run a query on.
    pub(crate) fn db(&self) -> impl Executor<'_, Database = D> {
        D::pool(&self.pool)
    }
}

/// Most rows one multi-row statement writes.
pub(crate) const MAX_ROWS: usize = 256;

/// Splits `n` rows into pieces of [`MAX_ROWS`], then halves (32, 16, …, 1) for the rest, so that
/// few statement texts exist (each is prepared once per connection and cached).
pub(crate) fn pieces(n: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < n {
        let left = n - start;
        let size = if left >= MAX_ROWS { MAX_ROWS } else { 1 << (usize::BITS - 1 - left.leading_zeros()) };
        out.push(start..start + size);
        start += size;
    }
    out
}

/// `($1, $2), ($3, $4)` for `rows` rows of `cols` parameters (each as
/// [`Dialect::next_param`] writes it); the statement must have no other parameter.
pub(crate) fn values<D: Dialect>(rows: usize, cols: usize) -> String {
    let mut sql = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..cols {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&D::next_param(r * cols + c + 1));
        }
        sql.push(')');
    }
    sql
}

impl<D: Dialect> Deref for SqlStore<D> {
    type Target = dyn Store;

    fn deref(&self) -> &Self::Target {
        self
    }
}

/// Which database a store talks to, and whether it answers.
#[async_trait]
pub trait Health: Send + Sync {
    fn backend(&self) -> Backend;
    /// Cheap round trip to the database (for `/readyz`).
    async fn ping(&self) -> StoreResult<()>;
    /// The connection pool's use now (for `/metrics`).
    fn pool_use(&self) -> PoolUse;
}

/// Connections of a store's pool: open (busy + idle) and the most it opens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolUse {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

#[async_trait]
impl<D: Dialect> Health for SqlStore<D> {
    fn backend(&self) -> Backend {
        D::BACKEND
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn ping(&self) -> StoreResult<()> {
        D::query("SELECT 1").execute(self.db()).await?;
        Ok(())
    }

    fn pool_use(&self) -> PoolUse {
        PoolUse {
            open: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.pool.options().get_max_connections(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_cut_into_pieces_of_a_few_sizes_that_cover_them_once() {
        for n in 0..300 {
            let p = pieces(n);
            assert_eq!(p.iter().map(|r| r.len()).sum::<usize>(), n);
            assert!(p.windows(2).all(|w| w[0].end == w[1].start));
            assert!(p.iter().all(|r| r.len().is_power_of_two() && r.len() <= MAX_ROWS), "{n}: {p:?}");
        }
        assert_eq!(pieces(100), vec![0..64, 64..96, 96..100]);
        assert_eq!(values::<sqlx::Postgres>(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(values::<sqlx::Sqlite>(2, 2), "(?, ?), (?, ?)");
    }
}
