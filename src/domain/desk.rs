//! The hotline desk: calls that are questions ([`Inquiry`]), the callers to ring back
//! ([`Callback`]), and the phone system's call events ([`CallEvent`], merged into a [`PbxCall`]).
//!
//! Personal data throughout (the caller's name and number, what they asked): stored apart from
//! tickets, shown only to the centre, never in events, public responses or exports. A caller's
//! earlier contacts are found by a keyed hash of their number ([`caller_key`]), never by the
//! number itself.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use super::{CallRecord, TicketId, ValidationErrors};

/// Longest topic, in characters.
pub const MAX_TOPIC_CHARS: usize = 300;
/// Longest answer or note, in characters.
pub const MAX_ANSWER_CHARS: usize = 4000;
/// Longest caller's name, department or reason, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest PBX call id.
pub const MAX_CALL_ID_CHARS: usize = 128;
/// Longest extension.
pub const MAX_EXTENSION_CHARS: usize = 32;
/// How far ahead a callback may be due.
pub const MAX_CALLBACK_DAYS: i64 = 30;

/// How an inquiry call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InquiryOutcome {
    /// The operator answered the question.
    Answered,
    /// Put through to a department (`transferred_to` says which).
    Transferred,
    /// Someone must call back (a [`Callback`] is opened).
    Callback,
    /// The caller needs an appointment at an office.
    Appointment,
    /// The call was a problem after all: a ticket was filed (`ticket` says which).
    TicketFiled,
}

impl InquiryOutcome {
    pub const ALL: [InquiryOutcome; 5] =
        [Self::Answered, Self::Transferred, Self::Callback, Self::Appointment, Self::TicketFiled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::Transferred => "transferred",
            Self::Callback => "callback",
            Self::Appointment => "appointment",
            Self::TicketFiled => "ticket_filed",
        }
    }
}

/// A call that was a question, recorded without a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Inquiry {
    pub id: Uuid,
    /// When the call began, how long it lasted, where its recording is (filled in from the
    /// phone system when the call ends, if it came through it).
    pub call: CallRecord,
    /// The phone system's id of the call, when it came through the PBX webhook.
    pub call_id: Option<String>,
    pub caller_name: Option<String>,
    pub caller_phone: Option<String>,
    /// What the caller asked about.
    pub topic: String,
    /// The procedure of the catalogue the answer came from.
    pub procedure: Option<String>,
    /// The procedure's field (lĩnh vực), for the statistics.
    pub field: Option<String>,
    /// What the operator told the caller.
    pub answer: String,
    pub outcome: InquiryOutcome,
    /// The department the call was put through to.
    pub transferred_to: Option<String>,
    /// The ticket filed in this call.
    pub ticket: Option<TicketId>,
    /// The operator who took the call (login name).
    pub operator: String,
    pub created_at: DateTime<Utc>,
}

/// Where a callback came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallbackSource {
    Inquiry,
    MissedCall,
}

/// Where a callback is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallbackState {
    Open,
    Done,
    Cancelled,
}

/// A caller to ring back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Callback {
    pub id: Uuid,
    pub source: CallbackSource,
    pub inquiry: Option<Uuid>,
    /// The missed call it came from.
    pub call_id: Option<String>,
    pub caller_name: Option<String>,
    pub caller_phone: String,
    /// Why to call back.
    pub reason: String,
    pub due_at: DateTime<Utc>,
    /// The operator who took it (login name).
    pub owner: Option<String>,
    pub state: CallbackState,
    /// Calls back that did not reach the caller.
    pub attempts: i32,
    /// Further calls the same caller made that were missed while it was open.
    pub missed_calls: i32,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<String>,
    /// Incremented by every change (optimistic concurrency).
    pub version: i64,
}

impl Callback {
    /// Open and past its due time at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.state == CallbackState::Open && now > self.due_at
    }
}

/// What an operator does with a callback.
#[derive(Debug, Clone, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum CallbackAction {
    /// Take it: the operator becomes its owner.
    Take,
    /// Give it back to the list.
    Release,
    /// Called, did not reach the caller: try again at `due_at` (by default in an hour).
    Attempt {
        #[serde(default)]
        note: Option<String>,
        #[serde(default)]
        due_at: Option<DateTime<Utc>>,
    },
    /// Called back and settled.
    Done {
        #[serde(default)]
        note: Option<String>,
    },
    /// No longer needed (the caller called again and was helped, a wrong number…).
    Cancel { note: String },
}

