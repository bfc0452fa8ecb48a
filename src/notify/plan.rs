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

use super::templates::{Context, Template};
use crate::domain::{EventKind, Medium, Ticket, TicketEvent};
use crate::service::{ServiceResult, Services};
use crate::store::NewNotification;

/// Events read per round trip.
const BATCH: i64 = 500;
/// Safety-net poll interval.
const POLL: Duration = Duration::from_secs(3);

pub fn spawn(services: &Services) -> JoinHandle<()> {
    let services = services.clone();
    tokio::spawn(async move {
        let mut applied = services.live.applied.subscribe();
        loop {
            if let Err(e) = catch_up(&services).await {
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
pub async fn catch_up(services: &Services) -> ServiceResult<u64> {
    let mut enqueued = 0;
    loop {
        let cursor = services.store.notify_cursor().await?;
        let events = services.store.events_after(cursor, BATCH).await?;
        let Some(last) = events.last().map(|e| e.seq) else { return Ok(enqueued) };
        let mut items = Vec::new();
        for ev in &events {
            items.extend(plan_event(services, ev).await?);
        }
        if !items.is_empty() {
            enqueued += services.store.enqueue_notifications(&items, services.now()).await?;
        }
        services.store.advance_notify_cursor(last).await?;
    }
}

/// Who hears about `ticket`: the chat/SMS sender it was filed from, and the phone (SMS) and
/// email of its reporter's contact; only on media with a delivery configured.
pub async fn recipients(services: &Services, ticket: &Ticket) -> ServiceResult<Vec<(Medium, String)>> {
    let mut out = Vec::new();
    if let Some(sender) = services.store.message_sender(ticket.id).await? {
        out.push(sender);
    }
    if let Some(c) = services.store.contact(ticket.id).await? {
        out.extend(c.phone.map(|p| (Medium::Sms, p)));
        out.extend(c.email.map(|e| (Medium::Email, e)));
    }
    out.retain(|(m, _)| services.settings.notify.delivers(*m));
    out.sort();
    out.dedup();
    Ok(out)
}

fn dedup_key(kind: EventKind, ticket: &Ticket, seq: i64, medium: Medium, recipient: &str) -> String {
    match kind {
        EventKind::Created => format!("created:{}:{medium}:{recipient}", ticket.id),
        _ => format!("event:{seq}:{medium}:{recipient}"),
    }
}

/// What a message about `ticket` after event `ev` may mention.
async fn context(services: &Services, ticket: &Ticket, note: Option<&str>) -> ServiceResult<Context> {
    let reference = services.reference();
    let unit = ticket.unit.as_ref().and_then(|u| reference.unit(u)).map(|u| (u.name_vi.clone(), u.name_en.clone()));
    let other = match ticket.duplicate_of {
        Some(id) => services.store.ticket(id).await?.map(|t| t.code.0),
        None => None,
    };
    Ok(Context {
        code: Some(ticket.code.0.clone()),
        deadline: Some(ticket.deadline),
        unit,
        result: ticket.result.clone(),
        reason: note.map(str::to_owned),
        other,
        reasons: Vec::new(),
    })
}

fn items(
    template: Template,
    ctx: &Context,
    kind: EventKind,
    ticket: &Ticket,
    seq: Option<i64>,
    to: &[(Medium, String)],
) -> Vec<NewNotification> {
    let payload = template.render(ctx).payload();
    to.iter()
        .map(|(medium, recipient)| NewNotification {
            dedup_key: dedup_key(kind, ticket, seq.unwrap_or_default(), *medium, recipient),
            ticket_id: Some(ticket.id),
            seq,
            medium: *medium,
            recipient: recipient.clone(),
            template: template.name().into(),
            payload: payload.clone(),
        })
        .collect()
}

/// The notifications of one event (none for an event the citizen does not hear about, or
/// one older than `max_event_age`).
pub async fn plan_event(services: &Services, ev: &TicketEvent) -> ServiceResult<Vec<NewNotification>> {
    let Some(template) = Template::for_event(ev.kind) else { return Ok(Vec::new()) };
    let age = (services.now() - ev.at).to_std().unwrap_or_default();
    if age > services.settings.notify.max_event_age {
        return Ok(Vec::new());
    }
    let ticket: Ticket = match serde_json::from_value(ev.data.clone()) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(seq = ev.seq, error = %e, "notifier: event without a readable ticket; skipped");
            return Ok(Vec::new());
        }
    };
    let to = recipients(services, &ticket).await?;
    if to.is_empty() {
        return Ok(Vec::new());
    }
    let ctx = context(services, &ticket, ev.note.as_deref()).await?;
    Ok(items(template, &ctx, ev.kind, &ticket, Some(ev.seq), &to))
}

impl Services {
    /// Enqueues the "received" message of a just-filed `ticket` to `to` (the webhook's sender:
    /// the planner may have read the `created` event before the sender was linked). Same
    /// dedup key as the planner's, so it is enqueued once either way.
    pub async fn notify_created(&self, ticket: &Ticket, to: &[(Medium, String)]) -> ServiceResult<()> {
        let to: Vec<_> = to.iter().filter(|(m, _)| self.settings.notify.delivers(*m)).cloned().collect();
        if to.is_empty() {
            return Ok(());
        }
        let ctx = context(self, ticket, None).await?;
        let list = items(Template::Created, &ctx, EventKind::Created, ticket, None, &to);
        self.store.enqueue_notifications(&list, self.now()).await?;
        Ok(())
    }
}
