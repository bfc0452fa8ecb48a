//! Photos: `POST /api/v1/tickets/{id}/photos` (multipart upload, limits enforced while the
//! body streams in), publishing report photos, and `GET /media/{hash}.jpg` / `.thumb.jpg`.

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{Auth, CENTRE};
use super::error::{ApiError, ApiResult, Problem};
use super::json::ApiQuery;
use crate::domain::{FieldError, PhotoHash, PhotoKind};
use crate::media::{MediaError, MediaLimits, Variant};
use crate::service::photos::{PhotoAccess, PhotoView, too_many_for_ticket};

/// The header that carries the citizen's tracking token.
pub const TRACKING_TOKEN: &str = "tracking-token";
/// Room for the multipart framing (boundaries, part headers) on top of the photos themselves.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// The photo routes; uploads may be `max_request_bytes` (plus framing), every other route
/// keeps the JSON default.
pub fn router(limits: &MediaLimits) -> Router<AppState> {
    let upload_limit = limits.max_request_bytes + MULTIPART_OVERHEAD;
    Router::new()
        .route("/api/v1/tickets/{id}/photos", post(upload).layer(DefaultBodyLimit::max(upload_limit)))
        .route("/api/v1/tickets/{id}/photos/{hash}/publish", post(publish).delete(withdraw))
        .route("/media/{file}", get(serve))
}

/// A problem about the `photo` field.
fn photo_problem(status: StatusCode, code: &'static str, title: &'static str, message: String) -> ApiError {
    let mut e = ApiError::new(status, code, title, Some(format!("photo: {message}")));
    e.errors = vec![FieldError { field: "photo".into(), message }];
    e
}

fn too_large(message: String) -> ApiError {
    photo_problem(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "Payload too large", message)
}

fn invalid(message: String) -> ApiError {
    photo_problem(StatusCode::UNPROCESSABLE_ENTITY, "validation", "Invalid input", message)
}

fn media_error(e: MediaError, label: &str) -> ApiError {
    match e {
        MediaError::UnsupportedType { .. } => photo_problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Unsupported media type",
            format!("{label}: {e}"),
        ),
        MediaError::TooManyPixels(_) | MediaError::Malformed(_) => invalid(format!("{label}: {e}")),
        MediaError::Io(io) => ApiError::internal(format!("storing a photo: {io}")),
    }
}

fn multipart_error(e: axum::extract::multipart::MultipartError, limits: &MediaLimits) -> ApiError {
    match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            too_large(format!("the request is larger than {}", mib(limits.max_request_bytes)))
        }
        // A body that stopped arriving is the client's doing, not a server error.
        StatusCode::INTERNAL_SERVER_ERROR => {
            ApiError::bad_request(format!("the upload was interrupted: {}", e.body_text()))
        }
        _ => ApiError::bad_request(format!("malformed multipart body: {}", e.body_text())),
    }
}

/// `10 MiB`, `100 KiB` or `1000 bytes`.
fn mib(bytes: usize) -> String {
    match bytes {
        b if b % (1024 * 1024) == 0 => format!("{} MiB", b / (1024 * 1024)),
        b if b % 1024 == 0 => format!("{} KiB", b / 1024),
        b => format!("{b} bytes"),
    }
}

