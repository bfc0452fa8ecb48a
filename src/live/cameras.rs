//! The `cameras` topic: camera status changes and edits, from the cameras' own outbox
//! (`camera_events`) to every WebSocket subscriber of every instance.
//!
//! Camera events are not part of the tickets' `seq` order: they carry their own
//! `camera_seq`, and a frame is a camera's whole public state after the change, so a client
//! that missed some (it reconnected) reloads `GET /api/v1/cameras` and keeps, per camera, the
//! view with the higher `version`. Each instance follows the outbox from where it started:
//! woken by its own writes, and every `POLL` for writes of other instances
//! (`crate::workers::camera_feed`).

use serde_json::json;
use tokio::sync::{Notify, broadcast, watch};

use super::Frame;
use crate::domain::CameraEvent;

/// The camera events of one instance: the broadcast the sessions read, and the follower's state.
pub struct CameraFeed {
    /// Serialised `camera` frames; a subscriber that falls behind by the capacity is closed
    /// like a slow ticket subscriber (4008).
    pub tx: broadcast::Sender<Frame>,
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
