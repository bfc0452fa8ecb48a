//! The hotline desk (`docs/pbx.md`, `docs/console.md`): inquiry calls, the callback list, the
//! operator's extension and screen pop, a caller's history, and the desk's figures. Everything
//! but the figures is personal data and reaches the centre only (admin, operator).

use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AppState;
use super::auth::{Auth, CENTRE, Gate, READERS, mask};
use super::error::{ApiResult, Problem};
use super::json::{ApiJson, ApiQuery};
use crate::domain::ValidationErrors;
use crate::domain::desk::{Callback, CallbackAction, CallbackState, Inquiry};
use crate::service::desk::figures::DeskFigures;
use crate::service::desk::inquiries::{InquiryInput, RecordedInquiry};
use crate::service::desk::pbx::{CallerHistory, ScreenPop};

/// Longest wait of a screen pop request, in seconds.
pub const MAX_WAIT_SECONDS: u64 = 25;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/desk/extension", get(extension).put(set_extension))
        .route("/api/v1/desk/calls", get(screen_pop))
        .route("/api/v1/desk/history", post(history))
        .route("/api/v1/inquiries", post(record).get(list))
        .route("/api/v1/inquiries/{id}", get(one))
        .route("/api/v1/callbacks", get(callbacks))
        .route("/api/v1/callbacks/{id}/actions", post(act))
        .route("/api/v1/stats/desk", get(figures))
}

/// The operator's extension (máy lẻ).
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// 1–32 visible ASCII characters; `null` takes the operator off their extension.
    pub extension: Option<String>,
}

