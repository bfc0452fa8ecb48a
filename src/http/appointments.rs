//! The public side of appointments and queue numbers (`docs/appointments.md`): offices and free
//! slots, booking, the citizen's booking with its token, numbers for today, the display board,
//! the visit survey. No answer carries anyone's personal data but the citizen's own booking.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AppState;
use super::auth::Auth;
use super::error::{ApiResult, Problem};
use super::json::{ApiJson, ApiQuery};
use crate::domain::ValidationErrors;
use crate::domain::office::{Closure, Office};
use crate::service::appointments::booking::{BookingInput, BookingView, DaySlots};
use crate::service::appointments::figures::VisitSurveyInput;
use crate::service::appointments::queue::{Board, NumberInput, NumberView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/public/offices", get(offices))
        .route("/api/v1/public/offices/{office}/slots", get(slots))
        .route("/api/v1/public/offices/{office}/queue", post(take_number))
        .route("/api/v1/public/offices/{office}/display", get(board))
        .route("/api/v1/public/bookings", post(book))
        .route("/api/v1/public/bookings/{code}", get(own))
        .route("/api/v1/public/bookings/{code}/reschedule", post(reschedule))
        .route("/api/v1/public/bookings/{code}/cancel", post(cancel))
        .route("/api/v1/public/queue/{id}", get(own_number))
        .route("/api/v1/public/visits/survey", post(survey))
}

/// An office as the public sees it, with the closures still to come.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicOffice {
    #[serde(flatten)]
    pub office: Office,
    pub closures: Vec<Closure>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct OfficeParams {
    /// Only offices with a service for this procedure of the catalogue.
    procedure: Option<String>,
}

/// Offices where citizens book or take a number, with their services, hours and closures to
/// come. Roles: everyone.
#[utoipa::path(get, path = "/api/v1/public/offices", tag = "appointments", operation_id = "public_offices",
    params(OfficeParams), responses((status = 200, body = Vec<PublicOffice>)))]
