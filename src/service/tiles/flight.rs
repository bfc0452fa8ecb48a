//! One encoding per missing tile: requests that miss the cache for the same tile of the same
//! source generation wait for the one encoding in progress instead of each encoding it again
//! (a wall of screens asking for the tiles a ticket event has just evicted, say).
//!
//! The key holds the reader's scope (a leader never waits for, nor gets, the tile encoded for
//! another scope) and the source's cache generation, so a request that arrives after an
//! invalidation never joins an encoding started from older data: it starts its own. If the
//! request doing the encoding is dropped (its client went away), one of the waiters takes over.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::cache::CachedTile;
use crate::spatial::tiles::TileId;

/// (source number, scope number, tile, cache generation).
type Key = (u32, u32, TileId, u64);

/// The result an encoding hands to everyone waiting for it.
pub type Outcome = Result<Arc<CachedTile>, Arc<anyhow::Error>>;

/// The encodings in progress.
#[derive(Default)]
pub struct Flights {
    /// A std lock: held for a map look-up or removal only, never across `.await`.
    running: Mutex<HashMap<Key, Arc<OnceCell<Outcome>>>>,
}

impl Flights {
    /// The tile from the encoding already running for `key`, or from `encode` run here (which
    /// then serves everyone who asks meanwhile). The `bool` is whether `encode` ran here.
    pub async fn run<F, Fut>(
        &self,
        source: u32,
        scope: u32,
        tile: TileId,
        generation: u64,
        encode: F,
    ) -> (Outcome, bool)
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Outcome>,
    {
        let key = (source, scope, tile, generation);
        let cell = self.running.lock().expect("tile flights lock").entry(key).or_default().clone();
        // The only clone this request holds (the count in `Leave::drop` relies on it).
        let leave = Leave { flights: self, key, cell };
        let mut here = false;
        let outcome = leave
            .cell
            .get_or_init(|| {
                here = true;
                encode()
            })
            .await
            .clone();
        (outcome, here)
    }

    /// Encodings in progress now.
    pub fn len(&self) -> usize {
        self.running.lock().expect("tile flights lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Forgets a flight when its last request leaves, finished or dropped (so an abandoned encoding
/// leaves nothing behind).
struct Leave<'a> {
    flights: &'a Flights,
    key: Key,
    cell: Arc<OnceCell<Outcome>>,
}

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        let mut running = self.flights.running.lock().expect("tile flights lock");
        // Joining clones the cell under this lock, so the count cannot grow behind our back:
        // 2 is the map's and ours.
        let last = Arc::strong_count(&self.cell) <= 2;
        if (self.cell.initialized() || last) && running.get(&self.key).is_some_and(|c| Arc::ptr_eq(c, &self.cell)) {
            running.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use bytes::Bytes;

    use super::*;

    fn finished(body: &'static str) -> Outcome {
        Ok(Arc::new(CachedTile { body: Bytes::from_static(body.as_bytes()), gzipped: false, etag: body.into() }))
    }

    #[tokio::test]
    async fn concurrent_misses_of_one_tile_encode_it_once() {
        let flights = Arc::new(Flights::default());
        let runs = Arc::new(AtomicUsize::new(0));
        let tile = TileId::new(10, 1, 1).unwrap();
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (flights, runs) = (flights.clone(), runs.clone());
            tasks.push(tokio::spawn(async move {
                flights
                    .run(1, 0, tile, 0, || async {
                        runs.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        finished("t")
                    })
                    .await
            }));
        }
        let mut encoded_here = 0;
        for t in tasks {
            let (outcome, here) = t.await.unwrap();
            assert_eq!(&outcome.unwrap().body[..], b"t");
            encoded_here += usize::from(here);
        }
        assert_eq!((runs.load(Ordering::SeqCst), encoded_here), (1, 1));
        assert!(flights.is_empty(), "a finished encoding is forgotten");
    }

    /// An encoding of `tile` for `scope` at `generation` that stays in flight until the sender
    /// is used, answering `body`.
    async fn held(
        flights: &Arc<Flights>,
        scope: u32,
        tile: TileId,
        generation: u64,
        body: &'static str,
    ) -> (tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<(Outcome, bool)>) {
        let (release, wait) = tokio::sync::oneshot::channel::<()>();
        let flights = flights.clone();
        let task = tokio::spawn(async move {
            flights
                .run(1, scope, tile, generation, || async {
                    let _ = wait.await;
                    finished(body)
                })
                .await
        });
        tokio::task::yield_now().await;
        (release, task)
    }

    #[tokio::test]
    async fn another_scope_does_not_join_an_encoding_in_progress() {
        let flights = Arc::new(Flights::default());
        let tile = TileId::new(10, 1, 1).unwrap();
        let (release, everything) = held(&flights, 0, tile, 0, "everything").await;
        let (scoped, here) = flights.run(1, 3, tile, 0, || async { finished("scoped") }).await;
        assert!(here, "a leader's request encodes its own tile");
        assert_eq!(&scoped.unwrap().body[..], b"scoped");
        release.send(()).unwrap();
        assert_eq!(&everything.await.unwrap().0.unwrap().body[..], b"everything");
    }

    #[tokio::test]
    async fn a_newer_generation_does_not_join_an_older_encoding() {
        let flights = Arc::new(Flights::default());
        let tile = TileId::new(10, 1, 1).unwrap();
        let (release, old) = held(&flights, 0, tile, 0, "old").await;
        let (new, here) = flights.run(1, 0, tile, 1, || async { finished("new") }).await;
        assert!(here);
        assert_eq!(&new.unwrap().body[..], b"new");
        release.send(()).unwrap();
        assert_eq!(&old.await.unwrap().0.unwrap().body[..], b"old");
    }

    #[tokio::test]
    async fn a_waiter_takes_over_when_the_encoding_request_is_dropped() {
        let flights = Arc::new(Flights::default());
        let tile = TileId::new(10, 1, 1).unwrap();
        let first = {
            let flights = flights.clone();
            tokio::spawn(async move { flights.run(1, 0, tile, 0, std::future::pending::<Outcome>).await })
        };
        tokio::task::yield_now().await;
        let second = {
            let flights = flights.clone();
            tokio::spawn(async move { flights.run(1, 0, tile, 0, || async { finished("second") }).await })
        };
        tokio::task::yield_now().await;
        first.abort();
        let (outcome, here) = second.await.unwrap();
        assert!(here);
        assert_eq!(&outcome.unwrap().body[..], b"second");
        assert!(flights.is_empty());
    }

    #[tokio::test]
    async fn an_abandoned_encoding_leaves_nothing_behind() {
        let flights = Arc::new(Flights::default());
        let tile = TileId::new(10, 1, 1).unwrap();
        let first = {
            let flights = flights.clone();
            tokio::spawn(async move { flights.run(1, 0, tile, 0, std::future::pending::<Outcome>).await })
        };
        tokio::task::yield_now().await;
        assert_eq!(flights.len(), 1);
        first.abort();
        let _ = first.await;
        assert!(flights.is_empty());
    }
}
