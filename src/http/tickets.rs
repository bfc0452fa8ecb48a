//! `/api/v1/tickets`: intake, listing through the R-tree, reading, transitions.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{Auth, CENTRE, Gate, HANDLERS, READERS, STAFF, mask};
use super::error::{ApiResult, Problem};
use super::json::{ApiJson, ApiQuery};
use crate::domain::{Action, CategoryCode, Location, TicketEvent, ValidationErrors};
use crate::service::filing::{BatchResult, TicketBatch};
use crate::service::query::{ListParams, NearbyTicket, TicketPage};
use crate::service::tickets::{CreatedTicket, TicketInput, TicketView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tickets", post(create).get(list))
        .route("/api/v1/tickets/batch", post(create_batch).layer(DefaultBodyLimit::max(BATCH_BODY_BYTES)))
        .route("/api/v1/tickets/nearby", get(nearby))
        .route("/api/v1/tickets/{id}", get(read))
        .route("/api/v1/tickets/{id}/events", get(events))
        .route("/api/v1/tickets/{id}/transitions", post(transition))
}

/// The version an `If-Match: "vN"` header names, if there is one.
pub(super) fn if_match(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(v) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let parsed = v
        .to_str()
        .ok()
        .map(|t| t.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|t| t.strip_prefix('v'))
        .and_then(|n| n.parse::<i64>().ok());
    Ok(Some(parsed.ok_or_else(|| ValidationErrors::single("If-Match", "must be an ETag like \"v3\""))?))
}

fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"v{version}\"")).expect("ascii")
}

/// File a new ticket. Roles: everyone (the public, every role). With an `Idempotency-Key`
/// header a retry returns the same ticket instead of a second one.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "tickets", operation_id = "create_ticket",
    request_body = TicketInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the same key returns the same ticket")),
    responses(
        (status = 201, description = "Committed", body = CreatedTicket),
        (status = 422, description = "Invalid input; `errors` names the fields", body = Problem),
        (status = 413, description = "Body too large", body = Problem),
    ))]
async fn create(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ApiJson(input): ApiJson<TicketInput>,
) -> ApiResult<Response> {
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(v.to_str().map_err(|_| ValidationErrors::single("Idempotency-Key", "must be visible ASCII"))?),
        None => None,
    };
    let created = s.tickets.create_ticket(input, &auth.0, key).await?;
    let mut resp = (StatusCode::CREATED, axum::Json(&created)).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::LOCATION,
        HeaderValue::from_str(&format!("/api/v1/tickets/{}", created.view.ticket.id)).expect("ascii"),
    );
    h.insert(header::ETAG, etag(created.view.ticket.version));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if created.replayed {
        h.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(resp)
}

/// Most bytes of a `POST /api/v1/tickets/batch` body: a hundred tickets with long descriptions.
pub const BATCH_BODY_BYTES: usize = 1 << 20;

/// File up to 100 tickets in one transaction: an import from another system, or a list such
/// as a newspaper's. Roles: admin, operator (the centre). Every item carries its own
/// `idempotency_key` (different within the batch): a retried batch files nothing twice and
/// answers the items already filed with their tickets (`replayed: true`). All or none: an
/// invalid item is a 422 whose `errors` name it (`tickets[3].ticket.location`) and nothing is
/// filed. 201 when the batch filed a ticket, 200 when every item had been filed before. Each
/// ticket is routed, given its area, deadline, events and tracking token like a single filing.
#[utoipa::path(post, path = "/api/v1/tickets/batch", tag = "tickets", operation_id = "create_tickets",
    request_body = TicketBatch,
    responses(
        (status = 201, description = "Committed: the tickets, in the order of the items", body = BatchResult),
        (status = 200, description = "Every item was filed before: their tickets", body = BatchResult),
        (status = 422, description = "Invalid input; `errors` names the items and fields; nothing was filed", body = Problem),
        (status = 413, description = "Body too large (1 MiB at most)", body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 503, description = "The store could not commit; nothing was filed; retry after `Retry-After`", body = Problem),
    ))]
