//! The overdue timer: every [`EVERY`], records one `ticket.overdue` event for each open ticket
//! whose deadline has passed ([`Tickets::mark_overdue`], exactly once per ticket even with
//! several instances). At start it reads which tickets have theirs already from the event log
//! ([`Tickets::overdue_recorded`]), so that a restart does not re-check every overdue ticket.

use std::collections::HashSet;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::service::Tickets;

/// How often the timer looks for tickets that became overdue.
pub const EVERY: Duration = Duration::from_secs(30);

/// Starts the timer; the task stops when the handle is aborted (see [`super::Workers`]).
pub fn spawn(tickets: &Tickets) -> JoinHandle<()> {
    let tickets = tickets.clone();
    crate::store::priority::spawn_background(async move {
        // The tickets whose event is already recorded, from the log: the first round then checks
        // only the others (on failure it checks them all, as every round can).
        let mut done = HashSet::new();
        if let Err(e) = tickets.overdue_recorded(&mut done).await {
            tracing::warn!(error = %e, "reading the recorded overdue events failed; the first round checks every overdue ticket");
        }
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = tickets.mark_overdue(&mut done).await {
                tracing::warn!(error = %e, "overdue timer failed; retrying next round");
            }
        }
    })
}
