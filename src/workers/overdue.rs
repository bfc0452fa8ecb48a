//! The overdue timer: every [`EVERY`], records one `ticket.overdue` event for each open ticket
//! whose deadline has passed, exactly once per ticket even with several instances.
//!
//! Exactly once: an instance reads the ticket, then its events; if there is no `overdue`
//! event yet, it stores the ticket at `version + 1` with the event through the store's
//! version check. Of several instances racing, only the one whose `update_ticket` succeeds
//! writes the event; the others get a version conflict and, next time, see the event.

use std::collections::HashSet;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::domain::{EventKind, TicketEvent, TicketId};
use crate::service::Services;
use crate::spatial::{Region, TicketFilter};
use crate::store::StoreError;

/// How often the timer looks for tickets that became overdue.
pub const EVERY: Duration = Duration::from_secs(30);

/// Starts the timer; the task stops when the handle is aborted (see [`super::Workers`]).
pub fn spawn(services: &Services) -> JoinHandle<()> {
    let services = services.clone();
    tokio::spawn(async move {
        let mut done = HashSet::new();
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = mark_overdue(&services, &mut done).await {
                tracing::warn!(error = %e, "overdue timer failed; retrying next round");
            }
        }
    })
}

/// One round. `done` holds tickets known to have their `overdue` event. Returns how many
/// events this instance recorded.
#[tracing::instrument(skip_all)]
pub async fn mark_overdue(services: &Services, done: &mut HashSet<TicketId>) -> anyhow::Result<usize> {
    let now = services.now();
    let candidates: Vec<TicketId> = {
        let filter = TicketFilter { overdue_at: Some(now), ..TicketFilter::default() };
        let index = services.index.read().expect("index lock");
        index.query(&Region::All, &filter).into_iter().map(|e| e.id).filter(|id| !done.contains(id)).collect()
    };
    let mut recorded = 0;
    for id in candidates {
        // The ticket first, then its events: if another instance's event committed before our
        // read of the ticket, we see it in the events; if after, our version check fails.
        let Some(t) = services.store.ticket(id).await? else { continue };
        if !t.is_overdue(now) {
            continue;
        }
        if services.store.ticket_events(id).await?.iter().any(|e| e.kind == EventKind::Overdue) {
            done.insert(id);
            continue;
        }
        let mut next = t.clone();
        next.version = t.version + 1;
        next.updated_at = now;
        let event = TicketEvent {
            seq: 0,
            ticket_id: id,
            kind: EventKind::Overdue,
            actor: "system".into(),
            at: now,
            note: None,
            data: serde_json::Value::Null,
        };
        match services.store.update_ticket(&next, t.version, event).await {
            Ok(ev) => {
                done.insert(id);
                recorded += 1;
                services.committed(ev.seq).await;
            }
            Err(StoreError::VersionConflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(recorded)
}
