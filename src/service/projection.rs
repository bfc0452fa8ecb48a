//! The projection: the one function that turns a committed ticket event into what this
//! instance serves from memory — the R-tree, the tile cache, the per-area counters, the key
//! figures, the facts of the statistics — and then hands the event's frame to the live hub.
//!
//! Events are applied exactly once each, in `seq` order, by [`Projection::catch_up`], which
//! reads the outbox after the last applied `seq`. On a server only the outbox follower
//! (`crate::workers::follower`) calls it; a writer wakes the follower and waits until its
//! own event is applied ([`Projection::committed`]). Without a follower (the command-line
//! tools) the writer catches up itself, through the same function.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};

use chrono::Utc;

use super::handover::{HandOver, HandOvers, Handed};
use super::{ReferenceData, Tiles, WRITER_WAIT};
use crate::analytics::Facts;
use crate::domain::{AreaCode, Ticket, TicketEvent};
use crate::live::protocol::event_frame;
use crate::live::{HubEvent, Live};
use crate::service::kpi::KpiLedger;
use crate::spatial::{AreaCounters, AreaStats, TicketEntry, TicketIndex, Upserted};
use crate::store::{EventWake, Store};

/// Events read per round trip.
pub const BATCH: i64 = 500;
/// History events read per round trip when the statistics' facts are rebuilt.
const HISTORY_BATCH: i64 = 20_000;

/// The projection of one instance. Cheap to clone.
#[derive(Clone)]
pub struct Projection(Arc<Inner>);

struct Inner {
    store: Arc<dyn Store>,
    /// Written only here; read by the ticket queries, the tiles and the KPIs.
    index: Arc<RwLock<TicketIndex>>,
    /// Every ticket's facts for the statistics; written only here.
    facts: Arc<RwLock<Facts>>,
    /// Per-area figures (each area with those below it). Locked before the index when both
    /// are needed.
    counters: Mutex<AreaCounters>,
    /// The key figures per (area, unit); locked after the counters and the index.
    kpis: Arc<Mutex<KpiLedger>>,
    reference: ReferenceData,
    tiles: Tiles,
    live: Arc<Live>,
    /// Held while events are projected, so each is applied once and in order.
    catching_up: tokio::sync::Mutex<()>,
    /// Events this instance's writers committed, handed to the follower
    /// ([`Projection::handing_over`]).
    handed: Arc<HandOvers>,
}

impl Projection {
    pub fn new(
        store: Arc<dyn Store>,
        index: Arc<RwLock<TicketIndex>>,
        facts: Arc<RwLock<Facts>>,
        reference: ReferenceData,
        tiles: Tiles,
        live: Arc<Live>,
    ) -> Self {
        let counters = Mutex::new(AreaCounters::build(std::iter::empty(), &reference.current().areas, Utc::now()));
        let kpis = Arc::new(Mutex::new(KpiLedger::build(std::iter::empty(), Utc::now(), 0)));
        Projection(Arc::new(Inner {
            store,
            index,
            facts,
            counters,
            kpis,
            reference,
            tiles,
            live,
            catching_up: tokio::sync::Mutex::new(()),
            handed: Arc::default(),
        }))
    }

    /// The last `seq` applied to memory and published to the hub.
    pub fn applied_seq(&self) -> i64 {
        self.0.live.applied_seq()
    }

