//! Backups and restores of either store, for `switchboard backup` and `switchboard restore`
//! (`docs/OPERATIONS.md` says when and how).
//!
//! - SQLite: `VACUUM INTO` — SQLite's own online copy: one read transaction, so the copy is
//!   one consistent moment while the server goes on writing (WAL readers never block
//!   writers), compacted, written beside the target and renamed into place once it is synced
//!   and passes `PRAGMA integrity_check`. A restore checks the copy the same way and puts it
//!   in place of a database no server has open.
//! - PostgreSQL: `pg_dump --format=custom` (one snapshot; the server goes on) and
//!   `pg_restore --exit-on-error` into an empty database; the binaries come from `PATH` (or
//!   `PG_DUMP` / `PG_RESTORE`) and should be the server's major version or newer.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context as _, bail, ensure};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, Connection, Row};

use super::redact_url;

/// What a backup or a restore holds, read back from the copy (SQLite) or the restored
/// database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    pub tickets: i64,
    /// The last event's `seq` (0 with no events).
    pub last_seq: i64,
}

/// A backup written: where, its size, and (SQLite) what it holds.
#[derive(Debug)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    /// Read back from the SQLite copy; `None` for a PostgreSQL dump.
    pub contents: Option<Contents>,
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let options = SqliteConnectOptions::from_str(url).with_context(|| format!("parsing SQLite URL {url:?}"))?;
    let path = options.get_filename().to_path_buf();
    ensure!(!url.contains(":memory:") && !url.contains("mode=memory"), "an in-memory database has nothing to back up");
    Ok(path)
}

/// `out` with `.partial` appended, where a copy is written before it is renamed into place.
fn partial(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// Writes a backup of the store at `database_url` to `out`, which must not exist yet.
pub async fn backup(database_url: &str, out: &Path) -> anyhow::Result<BackupReport> {
    ensure!(!out.exists(), "{} already exists; backups are never overwritten", out.display());
    let tmp = partial(out);
    let _ = std::fs::remove_file(&tmp);
    let contents = if is_postgres(database_url) {
        pg_tool(false, &tmp, database_url).await?;
        None
    } else {
        let source = sqlite_path(database_url)?;
        ensure!(source.exists(), "no SQLite database at {}", source.display());
        let options =
            SqliteConnectOptions::new().filename(&source).read_only(true).busy_timeout(Duration::from_secs(30));
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .with_context(|| format!("opening {}", source.display()))?;
        let target = tmp.to_str().context("the backup's path is not UTF-8")?.replace('\'', "''");
        sqlx::query(AssertSqlSafe(format!("VACUUM INTO '{target}'")))
            .execute(&mut conn)
            .await
            .with_context(|| format!("copying {} (VACUUM INTO)", source.display()))?;
        conn.close().await.ok();
        std::fs::File::open(&tmp)?.sync_all()?;
        Some(check_sqlite(&tmp).await.inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })?)
    };
    std::fs::rename(&tmp, out).with_context(|| format!("renaming the copy to {}", out.display()))?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir).and_then(|d| d.sync_all()).ok();
    }
    let bytes = std::fs::metadata(out)?.len();
    Ok(BackupReport { path: out.to_owned(), bytes, contents })
}

/// Restores the backup at `from` into the store at `database_url`: an SQLite file that does
/// not exist (or, with `replace`, one no process has open), or an empty PostgreSQL database.
/// The restored store is migrated when a server opens it.
pub async fn restore(from: &Path, database_url: &str, replace: bool) -> anyhow::Result<Contents> {
    ensure!(from.exists(), "no backup at {}", from.display());
    if is_postgres(database_url) {
        let mut conn = sqlx::PgConnection::connect(database_url)
            .await
            .with_context(|| format!("connecting to {}", redact_url(database_url)))?;
        let tables: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'tickets'",
        )
        .fetch_one(&mut conn)
        .await?;
        ensure!(
            tables == 0,
            "{} already holds a Switchboard schema; restore into an empty database",
            redact_url(database_url)
        );
        conn.close().await.ok();
        pg_tool(true, from, database_url).await?;
        let mut conn = sqlx::PgConnection::connect(database_url).await?;
        let contents = pg_contents(&mut conn).await;
        conn.close().await.ok();
        return contents;
    }
    let target = sqlite_path(database_url)?;
    let found = check_sqlite(from).await.with_context(|| format!("checking the backup {}", from.display()))?;
    if target.exists() {
        ensure!(replace, "{} exists; pass --replace to overwrite it (stop the server first)", target.display());
        ensure_unused(&target).await?;
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = partial(&target);
    std::fs::copy(from, &tmp).with_context(|| format!("copying to {}", tmp.display()))?;
    std::fs::File::open(&tmp)?.sync_all()?;
    for suffix in ["-wal", "-shm"] {
        let mut stale = target.as_os_str().to_owned();
        stale.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(stale));
    }
    std::fs::rename(&tmp, &target)?;
    Ok(found)
}

