//! The staff side of offices (`docs/appointments.md`): admins edit offices and close them;
//! operators book for a caller; the office's clerks check people in and call numbers at their
//! counters; leaders read the figures.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::Utc;
use serde::Deserialize;
use uuid::Uuid;

use super::AppState;
use super::appointments::{idempotency_key, parse_day};
use super::auth::{ADMIN, Auth, CENTRE, Gate, mask};
use super::error::{ApiResult, Problem};
use super::json::{ApiJson, ApiQuery};
use crate::domain::appointment::VisitOutcome;
use crate::domain::schedule::vietnam_date;
use crate::domain::{Office, Role, ValidationErrors};
use crate::service::ServiceError;
use crate::service::appointments::booking::{BookingInput, BookingView};
use crate::service::appointments::closure::{ClosureInput, ClosureResult};
use crate::service::appointments::figures::AppointmentFigures;
use crate::service::appointments::queue::{CheckedIn, NumberView};

/// Who may read offices' settings.
const OFFICE_READERS: &[Role] = &[Role::Admin, Role::Operator, Role::Leader, Role::Analyst, Role::Clerk];
/// Who works counters (a clerk only at their offices, checked by the service).
const COUNTER: &[Role] = &[Role::Admin, Role::Clerk];
/// Who reads an office's bookings.
const BOOKING_READERS: &[Role] = &[Role::Admin, Role::Operator, Role::Clerk];
/// Who reads the figures.
const FIGURE_READERS: &[Role] = &[Role::Admin, Role::Operator, Role::Leader, Role::Analyst];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/offices", get(list))
        .route("/api/v1/offices/{office}", put(put_office))
        .route("/api/v1/offices/{office}/closures", post(close))
        .route("/api/v1/offices/{office}/bookings", get(bookings))
        .route("/api/v1/offices/{office}/queue", get(queue))
        .route("/api/v1/offices/{office}/checkin", post(check_in))
        .route("/api/v1/offices/{office}/counters/{counter}/next", post(call_next))
        .route("/api/v1/offices/{office}/queue/{id}/finish", post(finish))
        .route("/api/v1/bookings", post(book))
        .route("/api/v1/stats/appointments", get(figures))
}

