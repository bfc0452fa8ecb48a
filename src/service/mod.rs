//! The application's operations, between the HTTP edge and the store: intake, transitions,
//! queries through the R-tree, reference data and authentication. No HTTP types here.
//!
//! Each part is a narrow, cheap-to-clone handle that owns its state privately and exposes
//! methods: [`Tickets`], [`Projection`], [`Accounts`], [`Photos`], [`Cameras`], [`Planning`], [`Procedures`], [`Press`],
//! [`Tiles`], [`KpiBoards`], [`Analytics`], [`Directions`], [`Reports`], [`Open311`], [`Ogc`], [`Health`]; the chat/SMS intake
//! (`crate::intake::Channels`) is built on [`Tickets`] beside them. [`Services`] is only their composition, built once by
//! [`Services::start`]; the HTTP layer and the workers take the handles they need. The
//! spatial index and the reference snapshot sit behind `std::sync::RwLock`s: they are only
//! ever locked for synchronous work and never across an `.await`.

pub mod appointments;
pub mod auth;
pub mod cameras;
mod combine;
pub mod filing;
pub mod kpi;
pub mod login_throttle;
pub mod map;
pub mod messages;
pub mod open311;
pub mod photos;
pub mod public;
pub mod query;
pub mod reference;
mod rows;
pub mod stats;
pub mod tickets;
pub mod tiles;

/// The category suggester (issue 14).
pub mod categorizer;
pub mod console;
pub mod desk;
pub mod directions;
pub mod exports;
pub mod gazetteer;
mod handover;
pub mod health;
pub mod ogc;
pub mod overdue;
pub mod places;
pub mod planning;
pub mod press;
pub mod procedures;
pub mod projection;
pub mod reports;
pub mod supporters;
pub mod survey;

use std::sync::{Arc, RwLock};

use anyhow::Context as _;

use crate::config::{CitySettings, Open311Config, Secret};
use crate::domain::{HolidayCalendar, TransitionError, ValidationErrors};
use crate::live::Live;
use crate::spatial::TicketIndex;
use crate::store::{Store, StoreError};

pub use auth::Accounts;
pub use cameras::Cameras;
pub use directions::Directions;
pub use health::Health;
pub use kpi::board::KpiBoards;
pub use ogc::Ogc;
pub use open311::Open311;
pub use photos::Photos;
pub use planning::Planning;
pub use press::Press;
pub use procedures::Procedures;
pub use projection::Projection;
pub use reference::{Reference, ReferenceData};
pub use reports::Reports;
pub use stats::Analytics;
pub use tickets::{TicketRules, Tickets};
pub use tiles::Tiles;

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
    /// A place is full (a slot, a person's daily bookings): 409 with a code and the field.
    #[error("{detail}")]
    Full { code: &'static str, field: &'static str, detail: String },
    /// Too many attempts: try again after the wait.
    #[error("{detail}")]
    RateLimited { wait: std::time::Duration, detail: String },
    /// Busy or a dependency is down for now: try again after the wait.
    #[error("{detail}")]
    Unavailable { wait: std::time::Duration, detail: String },
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
            StoreError::IdempotencyMismatch | StoreError::IdempotencyMismatchAt(_) => ServiceError::IdempotencyMismatch,
            StoreError::AlreadyExists(what) => ServiceError::AlreadyExists(what),
            StoreError::NotFound(what) => ServiceError::NotFound(what),
            e if e.is_transient() => ServiceError::Unavailable {
                wait: std::time::Duration::from_secs(5),
                detail: format!("the database is unavailable for now ({e}); nothing was changed"),
            },
            other => ServiceError::Store(other),
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// How long a writer waits for the follower to apply its own event.
pub const WRITER_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// What the services are started with (the server's settings, less the HTTP layer's and the
/// workers').
#[derive(Debug, Clone)]
pub struct ServiceSettings {
    pub city: CitySettings,
    /// The key tracking tokens of chat, SMS and phone reports are derived with.
    pub tracking_key: Secret,
    /// Lifetime of a web session.
    pub session_ttl: std::time::Duration,
    /// What the live hub keeps for resume and how far a subscriber may fall behind.
    pub live: crate::live::HubConfig,
    /// Where photos are kept, and the limits on uploads.
    pub media_dir: std::path::PathBuf,
    pub media: crate::media::MediaLimits,
    /// The camera proxy's allow-list and limits.
    pub cameras: crate::cameras::CameraSettings,
    pub tiles: tiles::TileSettings,
    pub open311: Open311Config,
    /// The weights of the satisfaction index's components.
    pub satisfaction: crate::analytics::Weights,
    /// When the Friday report goes out (Vietnam time).
    pub report_schedule: crate::domain::WeeklySchedule,
    /// The category suggester's model and threshold.
    pub categorizer: categorizer::CategorizerSettings,
    /// The hotline desk's PBX webhook, callers' key and callbacks.
    pub desk: desk::DeskSettings,
    /// The media the notifier delivers on (bookings' messages go only there).
    pub notify_media: std::collections::BTreeSet<crate::domain::Medium>,
}

