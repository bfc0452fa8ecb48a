//! HTTP: one router per resource, problem+json errors, auth extractors. No business rules:
//! handlers parse, call [`crate::service`], and shape the response.

pub mod areas;
pub mod auth;
pub mod camera_proxy;
pub mod cameras;
pub mod error;
pub mod extras;
pub mod health;
pub mod json;
pub mod live;
pub mod media;
pub mod open311;
pub mod openapi;
pub mod public;
pub mod reference;
pub mod session;
pub mod tickets;
pub mod tiles;
pub mod users;
pub mod wall;
pub mod web;

pub mod console;
pub mod limits;
pub mod webhooks;

pub mod ogc;
pub mod places;
pub mod planning;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::service::Services;

/// The whole application as a router (tests can call it without a socket).
pub fn app(services: Services) -> Router {
    let limit = services.settings.max_body_bytes;
    let limits = limits::Limits::new(&services.settings.limits);
    Router::new()
        .merge(tickets::router())
        .merge(areas::router())
        .merge(live::router())
        .merge(reference::router())
        .merge(session::router())
        .merge(users::router())
        .merge(wall::router())
        .merge(public::router())
        .merge(health::router())
        .merge(openapi::router())
        .merge(web::router())
        .merge(open311::router())
        .merge(extras::router())
        .merge(media::router(&services.settings.media))
        .merge(webhooks::router())
        .merge(console::router())
        .merge(planning::router())
        .merge(places::router())
        .merge(ogc::router())
        .merge(cameras::router())
        .merge(camera_proxy::router())
        .merge(tiles::router())
        .fallback(|| async { error::ApiError::not_found("no such endpoint") })
        .layer(axum::middleware::from_fn_with_state((limits.clone(), limit), limits::limit_public_intake))
        .layer(axum::Extension(limits))
        .layer(axum::middleware::from_fn_with_state(services.clone(), auth::authenticate))
        .layer(DefaultBodyLimit::max(limit))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(TraceLayer::new_for_http())
        .with_state(services)
}
