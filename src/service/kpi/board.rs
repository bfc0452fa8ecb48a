//! The `kpis` topic and `GET /api/v1/kpis`: the key figures ([`super::KpiCube`]) of what a
//! viewer may see, for the city and for each area.
//!
//! A [`KpiBoard`] is the figures of every (area, unit) cell at one `seq` and instant, read from
//! the projection's [`KpiLedger`] (kept up to date by every event and the clock: one pass over
//! the cells, not over the tickets). A request gets a new board when events were applied since
//! the last one or it is older than [`KPI_REFRESH`] (deadlines pass and days end without
//! events); the timer does the same every [`KPI_TICK`] for the `kpis` topic. Sessions are told through a `watch` channel, which holds only
//! the newest board: a slow client skips boards, it never queues them. A board serialises one
//! frame per distinct (scope, areas) and hands the same bytes to every session that shares it.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{KpiCube, KpiLedger, Kpis};
use crate::live::{Filter, Frame};
use crate::service::{Reference, ReferenceData};

/// How often the timer looks for new events.
pub const KPI_TICK: Duration = Duration::from_secs(2);
/// A new board at least this often even without events.
pub const KPI_REFRESH: Duration = Duration::from_secs(10);

/// The figures one viewer gets (the body of `GET /api/v1/kpis` and of a `kpis` frame).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KpiView {
    /// The last event `seq` the figures include.
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// Everything the viewer may see (within the areas asked for).
    pub total: Kpis,
    /// Per area code, each area including the areas below it.
    pub areas: BTreeMap<String, Kpis>,
}

/// The index's key figures at one `seq`.
pub struct KpiBoard {
    pub seq: i64,
    built: Instant,
    cube: KpiCube,
    /// Serialised once per distinct [`Filter::place_key`]: the body of `GET /api/v1/kpis` and
    /// the `kpis` frame.
    bodies: Mutex<HashMap<String, Bytes>>,
    frames: Mutex<HashMap<String, Frame>>,
}

impl KpiBoard {
    fn read(ledger: &Mutex<KpiLedger>) -> Self {
        let mut ledger = ledger.lock().expect("kpi ledger lock");
        let cube = ledger.cube(Utc::now());
        Self { seq: ledger.seq, built: Instant::now(), cube, bodies: Mutex::default(), frames: Mutex::default() }
    }

    /// The figures within a filter's scope and areas (its bbox does not apply).
    pub fn view(&self, filter: &Filter, reference: &Reference) -> KpiView {
        let keep = |a: Option<&_>, u: Option<&_>| filter.allows_place(a, u);
        KpiView {
            seq: self.seq,
            at: self.cube.at,
            total: self.cube.total(keep),
            areas: self.cube.by_area(|a| reference.areas.ancestors(a), keep),
        }
    }

    /// [`Self::view`] as JSON, serialised once per distinct [`Filter::place_key`].
    pub fn body(&self, filter: &Filter, reference: &Reference) -> Bytes {
        let key = filter.place_key();
        if let Some(b) = self.bodies.lock().expect("kpi bodies lock").get(&key) {
            return b.clone();
        }
        let body = Bytes::from(serde_json::to_vec(&self.view(filter, reference)).unwrap_or_default());
        self.bodies.lock().expect("kpi bodies lock").insert(key, body.clone());
        body
    }

    /// The `kpis` frame for a filter, serialised once per distinct [`Filter::place_key`].
    pub fn frame(&self, filter: &Filter, reference: &Reference) -> Frame {
        let key = filter.place_key();
        if let Some(f) = self.frames.lock().expect("kpi frames lock").get(&key) {
            return f.clone();
        }
        let mut value = serde_json::to_value(self.view(filter, reference)).unwrap_or_default();
        value["type"] = "kpis".into();
        let frame = Frame::from(value.to_string());
        self.frames.lock().expect("kpi frames lock").insert(key, frame.clone());
        frame
    }
}

/// The key figures of the instance: the newest [`KpiBoard`], read again from the ledger when
/// events were applied since or it is older than [`KPI_REFRESH`]. Cheap to clone.
#[derive(Clone)]
pub struct KpiBoards {
    ledger: Arc<Mutex<KpiLedger>>,
    reference: ReferenceData,
    /// The newest board; `None` until first asked for. Sessions watch it: a slow one skips
    /// boards, it never queues them.
    newest: Arc<tokio::sync::watch::Sender<Option<Arc<KpiBoard>>>>,
}

impl KpiBoards {
    pub fn new(ledger: Arc<Mutex<KpiLedger>>, reference: ReferenceData) -> Self {
        Self { ledger, reference, newest: Arc::new(tokio::sync::watch::Sender::new(None)) }
    }

    /// The current board: the published one if it is up to date, else a fresh one (published
    /// too). A fresh one is a pass over the ledger's cells (hundreds), under a millisecond.
    pub fn board(&self) -> Arc<KpiBoard> {
        let current = self.newest.borrow().clone();
        let seq = self.ledger.lock().expect("kpi ledger lock").seq;
        if let Some(b) = current.filter(|b| b.seq == seq && b.built.elapsed() < KPI_REFRESH) {
            return b;
        }
        let fresh = Arc::new(KpiBoard::read(&self.ledger));
        self.newest.send_replace(Some(fresh.clone()));
        fresh
    }

    /// Follows the newest board.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<Option<Arc<KpiBoard>>> {
        self.newest.subscribe()
    }

    /// Whether anyone follows the boards (the timer builds them only then).
    pub fn watched(&self) -> bool {
        self.newest.receiver_count() > 0
    }

    /// The current reference snapshot (area ancestors for the per-area figures).
    pub fn reference(&self) -> Arc<Reference> {
        self.reference.current()
    }
}
