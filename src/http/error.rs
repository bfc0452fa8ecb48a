//! RFC 9457 problem details: every error leaves as `application/problem+json` with a stable
//! `code` and, for validation, the fields at fault. Unexpected errors are logged with their
//! cause chain and answered with a bare 500.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::{ActionKind, FieldError, TransitionError, ValidationErrors};
use crate::service::ServiceError;

/// The problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `urn:switchboard:problem:{code}`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable machine-readable code, e.g. `validation`, `not_found`, `transition_not_allowed`.
    pub code: String,
    /// For `validation`: each field at fault and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `transition_not_allowed`: what may be done instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<Vec<ActionKind>>,
}

/// An error on its way to becoming a problem response.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub title: &'static str,
    pub detail: Option<String>,
    pub errors: Vec<FieldError>,
    pub allowed_actions: Option<Vec<ActionKind>>,
    /// Extra headers (e.g. `WWW-Authenticate`).
    pub www_authenticate: bool,
    /// `Retry-After` in whole seconds, for 429 and 503.
    pub retry_after: Option<u32>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, title: &'static str, detail: impl Into<Option<String>>) -> Self {
        Self {
            status,
            code,
            title,
            detail: detail.into(),
            errors: Vec::new(),
            allowed_actions: None,
            www_authenticate: false,
            retry_after: None,
        }
    }

    pub fn validation(v: ValidationErrors) -> Self {
        let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", "Invalid input", Some(v.to_string()));
        e.errors = v.0;
        e
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", "Bad request", Some(detail.into()))
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Not found", Some(detail.into()))
    }

    pub fn unauthenticated() -> Self {
        let mut e = Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Authentication required",
            Some("sign in (POST /api/v1/session) or send Authorization: Bearer KEY".into()),
        );
        e.www_authenticate = true;
        e
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Forbidden", Some(detail.into()))
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal server error", None)
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(v: ValidationErrors) -> Self {
        Self::validation(v)
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Validation(v) => Self::validation(v),
            ServiceError::NotFound(what) => Self::not_found(format!("{what} not found")),
            ServiceError::Unauthenticated => Self::unauthenticated(),
            ServiceError::Forbidden(d) => Self::forbidden(d),
            ServiceError::OutOfScope(d) => {
                Self::new(StatusCode::FORBIDDEN, "out_of_scope", "Outside your scope", Some(d))
            }
            ServiceError::Transition(TransitionError::NotAllowed { status, action, allowed }) => {
                let mut e = Self::new(
                    StatusCode::CONFLICT,
                    "transition_not_allowed",
                    "Action not allowed in this status",
                    Some(format!(
                        "cannot {} a ticket that is {}",
                        serde_json::to_value(action)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        status.as_str()
                    )),
                );
                e.allowed_actions = Some(allowed);
                e
            }
            ServiceError::Transition(TransitionError::Forbidden { .. }) => Self::forbidden(e.to_string()),
            ServiceError::Transition(TransitionError::Invalid(v)) => Self::validation(v),
            ServiceError::Conflict(d) => Self::new(StatusCode::CONFLICT, "conflict", "Conflict", Some(d)),
            ServiceError::IdempotencyMismatch => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "Idempotency-Key reused",
                Some("this Idempotency-Key was already used for a different request".into()),
            ),
            ServiceError::Full { code, field, detail } => {
                let mut e = Self::new(StatusCode::CONFLICT, code, "Full", Some(detail.clone()));
                e.errors = vec![crate::domain::FieldError { field: field.into(), message: detail }];
                e
            }
            ServiceError::AlreadyExists(what) => Self::new(
                StatusCode::CONFLICT,
                "already_exists",
                "Already exists",
                Some(format!("{what} already exists")),
            ),
            ServiceError::RateLimited { wait, detail } => {
                let mut e = Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "Too many requests", Some(detail));
                e.retry_after = Some(whole_seconds(wait));
                e
            }
            ServiceError::Unavailable { wait, detail } => {
                tracing::warn!(%detail, "503");
                let mut e =
                    Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Unavailable for now", Some(detail));
                e.retry_after = Some(whole_seconds(wait));
                e
            }
            ServiceError::Store(err) => Self::internal(format!("store: {err:?}")),
            ServiceError::Internal(err) => Self::internal(format!("{err:#}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Problem {
            kind: format!("urn:switchboard:problem:{}", self.code),
            title: self.title.to_owned(),
            status: self.status.as_u16(),
            detail: self.detail,
            code: self.code.to_owned(),
            errors: self.errors,
            allowed_actions: self.allowed_actions,
        };
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        let mut resp = (self.status, json).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(secs) = self.retry_after {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.www_authenticate {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer, Cookie"));
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A wait in whole seconds, rounded up, at least 1 (for `Retry-After`).
fn whole_seconds(wait: std::time::Duration) -> u32 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    u32::try_from(secs.max(1)).unwrap_or(u32::MAX)
}

/// Turns every error answer in plain text into problem+json: axum's own rejections (a path
/// that is not UTF-8, a body over the limit, a wrong method) answer `text/plain`, and a client
/// should find one error format everywhere. Headers such as `Allow` and `Retry-After` are kept.
pub async fn plain_errors_as_problems(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    let plain = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, 16 * 1024).await.unwrap_or_default();
    let detail = String::from_utf8_lossy(&bytes).trim().to_owned();
    let (code, title) = match status {
        StatusCode::BAD_REQUEST => ("bad_request", "Bad request"),
        StatusCode::NOT_FOUND => ("not_found", "Not found"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "Method not allowed"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "Request body too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "Unsupported media type"),
        StatusCode::UNPROCESSABLE_ENTITY => ("validation", "Invalid input"),
        s => ("error", s.canonical_reason().unwrap_or("Error")),
    };
    let mut out = ApiError::new(status, code, title, (!detail.is_empty()).then_some(detail)).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().entry(name).or_insert_with(|| value.clone());
        }
    }
    out
}
