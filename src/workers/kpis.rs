//! The KPI timer: keeps the key figures of the `kpis` topic fresh while anyone follows them
//! ([`KpiBoards`]).

use tokio::task::JoinHandle;

use crate::service::KpiBoards;
use crate::service::kpi::board::KPI_TICK;

/// Starts the timer; the task stops when the handle is aborted.
pub fn spawn(kpis: &KpiBoards) -> JoinHandle<()> {
    let kpis = kpis.clone();
    crate::store::priority::spawn_background(async move {
        let mut tick = tokio::time::interval(KPI_TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if !kpis.watched() {
                continue;
            }
            // A pass over the ledger's cells: cheap enough for the async worker.
            kpis.board();
        }
    })
}
