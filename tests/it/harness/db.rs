//! Throwaway databases for the tests: a real PostgreSQL+PostGIS database and a real SQLite file.
//!
//! PostgreSQL tests need `DATABASE_URL` (a `postgres://` URL whose user may create databases
//! and the `postgis` extension). Each test gets its own database, copied from a template that
//! already has PostGIS (creating the extension takes ~0.5 s, a copy ~0.1 s).
//! Test databases left behind (a crashed run, a failed test kept for inspection) are dropped
//! by the next run once they are an hour old and nobody is connected to them.

use std::time::Duration;

use sqlx::{Connection, PgConnection};
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::Backend;

const NEED_PG: &str = "integration tests need PostgreSQL+PostGIS: run `make test`, which starts a throwaway \
                       cluster, or set DATABASE_URL";

/// Test databases older than this (by the UUIDv7 in their name) are dropped at start-up.
const STALE_AFTER: Duration = Duration::from_secs(3600);

fn admin_url() -> String {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| panic!("{NEED_PG}"));
    assert!(
        url.starts_with("postgres://") || url.starts_with("postgresql://"),
        "DATABASE_URL must be a postgres:// URL for the integration tests ({NEED_PG})"
    );
    url
}

/// `url` with its database name replaced by `db` (query parameters kept).
pub fn with_database(url: &str, db: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let authority = path.split('/').next().unwrap_or_default();
    match query {
        Some(q) => format!("{scheme}://{authority}/{db}?{q}"),
        None => format!("{scheme}://{authority}/{db}"),
    }
}

async fn admin_connection() -> PgConnection {
    let url = admin_url();
    PgConnection::connect(&url).await.unwrap_or_else(|e| panic!("connecting to DATABASE_URL: {e} ({NEED_PG})"))
}

/// The template every test database is copied from: an empty database with PostGIS,
/// shared by all test processes on the cluster.
const TEMPLATE: &str = "sb_template_postgis";

/// Makes sure [`TEMPLATE`] exists (first use in this process); also sweeps stale test
/// databases. Concurrent processes may race to build it: each builds its own candidate,
/// marks it a template and renames it into place; the losers' renames fail and they drop
/// their candidate. The name therefore only ever denotes a finished template.
async fn template() -> &'static str {
    static READY: OnceCell<()> = OnceCell::const_new();
    READY
        .get_or_init(|| async {
            let mut admin = admin_connection().await;
            drop_stale_databases(&mut admin).await;
            if database_exists(&mut admin, TEMPLATE).await {
                return;
            }
            let candidate = format!("sb_tpl_{}", Uuid::now_v7().simple());
            exec(&mut admin, &format!("CREATE DATABASE {candidate}")).await;
            let mut tpl = PgConnection::connect(&with_database(&admin_url(), &candidate))
                .await
                .unwrap_or_else(|e| panic!("connecting to {candidate}: {e}"));
            sqlx::query("CREATE EXTENSION IF NOT EXISTS postgis")
                .execute(&mut tpl)
                .await
                .unwrap_or_else(|e| panic!("CREATE EXTENSION postgis in {candidate} (is PostGIS installed?): {e}"));
            tpl.close().await.ok();
            exec(&mut admin, &format!("ALTER DATABASE {candidate} IS_TEMPLATE true")).await;
            let renamed =
                exec_retrying_in_use(&mut admin, &format!("ALTER DATABASE {candidate} RENAME TO {TEMPLATE}")).await;
            if renamed.is_err() {
                // Another process won the race; its template is in place.
                exec(&mut admin, &format!("ALTER DATABASE {candidate} IS_TEMPLATE false")).await;
                exec(&mut admin, &format!("DROP DATABASE IF EXISTS {candidate} WITH (FORCE)")).await;
                assert!(database_exists(&mut admin, TEMPLATE).await, "renaming {candidate}: {renamed:?}");
            }
            admin.close().await.ok();
        })
        .await;
    TEMPLATE
}

