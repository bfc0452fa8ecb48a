//! The outbox follower: the one task by which a server applies committed events to its
//! memory (index, tiles, counters) and its live hub, each exactly once and in `seq` order,
//! whoever wrote them ([`Projection::catch_up`]).
//!
//! It runs whenever it is woken: by a local writer after a commit, by the store's own
//! wake-up source when another instance commits (LISTEN/NOTIFY on PostGIS; the payload is
//! only a wake-up call, and the store also wakes it after every reconnect), and every
//! [`POLL`] as a safety net.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::service::Projection;

/// Safety-net poll interval (a lost wake-up call is noticed within this time).
pub const POLL: Duration = Duration::from_secs(3);
/// Wait before retrying after a failed read.
const RETRY: Duration = Duration::from_millis(500);

/// Starts the follower and, where the store has one, its wake-up source.
pub fn spawn(projection: &Projection) -> Vec<JoinHandle<()>> {
    let mut tasks: Vec<JoinHandle<()>> = projection.follow().into_iter().collect();
    tasks.push(tokio::spawn(run(projection.clone())));
    tasks
}

async fn run(projection: Projection) {
    loop {
        if let Err(e) = projection.catch_up().await {
            tracing::warn!(error = %e, "outbox follower: reading events failed; retrying");
            tokio::time::sleep(RETRY).await;
            continue;
        }
        tokio::select! {
            _ = projection.woken() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}
