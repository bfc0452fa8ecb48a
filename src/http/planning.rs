//! `/api/v1/planning`: the planning map. What is planned at a point, the zones of a map view as
//! GeoJSON, the layers and the legend. Roles: everyone (plans are public documents).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tower_http::compression::CompressionLayer;

use super::AppState;
use super::error::{ApiResult, Problem};
use super::json::ApiQuery;
use crate::domain::{BBox, LandUse, Location, PlanningLayerCode, ValidationErrors};
use crate::service::planning::{PlanningLayers, ZonesAt};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/planning/at", get(at))
        .route("/api/v1/planning/layers", get(layers))
        // The demo plan's 625 zones are 0.46 MB of GeoJSON, 26 kB gzipped.
        .route("/api/v1/planning/zones", get(zones).layer(CompressionLayer::new()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct AtParams {
    /// Longitude, WGS84 degrees.
    lon: Option<String>,
    /// Latitude, WGS84 degrees.
    lat: Option<String>,
}

/// Reads a coordinate parameter; a missing or non-numeric one is an error naming it.
fn coordinate(v: Option<&str>, field: &str, errs: &mut ValidationErrors) -> f64 {
    match v.map(|s| s.trim().parse::<f64>()) {
        Some(Ok(x)) => x,
        None => {
            errs.push(field, "required");
            0.0
        }
        Some(Err(_)) => {
            errs.push(field, "must be a number of degrees");
            0.0
        }
    }
}

/// Every planning zone at a point, with its land use, limits (height, density, floor-area
/// ratio) and approving decision; two or more on a border between zones or where plans
/// overlap, none outside every plan. Roles: public.
#[utoipa::path(get, path = "/api/v1/planning/at", tag = "planning", operation_id = "planning_at", params(AtParams),
    responses((status = 200, body = ZonesAt), (status = 422, body = Problem)))]
async fn at(State(s): State<AppState>, ApiQuery(q): ApiQuery<AtParams>) -> ApiResult<Json<ZonesAt>> {
    let mut errs = ValidationErrors::new();
    let lon = coordinate(q.lon.as_deref(), "lon", &mut errs);
    let lat = coordinate(q.lat.as_deref(), "lat", &mut errs);
    errs.into_result()?;
    let at = Location::parse(lon, lat, "")?;
    Ok(Json(s.planning.zones_at(at).await?))
}

/// The planning layers (with their approving decisions, zone counts and extents) and the
/// legend: every land-use kind with its symbol, Vietnamese and English labels and colour.
/// Roles: public.
#[utoipa::path(get, path = "/api/v1/planning/layers", tag = "planning", operation_id = "planning_layers",
    responses((status = 200, body = PlanningLayers)))]
async fn layers(State(s): State<AppState>) -> ApiResult<Json<PlanningLayers>> {
    Ok(Json(s.planning.planning_layers().await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ZonesParams {
    /// `minLon,minLat,maxLon,maxLat`: only zones touching this box (default: all).
    bbox: Option<String>,
    /// Only these layers (comma-separated codes).
    layer: Option<String>,
    /// Only these land uses (comma-separated, e.g. `green_space,water`).
    land_use: Option<String>,
}

fn list<T>(
    s: Option<&str>,
    parse: impl Fn(&str) -> Result<T, ValidationErrors>,
) -> Result<Option<Vec<T>>, ValidationErrors> {
    s.map(|s| s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(&parse).collect()).transpose()
}

/// The planning zones touching a box, as a GeoJSON FeatureCollection (id `{layer}:{code}`,
/// properties as in `/api/v1/planning/at`). Roles: public.
#[utoipa::path(get, path = "/api/v1/planning/zones", tag = "planning", operation_id = "planning_zones", params(ZonesParams),
    responses((status = 200, description = "GeoJSON FeatureCollection", content_type = "application/geo+json"), (status = 422, body = Problem)))]
async fn zones(State(s): State<AppState>, ApiQuery(q): ApiQuery<ZonesParams>) -> ApiResult<Response> {
    let mut errs = ValidationErrors::new();
    let bbox =
        q.bbox.as_deref().map(|b| BBox::parse(b, "bbox")).transpose().map_err(|e| errs.0.extend(e.0)).ok().flatten();
    let layers = errs.take(list(q.layer.as_deref(), |c| PlanningLayerCode::parse(c, "layer"))).flatten();
    let uses = errs.take(list(q.land_use.as_deref(), |l| LandUse::parse(l, "land_use"))).flatten();
    errs.into_result()?;
    let fc = s.planning.zones_geojson(bbox, layers, uses).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/geo+json")], fc.to_string()).into_response())
}