async fn database_exists(admin: &mut PgConnection, name: &str) -> bool {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(name)
        .fetch_one(admin)
        .await
        .unwrap_or_else(|e| panic!("looking up database {name}: {e}"))
}

async fn exec(admin: &mut PgConnection, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).execute(admin).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Runs `sql`, again while it fails with `object_in_use` (55006): a database's last
/// connection may still be closing on the server for a moment after the client closed it.
async fn exec_retrying_in_use(admin: &mut PgConnection, sql: &str) -> Result<(), sqlx::Error> {
    let mut attempt = 0;
    loop {
        match sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).execute(&mut *admin).await {
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55006") && attempt < 50 => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => return other.map(|_| ()),
        }
    }
}

/// Drops `sb_test_*` / `sb_tpl_*` databases whose UUIDv7 is older than [`STALE_AFTER`].
/// Databases in use refuse to drop; that error is ignored.
async fn drop_stale_databases(admin: &mut PgConnection) {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'sb\\_test\\_%' OR datname LIKE 'sb\\_tpl\\_%'",
    )
    .fetch_all(&mut *admin)
    .await
    .unwrap_or_default();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    for name in names {
        let Some(created) = name
            .rsplit('_')
            .next()
            .and_then(|s| Uuid::parse_str(s).ok())
            .and_then(|u| u.get_timestamp())
            .map(|t| Duration::from_secs(t.to_unix().0))
        else {
            continue;
        };
        if now.saturating_sub(created) > STALE_AFTER {
            let _ =
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}"))).execute(&mut *admin).await;
        }
    }
}

async fn create_test_database() -> (String, String) {
    let template = template().await;
    let name = format!("sb_test_{}", Uuid::now_v7().simple());
    let mut admin = admin_connection().await;
    exec_retrying_in_use(&mut admin, &format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .await
        .unwrap_or_else(|e| panic!("creating test database {name} from {template}: {e}"));
    admin.close().await.ok();
    let url = with_database(&admin_url(), &name);
    (name, url)
}

/// A new, empty (unmigrated) PostgreSQL database with PostGIS; returns its URL. It is not
/// dropped by this process (see [`PgTestDb`] for one that is).
pub async fn fresh_pg_url() -> String {
    create_test_database().await.1
}

/// A throwaway PostgreSQL database dropped (with `FORCE`) when this guard is dropped, unless
/// the test is panicking: then it is kept for inspection (and swept an hour later).
pub struct PgTestDb {
    pub name: String,
    pub url: String,
}

impl PgTestDb {
    pub async fn new() -> Self {
        let (name, url) = create_test_database().await;
        Self { name, url }
    }
}

impl Drop for PgTestDb {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("keeping test database {} for inspection", self.name);
            return;
        }
        let name = self.name.clone();
        // Drop runs inside the test's runtime, which cannot be blocked on: use a fresh one.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            rt.block_on(async {
                let mut admin = admin_connection().await;
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                    .execute(&mut admin)
                    .await
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

/// A real SQLite file in a temporary directory (in a `data/` subdirectory that does not
/// exist yet, as on first run). Keep the `TempDir` alive as long as the database is used.
pub fn fresh_sqlite_url() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("data").join("switchboard.db");
    let url = format!("sqlite:{}", path.display());
    (dir, url)
}

/// An empty database of either backend for one test: its URL (the guard derefs to it), and the
/// PostgreSQL database or the SQLite file's directory, removed when the guard is dropped (a
/// PostgreSQL database is kept if the test panics, see [`PgTestDb`]).
pub struct TestDb {
    url: String,
    _pg: Option<PgTestDb>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Postgres => {
                let db = PgTestDb::new().await;
                Self { url: db.url.clone(), _pg: Some(db), _dir: None }
            }
            Backend::Sqlite => {
                let (dir, url) = fresh_sqlite_url();
                Self { url, _pg: None, _dir: Some(dir) }
            }
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

impl std::ops::Deref for TestDb {
    type Target = str;

    fn deref(&self) -> &str {
        &self.url
    }
}
