//! Bookings and queue numbers at offices (`docs/appointments.md`): their states, codes and
//! labels, which number a counter calls next, how long a waiting person may wait, and the
//! visit survey. Pure.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ValidationErrors;
use super::office::OfficeId;

/// What became of a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    CheckedIn,
    Served,
    NoShow,
    Cancelled,
}

impl BookingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::CheckedIn => "checked_in",
            Self::Served => "served",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Booked, Self::CheckedIn, Self::Served, Self::NoShow, Self::Cancelled]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    /// Holding its place in the slot (counted against the capacity and the person's limit).
    pub fn holds_place(self) -> bool {
        matches!(self, Self::Booked | Self::CheckedIn | Self::Served)
    }
}

/// The characters of booking codes: no 0/O, 1/I/L, so a code read over the phone is not misheard.
const CODE_CHARS: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A new booking code, `LH-` and six characters (31⁶ ≈ 887 million).
pub fn new_booking_code(rng: &mut impl Rng) -> String {
    let tail: String = (0..6).map(|_| CODE_CHARS[rng.random_range(0..CODE_CHARS.len())] as char).collect();
    format!("LH-{tail}")
}

/// A booking code as typed or scanned: `lh7k2m9q`, `LH-7K2M9Q`, ` LH 7K2M9Q ` are all
/// `LH-7K2M9Q`. `None` unless it is one.
pub fn parse_booking_code(raw: &str) -> Option<String> {
    let s: String = raw.trim().chars().filter(|c| !matches!(c, '-' | ' ')).collect::<String>().to_ascii_uppercase();
    let tail = s.strip_prefix("LH")?;
    (tail.len() == 6 && tail.bytes().all(|b| CODE_CHARS.contains(&b))).then(|| format!("LH-{tail}"))
}

/// What kind of place in the queue a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QueueKind {
    /// A booked appointment, checked in (`H`).
    Appointment,
    /// The elderly, people with disabilities, pregnant women (`U`).
    Priority,
    /// Everyone else (`A`).
    Normal,
}

impl QueueKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Appointment => "appointment",
            Self::Priority => "priority",
            Self::Normal => "normal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Appointment, Self::Priority, Self::Normal].into_iter().find(|x| x.as_str() == s)
    }

    pub fn prefix(self) -> &'static str {
        match self {
            Self::Appointment => "H",
            Self::Priority => "U",
            Self::Normal => "A",
        }
    }

    /// `A012`, `U004`, `H003`.
    pub fn label(self, number: i64) -> String {
        format!("{}{:03}", self.prefix(), number)
    }
}

/// Why a number has priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PriorityReason {
    Elderly,
    Disability,
    Pregnant,
}

impl PriorityReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Elderly => "elderly",
            Self::Disability => "disability",
            Self::Pregnant => "pregnant",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Elderly, Self::Disability, Self::Pregnant].into_iter().find(|x| x.as_str() == s)
    }
}

/// Where a queue number stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QueueStatus {
    Waiting,
    Called,
    Served,
    NoShow,
    Transferred,
}

impl QueueStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Called => "called",
            Self::Served => "served",
            Self::NoShow => "no_show",
            Self::Transferred => "transferred",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Waiting, Self::Called, Self::Served, Self::NoShow, Self::Transferred]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// How a called number's turn at the counter ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisitOutcome {
    Served,
    NoShow,
    Transferred,
}

/// A waiting number as the call rule sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    pub id: Uuid,
    pub kind: QueueKind,
    pub issued_at: DateTime<Utc>,
    /// For appointments: when the booked slot starts.
    pub slot_at: Option<DateTime<Utc>>,
    /// Sent to this counter by another.
    pub to_counter: Option<i32>,
}

/// How early an appointment is called before its slot.
pub const APPOINTMENT_EARLY: Duration = Duration::minutes(15);

/// The order a counter calls waiting numbers in: those transferred to it first; then checked-in
/// appointments whose slot starts within [`APPOINTMENT_EARLY`] (or has passed), earliest slot
/// first; then priority numbers; then the rest; each oldest first. Numbers transferred to
/// another counter are not called here. Early appointments wait with the normal queue's order.
pub fn call_order(waiting: &[Waiting], counter: i32, now: DateTime<Utc>) -> Vec<Uuid> {
    let mut v: Vec<(u8, DateTime<Utc>, Uuid)> = waiting
        .iter()
        .filter(|w| w.to_counter.is_none_or(|c| c == counter))
        .map(|w| {
            let rank = match (w.to_counter, w.kind, w.slot_at) {
                (Some(_), _, _) => (0, w.issued_at),
                (None, QueueKind::Appointment, Some(at)) if at - APPOINTMENT_EARLY <= now => (1, at),
                (None, QueueKind::Priority, _) => (2, w.issued_at),
                _ => (3, w.issued_at),
            };
            (rank.0, rank.1, w.id)
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, _, id)| id).collect()
}

/// Minutes a person with `ahead` people before them may wait: each takes `service_minutes` at
/// one of `counters` counters working. Rounded up; 0 when nobody is ahead.
pub fn estimated_wait(ahead: usize, service_minutes: f64, counters: usize) -> u32 {
    if ahead == 0 {
        return 0;
    }
    let per = service_minutes.clamp(1.0, 240.0);
    ((ahead as f64 * per) / counters.max(1) as f64).ceil() as u32
}

/// The five questions of the visit survey (after SIPAS, Vietnam's index of satisfaction with
/// public administrative services), each 1–5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyScores {
    /// Reaching the service: finding the office, booking, waiting conditions.
    pub access: u8,
    /// The procedure: clear, documents as announced.
    pub procedure: u8,
    /// The staff: courteous, helpful, correct.
    pub staff: u8,
    /// Timeliness: served at the time given.
    pub timeliness: u8,
    /// Overall satisfaction.
    pub overall: u8,
}

impl SurveyScores {
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::new();
        for (f, v) in [
            ("access", self.access),
            ("procedure", self.procedure),
            ("staff", self.staff),
            ("timeliness", self.timeliness),
            ("overall", self.overall),
        ] {
            if !(1..=5).contains(&v) {
                errs.push(format!("scores.{f}"), "must be 1–5");
            }
        }
        errs.into_result()
    }
}

/// The number a checked-in booking or a taken number gets is per office and day.
pub fn queue_day_key(office: &OfficeId, day: chrono::NaiveDate) -> String {
    format!("{}:{}", office.as_str(), day.format("%Y-%m-%d"))
}

#[cfg(test)]
#[path = "appointment/tests.rs"]
mod tests;
