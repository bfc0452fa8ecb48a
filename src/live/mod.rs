//! Live updates: the outbox [`follower`] applies every committed event once, in `seq` order,
//! to the index and the [`hub`], which fans each event out to WebSocket subscribers
//! (`src/http/live.rs`). The [`overdue`] timer records `ticket.overdue` events. The wire
//! format is in [`protocol`] and `docs/live-protocol.md`. The [`kpis`] timer keeps the key
//! figures of the `kpis` topic fresh.

pub mod cameras;
pub mod follower;
pub mod hub;
pub mod kpis;
pub mod overdue;
pub mod protocol;

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::service::Services;

pub use hub::{Filter, Hub, HubConfig, HubEvent, Resume, Topic};

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
    /// The newest key figures ([`kpis`]); `None` until first asked for.
    pub kpis: watch::Sender<Option<std::sync::Arc<kpis::KpiBoard>>>,
    /// Whether a follower task runs (a server); without one (CLI tools) writers apply their
    /// own changes to the index directly.
    following: AtomicBool,
    /// Camera status changes and edits (the `cameras` topic, [`cameras`]).
    pub cameras: cameras::CameraFeed,
}

impl Live {
    pub fn new(config: HubConfig) -> Self {
        Self {
            hub: Hub::new(config.clone(), 0),
            wake: Notify::new(),
            applied: watch::Sender::new(0),
            kpis: watch::Sender::new(None),
            following: AtomicBool::new(false),
            cameras: cameras::CameraFeed::new(config.channel_capacity),
        }
    }

    pub fn is_following(&self) -> bool {
        self.following.load(Ordering::Acquire)
    }

    pub(crate) fn set_following(&self, on: bool) {
        self.following.store(on, Ordering::Release);
    }

    /// The last applied `seq`.
    pub fn applied_seq(&self) -> i64 {
        *self.applied.borrow()
    }
}

/// The background tasks of a server's live layer (follower, listener, overdue timer); they
/// are aborted when this guard is dropped.
pub struct LiveTasks {
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for LiveTasks {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Starts the outbox follower (with its listener on PostGIS), the overdue timer and the KPI timer.
pub fn start(services: &Services) -> LiveTasks {
    let mut tasks = follower::spawn(services);
    tasks.push(overdue::spawn(services));
    tasks.push(kpis::spawn(services));
    LiveTasks { tasks }
}
