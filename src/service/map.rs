//! The map wall's ticket layer in one response: every open ticket the viewer may see, plus
//! those closed recently, as compact rows straight from the index (no store round trip), with
//! the `seq` they reflect so the wall follows the live feed from exactly there.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::Tickets;
use crate::domain::Scope;
use crate::spatial::EntryRef;

/// The columns of [`MapRow`], in order.
pub const MAP_COLUMNS: [&str; 13] = [
    "id",
    "lon",
    "lat",
    "status",
    "category",
    "area",
    "unit",
    "priority",
    "received_at",
    "deadline",
    "resolved_at",
    "version",
    "supporters",
];

/// One ticket: `[id, lon, lat, status, category, area, unit, priority, received_at, deadline,
/// resolved_at, version, supporters]`, instants in Unix seconds (supporters up to 63). No
/// description, address or personal data.
#[derive(Debug, Serialize)]
pub struct MapRow(
    pub String,
    pub f64,
    pub f64,
    pub &'static str,
    pub String,
    pub Option<String>,
    pub Option<String>,
    pub serde_json::Value,
    pub i64,
    pub i64,
    pub Option<i64>,
    pub i64,
    pub u32,
);

impl MapRow {
    fn of(e: EntryRef<'_>) -> Self {
        let at = e.location();
        MapRow(
            e.id().to_string(),
            at.lon,
            at.lat,
            e.status().as_str(),
            e.category().as_str().to_owned(),
            e.area().map(|a| a.as_str().to_owned()),
            e.unit().map(|u| u.as_str().to_owned()),
            serde_json::to_value(e.priority()).unwrap_or_default(),
            e.received_at().timestamp(),
            e.deadline().timestamp(),
            e.resolved_at().map(|t| t.timestamp()),
            e.version(),
            e.supporters(),
        )
    }
}

/// `GET /api/v1/map/tickets`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MapTickets {
    /// The last event `seq` the rows include: follow the live feed with `since` = this.
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// Names of the row columns.
    pub columns: Vec<&'static str>,
    /// One array per ticket, in `columns` order.
    #[schema(value_type = Vec<Vec<serde_json::Value>>)]
    pub rows: Vec<MapRow>,
}

impl Tickets {
    /// Open tickets in scope, plus those received or resolved within `recent` before now.
    pub fn map_tickets(&self, scope: &Scope, recent: Duration) -> MapTickets {
        // The seq first: the index then holds at least everything up to it.
        let seq = self.applied_seq();
        let at = self.now();
        let since = at - recent;
        let in_scope = |e: &EntryRef<'_>| match scope {
            Scope::All => true,
            Scope::Areas(a) => e.area().is_some_and(|x| a.contains(x)),
            Scope::Units(u) => e.unit().is_some_and(|x| u.contains(x)),
        };
        let rows = {
            let index = self.index.read().expect("index lock");
            index.entries().filter(|e| e.open_or_since(since) && in_scope(e)).map(MapRow::of).collect()
        };
        MapTickets { seq, at, columns: MAP_COLUMNS.to_vec(), rows }
    }
}
