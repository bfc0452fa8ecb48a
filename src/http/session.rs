//! `/api/v1/session`: web sign-in with a cookie.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use super::AppState;
use super::auth::{Auth, SESSION_COOKIE};
use super::error::{ApiError, ApiResult, Problem};
use super::json::ApiJson;
use super::limits::Limits;
use crate::domain::{Principal, User};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/session", post(login).get(me).delete(logout))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    pub name: String,
    pub password: String,
}

/// Sign in; sets an HttpOnly, SameSite=Lax session cookie. Roles: public. Failed sign-ins
/// are throttled per account and per address (`429` with `Retry-After`; see
/// `service::login_throttle`).
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = Credentials,
    responses((status = 200, body = User), (status = 401, body = Problem)))]
async fn login(
    State(s): State<AppState>,
    Extension(limits): Extension<Arc<Limits>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(c): ApiJson<Credentials>,
) -> ApiResult<Response> {
    if c.name.len() > 64 || c.password.len() > 1024 {
        return Err(ApiError::unauthenticated());
    }
    let from = limits.client_ip(peer.map(|Extension(ConnectInfo(a))| a.ip()), &headers);
    let (user, token, expires) = s.accounts.login(&c.name, &c.password, from).await.map_err(|e| match e {
        crate::service::ServiceError::Unauthenticated => {
            let mut e = ApiError::unauthenticated();
            e.detail = Some("wrong name or password".into());
            e
        }
        other => other.into(),
    })?;
    let max_age = (expires - chrono::Utc::now()).num_seconds().max(0);
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(s.settings.secure_cookies)
        .path("/")
        .max_age(time_from_secs(max_age))
        .build();
    Ok((jar.add(cookie), axum::Json(user)).into_response())
}

fn time_from_secs(secs: i64) -> time::Duration {
    time::Duration::seconds(secs)
}

/// The signed-in user. Roles: any signed-in user (API keys get a 403: they have no session).
#[utoipa::path(get, path = "/api/v1/session", tag = "session", responses((status = 200, body = User), (status = 401, body = Problem)))]
async fn me(auth: Auth) -> ApiResult<axum::Json<User>> {
    match auth.0 {
        Principal::User(u) => Ok(axum::Json(u)),
        Principal::ApiKey { .. } => Err(ApiError::forbidden("an API key has no session")),
        Principal::Public => Err(ApiError::unauthenticated()),
    }
}

/// Sign out. Roles: anyone (a no-op without a session).
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204)))]
async fn logout(State(s): State<AppState>, jar: CookieJar) -> ApiResult<Response> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        s.accounts.logout(c.value()).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, StatusCode::NO_CONTENT).into_response())
}
