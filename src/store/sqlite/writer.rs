//! One writer for the SQLite file, with group commit.
//!
//! SQLite lets one connection write at a time; left to itself, every other writer polls the
//! lock with growing sleeps (the busy handler) and, under load, gives up with "database is
//! locked". Here every write transaction of the store runs on one connection, taken from the
//! pool and kept, in the order the writers asked (a fair queue), and writers that arrive while
//! one is writing share its commit:
//!
//! - a write is a `SAVEPOINT` inside the open batch transaction (`BEGIN IMMEDIATE` by the first);
//!   its statements see the batch's earlier writes, and its rollback undoes only its own;
//! - when a write ends and nobody is queued behind it (or the batch holds [`MAX_BATCH`] writes),
//!   it commits the batch: one `COMMIT`, one fsync of the WAL (`synchronous=FULL`) for all;
//! - every write of the batch returns only once that `COMMIT` has returned, with its result: a
//!   `201` still means committed and on disk, and a failed `COMMIT` fails every write in it;
//! - a write dropped half-way (its future cancelled) is rolled back to its savepoint by the next
//!   one, or by a task of its own when nobody comes;
//! - after a `COMMIT`, when the store's checkpointer asks for it (`checkpoint.rs`), it copies
//!   the few WAL frames the checkpointer could not reach yet, so that the WAL starts over;
//! - a background job's write ([`crate::store::priority`]) waits until no request's write is
//!   queued or in progress (at most [`priority::MAX_YIELD`]) before it joins the queue.

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteConnection;
use sqlx::{Executor, Sqlite, SqlitePool};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard, watch};

use crate::store::priority;
use crate::store::sql::WriteTransaction;

/// Most writes committed together.
pub const MAX_BATCH: usize = 64;
/// How long a write waits for the batch's commit before checking that someone will make it.
const COMMIT_CHECK: Duration = Duration::from_millis(50);

/// The store's writer: its connection and its open batch.
#[derive(Debug)]
pub struct Writer {
    state: Arc<Mutex<State>>,
    /// Writers queued for the connection.
    queued: AtomicUsize,
    /// The last finished batch: its number and whether its `COMMIT` succeeded.
    finished: watch::Sender<(u64, Result<(), String>)>,
    /// Requests' writes queued or in progress (not background work's).
    foreground: AtomicUsize,
    /// Told when `foreground` drops to zero.
    quiet: Notify,
    /// The checkpointer copied most of a long WAL: finish the checkpoint after the next commit.
    checkpoint_due: AtomicBool,
}

impl Default for Writer {
    fn default() -> Self {
        Self {
            state: Arc::default(),
            queued: AtomicUsize::new(0),
            finished: watch::Sender::new((0, Ok(()))),
            foreground: AtomicUsize::new(0),
            quiet: Notify::new(),
            checkpoint_due: AtomicBool::new(false),
        }
    }
}

/// Counts a request's write from the moment it asks for the writer until it has its answer.
#[derive(Debug)]
struct Foreground(Arc<Writer>);

impl Foreground {
    fn enter(writer: &Arc<Writer>) -> Self {
        writer.foreground.fetch_add(1, Ordering::SeqCst);
        Self(writer.clone())
    }
}

impl Drop for Foreground {
    fn drop(&mut self) {
        if self.0.foreground.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.quiet.notify_waiters();
        }
    }
}

#[derive(Debug, Default)]
struct State {
    conn: Option<PoolConnection<Sqlite>>,
    /// The open batch's number, if one is open.
    batch: Option<u64>,
    /// Writes done in the open batch.
    members: usize,
    last_batch: u64,
    /// A write was dropped inside its savepoint: undo it before anything else.
    dropped: bool,
}

/// Counts a queued writer until it has the connection (or gives up waiting).
struct Queued<'a>(&'a AtomicUsize);

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn exec(conn: &mut SqliteConnection, sql: &'static str) -> sqlx::Result<()> {
    conn.execute(sql).await.map(|_| ())
}

impl State {
    fn conn(&mut self) -> &mut SqliteConnection {
        self.conn.as_deref_mut().expect("the writer has its connection")
    }

    /// Undoes a dropped write.
    async fn clean(&mut self) -> sqlx::Result<()> {
        if std::mem::take(&mut self.dropped) {
            let conn = self.conn();
            exec(conn, "ROLLBACK TO write").await?;
            exec(conn, "RELEASE write").await?;
        }
        Ok(())
    }