    /// Bulk-loads the index from every stored ticket and counts them; following the outbox
    /// goes on from the last event `seq` read BEFORE the tickets, so nothing is missed (events
    /// in between are applied again, which the version-guarded index ignores).
    pub async fn rebuild(&self) -> anyhow::Result<i64> {
        let seq = self.0.store.last_seq().await?;
        let started = std::time::Instant::now();
        // The store reads the tickets in batches; one thread takes each in (what the index and
        // the statistics keep of it) while the next batches are read, and drops it.
        let expected = usize::try_from(self.0.store.ticket_count().await?).unwrap_or(0);
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Ticket>>(8);
        let taking = tokio::task::spawn_blocking(move || {
            let (mut loader, mut facts) = (TicketIndex::loader(expected), Facts::with_capacity(expected));
            while let Some(batch) = rx.blocking_recv() {
                for t in &batch {
                    loader.ticket(t);
                    facts.upsert(t);
                }
            }
            (loader, facts)
        });
        self.0.store.ticket_batches(tx).await?;
        let (loader, mut facts) = taking.await.map_err(|e| anyhow::anyhow!("loading the tickets panicked: {e}"))?;
        let read = started.elapsed();
        let mut index = loader.finish();
        index.advance(Utc::now());
        let built = started.elapsed();
        let mut after = 0;
        loop {
            let history = self.0.store.events_of_kinds(&Facts::HISTORY, after, HISTORY_BATCH).await?;
            let Some(last) = history.last() else { break };
            after = last.seq;
            for ev in history {
                match serde_json::from_value::<Ticket>(ev.data) {
                    Ok(t) => facts.apply(ev.seq, ev.kind, ev.at, &t),
                    Err(e) => {
                        tracing::error!(seq = ev.seq, error = %e, "outbox event without a readable ticket; left out of the statistics")
                    }
                }
            }
        }
        *self.0.facts.write().expect("facts lock") = facts;
        *self.0.index.write().expect("index lock") = index;
        let history = started.elapsed();
        self.recount_at(seq);
        tracing::info!(
            tickets = self.indexed(),
            read_ms = read.as_millis() as u64,
            index_ms = (built - read).as_millis() as u64,
            history_ms = (history - built).as_millis() as u64,
            counts_ms = (started.elapsed() - history).as_millis() as u64,
            "tickets loaded into memory"
        );
        self.0.live.applied.send_replace(seq);
        self.0.live.hub.reset(seq);
        Ok(seq)
    }

    /// Marks this instance as having a follower: from now on writers wait for it instead of
    /// catching up themselves. Returns the store's wake-up source for other instances' events.
    pub fn follow(&self) -> Option<tokio::task::JoinHandle<()>> {
        self.0.live.set_following(true);
        let live = self.0.live.clone();
        let wake: EventWake = Arc::new(move || live.wake.notify_one());
        self.0.store.watch_events(wake)
    }

    /// How many tickets are in memory.
    pub fn indexed(&self) -> usize {
        self.0.index.read().expect("index lock").len()
    }

    /// Follows the last applied `seq` (the notifier plans after each step).
    pub fn subscribe_applied(&self) -> tokio::sync::watch::Receiver<i64> {
        self.0.live.applied.subscribe()
    }

    /// Waits until a writer or the store's wake-up source wakes the follower.
    pub async fn woken(&self) {
        self.0.live.wake.notified().await
    }

    /// Applies every committed event after the last applied one, in `seq` order. Callers
    /// take turns (a mutex), so an event is never applied twice at once.
    #[tracing::instrument(skip_all, fields(from = self.applied_seq()))]
    pub async fn catch_up(&self) -> anyhow::Result<()> {
        let _turn = self.0.catching_up.lock().await;
        loop {
            let last = self.0.live.applied_seq();
            let mut events = self.0.handed.after(last, BATCH as usize).await;
            if events.is_empty() {
                events = self.0.store.events_after(last, BATCH).await?.into_iter().map(Handed::from).collect();
            }
            if events.is_empty() {
                return Ok(());
            }
            for Handed { event, ticket } in events {
                self.project(&event, ticket);
                self.0.live.applied.send_replace(event.seq);
            }
        }
    }

    /// Starts a write whose committed events the follower may then take from memory instead
    /// of reading them back from the store (see `handover.rs`): [`HandOver::written`] with
    /// them once committed.
    pub(crate) fn handing_over(&self) -> HandOver {
        self.0.handed.start()
    }

