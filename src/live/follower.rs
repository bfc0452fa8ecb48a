//! The outbox follower: the one path by which an instance applies committed events to its
//! index and its hub, each exactly once and in `seq` order, whoever wrote them.
//!
//! It keeps `last_applied_seq` (in [`super::Live::applied`]) and reads
//! `store.events_after(last, BATCH)` whenever it is woken: by a local writer after a commit,
//! by `LISTEN switchboard_events` on PostGIS (the payload is only a wake-up call), after
//! every (re)connect of that listener, and every [`POLL`] as a safety net.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use sqlx::postgres::PgListener;
use tokio::task::JoinHandle;

use super::HubEvent;
use super::protocol::event_frame;
use crate::domain::{Ticket, TicketEvent};
use crate::service::Services;
use crate::spatial::TicketEntry;
use crate::store::postgres::EVENTS_CHANNEL;

/// Events read per round trip.
pub const BATCH: i64 = 500;
/// Safety-net poll interval (a lost NOTIFY is noticed within this time).
pub const POLL: Duration = Duration::from_secs(3);
/// Wait before reconnecting a lost listener.
const RECONNECT: Duration = Duration::from_millis(500);

/// Starts the follower (and, for a `postgres://` database, its listener).
pub fn spawn(services: &Services) -> Vec<JoinHandle<()>> {
    services.live.set_following(true);
    let mut tasks = vec![tokio::spawn(run(services.clone()))];
    if let Some(url) = services.settings.database_url.clone().filter(|u| u.starts_with("postgres")) {
        tasks.push(tokio::spawn(listen(services.clone(), url)));
    }
    tasks
}

async fn run(services: Services) {
    loop {
        if let Err(e) = catch_up(&services).await {
            tracing::warn!(error = %e, "outbox follower: reading events failed; retrying");
            tokio::time::sleep(RECONNECT).await;
            continue;
        }
        tokio::select! {
            _ = services.live.wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Applies every event after the last applied one. Only the follower task calls it.
#[tracing::instrument(skip_all, fields(from = services.live.applied_seq()))]
pub async fn catch_up(services: &Services) -> anyhow::Result<()> {
    loop {
        let last = services.live.applied_seq();
        let events = services.store.events_after(last, BATCH).await?;
        if events.is_empty() {
            return Ok(());
        }
        for ev in &events {
            apply_event(services, ev);
            services.live.applied.send_replace(ev.seq);
        }
    }
}

/// Upserts the event's ticket into the index (version-guarded), evicts the ticket tiles it
/// touches and publishes the event.
fn apply_event(services: &Services, ev: &TicketEvent) {
    let ticket: Ticket = match serde_json::from_value(ev.data.clone()) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(seq = ev.seq, error = %e, "outbox event without a readable ticket; skipped");
            return;
        }
    };
    let old = {
        let mut index = services.index.write().expect("index lock");
        let old = index.get(ticket.id).map(|e| e.location);
        index.upsert(TicketEntry::from_ticket(&ticket));
        old
    };
    // After the index, so a tile encoded from here on sees the change (see service::tiles::cache).
    services.tiles.ticket_moved(old, ticket.location);
    let now = services.now();
    let chain = ticket.area.as_ref().map(|a| services.reference().areas.ancestors(a)).unwrap_or_default();
    let counters: BTreeMap<String, _> = if chain.is_empty() {
        BTreeMap::new()
    } else {
        let mut stats = services.area_stats();
        chain.iter().map(|c| (c.to_string(), stats.remove(c).unwrap_or_default())).collect()
    };
    let frame = event_frame(ev, &ticket, ticket.is_overdue(now), &counters);
    services.live.hub.publish(HubEvent {
        seq: ev.seq,
        at: ev.at,
        location: ticket.location,
        area: ticket.area,
        unit: ticket.unit,
        frame: Utf8Bytes::from(frame),
    });
}

/// `LISTEN switchboard_events`; wakes the follower on every notification and after every
/// (re)connect, since notifications sent while disconnected are lost.
async fn listen(services: Services, url: String) {
    loop {
        let mut listener = match PgListener::connect(&url).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "outbox listener: cannot connect; retrying");
                tokio::time::sleep(RECONNECT).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(EVENTS_CHANNEL).await {
            tracing::warn!(error = %e, "outbox listener: LISTEN failed; retrying");
            tokio::time::sleep(RECONNECT).await;
            continue;
        }
        tracing::debug!("outbox listener connected");
        services.live.wake.notify_one();
        loop {
            match listener.try_recv().await {
                Ok(Some(_)) => services.live.wake.notify_one(),
                Ok(None) => {
                    tracing::info!("outbox listener: connection lost; reconnecting");
                    break;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "outbox listener failed; reconnecting");
                    break;
                }
            }
        }
        tokio::time::sleep(RECONNECT).await;
    }
}