/// Fails when another connection has the database open (a running server keeps several): in
/// WAL mode only an exclusive locking mode notices connections that are merely open.
async fn ensure_unused(path: &Path) -> anyhow::Result<()> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .busy_timeout(Duration::ZERO)
        .locking_mode(sqlx::sqlite::SqliteLockingMode::Exclusive);
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await.with_context(|| {
        format!("{} is in use (is a server running on it?); stop it before restoring", path.display())
    })?;
    let exclusive = sqlx::query("BEGIN EXCLUSIVE").execute(&mut conn).await;
    if exclusive.is_ok() {
        sqlx::query("COMMIT").execute(&mut conn).await?;
    }
    conn.close().await.ok();
    if exclusive.is_err() {
        bail!("{} is in use (is a server running on it?); stop it before restoring", path.display());
    }
    Ok(())
}

/// Opens an SQLite copy read-only, runs `PRAGMA integrity_check` and reads what it holds.
async fn check_sqlite(path: &Path) -> anyhow::Result<Contents> {
    let options = SqliteConnectOptions::new().filename(path).read_only(true).journal_mode(SqliteJournalMode::Delete);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    let mut conn = pool.acquire().await?;
    let check: String = sqlx::query("PRAGMA integrity_check").fetch_one(&mut *conn).await?.try_get(0)?;
    ensure!(check == "ok", "{} fails its integrity check: {check}", path.display());
    let found = sqlite_contents(&mut conn).await;
    drop(conn);
    pool.close().await;
    found
}

async fn sqlite_contents(conn: &mut sqlx::SqliteConnection) -> anyhow::Result<Contents> {
    let tickets = sqlx::query_scalar("SELECT COUNT(*) FROM tickets").fetch_one(&mut *conn).await?;
    let last_seq = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM events").fetch_one(&mut *conn).await?;
    Ok(Contents { tickets, last_seq })
}

async fn pg_contents(conn: &mut sqlx::PgConnection) -> anyhow::Result<Contents> {
    let tickets = sqlx::query_scalar("SELECT COUNT(*) FROM tickets").fetch_one(&mut *conn).await?;
    let last_seq = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0)::bigint FROM events").fetch_one(&mut *conn).await?;
    Ok(Contents { tickets, last_seq })
}

/// Runs `pg_dump` into `file` or `pg_restore` from it (the program from `PG_DUMP` /
/// `PG_RESTORE` or `PATH`), against `url` with its password passed in `PGPASSWORD`, not on
/// the command line where `ps` shows it; the tool's error output becomes the error.
async fn pg_tool(restore: bool, file: &Path, url: &str) -> anyhow::Result<()> {
    let (env_var, default) = if restore { ("PG_RESTORE", "pg_restore") } else { ("PG_DUMP", "pg_dump") };
    let program = std::env::var(env_var).unwrap_or_else(|_| default.to_owned());
    let mut parsed = url::Url::parse(url).context("parsing the database URL")?;
    let password = parsed.password().map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned());
    let _ = parsed.set_password(None);
    let mut cmd = tokio::process::Command::new(&program);
    if restore {
        cmd.args(["--no-owner", "--exit-on-error", "--dbname", parsed.as_str()]).arg(file);
    } else {
        cmd.args(["--format=custom", "--no-owner", "--file"]).arg(file).args(["--dbname", parsed.as_str()]);
    }
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .await
        .with_context(|| format!("running {program} (install PostgreSQL's client tools, or set {env_var})"))?;
    if !out.status.success() {
        if !restore {
            let _ = std::fs::remove_file(file);
        }
        bail!("{program} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(())
}
