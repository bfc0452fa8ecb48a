//! Background workers: the tasks a server runs beside its HTTP edge. Each takes the service
//! handles it needs and stops when the [`Workers`] guard is dropped.
//!
//! - [`follower`]: applies committed ticket events to memory and the live hub (the projection).
//! - [`overdue`]: records one `ticket.overdue` event per ticket past its deadline.
//! - [`kpis`]: keeps the key figures of the `kpis` topic fresh.
//! - [`camera_feed`]: publishes camera events to the `cameras` topic.
//! - [`camera_health`]: checks every camera and records status changes.
//! - [`caller_keys`]: keys the numbers of tickets' contacts for the desk's caller history.
//! - [`reminders`]: bookings' reminders, the day before and an hour before.
//! - The notifier ([`crate::notify`]): its planner and delivery worker.
//!
//! Every worker but the follower runs as background work
//! ([`crate::store::priority::spawn_background`]): its writes give way to the requests'. The
//! follower is part of the request path (a write answers once the follower has applied it).

pub mod caller_keys;
pub mod camera_feed;
pub mod camera_health;
pub mod follower;
pub mod kpis;
pub mod overdue;
pub mod reminders;

use std::sync::Arc;

use tokio::task::JoinHandle;

use crate::service::Services;
use crate::store::Store;

/// A server's background tasks, aborted when this guard is dropped.
pub struct Workers {
    tasks: Vec<JoinHandle<()>>,
    /// The in-process camsim of `serve --demo`, if one was started.
    _camsim: Option<crate::camsim::Camsim>,
}

impl Drop for Workers {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// The workers' own settings.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// The health checker's interval, timeout and concurrency.
    pub cameras: crate::cameras::CameraSettings,
    /// Where and how notifications are delivered.
    pub notify: crate::notify::NotifySettings,
    /// The webhook secrets notifications are signed with.
    pub channels: crate::intake::ChannelSettings,
    /// The portal's public address, for tracking links.
    pub public_base_url: Option<String>,
}

/// Starts every worker: the outbox follower (with the store's wake-up source), the overdue
/// and KPI timers, the camera follower (from the last camera event committed now) and health
/// checker, and the notifier. Workers sit above the services and may use the store itself
/// (the camera and notification outboxes are theirs to follow).
pub async fn start(
    store: Arc<dyn Store>,
    services: &Services,
    settings: WorkerSettings,
    camsim: Option<crate::camsim::Camsim>,
) -> anyhow::Result<Workers> {
    let mut tasks = follower::spawn(&services.projection);
    tasks.push(overdue::spawn(&services.tickets));
    tasks.push(kpis::spawn(&services.kpis));
    tasks.push(caller_keys::spawn(&services.desk));
    tasks.push(reminders::spawn(&services.appointments));
    let from = store.last_camera_seq().await?;
    tasks.push(camera_feed::spawn(store.clone(), services.live.clone(), from));
    tasks.push(camera_health::spawn(camera_health::Checker {
        store: store.clone(),
        client: services.cameras.client().clone(),
        settings: settings.cameras,
        live: services.live.clone(),
    }));
    let notifier = crate::notify::Notifier {
        store,
        settings: Arc::new(settings.notify),
        reference: services.reference.clone(),
        public_base_url: settings.public_base_url,
    };
    tasks.extend(crate::notify::spawn(
        &notifier,
        &settings.channels,
        &services.projection,
        &services.tickets,
        &services.reports,
    )?);
    Ok(Workers { tasks, _camsim: camsim })
}