/// "photo 2 (IMG_0412.jpg)": which upload a message is about, the client's name cut short and
/// stripped of control characters.
fn label(n: usize, file_name: Option<&str>) -> String {
    match file_name.map(|f| f.chars().filter(|c| !c.is_control()).take(80).collect::<String>()) {
        Some(f) if !f.is_empty() => format!("photo {n} ({f})"),
        _ => format!("photo {n}"),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct UploadParams {
    /// `report` or `result`; default `result` for agency staff, `report` for everyone else.
    kind: Option<String>,
}

/// The photos of one upload, as stored.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UploadedPhotos {
    pub photos: Vec<PhotoView>,
}

/// Add photos to a ticket: `multipart/form-data` with one or more `photo` fields (JPEG, PNG
/// or WebP, told by content). Each is decoded under a pixel limit, turned upright, re-encoded
/// as JPEG without any metadata (EXIF GPS position and device are dropped) and stored by
/// content hash with a thumbnail. All or nothing: one refused photo refuses the request.
/// Roles: the public with the ticket's tracking token in `Tracking-Token` (report photos,
/// while the ticket is received or within an hour of filing), admin and operator (either kind),
/// agency (result photos of their units' tickets); leader and open311 get 403.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/photos", tag = "photos", operation_id = "upload_photos",
    params(("id" = String, Path, description = "UUID or code"), UploadParams,
        ("Tracking-Token" = Option<String>, Header, description = "The citizen's tracking token (public callers)")),
    request_body(content_type = "multipart/form-data", description = "`photo` fields, repeated"),
    responses(
        (status = 201, description = "Stored (files and rows committed)", body = UploadedPhotos),
        (status = 413, description = "A photo or the request is too large (`errors` names `photo`)", body = Problem),
        (status = 415, description = "Not a JPEG, PNG or WebP image", body = Problem),
        (status = 422, description = "Too many pixels or files, undecodable image", body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem),
    ))]
async fn upload(
    State(s): State<AppState>,
    auth: Auth,
    Path(raw): Path<String>,
    ApiQuery(q): ApiQuery<UploadParams>,
    headers: HeaderMap,
    req: Request,
) -> ApiResult<Response> {
    let id = s.tickets.resolve(&raw).await?;
    let kind = q.kind.as_deref().map(|k| PhotoKind::parse(k.trim(), "kind")).transpose()?;
    let token = headers.get(TRACKING_TOKEN).and_then(|v| v.to_str().ok()).map(str::trim);
    let grant = s.photos.authorize_photo_upload(id, kind, &auth.0, token).await?;

    let limits = s.photos.media().limits().clone();
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > (limits.max_request_bytes + MULTIPART_OVERHEAD) as u64) {
        return Err(too_large(format!("the request is larger than {}", mib(limits.max_request_bytes))));
    }
    let mut multipart = Multipart::from_request(req, &s).await.map_err(|_| {
        photo_problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Unsupported media type",
            "send multipart/form-data with the photos in fields named photo".into(),
        )
    })?;
    let (mut photos, mut total) = (Vec::new(), 0usize);
    let read: ApiResult<()> = async {
        while let Some(mut field) = multipart.next_field().await.map_err(|e| multipart_error(e, &limits))? {
            if field.name() != Some("photo") {
                let name = field.name().unwrap_or("").chars().take(64).collect::<String>();
                let msg = format!("unknown field {name:?}; send photos in fields named photo");
                return Err(ApiError::validation(crate::domain::ValidationErrors::single("photo", msg)));
            }
            let n = photos.len() + 1;
            if n > limits.max_files {
                return Err(invalid(format!("at most {} photos in one request", limits.max_files)));
            }
            if n > grant.room {
                let max = limits.max_per_ticket;
                return Err(ApiError::validation(too_many_for_ticket(max - grant.room, max)));
            }
            let label = label(n, field.file_name());
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(e, &limits))? {
                if bytes.len() + chunk.len() > limits.max_file_bytes {
                    return Err(too_large(format!("{label} is larger than {}", mib(limits.max_file_bytes))));
                }
                total += chunk.len();
                if total > limits.max_request_bytes {
                    return Err(too_large(format!(
                        "the photos together are larger than {}",
                        mib(limits.max_request_bytes)
                    )));
                }
                bytes.extend_from_slice(&chunk);
            }
            if bytes.is_empty() {
                return Err(invalid(format!("{label} is empty")));
            }
            photos.push(s.photos.media().process(bytes).await.map_err(|e| media_error(e, &label))?);
        }
        Ok(())
    }
    .await;
    if let Err(e) = read {
        // Read the rest of the body (bounded by this route's body limit) before answering, so a
        // client still sending gets the problem, not a reset connection.
        while let Ok(Some(mut field)) = multipart.next_field().await {
            while let Ok(Some(_)) = field.chunk().await {}
        }
        return Err(e);
    }
    if photos.is_empty() {
        return Err(invalid("send at least one photo in a field named photo".into()));
    }
    let stored = s.photos.add_photos(&grant, &photos).await?;
    let mut resp = (StatusCode::CREATED, axum::Json(UploadedPhotos { photos: stored })).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

