//! The projection: the one function that turns a committed ticket event into what this
//! instance serves from memory — the R-tree, the tile cache, the per-area counters — and then
//! hands the event's frame to the live hub.
//!
//! Events are applied exactly once each, in `seq` order, by [`Services::catch_up`], which
//! reads the outbox after the last applied `seq`. On a server only the outbox follower
//! (`crate::workers::follower`) calls it; a writer wakes the follower and waits until its
//! own event is applied ([`Services::committed`]). Without a follower (the command-line
//! tools) the writer catches up itself, through the same function.

use std::collections::{BTreeMap, HashMap};

use super::{Services, WRITER_WAIT};
use crate::domain::{AreaCode, Ticket, TicketEvent};
use crate::live::HubEvent;
use crate::live::protocol::event_frame;
use crate::spatial::{AreaCounters, AreaStats, TicketEntry, Upserted};

/// Events read per round trip.
pub const BATCH: i64 = 500;

impl Services {
    /// Applies every committed event after the last applied one, in `seq` order. Callers
    /// take turns (a mutex), so an event is never applied twice at once.
    #[tracing::instrument(skip_all, fields(from = self.live.applied_seq()))]
    pub async fn catch_up(&self) -> anyhow::Result<()> {
        let _turn = self.catching_up.lock().await;
        loop {
            let last = self.live.applied_seq();
            let events = self.store.events_after(last, BATCH).await?;
            if events.is_empty() {
                return Ok(());
            }
            for ev in &events {
                self.project(ev);
                self.live.applied.send_replace(ev.seq);
            }
        }
    }

    /// Called by a writer after committing event `seq`: on a server it wakes the outbox
    /// follower and waits until the event is applied, so the writer's answer reflects its own
    /// write (after [`WRITER_WAIT`] it answers anyway: the write is committed and the follower
    /// applies it when it can). Without a follower it catches up itself.
    pub async fn committed(&self, seq: i64) {
        if !self.live.is_following() {
            if let Err(e) = self.catch_up().await {
                tracing::warn!(seq, error = %e, "applying committed events failed; the next write retries");
            }
            return;
        }
        self.live.wake.notify_one();
        let mut applied = self.live.applied.subscribe();
        if tokio::time::timeout(WRITER_WAIT, applied.wait_for(|&s| s >= seq)).await.is_err() {
            tracing::warn!(seq, "the outbox follower is behind; answering before the event is applied");
        }
    }

    /// Projects one event: the index (version-guarded), then the tiles where the ticket was
    /// and is, then the counters of its areas, then the hub.
    fn project(&self, ev: &TicketEvent) {
        let ticket: Ticket = match serde_json::from_value(ev.data.clone()) {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(seq = ev.seq, error = %e, "outbox event without a readable ticket; skipped");
                return;
            }
        };
        let entry = TicketEntry::from_ticket(&ticket);
        let reference = self.reference();
        let now = self.now();
        let chain = ticket.area.as_ref().map(|a| reference.areas.ancestors(a)).unwrap_or_default();
        // Lock order: counters, then the index (as in `recount`), so a recount never sees the
        // index ahead of the counters.
        let (upserted, counters) = {
            let mut counters = self.counters.lock().expect("counters lock");
            let upserted = self.index.write().expect("index lock").upsert(entry.clone());
            if upserted.applied() {
                // After the index, so a tile encoded from here on sees the change
                // (see service::tiles::cache).
                self.tiles.ticket_moved(upserted.replaced().map(|old| old.location), ticket.location);
                counters.apply(upserted.replaced(), Some(&entry), &reference.areas);
            }
            counters.advance(now, &reference.areas);
            let chain: BTreeMap<String, AreaStats> = chain.iter().map(|c| (c.to_string(), counters.stats(c))).collect();
            (upserted, chain)
        };
        if let Upserted::Stale = upserted {
            tracing::debug!(seq = ev.seq, id = %ticket.id, "event older than the indexed ticket; published only");
        }
        let frame = event_frame(ev, &ticket, ticket.is_overdue(now), &counters);
        self.live.hub.publish(HubEvent {
            seq: ev.seq,
            at: ev.at,
            location: ticket.location,
            area: ticket.area,
            unit: ticket.unit,
            frame: frame.into(),
        });
    }

    /// Live counts for every area with tickets, each including the areas below it.
    pub fn area_stats(&self) -> HashMap<AreaCode, AreaStats> {
        let reference = self.reference();
        let mut counters = self.counters.lock().expect("counters lock");
        counters.advance(self.now(), &reference.areas);
        counters.all()
    }

    /// Counts every indexed ticket again (after a load of the index or a change of areas).
    pub(super) fn recount(&self) {
        let reference = self.reference();
        let mut counters = self.counters.lock().expect("counters lock");
        let index = self.index.read().expect("index lock");
        *counters = AreaCounters::build(index.entries(), &reference.areas, self.now());
    }
}
