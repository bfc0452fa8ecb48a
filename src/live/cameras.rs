//! The `cameras` topic: camera status changes and edits, from the cameras' own outbox
//! (`camera_events`) to every WebSocket subscriber of every instance.
//!
//! Camera events are not part of the tickets' `seq` order: they carry their own
//! `camera_seq`, and a frame is a camera's whole public state after the change, so a client
//! that missed some (it reconnected) reloads `GET /api/v1/cameras` and keeps, per camera, the
//! view with the higher `version`. Each instance follows the outbox from where it started:
//! woken by its own writes, and every [`POLL`] for writes of other instances.

use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use serde_json::json;
use tokio::sync::{Notify, broadcast, watch};
use tokio::task::JoinHandle;

use crate::domain::CameraEvent;
use crate::service::Services;

/// How often the follower looks for other instances' camera events.
pub const POLL: Duration = Duration::from_secs(1);
/// Camera events read per round trip.
const BATCH: i64 = 500;

/// The camera events of one instance: the broadcast the sessions read, and the follower's state.
pub struct CameraFeed {
    /// Serialised `camera` frames; a subscriber that falls behind by the capacity is closed
    /// like a slow ticket subscriber (4008).
    pub tx: broadcast::Sender<Utf8Bytes>,
    /// Wakes the follower after a local write.
    pub wake: Notify,
    /// The last camera event published.
    pub applied: watch::Sender<i64>,
}

impl CameraFeed {
    pub fn new(capacity: usize) -> Self {
        let (tx, _) = broadcast::channel(capacity.max(1));
        Self { tx, wake: Notify::new(), applied: watch::Sender::new(0) }
    }
}

/// `{"type":"camera","camera_seq":N,"kind":"camera.status","at":…,"data":{camera view}}`.
pub fn frame(ev: &CameraEvent) -> String {
    json!({
        "type": "camera",
        "camera_seq": ev.seq,
        "kind": ev.kind.wire_name(),
        "at": ev.at,
        "data": ev.data,
    })
    .to_string()
}

/// Starts the follower after camera event `from` (the last one committed at start-up).
pub fn spawn(services: &Services, from: i64) -> JoinHandle<()> {
    services.live.cameras.applied.send_replace(from);
    let services = services.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = catch_up(&services).await {
                tracing::warn!(error = %e, "camera follower: reading camera events failed; retrying");
            }
            tokio::select! {
                _ = services.live.cameras.wake.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    })
}

async fn catch_up(services: &Services) -> anyhow::Result<()> {
    let feed = &services.live.cameras;
    loop {
        let last = *feed.applied.borrow();
        let events = services.store.camera_events_after(last, BATCH).await?;
        if events.is_empty() {
            return Ok(());
        }
        for ev in &events {
            tracing::debug!(seq = ev.seq, camera = %ev.camera, kind = ev.kind.wire_name(), "camera event");
            // No subscribers is fine.
            let _ = feed.tx.send(Utf8Bytes::from(frame(ev)));
            feed.applied.send_replace(ev.seq);
        }
    }
}