async fn set_public(s: AppState, auth: Auth, raw: String, hash: String, public: bool) -> ApiResult<Json> {
    let p = auth.require(CENTRE)?;
    let id = s.tickets.resolve(&raw).await?;
    let hash = PhotoHash::parse(&hash, "hash")?;
    Ok(axum::Json(s.photos.set_photo_public(id, &hash, public, p).await?))
}

type Json = axum::Json<PhotoView>;

/// Publish a report photo: the public sees it from now on (on the portal, in Open311's
/// `media_url`). Result photos need no publishing: they are public once the ticket is
/// resolved or closed. Roles: admin, operator.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/photos/{hash}/publish", tag = "photos", operation_id = "publish_photo",
    params(("id" = String, Path, description = "UUID or code"), ("hash" = String, Path, description = "The photo's hash")),
    responses((status = 200, body = PhotoView), (status = 404, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn publish(State(s): State<AppState>, auth: Auth, Path((raw, hash)): Path<(String, String)>) -> ApiResult<Json> {
    set_public(s, auth, raw, hash, true).await
}

/// Withdraw a published photo (shared caches may keep a copy they already have). Roles:
/// admin, operator.
#[utoipa::path(delete, path = "/api/v1/tickets/{id}/photos/{hash}/publish", tag = "photos", operation_id = "withdraw_photo",
    params(("id" = String, Path, description = "UUID or code"), ("hash" = String, Path, description = "The photo's hash")),
    responses((status = 200, body = PhotoView), (status = 404, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn withdraw(State(s): State<AppState>, auth: Auth, Path((raw, hash)): Path<(String, String)>) -> ApiResult<Json> {
    set_public(s, auth, raw, hash, false).await
}

/// A 404 that no cache keeps (the photo may be published later).
fn no_photo() -> Response {
    let mut resp = ApiError::not_found("no such photo").into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// A photo (`{hash}.jpg`) or its thumbnail (`{hash}.thumb.jpg`), as `image/jpeg`. Content is
/// addressed by hash, so it never changes: `Cache-Control: public, max-age=31536000,
/// immutable` for photos the public may see, `private` for those only staff may see, and an
/// `ETag` for revalidation. Roles: everyone for public photos (published report photos,
/// result photos of resolved and closed tickets); admin, operator, leader and agency for the
/// photos of tickets they can see. Anything else is a 404.
#[utoipa::path(get, path = "/media/{file}", tag = "photos", operation_id = "get_media",
    params(("file" = String, Path, description = "`{hash}.jpg` or `{hash}.thumb.jpg`")),
    responses((status = 200, description = "The JPEG", content_type = "image/jpeg"), (status = 304, description = "Not modified"), (status = 404, body = Problem)))]
async fn serve(State(s): State<AppState>, auth: Auth, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some((hash, variant)) = Variant::parse_file_name(&file) else { return no_photo() };
    let access = match s.photos.photo_access(&hash, &auth.0).await {
        Ok(Some(access)) => access,
        Ok(None) => return no_photo(),
        Err(e) => return ApiError::from(e).into_response(),
    };
    let cache = match access {
        PhotoAccess::Public => "public, max-age=31536000, immutable",
        PhotoAccess::Staff => "private, max-age=31536000, immutable",
    };
    let etag = match variant {
        Variant::Full => format!("\"{hash}\""),
        Variant::Thumb => format!("\"{hash}.thumb\""),
    };
    let mut out = HeaderMap::new();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    out.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex is a valid header"));
    out.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let if_none_match = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).unwrap_or("");
    if if_none_match.split(',').any(|t| t.trim().trim_start_matches("W/") == etag || t.trim() == "*") {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }
    match s.photos.media().read(&hash, variant).await {
        Ok(Some(bytes)) => {
            out.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
            (StatusCode::OK, out, bytes).into_response()
        }
        Ok(None) => {
            tracing::warn!(file = %file, "a stored photo's file is missing from the media directory");
            no_photo()
        }
        Err(e) => ApiError::internal(format!("reading {file}: {e}")).into_response(),
    }
}
