//! The chatbot: `/api/v1/chat` is the portal's chat window (public; a conversation is read back
//! only with its secret, sent in `X-Conversation-Secret`), `/api/v1/conversations` the console's
//! queue of conversations handed to a person (admin, operator).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use uuid::Uuid;

use super::AppState;
use super::auth::{CENTRE, Gate, mask};
use super::error::{ApiResult, Problem};
use super::json::{ApiJson, ApiQuery};
use super::limits::{Limits, too_many};
use crate::domain::ValidationErrors;
use crate::domain::conversation::{Conversation, Turn};
use crate::intake::chatbot::console::Transcript;
use crate::intake::chatbot::portal::PortalChat;

/// The header the portal sends its conversation's secret in.
pub const SECRET_HEADER: &str = "x-conversation-secret";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/chat", post(say))
        .route("/api/v1/chat/{id}", get(read))
        .route("/api/v1/conversations", get(queue))
        .route("/api/v1/conversations/{id}", get(transcript))
        .route("/api/v1/conversations/{id}/take", post(take))
        .route("/api/v1/conversations/{id}/replies", post(reply))
        .route("/api/v1/conversations/{id}/release", post(release))
}

fn conversation_id(raw: &str, field: &str) -> Result<Uuid, ValidationErrors> {
    Uuid::parse_str(raw.trim()).map_err(|_| ValidationErrors::single(field, "must be a conversation id (UUID)"))
}

fn secret(headers: &HeaderMap) -> Result<String, ValidationErrors> {
    headers
        .get(SECRET_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty() && s.len() <= 128)
        .ok_or_else(|| ValidationErrors::single(SECRET_HEADER, "the conversation's secret is required"))
}

/// A message to the chatbot.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChatMessage {
    /// The conversation to continue (its secret in `X-Conversation-Secret`); none opens one.
    pub conversation: Option<String>,
    /// What the citizen wrote (at most 2 000 characters).
    pub text: String,
}

/// A citizen's message in the portal's chat window: the chatbot's answer (or, once the
/// conversation is handed over, nothing until an operator replies). Opening a conversation
/// answers its secret once. Roles: public (limited per client address).
#[utoipa::path(post, path = "/api/v1/chat", tag = "chat", operation_id = "chat_say", request_body = ChatMessage,
    responses((status = 200, body = PortalChat), (status = 404, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem)))]
async fn say(
    State(s): State<AppState>,
    Extension(limits): Extension<Arc<Limits>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    ApiJson(m): ApiJson<ChatMessage>,
) -> ApiResult<Response> {
    if let Some(ip) = limits.client_ip(peer.map(|Extension(c)| c.0.ip()), &headers)
        && let Err(wait) = limits.check_chat(ip)
    {
        return Ok(too_many(wait, "too many messages from your address".into()));
    }
    let existing = match &m.conversation {
        None => None,
        Some(id) => Some((conversation_id(id, "conversation")?, secret(&headers)?)),
    };
    Ok(Json(s.channels.portal_message(existing, &m.text).await?).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ReadParams {
    /// Only the turns after this one (default 0: all).
    after: Option<i64>,
}

/// The portal's conversation after a turn (the page polls for the operator's replies).
/// Roles: public, with the conversation's secret.
#[utoipa::path(get, path = "/api/v1/chat/{id}", tag = "chat", operation_id = "chat_read",
    params(("id" = String, Path), ReadParams),
    responses((status = 200, body = PortalChat), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn read(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ReadParams>,
) -> ApiResult<Json<PortalChat>> {
    let id = conversation_id(&id, "id")?;
    let secret = secret(&headers)?;
    Ok(Json(s.channels.chatbot().portal_turns(id, &secret, q.after.unwrap_or(0).max(0)).await?))
}

/// Conversations handed to a person or in an operator's hands, the longest waiting first
/// (personal data: the sender). Roles: admin, operator.
#[utoipa::path(get, path = "/api/v1/conversations", tag = "chat", operation_id = "conversations_queue",
    responses((status = 200, body = Vec<Conversation>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn queue(State(s): State<AppState>, Gate(p): Gate<{ mask(CENTRE) }>) -> ApiResult<Json<Vec<Conversation>>> {
    Ok(Json(s.channels.chatbot().queue(&p).await?))
}

/// One conversation with its transcript. Roles: admin, operator.
#[utoipa::path(get, path = "/api/v1/conversations/{id}", tag = "chat", operation_id = "conversations_get",
    params(("id" = String, Path)), responses((status = 200, body = Transcript), (status = 404, body = Problem)))]
async fn transcript(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(CENTRE) }>,
    Path(id): Path<String>,
) -> ApiResult<Json<Transcript>> {
    let id = conversation_id(&id, "id")?;
    Ok(Json(s.channels.chatbot().transcript(&p, id).await?))
}

/// Takes a conversation: the chatbot is silent and this operator answers. Roles: admin,
/// operator (409 when another operator holds it).
#[utoipa::path(post, path = "/api/v1/conversations/{id}/take", tag = "chat", operation_id = "conversations_take",
    params(("id" = String, Path)), responses((status = 200, body = Transcript), (status = 409, body = Problem)))]
async fn take(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(CENTRE) }>,
    Path(id): Path<String>,
) -> ApiResult<Json<Transcript>> {
    let id = conversation_id(&id, "id")?;
    Ok(Json(s.channels.chatbot().take(&p, id).await?))
}

/// An operator's reply.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OperatorReply {
    pub text: String,
}

/// Replies in a conversation this operator holds; the reply reaches the citizen on the
/// conversation's channel. Roles: admin, operator.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/replies", tag = "chat", operation_id = "conversations_reply",
    params(("id" = String, Path)), request_body = OperatorReply,
    responses((status = 201, body = Turn), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn reply(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(CENTRE) }>,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<OperatorReply>,
) -> ApiResult<(StatusCode, Json<Turn>)> {
    let id = conversation_id(&id, "id")?;
    Ok((StatusCode::CREATED, Json(s.channels.chatbot().reply(&p, id, &r.text).await?)))
}

/// What to do with a conversation an operator is done with.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// `true`: end it (the citizen's next message starts a new one); else the chatbot answers again.
    #[serde(default)]
    pub close: bool,
}

/// Hands a conversation back to the chatbot, or ends it. Roles: admin, operator.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/release", tag = "chat", operation_id = "conversations_release",
    params(("id" = String, Path)), request_body = Release,
    responses((status = 204), (status = 404, body = Problem)))]
async fn release(
    State(s): State<AppState>,
    Gate(p): Gate<{ mask(CENTRE) }>,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<Release>,
) -> ApiResult<StatusCode> {
    let id = conversation_id(&id, "id")?;
    s.channels.chatbot().release(&p, id, r.close).await?;
    Ok(StatusCode::NO_CONTENT)
}
