//! The application's operations, between the HTTP edge and the store: intake, transitions,
//! queries through the R-tree, reference data and authentication. No HTTP types here.
//!
//! [`Services`] is a cheap-to-clone handle over shared state. The spatial index and the
//! reference snapshot sit behind `std::sync::RwLock`s: they are only ever locked for
//! synchronous work and never across an `.await`.

pub mod auth;
pub mod cameras;
pub mod kpi;
pub mod map;
pub mod open311;
pub mod photos;
pub mod public;
pub mod query;
pub mod reference;
pub mod tickets;
pub mod tiles;

pub mod console;
pub mod gazetteer;
pub mod ogc;
pub mod places;
pub mod planning;
pub mod projection;

use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};

use crate::config::Settings;
use crate::domain::{HolidayCalendar, TransitionError, ValidationErrors};
use crate::live::Live;
use crate::spatial::{AreaCounters, TicketEntry, TicketIndex};
use crate::store::{Store, StoreError};

pub use reference::Reference;

/// Why an operation failed. The HTTP layer maps each variant to a status and a stable code.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    #[error("{0} not found")]
    NotFound(String),
    #[error("sign in first")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    OutOfScope(String),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("{0}")]
    Conflict(String),
    #[error("this Idempotency-Key was already used for a different request")]
    IdempotencyMismatch,
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::VersionConflict(id) => {
                ServiceError::Conflict(format!("ticket {id} was changed by someone else; reload it and try again"))
            }
            StoreError::IdempotencyMismatch => ServiceError::IdempotencyMismatch,
            StoreError::AlreadyExists(what) => ServiceError::AlreadyExists(what),
            StoreError::NotFound(what) => ServiceError::NotFound(what),
            other => ServiceError::Store(other),
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// How long a writer waits for the follower to apply its own event.
pub const WRITER_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Shared state of one server instance.
pub struct Shared {
    pub store: Arc<dyn Store>,
    /// Every ticket by location: the query engine for listings, counters and nearby checks.
    /// A std lock: held only for synchronous index work, never across `.await`.
    pub index: RwLock<TicketIndex>,
    /// Per-area figures (each area with those below it), moved one ticket change at a time by
    /// the projection. Locked before the index when both are needed.
    pub counters: Mutex<AreaCounters>,
    /// Held while events are projected, so each is applied once and in order.
    catching_up: tokio::sync::Mutex<()>,
    /// Categories, units, routing rules and the area index, replaced whole on reload.
    pub reference: RwLock<Arc<Reference>>,
    pub calendar: HolidayCalendar,
    pub settings: Settings,
    /// The live hub and the outbox follower's progress (see [`crate::live`]).
    pub live: Live,
    /// Photo files on disk and the decoding slots (see [`crate::media`]).
    pub media: crate::media::MediaStore,
    /// The planning layers and zones (see [`planning`]).
    pub planning: planning::PlanningState,
    /// The guarded client every camera request goes through (see [`crate::cameras`]).
    pub cameras: crate::cameras::CameraClient,
    /// Vector-tile sources and the tile cache (see [`tiles`]).
    pub tiles: tiles::Tiles,
    /// The newest key figures ([`kpi::board`]); `None` until first asked for.
    pub kpis: tokio::sync::watch::Sender<Option<Arc<kpi::board::KpiBoard>>>,
}

/// Cheap-to-clone handle to the services.
#[derive(Clone)]
pub struct Services(pub Arc<Shared>);

impl std::ops::Deref for Services {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl Services {
    /// Loads reference data and bulk-loads the ticket index from the store.
    pub async fn start(store: Arc<dyn Store>, settings: Settings) -> anyhow::Result<Self> {
        let calendar = match &settings.holidays_file {
            Some(path) => HolidayCalendar::load(path)?,
            None => HolidayCalendar::vietnam(),
        };
        let reference = Arc::new(Reference::load(store.as_ref(), &settings).await?);
        let tiles = tiles::Tiles::open(&settings.tiles, &reference).await?;
        let live = Live::new(settings.live.clone());
        let media = crate::media::MediaStore::new(settings.media_dir.clone(), settings.media.clone());
        let cameras = crate::cameras::CameraClient::new(
            crate::cameras::AddressPolicy::new(settings.cameras.allow.clone()),
            settings.cameras.limits.clone(),
        )?;
        let services = Services(Arc::new(Shared {
            store,
            index: RwLock::new(TicketIndex::new()),
            counters: Mutex::new(AreaCounters::build(std::iter::empty(), &reference.areas, Utc::now())),
            catching_up: tokio::sync::Mutex::new(()),
            reference: RwLock::new(reference),
            calendar,
            settings,
            live,
            media,
            planning: planning::PlanningState::default(),
            cameras,
            tiles,
            kpis: tokio::sync::watch::Sender::new(None),
        }));
        services.reload_planning().await?;
        let seq = services.rebuild_index().await?;
        services.live.applied.send_replace(seq);
        services.live.hub.reset(seq);
        Ok(services)
    }

    /// Re-reads categories, units, rules and areas (after an import or a seed).
    pub async fn reload_reference(&self) -> anyhow::Result<()> {
        let fresh = Arc::new(Reference::load(self.store.as_ref(), &self.settings).await?);
        let old = std::mem::replace(&mut *self.reference.write().expect("reference lock"), fresh.clone());
        self.tiles.areas_changed(&old.areas, &fresh.areas);
        self.recount();
        Ok(())
    }

    /// Rebuilds the R-tree from every stored ticket (bulk load). Returns the last event `seq`
    /// read BEFORE the tickets, so following the outbox from it misses nothing (events in
    /// between are applied again, which the version-guarded index ignores).
    pub async fn rebuild_index(&self) -> anyhow::Result<i64> {
        let seq = self.store.last_seq().await?;
        let tickets = self.store.all_tickets().await?;
        let entries: Vec<TicketEntry> = tickets.iter().map(TicketEntry::from_ticket).collect();
        let fresh = TicketIndex::bulk_load(entries);
        *self.index.write().expect("index lock") = fresh;
        self.recount();
        Ok(seq)
    }

    /// The current reference snapshot.
    pub fn reference(&self) -> Arc<Reference> {
        self.reference.read().expect("reference lock").clone()
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
