//! `/webhooks/{zalo|messenger|sms}`: signed chat/SMS intake (`docs/channels.md`). The
//! signature is checked over the raw body before anything in it is acted on; a bad one is a
//! 401 and the body is dropped. Roles play no part: the signature is the credential.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use super::AppState;
use super::error::{ApiError, ApiResult, Problem};
use super::limits::{Limits, too_many};
use crate::domain::Medium;
use crate::intake::adapters::{self, Batch};
use crate::intake::service::{MessageResult, Outcome};
use crate::intake::signature::{self, SignatureError};

pub fn router() -> Router<AppState> {
    Router::new().route("/webhooks/{channel}", post(receive).get(verify))
}

fn signature_error(e: SignatureError) -> ApiError {
    tracing::warn!(error = %e, "webhook signature refused");
    let code = if matches!(e, SignatureError::Stale(..)) { "stale_signature" } else { "invalid_signature" };
    ApiError::new(StatusCode::UNAUTHORIZED, code, "Webhook signature refused", Some(e.to_string()))
}

fn medium(channel: &str) -> ApiResult<Medium> {
    Medium::parse(channel)
        .filter(|m| Medium::INBOUND.contains(m))
        .ok_or_else(|| ApiError::not_found(format!("no webhook {channel:?}; there are zalo, messenger and sms")))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The answer to a webhook call.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookResult {
    /// One per message, in the order received.
    pub results: Vec<MessageResult>,
    /// Events that were not a citizen's message (follows, receipts, echoes).
    pub ignored: usize,
}

/// Which signature scheme vouched for the body.
enum Style {
    Switchboard,
    /// Messenger's or Zalo's: the replay window applies to the timestamps in the body.
    Platform,
}

/// Checks the call's signature; returns the parsed JSON body for Zalo (read for its timestamp).
fn authenticate(
    s: &AppState,
    medium: Medium,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<(Style, Option<serde_json::Value>)> {
    let ch = &s.channels.settings();
    let secret = ch.secret(medium).ok_or_else(|| signature_error(SignatureError::NotConfigured(medium.as_str())))?;
    let secret = secret.expose().as_bytes();
    let tolerance = ch.tolerance.as_secs() as i64;
    let now = chrono::Utc::now().timestamp();
    if let Some(h) = header(headers, signature::SWITCHBOARD_HEADER) {
        signature::verify_switchboard(h, secret, body, now, tolerance).map_err(signature_error)?;
        return Ok((Style::Switchboard, None));
    }
    match medium {
        Medium::Messenger if let Some(h) = header(headers, signature::HUB_HEADER) => {
            signature::verify_hub(h, secret, body).map_err(signature_error)?;
            Ok((Style::Platform, None))
        }
        Medium::Zalo if let Some(h) = header(headers, signature::ZALO_HEADER) => {
            let app_id = ch
                .zalo_app_id
                .as_deref()
                .ok_or_else(|| signature_error(SignatureError::NotConfigured("zalo app id")))?;
            let json: serde_json::Value =
                serde_json::from_slice(body).map_err(|_| signature_error(SignatureError::Mismatch))?;
            let ts = match json.get("timestamp") {
                Some(serde_json::Value::String(t)) => t.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => return Err(signature_error(SignatureError::Mismatch)),
            };
            signature::verify_zalo(h, app_id, secret, body, &ts).map_err(signature_error)?;
            Ok((Style::Platform, Some(json)))
        }
        _ => Err(signature_error(SignatureError::Missing)),
    }
}

fn parse(medium: Medium, headers: &HeaderMap, body: &[u8], json: Option<serde_json::Value>) -> ApiResult<Batch> {
    let json_body = || -> ApiResult<serde_json::Value> {
        match json.clone() {
            Some(v) => Ok(v),
            None => serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("malformed JSON: {e}"))),
        }
    };
    let ct = header(headers, header::CONTENT_TYPE.as_str())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let batch = match medium {
        Medium::Zalo => adapters::zalo(&json_body()?),
        Medium::Messenger => adapters::messenger(&json_body()?),
        Medium::Sms if ct == "application/x-www-form-urlencoded" => adapters::sms(body, true),
        Medium::Sms if ct == "application/json" => adapters::sms(body, false),
        Medium::Sms | Medium::Email => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Unsupported media type",
                Some("send the SMS as application/x-www-form-urlencoded or application/json".into()),
            ));
        }
    };
    Ok(batch?)
}