    /// Called by a writer after committing event `seq`: on a server it wakes the outbox
    /// follower and waits until the event is applied, so the writer's answer reflects its own
    /// write (after [`WRITER_WAIT`] it answers anyway: the write is committed and the follower
    /// applies it when it can). Without a follower it catches up itself.
    pub async fn committed(&self, seq: i64) {
        if !self.0.live.is_following() {
            if let Err(e) = self.catch_up().await {
                tracing::warn!(seq, error = %e, "applying committed events failed; the next write retries");
            }
            return;
        }
        self.0.live.wake.notify_one();
        let mut applied = self.0.live.applied.subscribe();
        if tokio::time::timeout(WRITER_WAIT, applied.wait_for(|&s| s >= seq)).await.is_err() {
            tracing::warn!(seq, "the outbox follower is behind; answering before the event is applied");
        }
    }

    /// Projects one event: the index (version-guarded), then the tiles where the ticket was
    /// and is, then the counters of its areas, then the hub. The ticket is the event's `data`,
    /// unless the writer handed it over as it stored it.
    fn project(&self, ev: &TicketEvent, stored: Option<Ticket>) {
        let ticket = match stored.map_or_else(|| <Ticket as serde::Deserialize>::deserialize(&ev.data), Ok) {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(seq = ev.seq, error = %e, "outbox event without a readable ticket; skipped");
                return;
            }
        };
        let entry = TicketEntry::from_ticket(&ticket);
        let reference = self.0.reference.current();
        let now = Utc::now();
        let chain = ticket.area.as_ref().map(|a| reference.areas.ancestors(a)).unwrap_or_default();
        // Lock order: counters, then the index (as in `recount`), so a recount never sees the
        // index ahead of the counters.
        let (upserted, counters) = {
            let mut counters = self.0.counters.lock().expect("counters lock");
            let upserted = {
                let mut index = self.0.index.write().expect("index lock");
                index.advance(now);
                index.upsert(entry.clone())
            };
            if upserted.applied() {
                // After the index, so a tile encoded from here on sees the change
                // (see service::tiles::cache).
                self.0.tiles.ticket_moved(upserted.replaced().map(|old| old.location), ticket.location);
                counters.apply(upserted.replaced(), Some(&entry), &reference.areas);
            }
            self.0.kpis.lock().expect("kpi ledger lock").apply(
                upserted.replaced(),
                upserted.applied().then_some(&entry),
                ev.seq,
            );
            counters.advance(now, &reference.areas);
            let chain: BTreeMap<String, AreaStats> = chain.iter().map(|c| (c.to_string(), counters.stats(c))).collect();
            (upserted, chain)
        };
        self.0.facts.write().expect("facts lock").apply(ev.seq, ev.kind, ev.at, &ticket);
        if let Upserted::Stale = upserted {
            tracing::debug!(seq = ev.seq, id = %ticket.id, "event older than the indexed ticket; published only");
        }
        let frame = event_frame(ev, &ticket, ticket.is_overdue(now), &counters);
        self.0.live.hub.publish(HubEvent {
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
        let reference = self.0.reference.current();
        let mut counters = self.0.counters.lock().expect("counters lock");
        counters.advance(Utc::now(), &reference.areas);
        counters.all()
    }

    /// The key figures per (area, unit), kept by every event ([`crate::service::KpiBoards`]
    /// reads them).
    pub fn kpi_ledger(&self) -> Arc<Mutex<KpiLedger>> {
        self.0.kpis.clone()
    }

    /// Counts every indexed ticket again (after a change of areas).
    pub fn recount(&self) {
        self.recount_at(self.applied_seq());
    }

    /// Counts every indexed ticket again, as of event `seq`.
    fn recount_at(&self, seq: i64) {
        let reference = self.0.reference.current();
        let now = Utc::now();
        let mut counters = self.0.counters.lock().expect("counters lock");
        let index = self.0.index.read().expect("index lock");
        // Two passes over the index, one thread each.
        let ledger = std::thread::scope(|s| {
            let ledger = s.spawn(|| KpiLedger::build(index.entries(), now, seq));
            *counters = AreaCounters::build(index.entries(), &reference.areas, now);
            ledger.join().expect("building the key figures panicked")
        });
        *self.0.kpis.lock().expect("kpi ledger lock") = ledger;
    }
}
