//! `/open311/v2`: Open311 GeoReport v2 (`docs/open311.md`) in JSON and XML. Roles: every
//! `GET` is public (an `api_key`, if given, must be valid); `POST requests` takes an API key
//! of role `open311`, as the spec's `api_key` parameter (or `Authorization: Bearer`).

pub mod form;
pub mod format;
pub mod xml;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use self::form::Params;
use self::format::{Answer, Failure, Format, reply};
use super::auth::Auth;
use crate::domain::{Principal, Role};
use crate::http::AppState;

/// The specification implemented.
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";
/// When this endpoint's behaviour last changed (discovery's `changeset`).
pub const CHANGESET: &str = "2026-11-22T00:00:00+07:00";

pub fn router() -> Router<AppState> {
    let v2 = Router::new()
        .route("/{resource}", get(read).post(create))
        .route("/services/{code}", get(service_definition))
        .route("/requests/{id}", get(request))
        .route("/tokens/{token}", get(token))
        .fallback(not_found);
    Router::new().nest("/open311/v2", v2)
}

async fn not_found(headers: HeaderMap) -> Response {
    Failure::not_found("no such Open311 resource; see /open311/v2/discovery.json")
        .respond(Format::from_accept(&headers))
}

/// The 404 for an unknown extension.
fn unknown_format(headers: &HeaderMap) -> Response {
    Failure::not_found("unknown format: use .json or .xml").respond(Format::from_accept(headers))
}

/// Checks `jurisdiction_id` and, when one is given, the `api_key`; returns the key's principal.
async fn check(s: &AppState, params: &Params) -> Result<Option<Principal>, Failure> {
    s.open311.check_jurisdiction(params.get("jurisdiction_id").as_deref())?;
    match params.get("api_key") {
        None => Ok(None),
        Some(key) => match s.accounts.api_key_principal(key.trim()).await? {
            Some(p) => Ok(Some(p)),
            None => Err(Failure::forbidden("Invalid api_key received")),
        },
    }
}

/// `GET discovery`, `services`, `requests`, `servicerequestupdates` (`.json` / `.xml`).
async fn read(
    State(s): State<AppState>,
    Path(resource): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some((name, fmt)) = Format::split(&resource, &headers) else {
        return unknown_format(&headers);
    };
    let params = Params::from_query(query.as_deref());
    let out = async {
        check(&s, &params).await?;
        Ok(match name {
            "discovery" => reply(fmt, StatusCode::OK, "discovery", None, &discovery(&s, &headers)),
            "services" => reply(fmt, StatusCode::OK, "services", Some("service"), &s.open311.open311_services()),
            "requests" => {
                let list = s.open311.open311_requests(&params.request_params()).await?;
                reply(fmt, StatusCode::OK, "service_requests", Some("request"), &list)
            }
            "servicerequestupdates" => {
                let list = s.open311.open311_updates(&params.request_params()).await?;
                reply(fmt, StatusCode::OK, "service_request_updates", Some("request_update"), &list)
            }
            _ => return Err(Failure::not_found(format!("no Open311 resource {name:?}"))),
        })
    };
    Answer(fmt, out.await).into_response()
}

/// `POST requests`: files a report. 201 with `[{service_request_id, service_notice,
/// account_id}]` once it is committed.
async fn create(
    State(s): State<AppState>,
    auth: Auth,
    Path(resource): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some((name, fmt)) = Format::split(&resource, &headers) else {
        return unknown_format(&headers);
    };
    let out = async {
        if name != "requests" {
            return Err(Failure::not_found(format!("nothing to POST at {name:?}; POST requests.{{json,xml}}")));
        }
        let body = body.map_err(|_| Failure::bad_request("the request body is too large or unreadable"))?;
        let params = Params::from_query(query.as_deref()).with_form(&headers, &body)?;
        let principal = match (check(&s, &params).await?, auth.0) {
            (Some(p), _) => p,
            (None, p @ Principal::ApiKey { role: Role::Open311, .. }) => p,
            (None, _) => return Err(Failure::forbidden("api_key is required to create a request")),
        };
        if principal.role() != Some(Role::Open311) {
            return Err(Failure::forbidden("this api_key is not an Open311 key"));
        }
        let created = s.open311.open311_submit(params.submission(), &principal).await?;
        Ok(reply(fmt, StatusCode::CREATED, "service_requests", Some("request"), &[created]))
    };
    Answer(fmt, out.await).into_response()
}

/// `GET services/{code}`: the service's questions.
async fn service_definition(
    State(s): State<AppState>,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some((code, fmt)) = Format::split(&code, &headers) else {
        return unknown_format(&headers);
    };
    let out = async {
        check(&s, &Params::from_query(query.as_deref())).await?;
        let def = s.open311.open311_service_definition(code)?;
        Ok(reply(fmt, StatusCode::OK, "service_definition", None, &def))
    };
    Answer(fmt, out.await).into_response()
}

/// `GET requests/{id}`: one request, as a one-element list.
async fn request(
    State(s): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some((id, fmt)) = Format::split(&id, &headers) else {
        return unknown_format(&headers);
    };
    let out = async {
        check(&s, &Params::from_query(query.as_deref())).await?;
        let one = s.open311.open311_request(id).await?;
        Ok(reply(fmt, StatusCode::OK, "service_requests", Some("request"), &[one]))
    };
    Answer(fmt, out.await).into_response()
}

/// `GET tokens/{token}`.
async fn token(
    State(s): State<AppState>,
    Path(token): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some((token, fmt)) = Format::split(&token, &headers) else {
        return unknown_format(&headers);
    };
    let out = async {
        check(&s, &Params::from_query(query.as_deref())).await?;
        let t = s.open311.open311_token(token).await?;
        Ok(reply(fmt, StatusCode::OK, "service_requests", Some("request"), &[t]))
    };
    Answer(fmt, out.await).into_response()
}

#[derive(Serialize)]
struct Discovery {
    changeset: &'static str,
    contact: String,
    key_service: String,
    endpoints: Vec<Endpoint>,
}

#[derive(Serialize)]
struct Endpoint {
    specification: &'static str,
    url: String,
    changeset: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    formats: [&'static str; 2],
}

/// The endpoint's URL: the configured public base URL, else the request's host.
fn base_url(s: &AppState, headers: &HeaderMap) -> String {
    if let Some(base) = &s.open311.config().public_base_url {
        return format!("{}/open311/v2", base.trim_end_matches('/'));
    }
    let header = |name| headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    let host = header(header::HOST)
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)))
        .unwrap_or("localhost");
    let scheme = match header(axum::http::HeaderName::from_static("x-forwarded-proto")) {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}/open311/v2")
}

fn discovery(s: &AppState, headers: &HeaderMap) -> Discovery {
    let c = s.open311.config();
    Discovery {
        changeset: CHANGESET,
        contact: c.contact.clone(),
        key_service: c.key_service.clone(),
        endpoints: vec![Endpoint {
            specification: SPECIFICATION,
            url: base_url(s, headers),
            changeset: CHANGESET,
            kind: "production",
            formats: ["text/xml", "application/json"],
        }],
    }
}