/// Why a callback action is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    #[error("the callback is {0:?} already")]
    Closed(CallbackState),
    #[error("{0} has taken this callback")]
    TakenBy(String),
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
}

impl Callback {
    /// The callback after `action` by `operator` at `now` (version bumped), or why not.
    pub fn apply(&self, action: &CallbackAction, operator: &str, now: DateTime<Utc>) -> Result<Self, CallbackError> {
        if self.state != CallbackState::Open {
            return Err(CallbackError::Closed(self.state));
        }
        let mut next = self.clone();
        next.version += 1;
        next.updated_at = now;
        let mine = |c: &Self| match &c.owner {
            Some(o) if o != operator => Err(CallbackError::TakenBy(o.clone())),
            _ => Ok(()),
        };
        match action {
            CallbackAction::Take => {
                mine(self)?;
                next.owner = Some(operator.to_owned());
            }
            CallbackAction::Release => {
                mine(self)?;
                next.owner = None;
            }
            CallbackAction::Attempt { note, due_at } => {
                mine(self)?;
                let mut errs = ValidationErrors::new();
                let note = text(note.as_deref(), "note", MAX_ANSWER_CHARS, false, &mut errs);
                let due = due_at.unwrap_or(now + Duration::hours(1));
                check_due(due, now, "due_at", &mut errs);
                errs.into_result()?;
                next.owner = Some(operator.to_owned());
                next.attempts += 1;
                next.due_at = due;
                next.note = note.or(next.note);
            }
            CallbackAction::Done { note } => {
                let mut errs = ValidationErrors::new();
                let note = text(note.as_deref(), "note", MAX_ANSWER_CHARS, false, &mut errs);
                errs.into_result()?;
                next.state = CallbackState::Done;
                next.note = note.or(next.note);
                next.closed_at = Some(now);
                next.closed_by = Some(operator.to_owned());
                next.owner = next.owner.or(Some(operator.to_owned()));
            }
            CallbackAction::Cancel { note } => {
                let mut errs = ValidationErrors::new();
                let note = text(Some(note), "note", MAX_ANSWER_CHARS, true, &mut errs);
                errs.into_result()?;
                next.state = CallbackState::Cancelled;
                next.note = note;
                next.closed_at = Some(now);
                next.closed_by = Some(operator.to_owned());
            }
        }
        Ok(next)
    }
}

/// The kinds of call event a PBX sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallEventKind {
    /// The call rings (at an operator's extension, or in a queue).
    Ringing,
    /// An operator answered it.
    Answered,
    /// An answered call ended.
    Ended,
    /// The caller hung up, or nobody answered: the call is to be returned.
    Missed,
}

impl CallEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ringing => "ringing",
            Self::Answered => "answered",
            Self::Ended => "ended",
            Self::Missed => "missed",
        }
    }
}

/// One call event from the phone system, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallEvent {
    pub call_id: String,
    pub kind: CallEventKind,
    pub at: DateTime<Utc>,
    /// The caller's number, normalised ([`normalise_phone`]).
    pub caller: Option<String>,
    pub extension: Option<String>,
    pub duration_seconds: Option<u32>,
    pub recording_ref: Option<String>,
}

/// A call as the PBX's events have told it so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PbxCall {
    pub call_id: String,
    /// The furthest state heard of: ringing → answered → ended, or missed.
    pub state: CallEventKind,
    pub caller_phone: Option<String>,
    pub extension: Option<String>,
    /// The operator who held the extension.
    pub operator: Option<String>,
    pub ringing_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub duration_seconds: Option<u32>,
    pub recording_ref: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl PbxCall {
    /// When the call began: it rang, or (if the ringing was not heard of) it was answered.
    pub fn started_at(&self) -> Option<DateTime<Utc>> {
        self.ringing_at.or(self.answered_at).or(self.ended_at)
    }
}

