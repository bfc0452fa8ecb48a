//! The leaders' statistics: breakdowns with any filters and grouping, weekly trends, and the
//! same breakdowns as CSV and XLSX. Roles: admin, operator, analyst keys (everything), leader
//! (their areas), agency (their units); every figure is counted within the caller's scope. And the public figures
//! (`/api/v1/public/stats`), open to everyone: aggregates only, small groups suppressed.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::auth::{Auth, READERS};
use super::error::{ApiError, ApiResult, Problem};
use super::json::ApiQuery;
use crate::http::AppState;
use crate::service::Analytics;
use crate::service::stats::public::PublicStats;
use crate::service::stats::staffing::{StaffingParams, StaffingReport};
use crate::service::stats::{StatsParams, StatsReport, TrendReport, csv, public, xlsx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/stats", get(report))
        .route("/api/v1/stats/trends", get(trends))
        .route("/api/v1/stats/export.csv", get(report_csv))
        .route("/api/v1/stats/export.xlsx", get(report_xlsx))
        .route("/api/v1/stats/staffing", get(staffing))
        .route("/api/v1/public/stats", get(public_json))
        .route("/api/v1/public/stats.csv", get(public_csv))
}

/// A breakdown of the tickets in the caller's scope: every measure of `docs/metrics.md` per
/// group of one or two dimensions and in total, with the satisfaction index for groups by
/// area or unit. Roles: admin, operator, analyst, leader (their areas), agency (their units).
#[utoipa::path(get, path = "/api/v1/stats", tag = "stats", operation_id = "stats", params(StatsParams),
    responses((status = 200, body = StatsReport), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn report(
    State(a): State<Analytics>,
    auth: Auth,
    ApiQuery(params): ApiQuery<StatsParams>,
) -> ApiResult<Json<StatsReport>> {
    let p = auth.require(READERS)?;
    let req = a.parse(&params)?;
    Ok(Json(a.report(p, &req)?))
}

/// Per ISO week: tickets received, resolutions, late resolutions and the open backlog at the
/// week's end, from the event history (default: the last 12 weeks). Roles: admin, operator,
/// analyst, leader (their areas), agency (their units).
#[utoipa::path(get, path = "/api/v1/stats/trends", tag = "stats", operation_id = "stats_trends", params(StatsParams),
    responses((status = 200, body = TrendReport), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn trends(
    State(a): State<Analytics>,
    auth: Auth,
    ApiQuery(params): ApiQuery<StatsParams>,
) -> ApiResult<Json<TrendReport>> {
    let p = auth.require(READERS)?;
    let req = a.parse(&params)?;
    Ok(Json(a.trends(p, &req)?))
}

/// The breakdown of `GET /api/v1/stats` as CSV (UTF-8 with a byte-order mark, so that Excel
/// shows "Hải Châu" as it is): a row per group, a code and a name column per dimension, then
/// the measures. Roles: admin, operator, analyst, leader (their areas), agency (their units).
#[utoipa::path(get, path = "/api/v1/stats/export.csv", tag = "stats", operation_id = "stats_csv", params(StatsParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn report_csv(
    State(a): State<Analytics>,
    auth: Auth,
    ApiQuery(params): ApiQuery<StatsParams>,
) -> ApiResult<Response> {
    let report = a.report(auth.require(READERS)?, &a.parse(&params)?)?;
    let body = csv::report_csv(&report).map_err(ApiError::internal)?;
    Ok(download(CSV, &format!("thong-ke-{}.csv", report.generated_at.format("%Y%m%d-%H%M")), body))
}

/// The breakdown of `GET /api/v1/stats` as an Excel workbook (rates as percentages, the query
/// on a second sheet). Roles: admin, operator, analyst, leader (their areas), agency (their
/// units).
#[utoipa::path(get, path = "/api/v1/stats/export.xlsx", tag = "stats", operation_id = "stats_xlsx", params(StatsParams),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn report_xlsx(
    State(a): State<Analytics>,
    auth: Auth,
    ApiQuery(params): ApiQuery<StatsParams>,
) -> ApiResult<Response> {
    let report = a.report(auth.require(READERS)?, &a.parse(&params)?)?;
    let body = xlsx::report_xlsx(&report).map_err(ApiError::internal)?;
    Ok(download(XLSX, &format!("thong-ke-{}.xlsx", report.generated_at.format("%Y%m%d-%H%M")), body))
}

pub(super) const CSV: &str = "text/csv; charset=utf-8";
pub(super) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file to save: its type, and its (ASCII) name in `Content-Disposition`; never cached.
pub(super) fn download(content_type: &'static str, filename: &str, body: impl IntoResponse) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The period of the public figures.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct PublicParams {
    /// First day, `YYYY-MM-DD` (default: 29 days before today).
    from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today).
    to: Option<String>,
}

impl PublicParams {
    fn dates(&self) -> ApiResult<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)> {
        let mut errs = crate::domain::ValidationErrors::new();
        let mut date = |v: &Option<String>, field: &str| {
            v.as_deref().and_then(|s| {
                chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                    .map_err(|_| errs.push(field, "must be a date, YYYY-MM-DD"))
                    .ok()
            })
        };
        let (from, to) = (date(&self.from, "from"), date(&self.to, "to"));
        errs.into_result()?;
        Ok((from, to))
    }
}

/// The city's public figures: per district and per unit the volumes, the on-time rate and
/// the satisfaction index, volumes by field, weekly trends. Aggregates only; a group of fewer
/// than 5 tickets is published without figures. Roles: everyone, signed in or not.
#[utoipa::path(get, path = "/api/v1/public/stats", tag = "stats", operation_id = "public_stats", params(PublicParams),
    responses((status = 200, body = PublicStats), (status = 422, body = Problem)))]
async fn public_json(State(a): State<Analytics>, ApiQuery(p): ApiQuery<PublicParams>) -> ApiResult<Json<PublicStats>> {
    let (from, to) = p.dates()?;
    Ok(Json(a.public_figures(from, to, chrono::Utc::now())?))
}

/// The public figures as CSV for open-data portals (UTF-8 with a byte-order mark). Roles:
/// everyone, signed in or not.
#[utoipa::path(get, path = "/api/v1/public/stats.csv", tag = "stats", operation_id = "public_stats_csv", params(PublicParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = Problem)))]
async fn public_csv(State(a): State<Analytics>, ApiQuery(p): ApiQuery<PublicParams>) -> ApiResult<Response> {
    let (from, to) = p.dates()?;
    let figures = a.public_figures(from, to, chrono::Utc::now())?;
    let body = public::public_csv(&figures).map_err(ApiError::internal)?;
    Ok(download(CSV, &format!("so-lieu-{}-{}.csv", figures.from, figures.to), body))
}

/// Staffing the hotline: calls and other reports per hour over the last weeks, next week's
/// hourly forecast (holidays and weekends from past days off) and the operators needed per
/// hour for the target answer time (Erlang C). Roles: admin, operator, leader, analyst.
#[utoipa::path(get, path = "/api/v1/stats/staffing", tag = "stats", operation_id = "stats_staffing", params(StaffingParams),
    responses((status = 200, body = StaffingReport), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn staffing(
    State(a): State<Analytics>,
    auth: Auth,
    ApiQuery(params): ApiQuery<StaffingParams>,
) -> ApiResult<Json<StaffingReport>> {
    let p = auth.require(READERS)?;
    Ok(Json(a.staffing(p, &params, chrono::Utc::now()).await?))
}
