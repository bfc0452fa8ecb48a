//! The status machine: which actor may take which action in which status, and what changes.
//!
//! ```text
//! received ─assign→ assigned ─accept→ accepted ─start→ in_progress ─resolve→ resolved ─close→ closed
//!     │  ▲              │  ▲                                                  │
//!     │  └──return──────┴──┴── (assigned / accepted / in_progress)            └─reopen→ assigned
//!     ├─reject→ rejected            forward: assigned/accepted/in_progress → assigned (other unit)
//!     └─mark_duplicate→ duplicate   extend: any open status, deadline moves
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{EventKind, HolidayCalendar, Rating, Status, Ticket, TicketId, UnitCode, ValidationErrors};

/// Who is acting, as far as the status machine cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The call centre: admins and operators.
    Centre,
    /// Staff of the unit the ticket is assigned to (the caller checks the unit scope).
    Unit,
    /// The citizen who filed the ticket (proved by the tracking token).
    Citizen,
    /// The system itself (timers).
    System,
}

/// An action on a ticket, with its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Forward a received or returned ticket to a unit.
    Assign {
        unit: UnitCode,
        note: Option<String>,
    },
    /// Move a ticket that is with one unit to another (or to a sub-unit).
    Forward {
        unit: UnitCode,
        note: Option<String>,
    },
    Accept {
        note: Option<String>,
    },
    Start {
        note: Option<String>,
    },
    Progress {
        note: String,
    },
    /// Send back to the centre for re-routing.
    Return {
        reason: String,
    },
    Resolve {
        result: String,
    },
    Close {
        note: Option<String>,
    },
    /// Refuse (spam, out of scope).
    Reject {
        reason: String,
    },
    MarkDuplicate {
        of: TicketId,
        note: Option<String>,
    },
    Reopen {
        reason: String,
    },
    /// Move the deadline by `days` working days.
    Extend {
        days: u32,
        reason: String,
    },
    Rate {
        rating: Rating,
        comment: Option<String>,
    },
}

/// The name of an action, without its arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Assign,
    Forward,
    Accept,
    Start,
    Progress,
    Return,
    Resolve,
    Close,
    Reject,
    MarkDuplicate,
    Reopen,
    Extend,
    Rate,
}

impl ActionKind {
    pub const ALL: [ActionKind; 13] = [
        ActionKind::Assign,
        ActionKind::Forward,
        ActionKind::Accept,
        ActionKind::Start,
        ActionKind::Progress,
        ActionKind::Return,
        ActionKind::Resolve,
        ActionKind::Close,
        ActionKind::Reject,
        ActionKind::MarkDuplicate,
        ActionKind::Reopen,
        ActionKind::Extend,
        ActionKind::Rate,
    ];

    /// The statuses this action starts from.
    fn source_statuses(self) -> &'static [Status] {
        use Status::*;
        match self {
            ActionKind::Assign => &[Received, Returned],
            ActionKind::Forward => &[Assigned, Accepted, InProgress],
            ActionKind::Accept => &[Assigned],
            ActionKind::Start => &[Accepted],
            ActionKind::Progress => &[Accepted, InProgress],
            ActionKind::Return => &[Assigned, Accepted, InProgress],
            ActionKind::Resolve => &[Accepted, InProgress],
            ActionKind::Close => &[Resolved],
            ActionKind::Reject => &[Received, Returned],
            ActionKind::MarkDuplicate => &[Received, Returned, Assigned],
            ActionKind::Reopen => &[Resolved, Closed],
            ActionKind::Extend => &[Received, Assigned, Accepted, InProgress, Returned],
            ActionKind::Rate => &[Resolved, Closed],
        }
    }

    /// Whether `actor` may ever take this action.
    fn permits(self, actor: Actor) -> bool {
        use ActionKind::*;
        match actor {
            Actor::Centre => {
                matches!(self, Assign | Forward | Resolve | Close | Reject | MarkDuplicate | Reopen | Extend | Rate)
            }
            Actor::Unit => matches!(self, Forward | Accept | Start | Progress | Return | Resolve),
            // A citizen rates the result, and may reopen it when unhappy (the portal does so on a low rating).
            Actor::Citizen => matches!(self, Rate | Reopen),
            Actor::System => false,
        }
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Assign { .. } => ActionKind::Assign,
            Action::Forward { .. } => ActionKind::Forward,
            Action::Accept { .. } => ActionKind::Accept,
            Action::Start { .. } => ActionKind::Start,
            Action::Progress { .. } => ActionKind::Progress,
            Action::Return { .. } => ActionKind::Return,
            Action::Resolve { .. } => ActionKind::Resolve,
            Action::Close { .. } => ActionKind::Close,
            Action::Reject { .. } => ActionKind::Reject,
            Action::MarkDuplicate { .. } => ActionKind::MarkDuplicate,
            Action::Reopen { .. } => ActionKind::Reopen,
            Action::Extend { .. } => ActionKind::Extend,
            Action::Rate { .. } => ActionKind::Rate,
        }
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TransitionError {
    /// Not possible from the current status (HTTP 409 with the allowed actions).
    #[error("cannot {action:?} a ticket that is {status:?}")]
    NotAllowed { status: Status, action: ActionKind, allowed: Vec<ActionKind> },
    /// This actor may never take this action (HTTP 403).
    #[error("this role may not {action:?} tickets")]
    Forbidden { action: ActionKind },
    /// The arguments are invalid (HTTP 422).
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
}

