//! Planning notifications: for each committed event the citizen should hear about, one
//! notification per recipient of its ticket, enqueued idempotently.
//!
//! The planner follows the events outbox from the cursor kept in the store (`notify_cursor`):
//! it reads the events after it, enqueues, then moves the cursor. Every instance runs one; they
//! may plan the same events, and the dedup key (`created:{ticket}:…` for the one `created`
//! event of a ticket, `event:{seq}:…` for the others) lets only the first insert count. A crash
//! between enqueue and cursor move plans those events again, harmlessly.

use std::time::Duration;

use tokio::task::JoinHandle;

use chrono::Utc;

use super::Notifier;
use crate::domain::{Medium, Ticket, TicketEvent};
use crate::service::messages::{Template, context, items};
use crate::service::{Projection, ServiceResult};
use crate::store::NewNotification;

/// Events read per round trip.
const BATCH: i64 = 500;
/// Safety-net poll interval.
const POLL: Duration = Duration::from_secs(3);

/// Starts the planner: it runs whenever this instance has applied new events, and every
/// [`POLL`].
pub fn spawn(notifier: &Notifier, projection: &Projection) -> JoinHandle<()> {
    let n = notifier.clone();
    let mut applied = projection.subscribe_applied();
    crate::store::priority::spawn_background(async move {
        loop {
            if let Err(e) = catch_up(&n).await {
                tracing::warn!(error = %e, "notifier: planning failed; retrying");
            }
            tokio::select! {
                _ = applied.changed() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    })
}

/// Plans every event after the cursor. Returns how many notifications were enqueued.
#[tracing::instrument(skip_all)]
pub async fn catch_up(n: &Notifier) -> ServiceResult<u64> {
    let mut enqueued = 0;
    loop {
        let cursor = n.store.notify_cursor().await?;
        let events = n.store.events_after(cursor, BATCH).await?;
        let Some(last) = events.last().map(|e| e.seq) else { return Ok(enqueued) };
        let mut items = Vec::new();
        for ev in &events {
            items.extend(plan_event(n, ev).await?);
        }
        if !items.is_empty() {
            enqueued += n.store.enqueue_notifications(&items, Utc::now()).await?;
        }
        n.store.advance_notify_cursor(last).await?;
    }
}

/// Who hears about `ticket`: the chat/SMS sender it was filed from, and the phone (SMS) and
/// email of its reporter's contact; only on media with a delivery configured.
pub async fn recipients(n: &Notifier, ticket: &Ticket) -> ServiceResult<Vec<(Medium, String)>> {
    let mut out = Vec::new();
    if let Some(sender) = n.store.message_sender(ticket.id).await? {
        out.push(sender);
    }
    if let Some(c) = n.store.contact(ticket.id).await? {
        out.extend(c.phone.map(|p| (Medium::Sms, p)));
        out.extend(c.email.map(|e| (Medium::Email, e)));
    }
    out.retain(|(m, _)| n.settings.delivers(*m));
    out.sort();
    out.dedup();
    Ok(out)
}

/// The notifications of one event (none for an event the citizen does not hear about, or
/// one older than `max_event_age`).
pub async fn plan_event(n: &Notifier, ev: &TicketEvent) -> ServiceResult<Vec<NewNotification>> {
    let age = (Utc::now() - ev.at).to_std().unwrap_or_default();
    if age > n.settings.max_event_age {
        return Ok(Vec::new());
    }
    if ev.kind == crate::domain::EventKind::Overdue {
        // Staff hear of it; the citizen does not.
        let Ok(ticket) = serde_json::from_value::<Ticket>(ev.data.clone()) else { return Ok(Vec::new()) };
        return super::escalation::overdue_notices(n, &ticket, ev.seq).await;
    }
    let Some(template) = Template::for_event(ev.kind) else { return Ok(Vec::new()) };
    let ticket: Ticket = match serde_json::from_value(ev.data.clone()) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(seq = ev.seq, error = %e, "notifier: event without a readable ticket; skipped");
            return Ok(Vec::new());
        }
    };
    let to = recipients(n, &ticket).await?;
    if to.is_empty() {
        return Ok(Vec::new());
    }
    let ctx = context(n.store.as_ref(), &n.reference.current(), &ticket, ev.note.as_deref()).await?;
    Ok(items(template, &ctx, ev.kind, &ticket, Some(ev.seq), &to))
}
