//! Background workers: the tasks a server runs beside its HTTP edge. Each takes the service
//! handles it needs and stops when the [`Workers`] guard is dropped.
//!
//! - [`follower`]: applies committed ticket events to memory and the live hub (the projection).
//! - [`overdue`]: records one `ticket.overdue` event per ticket past its deadline.
//! - [`kpis`]: keeps the key figures of the `kpis` topic fresh.
//! - [`camera_feed`]: publishes camera events to the `cameras` topic.
//! - [`camera_health`]: checks every camera and records status changes.
//! - The notifier ([`crate::notify`]): its planner and delivery worker.

pub mod camera_feed;
pub mod camera_health;
pub mod follower;
pub mod kpis;
pub mod overdue;

use tokio::task::JoinHandle;

use crate::service::Services;

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

/// Starts every worker: the outbox follower (with the store's wake-up source), the overdue
/// and KPI timers, the camera follower (from the last camera event committed now) and health
/// checker, and the notifier.
pub async fn start(services: &Services, camsim: Option<crate::camsim::Camsim>) -> anyhow::Result<Workers> {
    let mut tasks = follower::spawn(services);
    tasks.push(overdue::spawn(services));
    tasks.push(kpis::spawn(services));
    let from = services.store.last_camera_seq().await?;
    tasks.push(camera_feed::spawn(services, from));
    tasks.push(camera_health::spawn(services));
    tasks.extend(crate::notify::spawn(services)?);
    Ok(Workers { tasks, _camsim: camsim })
}