/// Offices with their settings (a clerk sees their own). Roles: admin, operator, leader,
/// analyst, clerk.
#[utoipa::path(get, path = "/api/v1/offices", tag = "appointments", operation_id = "offices",
    responses((status = 200, body = Vec<Office>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Office>>> {
    let p = auth.require(OFFICE_READERS)?;
    let all = s.appointments.offices().await?;
    Ok(Json(match p {
        crate::domain::Principal::User(u) if u.role == Role::Clerk => {
            all.into_iter().filter(|o| u.offices.iter().any(|x| x == o.id.as_str())).collect()
        }
        _ => all,
    }))
}

/// Creates or replaces an office: its counters, hours, booking rules and services (each
/// procedure must be in the catalogue). Roles: admin.
#[utoipa::path(put, path = "/api/v1/offices/{office}", tag = "appointments", operation_id = "office_put",
    params(("office" = String, Path)), request_body = Office,
    responses((status = 200, body = Office), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_office(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(ADMIN) }>,
    Path(id): Path<String>,
    ApiJson(office): ApiJson<Office>,
) -> ApiResult<Json<Office>> {
    Ok(Json(s.appointments.put_office(&p, &id, office).await?))
}

/// Closes an office for a period: each booking in it moves to the nearest free slot of its
/// service and its holder is told; those no slot takes are listed (`unplaced`). Roles: admin.
#[utoipa::path(post, path = "/api/v1/offices/{office}/closures", tag = "appointments", operation_id = "office_close",
    params(("office" = String, Path)), request_body = ClosureInput,
    responses((status = 201, body = ClosureResult), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn close(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(ADMIN) }>,
    Path(office): Path<String>,
    ApiJson(input): ApiJson<ClosureInput>,
) -> ApiResult<Response> {
    Ok((StatusCode::CREATED, Json(s.appointments.close_office(&p, &office, input).await?)).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct DayParams {
    /// `YYYY-MM-DD` (default today, Vietnam time).
    day: Option<String>,
}

/// An office's bookings of a day, with names and numbers (personal data). Roles: admin,
/// operator, clerk (their offices).
#[utoipa::path(get, path = "/api/v1/offices/{office}/bookings", tag = "appointments", operation_id = "office_bookings",
    params(("office" = String, Path), DayParams),
    responses((status = 200, body = Vec<BookingView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn bookings(
    State(s): State<AppState>,
    auth: Auth,
    Path(office): Path<String>,
    ApiQuery(q): ApiQuery<DayParams>,
) -> ApiResult<Json<Vec<BookingView>>> {
    let p = auth.require(BOOKING_READERS)?;
    let day = match q.day.as_deref() {
        None => vietnam_date(Utc::now()),
        raw => {
            let mut errs = ValidationErrors::new();
            let d = parse_day(raw, "day", &mut errs);
            errs.into_result()?;
            d.expect("validated")
        }
    };
    Ok(Json(s.appointments.office_day(p, &office, day).await?))
}

/// Today's numbers at the office, oldest first, with the names of those with a booking. Roles:
/// admin, clerk (their offices).
#[utoipa::path(get, path = "/api/v1/offices/{office}/queue", tag = "appointments", operation_id = "office_queue",
    params(("office" = String, Path)),
    responses((status = 200, body = Vec<NumberView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn queue(State(s): State<AppState>, auth: Auth, Path(office): Path<String>) -> ApiResult<Json<Vec<NumberView>>> {
    let p = auth.require(COUNTER)?;
    Ok(Json(s.appointments.day_queue(p, &office).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    /// The booking's code, typed or read from its QR code.
    pub code: String,
}

/// Checks in a booking of today: it gets an `H` number and joins the queue. Roles: admin, clerk
/// (their offices).
#[utoipa::path(post, path = "/api/v1/offices/{office}/checkin", tag = "appointments", operation_id = "office_checkin",
    params(("office" = String, Path)), request_body = CheckInInput,
    responses((status = 200, body = CheckedIn), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn check_in(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(COUNTER) }>,
    Path(office): Path<String>,
    ApiJson(body): ApiJson<CheckInInput>,
) -> ApiResult<Json<CheckedIn>> {
    Ok(Json(s.appointments.check_in(&p, &office, &body.code).await?))
}

/// Calls the next number to the counter: those sent to it, then appointments due, then priority
/// numbers, then the rest (the one still called there is marked served). 204 when nobody
/// waits. Roles: admin, clerk (their offices).
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/next", tag = "appointments", operation_id = "office_call_next",
    params(("office" = String, Path), ("counter" = i32, Path)),
    responses((status = 200, body = NumberView), (status = 204, description = "Nobody waits"), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn call_next(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(COUNTER) }>,
    Path((office, counter)): Path<(String, String)>,
) -> ApiResult<Response> {
    let counter: i32 = counter.parse().map_err(|_| ValidationErrors::single("counter", "must be a whole number"))?;
    Ok(match s.appointments.call_next(&p, &office, counter).await? {
        Some(n) => Json(n).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinishInput {
    pub outcome: VisitOutcome,
    /// For a transfer: the counter it goes to.
    #[serde(default)]
    pub to_counter: Option<i32>,
}

/// Ends a called number's turn: served, no-show, or transferred to another counter. Roles:
/// admin, clerk (their offices).
#[utoipa::path(post, path = "/api/v1/offices/{office}/queue/{id}/finish", tag = "appointments", operation_id = "office_finish",
    params(("office" = String, Path), ("id" = String, Path)), request_body = FinishInput,
    responses((status = 200, body = NumberView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn finish(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(COUNTER) }>,
    Path((office, id)): Path<(String, String)>,
    ApiJson(body): ApiJson<FinishInput>,
) -> ApiResult<Json<NumberView>> {
    let id: Uuid = id.parse().map_err(|_| ServiceError::NotFound("queue number".into()))?;
    Ok(Json(s.appointments.finish(&p, &office, id, body.outcome, body.to_counter).await?))
}

/// Books for a caller on the phone (channel `console`); the same body and answers as the public
/// booking. Roles: admin, operator.
#[utoipa::path(post, path = "/api/v1/bookings", tag = "appointments", operation_id = "console_book",
    request_body = BookingInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "The same key books once")),
    responses((status = 201, body = BookingView), (status = 200, body = BookingView), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn book(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(CENTRE) }>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<BookingInput>,
) -> ApiResult<Response> {
    let done = s.appointments.book(&p, input, idempotency_key(&headers)?, None).await?;
    let status = if done.replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(done.view)).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct FigureParams {
    /// First day, `YYYY-MM-DD` (default 30 days ago).
    from: Option<String>,
    /// Last day (default today).
    to: Option<String>,
    office: Option<String>,
}

/// Bookings, shows and no-shows, waiting and service minutes, by office, service and hour, and
/// the survey's means. Counts only. Roles: admin, operator, leader, analyst.
#[utoipa::path(get, path = "/api/v1/stats/appointments", tag = "appointments", operation_id = "stats_appointments",
    params(FigureParams),
    responses((status = 200, body = AppointmentFigures), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn figures(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<FigureParams>,
) -> ApiResult<Json<AppointmentFigures>> {
    let p = auth.require(FIGURE_READERS)?;
    let today = vietnam_date(Utc::now());
    let mut errs = ValidationErrors::new();
    let from = if q.from.is_some() {
        parse_day(q.from.as_deref(), "from", &mut errs)
    } else {
        Some(today - chrono::Duration::days(30))
    };
    let to = if q.to.is_some() { parse_day(q.to.as_deref(), "to", &mut errs) } else { Some(today) };
    errs.into_result()?;
    let office = q.office.as_deref().filter(|o| !o.trim().is_empty());
    Ok(Json(s.appointments.figures(p, from.expect("validated"), to.expect("validated"), office).await?))
}
