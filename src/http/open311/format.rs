//! Formats and errors of the Open311 endpoint. The format is the extension of the resource
//! (`services.xml`, `requests/DN-2611-000123.json`); without one, XML if the `Accept` header
//! asks for it and JSON otherwise. Errors are the specification's array of `{code,
//! description}` in the requested format, with the HTTP status as the code: 400 for bad input
//! (one entry per parameter at fault), 403 for a missing or wrong `api_key`, 404 for an unknown
//! resource, service, request, token or jurisdiction.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::xml;
use crate::service::ServiceError;

/// The response format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// Splits `services.xml` into `services` and its format; `None` for an unknown extension.
    pub fn split<'a>(resource: &'a str, headers: &HeaderMap) -> Option<(&'a str, Format)> {
        match resource.rsplit_once('.') {
            Some((name, "json")) => Some((name, Format::Json)),
            Some((name, "xml")) => Some((name, Format::Xml)),
            Some((_, ext)) if ["html", "csv", "txt", "rss", "atom", "yaml"].contains(&ext) => None,
            _ => Some((resource, Format::from_accept(headers))),
        }
    }

    /// XML when the `Accept` header asks for XML and not JSON; JSON otherwise.
    pub fn from_accept(headers: &HeaderMap) -> Format {
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
        let wants_xml = accept.contains("/xml") && !accept.contains("/json");
        if wants_xml { Format::Xml } else { Format::Json }
    }

    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        })
    }
}

/// A successful response: `data` as JSON, or as XML under `root` (a list's items as `item`).
pub fn reply<T: Serialize>(format: Format, status: StatusCode, root: &str, item: Option<&str>, data: &T) -> Response {
    let body = match format {
        Format::Json => serde_json::to_vec(data),
        Format::Xml => serde_json::to_value(data).map(|v| xml::document(root, item, &v)),
    };
    match body {
        Ok(body) => {
            let mut resp = (status, body).into_response();
            resp.headers_mut().insert(header::CONTENT_TYPE, format.content_type());
            resp
        }
        Err(e) => Failure::internal(e).respond(format),
    }
}

/// One entry of an error response.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ErrorItem {
    pub code: u16,
    pub description: String,
}

/// An error on its way to becoming an Open311 error response.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub descriptions: Vec<String>,
}

impl Failure {
    pub fn new(status: StatusCode, description: impl Into<String>) -> Self {
        Self { status, descriptions: vec![description.into()] }
    }

    pub fn bad_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, description)
    }

    pub fn not_found(description: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, description)
    }

    pub fn forbidden(description: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, description)
    }

    /// A bug or an unreachable database: logged with its cause, answered without it.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "open311: internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi hệ thống, xin thử lại sau / Internal error, try again later")
    }

    pub fn respond(self, format: Format) -> Response {
        let code = self.status.as_u16();
        let items: Vec<ErrorItem> =
            self.descriptions.into_iter().map(|description| ErrorItem { code, description }).collect();
        let body = match format {
            Format::Json => serde_json::to_vec(&items).unwrap_or_else(|_| b"[]".to_vec()),
            Format::Xml => {
                let value = serde_json::to_value(&items).unwrap_or_default();
                xml::document("errors", Some("error"), &value)
            }
        };
        let mut resp = (self.status, body).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, format.content_type());
        resp
    }
}

impl From<ServiceError> for Failure {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Validation(v) => Self {
                status: StatusCode::BAD_REQUEST,
                descriptions: v.0.into_iter().map(|f| format!("{}: {}", f.field, f.message)).collect(),
            },
            ServiceError::NotFound(what) => Self::not_found(format!("{what} not found")),
            ServiceError::Unauthenticated => Self::forbidden("api_key is required"),
            ServiceError::Forbidden(d) | ServiceError::OutOfScope(d) => Self::forbidden(d),
            ServiceError::Internal(err) => Self::internal(format!("{err:#}")),
            ServiceError::Store(err) => Self::internal(format!("store: {err:?}")),
            other => Self::bad_request(other.to_string()),
        }
    }
}

/// The result of a handler, rendered in the request's format.
pub struct Answer(pub Format, pub Result<Response, Failure>);

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        match self.1 {
            Ok(r) => r,
            Err(f) => f.respond(self.0),
        }
    }
}
