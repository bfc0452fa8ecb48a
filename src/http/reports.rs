//! The Friday report (`/api/v1/reports`) and staff contacts (`/api/v1/me/contact`,
//! `/api/v1/users/{id}/contact`): where escalations, digests and reports reach a user, and
//! whether they subscribe. Roles are named on each route.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use uuid::Uuid;

use super::AppState;
use super::auth::{ADMIN, Auth, Gate, STAFF, mask};
use super::error::{ApiResult, Problem};
use super::json::{ApiJson, ApiQuery};
use crate::domain::{StaffContact, ValidationErrors};
use crate::service::reports::WeeklyReport;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports", get(list))
        .route("/api/v1/reports/preview", get(preview))
        .route("/api/v1/reports/{id}", get(one))
        .route("/api/v1/reports/{id}/report.xlsx", get(xlsx))
        .route("/api/v1/me/contact", get(my_contact).put(set_my_contact))
        .route("/api/v1/users/{id}/contact", get(user_contact).put(set_user_contact))
}

fn uuid(raw: &str, what: &str) -> ApiResult<Uuid> {
    Ok(Uuid::parse_str(raw.trim())
        .map_err(|_| ValidationErrors::single("id", format!("must be a {what} id (UUID)")))?)
}

/// The weekly reports kept for the signed-in user, newest first (an admin's list has
/// everyone's). Roles: admin, operator, leader, agency.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports", operation_id = "list_reports",
    responses((status = 200, body = Vec<WeeklyReport>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<WeeklyReport>>> {
    let p = auth.require(STAFF)?;
    Ok(Json(s.reports.list(p).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct PreviewParams {
    /// Another user's login (admins only).
    user: Option<String>,
}

/// The next report the signed-in user will get, composed from today's figures. Roles: admin
/// (any user's, with `user`), operator, leader, agency.
#[utoipa::path(get, path = "/api/v1/reports/preview", tag = "reports", operation_id = "preview_report", params(PreviewParams),
    responses((status = 200, body = WeeklyReport), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn preview(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PreviewParams>,
) -> ApiResult<Json<WeeklyReport>> {
    let p = auth.require(STAFF)?;
    Ok(Json(s.reports.preview(p, q.user.as_deref().map(str::trim)).await?))
}

/// One kept report. Roles: its recipient, admin.
#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "reports", operation_id = "get_report", params(("id" = String, Path)),
    responses((status = 200, body = WeeklyReport), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn one(State(s): State<AppState>, auth: Auth, Path(id): Path<String>) -> ApiResult<Json<WeeklyReport>> {
    let p = auth.require(STAFF)?;
    Ok(Json(s.reports.get(p, uuid(&id, "report")?).await?))
}

/// One kept report's workbook, as attached to its email. Roles: its recipient, admin.
#[utoipa::path(get, path = "/api/v1/reports/{id}/report.xlsx", tag = "reports", operation_id = "report_xlsx", params(("id" = String, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn xlsx(State(s): State<AppState>, auth: Auth, Path(id): Path<String>) -> ApiResult<Response> {
    let p = auth.require(STAFF)?;
    let (report, bytes) = s.reports.xlsx(p, uuid(&id, "report")?).await?;
    Ok(super::stats::download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("bao-cao-tuan-{}-{}.xlsx", report.from, report.to),
        bytes,
    ))
}

fn me(auth: &Auth) -> ApiResult<Uuid> {
    let p = auth.require(STAFF)?;
    Ok(crate::domain::staff::user_id(p)
        .ok_or_else(|| crate::service::ServiceError::Forbidden("sign in as a user".into()))?)
}

/// The signed-in user's contact and subscriptions. Roles: admin, operator, leader, agency
/// (their own; not API keys).
#[utoipa::path(get, path = "/api/v1/me/contact", tag = "reports", operation_id = "my_contact",
    responses((status = 200, body = StaffContact), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn my_contact(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<StaffContact>> {
    let id = me(&auth)?;
    Ok(Json(s.accounts.contact(&auth.0, id).await?))
}

/// Sets the signed-in user's phone, email and subscriptions (`unit_head` is kept: only an
/// admin sets it). Roles: admin, operator, leader, agency (their own).
#[utoipa::path(put, path = "/api/v1/me/contact", tag = "reports", operation_id = "set_my_contact", request_body = StaffContact,
    responses((status = 200, body = StaffContact), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn set_my_contact(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(STAFF) }>,
    ApiJson(c): ApiJson<StaffContact>,
) -> ApiResult<Json<StaffContact>> {
    let id = me(&Auth(p.clone()))?;
    Ok(Json(s.accounts.set_contact(&p, id, c).await?))
}

/// A user's contact. Roles: admin.
#[utoipa::path(get, path = "/api/v1/users/{id}/contact", tag = "users", operation_id = "user_contact", params(("id" = String, Path)),
    responses((status = 200, body = StaffContact), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn user_contact(State(s): State<AppState>, auth: Auth, Path(id): Path<String>) -> ApiResult<Json<StaffContact>> {
    let p = auth.require(ADMIN)?;
    Ok(Json(s.accounts.contact(p, uuid(&id, "user")?).await?))
}

/// Sets a user's contact, including whether they head their units. Roles: admin.
#[utoipa::path(put, path = "/api/v1/users/{id}/contact", tag = "users", operation_id = "set_user_contact", params(("id" = String, Path)), request_body = StaffContact,
    responses((status = 200, body = StaffContact), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn set_user_contact(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(ADMIN) }>,
    Path(id): Path<String>,
    ApiJson(c): ApiJson<StaffContact>,
) -> ApiResult<Json<StaffContact>> {
    Ok(Json(s.accounts.set_contact(&p, uuid(&id, "user")?, c).await?))
}
