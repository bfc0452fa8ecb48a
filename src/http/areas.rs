//! `/api/v1/areas`: administrative areas as GeoJSON, with live counts per status.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::AppState;
use super::error::{ApiError, ApiResult, Problem};
use super::json::ApiQuery;
use crate::domain::{Area, AreaCode, ValidationErrors};
use crate::spatial::AreaStats;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/areas", get(list)).route("/api/v1/areas/{code}", get(one))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AreaParams {
    /// Only areas of this level (e.g. `district`).
    level: Option<String>,
    /// Boundaries in force at this RFC 3339 instant (default: now).
    at: Option<String>,
}

fn feature(area: &Area, stats: Option<&AreaStats>) -> geojson::Feature {
    let mut props = serde_json::Map::new();
    props.insert("code".into(), area.code.as_str().into());
    props.insert("name".into(), area.name.clone().into());
    props.insert("name_en".into(), area.name_en.clone().into());
    props.insert("level".into(), area.level.clone().into());
    props.insert("parent".into(), area.parent.as_ref().map(|p| p.as_str().into()).unwrap_or(serde_json::Value::Null));
    props.insert("valid_from".into(), area.valid_from.to_rfc3339().into());
    props.insert("valid_to".into(), area.valid_to.map(|t| t.to_rfc3339().into()).unwrap_or(serde_json::Value::Null));
    let stats = stats.cloned().unwrap_or_default();
    props.insert("stats".into(), serde_json::to_value(stats).unwrap_or_default());
    geojson::Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::new(geojson::Value::from(&area.geometry))),
        id: Some(geojson::feature::Id::String(area.code.to_string())),
        properties: Some(props),
        foreign_members: None,
    }
}

fn geojson_response(body: String) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/geo+json")], body).into_response()
}

fn parse_at(at: &Option<String>) -> ApiResult<DateTime<Utc>> {
    match at {
        None => Ok(Utc::now()),
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| ValidationErrors::single("at", "must be an RFC 3339 instant").into()),
    }
}

/// Every area (or those of one level) as a GeoJSON FeatureCollection; each feature's
/// `stats` holds live ticket counts per status, open and overdue (its own and those of the
/// areas below it). Roles: public.
#[utoipa::path(get, path = "/api/v1/areas", tag = "areas", operation_id = "list_areas", params(AreaParams),
    responses((status = 200, description = "GeoJSON FeatureCollection", content_type = "application/geo+json"), (status = 422, body = Problem)))]
async fn list(State(s): State<AppState>, ApiQuery(q): ApiQuery<AreaParams>) -> ApiResult<Response> {
    let at = parse_at(&q.at)?;
    let reference = s.reference.current();
    let stats = s.projection.area_stats();
    let features: Vec<geojson::Feature> = reference
        .areas
        .all(at)
        .into_iter()
        .filter(|a| q.level.as_ref().is_none_or(|l| &a.level == l))
        .map(|a| feature(a, stats.get(&a.code)))
        .collect();
    let fc = geojson::FeatureCollection { bbox: None, features, foreign_members: None };
    Ok(geojson_response(fc.to_string()))
}

/// One area as a GeoJSON Feature with its live counts. Roles: public.
#[utoipa::path(get, path = "/api/v1/areas/{code}", tag = "areas", operation_id = "get_area", params(("code" = String, Path), AreaParams),
    responses((status = 200, description = "GeoJSON Feature", content_type = "application/geo+json"), (status = 404, body = Problem)))]
async fn one(
    State(s): State<AppState>,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<AreaParams>,
) -> ApiResult<Response> {
    let code = AreaCode::parse(&code, "code")?;
    let at = parse_at(&q.at)?;
    let reference = s.reference.current();
    let area = reference.areas.get(&code, at).ok_or_else(|| ApiError::not_found(format!("area {code} not found")))?;
    let stats = s.projection.area_stats();
    Ok(geojson_response(feature(area, stats.get(&code)).to_string()))
}
