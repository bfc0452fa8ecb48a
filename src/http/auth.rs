//! Who is calling: a bearer API key, a session cookie, or the public. Each handler then names
//! the roles that reach it with [`Auth::require`].

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use super::AppState;
use super::error::ApiError;
use crate::domain::{Principal, Role};

/// Name of the web session cookie.
pub const SESSION_COOKIE: &str = "sb_session";

/// Everyone signed in as staff of the centre, leaders and agencies.
pub const STAFF: &[Role] = &[Role::Admin, Role::Operator, Role::Leader, Role::Agency];
/// Those who read tickets and statistics: the staff and the read-only `analyst` keys of BI tools.
pub const READERS: &[Role] = &[Role::Admin, Role::Operator, Role::Leader, Role::Agency, Role::Analyst];
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

/// Resolves the caller's credentials once per request, for every route: a presented bearer key
/// must be valid (a wrong key is a 401 everywhere, never a silent downgrade to the public).
/// Handlers read the result with the [`Auth`] extractor.
pub async fn authenticate(State(services): State<AppState>, mut req: Request, next: Next) -> Response {
    match resolve(req.headers(), &services).await {
        Ok(principal) => {
            req.extensions_mut().insert(Auth(principal));
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

async fn resolve(headers: &HeaderMap, services: &AppState) -> Result<Principal, ApiError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let key = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(ApiError::unauthenticated)?;
        return services.accounts.api_key_principal(key).await?.ok_or_else(ApiError::unauthenticated);
    }
    let jar = CookieJar::from_headers(headers);
    if let Some(cookie) = jar.get(SESSION_COOKIE)
        && let Some(user) = services.accounts.session_user(cookie.value()).await?
    {
        return Ok(Principal::User(user));
    }
    // An expired or unknown session cookie leaves the caller public.
    Ok(Principal::Public)
}

/// A role set as a bit mask, for [`Gate`]: `Gate<{ mask(CENTRE) }>`.
pub const fn mask(roles: &[Role]) -> u8 {
    let mut m = 0u8;
    let mut i = 0;
    while i < roles.len() {
        m |= 1 << (roles[i] as u8);
        i += 1;
    }
    m
}

/// The caller, already checked against the role set `R` (a [`mask`]). A handler that reads a
/// body takes it before the body's extractor, so that the public gets a 401 and other roles a
/// 403 before the body is read, never a 422 that lists the body's fields.
#[derive(Debug, Clone)]
pub struct Gate<const R: u8>(pub Principal);

impl<S: Send + Sync, const R: u8> FromRequestParts<S> for Gate<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let auth = Auth::from_request_parts(parts, state).await?;
        let roles: Vec<Role> = Role::ALL.into_iter().filter(|r| R & (1 << (*r as u8)) != 0).collect();
        auth.require(&roles)?;
        Ok(Gate(auth.0))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Auth>()
            .cloned()
            .ok_or_else(|| ApiError::internal("the authenticate middleware is not installed"))
    }
}
