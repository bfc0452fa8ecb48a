//! The KPI timer: keeps the key figures of the `kpis` topic fresh while anyone follows them
//! ([`crate::service::kpi::board`]).

use tokio::task::JoinHandle;

use crate::service::Services;
use crate::service::kpi::board::{KPI_TICK, board};

/// The timer that keeps the board fresh while anyone follows it.
pub fn spawn(services: &Services) -> JoinHandle<()> {
    let services = services.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(KPI_TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if services.kpis.receiver_count() == 0 {
                continue;
            }
            let s = services.clone();
            // One pass over every ticket: off the async workers.
            if let Err(e) = tokio::task::spawn_blocking(move || board(&s)).await {
                tracing::error!(error = %e, "building the KPI board failed");
            }
        }
    })
}
