//! Who is calling: a bearer API key, a session cookie, or the public. Each handler then names
//! the roles that reach it with [`Auth::require`].

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use axum_extra::extract::CookieJar;

use super::error::ApiError;
use crate::domain::{Principal, Role};
use crate::service::Services;

/// Name of the web session cookie.
pub const SESSION_COOKIE: &str = "sb_session";

/// Everyone signed in as staff of the centre, leaders and agencies.
pub const STAFF: &[Role] = &[Role::Admin, Role::Operator, Role::Leader, Role::Agency];
/// The call centre.
pub const CENTRE: &[Role] = &[Role::Admin, Role::Operator];
/// Those who change tickets: the centre and the units.
pub const HANDLERS: &[Role] = &[Role::Admin, Role::Operator, Role::Agency];
pub const ADMIN: &[Role] = &[Role::Admin];

/// The principal of the request.
#[derive(Debug, Clone)]
pub struct Auth(pub Principal);

impl Auth {
    /// The principal if its role is one of `roles`: 401 for the public, 403 for other roles.
    pub fn require(&self, roles: &[Role]) -> Result<&Principal, ApiError> {
        match self.0.role() {
            None => Err(ApiError::unauthenticated()),
            Some(r) if roles.contains(&r) => Ok(&self.0),
            Some(r) => Err(ApiError::forbidden(format!("the {} role cannot use this endpoint", r.as_str()))),
        }
    }
}

impl FromRequestParts<Services> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, services: &Services) -> Result<Self, ApiError> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            // A presented key must be valid: a wrong key is a 401, never a silent downgrade.
            let key = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .ok_or_else(ApiError::unauthenticated)?;
            return match services.api_key_principal(key).await? {
                Some(p) => Ok(Auth(p)),
                None => Err(ApiError::unauthenticated()),
            };
        }
        let jar = CookieJar::from_headers(&parts.headers);
        if let Some(cookie) = jar.get(SESSION_COOKIE)
            && let Some(user) = services.session_user(cookie.value()).await?
        {
            return Ok(Auth(Principal::User(user)));
        }
        // An expired or unknown session cookie leaves the caller public.
        Ok(Auth(Principal::Public))
    }
}
