//! `/api/v1/users`, `/api/v1/apikeys`: accounts, for admins.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{ADMIN, Auth, Gate, mask};
use super::error::{ApiResult, Problem};
use super::json::ApiJson;
use crate::domain::{Role, User};
use crate::service::auth::NewUserInput;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/users", get(list).post(create)).route("/api/v1/apikeys", post(create_key))
}

/// Every user. Roles: admin.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", operation_id = "list_users", responses((status = 200, body = Vec<User>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Vec<User>>> {
    auth.require(ADMIN)?;
    Ok(axum::Json(s.accounts.users().await?))
}

/// Create a user (leaders need `areas`, agency staff `units`). Roles: admin.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", operation_id = "create_user", request_body = NewUserInput,
    responses((status = 201, body = User), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(s): State<AppState>,
    _: Gate<{ mask(ADMIN) }>,
    ApiJson(input): ApiJson<NewUserInput>,
) -> ApiResult<(StatusCode, axum::Json<User>)> {
    Ok((StatusCode::CREATED, axum::Json(s.accounts.add_user(input).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewApiKey {
    pub name: String,
    /// admin, operator, open311 or analyst (read-only, for BI tools).
    pub role: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedApiKey {
    pub name: String,
    pub role: Role,
    /// The key: shown once, send it as `Authorization: Bearer KEY`.
    pub key: String,
}

/// Create an API key for an integration. Roles: admin.
#[utoipa::path(post, path = "/api/v1/apikeys", tag = "users", request_body = NewApiKey,
    responses((status = 201, body = CreatedApiKey), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_key(
    State(s): State<AppState>,
    _: Gate<{ mask(ADMIN) }>,
    ApiJson(k): ApiJson<NewApiKey>,
) -> ApiResult<(StatusCode, axum::Json<CreatedApiKey>)> {
    let (key, secret) = s.accounts.create_api_key(&k.name, &k.role).await?;
    Ok((StatusCode::CREATED, axum::Json(CreatedApiKey { name: key.name, role: key.role, key: secret })))
}
