//! Tickets: a citizen's report with a coordinate, a handling status and a deadline.
//!
//! The public part ([`Ticket`]) never holds personal data; the reporter's contact
//! ([`ReporterContact`]) is stored apart and only shown to roles allowed to see it.

use base64::Engine;
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{AreaCode, CategoryCode, Location, UnitCode, ValidationErrors};

/// A ticket's id: a UUIDv7 (time-ordered), so ids sort by creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, format = Uuid)]
pub struct TicketId(pub Uuid);

impl TicketId {
    pub fn new_v7() -> Self {
        Self(Uuid::now_v7())
    }
    pub fn parse(s: &str, field: &str) -> Result<Self, ValidationErrors> {
        Uuid::parse_str(s).map(Self).map_err(|_| ValidationErrors::single(field, "must be a UUID"))
    }
}

impl std::fmt::Display for TicketId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The code a citizen reads out on the phone: `{CITY}-{YYMM}-{NNNNNN}`, e.g. `DN-2611-000123`
/// (city prefix, year and month of receipt in Vietnam time, then a per-month serial number).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, example = "DN-2611-000123")]
pub struct TicketCode(pub String);

impl TicketCode {
    /// The per-month prefix, e.g. `DN-2611` for a ticket received in November 2026.
    pub fn prefix(city: &str, received_at: DateTime<Utc>) -> String {
        let local = received_at.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
        format!("{city}-{}", local.format("%y%m"))
    }

    /// The code for serial number `n` under `prefix`.
    pub fn compose(prefix: &str, n: i64) -> Self {
        Self(format!("{prefix}-{n:06}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The citizen's secret tracking token: 192 random bits, URL-safe base64 (32 characters).
/// Only its SHA-256 hash is stored; the token itself is shown once, at creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingToken(pub String);

impl TrackingToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 24];
        rand::rng().fill_bytes(&mut bytes);
        Self(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The token of ticket `id` under the server's tracking key: HMAC-SHA256 over the id,
    /// 24 bytes of it in URL-safe base64 (as long as a generated one). Tickets filed from
    /// chat, SMS or a phone call get this one, so the notifier can put the tracking link in
    /// the citizen's first message without the token ever being stored: it re-derives it at
    /// delivery and checks it against the stored hash.
    pub fn derive(key: &[u8], id: TicketId) -> Self {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
        mac.update(b"switchboard tracking token\0");
        mac.update(id.0.as_bytes());
        let tag = mac.finalize().into_bytes();
        Self(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&tag[..24]))
    }

    /// SHA-256 of the token: what the store keeps.
    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }

    /// Whether this token hashes to `stored` (compared in constant time).
    pub fn matches(&self, stored: &[u8]) -> bool {
        let h = self.hash();
        h.len() == stored.len() && h.iter().zip(stored).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// How a report reached the centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Hotline,
    Web,
    App,
    Email,
    Zalo,
    Facebook,
    Sms,
    Open311,
    Operator,
    /// Reported in a newspaper (the article is kept beside the ticket).
    Press,
}

/// Handling priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

/// Where a ticket is in its handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Filed; waiting for the centre to forward it.
    Received,
    /// Forwarded to a unit, which has not accepted it yet.
    Assigned,
    /// The unit has accepted it.
    Accepted,
    /// The unit is working on it.
    InProgress,
    /// The unit sent it back to the centre for re-routing.
    Returned,
    /// Settled by the unit, with a result; may be reopened.
    Resolved,
    /// Finished: the result is final.
    Closed,
    /// Refused by the centre (spam, out of scope).
    Rejected,
    /// A duplicate of another ticket.
    Duplicate,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Received,
        Status::Assigned,
        Status::Accepted,
        Status::InProgress,
        Status::Returned,
        Status::Resolved,
        Status::Closed,
        Status::Rejected,
        Status::Duplicate,
    ];

    /// Still waiting to be settled (counts against its deadline).
    pub fn is_open(self) -> bool {
        matches!(self, Status::Received | Status::Assigned | Status::Accepted | Status::InProgress | Status::Returned)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Assigned => "assigned",
            Status::Accepted => "accepted",
            Status::InProgress => "in_progress",
            Status::Returned => "returned",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
            Status::Rejected => "rejected",
            Status::Duplicate => "duplicate",
        }
    }

    pub fn parse(s: &str, field: &str) -> Result<Self, ValidationErrors> {
        Self::ALL.into_iter().find(|x| x.as_str() == s).ok_or_else(|| {
            ValidationErrors::single(
                field,
                "status must be one of received, assigned, accepted, in_progress, returned, resolved, closed, rejected, duplicate",
            )
        })
    }
}

/// A citizen's satisfaction rating, 1 (very unhappy) to 5 (very happy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "u8", into = "u8")]
#[schema(value_type = u8)]
pub struct Rating(u8);

