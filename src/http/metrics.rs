//! `GET /metrics`: this instance's figures in the OpenMetrics text format that Prometheus
//! scrapes, with `prometheus-client` (the Prometheus project's own Rust client). All names
//! start with `switchboard_`; `docs/OPERATIONS.md` says what each means and what to alert on.
//! - counted as requests are answered: `http_requests_total{method,route,status}` (the 429s
//!   are the rate limits' refusals, the 503s the load shedding and store outages),
//!   `http_request_duration_seconds{method,route}`, `login_failures_total`,
//!   `login_refused_total`, `live_closes_total{reason}`, and the `live_sessions` gauge;
//! - sampled when scraped: the store's pool (`db_pool_connections{state}`,
//!   `db_pool_max_connections`), whether the store answered (`store_up`), the outbox's head
//!   and what this instance applied (`events_committed_seq`, `events_applied_seq`,
//!   `event_lag`), the notifier (`notifier_lag`, `notifications{state="queued"|"due"}`), the
//!   live fan-out (`live_fanout_queue`, `live_fanout_subscribers`, `live_retained_events`) and
//!   `tickets_indexed`.
//!
//! Roles: admin, analyst (Prometheus scrapes with a read-only `analyst` API key as its bearer
//! token; nothing here is personal: counts, route patterns and sequence numbers).

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use chrono::Utc;

use super::AppState;
use super::auth::Auth;
use super::error::ApiResult;
use crate::domain::Role;
use crate::live::{CLOSE_NO_PONG, CLOSE_RATE_LIMITED, CLOSE_TOO_SLOW};
use crate::service::health::{PoolUse, StoreFigures};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

/// 1 ms to about 16 s, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

/// The instance's metrics (one registry per application).
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    /// Open `/api/v1/live` sessions.
    live_sessions: Gauge,
    live_closes: Family<ReasonLabels, Counter>,
    uptime: Gauge<f64, AtomicU64>,
    started: Instant,
    // Sampled when scraped.
    store_up: Gauge,
    pool: Family<StateLabels, Gauge>,
    pool_max: Gauge,
    events_committed: Gauge,
    events_applied: Gauge,
    event_lag: Gauge,
    notifier_lag: Gauge,
    notifications: Family<StateLabels, Gauge>,
    fanout_queue: Gauge,
    fanout_subscribers: Gauge,
    retained: Gauge,
    indexed: Gauge,
}

/// What is read from the instance and its store when `/metrics` is scraped.
pub struct Sample {
    pub pool: PoolUse,
    /// `None` when the store did not answer.
    pub store: Option<StoreFigures>,
    pub applied_seq: i64,
    pub fanout_queue: usize,
    pub fanout_subscribers: usize,
    pub retained: usize,
    pub indexed: usize,
}

fn gauge(r: &mut Registry, name: &str, help: &str) -> Gauge {
    let g = Gauge::default();
    r.register(name, help, g.clone());
    g
}

fn set(g: &Gauge, v: impl TryInto<i64>) {
    g.set(v.try_into().unwrap_or(i64::MAX));
}

