//! Vector tiles and TileJSON (`/tiles`), the way MapLibre, QGIS and GDAL read them:
//! `GET /tiles` (catalog), `GET /tiles/{source}` (TileJSON 3.0.0) and
//! `GET /tiles/{source}/{z}/{x}/{y}` (a tile; `.pbf`/`.mvt` after `y` is accepted).
//! Tiles are sent gzip-compressed with `Content-Encoding: gzip` when the client accepts gzip
//! (every browser, GDAL/QGIS through curl), plain otherwise; weak ETags answer
//! `If-None-Match` with 304. Which roles reach a source is the source's own rule
//! ([`crate::service::tiles::Access`]): `areas`, `basemap`, `pmtiles` and `planning` are public,
//! `tickets` is for admin, operator, leader and agency, each reading the tickets of its scope
//! (the map wall's ticket layer).

use std::io::Read as _;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};

use super::AppState;
use super::auth::{ADMIN, Auth};
use super::error::{ApiError, ApiResult, Problem};
use crate::service::tiles::tilejson::{Catalog, catalog, tilejson};
use crate::service::tiles::{Access, CacheStatus};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tiles", get(list))
        .route("/tiles/{source}", get(describe))
        .route("/tiles/{source}/{z}/{x}/{y}", get(tile))
        .route("/api/v1/tiles/cache", delete(clear_cache))
}

/// Where this server is reached: the configured public URL, else the request's Host.
fn base_url(s: &AppState, headers: &HeaderMap) -> String {
    if let Some(base) = &s.open311.config().public_base_url {
        return base.trim_end_matches('/').to_owned();
    }
    let header = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    let host = header(header::HOST)
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)))
        .unwrap_or("localhost");
    let scheme = match header(axum::http::HeaderName::from_static("x-forwarded-proto")) {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

/// The tile sources the caller may read, with their TileJSON URLs. Roles: everyone (the public
/// sees the public sources only).
#[utoipa::path(get, path = "/tiles", tag = "tiles", operation_id = "tile_catalog",
    responses((status = 200, body = Catalog)))]
