//! Directions (chỉ đạo): leaders issue them to units, units acknowledge and report back.
//! Roles are named on each route; the service checks the areas and units of each.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use uuid::Uuid;

use super::auth::{Auth, Gate, STAFF, mask};
use super::error::{ApiResult, Problem};
use super::json::{ApiJson, ApiQuery};
use crate::domain::{DirectionStatus, UnitCode, ValidationErrors};
use crate::http::AppState;
use crate::service::directions::{DirectionQuery, DirectionView, Directions, NewDirection};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/directions", get(list).post(issue))
        .route("/api/v1/directions/{id}", get(one))
        .route("/api/v1/directions/{id}/acknowledge", post(acknowledge))
        .route("/api/v1/directions/{id}/report", post(report))
        .route("/api/v1/tickets/{id}/directions", get(for_ticket))
}

fn direction_id(raw: &str) -> ApiResult<Uuid> {
    Ok(Uuid::parse_str(raw.trim()).map_err(|_| ValidationErrors::single("id", "must be a direction id (UUID)"))?)
}

/// Issues a direction to a unit: on a ticket (it goes to the ticket's unit) or on a unit's
/// backlog in an area and/or field, with a due date. Roles: leader (their areas and
/// tickets), admin.
#[utoipa::path(post, path = "/api/v1/directions", tag = "directions", operation_id = "issue_direction", request_body = NewDirection,
    responses((status = 201, body = DirectionView), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn issue(
    State(d): State<Directions>,
    Gate(p): Gate<{ mask(STAFF) }>,
    ApiJson(input): ApiJson<NewDirection>,
) -> ApiResult<(StatusCode, Json<DirectionView>)> {
    Ok((StatusCode::CREATED, Json(d.issue(&p, input).await?)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListParams {
    /// Comma-separated statuses: `open`, `acknowledged`, `reported`.
    status: Option<String>,
    /// Only directions to this unit.
    unit: Option<String>,
    /// `true`: only those past their due date and not reported.
    overdue: Option<String>,
}

/// Directions, soonest due first: admins and operators see all, leaders those in their
/// areas, agency staff those to their units. Roles: admin, operator, leader, agency.
#[utoipa::path(get, path = "/api/v1/directions", tag = "directions", operation_id = "list_directions", params(ListParams),
    responses((status = 200, body = Vec<DirectionView>), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list(
    State(d): State<Directions>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<Vec<DirectionView>>> {
    let p = auth.require(STAFF)?;
    let mut errs = ValidationErrors::new();
    let statuses = q
        .status
        .as_deref()
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .filter_map(|x| errs.take(DirectionStatus::parse(x, "status")))
                .collect()
        })
        .unwrap_or_default();
    let unit = q.unit.as_deref().and_then(|u| errs.take(UnitCode::parse(u.trim(), "unit")));
    let overdue_only = match q.overdue.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            errs.push("overdue", "must be true or false");
            false
        }
    };
    errs.into_result()?;
    Ok(Json(d.list(p, &DirectionQuery { statuses, unit, ticket: None, overdue_only }).await?))
}

/// One direction. Roles: admin, operator, leader (their areas), agency (their units).
#[utoipa::path(get, path = "/api/v1/directions/{id}", tag = "directions", operation_id = "direction",
    responses((status = 200, body = DirectionView), (status = 404, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn one(State(d): State<Directions>, auth: Auth, Path(id): Path<String>) -> ApiResult<Json<DirectionView>> {
    let p = auth.require(STAFF)?;
    Ok(Json(d.get(p, direction_id(&id)?).await?))
}

/// The unit acknowledges a direction (409 if it already has). Roles: agency (the unit
/// directed), admin.
#[utoipa::path(post, path = "/api/v1/directions/{id}/acknowledge", tag = "directions", operation_id = "acknowledge_direction",
    responses((status = 200, body = DirectionView), (status = 409, body = Problem), (status = 404, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn acknowledge(
    State(d): State<Directions>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<DirectionView>> {
    let p = auth.require(STAFF)?;
    Ok(Json(d.acknowledge(p, direction_id(&id)?).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBack {
    /// What the unit did.
    pub report: String,
}

/// The unit reports back on a direction (409 if it already has). Roles: agency (the unit
/// directed), admin.
#[utoipa::path(post, path = "/api/v1/directions/{id}/report", tag = "directions", operation_id = "report_direction", request_body = ReportBack,
    responses((status = 200, body = DirectionView), (status = 409, body = Problem), (status = 422, body = Problem), (status = 404, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn report(
    State(d): State<Directions>,
    Gate(p): Gate<{ mask(STAFF) }>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReportBack>,
) -> ApiResult<Json<DirectionView>> {
    Ok(Json(d.report(&p, direction_id(&id)?, &body.report).await?))
}

/// The directions on one ticket, for its timeline. Roles: admin, operator, leader (their
/// areas), agency (their units).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/directions", tag = "directions", operation_id = "ticket_directions",
    responses((status = 200, body = Vec<DirectionView>), (status = 404, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn for_ticket(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DirectionView>>> {
    let p = auth.require(STAFF)?;
    let id = s.tickets.resolve(&id).await?;
    s.tickets.get_ticket(id, p).await?;
    Ok(Json(s.directions.list(p, &DirectionQuery { ticket: Some(id), ..Default::default() }).await?))
}