/// The service handles of one server instance, built together so they share one index, one
/// reference snapshot and one live hub. Only a composition: it has no state of its own.
#[derive(Clone)]
pub struct Services {
    pub reference: ReferenceData,
    pub projection: Projection,
    pub tickets: Tickets,
    pub accounts: Accounts,
    pub photos: Photos,
    pub cameras: Cameras,
    pub planning: Planning,
    /// The procedures catalogue the hotline answers from.
    pub procedures: Procedures,
    /// Feedback published in newspapers.
    pub press: Press,
    pub tiles: Tiles,
    pub kpis: KpiBoards,
    pub analytics: Analytics,
    pub directions: Directions,
    pub reports: Reports,
    pub open311: Open311,
    pub ogc: Ogc,
    pub health: Health,
    /// The live hub and the camera feed, which the WebSocket sessions read.
    pub live: Arc<Live>,
    /// Category suggestions for free text.
    pub categories: categorizer::Categories,
    /// Inquiry calls, callbacks and the phone system.
    pub desk: desk::Desk,
    /// Offices, bookings and queue numbers.
    pub appointments: appointments::Appointments,
}

impl Services {
    /// Loads reference data and the planning zones, bulk-loads the ticket index from the store
    /// and wires the handles together.
    pub async fn start(store: Arc<dyn Store>, settings: &ServiceSettings) -> anyhow::Result<Self> {
        let calendar = Arc::new(match &settings.city.holidays_file {
            Some(path) => HolidayCalendar::load(path)?,
            None => HolidayCalendar::vietnam(),
        });
        let reference = ReferenceData::load(store.clone(), settings.city.levels.clone()).await?;
        let index = Arc::new(RwLock::new(TicketIndex::new()));
        let tiles = Tiles::open(&settings.tiles, &reference, index.clone()).await?;
        let live = Arc::new(Live::new(settings.live.clone()).context("starting the live fan-out runtime")?);
        let facts = Arc::new(RwLock::new(crate::analytics::Facts::new()));
        let projection = Projection::new(
            store.clone(),
            index.clone(),
            facts.clone(),
            reference.clone(),
            tiles.clone(),
            live.clone(),
        );
        let rules = TicketRules {
            city_code: settings.city.city_code.clone(),
            default_deadline_days: settings.city.default_deadline_days,
            tracking_key: settings.tracking_key.clone(),
        };
        let tickets =
            Tickets::new(store.clone(), index.clone(), reference.clone(), calendar.clone(), projection.clone(), rules);
        let media = crate::media::MediaStore::new(settings.media_dir.clone(), settings.media.clone());
        let client = crate::cameras::CameraClient::new(
            crate::cameras::AddressPolicy::new(settings.cameras.allow.clone(), settings.cameras.allow_sockets.clone()),
            settings.cameras.limits.clone(),
        )?;
        let cameras = Cameras::new(store.clone(), client, reference.clone(), live.clone());
        let planning = Planning::new(store.clone(), tiles.clone());
        let procedures = Procedures::start(store.clone()).await?;
        let categories = categorizer::Categories::new(&settings.categorizer, reference.clone())?;
        let desk = desk::Desk::start(store.clone(), tickets.clone(), procedures.clone(), settings.desk.clone()).await?;
        let appointments = appointments::Appointments::new(
            store.clone(),
            procedures.clone(),
            calendar.clone(),
            settings.tracking_key.clone(),
            appointments::AppointmentSettings {
                notify_media: settings.notify_media.clone(),
                public_base_url: settings.open311.public_base_url.clone(),
            },
        );
        let analytics = Analytics::new(store.clone(), facts, tickets.clone(), calendar, settings.satisfaction);
        let services = Services {
            accounts: Accounts::new(store.clone(), reference.clone(), settings.session_ttl),
            photos: Photos::new(tickets.clone(), media),
            kpis: KpiBoards::new(projection.kpi_ledger(), reference.clone()),
            reports: Reports::new(store.clone(), analytics.clone(), tickets.clone(), settings.report_schedule),
            analytics,
            directions: Directions::new(store.clone(), tickets.clone()),
            press: Press::new(store.clone(), tickets.clone()),
            open311: Open311::new(tickets.clone(), settings.open311.clone()).with_categories(categories.clone()),
            ogc: Ogc::new(tickets.clone(), planning.clone(), cameras.clone()),
            health: Health::new(store.clone()),
            reference,
            projection,
            tickets,
            cameras,
            planning,
            procedures,
            tiles,
            live,
            categories,
            desk,
            appointments,
        };
        services.planning.reload().await?;
        services.projection.rebuild().await?;
        Ok(services)
    }

    /// Re-reads categories, units, rules and areas (after an import or a seed), and updates
    /// what depends on the areas: their tiles and the per-area counters.
    pub async fn reload_reference(&self) -> anyhow::Result<()> {
        let (old, fresh) = self.reference.reload().await?;
        self.tiles.areas_changed(&old.areas, &fresh.areas);
        self.projection.recount();
        Ok(())
    }
}
