//! What the map wall loads besides areas: its colour rule, the key figures and the ticket layer.
//! All staff roles, each seeing its own scope (leaders their areas, agencies their units).

use std::collections::HashSet;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tower_http::compression::CompressionLayer;

use super::auth::{Auth, STAFF};
use super::error::{ApiError, ApiResult, Problem};
use super::json::ApiQuery;
use crate::config::WallConfig;
use crate::domain::Scope;
use crate::domain::{AreaCode, Principal, ValidationErrors};
use crate::http::AppState;
use crate::live::Filter;
use crate::service::ServiceError;
use crate::service::kpi::board::KpiView;
use crate::service::map::MapTickets;

/// Longest look-back of `recent_hours`.
const MAX_RECENT_HOURS: i64 = 24 * 30;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/wall/config", get(config))
        .route("/api/v1/kpis", get(kpi_view))
        // 100 000 tickets are ~12 MB of JSON, ~2.5 MB gzipped.
        .route("/api/v1/map/tickets", get(map_tickets).layer(CompressionLayer::new()))
}

fn scope_of(s: &AppState, auth: &Auth) -> ApiResult<(Principal, Scope)> {
    let p = auth.require(STAFF)?.clone();
    let scope = s
        .tickets
        .scope(&p, &s.reference.current())
        .ok_or_else(|| ApiError::forbidden("this role has no ticket scope"))?;
    Ok((p, scope))
}

/// How the wall colours areas (set with `serve --wall-rule/--wall-thresholds`).
/// Roles: admin, operator, leader, agency.
#[utoipa::path(get, path = "/api/v1/wall/config", tag = "wall", operation_id = "wall_config",
    responses((status = 200, body = WallConfig), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn config(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<WallConfig>> {
    auth.require(STAFF)?;
    Ok(Json(s.settings.wall.clone()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct KpiParams {
    /// Only these areas (comma-separated codes), each with the areas below it.
    areas: Option<String>,
}

/// Key figures (received and resolved today, open, overdue, 30-day on-time rate and median
/// handling time) for everything in the caller's scope and per area. Roles: admin, operator,
/// leader (their areas), agency (their units).
#[utoipa::path(get, path = "/api/v1/kpis", tag = "wall", operation_id = "kpis", params(KpiParams),
    responses((status = 200, body = KpiView), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn kpi_view(State(s): State<AppState>, auth: Auth, ApiQuery(q): ApiQuery<KpiParams>) -> ApiResult<Response> {
    let (_, scope) = scope_of(&s, &auth)?;
    let reference = s.reference.current();
    let areas = match q.areas.as_deref() {
        None => None,
        Some(list) => {
            let codes = list
                .split(',')
                .map(|c| AreaCode::parse(c.trim(), "areas"))
                .collect::<Result<Vec<_>, ValidationErrors>>()?;
            Some(reference.area_descendants(&codes).into_iter().collect::<HashSet<_>>())
        }
    };
    let filter = Filter { areas, ..Filter::for_scope(&scope) };
    let body = s.kpis.board().body(&filter, &reference);
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct MapParams {
    /// Besides open tickets, those received or resolved in the last N hours (default 24, at most 720).
    recent_hours: Option<i64>,
}

/// The wall's ticket layer: every open ticket in the caller's scope plus the recent others, as
/// compact rows, with the `seq` to follow the live feed from. Roles: admin, operator, leader
/// (their areas), agency (their units).
#[utoipa::path(get, path = "/api/v1/map/tickets", tag = "wall", operation_id = "map_tickets", params(MapParams),
    responses((status = 200, body = MapTickets), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn map_tickets(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<MapParams>,
) -> ApiResult<Json<MapTickets>> {
    let (_, scope) = scope_of(&s, &auth)?;
    let hours = q.recent_hours.unwrap_or(crate::spatial::WALL_RECENT_HOURS);
    if !(0..=MAX_RECENT_HOURS).contains(&hours) {
        return Err(ValidationErrors::single("recent_hours", "must be between 0 and 720").into());
    }
    let s2 = s.clone();
    let body = tokio::task::spawn_blocking(move || s2.tickets.map_tickets(&scope, chrono::Duration::hours(hours)))
        .await
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("building the map layer failed: {e}")))?;
    Ok(Json(body))
}
