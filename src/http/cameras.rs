//! `/api/v1/cameras`: the camera registry. Staff read it without source URLs; admins also
//! see the source URLs and create, replace and delete cameras. The proxy endpoints are in
//! [`super::camera_proxy`].

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::{ADMIN, Auth, Gate, STAFF, mask};
use super::camera_proxy::code;
use super::error::{ApiResult, Problem};
use super::json::{ApiJson, ApiQuery};
use crate::domain::camera::CameraInput;
use crate::domain::{Camera, CameraView, Location, Role, ValidationErrors};
use crate::service::cameras::{MAX_NEAR_LIMIT, MAX_NEAR_RADIUS_M};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cameras", get(list).post(create))
        .route("/api/v1/cameras/{code}", get(read).put(replace).delete(remove))
}

/// A camera as the API shows it: its public view; for admins also its source URL; in a
/// "near" search also its distance.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CameraOut {
    #[serde(flatten)]
    pub camera: CameraView,
    /// The feed's URL (admins only; a secret of the centre).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Metres from the point of a `near` search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CameraList {
    pub cameras: Vec<CameraOut>,
}

fn out(c: &Camera, admin: bool, distance_m: Option<f64>) -> CameraOut {
    CameraOut { camera: c.view(), source: admin.then(|| c.source.as_str().to_owned()), distance_m }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListParams {
    /// `lon,lat`: only cameras within `radius` of this point, nearest first.
    near: Option<String>,
    /// Metres (default 500, at most 20 000); only with `near`.
    radius: Option<f64>,
    /// Most cameras returned by a `near` search (default 10, at most 50).
    limit: Option<usize>,
}

/// Every camera (by code) or, with `near`, those within `radius` metres of a point, nearest
/// first. Source URLs only for admins. Roles: admin, operator, leader, agency.
#[utoipa::path(get, path = "/api/v1/cameras", tag = "cameras", operation_id = "cameras", params(ListParams),
    responses((status = 200, body = CameraList), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list(State(s): State<AppState>, auth: Auth, ApiQuery(q): ApiQuery<ListParams>) -> ApiResult<Json<CameraList>> {
    let p = auth.require(STAFF)?;
    let admin = p.role() == Some(Role::Admin);
    let Some(near) = q.near.as_deref() else {
        if q.radius.is_some() || q.limit.is_some() {
            return Err(ValidationErrors::single("near", "radius and limit need near=lon,lat").into());
        }
        let cameras = s.cameras.cameras().await?;
        return Ok(Json(CameraList { cameras: cameras.iter().map(|c| out(c, admin, None)).collect() }));
    };
    let mut errs = ValidationErrors::new();
    let at = match near.split(',').map(|x| x.trim().parse::<f64>()).collect::<Result<Vec<_>, _>>().ok().as_deref() {
        Some(&[lon, lat]) => errs.take(Location::parse(lon, lat, "near.")),
        _ => {
            errs.push("near", "near must be lon,lat in degrees");
            None
        }
    };
    let radius = q.radius.unwrap_or(500.0);
    if !(radius.is_finite() && radius > 0.0 && radius <= MAX_NEAR_RADIUS_M) {
        errs.push("radius", format!("radius must be metres, more than 0 and at most {MAX_NEAR_RADIUS_M}"));
    }
    let limit = q.limit.unwrap_or(10);
    if !(1..=MAX_NEAR_LIMIT).contains(&limit) {
        errs.push("limit", format!("limit must be 1 to {MAX_NEAR_LIMIT}"));
    }
    errs.into_result()?;
    let at = at.expect("no errors means the point parsed");
    let near = s.cameras.cameras_near(at, radius, limit).await?;
    Ok(Json(CameraList { cameras: near.iter().map(|(c, d)| out(c, admin, Some(d.round()))).collect() }))
}

/// One camera; its source URL only for admins. Roles: admin, operator, leader, agency.
#[utoipa::path(get, path = "/api/v1/cameras/{code}", tag = "cameras", operation_id = "camera",
    params(("code" = String, Path, description = "camera code")),
    responses((status = 200, body = CameraOut), (status = 404, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn read(State(s): State<AppState>, auth: Auth, Path(raw): Path<String>) -> ApiResult<Json<CameraOut>> {
    let p = auth.require(STAFF)?;
    let cam = s.cameras.camera(&code(&raw)?).await?;
    Ok(Json(out(&cam, p.role() == Some(Role::Admin), None)))
}

/// Adds a camera. The source must be an http(s) URL; a host written as a loopback, private,
/// link-local or metadata address is refused unless allow-listed (`serve --camera-allow`).
/// Roles: admin.
#[utoipa::path(post, path = "/api/v1/cameras", tag = "cameras", operation_id = "create_camera",
    request_body = CameraInput,
    responses((status = 201, body = CameraOut), (status = 409, body = Problem), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn create(
    State(s): State<AppState>,
    _: Gate<{ mask(ADMIN) }>,
    ApiJson(input): ApiJson<CameraInput>,
) -> ApiResult<(StatusCode, Json<CameraOut>)> {
    let cam = s.cameras.create_camera(&input).await?;
    Ok((StatusCode::CREATED, Json(out(&cam, true, None))))
}

/// Replaces a camera (the body's `code` must be the path's). Keeping its kind and source keeps
/// its status; changing either makes it `unknown` until the next check. Roles: admin.
#[utoipa::path(put, path = "/api/v1/cameras/{code}", tag = "cameras", operation_id = "replace_camera",
    params(("code" = String, Path, description = "camera code")), request_body = CameraInput,
    responses((status = 200, body = CameraOut), (status = 404, body = Problem), (status = 422, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn replace(
    State(s): State<AppState>,
    _: Gate<{ mask(ADMIN) }>,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<CameraInput>,
) -> ApiResult<Json<CameraOut>> {
    let cam = s.cameras.replace_camera(&code(&raw)?, &input).await?;
    Ok(Json(out(&cam, true, None)))
}

/// Deletes a camera. Roles: admin.
#[utoipa::path(delete, path = "/api/v1/cameras/{code}", tag = "cameras", operation_id = "delete_camera",
    params(("code" = String, Path, description = "camera code")),
    responses((status = 204), (status = 404, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn remove(State(s): State<AppState>, auth: Auth, Path(raw): Path<String>) -> ApiResult<StatusCode> {
    auth.require(ADMIN)?;
    s.cameras.delete_camera(&code(&raw)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The cameras' part of the OpenAPI document (merged into [`super::openapi::ApiDoc`]).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list, read, create, replace, remove,
        super::camera_proxy::snapshot, super::camera_proxy::stream, super::camera_proxy::playlist,
        super::camera_proxy::hls_path),
    components(schemas(crate::domain::CameraKind, crate::domain::CameraStatus)),
    tags((name = "cameras"))
)]
pub struct CamerasDoc;