/// The extension the signed-in operator answers on (calls to it pop up on their console).
/// Roles: admin, operator.
#[utoipa::path(get, path = "/api/v1/desk/extension", tag = "desk", operation_id = "desk_extension",
    responses((status = 200, body = Extension), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn extension(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Extension>> {
    let p = auth.require(CENTRE)?;
    Ok(Json(Extension { extension: s.desk.extension(p).await? }))
}

/// Puts the signed-in operator on an extension (whoever was on it is taken off), or off any.
/// Roles: admin, operator.
#[utoipa::path(put, path = "/api/v1/desk/extension", tag = "desk", operation_id = "desk_set_extension",
    request_body = Extension,
    responses((status = 200, body = Extension), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn set_extension(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(CENTRE) }>,
    ApiJson(body): ApiJson<Extension>,
) -> ApiResult<Json<Extension>> {
    Ok(Json(Extension { extension: s.desk.set_extension(&p, body.extension.as_deref()).await? }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct PopParams {
    /// The `revision` of the last answer: the request waits for a call to change after it.
    after: Option<String>,
    /// Seconds to wait for a change (0–25, default 0).
    wait: Option<String>,
}

/// The calls of the operator's extension in the last quarter hour, the latest first, each with
/// the caller's earlier tickets, inquiries and open callbacks (matched by a keyed hash of the
/// number). With `after` and `wait`, answers as soon as a call changes (a long poll).
/// Roles: admin, operator.
#[utoipa::path(get, path = "/api/v1/desk/calls", tag = "desk", operation_id = "desk_calls", params(PopParams),
    responses((status = 200, body = ScreenPop), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn screen_pop(State(s): State<AppState>, auth: Auth, ApiQuery(q): ApiQuery<PopParams>) -> ApiResult<Response> {
    let p = auth.require(CENTRE)?;
    let mut errs = ValidationErrors::new();
    let after = q.after.as_deref().and_then(|a| {
        DateTime::parse_from_rfc3339(a.trim())
            .map(|t| t.to_utc())
            .map_err(|_| errs.push("after", "must be a revision from an earlier answer (RFC 3339)"))
            .ok()
    });
    let wait = match q.wait.as_deref().map(|w| w.trim().parse::<u64>()) {
        None => 0,
        Some(Ok(w)) if w <= MAX_WAIT_SECONDS => w,
        Some(_) => {
            errs.push("wait", format!("must be a whole number of seconds from 0 to {MAX_WAIT_SECONDS}"));
            0
        }
    };
    errs.into_result()?;
    let pop = s.desk.screen_pop(p, after, Duration::from_secs(wait)).await?;
    let mut resp = Json(pop).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// A number to look up.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneQuery {
    pub phone: String,
}

/// A caller's earlier tickets, inquiries and open callbacks, by their number (sent in the body,
/// so that it is in no address or log). Roles: admin, operator.
#[utoipa::path(post, path = "/api/v1/desk/history", tag = "desk", operation_id = "desk_history",
    request_body = PhoneQuery,
    responses((status = 200, body = CallerHistory), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn history(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(CENTRE) }>,
    ApiJson(q): ApiJson<PhoneQuery>,
) -> ApiResult<Response> {
    let h = s.desk.caller_history(&p, &q.phone).await?;
    let mut resp = Json(h).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Records a call that was a question, without a ticket: the caller, the topic or procedure,
/// the answer, the outcome (`answered`, `transferred`, `callback` — which opens a callback —,
/// `appointment`, `ticket_filed`), and the call's time, length and recording (from the phone
/// system with `call_id`). `Idempotency-Key` makes retries safe. Roles: admin, operator.
#[utoipa::path(post, path = "/api/v1/inquiries", tag = "desk", operation_id = "inquiry_record",
    request_body = InquiryInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "The same key answers the same inquiry")),
    responses((status = 201, description = "Committed", body = RecordedInquiry), (status = 422, body = Problem),
        (status = 409, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn record(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(CENTRE) }>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<InquiryInput>,
) -> ApiResult<Response> {
    let key = match headers.get("idempotency-key") {
        Some(v) => {
            let k = v.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= 200);
            Some(k.ok_or_else(|| {
                ValidationErrors::single("Idempotency-Key", "must be 1 to 200 visible ASCII characters")
            })?)
        }
        None => None,
    };
    let recorded = s.desk.record_inquiry(&p, input, key).await?;
    let mut resp = (StatusCode::CREATED, Json(&recorded)).into_response();
    let h = resp.headers_mut();
    let location = format!("/api/v1/inquiries/{}", recorded.inquiry.id);
    h.insert(header::LOCATION, HeaderValue::from_str(&location).expect("ascii"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if recorded.replayed {
        h.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(resp)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListParams {
    /// Only those begun before this time (RFC 3339): the next page.
    before: Option<String>,
    /// At most this many (1–200, default 50).
    limit: Option<String>,
}

fn limit(raw: Option<&str>, errs: &mut ValidationErrors) -> i64 {
    match raw.map(|l| l.trim().parse::<i64>()) {
        None => 50,
        Some(Ok(n)) if (1..=200).contains(&n) => n,
        Some(_) => {
            errs.push("limit", "must be a whole number from 1 to 200");
            50
        }
    }
}

/// The latest inquiry calls, newest first. Roles: admin, operator.
#[utoipa::path(get, path = "/api/v1/inquiries", tag = "desk", operation_id = "inquiry_list", params(ListParams),
    responses((status = 200, body = Vec<Inquiry>), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ListParams>,
) -> ApiResult<Json<Vec<Inquiry>>> {
    let p = auth.require(CENTRE)?;
    let mut errs = ValidationErrors::new();
    let before = q.before.as_deref().and_then(|b| {
        DateTime::parse_from_rfc3339(b.trim())
            .map(|t| t.to_utc())
            .map_err(|_| errs.push("before", "must be an RFC 3339 time"))
            .ok()
    });
    let limit = limit(q.limit.as_deref(), &mut errs);
    errs.into_result()?;
    Ok(Json(s.desk.inquiries(p, before, limit).await?))
}

/// One inquiry call. Roles: admin, operator.
#[utoipa::path(get, path = "/api/v1/inquiries/{id}", tag = "desk", operation_id = "inquiry_get",
    params(("id" = String, Path, description = "UUID")),
    responses((status = 200, body = Inquiry), (status = 404, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn one(State(s): State<AppState>, auth: Auth, Path(raw): Path<String>) -> ApiResult<Json<Inquiry>> {
    let p = auth.require(CENTRE)?;
    let id = Uuid::parse_str(raw.trim()).map_err(|_| ValidationErrors::single("id", "must be a UUID"))?;
    Ok(Json(s.desk.inquiry(p, id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct CallbackParams {
    /// `open` (default: soonest due first), `done` or `cancelled` (latest first).
    state: Option<String>,
    /// At most this many (1–200, default 50).
    limit: Option<String>,
}

/// The callback list: callers to ring back, from inquiries and missed calls, with their due
/// time and owner. Roles: admin, operator.
#[utoipa::path(get, path = "/api/v1/callbacks", tag = "desk", operation_id = "callback_list", params(CallbackParams),
    responses((status = 200, body = Vec<Callback>), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn callbacks(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<CallbackParams>,
) -> ApiResult<Response> {
    let p = auth.require(CENTRE)?;
    let mut errs = ValidationErrors::new();
    let state = match q.state.as_deref().map(str::trim) {
        None | Some("open") => CallbackState::Open,
        Some("done") => CallbackState::Done,
        Some("cancelled") => CallbackState::Cancelled,
        Some(_) => {
            errs.push("state", "must be open, done or cancelled");
            CallbackState::Open
        }
    };
    let limit = limit(q.limit.as_deref(), &mut errs);
    errs.into_result()?;
    let list = s.desk.callbacks(p, state, limit).await?;
    let mut resp = Json(list).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// Takes, releases, retries (`attempt`, with the next due time), settles (`done`) or cancels
/// (with a note) a callback. `If-Match: "vN"` refuses the action if the callback has changed
/// since (409). Roles: admin, operator.
#[utoipa::path(post, path = "/api/v1/callbacks/{id}/actions", tag = "desk", operation_id = "callback_act",
    request_body = CallbackAction,
    params(("id" = String, Path, description = "UUID"), ("If-Match" = Option<String>, Header, description = "ETag of the version last seen")),
    responses((status = 200, body = Callback), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn act(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(CENTRE) }>,
    Path(raw): Path<String>,
    headers: HeaderMap,
    ApiJson(action): ApiJson<CallbackAction>,
) -> ApiResult<Response> {
    let id = Uuid::parse_str(raw.trim()).map_err(|_| ValidationErrors::single("id", "must be a UUID"))?;
    let version = super::tickets::if_match(&headers)?;
    let c = s.desk.act_on_callback(&p, id, action, version).await?;
    let mut resp = Json(&c).into_response();
    resp.headers_mut().insert(header::ETAG, HeaderValue::from_str(&format!("\"v{}\"", c.version)).expect("ascii"));
    Ok(resp)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct PeriodParams {
    /// First day, `YYYY-MM-DD` (default: 29 days before `to`).
    from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today, Vietnam time).
    to: Option<String>,
}

/// The desk's figures over a period: inquiry calls by outcome, field and hour, answered and
/// missed calls, callbacks opened, done (on time), open and overdue. Counts only, nothing
/// personal. Roles: admin, operator, leader, agency, analyst.
#[utoipa::path(get, path = "/api/v1/stats/desk", tag = "desk", operation_id = "desk_figures", params(PeriodParams),
    responses((status = 200, body = DeskFigures), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn figures(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PeriodParams>,
) -> ApiResult<Json<DeskFigures>> {
    let p = auth.require(READERS)?;
    let mut errs = ValidationErrors::new();
    let mut date = |v: &Option<String>, field: &str| {
        v.as_deref().and_then(|d| {
            NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                .map_err(|_| errs.push(field, "must be a date, YYYY-MM-DD"))
                .ok()
        })
    };
    let (from, to) = (date(&q.from, "from"), date(&q.to, "to"));
    errs.into_result()?;
    Ok(Json(s.desk.figures(p, from, to).await?))
}
