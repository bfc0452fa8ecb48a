//! `/api/v1/public/places`: the place search of the console (`/api/v1/places`, staff only) for
//! everyone, so the portal's planning map can find an address. It searches only public data:
//! the city's landmarks, streets, districts and wards. Roles: public.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::AppState;
use super::error::{ApiResult, Problem};
use super::json::ApiQuery;
use crate::domain::ValidationErrors;
use crate::service::places::{self, PlaceHit};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/public/places", get(search))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SearchParams {
    /// Part of a name, in Vietnamese or English, with or without diacritics (1–100 characters).
    q: Option<String>,
    /// At most this many (1–50, default 10).
    limit: Option<String>,
}

/// Places of the city by name (landmarks, markets, bridges, beaches, stations, streets,
/// districts and wards), each with a point and the areas it lies in; best match first,
/// diacritics and case ignored ("cho han" finds "Chợ Hàn"). Roles: public.
#[utoipa::path(get, path = "/api/v1/public/places", tag = "public", operation_id = "search_places_public", params(SearchParams),
    responses((status = 200, body = Vec<PlaceHit>), (status = 422, body = Problem)))]
async fn search(State(s): State<AppState>, ApiQuery(q): ApiQuery<SearchParams>) -> ApiResult<Json<Vec<PlaceHit>>> {
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
    Ok(Json(s.tickets.search_places(query, limit)))
}