/// Receive chat/SMS messages. Authenticated by the signature, not by a role: every role and the
/// public alike get a 401 without a valid one. A message with a text and a location becomes a
/// ticket on the channel (`zalo`, `facebook`, `sms`); without, the sender is asked for the
/// missing part. The same message id again is the same ticket.
#[utoipa::path(post, path = "/webhooks/{channel}", tag = "webhooks", operation_id = "receive_webhook",
    params(
        ("channel" = String, Path, description = "zalo, messenger or sms"),
        ("X-Switchboard-Signature" = Option<String>, Header, description = "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.\" + body>; or Messenger's X-Hub-Signature-256, Zalo's X-ZEvent-Signature"),
    ),
    request_body(content = String, description = "Zalo OA event, Messenger page event, or an SMS (form or JSON: from, text, id)"),
    responses(
        (status = 200, description = "Processed", body = WebhookResult),
        (status = 401, description = "Missing, forged or stale signature (`invalid_signature`, `stale_signature`)", body = Problem),
        (status = 404, description = "No such webhook", body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, description = "A signed payload of the wrong shape", body = Problem),
        (status = 429, description = "A sender over its limit (`Retry-After`); the others were processed", body = Problem),
    ))]
async fn receive(
    State(s): State<AppState>,
    Extension(limits): Extension<Arc<Limits>>,
    Path(channel): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let medium = medium(&channel)?;
    let body = body.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "Payload too large",
            Some("the body is over the limit".into()),
        )
    })?;
    let (style, json) = authenticate(&s, medium, &headers, &body)?;
    let batch = parse(medium, &headers, &body, json)?;
    if let Style::Platform = style {
        let now_ms = chrono::Utc::now().timestamp_millis();
        let tolerance = s.channels.settings().tolerance.as_secs() as i64;
        for m in &batch.messages {
            let t = m.sent_at_ms.unwrap_or_default();
            signature::check_window(t.div_euclid(1000), now_ms.div_euclid(1000), tolerance).map_err(signature_error)?;
        }
    }
    let mut results = Vec::with_capacity(batch.messages.len());
    let mut wait: Option<Duration> = None;
    for m in batch.messages {
        if let Err(w) = limits.check_sender(medium, &m.sender) {
            wait = Some(wait.map_or(w, |x| x.max(w)));
            results.push(MessageResult::new(m.message_id, Outcome::RateLimited));
            continue;
        }
        results.push(s.channels.receive_message(medium, m).await?);
    }
    if let Some(wait) = wait {
        let n = results.iter().filter(|r| r.outcome == Outcome::RateLimited).count();
        return Ok(too_many(wait, format!("{n} message(s) from a sender over its limit were not processed")));
    }
    Ok((StatusCode::OK, axum::Json(WebhookResult { results, ignored: batch.ignored })).into_response())
}

/// Messenger's subscription check.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyParams {
    #[serde(rename = "hub.mode")]
    #[param(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    #[param(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    #[param(rename = "hub.challenge")]
    challenge: Option<String>,
}

/// Messenger's subscription check: echoes `hub.challenge` when `hub.verify_token` is the
/// configured token. Roles play no part (the token is the credential).
#[utoipa::path(get, path = "/webhooks/{channel}", tag = "webhooks", operation_id = "verify_webhook",
    params(("channel" = String, Path, description = "messenger"), VerifyParams),
    responses((status = 200, description = "The challenge", body = String), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn verify(
    State(s): State<AppState>,
    Path(channel): Path<String>,
    Query(q): Query<VerifyParams>,
) -> ApiResult<Response> {
    if medium(&channel)? != Medium::Messenger {
        return Err(ApiError::not_found("only the messenger webhook has a subscription check"));
    }
    let expected = s.channels.settings().messenger_verify_token.as_ref();
    let given = q.verify_token.unwrap_or_default();
    let ok = q.mode.as_deref() == Some("subscribe")
        && expected.is_some_and(|t| bool::from(t.expose().as_bytes().ct_eq(given.as_bytes())));
    if !ok {
        return Err(ApiError::forbidden("hub.mode must be subscribe and hub.verify_token the configured token"));
    }
    Ok((StatusCode::OK, q.challenge.unwrap_or_default()).into_response())
}
