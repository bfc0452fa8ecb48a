//! Directions (chỉ đạo): a leader directs a unit — on one ticket, or on its backlog in an area
//! or a field — to act by a due date; the unit acknowledges it and reports back.
//!
//! ```text
//! open ─acknowledge→ acknowledged ─report→ reported
//!   └──────────────report───────────────────┘
//! ```

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{AreaCode, Field, TicketId, UnitCode, ValidationErrors};

/// Longest text of a direction or of a report, in characters.
pub const MAX_DIRECTION_CHARS: usize = 2000;

/// Where a direction is in its handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DirectionStatus {
    /// Issued; the unit has not acknowledged it yet.
    Open,
    /// The unit has seen it and is acting on it.
    Acknowledged,
    /// The unit has reported back.
    Reported,
}

impl DirectionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DirectionStatus::Open => "open",
            DirectionStatus::Acknowledged => "acknowledged",
            DirectionStatus::Reported => "reported",
        }
    }

    pub fn parse(s: &str, field: &str) -> Result<Self, ValidationErrors> {
        match s {
            "open" => Ok(DirectionStatus::Open),
            "acknowledged" => Ok(DirectionStatus::Acknowledged),
            "reported" => Ok(DirectionStatus::Reported),
            _ => Err(ValidationErrors::single(field, "must be open, acknowledged or reported")),
        }
    }
}

/// A direction to a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Direction {
    pub id: Uuid,
    /// The unit directed.
    pub unit: UnitCode,
    /// The ticket it is about, for a direction on one ticket.
    pub ticket: Option<TicketId>,
    /// For a direction on a unit's backlog: the area (with the areas below) …
    pub area: Option<AreaCode>,
    /// … and the field it covers (none: every field).
    pub field: Option<Field>,
    /// What the unit is to do.
    pub text: String,
    /// When it is to be done by.
    pub due_at: DateTime<Utc>,
    /// Who issued it (`user:NAME`).
    pub issued_by: String,
    pub issued_at: DateTime<Utc>,
    pub status: DirectionStatus,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// The unit's report back.
    pub report: Option<String>,
    pub reported_by: Option<String>,
    pub reported_at: Option<DateTime<Utc>>,
    /// Incremented by every change; used for optimistic concurrency.
    pub version: i64,
}

/// What a leader directs: to whom, about what, what to do and by when.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub unit: UnitCode,
    pub ticket: Option<TicketId>,
    pub area: Option<AreaCode>,
    pub field: Option<Field>,
    pub text: String,
    pub due_at: DateTime<Utc>,
}

impl Direction {
    /// A direction just issued by `by` at `at`: open, at version 1.
    pub fn issue(what: Issue, id: Uuid, by: String, at: DateTime<Utc>) -> Direction {
        let Issue { unit, ticket, area, field, text, due_at } = what;
        Direction {
            id,
            unit,
            ticket,
            area,
            field,
            text,
            due_at,
            issued_by: by,
            issued_at: at,
            status: DirectionStatus::Open,
            acknowledged_by: None,
            acknowledged_at: None,
            report: None,
            reported_by: None,
            reported_at: None,
            version: 1,
        }
    }

    /// Not reported back by its due date, at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status != DirectionStatus::Reported && now > self.due_at
    }

    /// The unit acknowledges an open direction.
    pub fn acknowledge(&self, by: &str, now: DateTime<Utc>) -> Result<Direction, &'static str> {
        match self.status {
            DirectionStatus::Open => Ok(Direction {
                status: DirectionStatus::Acknowledged,
                acknowledged_by: Some(by.to_owned()),
                acknowledged_at: Some(now),
                version: self.version + 1,
                ..self.clone()
            }),
            DirectionStatus::Acknowledged => Err("this direction is already acknowledged"),
            DirectionStatus::Reported => Err("this direction has already been reported on"),
        }
    }

    /// The unit reports back (acknowledging it too, if it had not).
    pub fn report_back(&self, text: &str, by: &str, now: DateTime<Utc>) -> Result<Direction, ValidationErrors> {
        if self.status == DirectionStatus::Reported {
            return Err(ValidationErrors::single("report", "this direction has already been reported on"));
        }
        let report = checked_text(text, "report")?;
        Ok(Direction {
            status: DirectionStatus::Reported,
            acknowledged_by: self.acknowledged_by.clone().or_else(|| Some(by.to_owned())),
            acknowledged_at: self.acknowledged_at.or(Some(now)),
            report: Some(report),
            reported_by: Some(by.to_owned()),
            reported_at: Some(now),
            version: self.version + 1,
            ..self.clone()
        })
    }
}

/// A trimmed, non-empty text of at most [`MAX_DIRECTION_CHARS`] characters.
pub fn checked_text(text: &str, field: &str) -> Result<String, ValidationErrors> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ValidationErrors::single(field, "must not be empty"));
    }
    if t.chars().count() > MAX_DIRECTION_CHARS {
        return Err(ValidationErrors::single(field, format!("must be at most {MAX_DIRECTION_CHARS} characters")));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn direction() -> Direction {
        let now = Utc::now();
        let what = Issue {
            unit: UnitCode::parse("DN-HC-UBND", "unit").unwrap(),
            ticket: None,
            area: None,
            field: None,
            text: "Giải quyết dứt điểm tồn đọng quá hạn".into(),
            due_at: now + Duration::days(3),
        };
        Direction::issue(what, Uuid::now_v7(), "user:lanh.dao".into(), now)
    }

    #[test]
    fn a_direction_is_acknowledged_once_then_reported_once() {
        let d = direction();
        let now = d.issued_at + Duration::hours(1);
        let ack = d.acknowledge("user:can.bo", now).unwrap();
        assert_eq!((ack.status, ack.version, ack.acknowledged_at), (DirectionStatus::Acknowledged, 2, Some(now)));
        assert!(ack.acknowledge("user:can.bo", now).is_err());
        let done = ack.report_back("  Đã xử lý 12/12 phản ánh  ", "user:can.bo", now).unwrap();
        assert_eq!(done.report.as_deref(), Some("Đã xử lý 12/12 phản ánh"));
        assert_eq!(done.acknowledged_at, Some(now), "kept from the acknowledgement");
        assert!(done.report_back("again", "user:can.bo", now).is_err());
        assert!(!done.is_overdue(done.due_at + Duration::days(1)), "reported directions are never overdue");
    }

    #[test]
    fn reporting_an_open_direction_acknowledges_it_and_needs_a_text() {
        let d = direction();
        assert!(d.report_back("   ", "user:x", Utc::now()).is_err());
        let done = d.report_back("Xong", "user:x", d.issued_at).unwrap();
        assert_eq!(done.acknowledged_by.as_deref(), Some("user:x"));
        assert!(d.is_overdue(d.due_at + Duration::seconds(1)));
        assert!(!d.is_overdue(d.due_at));
    }
}