    /// Ends the open batch: `COMMIT` if it holds writes, else `ROLLBACK`. Tells the waiting writes.
    async fn finish(&mut self, finished: &watch::Sender<(u64, Result<(), String>)>) -> sqlx::Result<()> {
        let Some(batch) = self.batch.take() else { return Ok(()) };
        let members = std::mem::take(&mut self.members);
        let result = match self.clean().await {
            Ok(()) if members > 0 => exec(self.conn(), "COMMIT").await,
            Ok(()) => exec(self.conn(), "ROLLBACK").await,
            Err(e) => Err(e),
        };
        if result.is_err() {
            // Whatever the connection holds now is suspect: roll back what may be left and let the
            // pool replace it (it closes a connection still inside a transaction).
            if let Some(mut conn) = self.conn.take() {
                let _ = exec(&mut conn, "ROLLBACK").await;
            }
        }
        let _previous = finished.send_replace((batch, result.as_ref().map(|_| ()).map_err(ToString::to_string)));
        result
    }
}

impl Writer {
    /// Asks the writer to finish a checkpoint after its next `COMMIT` (`checkpoint.rs`).
    pub fn checkpoint_after_commit(&self) {
        self.checkpoint_due.store(true, Ordering::SeqCst);
    }

    /// Ends the open batch ([`State::finish`]); then, if a checkpoint is due and the batch was
    /// committed, a `PASSIVE` checkpoint on the writer's connection, outside any transaction (the
    /// batch's writes have their answer already; only the next writer waits for it).
    async fn finish(&self, state: &mut State) -> sqlx::Result<()> {
        let committed = state.batch.is_some() && state.members > 0;
        state.finish(&self.finished).await?;
        if committed
            && self.checkpoint_due.swap(false, Ordering::SeqCst)
            && let Err(e) = exec(state.conn(), "PRAGMA wal_checkpoint(PASSIVE)").await
        {
            tracing::warn!(error = %e, "finishing a WAL checkpoint failed");
        }
        Ok(())
    }

    /// Begins a write: waits for the connection, then opens a savepoint in the batch.
    pub async fn begin(self: &Arc<Self>, pool: &SqlitePool) -> sqlx::Result<WriteTx> {
        let foreground = if priority::is_background() {
            self.yield_to_requests().await;
            None
        } else {
            Some(Foreground::enter(self))
        };
        self.queued.fetch_add(1, Ordering::SeqCst);
        let queued = Queued(&self.queued);
        let mut state = self.state.clone().lock_owned().await;
        drop(queued);
        if state.conn.is_none() {
            state.conn = Some(pool.acquire().await?);
        }
        if let Err(e) = self.open(&mut state).await {
            // Leave no half-open batch behind for the next writer.
            let _ = self.finish(&mut state).await;
            return Err(e);
        }
        let batch = state.batch.expect("opened");
        Ok(WriteTx { state: Some(state), writer: self.clone(), batch, _foreground: foreground })
    }

    /// Waits until no request's write is queued or in progress, [`priority::MAX_YIELD`] at most.
    async fn yield_to_requests(&self) {
        let give_up = tokio::time::Instant::now() + priority::MAX_YIELD;
        loop {
            let quiet = self.quiet.notified();
            tokio::pin!(quiet);
            quiet.as_mut().enable();
            if self.foreground.load(Ordering::SeqCst) == 0 {
                return;
            }
            if tokio::time::timeout_at(give_up, quiet).await.is_err() {
                return;
            }
        }
    }

    async fn open(&self, state: &mut State) -> sqlx::Result<()> {
        state.clean().await?;
        if state.batch.is_none() {
            exec(state.conn(), "BEGIN IMMEDIATE").await?;
            state.last_batch += 1;
            state.batch = Some(state.last_batch);
        }
        exec(state.conn(), "SAVEPOINT write").await
    }

