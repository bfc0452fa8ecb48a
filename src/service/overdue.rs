//! Overdue tickets: one `ticket.overdue` event for each open ticket whose deadline has
//! passed, exactly once per ticket even with several instances (the timer that calls it is
//! `crate::workers::overdue`).
//!
//! Exactly once: an instance reads the ticket, then its events; if there is no `overdue`
//! event yet, it stores the ticket at `version + 1` with the event through the store's
//! version check. Of several instances racing, only the one whose `update_ticket` succeeds
//! writes the event; the others get a version conflict and, next time, see the event.
//!
//! Cheap at start: an instance first reads which tickets already have their `overdue` event
//! from the event log, a page of [`RECORDED_PAGE`] events a query ([`Tickets::overdue_recorded`]),
//! instead of two queries for each overdue ticket (300 000 queries, two and a half minutes of a
//! core, at a city of a million tickets with 150 000 overdue). What is left to check is checked
//! at most [`CHECKS_PER_PAUSE`] tickets before a [`PAUSE`], so a real backlog (after days down)
//! is spread out behind the requests instead of taken at once.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Tickets;
use crate::domain::{EventKind, TicketEvent, TicketId};
use crate::store::StoreError;

/// Events read per query by [`Tickets::overdue_recorded`].
pub const RECORDED_PAGE: i64 = 5_000;
/// Tickets checked in a row by a round before it pauses.
pub const CHECKS_PER_PAUSE: usize = 50;
/// The pause: at most about 500 tickets (1 000 queries) a second.
pub const PAUSE: Duration = Duration::from_millis(100);

impl Tickets {
    /// Open tickets whose deadline is before `until` (overdue ones included), for the
    /// escalation's warnings and digests.
    pub fn open_due_before(&self, until: DateTime<Utc>) -> Vec<crate::spatial::TicketEntry> {
        let index = self.index.read().expect("index lock");
        index.due_before(until).into_iter().map(|e| e.to_entry()).collect()
    }

    /// The working-day calendar deadlines are counted on.
    pub fn calendar(&self) -> Arc<crate::domain::HolidayCalendar> {
        self.calendar.clone()
    }

    /// Adds to `done` every ticket whose `overdue` event is in the store's event log (its ticket
    /// ids only, in pages, in `seq` order): what a first round need not check ticket by ticket.
    pub async fn overdue_recorded(&self, done: &mut HashSet<TicketId>) -> anyhow::Result<()> {
        let mut after = 0;
        loop {
            let page = self.store.tickets_with_event(EventKind::Overdue, after, RECORDED_PAGE).await?;
            let Some(&(last, _)) = page.last() else { return Ok(()) };
            after = last;
            done.extend(page.into_iter().map(|(_, id)| id));
            tokio::task::yield_now().await;
        }
    }

    /// One round. `done` holds tickets known to have their `overdue` event. Returns how many
    /// events this instance recorded.
    #[tracing::instrument(skip_all)]
    pub async fn mark_overdue(&self, done: &mut HashSet<TicketId>) -> anyhow::Result<usize> {
        let now = self.now();
        let candidates: Vec<TicketId> = {
            let index = self.index.read().expect("index lock");
            index.due_before(now).into_iter().map(|e| e.id()).filter(|id| !done.contains(id)).collect()
        };
        let mut recorded = 0;
        for (n, id) in candidates.into_iter().enumerate() {
            if n > 0 && n % CHECKS_PER_PAUSE == 0 {
                tokio::time::sleep(PAUSE).await;
            }
            // The ticket first, then its events: if another instance's event committed before our
            // read of the ticket, we see it in the events; if after, our version check fails.
            let Some(t) = self.store.ticket(id).await? else { continue };
            if !t.is_overdue(now) {
                continue;
            }
            if self.store.ticket_events(id).await?.iter().any(|e| e.kind == EventKind::Overdue) {
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
            match self.store.update_ticket(&next, t.version, event).await {
                Ok(ev) => {
                    done.insert(id);
                    recorded += 1;
                    self.committed(ev.seq).await;
                }
                Err(StoreError::VersionConflict(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(recorded)
    }
}
