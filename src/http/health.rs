//! `/healthz` (the process answers) and `/readyz` (the database answers too).

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

/// Readiness: 200 when the database answers, 503 otherwise. Roles: public.
#[utoipa::path(get, path = "/readyz", tag = "health", responses((status = 200), (status = 503)))]
async fn readyz(State(s): State<AppState>) -> (StatusCode, &'static str) {
    match s.health.store_ready().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