    /// After a write: commits the batch when nobody is queued or it is full, else leaves it to
    /// the next writer; then waits until the batch is committed. `Err` if its `COMMIT` failed.
    async fn end(self: &Arc<Self>, mut state: OwnedMutexGuard<State>, batch: u64) -> sqlx::Result<()> {
        if self.queued.load(Ordering::SeqCst) == 0 || state.members >= MAX_BATCH {
            return self.finish(&mut state).await;
        }
        let mut finished = self.finished.subscribe();
        drop(state);
        loop {
            let done = tokio::time::timeout(COMMIT_CHECK, finished.wait_for(|(b, _)| *b >= batch))
                .await
                .map(|seen| seen.map(|s| s.clone()));
            match done {
                Ok(Ok((seen, result))) => {
                    return match result {
                        // A later batch finished: ours was committed before it.
                        _ if seen > batch => Ok(()),
                        Ok(()) => Ok(()),
                        // Told as an I/O error: the store could not keep the write (a 503).
                        Err(e) => {
                            Err(sqlx::Error::Io(std::io::Error::other(format!("the batch's COMMIT failed: {e}"))))
                        }
                    };
                }
                Ok(Err(_)) => unreachable!("the writer outlives its writes"),
                // The writer queued behind us may have given up: make sure the batch ends.
                Err(_) => {
                    let mut state = self.state.clone().lock_owned().await;
                    if state.batch == Some(batch) && self.queued.load(Ordering::SeqCst) == 0 {
                        return self.finish(&mut state).await;
                    }
                }
            }
        }
    }
}

/// A write transaction on the SQLite writer (a savepoint in the open batch). Run statements on
/// it through `&mut *tx`; end it with [`WriteTransaction::commit`] or `rollback`.
#[derive(Debug)]
pub struct WriteTx {
    state: Option<OwnedMutexGuard<State>>,
    writer: Arc<Writer>,
    batch: u64,
    /// A request's write, counted until this write has its answer.
    _foreground: Option<Foreground>,
}

impl WriteTransaction for WriteTx {
    fn commit(self) -> impl Future<Output = sqlx::Result<()>> + Send {
        self.keep()
    }

    fn rollback(self) -> impl Future<Output = sqlx::Result<()>> + Send {
        self.undo()
    }
}

impl WriteTx {
    /// Keeps this write and returns once the batch holding it is committed.
    async fn keep(mut self) -> sqlx::Result<()> {
        let mut state = self.state.take().expect("a live write holds the writer");
        if let Err(e) = exec(state.conn(), "RELEASE write").await {
            state.dropped = true;
            let _ = self.writer.end(state, self.batch).await;
            return Err(e);
        }
        state.members += 1;
        self.writer.end(state, self.batch).await
    }

    /// Undoes this write; returns once the batch (the writes before it) is committed, so what
    /// the caller reads next sees them.
    async fn undo(mut self) -> sqlx::Result<()> {
        let mut state = self.state.take().expect("a live write holds the writer");
        state.dropped = true;
        let cleaned = state.clean().await;
        let ended = self.writer.end(state, self.batch).await;
        cleaned.and(ended)
    }
}