impl Metrics {
    /// A registry with the request metrics and the given sign-in counters.
    pub fn new(login_failures: Counter, login_refused: Counter) -> Self {
        let mut r = Registry::with_prefix("switchboard");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let live_closes = Family::<ReasonLabels, Counter>::default();
        let uptime = Gauge::<f64, AtomicU64>::default();
        let pool = Family::<StateLabels, Gauge>::default();
        let notifications = Family::<StateLabels, Gauge>::default();
        r.register("http_requests", "HTTP requests answered, by route, method and status", requests.clone());
        r.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request (to the response head; streamed bodies go on after)",
            latency.clone(),
        );
        r.register("login_failures", "Sign-ins with a wrong name or password", login_failures);
        r.register("login_refused", "Sign-ins refused by the throttle before the password was checked", login_refused);
        r.register("live_closes", "Live sessions closed by the server, by reason", live_closes.clone());
        r.register("uptime_seconds", "Seconds since this instance started", uptime.clone());
        r.register("db_pool_connections", "The store's pooled connections, busy or idle", pool.clone());
        r.register("notifications", "The notifier's queue: queued (to deliver) and due now", notifications.clone());
        Self {
            live_sessions: gauge(&mut r, "live_sessions", "Open live WebSocket sessions"),
            store_up: gauge(&mut r, "store_up", "1 when the store answered this scrape, else 0"),
            pool_max: gauge(&mut r, "db_pool_max_connections", "The most connections the pool opens"),
            events_committed: gauge(&mut r, "events_committed_seq", "The last event seq committed (any instance)"),
            events_applied: gauge(&mut r, "events_applied_seq", "The last event seq this instance applied"),
            event_lag: gauge(&mut r, "event_lag", "Events committed but not yet applied and published here"),
            notifier_lag: gauge(&mut r, "notifier_lag", "Events the notifier has not planned notifications for"),
            fanout_queue: gauge(&mut r, "live_fanout_queue", "Events not yet taken by every live session"),
            fanout_subscribers: gauge(&mut r, "live_fanout_subscribers", "Sessions subscribed to ticket events"),
            retained: gauge(&mut r, "live_retained_events", "Events kept for clients resuming with since"),
            indexed: gauge(&mut r, "tickets_indexed", "Tickets in this instance's index"),
            registry: r,
            requests,
            latency,
            live_closes,
            uptime,
            started: Instant::now(),
            pool,
            notifications,
        }
    }

    /// Counts a live session closed by the server with `code`.
    pub fn live_closed(&self, code: u16) {
        let reason = match code {
            CLOSE_RATE_LIMITED => "rate_limited",
            CLOSE_TOO_SLOW => "too_slow",
            CLOSE_NO_PONG => "no_pong",
            _ => "other",
        };
        self.live_closes.get_or_create(&ReasonLabels { reason }).inc();
    }

    /// The OpenMetrics text of every metric, with the sampled ones set from `sample`.
    pub fn render(&self, sample: &Sample) -> String {
        self.uptime.set(self.started.elapsed().as_secs_f64());
        let busy = sample.pool.open.saturating_sub(sample.pool.idle);
        set(&self.pool.get_or_create(&StateLabels { state: "busy" }), busy);
        set(&self.pool.get_or_create(&StateLabels { state: "idle" }), sample.pool.idle);
        set(&self.pool_max, sample.pool.max);
        set(&self.events_applied, sample.applied_seq);
        set(&self.fanout_queue, sample.fanout_queue);
        set(&self.fanout_subscribers, sample.fanout_subscribers);
        set(&self.retained, sample.retained);
        set(&self.indexed, sample.indexed);
        self.store_up.set(i64::from(sample.store.is_some()));
        if let Some(f) = sample.store {
            self.events_committed.set(f.last_seq);
            self.event_lag.set((f.last_seq - sample.applied_seq).max(0));
            self.notifier_lag.set((f.last_seq - f.notify_cursor).max(0));
            self.notifications.get_or_create(&StateLabels { state: "queued" }).set(f.notifications.queued);
            self.notifications.get_or_create(&StateLabels { state: "due" }).set(f.notifications.due);
        }
        let mut out = String::new();
        encode(&mut out, &self.registry).expect("writing to a String cannot fail");
        out
    }
}

/// A method as a label: the standard ones, anything else as `other` (no label per made-up verb).
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Middleware: counts and times every request under its route's pattern (`/api/v1/tickets/{id}`,
/// never the path itself; `unmatched` for paths no route has).
pub async fn track(State(m): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = method_label(req.method());
    let start = Instant::now();
    let resp = next.run(req).await;
    m.latency.get_or_create(&RouteLabels { method, route: route.clone() }).observe(start.elapsed().as_secs_f64());
    m.requests.get_or_create(&RequestLabels { method, route, status: resp.status().as_u16() }).inc();
    resp
}

/// One more open live session while this lives.
pub struct LiveSession(Gauge);

impl LiveSession {
    pub fn open(m: &Metrics) -> Self {
        m.live_sessions.inc();
        Self(m.live_sessions.clone())
    }
}

impl Drop for LiveSession {
    fn drop(&mut self) {
        self.0.dec();
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(scrape))
}

/// Who may scrape: the administrators and the read-only keys of monitoring and BI tools.
const SCRAPERS: &[Role] = &[Role::Admin, Role::Analyst];

/// The metrics, for Prometheus. Roles: admin, analyst.
#[utoipa::path(get, path = "/metrics", tag = "health",
    responses((status = 200, description = "OpenMetrics text", content_type = "application/openmetrics-text"), (status = 401), (status = 403)))]
pub(super) async fn scrape(State(s): State<AppState>, auth: Auth) -> ApiResult<Response> {
    auth.require(SCRAPERS)?;
    // A scrape answers even when the database does not (then `store_up` is 0).
    let store = match tokio::time::timeout(Duration::from_secs(2), s.health.store_figures(Utc::now())).await {
        Ok(Ok(f)) => Some(f),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "metrics: the store did not answer");
            None
        }
        Err(_) => {
            tracing::warn!("metrics: the store did not answer within 2 s");
            None
        }
    };
    let (fanout_queue, fanout_subscribers) = s.live.hub.fanout();
    let sample = Sample {
        pool: s.health.pool_use(),
        store,
        applied_seq: s.projection.applied_seq(),
        fanout_queue,
        fanout_subscribers,
        retained: s.live.hub.retained(),
        indexed: s.projection.indexed(),
    };
    Ok((
        [(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        s.metrics.render(&sample),
    )
        .into_response())
}
