//! [`Directions`]: leaders direct units (chỉ đạo) on one ticket or on a unit's backlog in an
//! area or field, with a due date; the unit acknowledges and reports back. Who may do what:
//! - issue: leaders (tickets and areas of their own), admins (anywhere);
//! - read: admins and operators every direction, leaders those in their areas, agency staff
//!   those to their units;
//! - acknowledge and report back: staff of the unit directed (or of a unit above it), admins.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ServiceError, ServiceResult, Tickets};
use crate::domain::calendar::end_of_day;
use crate::domain::direction::{Issue, checked_text};
use crate::domain::{
    AreaCode, Direction, DirectionStatus, Field, Principal, Role, Scope, TicketId, UnitCode, ValidationErrors,
};
use crate::store::{DirectionFilter, Store, StoreError};

/// How far ahead a due date may be.
pub const MAX_DUE_DAYS: i64 = 366;

/// A direction as it is issued (raw strings, validated by [`Directions::issue`]).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDirection {
    /// A ticket (id or code): the direction is about it, and goes to its unit.
    pub ticket: Option<String>,
    /// The unit directed (for a direction on a backlog; for a ticket, its unit).
    pub unit: Option<String>,
    /// The area of the backlog (with the areas below); a leader must name one of theirs.
    pub area: Option<String>,
    /// The field of the backlog.
    pub field: Option<String>,
    /// What the unit is to do.
    pub text: String,
    /// The due date: `YYYY-MM-DD` (the end of that day, Vietnam time) or an RFC 3339 instant.
    pub due: String,
}

/// A direction with what the reader needs beside it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DirectionView {
    #[serde(flatten)]
    pub direction: Direction,
    /// Not reported back by its due date.
    pub overdue: bool,
    /// The ticket's public code, for a direction on a ticket.
    pub ticket_code: Option<String>,
}

/// Which directions to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DirectionQuery {
    pub statuses: Vec<DirectionStatus>,
    pub unit: Option<UnitCode>,
    pub ticket: Option<TicketId>,
    /// Only those past their due date and not reported.
    pub overdue_only: bool,
}

/// Cheap to clone.
#[derive(Clone)]
pub struct Directions {
    store: Arc<dyn Store>,
    tickets: Tickets,
}

fn due_at(raw: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, ValidationErrors> {
    let raw = raw.trim();
    let due = match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(day) => end_of_day(day),
        Err(_) => DateTime::parse_from_rfc3339(raw)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| ValidationErrors::single("due", "must be a date (YYYY-MM-DD) or an RFC 3339 instant"))?,
    };
    if due <= now {
        return Err(ValidationErrors::single("due", "must be in the future"));
    }
    if due > now + Duration::days(MAX_DUE_DAYS) {
        return Err(ValidationErrors::single("due", format!("must be within {MAX_DUE_DAYS} days")));
    }
    Ok(due.trunc_subsecs(0))
}

impl Directions {
    pub fn new(store: Arc<dyn Store>, tickets: Tickets) -> Self {
        Self { store, tickets }
    }

    fn scope(&self, p: &Principal) -> ServiceResult<Scope> {
        match p.role() {
            None => Err(ServiceError::Unauthenticated),
            Some(Role::Admin | Role::Operator | Role::Leader | Role::Agency) => self
                .tickets
                .scope(p, &self.tickets.reference())
                .ok_or_else(|| ServiceError::Forbidden("directions are for staff".into())),
            Some(_) => Err(ServiceError::Forbidden("directions are for staff".into())),
        }
    }