/// The state of a call from what was heard of it, in whatever order its events came: ended
/// once answered and ended, answered once answered, missed if never answered, ringing before.
/// (The store computes the same rule over its columns.)
pub fn call_state(answered: bool, ended: bool, missed: bool) -> CallEventKind {
    match (answered, ended, missed) {
        (true, true, _) => CallEventKind::Ended,
        (true, false, _) => CallEventKind::Answered,
        (false, _, true) => CallEventKind::Missed,
        (false, true, false) => CallEventKind::Ended,
        (false, false, false) => CallEventKind::Ringing,
    }
}

/// A phone number as digits, in the national form: `+84 905 123.456`, `84905123456` and
/// `0905123456` are all `0905123456`. `None` unless it has 3 to 15 digits and only the
/// separators people write (spaces, dots, dashes, brackets, a leading `+`).
pub fn normalise_phone(raw: &str) -> Option<String> {
    let t = raw.trim();
    let (plus, rest) = match t.strip_prefix('+') {
        Some(r) => (true, r),
        None => (false, t),
    };
    if !rest.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')')) {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if !(3..=15).contains(&digits.len()) {
        return None;
    }
    // Vietnam's country code, with or without the plus, before a 9- or 10-digit subscriber.
    match digits.strip_prefix("84") {
        Some(national) if (plus || digits.len() >= 11) && (9..=10).contains(&national.len()) => {
            Some(format!("0{national}"))
        }
        _ if plus => Some(format!("+{digits}")),
        _ => Some(digits),
    }
}

/// The keyed hash (HMAC-SHA256 under the desk's key) a caller's earlier contacts are found by:
/// equal for every way of writing one number, useless without the key.
pub fn caller_key(key: &[u8], phone: &str) -> Option<Vec<u8>> {
    let n = normalise_phone(phone)?;
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    m.update(n.as_bytes());
    Some(m.finalize().into_bytes().to_vec())
}

/// Trimmed text of at most `max` characters without control characters (line breaks allowed);
/// `None` when empty, an error naming `field` when required and empty.
pub fn text(raw: Option<&str>, field: &str, max: usize, required: bool, errs: &mut ValidationErrors) -> Option<String> {
    let t = raw.map(str::trim).filter(|t| !t.is_empty());
    let Some(t) = t else {
        if required {
            errs.push(field, "is required");
        }
        return None;
    };
    if t.chars().count() > max {
        errs.push(field, format!("must be at most {max} characters"));
        return None;
    }
    if t.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        errs.push(field, "must not contain control characters");
        return None;
    }
    Some(t.to_owned())
}

/// A call id or an extension: visible ASCII without spaces, 1 to `max` characters.
pub fn token(
    raw: Option<&str>,
    field: &str,
    max: usize,
    required: bool,
    errs: &mut ValidationErrors,
) -> Option<String> {
    let t = raw.map(str::trim).filter(|t| !t.is_empty());
    let Some(t) = t else {
        if required {
            errs.push(field, "is required");
        }
        return None;
    };
    if t.len() > max || !t.bytes().all(|b| b.is_ascii_graphic()) {
        errs.push(field, format!("must be 1 to {max} visible ASCII characters without spaces"));
        return None;
    }
    Some(t.to_owned())
}

/// A caller's number as given: kept as written (trimmed) when it is a plausible number.
pub fn phone(raw: Option<&str>, field: &str, required: bool, errs: &mut ValidationErrors) -> Option<String> {
    let t = text(raw, field, 32, required, errs)?;
    if normalise_phone(&t).is_none() {
        errs.push(field, "must be a phone number of 3 to 15 digits");
        return None;
    }
    Some(t)
}

/// A callback's due time must be after `now` less a minute and within [`MAX_CALLBACK_DAYS`].
pub fn check_due(due: DateTime<Utc>, now: DateTime<Utc>, field: &str, errs: &mut ValidationErrors) {
    if due < now - Duration::minutes(1) {
        errs.push(field, "must not be in the past");
    } else if due > now + Duration::days(MAX_CALLBACK_DAYS) {
        errs.push(field, format!("must be within {MAX_CALLBACK_DAYS} days"));
    }
}

#[cfg(test)]
mod tests;