async fn offices(State(s): State<AppState>, ApiQuery(q): ApiQuery<OfficeParams>) -> ApiResult<Json<Vec<PublicOffice>>> {
    let now = Utc::now();
    let mut out = Vec::new();
    for office in s.appointments.offices().await? {
        if let Some(p) = q.procedure.as_deref().map(str::trim).filter(|p| !p.is_empty())
            && !office.services.iter().any(|svc| svc.procedures.iter().any(|c| c.as_str() == p))
        {
            continue;
        }
        let closures = s.appointments.closures(&office.id, now).await?;
        out.push(PublicOffice { office, closures });
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SlotParams {
    service: Option<String>,
    /// `YYYY-MM-DD`, Vietnam date.
    day: Option<String>,
}

/// The slots of a service on a day, with the places left; a closed day says why. Roles: everyone.
#[utoipa::path(get, path = "/api/v1/public/offices/{office}/slots", tag = "appointments", operation_id = "public_slots",
    params(("office" = String, Path), SlotParams),
    responses((status = 200, body = DaySlots), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn slots(
    State(s): State<AppState>,
    Path(office): Path<String>,
    ApiQuery(q): ApiQuery<SlotParams>,
) -> ApiResult<Json<DaySlots>> {
    let mut errs = ValidationErrors::new();
    let service = q.service.filter(|x| !x.trim().is_empty());
    if service.is_none() {
        errs.push("service", "is required");
    }
    let day = parse_day(q.day.as_deref(), "day", &mut errs);
    errs.into_result()?;
    Ok(Json(s.appointments.day_slots(&office, service.as_deref().unwrap_or_default(), day.expect("validated")).await?))
}

pub(super) fn parse_day(raw: Option<&str>, field: &str, errs: &mut ValidationErrors) -> Option<NaiveDate> {
    match raw.map(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")) {
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => {
            errs.push(field, "must be a date YYYY-MM-DD");
            None
        }
        None => {
            errs.push(field, "is required");
            None
        }
    }
}

pub(super) fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<&str>> {
    match headers.get("idempotency-key") {
        Some(v) => {
            Ok(Some(v.to_str().map_err(|_| ValidationErrors::single("Idempotency-Key", "must be visible ASCII"))?))
        }
        None => Ok(None),
    }
}

fn no_store(status: StatusCode, body: impl Serialize) -> Response {
    let mut resp = (status, Json(body)).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, "no-store".parse().expect("ascii"));
    resp
}

/// Books a slot: answers the booking with its code, the documents to bring and, once, the token
/// of its manage link (also sent by SMS). A full slot is a 409 `slot_full` (field `starts_at`),
/// a number over its daily limit a 409 `person_limit` (field `phone`). The same
/// `Idempotency-Key` answers the same booking. Roles: public (counted against the address's
/// limit), admin, operator (a booking for a caller).
#[utoipa::path(post, path = "/api/v1/public/bookings", tag = "appointments", operation_id = "public_book",
    request_body = BookingInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "The same key books once")),
    responses((status = 201, body = BookingView), (status = 200, description = "Booked before under this key", body = BookingView),
        (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn book(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiJson(input): ApiJson<BookingInput>,
) -> ApiResult<Response> {
    let done = s.appointments.book(&auth.0, input, idempotency_key(&headers)?, None).await?;
    let status = if done.replayed { StatusCode::OK } else { StatusCode::CREATED };
    Ok(no_store(status, done.view))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct TokenParams {
    /// The token of the manage link.
    token: String,
}

/// The citizen's booking (with their own name and number). Roles: everyone, with its token.
#[utoipa::path(get, path = "/api/v1/public/bookings/{code}", tag = "appointments", operation_id = "public_booking",
    params(("code" = String, Path), TokenParams), responses((status = 200, body = BookingView), (status = 404, body = Problem)))]
async fn own(
    State(s): State<AppState>,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<TokenParams>,
) -> ApiResult<Response> {
    Ok(no_store(StatusCode::OK, s.appointments.own_view(&code, &q.token).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleInput {
    pub token: String,
    pub starts_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    pub token: String,
}

/// Moves the citizen's booking to another free slot of its service. Roles: everyone, with its token.
#[utoipa::path(post, path = "/api/v1/public/bookings/{code}/reschedule", tag = "appointments", operation_id = "public_reschedule",
    params(("code" = String, Path)), request_body = RescheduleInput,
    responses((status = 200, body = BookingView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn reschedule(
    State(s): State<AppState>,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<RescheduleInput>,
) -> ApiResult<Response> {
    Ok(no_store(StatusCode::OK, s.appointments.reschedule(&code, &body.token, body.starts_at).await?))
}

/// Cancels the citizen's booking and frees its place. Roles: everyone, with its token.
#[utoipa::path(post, path = "/api/v1/public/bookings/{code}/cancel", tag = "appointments", operation_id = "public_cancel",
    params(("code" = String, Path)), request_body = TokenInput,
    responses((status = 200, body = BookingView), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn cancel(
    State(s): State<AppState>,
    Path(code): Path<String>,
    ApiJson(body): ApiJson<TokenInput>,
) -> ApiResult<Response> {
    Ok(no_store(StatusCode::OK, s.appointments.cancel(&code, &body.token).await?))
}

/// Takes a number for today at the office (online or at its kiosk): answers its label, the
/// people before it, the estimated wait and, once, the token to follow it. Priority numbers for
/// the elderly, people with disabilities and pregnant women. Roles: everyone (the public's count
/// against their address's limit; the kiosk signs in as the office's clerk).
#[utoipa::path(post, path = "/api/v1/public/offices/{office}/queue", tag = "appointments", operation_id = "public_take_number",
    params(("office" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "The same key gives one number")),
    request_body = NumberInput,
    responses((status = 201, body = NumberView), (status = 404, body = Problem), (status = 409, description = "The office is not open", body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn take_number(
    State(s): State<AppState>,
    auth: Auth,
    Path(office): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<NumberInput>,
) -> ApiResult<Response> {
    let n = s.appointments.take_number(&auth.0, &office, input, idempotency_key(&headers)?).await?;
    let status = if n.token.is_some() { StatusCode::CREATED } else { StatusCode::OK };
    Ok(no_store(status, n))
}

/// A number's place in the queue, live. Roles: everyone, with its token.
#[utoipa::path(get, path = "/api/v1/public/queue/{id}", tag = "appointments", operation_id = "public_number",
    params(("id" = String, Path), TokenParams), responses((status = 200, body = NumberView), (status = 404, body = Problem)))]
async fn own_number(
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TokenParams>,
) -> ApiResult<Response> {
    let id: Uuid = id.parse().map_err(|_| crate::service::ServiceError::NotFound("queue number".into()))?;
    Ok(no_store(StatusCode::OK, s.appointments.own_number(id, &q.token).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct BoardParams {
    /// The `version` of the board shown: the request waits up to 20 s for it to change.
    since: Option<String>,
}

/// The office's display board: the number called at each counter, the last calls, how many
/// wait. Labels and counters only. Roles: everyone.
#[utoipa::path(get, path = "/api/v1/public/offices/{office}/display", tag = "appointments", operation_id = "public_board",
    params(("office" = String, Path), BoardParams), responses((status = 200, body = Board), (status = 404, body = Problem)))]
async fn board(
    State(s): State<AppState>,
    Path(office): Path<String>,
    ApiQuery(q): ApiQuery<BoardParams>,
) -> ApiResult<Response> {
    let since = match q.since.as_deref() {
        None | Some("") => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| ValidationErrors::single("since", "must be a whole number"))?),
    };
    Ok(no_store(StatusCode::OK, s.appointments.board(&office, since).await?))
}

/// Rates a visit once it was served (after SIPAS: access, procedure, staff, timeliness,
/// overall, 1–5). Once per booking or number (409 after). Roles: everyone, with the token.
#[utoipa::path(post, path = "/api/v1/public/visits/survey", tag = "appointments", operation_id = "public_visit_survey",
    request_body = VisitSurveyInput,
    responses((status = 201, description = "Recorded"), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn survey(State(s): State<AppState>, ApiJson(input): ApiJson<VisitSurveyInput>) -> ApiResult<StatusCode> {
    s.appointments.survey(input).await?;
    Ok(StatusCode::CREATED)
}
