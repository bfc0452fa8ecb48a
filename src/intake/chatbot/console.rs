//! The console's side of conversations: the queue of those handed to a person, taking one,
//! replying (the reply reaches the citizen on the same channel), and handing it back to the
//! chatbot or ending it. The call centre's staff only: conversations are personal data.

use chrono::Utc;
use serde::Serialize;
use uuid::Uuid;

use super::Chatbot;
use crate::domain::conversation::{Conversation, ConversationState, Speaker, Turn, turn_text};
use crate::domain::{Principal, Role};
use crate::service::{ServiceError, ServiceResult};

/// A conversation with its transcript.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Transcript {
    #[serde(flatten)]
    pub conversation: Conversation,
    pub transcript: Vec<Turn>,
}

fn centre(p: &Principal) -> ServiceResult<String> {
    match p {
        Principal::User(u) if matches!(u.role, Role::Admin | Role::Operator) => Ok(u.name.clone()),
        Principal::Public => Err(ServiceError::Unauthenticated),
        _ => Err(ServiceError::Forbidden("conversations are the call centre's".into())),
    }
}

impl Chatbot {
    /// Conversations waiting for a person or in an operator's hands, the longest waiting first.
    pub async fn queue(&self, p: &Principal) -> ServiceResult<Vec<Conversation>> {
        centre(p)?;
        Ok(self.store.conversations_in(&[ConversationState::Waiting, ConversationState::Human]).await?)
    }

    /// One conversation and everything said in it.
    pub async fn transcript(&self, p: &Principal, id: Uuid) -> ServiceResult<Transcript> {
        centre(p)?;
        let conversation =
            self.store.conversation(id).await?.ok_or_else(|| ServiceError::NotFound(format!("conversation {id}")))?;
        let transcript = self.store.turns(id, 0).await?;
        Ok(Transcript { conversation, transcript })
    }

    /// Takes a conversation (from the chatbot or the queue): the chatbot is silent until it is
    /// handed back. A conversation another operator holds is a conflict.
    pub async fn take(&self, p: &Principal, id: Uuid) -> ServiceResult<Transcript> {
        let me = centre(p)?;
        let moved = self
            .store
            .move_conversation(
                id,
                &[ConversationState::Bot, ConversationState::Waiting],
                ConversationState::Human,
                Some(&me),
                None,
                Utc::now(),
            )
            .await?;
        if moved.is_none() {
            let c = self
                .store
                .conversation(id)
                .await?
                .ok_or_else(|| ServiceError::NotFound(format!("conversation {id}")))?;
            if c.operator.as_deref() != Some(me.as_str()) {
                return Err(ServiceError::Conflict(format!(
                    "{} already answers this conversation",
                    c.operator.unwrap_or_else(|| "another operator".into())
                )));
            }
        }
        self.transcript(p, id).await
    }

    /// An operator's reply, delivered on the conversation's channel. The operator must hold
    /// the conversation.
    pub async fn reply(&self, p: &Principal, id: Uuid, raw: &str) -> ServiceResult<Turn> {
        let me = centre(p)?;
        let text = turn_text(raw, "text")?;
        let c =
            self.store.conversation(id).await?.ok_or_else(|| ServiceError::NotFound(format!("conversation {id}")))?;
        if c.state != ConversationState::Human || c.operator.as_deref() != Some(me.as_str()) {
            return Err(ServiceError::Conflict("take the conversation before replying".into()));
        }
        let display = match p {
            Principal::User(u) if !u.display_name.is_empty() => u.display_name.clone(),
            _ => me.clone(),
        };
        let turn = self.store.add_turn(id, Speaker::Operator, &text, Some(&display), None, Utc::now()).await?;
        self.deliver(&c, &turn).await?;
        Ok(turn)
    }

    /// Hands a conversation back to the chatbot (`close`: ends it; the citizen's next message
    /// starts a new one).
    pub async fn release(&self, p: &Principal, id: Uuid, close: bool) -> ServiceResult<()> {
        centre(p)?;
        if close {
            if !self.store.close_conversation(id, Utc::now()).await? {
                return Err(ServiceError::NotFound(format!("open conversation {id}")));
            }
            return Ok(());
        }
        let moved = self
            .store
            .move_conversation(
                id,
                &[ConversationState::Waiting, ConversationState::Human],
                ConversationState::Bot,
                None,
                None,
                Utc::now(),
            )
            .await?;
        moved.map(|_| ()).ok_or_else(|| ServiceError::NotFound(format!("conversation {id} waiting for a person")))
    }
}
