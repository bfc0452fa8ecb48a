//! "Me too" (`docs/supporters.md`): `POST /api/v1/tickets/{id}/supporters` (anyone who may file
//! a report) adds a citizen's support to an open report instead of a duplicate;
//! `GET /api/v1/tickets/{id}/supporters` lists the supporters with their contacts for those who
//! see reporters' contacts.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::AppState;
use super::auth::{Auth, HANDLERS};
use super::error::{ApiResult, Problem};
use super::json::{ApiJson, ApiQuery};
use crate::domain::{CategoryCode, Location, ValidationErrors};
use crate::service::supporters::{NEARBY_MAX_M, OpenNearby, SupportInput, Supported, SupporterView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tickets/{id}/supporters", post(support).get(list))
        .route("/api/v1/public/nearby", get(nearby))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct NearbyParams {
    /// Longitude of the place (WGS84 degrees).
    lon: Option<String>,
    /// Latitude of the place.
    lat: Option<String>,
    /// Only reports of this category.
    category: Option<String>,
    /// Metres around the place, 1–500 (default 200).
    radius: Option<String>,
}

/// Open reports near a place filed in the last 30 days, nearest first (at most 5): before a
/// citizen reports, the portal shows those of the same category so they can add their support
/// ("me too") instead. Codes, categories, descriptions with personal data removed, supporter
/// counts. Roles: everyone.
#[utoipa::path(get, path = "/api/v1/public/nearby", tag = "public", operation_id = "public_nearby", params(NearbyParams),
    responses((status = 200, body = Vec<OpenNearby>), (status = 422, body = Problem)))]
async fn nearby(State(s): State<AppState>, ApiQuery(q): ApiQuery<NearbyParams>) -> ApiResult<Json<Vec<OpenNearby>>> {
    let mut errs = ValidationErrors::new();
    let mut num = |v: &Option<String>, field: &str| match v.as_deref().map(|x| x.trim().parse::<f64>()) {
        Some(Ok(x)) => Some(x),
        None => {
            errs.push(field, "is required");
            None
        }
        Some(Err(_)) => {
            errs.push(field, "must be a number");
            None
        }
    };
    let (lon, lat) = (num(&q.lon, "lon"), num(&q.lat, "lat"));
    let at = match (lon, lat) {
        (Some(lon), Some(lat)) => errs.take(Location::parse(lon, lat, "")),
        _ => None,
    };
    let radius = match q.radius.as_deref().map(|r| r.trim().parse::<f64>()) {
        None => 200.0,
        Some(Ok(r)) if r > 0.0 && r <= NEARBY_MAX_M => r,
        Some(_) => {
            errs.push("radius", format!("must be more than 0 and at most {NEARBY_MAX_M} metres"));
            200.0
        }
    };
    let category = q
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .and_then(|c| errs.take(CategoryCode::parse(c, "category")));
    errs.into_result()?;
    Ok(Json(s.tickets.open_nearby(at.expect("validated"), category, radius, 5).await?))
}

/// Adds one citizen's support ("me too": tôi cũng gặp vấn đề này) to an open report, with an
/// optional contact (and `consent` for it) — instead of filing the same problem again. Counted
/// once per `Idempotency-Key` (the portal sends one per device and report), or per number or
/// email left. The report counts its supporters publicly; three raise its priority to high, ten
/// to urgent. Answers the new count and, once, a token to add photos with. A report no longer
/// open is a 409. Roles: public, admin, operator, leader, agency, open311 (an analyst's key is
/// read-only).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/supporters", tag = "tickets", operation_id = "ticket_support",
    request_body = SupportInput,
    params(("id" = String, Path, description = "UUID or code"),
        ("Idempotency-Key" = Option<String>, Header, description = "The same key counts once")),
    responses((status = 201, description = "Counted", body = Supported), (status = 200, description = "Counted before", body = Supported),
        (status = 404, body = Problem), (status = 409, description = "The report is not open", body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn support(
    State(s): State<AppState>,
    auth: Auth,
    Path(raw): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SupportInput>,
) -> ApiResult<Response> {
    let key = match headers.get("idempotency-key") {
        Some(v) => Some(v.to_str().map_err(|_| ValidationErrors::single("Idempotency-Key", "must be visible ASCII"))?),
        None => None,
    };
    let id = s.tickets.resolve(&raw).await?;
    let done = s.tickets.support(id, input, &auth.0, key).await?;
    let status = if done.already { StatusCode::OK } else { StatusCode::CREATED };
    let mut resp = (status, Json(&done)).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, "no-store".parse().expect("ascii"));
    Ok(resp)
}

/// The report's supporters with their contacts (personal data). Roles: admin, operator, agency
/// (reports with their units).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/supporters", tag = "tickets", operation_id = "ticket_supporters",
    params(("id" = String, Path, description = "UUID or code")),
    responses((status = 200, body = Vec<SupporterView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn list(State(s): State<AppState>, auth: Auth, Path(raw): Path<String>) -> ApiResult<Json<Vec<SupporterView>>> {
    let p = auth.require(HANDLERS)?;
    let id = s.tickets.resolve(&raw).await?;
    Ok(Json(s.tickets.supporters(id, p).await?))
}
