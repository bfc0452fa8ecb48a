//! The camera follower: publishes camera events (`camera_events`, their own outbox) to the
//! `cameras` topic of this instance ([`crate::live::cameras`]), woken by local writes and every
//! [`POLL`] for the writes of other instances.

use std::time::Duration;

use tokio::task::JoinHandle;

use std::sync::Arc;

use crate::live::cameras::frame;
use crate::live::{Frame, Live};
use crate::store::Store;

/// How often the follower looks for other instances' camera events.
pub const POLL: Duration = Duration::from_secs(1);
/// Camera events read per round trip.
const BATCH: i64 = 500;

/// Starts the follower after camera event `from` (the last one committed at start-up).
pub fn spawn(store: Arc<dyn Store>, live: Arc<Live>, from: i64) -> JoinHandle<()> {
    live.cameras.applied.send_replace(from);
    tokio::spawn(async move {
        loop {
            if let Err(e) = catch_up(store.as_ref(), &live).await {
                tracing::warn!(error = %e, "camera follower: reading camera events failed; retrying");
            }
            tokio::select! {
                _ = live.cameras.wake.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    })
}

async fn catch_up(store: &dyn Store, live: &Live) -> anyhow::Result<()> {
    let feed = &live.cameras;
    loop {
        let last = *feed.applied.borrow();
        let events = store.camera_events_after(last, BATCH).await?;
        if events.is_empty() {
            return Ok(());
        }
        for ev in &events {
            tracing::debug!(seq = ev.seq, camera = %ev.camera, kind = ev.kind.wire_name(), "camera event");
            // No subscribers is fine.
            let _ = feed.tx.send(Frame::from(frame(ev)));
            feed.applied.send_replace(ev.seq);
        }
    }
}
