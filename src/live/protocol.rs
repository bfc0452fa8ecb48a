//! The messages of the live protocol (`docs/live-protocol.md`): what clients send, and the
//! frames the server builds. Event frames are built once per event by the follower.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Topic;
use crate::domain::{AreaCode, BBox, Priority, Ticket, TicketEvent};
use crate::spatial::AreaStats;

/// A message from the client.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    Subscribe {
        topics: Vec<String>,
        #[serde(default)]
        bbox: Option<[f64; 4]>,
        #[serde(default)]
        areas: Option<Vec<String>>,
        #[serde(default)]
        since: Option<i64>,
    },
}

/// A subscription as the client asked for it, checked for shape: known topics, a valid bbox,
/// well-formed area codes. Whether the areas exist, and the role's scope, are the session's.
#[derive(Debug)]
pub struct Subscription {
    pub topics: Vec<Topic>,
    pub bbox: Option<BBox>,
    pub areas: Option<Vec<AreaCode>>,
    pub since: Option<i64>,
}

/// Reads a client's message; an error is `(code, message)` for the `error` frame.
pub fn parse_subscribe(text: &str) -> Result<Subscription, (&'static str, String)> {
    let msg: ClientMessage = serde_json::from_str(text).map_err(|e| ("bad_message", e.to_string()))?;
    let ClientMessage::Subscribe { topics, bbox, areas, since } = msg;
    let topics = topics
        .iter()
        .map(|t| {
            Topic::parse(t)
                .ok_or_else(|| ("bad_topic", format!("unknown topic {t:?}; use tickets, areas, kpis or cameras")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let bbox =
        bbox.map(|[a, b, c, d]| BBox::new(a, b, c, d, "bbox").map_err(|e| ("bad_bbox", e.to_string()))).transpose()?;
    let areas = areas
        .map(|codes| {
            codes.iter().map(|c| AreaCode::parse(c, "areas").map_err(|e| ("bad_area", e.to_string()))).collect()
        })
        .transpose()?;
    Ok(Subscription { topics, bbox, areas, since })
}

/// `{"type":"hello","seq":N,"oldest_seq":M}`.
pub fn hello(seq: i64, oldest_seq: i64) -> String {
    json!({"type": "hello", "seq": seq, "oldest_seq": oldest_seq}).to_string()
}

/// `{"type":"subscribed","seq":N}`: the filter is in force; events after `seq` follow.
pub fn subscribed(seq: i64) -> String {
    json!({"type": "subscribed", "seq": seq}).to_string()
}

/// `{"type":"resync","seq":N}`: `since` is older than what is kept; reload, then follow.
pub fn resync(seq: i64) -> String {
    json!({"type": "resync", "seq": seq}).to_string()
}

/// `{"type":"error","code":…,"message":…}`.
pub fn error(code: &str, message: &str) -> String {
    json!({"type": "error", "code": code, "message": message}).to_string()
}

/// The public summary of a ticket sent in events: no description, address or personal data.
#[derive(Debug, Serialize)]
pub struct TicketSummary<'a> {
    pub id: String,
    pub code: &'a str,
    pub status: &'a str,
    pub category: &'a str,
    pub location: LonLat,
    pub area: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub deadline: chrono::DateTime<chrono::Utc>,
    pub overdue: bool,
    pub priority: Priority,
    pub received_at: chrono::DateTime<chrono::Utc>,
    pub version: i64,
    /// Citizens supporting the report ("me too"): a count, never who.
    pub supporters: u32,
}

#[derive(Debug, Serialize)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

/// An event frame as it is written: serialised straight to text, without building a JSON
/// tree first (one is written for every event).
#[derive(Serialize)]
struct EventFrame<'a> {
    r#type: &'static str,
    seq: i64,
    kind: String,
    at: chrono::DateTime<chrono::Utc>,
    data: TicketSummary<'a>,
    counters: &'a BTreeMap<String, AreaStats>,
}

/// The text of an event frame: `{"type":"event","seq","kind","at","data","counters"}`.
pub fn event_frame(ev: &TicketEvent, t: &Ticket, overdue: bool, counters: &BTreeMap<String, AreaStats>) -> String {
    let data = TicketSummary {
        id: t.id.to_string(),
        code: t.code.as_str(),
        status: t.status.as_str(),
        category: t.category.as_str(),
        location: LonLat { lon: t.location.lon, lat: t.location.lat },
        area: t.area.as_ref().map(|a| a.as_str()),
        unit: t.unit.as_ref().map(|u| u.as_str()),
        deadline: t.deadline,
        overdue,
        priority: t.priority,
        received_at: t.received_at,
        version: t.version,
        supporters: t.supporters,
    };
    let frame = EventFrame { r#type: "event", seq: ev.seq, kind: ev.kind.wire_name(), at: ev.at, data, counters };
    serde_json::to_string(&frame).expect("an event frame serialises")
}
