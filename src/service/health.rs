//! Readiness (whether the store answers) and the store-side figures of `/metrics`.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::ServiceResult;
use crate::store::Store;
pub use crate::store::{NotificationBacklog, PoolUse};

/// Cheap to clone.
#[derive(Clone)]
pub struct Health {
    store: Arc<dyn Store>,
}

/// What the store says of the instance's work at one moment (for `/metrics`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoreFigures {
    /// The last event committed by any instance.
    pub last_seq: i64,
    /// The last event the notifier (of any instance) has planned notifications for.
    pub notify_cursor: i64,
    pub notifications: NotificationBacklog,
}

impl Health {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// Whether the store answers a trivial query.
    pub async fn store_ready(&self) -> ServiceResult<()> {
        Ok(self.store.ping().await?)
    }

    /// The connection pool's use now (no query).
    pub fn pool_use(&self) -> PoolUse {
        self.store.pool_use()
    }

    /// The outbox's head, the notifier's cursor and its queue (three small queries).
    pub async fn store_figures(&self, now: DateTime<Utc>) -> ServiceResult<StoreFigures> {
        Ok(StoreFigures {
            last_seq: self.store.last_seq().await?,
            notify_cursor: self.store.notify_cursor().await?,
            notifications: self.store.notification_backlog(now).await?,
        })
    }
}