    /// Issues a direction as `p` (a leader or an admin).
    pub async fn issue(&self, p: &Principal, input: NewDirection) -> ServiceResult<DirectionView> {
        if !matches!(p.role(), Some(Role::Leader | Role::Admin)) {
            return Err(match p.role() {
                None => ServiceError::Unauthenticated,
                Some(_) => ServiceError::Forbidden("only leaders and admins issue directions".into()),
            });
        }
        let scope = self.scope(p)?;
        let reference = self.tickets.reference();
        let now = Utc::now().trunc_subsecs(6);
        let mut errs = ValidationErrors::new();
        let text = errs.take(checked_text(&input.text, "text"));
        let due = errs.take(due_at(&input.due, now));
        let unit = match input.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) => match UnitCode::parse(u, "unit") {
                Ok(code) if reference.unit(&code).is_some() => Some(code),
                Ok(code) => {
                    errs.push("unit", format!("no unit {code}"));
                    None
                }
                Err(e) => {
                    errs.take::<()>(Err(e));
                    None
                }
            },
            None => None,
        };
        let area = input.area.as_deref().map(str::trim).filter(|a| !a.is_empty()).and_then(|a| {
            let code = errs.take(AreaCode::parse(a, "area"))?;
            if !reference.areas.versions().iter().any(|v| v.code == code) {
                errs.push("area", format!("no area {code}"));
                return None;
            }
            Some(code)
        });
        let field: Option<Field> = input.field.as_deref().map(str::trim).filter(|f| !f.is_empty()).and_then(|f| {
            serde_json::from_value(serde_json::Value::String(f.to_owned()))
                .map_err(|_| errs.push("field", format!("`{f}` is not a field")))
                .ok()
        });
        let (ticket, unit) = match input.ticket.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(raw) => {
                errs.clone().into_result()?;
                let id = self.tickets.resolve(raw).await?;
                let t = self.tickets.get_ticket(id, p).await?.ticket;
                let Some(assigned) = t.unit.clone() else {
                    return Err(ValidationErrors::single(
                        "ticket",
                        "the ticket is not with a unit yet: assign it first",
                    )
                    .into());
                };
                if unit.as_ref().is_some_and(|u| u != &assigned) {
                    return Err(ValidationErrors::single(
                        "unit",
                        format!("the ticket is with {assigned}; a direction on it goes there"),
                    )
                    .into());
                }
                if area.is_some() || field.is_some() {
                    return Err(
                        ValidationErrors::single("area", "a direction on a ticket takes no area or field").into()
                    );
                }
                (Some(id), Some(assigned))
            }
            None => {
                if unit.is_none() && !errs.0.iter().any(|e| e.field == "unit") {
                    errs.push("unit", "name the unit directed (or a ticket)");
                }
                if let (Scope::Areas(mine), Role::Leader) = (&scope, p.role().unwrap_or(Role::Leader)) {
                    match &area {
                        None => errs.push("area", "name one of your areas"),
                        Some(a) if !mine.contains(a) => errs.push("area", "this area is not one of yours"),
                        Some(_) => {}
                    }
                }
                (None, unit)
            }
        };
        errs.into_result()?;
        let (Some(text), Some(due), Some(unit)) = (text, due, unit) else {
            return Err(ServiceError::Internal(anyhow::anyhow!("validated direction without a field")));
        };
        let d = Direction::issue(
            Issue { unit, ticket, area, field, text, due_at: due },
            Uuid::now_v7(),
            p.actor_name(),
            now,
        );
        self.store.insert_direction(&d).await?;
        Ok(self.views(vec![d], now).await?.remove(0))
    }

    /// The directions `p` may read that match `q`, soonest due first.
    pub async fn list(&self, p: &Principal, q: &DirectionQuery) -> ServiceResult<Vec<DirectionView>> {
        let scope = self.scope(p)?;
        let filter = DirectionFilter {
            units: q.unit.iter().cloned().collect(),
            tickets: q.ticket.iter().copied().collect(),
            statuses: q.statuses.clone(),
            limit: 1000,
        };
        let found = self.store.directions(&filter).await?;
        let now = Utc::now();
        let visible = self.visible(&scope, found).await?;
        let views = self.views(visible, now).await?;
        Ok(views.into_iter().filter(|v| !q.overdue_only || v.overdue).collect())
    }

    /// One direction, if `p` may read it.
    pub async fn get(&self, p: &Principal, id: Uuid) -> ServiceResult<DirectionView> {
        let scope = self.scope(p)?;
        let d = self.store.direction(id).await?.ok_or_else(|| ServiceError::NotFound(format!("direction {id}")))?;
        let mut visible = self.visible(&scope, vec![d]).await?;
        let d = visible
            .pop()
            .ok_or_else(|| ServiceError::OutOfScope("this direction is outside your areas or units".into()))?;
        Ok(self.views(vec![d], Utc::now()).await?.remove(0))
    }

    /// The unit acknowledges a direction.
    pub async fn acknowledge(&self, p: &Principal, id: Uuid) -> ServiceResult<DirectionView> {
        self.change(p, id, |d, by, now| d.acknowledge(by, now).map_err(|m| ServiceError::Conflict(m.into()))).await
    }

    /// The unit reports back on a direction.
    pub async fn report(&self, p: &Principal, id: Uuid, text: &str) -> ServiceResult<DirectionView> {
        self.change(p, id, |d, by, now| {
            d.report_back(text, by, now).map_err(|e| {
                if e.0.iter().any(|f| f.message.contains("already")) {
                    ServiceError::Conflict(e.to_string())
                } else {
                    e.into()
                }
            })
        })
        .await
    }

    async fn change(
        &self,
        p: &Principal,
        id: Uuid,
        step: impl Fn(&Direction, &str, DateTime<Utc>) -> ServiceResult<Direction>,
    ) -> ServiceResult<DirectionView> {
        let may = matches!((p.role(), self.scope(p)?), (Some(Role::Admin), _) | (Some(Role::Agency), Scope::Units(_)));
        if !may {
            return Err(ServiceError::Forbidden("only the unit directed answers a direction".into()));
        }
        let scope = self.scope(p)?;
        let d = self.store.direction(id).await?.ok_or_else(|| ServiceError::NotFound(format!("direction {id}")))?;
        if let Scope::Units(mine) = &scope
            && !mine.contains(&d.unit)
        {
            return Err(ServiceError::OutOfScope("this direction is to another unit".into()));
        }
        let now = Utc::now().trunc_subsecs(6);
        let next = step(&d, &p.actor_name(), now)?;
        match self.store.update_direction(&next, d.version).await {
            Ok(()) => Ok(self.views(vec![next], now).await?.remove(0)),
            Err(StoreError::Invalid(m)) => Err(ServiceError::Conflict(m)),
            Err(e) => Err(e.into()),
        }
    }

    /// Keeps the directions `scope` may read: a leader's are those in their areas (by the
    /// direction's area, or its ticket's).
    async fn visible(&self, scope: &Scope, found: Vec<Direction>) -> ServiceResult<Vec<Direction>> {
        Ok(match scope {
            Scope::All => found,
            Scope::Units(mine) => found.into_iter().filter(|d| mine.contains(&d.unit)).collect(),
            Scope::Areas(mine) => {
                let areas = self.ticket_areas(&found).await?;
                found
                    .into_iter()
                    .filter(|d| match (&d.area, d.ticket) {
                        (Some(a), _) => mine.contains(a),
                        (None, Some(t)) => areas.get(&t).and_then(Option::as_ref).is_some_and(|a| mine.contains(a)),
                        (None, None) => false,
                    })
                    .collect()
            }
        })
    }

    async fn ticket_areas(&self, ds: &[Direction]) -> ServiceResult<HashMap<TicketId, Option<AreaCode>>> {
        let ids: Vec<TicketId> = ds.iter().filter_map(|d| d.ticket).collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        Ok(self.store.tickets_by_ids(&ids).await?.into_iter().map(|t| (t.id, t.area)).collect())
    }

    async fn views(&self, ds: Vec<Direction>, now: DateTime<Utc>) -> ServiceResult<Vec<DirectionView>> {
        let ids: Vec<TicketId> = ds.iter().filter_map(|d| d.ticket).collect();
        let codes: HashMap<TicketId, String> = if ids.is_empty() {
            HashMap::new()
        } else {
            self.store.tickets_by_ids(&ids).await?.into_iter().map(|t| (t.id, t.code.0)).collect()
        };
        Ok(ds
            .into_iter()
            .map(|d| DirectionView {
                overdue: d.is_overdue(now),
                ticket_code: d.ticket.and_then(|t| codes.get(&t).cloned()),
                direction: d,
            })
            .collect())
    }
}