async fn create_batch(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(CENTRE) }>,
    ApiJson(batch): ApiJson<TicketBatch>,
) -> ApiResult<Response> {
    let tickets = s.tickets.create_tickets(batch, &p).await?;
    let status = if tickets.iter().all(|t| t.replayed) { StatusCode::OK } else { StatusCode::CREATED };
    let mut resp = (status, axum::Json(BatchResult { tickets })).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// List tickets, newest first, filtered in the R-tree. Roles: admin, operator, analyst
/// (everything), leader (their areas), agency (their units).
#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets", operation_id = "list_tickets", params(ListParams),
    responses((status = 200, body = TicketPage), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<axum::Json<TicketPage>> {
    let p = auth.require(READERS)?;
    let q = params.parse(s.tickets.now())?;
    Ok(axum::Json(s.tickets.list_tickets(q, p).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct NearbyParams {
    /// Longitude of the point (WGS84 degrees).
    lon: Option<String>,
    /// Latitude of the point.
    lat: Option<String>,
    /// Metres (default 200, at most 5000).
    radius: Option<String>,
    /// Only this category.
    category: Option<String>,
    /// Received in the last N days (default 7, at most 90).
    days: Option<String>,
    /// At most this many (default 10, at most 100).
    limit: Option<String>,
}

fn num<T: std::str::FromStr>(
    v: &Option<String>,
    field: &str,
    default: T,
    ok: impl Fn(&T) -> bool,
    why: &str,
    errs: &mut ValidationErrors,
) -> T {
    match v.as_deref().map(|x| x.trim().parse::<T>()) {
        None => default,
        Some(Ok(x)) if ok(&x) => x,
        Some(_) => {
            errs.push(field, why);
            default
        }
    }
}

/// Open tickets near a point, nearest first: the duplicate check while taking a call.
/// Roles: admin, operator, leader (their areas), agency (their units).
#[utoipa::path(get, path = "/api/v1/tickets/nearby", tag = "tickets", params(NearbyParams),
    responses((status = 200, body = Vec<NearbyTicket>), (status = 422, body = Problem)))]
async fn nearby(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<NearbyParams>,
) -> ApiResult<axum::Json<Vec<NearbyTicket>>> {
    let p = auth.require(STAFF)?;
    let mut errs = ValidationErrors::new();
    let lon = num(&q.lon, "lon", f64::NAN, |_| true, "must be a number", &mut errs);
    let lat = num(&q.lat, "lat", f64::NAN, |_| true, "must be a number", &mut errs);
    let center = errs.take(Location::parse(lon, lat, ""));
    let radius = num(
        &q.radius,
        "radius",
        200.0,
        |r: &f64| *r > 0.0 && *r <= 5000.0,
        "must be more than 0 and at most 5000 metres",
        &mut errs,
    );
    let days = num(&q.days, "days", 7u32, |d| (1..=90).contains(d), "must be 1 to 90", &mut errs);
    let limit = num(&q.limit, "limit", 10usize, |l| (1..=100).contains(l), "must be 1 to 100", &mut errs);
    let category = q.category.as_deref().and_then(|c| errs.take(CategoryCode::parse(c, "category")));
    errs.into_result()?;
    let center = center.expect("validated");
    Ok(axum::Json(s.tickets.nearby(center, radius, category, days, limit, p).await?))
}

/// One ticket, by id or code. Roles: admin, operator, analyst, leader (their areas), agency
/// (their units). The reporter's contact is included for admins, operators and the assigned unit.
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "tickets", operation_id = "get_ticket",
    params(("id" = String, Path, description = "UUID or code")),
    responses((status = 200, body = TicketView), (status = 404, body = Problem), (status = 403, body = Problem)))]
async fn read(State(s): State<AppState>, auth: Auth, Path(raw): Path<String>) -> ApiResult<Response> {
    let p = auth.require(READERS)?;
    let id = s.tickets.resolve(&raw).await?;
    let view = s.tickets.get_ticket(id, p).await?;
    let version = view.ticket.version;
    let mut resp = axum::Json(view).into_response();
    resp.headers_mut().insert(header::ETAG, etag(version));
    Ok(resp)
}

/// A ticket's timeline (every transition with actor, time and note). Roles: admin, operator,
/// leader (their areas), agency (their units); not analysts' keys (notes are free text).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/events", tag = "tickets",
    params(("id" = String, Path, description = "UUID or code")),
    responses((status = 200, body = Vec<TicketEvent>), (status = 404, body = Problem)))]
async fn events(
    State(s): State<AppState>,
    auth: Auth,
    Path(raw): Path<String>,
) -> ApiResult<axum::Json<Vec<TicketEvent>>> {
    let p = auth.require(STAFF)?;
    let id = s.tickets.resolve(&raw).await?;
    Ok(axum::Json(s.tickets.ticket_events(id, p).await?))
}

/// The ticket after a transition and the event it produced.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TransitionResult {
    pub ticket: TicketView,
    pub event: TicketEvent,
}

/// Take an action on a ticket (assign, forward, accept, start, progress, return, resolve,
/// close, reject, mark_duplicate, reopen, extend, rate). Roles: admin and operator (centre
/// actions), agency (unit actions on their units' tickets). `If-Match: "vN"` refuses the
/// action if the ticket changed since version N. An action the status does not allow is a
/// 409 listing the allowed actions.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/transitions", tag = "tickets",
    params(("id" = String, Path, description = "UUID or code"), ("If-Match" = Option<String>, Header, description = "ETag of the version last seen")),
    request_body = Action,
    responses((status = 200, body = TransitionResult), (status = 409, description = "Not allowed in this status, or changed meanwhile", body = Problem), (status = 422, body = Problem)))]
async fn transition(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(HANDLERS) }>,
    Path(raw): Path<String>,
    headers: HeaderMap,
    ApiJson(action): ApiJson<Action>,
) -> ApiResult<Response> {
    let p = &p;
    let if_match = if_match(&headers)?;
    let id = s.tickets.resolve(&raw).await?;
    let (ticket, event) = s.tickets.transition(id, action, p, if_match).await?;
    let version = ticket.ticket.version;
    let mut resp = axum::Json(TransitionResult { ticket, event }).into_response();
    resp.headers_mut().insert(header::ETAG, etag(version));
    Ok(resp)
}
