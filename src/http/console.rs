//! What the console (`/console`) needs besides the ticket routes: phone intake
//! (`POST /api/v1/calls`), a ticket's call details, place search and routing suggestions.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::auth::{Auth, CENTRE, Gate, HANDLERS, STAFF, mask};
use super::error::{ApiResult, Problem};
use super::json::{ApiJson, ApiQuery};
use crate::domain::{CallRecord, CategoryCode, Location, ValidationErrors};
use crate::http::AppState;
use crate::service::console::{CallInput, RoutingSuggestion, TakenCall};
use crate::service::places::{self, PlaceHit};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/calls", post(take_call))
        .route("/api/v1/tickets/{id}/call", get(ticket_call))
        .route("/api/v1/places", get(search_places))
        .route("/api/v1/routing/suggest", get(suggest))
}

/// File a phone call as a ticket on the hotline channel, with the call's time, length and
/// recording reference (stored apart, as personal data) and, with `duplicate_of`, marked at
/// once as a duplicate of that ticket. Roles: admin, operator. With an `Idempotency-Key`
/// header a retry returns the same ticket and finishes what a failed attempt left undone.
#[utoipa::path(post, path = "/api/v1/calls", tag = "console", operation_id = "take_call",
    request_body = CallInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: the same key returns the same ticket")),
    responses(
        (status = 201, description = "The ticket and its call are committed", body = TakenCall),
        (status = 422, description = "Invalid input; `errors` names the fields", body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem),
    ))]
async fn take_call(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(CENTRE) }>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<CallInput>,
) -> ApiResult<Response> {
    let p = &p;
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(v.to_str().map_err(|_| ValidationErrors::single("Idempotency-Key", "must be visible ASCII"))?),
        None => None,
    };
    let taken = s.tickets.take_call(input, p, key).await?;
    let ticket = &taken.created.view.ticket;
    let mut resp = (StatusCode::CREATED, axum::Json(&taken)).into_response();
    let h = resp.headers_mut();
    let location = format!("/api/v1/tickets/{}", ticket.id);
    h.insert(header::LOCATION, HeaderValue::from_str(&location).expect("ascii"));
    h.insert(header::ETAG, HeaderValue::from_str(&format!("\"v{}\"", ticket.version)).expect("ascii"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if taken.created.replayed {
        h.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(resp)
}

/// The call a ticket was taken from: when it began, how long it lasted, where its recording
/// is. Personal data: roles admin, operator and agency (tickets of their units); a leader may
/// not. 404 when the ticket did not come by phone through the console.
#[utoipa::path(get, path = "/api/v1/tickets/{id}/call", tag = "console", operation_id = "ticket_call",
    params(("id" = String, Path, description = "UUID or code")),
    responses((status = 200, body = CallRecord), (status = 404, body = Problem), (status = 403, body = Problem), (status = 401, body = Problem)))]
async fn ticket_call(
    State(s): State<AppState>,
    auth: Auth,
    Path(raw): Path<String>,
) -> ApiResult<axum::Json<CallRecord>> {
    // The roles that may see a reporter's contact; the scope check is the ticket's.
    let p = auth.require(HANDLERS)?;
    let id = s.tickets.resolve(&raw).await?;
    Ok(axum::Json(s.tickets.ticket_call(id, p).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct PlaceParams {
    /// What to look for: part of a name, in Vietnamese or English, with or without diacritics
    /// (1–100 characters).
    q: Option<String>,
    /// At most this many (1–50, default 10).
    limit: Option<String>,
}

/// Places of the city by name: landmarks, markets, bridges, beaches, stations, streets and the
/// districts and wards, each with a point and the areas it lies in; best match first,
/// diacritics and case ignored ("cho han" finds "Chợ Hàn"). Roles: admin, operator, leader,
/// agency.
#[utoipa::path(get, path = "/api/v1/places", tag = "console", operation_id = "search_places", params(PlaceParams),
    responses((status = 200, body = Vec<PlaceHit>), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn search_places(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PlaceParams>,
) -> ApiResult<axum::Json<Vec<PlaceHit>>> {
    auth.require(STAFF)?;
    let mut errs = ValidationErrors::new();
    let query = q.q.as_deref().map(str::trim).unwrap_or("");
    if query.chars().count() > places::MAX_QUERY_CHARS {
        errs.push("q", format!("must be at most {} characters", places::MAX_QUERY_CHARS));
    } else if places::fold(query).is_empty() {
        errs.push("q", "must contain a letter or a digit");
    }
    let limit = match q.limit.as_deref().map(|l| l.trim().parse::<usize>()) {
        None => places::DEFAULT_LIMIT,
        Some(Ok(n)) if (1..=places::MAX_LIMIT).contains(&n) => n,
        Some(_) => {
            errs.push("limit", format!("must be an integer from 1 to {}", places::MAX_LIMIT));
            places::DEFAULT_LIMIT
        }
    };
    errs.into_result()?;
    Ok(axum::Json(s.tickets.search_places(query, limit)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SuggestParams {
    /// Category code.
    category: Option<String>,
    /// Longitude of the point (WGS84 degrees).
    lon: Option<String>,
    /// Latitude of the point.
    lat: Option<String>,
}

/// Where a ticket of `category` at (`lon`, `lat`) would go: the areas the point lies in and
/// the unit the routing rules suggest (the same rule the centre's queue shows as
/// `suggested_unit`). Roles: admin, operator, leader, agency.
#[utoipa::path(get, path = "/api/v1/routing/suggest", tag = "console", operation_id = "suggest_route",
    params(SuggestParams),
    responses((status = 200, body = RoutingSuggestion), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn suggest(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<SuggestParams>,
) -> ApiResult<axum::Json<RoutingSuggestion>> {
    auth.require(STAFF)?;
    let mut errs = ValidationErrors::new();
    let category = match q.category.as_deref().map(str::trim) {
        None | Some("") => {
            errs.push("category", "is required");
            None
        }
        Some(c) => errs.take(CategoryCode::parse(c, "category")),
    };
    let mut coord = |v: &Option<String>, field: &str| match v.as_deref().map(|x| x.trim().parse::<f64>()) {
        Some(Ok(x)) => x,
        None => {
            errs.push(field, "is required");
            0.0
        }
        Some(Err(_)) => {
            errs.push(field, "must be a number");
            0.0
        }
    };
    let (lon, lat) = (coord(&q.lon, "lon"), coord(&q.lat, "lat"));
    let at = errs.take(Location::parse(lon, lat, ""));
    errs.into_result()?;
    Ok(axum::Json(s.tickets.suggest_route(&category.expect("validated"), at.expect("validated"))?))
}
