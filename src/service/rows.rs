//! The tickets of recent pages, kept in memory by (id, version), so that a listing whose page
//! the index has chosen reads only the tickets it has not read since they last changed.
//!
//! A stored ticket is a function of its id and version: every change of a ticket goes through
//! the store's version-checked update (`TicketStore::update_ticket`), which raises the version.
//! So a ticket kept here is served only when the index holds the same version; any other
//! version is read from the store again (and kept in its place). quick_cache bounds the memory
//! and evicts the coldest first (CLOCK-Pro), as the tile cache and the session memory do.

use std::sync::Arc;

use quick_cache::sync::Cache;

use crate::domain::{Ticket, TicketId};
use crate::store::{StoreResult, TicketStore};

/// Tickets kept at most (a page is at most 500; about 1 KB each).
pub const ROWS_KEPT: usize = 20_000;

/// Recently read tickets by id, each at one version. Cheap to clone.
#[derive(Clone)]
pub struct TicketRows(Arc<Cache<TicketId, Arc<Ticket>>>);

impl Default for TicketRows {
    fn default() -> Self {
        Self(Arc::new(Cache::new(ROWS_KEPT)))
    }
}

impl TicketRows {
    /// The tickets of `wanted` (id, version as the index holds it), in that order: kept ones
    /// at that version from memory, the others from the store in one query. A ticket the
    /// store no longer has is left out, as `tickets_by_ids` does.
    pub async fn read<S: TicketStore + ?Sized>(
        &self,
        store: &S,
        wanted: &[(TicketId, i64)],
    ) -> StoreResult<Vec<Ticket>> {
        let mut found: Vec<Option<Ticket>> = wanted
            .iter()
            .map(|&(id, version)| self.0.get(&id).filter(|t| t.version == version).map(|t| Ticket::clone(&t)))
            .collect();
        let missing: Vec<TicketId> = wanted.iter().zip(&found).filter(|(_, f)| f.is_none()).map(|(w, _)| w.0).collect();
        if !missing.is_empty() {
            for t in store.tickets_by_ids(&missing).await? {
                let at = wanted.iter().position(|w| w.0 == t.id);
                self.0.insert(t.id, Arc::new(t.clone()));
                if let Some(i) = at {
                    found[i] = Some(t);
                }
            }
        }
        Ok(found.into_iter().flatten().collect())
    }
}
