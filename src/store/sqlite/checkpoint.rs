//! WAL checkpoints off the writer's path.
//!
//! Left to SQLite, the connection whose `COMMIT` takes the WAL past 1 000 pages copies the WAL
//! back into the database file there and then (`wal_autocheckpoint`): with one writer, that is
//! always a filing's commit, which then takes several times as long (about 6 ms against 1.6 ms
//! for a hundred tickets here). The store's connections turn that off and a task of the store
//! runs a `PASSIVE` checkpoint every [`EVERY`] on a connection of its own: it copies what no
//! reader still needs, beside the writer and never blocking it.
//!
//! Beside a busy writer it never quite reaches the end of the WAL, and SQLite starts the WAL
//! over only once all of it has been copied, so on its own the file would grow for as long as
//! filings keep coming. When the WAL is past [`LONG_WAL_FRAMES`], the task asks the writer to
//! copy the rest right after its next `COMMIT` ([`Writer::checkpoint_after_commit`]): the
//! frames written since, a few milliseconds' worth, so the WAL stays about that long.

use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;

use super::Writer;

/// How often the WAL is copied into the database file.
pub const EVERY: Duration = Duration::from_millis(250);
/// WAL frames (pages) past which the writer finishes the checkpoint (SQLite's own threshold).
pub const LONG_WAL_FRAMES: i64 = 1_000;

/// Checkpoints `pool`'s database every [`EVERY`] until the pool is closed or the store is
/// gone (the task holds its writer weakly, so that a dropped store's pool closes).
pub fn spawn(pool: SqlitePool, writer: &Arc<Writer>) -> tokio::task::JoinHandle<()> {
    let writer = Arc::downgrade(writer);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Some(writer) = writer.upgrade() else { return };
            if pool.is_closed() {
                return;
            }
            match checkpoint(&pool).await {
                Ok(frames) if frames > LONG_WAL_FRAMES => writer.checkpoint_after_commit(),
                Ok(_) => {}
                Err(_) if pool.is_closed() => return,
                Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed; trying again"),
            }
        }
    })
}

/// One `PASSIVE` checkpoint; the frames in the WAL.
pub async fn checkpoint(pool: &SqlitePool) -> sqlx::Result<i64> {
    let (_busy, frames, _copied): (i64, i64, i64) =
        sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(pool).await?;
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::store::sql::{Bind, Dialect};
    use crate::store::sqlite::SqliteStore;

    /// Writes keep coming for a while, each its own commit; the WAL must not grow with them:
    /// the checkpointer copies it and the writer finishes the copy, so SQLite starts it over.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_wal_starts_over_while_writes_keep_coming() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&format!("sqlite:{}", dir.path().join("wal.db").display())).await.unwrap();
        sqlx::query("CREATE TABLE filler (b BLOB NOT NULL)").execute(store.pool()).await.unwrap();
        // Four writers at once, so that the writer is never idle; 32 KiB a write: eight pages.
        let start = Instant::now();
        let writers = (0..4).map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let blob = vec![7u8; 32 * 1024];
                let mut writes = 0u64;
                // A dozen of the checkpointer's rounds at least, however fast the disk: the WAL at the
                // end holds what came after the last one or two, a small part of it all.
                while writes < 250 || start.elapsed() < EVERY * 12 {
                    let q = <sqlx::Sqlite as Dialect>::query("INSERT INTO filler (b) VALUES ($1)").arg(blob.as_slice());
                    store.execute_write(q).await.unwrap();
                    writes += 1;
                }
                writes
            })
        });
        // And readers, as a server has.
        let reader = {
            let pool = store.pool().clone();
            tokio::spawn(async move {
                while start.elapsed() < EVERY * 12 {
                    let _: i64 = sqlx::query_scalar("SELECT count(*) FROM filler").fetch_one(&pool).await.unwrap();
                }
            })
        };
        let mut writes = 0;
        let writers = writers.collect::<Vec<_>>();
        reader.await.unwrap();
        for w in writers {
            writes += w.await.unwrap();
        }
        let frames = checkpoint(store.pool()).await.unwrap();
        assert!(
            frames < (writes * 8) as i64 / 2,
            "{frames} frames in the WAL after {writes} writes of 8 pages: it kept growing"
        );
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM filler").fetch_one(store.pool()).await.unwrap();
        assert_eq!(count as u64, writes, "every write is there");
    }
}
