//! `/healthz` (the process answers) and `/readyz` (the database answers too).

use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

/// Liveness. Roles: public.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "Alive")))]
async fn healthz() -> &'static str {
    "ok"
}

/// How long readiness waits for the database: a probe must get an answer even when the
/// database is gone and the pool would wait its full acquire timeout.
const READY_WITHIN: Duration = Duration::from_secs(1);

/// Readiness: 200 when the database answers within a second, 503 otherwise. Roles: public.
#[utoipa::path(get, path = "/readyz", tag = "health", responses((status = 200), (status = 503)))]
async fn readyz(State(s): State<AppState>) -> (StatusCode, &'static str) {
    match tokio::time::timeout(READY_WITHIN, s.health.store_ready()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => {
            tracing::warn!("readiness check: the database did not answer within {READY_WITHIN:?}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
