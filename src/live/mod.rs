//! Live updates: the [`hub`] keeps recent frames for resume and fans each one out to the
//! subscribers whose filter matches (`src/http/live.rs` holds the WebSocket sessions). The
//! projection (`crate::service::projection`) publishes one frame per committed ticket event;
//! the camera feed ([`cameras`]) carries the `cameras` topic. The wire format is in
//! [`protocol`] and `docs/live-protocol.md`. Nothing here knows of axum or of the services.

pub mod cameras;
pub mod fanout;
pub mod hub;
pub mod protocol;

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{Notify, watch};

pub use hub::{Filter, Frame, Hub, HubConfig, HubEvent, Resume, Topic};

/// Close code for a subscriber that fell more than the hub's channel capacity behind.
pub const CLOSE_TOO_SLOW: u16 = 4008;
/// Close code for a client that sends messages faster than the rate limit.
pub const CLOSE_RATE_LIMITED: u16 = 4029;
/// Close code for a client that stopped answering pings.
pub const CLOSE_NO_PONG: u16 = 4000;

/// The live state of one instance, shared by the writers, the follower and the sessions.
pub struct Live {
    pub hub: Hub,
    /// Wakes the follower: a local commit, a NOTIFY or a listener reconnect.
    pub wake: Notify,
    /// The last `seq` applied to the index and published to the hub. Writers wait on it so
    /// their own write is in the index before they answer.
    pub applied: watch::Sender<i64>,
    /// Whether a follower task runs (a server); without one (CLI tools) writers apply their
    /// own changes to the index directly.
    following: AtomicBool,
    /// Camera status changes and edits (the `cameras` topic, [`cameras`]).
    pub cameras: cameras::CameraFeed,
    /// Where the WebSocket sessions run ([`fanout`]).
    pub fanout: fanout::Fanout,
}

impl Live {
    /// The hub, and the fan-out runtime if `config` asks for one (`Err` if its threads cannot
    /// be started).
    pub fn new(config: HubConfig) -> std::io::Result<Self> {
        Ok(Self {
            hub: Hub::new(config.clone(), 0),
            wake: Notify::new(),
            applied: watch::Sender::new(0),
            following: AtomicBool::new(false),
            cameras: cameras::CameraFeed::new(config.channel_capacity),
            fanout: fanout::Fanout::new(config.fanout_threads)?,
        })
    }

    pub fn is_following(&self) -> bool {
        self.following.load(Ordering::Acquire)
    }

    pub fn set_following(&self, on: bool) {
        self.following.store(on, Ordering::Release);
    }

    /// The last applied `seq`.
    pub fn applied_seq(&self) -> i64 {
        *self.applied.borrow()
    }
}
