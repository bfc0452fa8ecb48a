//! The camera proxy: `/api/v1/cameras/{code}/snapshot`, `/stream` (MJPEG passed through)
//! and `/hls` (playlists rewritten to come back here, segments streamed). Browsers name a
//! camera by code only; the server fetches from the camera's source URL through the guarded
//! client ([`crate::cameras::client`]). Roles: admin, operator, leader (the wall's viewers);
//! agency staff get 403, the public 401.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::AppState;
use super::auth::Auth;
use super::error::{ApiError, ApiResult, Problem};
use crate::cameras::proxy::{HlsReply, ProxyError};
use crate::cameras::{FetchError, Refusal};
use crate::domain::{CameraCode, Role};

/// Who may watch cameras.
pub const VIEWERS: &[Role] = &[Role::Admin, Role::Operator, Role::Leader];

/// A code from the path; one that cannot be a camera's is simply not found.
pub(super) fn code(raw: &str) -> Result<CameraCode, ApiError> {
    CameraCode::parse(raw, "code").map_err(|_| ApiError::not_found("camera not found"))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cameras/{code}/snapshot", get(snapshot))
        .route("/api/v1/cameras/{code}/stream", get(stream))
        .route("/api/v1/cameras/{code}/hls", get(playlist))
        .route("/api/v1/cameras/{code}/hls/{*path}", get(hls_path))
}

impl From<ProxyError> for ApiError {
    fn from(e: ProxyError) -> Self {
        match e {
            ProxyError::NotForKind(..) => {
                ApiError::new(StatusCode::NOT_FOUND, "not_for_kind", "Not found", Some(e.to_string()))
            }
            ProxyError::BadPath => ApiError::new(StatusCode::NOT_FOUND, "bad_path", "Not found", Some(e.to_string())),
            ProxyError::Busy => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "camera_busy", "Too many streams", Some(e.to_string()))
            }
            ProxyError::Playlist(_) => ApiError::new(
                StatusCode::BAD_GATEWAY,
                "camera_bad_playlist",
                "Bad camera playlist",
                Some(e.to_string()),
            ),
            ProxyError::Fetch(FetchError::Refused { why, .. }) => {
                tracing::warn!(reason = why.as_str(), "camera request refused (SSRF policy)");
                // The address class is said, not the address: the source URL stays a secret.
                let what = match why {
                    Refusal::Metadata => "a cloud metadata address",
                    _ => "an internal address",
                };
                ApiError::new(
                    StatusCode::BAD_GATEWAY,
                    "camera_address_refused",
                    "Camera address refused",
                    Some(format!("the camera's source is {what}, which this server does not connect to")),
                )
            }
            ProxyError::Fetch(FetchError::Timeout) => {
                ApiError::new(StatusCode::GATEWAY_TIMEOUT, "camera_timeout", "Camera timeout", Some(e.to_string()))
            }
            ProxyError::Fetch(other) => {
                tracing::info!(error = %other, "camera unavailable");
                ApiError::new(
                    StatusCode::BAD_GATEWAY,
                    "camera_unavailable",
                    "Camera unavailable",
                    Some(other.to_string()),
                )
            }
        }
    }
}

fn streamed(content_type: &str, body: Body) -> Response {
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Whatever a camera sends, opened on its own it runs nothing on this origin.
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    resp
}

/// A still image of the camera (a snapshot camera's image, or an MJPEG camera's next frame).
/// Roles: admin, operator, leader.
#[utoipa::path(get, path = "/api/v1/cameras/{code}/snapshot", tag = "cameras", operation_id = "camera_snapshot",
    params(("code" = String, Path, description = "camera code")),
    responses((status = 200, description = "image/jpeg or image/png"), (status = 404, body = Problem),
        (status = 502, body = Problem), (status = 504, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn snapshot(State(s): State<AppState>, auth: Auth, Path(raw): Path<String>) -> ApiResult<Response> {
    auth.require(VIEWERS)?;
    let cam = s.cameras.camera(&code(&raw)?).await?;
    let (media, bytes) = s.cameras.client().snapshot(&cam).await?;
    Ok(streamed(media, Body::from(bytes)))
}

/// The live MJPEG stream of an MJPEG camera (`multipart/x-mixed-replace`), passed through as
/// it comes; the camera connection closes when the viewer leaves. Roles: admin, operator, leader.
#[utoipa::path(get, path = "/api/v1/cameras/{code}/stream", tag = "cameras", operation_id = "camera_stream",
    params(("code" = String, Path, description = "camera code")),
    responses((status = 200, description = "multipart/x-mixed-replace JPEG frames"), (status = 404, body = Problem),
        (status = 502, body = Problem), (status = 503, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn stream(State(s): State<AppState>, auth: Auth, Path(raw): Path<String>) -> ApiResult<Response> {
    auth.require(VIEWERS)?;
    let cam = s.cameras.camera(&code(&raw)?).await?;
    let (content_type, body) = s.cameras.client().mjpeg(&cam).await?;
    Ok(streamed(&content_type, Body::from_stream(body)))
}

/// The HLS playlist of an HLS camera, its URIs rewritten to `/api/v1/cameras/{code}/hls/…`.
/// Roles: admin, operator, leader.
#[utoipa::path(get, path = "/api/v1/cameras/{code}/hls", tag = "cameras", operation_id = "camera_hls",
    params(("code" = String, Path, description = "camera code")),
    responses((status = 200, description = "application/vnd.apple.mpegurl"), (status = 404, body = Problem),
        (status = 502, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn playlist(State(s): State<AppState>, auth: Auth, Path(raw): Path<String>) -> ApiResult<Response> {
    hls(s, auth, raw, None).await
}

/// A playlist, segment or key of an HLS camera, by its path under the camera's base URL (the
/// directory of its source URL); nothing outside it is reachable. Roles: admin, operator, leader.
#[utoipa::path(get, path = "/api/v1/cameras/{code}/hls/{path}", tag = "cameras", operation_id = "camera_hls_path",
    params(("code" = String, Path, description = "camera code"), ("path" = String, Path, description = "path under the camera's base URL")),
    responses((status = 200, description = "a playlist or a segment"), (status = 404, body = Problem),
        (status = 502, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn hls_path(
    State(s): State<AppState>,
    auth: Auth,
    Path((raw, path)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let rel = match query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    hls(s, auth, raw, Some(rel)).await
}

async fn hls(s: AppState, auth: Auth, raw: String, rel: Option<String>) -> ApiResult<Response> {
    auth.require(VIEWERS)?;
    let cam = s.cameras.camera(&code(&raw)?).await?;
    let prefix = format!("/api/v1/cameras/{}/hls/", cam.code);
    match s.cameras.client().hls(&cam, rel.as_deref(), &prefix).await? {
        HlsReply::Playlist(text) => Ok(streamed("application/vnd.apple.mpegurl", Body::from(text))),
        HlsReply::Segment { media, body } => Ok(streamed(media, Body::from_stream(body))),
    }
}
