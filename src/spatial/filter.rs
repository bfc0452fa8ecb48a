//! What a ticket query asks for: a [`Region`] of the map and a [`TicketFilter`] on attributes.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::TicketEntry;
use crate::domain::{AreaCode, BBox, CategoryCode, Location, Status, UnitCode};

/// Where on the map to look. Coordinates are WGS84 lon/lat degrees; distances in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Region {
    /// The whole index.
    All,
    /// Inside a lon/lat box, edges inclusive (a point exactly on an edge or corner is inside).
    BBox(BBox),
    /// Within `radius_m` metres (haversine) of `center`, the rim included. A negative or NaN
    /// radius matches nothing.
    Near { center: Location, radius_m: f64 },
}

/// Attribute conditions on tickets; every condition that is set must hold. `Default` matches
/// every ticket. A set that is `Some` but empty matches nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketFilter {
    pub statuses: Option<HashSet<Status>>,
    pub categories: Option<HashSet<CategoryCode>>,
    /// Matches a ticket's own (most specific) area code. To select a district, expand it first
    /// with [`super::AreaIndex::descendants`].
    pub areas: Option<HashSet<AreaCode>>,
    pub units: Option<HashSet<UnitCode>>,
    /// Received at or after this instant (inclusive).
    pub received_from: Option<DateTime<Utc>>,
    /// Received strictly before this instant (exclusive).
    pub received_to: Option<DateTime<Utc>>,
    /// Only tickets open and past their deadline at this instant (`deadline < at`).
    pub overdue_at: Option<DateTime<Utc>>,
    /// Only tickets in an open status ([`Status::is_open`]).
    pub open_only: bool,
}

impl TicketFilter {
    /// Whether `e` satisfies every condition. Cost: O(1) — a few comparisons and at most four
    /// hash-set look-ups (cheap conditions first).
    pub fn matches(&self, e: &TicketEntry) -> bool {
        if self.open_only && !e.status.is_open() {
            return false;
        }
        if self.overdue_at.is_some_and(|at| !e.is_overdue(at)) {
            return false;
        }
        if self.received_from.is_some_and(|from| e.received_at < from) {
            return false;
        }
        if self.received_to.is_some_and(|to| e.received_at >= to) {
            return false;
        }
        if self.statuses.as_ref().is_some_and(|s| !s.contains(&e.status)) {
            return false;
        }
        if self.categories.as_ref().is_some_and(|s| !s.contains(&e.category)) {
            return false;
        }
        if self.areas.as_ref().is_some_and(|s| e.area.as_ref().is_none_or(|a| !s.contains(a))) {
            return false;
        }
        if self.units.as_ref().is_some_and(|s| e.unit.as_ref().is_none_or(|u| !s.contains(u))) {
            return false;
        }
        true
    }

    /// Whether this filter matches every ticket (lets callers skip per-ticket checks).
    pub fn is_match_all(&self) -> bool {
        *self == Self::default()
    }
}
