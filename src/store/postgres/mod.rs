//! The store on PostgreSQL + PostGIS, for production and several server instances: the
//! PostgreSQL [`Dialect`] of the shared store code, and how its values are stored.
//!
//! - Geometry columns are EPSG:4326 with GiST indexes (`areas.geom` and `planning_zones.geom`
//!   MultiPolygons, `tickets.geom` and `cameras.geom` Points generated from `lon`/`lat`), so QGIS
//!   opens the tables directly. Boundaries travel as WKB (`boundary.rs`), which round-trips every
//!   `f64` exactly.
//! - Event inserts take a transaction-scoped advisory lock, so `seq` order is also commit order:
//!   a follower reading `seq > N` never misses an event that commits later with a smaller `seq`.
//! - Each ticket event is announced with `pg_notify('switchboard_events', seq)` inside its
//!   transaction (delivered on commit). NOTIFY is only a wake-up call; followers read the outbox
//!   after their last `seq`.
//! - Timestamps are `timestamptz`, kept to the microsecond; ids `uuid`, JSON `jsonb`, code lists
//!   `text[]`. Text sorts bytewise with `COLLATE "C"`; concurrent claims skip each other's rows
//!   (`FOR UPDATE SKIP LOCKED`).

mod boundary;
mod listen;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use geo::MultiPolygon;
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::{Executor, Pool, Postgres, Row, Transaction, TypeInfo as _, ValueRef as _};
use uuid::Uuid;

use super::codec::micros;
use super::sql::{self, Arg, ArgFor, ColFor, Dialect, Query, SqlStore, column_of};
use super::{Backend, EventWake, StoreError, StoreResult, redact_url};

/// The channel every committed ticket event is announced on; the payload is its `seq` as text.
pub const EVENTS_CHANNEL: &str = "switchboard_events";

/// The PostGIS store.
pub type PgStore = SqlStore<Postgres>;

impl SqlStore<Postgres> {
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
        Ok(Self::from_pool(pool))
    }
}

impl Dialect for Postgres {
    const BACKEND: Backend = Backend::Postgres;
    const LOG_NAME: &'static str = "postgres";
    const BYTEWISE: &'static str = " COLLATE \"C\"";
    const FOR_UPDATE: &'static str = " FOR UPDATE";
    const SKIP_LOCKED: &'static str = " FOR UPDATE SKIP LOCKED";
    const GEOM: &'static str = "geom";
    const GEOM_OUT: &'static str = "ST_AsBinary(geom) AS geometry";
    /// The two halves of the id space (random UUIDs), each a sequential scan with a filter.
    const HALVES: [&'static str; 2] =
        ["id < '80000000-0000-0000-0000-000000000000'", "id >= '80000000-0000-0000-0000-000000000000'"];

    fn geom_in(n: usize) -> String {
        format!("ST_GeomFromWKB(${n}, 4326)")
    }

    fn in_list(column: &str, n: usize) -> String {
        format!("{column} = ANY(${n})")
    }

    fn next_param(n: usize) -> String {
        format!("${n}")
    }

    type Writer = ();
    type WriteTx = Transaction<'static, Postgres>;

    async fn begin_write(pool: &PgPool, _: &Arc<()>) -> sqlx::Result<Transaction<'static, Postgres>> {
        pool.begin().await
    }

    async fn lock_outbox(conn: &mut PgConnection, key: i64) -> sqlx::Result<()> {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(key).execute(conn).await?;
        Ok(())
    }

    async fn announce(conn: &mut PgConnection, seq: i64) -> sqlx::Result<()> {
        sqlx::query("SELECT pg_notify($1, $2)").bind(EVENTS_CHANNEL).bind(seq.to_string()).execute(conn).await?;
        Ok(())
    }

    fn watch_events(pool: &PgPool, wake: EventWake) -> Option<tokio::task::JoinHandle<()>> {
        Some(tokio::spawn(listen::watch_events(pool.clone(), wake)))
    }

    fn conn(conn: &mut PgConnection) -> impl Executor<'_, Database = Postgres> {
        conn
    }

    fn pool(pool: &Pool<Postgres>) -> impl Executor<'_, Database = Postgres> {
        pool
    }

    fn bind<'v, T: Arg<'v>>(query: Query<'_, Postgres>, value: T) -> Query<'_, Postgres> {
        query.bind(ArgFor::<'v, Postgres>::into_arg(value))
    }
}

sql::as_is!(
    impl [] Postgres;
    args: Uuid, NaiveDate, Vec<String>, Vec<Uuid>;
    cols: Uuid, NaiveDate, DateTime<Utc>, serde_json::Value, Vec<String>
);

/// Timestamps are kept to the microsecond (`timestamptz`).
impl ArgFor<'_, Postgres> for DateTime<Utc> {
    type Out = Self;
    fn into_arg(self) -> Self {
        micros(self)
    }
}

/// Boundaries travel as WKB.
impl ArgFor<'_, Postgres> for &MultiPolygon<f64> {
    type Out = Vec<u8>;
    fn into_arg(self) -> Vec<u8> {
        boundary::encode_multipolygon(self)
    }
}

impl ColFor<Postgres> for MultiPolygon<f64> {
    fn from_row(row: &PgRow, label: &str) -> StoreResult<Self> {
        let wkb: Vec<u8> = row.try_get(column_of(label))?;
        boundary::decode_multipolygon(&wkb).map_err(|e| StoreError::Corrupt(format!("{label}: {e}")))
    }
}

/// Any integer column (`smallint`, `integer`, `bigint`) reads as an `i64`.
impl ColFor<Postgres> for i64 {
    fn from_row(row: &PgRow, label: &str) -> StoreResult<Self> {
        let column = column_of(label);
        Ok(match row.try_get_raw(column)?.type_info().name() {
            "INT2" => row.try_get::<i16, _>(column)?.into(),
            "INT4" => row.try_get::<i32, _>(column)?.into(),
            _ => row.try_get(column)?,
        })
    }
}
