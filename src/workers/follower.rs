//! The outbox follower: the one task by which a server applies committed events to its
//! memory (index, tiles, counters) and its live hub, each exactly once and in `seq` order,
//! whoever wrote them ([`Services::catch_up`], `crate::service::projection`).
//!
//! It runs whenever it is woken: by a local writer after a commit, by the store's own
//! wake-up source when another instance commits (LISTEN/NOTIFY on PostGIS; the payload is
//! only a wake-up call, and the store also wakes it after every reconnect), and every
//! [`POLL`] as a safety net.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::service::Services;

/// Safety-net poll interval (a lost wake-up call is noticed within this time).
pub const POLL: Duration = Duration::from_secs(3);
/// Wait before retrying after a failed read.
const RETRY: Duration = Duration::from_millis(500);

/// Starts the follower and, where the store has one, its wake-up source.
pub fn spawn(services: &Services) -> Vec<JoinHandle<()>> {
    services.live.set_following(true);
    let mut tasks = vec![tokio::spawn(run(services.clone()))];
    let live = services.clone();
    if let Some(listener) = services.store.watch_events(Arc::new(move || live.live.wake.notify_one())) {
        tasks.push(listener);
    }
    tasks
}

async fn run(services: Services) {
    loop {
        if let Err(e) = services.catch_up().await {
            tracing::warn!(error = %e, "outbox follower: reading events failed; retrying");
            tokio::time::sleep(RETRY).await;
            continue;
        }
        tokio::select! {
            _ = services.live.wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}
