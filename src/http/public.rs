//! The citizens' API behind the portal: track a report by code and token, rate its result, and
//! browse published results nearby. Roles: everyone (the public included); the tracking token is
//! the citizen's proof. No reporter's personal data ever appears here.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::AppState;
use super::error::{ApiResult, Problem};
use super::json::{ApiJson, ApiQuery};
use crate::domain::{Location, Rating, ValidationErrors};
use crate::service::public::{PublicResult, PublicTicket};
use crate::service::survey::SurveyAnswer;

/// Longest rating comment.
const MAX_COMMENT_CHARS: usize = 2000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/track/{code}", get(track))
        .route("/api/v1/track/{code}/rating", post(rate))
        .route("/api/v1/track/{code}/survey", post(survey))
        .route("/api/v1/results", get(results))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct TrackParams {
    /// The tracking token given when the report was filed.
    token: String,
}

/// A report's status, public timeline and published result. Roles: public (with the token).
#[utoipa::path(get, path = "/api/v1/track/{code}", tag = "public", operation_id = "track", params(("code" = String, Path), TrackParams),
    responses((status = 200, body = PublicTicket), (status = 404, body = Problem)))]
async fn track(
    State(s): State<AppState>,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<TrackParams>,
) -> ApiResult<Json<PublicTicket>> {
    Ok(Json(s.tickets.track(&code, &q.token).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    token: String,
    /// 1 (very unhappy) to 5 (very happy); 2 or less reopens a resolved report.
    rating: i64,
    comment: Option<String>,
}

/// Rates the result of a resolved report, once; a rating of 2 or less reopens it with the
/// comment as the reason. Roles: public (with the token).
#[utoipa::path(post, path = "/api/v1/track/{code}/rating", tag = "public", operation_id = "rate_result",
    params(("code" = String, Path)), request_body = RatingInput,
    responses((status = 200, body = PublicTicket), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn rate(
    State(s): State<AppState>,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<RatingInput>,
) -> ApiResult<Json<PublicTicket>> {
    let rating = Rating::parse(input.rating, "rating")?;
    if input.comment.as_ref().is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS) {
        return Err(ValidationErrors::single("comment", "at most 2 000 characters").into());
    }
    Ok(Json(s.tickets.rate_as_citizen(&code, &input.token, rating, input.comment).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    token: String,
    /// Was the problem really fixed? `false` reopens the report.
    fixed: bool,
    /// 1 (very unhappy) to 5 (very happy); required when fixed, and 2 or less reopens it too.
    rating: Option<i64>,
    /// At most 2 000 characters; when not fixed, what is still wrong.
    comment: Option<String>,
}

/// Answers the survey of a resolved report, once: fixed or not, a rating, a comment. "Not
/// fixed" (or a rating of 2 or less) reopens it. Roles: public (with the token).
#[utoipa::path(post, path = "/api/v1/track/{code}/survey", tag = "public", operation_id = "answer_survey",
    params(("code" = String, Path)), request_body = SurveyInput,
    responses((status = 200, body = PublicTicket), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn survey(
    State(s): State<AppState>,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<SurveyInput>,
) -> ApiResult<Json<PublicTicket>> {
    let answer = SurveyAnswer::new(input.fixed, input.rating, input.comment)?;
    Ok(Json(s.tickets.answer_survey(&code, &input.token, answer).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ResultsParams {
    /// `lon,lat` (WGS84 degrees).
    near: String,
    /// Metres, default 1 000, at most 5 000.
    radius: Option<f64>,
    /// Default 20, at most 100.
    limit: Option<usize>,
}

/// Published results (resolved or closed in the last 90 days) near a point, nearest first.
/// Roles: public.
#[utoipa::path(get, path = "/api/v1/results", tag = "public", operation_id = "results_near", params(ResultsParams),
    responses((status = 200, body = [PublicResult]), (status = 422, body = Problem)))]
async fn results(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<ResultsParams>,
) -> ApiResult<Json<Vec<PublicResult>>> {
    let bad = || ValidationErrors::single("near", "near must be lon,lat in degrees");
    let (lon, lat) = q.near.split_once(',').ok_or_else(bad)?;
    let lon: f64 = lon.trim().parse().map_err(|_| bad())?;
    let lat: f64 = lat.trim().parse().map_err(|_| bad())?;
    let at = Location::parse(lon, lat, "near.")?;
    let radius = q.radius.unwrap_or(1000.0);
    if !(1.0..=5000.0).contains(&radius) {
        return Err(ValidationErrors::single("radius", "radius must be 1 to 5 000 metres").into());
    }
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ValidationErrors::single("limit", "limit must be 1 to 100").into());
    }
    Ok(Json(s.tickets.results_near(at, radius, limit).await?))
}