impl Deref for WriteTx {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        self.state.as_ref().and_then(|s| s.conn.as_deref()).expect("a live write holds the writer")
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.state.as_mut().expect("a live write holds the writer").conn()
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(mut state) = self.state.take() else { return };
        // Dropped inside its savepoint (an error returned early, or a cancelled request).
        state.dropped = true;
        let writer = self.writer.clone();
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            // Nobody may come after it: end the batch from a task of its own.
            rt.spawn(async move {
                let clean = state.clean().await;
                if clean.is_err() || writer.queued.load(Ordering::SeqCst) == 0 {
                    let _ = writer.finish(&mut state).await;
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use sqlx::Row;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

    use super::*;

    async fn pool(dir: &tempfile::TempDir) -> SqlitePool {
        let url = format!("sqlite:{}", dir.path().join("w.db").display());
        let options = SqliteConnectOptions::from_str(&url)
            .unwrap()
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await.unwrap();
        pool.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)").await.unwrap();
        pool
    }

    async fn count(pool: &SqlitePool) -> i64 {
        sqlx::query("SELECT count(*) AS n FROM t").fetch_one(pool).await.unwrap().get("n")
    }

    /// Writes `x`; a write of a key already there fails inside its savepoint and is dropped.
    async fn write(writer: Arc<Writer>, pool: SqlitePool, x: i64) -> sqlx::Result<()> {
        let mut tx = writer.begin(&pool).await?;
        sqlx::query("INSERT INTO t (x) VALUES ($1)").bind(x).execute(&mut *tx).await?;
        tx.commit().await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_share_commits_and_each_returns_once_committed() {
        let dir = tempfile::tempdir().unwrap();
        let pool = pool(&dir).await;
        let writer = Arc::new(Writer::default());
        // 400 writers at once, every tenth a duplicate of an earlier key (a failing write).
        let tasks: Vec<_> = (0..400)
            .map(|i| {
                let x = if i % 10 == 9 { i - 1 } else { i };
                let (writer, pool) = (writer.clone(), pool.clone());
                tokio::spawn(async move {
                    let done = write(writer, pool.clone(), x).await;
                    // Returned means committed: another connection sees it.
                    let seen: Option<i64> = sqlx::query("SELECT x FROM t WHERE x = $1")
                        .bind(x)
                        .fetch_optional(&pool)
                        .await
                        .unwrap()
                        .map(|r| r.get(0));
                    (done, seen)
                })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            let (done, seen) = t.await.unwrap();
            match done {
                Ok(()) => {
                    ok += 1;
                    assert!(seen.is_some(), "a write that returned Ok is committed");
                }
                Err(e) => assert!(e.to_string().contains("UNIQUE"), "only the duplicates fail: {e}"),
            }
        }
        assert!(ok >= 360, "every write of a fresh key succeeds ({ok})");
        assert_eq!(count(&pool).await, ok);
        let batches = writer.state.lock().await.last_batch;
        assert!(batches < 400, "writes that waited were committed together ({batches} batches)");
        assert!(writer.state.lock().await.batch.is_none(), "no batch is left open");
    }

    #[tokio::test]
    async fn a_write_dropped_half_way_leaves_nothing_and_the_next_write_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let pool = pool(&dir).await;
        let writer = Arc::new(Writer::default());
        {
            let mut tx = writer.begin(&pool).await.unwrap();
            sqlx::query("INSERT INTO t (x) VALUES (1)").execute(&mut *tx).await.unwrap();
            // Dropped without commit: a cancelled request.
        }
        write(writer.clone(), pool.clone(), 2).await.unwrap();
        let left: Vec<i64> = sqlx::query("SELECT x FROM t ORDER BY x")
            .fetch_all(&pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(left, vec![2]);
        // A rolled-back write leaves nothing either, and returns.
        let mut tx = writer.begin(&pool).await.unwrap();
        sqlx::query("INSERT INTO t (x) VALUES (3)").execute(&mut *tx).await.unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(count(&pool).await, 1);
        // And a dropped write with nobody after it does not keep the file locked.
        {
            let mut tx = writer.begin(&pool).await.unwrap();
            sqlx::query("INSERT INTO t (x) VALUES (4)").execute(&mut *tx).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut other = pool.acquire().await.unwrap();
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *other).await.unwrap();
        sqlx::query("INSERT INTO t (x) VALUES (5)").execute(&mut *other).await.unwrap();
        sqlx::query("COMMIT").execute(&mut *other).await.unwrap();
        assert_eq!(count(&pool).await, 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_background_write_gives_way_to_requests_that_came_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let pool = pool(&dir).await;
        let writer = Arc::new(Writer::default());
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let begin = |x: i64, background: bool| {
            let (writer, pool, order) = (writer.clone(), pool.clone(), order.clone());
            let write = async move {
                let mut tx = writer.begin(&pool).await.unwrap();
                order.lock().unwrap().push(x);
                sqlx::query("INSERT INTO t (x) VALUES ($1)").bind(x).execute(&mut *tx).await.unwrap();
                tx.commit().await.unwrap();
            };
            if background { priority::spawn_background(write) } else { tokio::spawn(write) }
        };
        // A request holds the writer; a background job asks, then two more requests.
        let mut first = writer.begin(&pool).await.unwrap();
        sqlx::query("INSERT INTO t (x) VALUES (1)").execute(&mut *first).await.unwrap();
        let job = begin(100, true);
        tokio::time::sleep(Duration::from_millis(30)).await;
        let requests = [begin(2, false), begin(3, false)];
        tokio::time::sleep(Duration::from_millis(30)).await;
        first.commit().await.unwrap();
        for r in requests {
            r.await.unwrap();
        }
        job.await.unwrap();
        let order = order.lock().unwrap().clone();
        assert_eq!(order.last(), Some(&100), "the job wrote after the requests: {order:?}");
        assert_eq!(count(&pool).await, 4);

        // With no request about, the job does not wait.
        let started = std::time::Instant::now();
        begin(101, true).await.unwrap();
        assert!(started.elapsed() < priority::MAX_YIELD / 2);
    }
}