/// The actions `actor` may take on a ticket in `status`.
pub fn allowed(status: Status, actor: Actor) -> Vec<ActionKind> {
    ActionKind::ALL.into_iter().filter(|k| k.permits(actor) && k.source_statuses().contains(&status)).collect()
}

/// The outcome of a successful action: the ticket after it and the event to record.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub ticket: Ticket,
    pub kind: EventKind,
    pub note: Option<String>,
}

/// Limits on free text in actions.
pub const MAX_NOTE_CHARS: usize = 4000;

fn required(text: &str, field: &str) -> Result<String, ValidationErrors> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ValidationErrors::single(field, "must not be empty"));
    }
    optional(Some(t), field).map(|o| o.unwrap_or_default())
}

fn optional(text: Option<&str>, field: &str) -> Result<Option<String>, ValidationErrors> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() > MAX_NOTE_CHARS => {
            Err(ValidationErrors::single(field, format!("must be at most {MAX_NOTE_CHARS} characters")))
        }
        Some(t) => Ok(Some(t.to_owned())),
    }
}

/// Applies `action` by `actor` at `now`. `deadline_days` is the ticket's category's working-day
/// allowance (used when a reopened ticket gets a fresh deadline).
///
/// Pure: the caller checks unit scopes and that referenced units/tickets exist, then stores the
/// result and its event in one transaction.
pub fn apply(
    ticket: &Ticket,
    action: &Action,
    actor: Actor,
    now: DateTime<Utc>,
    calendar: &HolidayCalendar,
    deadline_days: u32,
) -> Result<Transition, TransitionError> {
    let kind = action.kind();
    if !kind.permits(actor) {
        return Err(TransitionError::Forbidden { action: kind });
    }
    if !kind.source_statuses().contains(&ticket.status) {
        return Err(TransitionError::NotAllowed {
            status: ticket.status,
            action: kind,
            allowed: allowed(ticket.status, actor),
        });
    }
    let mut t = ticket.clone();
    t.version += 1;
    t.updated_at = now;
    let (event, note) = match action {
        Action::Assign { unit, note } | Action::Forward { unit, note } => {
            if kind == ActionKind::Forward && t.unit.as_ref() == Some(unit) {
                return Err(ValidationErrors::single("unit", "the ticket is already with this unit").into());
            }
            t.unit = Some(unit.clone());
            t.status = Status::Assigned;
            let ev = if kind == ActionKind::Assign { EventKind::Assigned } else { EventKind::Forwarded };
            (ev, optional(note.as_deref(), "note")?)
        }
        Action::Accept { note } => {
            t.status = Status::Accepted;
            (EventKind::Accepted, optional(note.as_deref(), "note")?)
        }
        Action::Start { note } => {
            t.status = Status::InProgress;
            (EventKind::Started, optional(note.as_deref(), "note")?)
        }
        Action::Progress { note } => {
            t.status = Status::InProgress;
            (EventKind::Progress, Some(required(note, "note")?))
        }
        Action::Return { reason } => {
            let reason = required(reason, "reason")?;
            t.status = Status::Returned;
            t.unit = None;
            (EventKind::Returned, Some(reason))
        }
        Action::Resolve { result } => {
            let result = required(result, "result")?;
            t.status = Status::Resolved;
            t.resolved_at = Some(now);
            t.result = Some(result.clone());
            (EventKind::Resolved, Some(result))
        }
        Action::Close { note } => {
            t.status = Status::Closed;
            t.closed_at = Some(now);
            (EventKind::Closed, optional(note.as_deref(), "note")?)
        }
        Action::Reject { reason } => {
            let reason = required(reason, "reason")?;
            t.status = Status::Rejected;
            t.closed_at = Some(now);
            (EventKind::Rejected, Some(reason))
        }
        Action::MarkDuplicate { of, note } => {
            if *of == t.id {
                return Err(ValidationErrors::single("of", "a ticket cannot duplicate itself").into());
            }
            t.status = Status::Duplicate;
            t.duplicate_of = Some(*of);
            t.closed_at = Some(now);
            (EventKind::Duplicate, optional(note.as_deref(), "note")?)
        }
        Action::Reopen { reason } => {
            let reason = required(reason, "reason")?;
            t.status = if t.unit.is_some() { Status::Assigned } else { Status::Received };
            t.resolved_at = None;
            t.closed_at = None;
            // The next result gets its own rating; the earlier one stays in the timeline.
            t.rating = None;
            t.rating_comment = None;
            t.deadline = calendar.deadline(now, deadline_days);
            (EventKind::Reopened, Some(reason))
        }
        Action::Extend { days, reason } => {
            let reason = required(reason, "reason")?;
            if !(1..=60).contains(days) {
                return Err(ValidationErrors::single("days", "an extension must be 1 to 60 working days").into());
            }
            t.deadline = calendar.deadline(t.deadline, *days);
            (EventKind::Extended, Some(reason))
        }
        Action::Rate { rating, comment } => {
            if t.rating.is_some() {
                return Err(ValidationErrors::single("rating", "this result was already rated").into());
            }
            t.rating = Some(*rating);
            t.rating_comment = optional(comment.as_deref(), "comment")?;
            (EventKind::Rated, t.rating_comment.clone())
        }
    };
    Ok(Transition { ticket: t, kind: event, note })
}

#[cfg(test)]
mod tests;
