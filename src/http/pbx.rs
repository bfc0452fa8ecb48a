//! `POST /webhooks/pbx`: the phone system's call events (`docs/pbx.md`), signed like the chat
//! webhooks (`X-Switchboard-Signature: t=…,v1=…`, HMAC-SHA256 of `"t." + body` under
//! `--pbx-secret`). The signature is checked over the raw body before anything in it is read;
//! roles play no part. Each (call, event) is recorded once, so the PBX may retry freely.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde::Serialize;

use super::AppState;
use super::error::{ApiError, ApiResult, Problem};
use crate::intake::signature::{self, SignatureError};
use crate::service::desk::pbx::CallEventResult;

pub fn router() -> Router<AppState> {
    Router::new().route("/webhooks/pbx", post(receive))
}

/// What became of each event, in the order sent.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PbxResult {
    pub results: Vec<CallEventResult>,
}

fn refused(e: SignatureError) -> ApiError {
    tracing::warn!(error = %e, "PBX webhook signature refused");
    let code = if matches!(e, SignatureError::Stale(..)) { "stale_signature" } else { "invalid_signature" };
    ApiError::new(StatusCode::UNAUTHORIZED, code, "Webhook signature refused", Some(e.to_string()))
}

/// Receive call events from the phone system: `ringing`, `answered` (pops the call up on the
/// console of the operator on that extension, with the caller's history), `ended` (fills in
/// the length and recording of the inquiry or ticket taken in the call) and `missed` (opens a
/// callback). One event or `{"events": [...]}` (at most 100), all or nothing: a bad one is a
/// 422 naming it (`events[2].caller`) and nothing is recorded. Authenticated by the signature,
/// not by a role: every role and the public alike get a 401 without a valid one.
#[utoipa::path(post, path = "/webhooks/pbx", tag = "webhooks", operation_id = "receive_pbx",
    params(("X-Switchboard-Signature" = String, Header, description = "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.\" + body>")),
    request_body(content = String, description = "One call event {call_id, event, at, caller, extension, duration_seconds, recording_ref}, or {\"events\": [...]}", content_type = "application/json"),
    responses(
        (status = 200, description = "Recorded (or recorded before)", body = PbxResult),
        (status = 401, description = "Missing, forged or stale signature, or no secret configured", body = Problem),
        (status = 413, body = Problem), (status = 422, description = "A signed payload of the wrong shape; nothing recorded", body = Problem),
    ))]
async fn receive(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<axum::Json<PbxResult>> {
    let body = body.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "Payload too large",
            Some("the body is over the limit".into()),
        )
    })?;
    let secret = s.desk.pbx_secret().ok_or_else(|| refused(SignatureError::NotConfigured("pbx")))?;
    let header = headers
        .get(signature::SWITCHBOARD_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| refused(SignatureError::Missing))?;
    let now = chrono::Utc::now();
    let tolerance = s.desk.settings().tolerance.as_secs() as i64;
    signature::verify_switchboard(header, secret.expose().as_bytes(), &body, now.timestamp(), tolerance)
        .map_err(refused)?;
    let events = crate::intake::pbx::parse(&body, now)?;
    Ok(axum::Json(PbxResult { results: s.desk.receive_call_events(events).await? }))
}