impl Rating {
    pub fn parse(v: i64, field: &str) -> Result<Self, ValidationErrors> {
        if (1..=5).contains(&v) {
            Ok(Self(v as u8))
        } else {
            Err(ValidationErrors::single(field, "rating must be an integer from 1 to 5"))
        }
    }
    pub fn get(self) -> u8 {
        self.0
    }
}
impl TryFrom<u8> for Rating {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, String> {
        Self::parse(v as i64, "rating").map_err(|e| e.to_string())
    }
}
impl From<Rating> for u8 {
    fn from(r: Rating) -> u8 {
        r.0
    }
}

/// Personal data of the reporter. Stored apart from the ticket; never public.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReporterContact {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl ReporterContact {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.phone.is_none() && self.email.is_none()
    }
}

/// The public part of a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ticket {
    pub id: TicketId,
    pub code: TicketCode,
    pub channel: Channel,
    pub category: CategoryCode,
    pub description: String,
    pub location: Location,
    pub address: Option<String>,
    /// The most specific area the location fell in when the ticket was filed.
    pub area: Option<AreaCode>,
    pub priority: Priority,
    pub status: Status,
    /// The unit the ticket is forwarded to.
    pub unit: Option<UnitCode>,
    pub received_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// The published result of the handling.
    pub result: Option<String>,
    pub rating: Option<Rating>,
    pub rating_comment: Option<String>,
    pub duplicate_of: Option<TicketId>,
    /// Citizens who added their support ("me too") instead of filing the same problem again.
    #[serde(default)]
    pub supporters: u32,
    /// Incremented by every change; used for optimistic concurrency.
    pub version: i64,
}

impl Ticket {
    /// Open and past its deadline at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status.is_open() && now > self.deadline
    }

    /// Resolved after its deadline.
    pub fn is_late(&self) -> bool {
        self.resolved_at.is_some_and(|r| r > self.deadline)
    }
}

/// A validated intake: the public part of a ticket as it is filed. The reporter's contact
/// travels apart (it is stored apart).
#[derive(Debug, Clone, PartialEq)]
pub struct NewTicket {
    pub channel: Channel,
    pub category: CategoryCode,
    pub description: String,
    pub location: Location,
    pub address: Option<String>,
    /// The most specific area the location falls in.
    pub area: Option<AreaCode>,
    pub priority: Priority,
}

impl Ticket {
    /// A freshly filed ticket: `received`, with no unit, at version 1. Its code is left empty:
    /// the store numbers it in the insert transaction.
    pub fn received(id: TicketId, new: NewTicket, received_at: DateTime<Utc>, deadline: DateTime<Utc>) -> Self {
        let NewTicket { channel, category, description, location, address, area, priority } = new;
        Self {
            id,
            code: TicketCode(String::new()),
            channel,
            category,
            description,
            location,
            address,
            area,
            priority,
            status: Status::Received,
            unit: None,
            received_at,
            deadline,
            resolved_at: None,
            closed_at: None,
            updated_at: received_at,
            result: None,
            rating: None,
            rating_comment: None,
            supporters: 0,
            duplicate_of: None,
            version: 1,
        }
    }
}

/// What happened to a ticket. Every transition is one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Created,
    Assigned,
    Forwarded,
    Accepted,
    Started,
    Progress,
    Returned,
    Resolved,
    Closed,
    Rejected,
    Duplicate,
    Reopened,
    Extended,
    Rated,
    Overdue,
    /// Photos were added (the note says how many and which kind); the ticket is unchanged.
    PhotoAdded,
    /// A citizen added their support ("me too"): one more supporter, and maybe a higher priority.
    Supported,
}

impl EventKind {
    /// The wire name used in the live protocol: `ticket.created`, `ticket.assigned`, ….
    pub fn wire_name(self) -> String {
        let s = serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        format!("ticket.{s}")
    }
}

/// One committed event in the outbox. `seq` is assigned by the store and strictly increases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TicketEvent {
    pub seq: i64,
    pub ticket_id: TicketId,
    pub kind: EventKind,
    /// Who did it: `user:NAME`, `apikey:NAME`, `public` or `system`.
    pub actor: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
    /// The ticket's public part after the change (never personal data).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_tokens_are_stable_per_key_and_ticket_and_as_long_as_generated_ones() {
        let (a, b) = (TicketId::new_v7(), TicketId::new_v7());
        let t = TrackingToken::derive(b"key one", a);
        assert_eq!(t, TrackingToken::derive(b"key one", a));
        assert_ne!(t, TrackingToken::derive(b"key two", a));
        assert_ne!(t, TrackingToken::derive(b"key one", b));
        assert_eq!(t.0.len(), TrackingToken::generate().0.len());
        assert!(t.matches(&t.hash()));
        assert!(!TrackingToken::generate().matches(&t.hash()));
    }
}