async fn list(State(s): State<AppState>, auth: Auth, headers: HeaderMap) -> Response {
    let readable: Vec<_> = s
        .tiles
        .sources()
        .into_iter()
        .filter(|src| crate::service::tiles::check_access(src.info(), src.id(), &auth.0).is_ok())
        .collect();
    let mut res = axum::Json(catalog(&readable, &base_url(&s, &headers))).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// A source's TileJSON 3.0.0 (tile URL, zooms, bounds, centre, `vector_layers` with their
/// fields). Roles: the source's (public for areas, basemap, pmtiles, planning; admin,
/// operator, leader and agency for tickets).
#[utoipa::path(get, path = "/tiles/{source}", tag = "tiles", operation_id = "tilejson",
    params(("source" = String, Path, description = "areas, tickets, basemap, pmtiles, planning")),
    responses((status = 200, description = "TileJSON 3.0.0", content_type = "application/json"),
        (status = 404, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn describe(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(source): Path<String>,
) -> ApiResult<Response> {
    let src = s.tiles.tile_source(&auth.0, &source)?;
    let mut res = axum::Json(tilejson(src.as_ref(), &base_url(&s, &headers))).into_response();
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if src.info().access == Access::Public {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    }
    Ok(res)
}

/// Parses a path number; a non-number is a 404 like any tile that does not exist.
fn number<T: std::str::FromStr>(v: &str, what: &str) -> ApiResult<T> {
    v.parse().map_err(|_| ApiError::not_found(format!("no tile {what} {v:?}")))
}

/// Whether `If-None-Match` names `etag` (weak comparison, lists and `*` allowed).
fn matches(headers: &HeaderMap, etag: &str) -> bool {
    headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|t| {
        let t = t.trim();
        t == "*" || t.trim_start_matches("W/").trim_matches('"') == etag
    })
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(
        |e| {
            let mut parts = e.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused =
                parts.any(|p| matches!(p.trim().strip_prefix("q="), Some(q) if q.trim().parse::<f32>() == Ok(0.0)));
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        },
    )
}

/// One tile (Mapbox Vector Tile, or the PMTiles archive's format). `X-Tile-Cache: hit|miss`
/// says whether it was in the cache (a miss was encoded for this request, or for a concurrent
/// one it waited for). Roles: the source's (public for areas, basemap, pmtiles, planning;
/// admin, operator, leader (the tickets of their areas) and agency (those of their units) for
/// tickets).
///
/// The principal's scope is worked out only for a scoped source (tickets). Headers come from
/// static strings and the cached ETag: a cached tile is answered without copying its body.
/// Role-bound tiles vary by the credentials too (`Vary: Cookie, Authorization`), so a browser
/// shared by two users never answers one with the other's tile from its cache.
#[utoipa::path(get, path = "/tiles/{source}/{z}/{x}/{y}", tag = "tiles", operation_id = "tile",
    params(("source" = String, Path, description = "source id"), ("z" = u8, Path, description = "zoom"), ("x" = u32, Path, description = "column"), ("y" = String, Path, description = "row, optionally with .pbf or .mvt")),
    responses((status = 200, description = "the tile", content_type = "application/vnd.mapbox-vector-tile"),
        (status = 304, description = "unchanged since the ETag given in If-None-Match"),
        (status = 404, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn tile(
    State(s): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path((source, z, x, y)): Path<(String, String, String, String)>,
) -> ApiResult<Response> {
    let y = y.strip_suffix(".pbf").or_else(|| y.strip_suffix(".mvt")).unwrap_or(&y);
    let (z, x, y) = (number::<u8>(&z, "zoom")?, number::<u32>(&x, "column")?, number::<u32>(y, "row")?);
    let scope = || s.tickets.scope(&auth.0, &s.reference.current());
    let (t, status, src) = s.tiles.tile(&auth.0, scope, &source, (z, x, y)).await?;
    let info = src.info();
    let mut h = HeaderMap::with_capacity(8);
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&format!("W/\"{}\"", t.etag)).map_err(|e| ApiError::internal(e.to_string()))?,
    );
    h.insert(header::CACHE_CONTROL, cache_control(info.access, info.max_age));
    h.insert(
        header::VARY,
        HeaderValue::from_static(if info.access == Access::Public {
            "Accept-Encoding"
        } else {
            "Accept-Encoding, Cookie, Authorization"
        }),
    );
    h.insert("x-tile-cache", HeaderValue::from_static(if status == CacheStatus::Hit { "hit" } else { "miss" }));
    if info.access == Access::Public {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    }
    if matches(&headers, &t.etag) {
        return Ok((StatusCode::NOT_MODIFIED, h).into_response());
    }
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(info.format.content_type()));
    if !t.gzipped || t.body.is_empty() {
        return Ok((h, t.body.clone()).into_response());
    }
    if accepts_gzip(&headers) {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        return Ok((h, t.body.clone()).into_response());
    }
    let mut plain = Vec::with_capacity(t.body.len() * 3);
    flate2::read::GzDecoder::new(&t.body[..])
        .read_to_end(&mut plain)
        .map_err(|e| ApiError::internal(format!("tile {z}/{x}/{y} of {source}: {e}")))?;
    Ok((h, plain).into_response())
}

/// `Cache-Control` for a source: private for role-bound sources, and the source's max-age
/// (the common ages as static strings, so a tile allocates no header).
fn cache_control(access: Access, max_age: u32) -> HeaderValue {
    match (access == Access::Public, max_age) {
        (true, 300) => HeaderValue::from_static("public, max-age=300"),
        (true, 86_400) => HeaderValue::from_static("public, max-age=86400"),
        (false, 0) => HeaderValue::from_static("private, max-age=0"),
        (public, age) => {
            let scope = if public { "public" } else { "private" };
            HeaderValue::try_from(format!("{scope}, max-age={age}")).expect("ASCII letters and digits")
        }
    }
}

/// Empties the tile cache (e.g. before a cold benchmark run). Roles: admin.
#[utoipa::path(delete, path = "/api/v1/tiles/cache", tag = "tiles", operation_id = "clear_tile_cache",
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn clear_cache(State(s): State<AppState>, auth: Auth) -> ApiResult<StatusCode> {
    auth.require(ADMIN)?;
    s.tiles.clear_cache();
    Ok(StatusCode::NO_CONTENT)
}
