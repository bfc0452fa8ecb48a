//! Readiness: whether the store answers.

use std::sync::Arc;

use super::ServiceResult;
use crate::store::Store;

/// Cheap to clone.
#[derive(Clone)]
pub struct Health {
    store: Arc<dyn Store>,
}

impl Health {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// Whether the store answers a trivial query.
    pub async fn store_ready(&self) -> ServiceResult<()> {
        Ok(self.store.ping().await?)
    }
}
