//! HTTP: one router per resource, problem+json errors, auth extractors. No business rules:
//! handlers parse, call [`crate::service`], and shape the response.

pub mod access_log;
pub mod areas;
pub mod auth;
pub mod camera_proxy;
pub mod cameras;
pub mod chat;
pub mod csrf;
pub mod error;
pub mod exports;
pub mod extras;
pub mod health;
pub mod json;
pub mod live;
pub mod media;
pub mod metrics;
pub mod open311;
pub mod openapi;
pub mod public;
pub mod reference;
pub mod session;
pub mod stats;
pub mod tickets;
pub mod tiles;
pub mod users;
pub mod wall;
pub mod web;

/// `POST /api/v1/categories/suggest` (issue 14).
pub mod categories;
pub mod console;
pub mod directions;
pub mod limits;
pub mod reports;
pub mod webhooks;

pub mod appointments;
pub mod desk;
pub mod offices;
pub mod ogc;
pub mod pbx;
pub mod places;
pub mod planning;
pub mod press;
pub mod procedures;
pub mod supporters;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::{HeaderValue, header};
use tower_http::LatencyUnit;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::config::WallConfig;
use crate::intake::Channels;
use crate::live::Live;
use crate::service::{
    Accounts, Analytics, Cameras, Directions, Health, KpiBoards, Ogc, Open311, Photos, Planning, Press, Procedures,
    Projection, ReferenceData, Reports, Services, Tickets, Tiles,
};

/// The whole application as a router (tests can call it without a socket).
/// The HTTP layer's own settings.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Largest JSON request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Mark session cookies `Secure` (set behind HTTPS).
    pub secure_cookies: bool,
    /// Rate limits on public submission and the trusted proxies.
    pub limits: limits::LimitSettings,
    /// Limits on photo uploads (multipart bodies).
    pub media: crate::media::MediaLimits,
    /// How the map wall colours areas (`GET /api/v1/wall/config`).
    pub wall: WallConfig,
}

/// What the handlers are served from: the service handles and the HTTP layer's settings,
/// behind one `Arc` — axum clones the state for every request and every layer that takes it,
/// and cloning each handle's settings and lists cost more than serving a cached tile.
/// Handlers call the handles, never the store; a handler may also take a single handle
/// (`State<Tiles>`) through `FromRef`.
#[derive(Clone)]
pub struct AppState(Arc<Handles>);

impl std::ops::Deref for AppState {
    type Target = Handles;
    fn deref(&self) -> &Handles {
        &self.0
    }
}

/// A handle a handler takes alone, as `State<T>`.
macro_rules! handle_from_state {
    ($($field:ident: $ty:ty),* $(,)?) => {$(
        impl FromRef<AppState> for $ty {
            fn from_ref(s: &AppState) -> Self {
                s.$field.clone()
            }
        }
    )*};
}
handle_from_state!(tiles: Tiles, analytics: Analytics, directions: Directions);

/// The handles of [`AppState`].
pub struct Handles {
    pub tickets: Tickets,
    pub projection: Projection,
    pub reference: ReferenceData,
    pub accounts: Accounts,
    pub photos: Photos,
    pub cameras: Cameras,
    pub planning: Planning,
    pub procedures: Procedures,
    pub press: Press,
    pub tiles: Tiles,
    pub kpis: KpiBoards,
    pub analytics: Analytics,
    pub directions: Directions,
    pub reports: Reports,
    pub open311: Open311,
    pub ogc: Ogc,
    pub health: Health,
    pub channels: Channels,
    pub live: Arc<Live>,
    pub settings: Arc<HttpSettings>,
    pub metrics: Arc<metrics::Metrics>,
    /// Category suggestions for free text.
    pub categories: crate::service::categorizer::Categories,
    /// Inquiry calls, callbacks and the phone system.
    pub desk: crate::service::desk::Desk,
    pub appointments: crate::service::appointments::Appointments,
}

impl AppState {
    /// The state of a server: the services' handles, the chat/SMS intake and the HTTP settings.
    pub fn new(services: &Services, channels: Channels, settings: HttpSettings) -> Self {
        let s = services.clone();
        let metrics = metrics::Metrics::new(s.accounts.throttle.failures.clone(), s.accounts.throttle.refused.clone());
        Self(Arc::new(Handles {
            tickets: s.tickets,
            projection: s.projection,
            reference: s.reference,
            accounts: s.accounts,
            photos: s.photos,
            cameras: s.cameras,
            planning: s.planning,
            procedures: s.procedures,
            press: s.press,
            tiles: s.tiles,
            kpis: s.kpis,
            analytics: s.analytics,
            directions: s.directions,
            reports: s.reports,
            open311: s.open311,
            ogc: s.ogc,
            health: s.health,
            channels,
            live: s.live,
            settings: Arc::new(settings),
            metrics: Arc::new(metrics),
            categories: s.categories,
            desk: s.desk,
            appointments: s.appointments,
        }))
    }
}

/// What a page may load: everything from this origin only (the libraries, fonts, glyphs and
/// styles are bundled), MapLibre's and the video player's workers from `blob:` URLs, inline
/// style attributes (the pages' templates set a few); no plug-ins, and no framing by any
/// other page (`frame-ancestors 'none'`, and `X-Frame-Options: DENY` for older browsers).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; \
     connect-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; media-src 'self' blob:; \
     object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

pub fn app(services: AppState) -> Router {
    let limit = services.settings.max_body_bytes;
    let limits = limits::Limits::new(&services.settings.limits);
    Router::new()
        .merge(tickets::router())
        .merge(exports::router())
        .merge(areas::router())
        .merge(live::router())
        .merge(reference::router())
        .merge(session::router())
        .merge(users::router())
        .merge(wall::router())
        .merge(stats::router())
        .merge(directions::router())
        .merge(reports::router())
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
        .merge(procedures::router())
        .merge(chat::router())
        .merge(press::router())
        .merge(places::router())
        .merge(ogc::router())
        .merge(cameras::router())
        .merge(camera_proxy::router())
        .merge(tiles::router())
        .merge(metrics::router())
        .merge(categories::router())
        .merge(desk::router())
        .merge(pbx::router())
        .merge(supporters::router())
        .merge(appointments::router())
        .merge(offices::router())
        .fallback(|| async { error::ApiError::not_found("no such endpoint") })
        .layer(axum::middleware::from_fn_with_state((limits.clone(), limit), limits::limit_public_intake))
        .layer(axum::Extension(limits))
        .layer(axum::middleware::from_fn_with_state(services.clone(), auth::authenticate))
        .layer(axum::middleware::from_fn(csrf::guard))
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn(error::plain_errors_as_problems))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(axum::middleware::from_fn_with_state(services.metrics.clone(), metrics::track))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(access_log::span)
                .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(LatencyUnit::Millis)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(access_log::MakeId))
        .with_state(services)
}
