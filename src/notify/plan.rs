//! Planning notifications: for each committed event the citizen should hear about, one
//! notification per recipient of its ticket, enqueued idempotently.
//!
//! The planner follows the events outbox from the cursor kept in the store (`notify_cursor`):
//! it reads the events after it, enqueues, then moves the cursor. Every instance runs one; they
//! may plan the same events, and the dedup key (`created:{ticket}:…` for the one `created`
//! event of a ticket, `event:{seq}:…` for the others) lets only the first insert count. A crash
//! between enqueue and cursor move plans those events again, harmlessly.

use std::collections::HashMap;
use std::time::Duration;

use tokio::task::JoinHandle;

use chrono::Utc;

use super::Notifier;
use crate::domain::{EventKind, Medium, Ticket, TicketEvent, TicketId};
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
            if n.settings.delivered_media().is_empty() {
                // Nothing can be sent, so nothing is planned: the cursor only follows the
                // outbox, every POLL, so that a restart with a delivery starts from there.
                if let Err(e) = skip(&n).await {
                    tracing::warn!(error = %e, "notifier: moving the cursor failed; retrying");
                }
                tokio::time::sleep(POLL).await;
                continue;
            }
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

/// Moves the cursor past every committed event without planning any (no medium is
/// delivered, so none would have anyone to go to).
async fn skip(n: &Notifier) -> ServiceResult<()> {
    let last = n.store.last_seq().await?;
    if last > n.store.notify_cursor().await? {
        n.store.advance_notify_cursor(last).await?;
    }
    Ok(())
}

/// Plans every event after the cursor. Returns how many notifications were enqueued.
#[tracing::instrument(skip_all)]
pub async fn catch_up(n: &Notifier) -> ServiceResult<u64> {
    let mut enqueued = 0;
    loop {
        let cursor = n.store.notify_cursor().await?;
        let events = n.store.events_after(cursor, BATCH).await?;
        let Some(last) = events.last().map(|e| e.seq) else { return Ok(enqueued) };
        let planned: Vec<_> = events.iter().filter_map(|ev| Planned::of(n, ev)).collect();
        let to = Recipients::of(n, &planned).await?;
        let mut items = Vec::new();
        for p in &planned {
            items.extend(p.plan(n, &to).await?);
        }
        if !items.is_empty() {
            enqueued += n.store.enqueue_notifications(&items, Utc::now()).await?;
        }
        n.store.advance_notify_cursor(last).await?;
    }
}

/// Who hears about each ticket of a batch of events: the chat/SMS sender it was filed from,
/// and the phone (SMS) and email of its reporter's contact; only on media with a delivery
/// configured. Read in two queries for the whole batch, not two per event.
#[derive(Default)]
struct Recipients(HashMap<TicketId, Vec<(Medium, String)>>);

impl Recipients {
    /// The recipients of the tickets of `planned` that have a template (none are read when no
    /// medium is delivered).
    async fn of(n: &Notifier, planned: &[Planned<'_>]) -> ServiceResult<Self> {
        let mut ids: Vec<TicketId> =
            planned.iter().filter(|p| matches!(p.what, What::Template(_))).map(|p| p.ticket.id).collect();
        ids.sort();
        ids.dedup();
        if ids.is_empty() || n.settings.delivered_media().is_empty() {
            return Ok(Self::default());
        }
        let mut to: HashMap<TicketId, Vec<(Medium, String)>> = HashMap::new();
        for (id, sender) in n.store.message_senders(&ids).await? {
            to.entry(id).or_default().push(sender);
        }
        for (id, c) in n.store.contacts(&ids).await? {
            let found = to.entry(id).or_default();
            found.extend(c.phone.map(|p| (Medium::Sms, p)));
            found.extend(c.email.map(|e| (Medium::Email, e)));
        }
        for found in to.values_mut() {
            found.retain(|(m, _)| n.settings.delivers(*m));
            found.sort();
            found.dedup();
        }
        Ok(Self(to))
    }

    fn get(&self, id: TicketId) -> &[(Medium, String)] {
        self.0.get(&id).map_or(&[], Vec::as_slice)
    }
}

/// What an event may tell whom.
enum What {
    /// Staff hear of an overdue ticket; the citizen does not.
    Overdue,
    /// The citizen hears of it in this template.
    Template(Template),
}

/// An event the citizen or staff may hear about, with its ticket.
struct Planned<'a> {
    ev: &'a TicketEvent,
    ticket: Ticket,
    what: What,
}

impl<'a> Planned<'a> {
    /// `None` for an event nobody hears about, or one older than `max_event_age`.
    fn of(n: &Notifier, ev: &'a TicketEvent) -> Option<Self> {
        let age = (Utc::now() - ev.at).to_std().unwrap_or_default();
        if age > n.settings.max_event_age {
            return None;
        }
        let what = match ev.kind {
            EventKind::Overdue => What::Overdue,
            kind => What::Template(Template::for_event(kind)?),
        };
        match <Ticket as serde::Deserialize>::deserialize(&ev.data) {
            Ok(ticket) => Some(Self { ev, ticket, what }),
            Err(e) => {
                tracing::error!(seq = ev.seq, error = %e, "notifier: event without a readable ticket; skipped");
                None
            }
        }
    }

    /// The notifications of this event.
    async fn plan(&self, n: &Notifier, to: &Recipients) -> ServiceResult<Vec<NewNotification>> {
        let (ev, ticket) = (self.ev, &self.ticket);
        let template = match self.what {
            What::Overdue => return super::escalation::overdue_notices(n, ticket, ev.seq).await,
            What::Template(t) => t,
        };
        let to = to.get(ticket.id);
        if to.is_empty() {
            return Ok(Vec::new());
        }
        let ctx = context(n.store.as_ref(), &n.reference.current(), ticket, ev.note.as_deref()).await?;
        Ok(items(template, &ctx, ev.kind, ticket, Some(ev.seq), to))
    }
}
