//! The application's operations, between the HTTP edge and the store: intake, transitions,
//! queries through the R-tree, reference data and authentication. No HTTP types here.
//!
//! [`Services`] is a cheap-to-clone handle over shared state. The spatial index and the
//! reference snapshot sit behind `std::sync::RwLock`s: they are only ever locked for
//! synchronous work and never across an `.await`.

pub mod auth;
pub mod query;
pub mod reference;
pub mod tickets;

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};

use crate::config::Settings;
use crate::domain::{HolidayCalendar, Ticket, TransitionError, ValidationErrors};
use crate::spatial::{TicketEntry, TicketIndex};
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

/// Shared state of one server instance.
pub struct Shared {
    pub store: Arc<dyn Store>,
    /// Every ticket by location: the query engine for listings, counters and nearby checks.
    /// A std lock: held only for synchronous index work, never across `.await`.
    pub index: RwLock<TicketIndex>,
    /// Categories, units, routing rules and the area index, replaced whole on reload.
    pub reference: RwLock<Arc<Reference>>,
    pub calendar: HolidayCalendar,
    pub settings: Settings,
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
        let reference = Reference::load(store.as_ref(), &settings).await?;
        let services = Services(Arc::new(Shared {
            store,
            index: RwLock::new(TicketIndex::new()),
            reference: RwLock::new(Arc::new(reference)),
            calendar,
            settings,
        }));
        services.rebuild_index().await?;
        Ok(services)
    }

    /// Re-reads categories, units, rules and areas (after an import or a seed).
    pub async fn reload_reference(&self) -> anyhow::Result<()> {
        let fresh = Reference::load(self.store.as_ref(), &self.settings).await?;
        *self.reference.write().expect("reference lock") = Arc::new(fresh);
        Ok(())
    }

    /// Rebuilds the R-tree from every stored ticket (bulk load).
    pub async fn rebuild_index(&self) -> anyhow::Result<()> {
        let tickets = self.store.all_tickets().await?;
        let entries: Vec<TicketEntry> = tickets.iter().map(TicketEntry::from_ticket).collect();
        let fresh = TicketIndex::bulk_load(entries);
        *self.index.write().expect("index lock") = fresh;
        Ok(())
    }

    /// The current reference snapshot.
    pub fn reference(&self) -> Arc<Reference> {
        self.reference.read().expect("reference lock").clone()
    }

    /// Applies a committed ticket state to the index (ignored if the index has a newer version).
    pub fn apply(&self, ticket: &Ticket) {
        self.index.write().expect("index lock").upsert(TicketEntry::from_ticket(ticket));
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
