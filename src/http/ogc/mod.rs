//! `/ogc`: OGC API – Features Part 1 (Core, GeoJSON, OpenAPI 3.0) over the collections of
//! [`crate::service::ogc`], for GIS clients (QGIS, GDAL's OAPIF driver). Roles: everyone; only
//! public data is served. See `docs/ogc.md`.
//!
//! Links are absolute, on `--public-url` when it is set, else on the request's `Host`.

mod docs;
mod openapi;
mod params;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use tower_http::compression::CompressionLayer;

use super::error::{ApiError, ApiResult};
use crate::http::AppState;
use crate::service::ogc::{self, FeatureCollectionSource};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ogc", get(landing))
        .route("/ogc/", get(landing))
        .route("/ogc/api", get(api))
        .route("/ogc/conformance", get(conformance))
        .route("/ogc/collections", get(collections))
        .route("/ogc/collections/{id}", get(collection))
        .route("/ogc/collections/{id}/items", get(items).layer(CompressionLayer::new()))
        .route("/ogc/collections/{id}/items/{fid}", get(item))
}

/// The API's root URL: the public URL if configured, else the request's host.
fn base_url(s: &AppState, headers: &HeaderMap) -> String {
    if let Some(base) = &s.open311.config().public_base_url {
        return format!("{}/ogc", base.trim_end_matches('/'));
    }
    let header = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    let host = header(header::HOST)
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)))
        .unwrap_or("localhost");
    let scheme = match header(axum::http::HeaderName::from_static("x-forwarded-proto")) {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}/ogc")
}

fn respond(body: &Value, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body.to_string()).into_response()
}

/// The landing page: links to the API definition, the conformance classes and the collections.
/// Roles: public.
async fn landing(State(s): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> ApiResult<Response> {
    params::pairs(q.as_deref(), &["f"])?;
    Ok(respond(&docs::landing(&base_url(&s, &headers)), docs::JSON))
}

/// The OpenAPI 3.0 definition of `/ogc`. Roles: public.
async fn api(State(s): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> ApiResult<Response> {
    params::pairs(q.as_deref(), &["f"])?;
    let ids: Vec<String> = s.ogc.sources().await.iter().map(|c| c.id()).collect();
    Ok(respond(&openapi::document(&base_url(&s, &headers), &ids), docs::OPENAPI))
}

/// The conformance classes implemented. Roles: public.
async fn conformance(State(s): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> ApiResult<Response> {
    params::pairs(q.as_deref(), &["f"])?;
    Ok(respond(&docs::conformance(&base_url(&s, &headers)), docs::JSON))
}

/// Every collection with its extent. Roles: public.
async fn collections(State(s): State<AppState>, headers: HeaderMap, RawQuery(q): RawQuery) -> ApiResult<Response> {
    params::pairs(q.as_deref(), &["f"])?;
    let sources = s.ogc.sources().await;
    Ok(respond(&docs::collections(&base_url(&s, &headers), &sources), docs::JSON))
}

async fn find(s: &AppState, id: &str) -> ApiResult<Box<dyn FeatureCollectionSource>> {
    s.ogc.source(id).await.ok_or_else(|| ApiError::not_found(format!("no collection {id:?}; see /ogc/collections")))
}

/// One collection. Roles: public.
async fn collection(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    params::pairs(q.as_deref(), &["f"])?;
    let c = find(&s, &id).await?;
    Ok(respond(&docs::collection(&base_url(&s, &headers), c.as_ref()), docs::JSON))
}

/// A page of a collection's features (`bbox`, `datetime`, `limit`, `offset`), with `next` and
/// `prev` links, `numberMatched`, `numberReturned` and `timeStamp`. Roles: public.
async fn items(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    let (query, keep) = params::items(q.as_deref())?;
    let c = find(&s, &id).await?;
    let page = c.items(&query).await?;
    let href = format!("{}/collections/{id}/items", base_url(&s, &headers));
    let at = |offset: usize| {
        let mut url = form_urlencoded::Serializer::new(String::new());
        url.extend_pairs(keep.iter()).append_pair("limit", &query.limit.to_string());
        if offset > 0 {
            url.append_pair("offset", &offset.to_string());
        }
        format!("{href}?{}", url.finish())
    };
    let mut links = vec![
        docs::link(at(query.offset), "self", docs::GEOJSON, "This page"),
        docs::link(format!("{}/collections/{id}", base_url(&s, &headers)), "collection", docs::JSON, "The collection"),
    ];
    if query.offset.saturating_add(query.limit) < page.number_matched {
        links.push(docs::link(at(query.offset + query.limit), "next", docs::GEOJSON, "Next page"));
    }
    if query.offset > 0 {
        links.push(docs::link(at(query.offset.saturating_sub(query.limit)), "prev", docs::GEOJSON, "Previous page"));
    }
    let body = json!({
        "type": "FeatureCollection",
        "features": page.features,
        "links": links,
        "timeStamp": ogc::time::rfc3339(chrono::Utc::now()),
        "numberMatched": page.number_matched,
        "numberReturned": page.features.len(),
    });
    Ok(respond(&body, docs::GEOJSON))
}

/// One feature, with links to itself and its collection. Roles: public.
async fn item(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path((id, fid)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> ApiResult<Response> {
    params::pairs(q.as_deref(), &["f"])?;
    let c = find(&s, &id).await?;
    let feature = c.item(&fid).await?.ok_or_else(|| ApiError::not_found(format!("no feature {fid:?} in {id}")))?;
    let base = base_url(&s, &headers);
    let mut body = serde_json::to_value(feature).map_err(ApiError::internal)?;
    let self_href = format!("{base}/collections/{id}/items/{}", encode_segment(&fid));
    body["links"] = json!([
        docs::link(self_href, "self", docs::GEOJSON, "This feature"),
        docs::link(format!("{base}/collections/{id}"), "collection", docs::JSON, "The collection"),
    ]);
    Ok(respond(&body, docs::GEOJSON))
}

/// A path segment with everything but unreserved characters and `:` `@` percent-encoded.
fn encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b':' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
