//! Conversations with the hotline's chatbot, on the portal or a chat/SMS channel, and their
//! hand-over to a person: the console's queue of conversations waiting for an operator.
//!
//! Personal data: who wrote (a phone number or a platform's user id) and what they wrote may
//! identify them. A conversation is shown only to the call centre's staff, never on a public
//! surface, in an event or an export; the portal's own conversation is read back only with its
//! secret.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Medium, ValidationErrors};

/// Longest message a citizen or an operator may send, in characters.
pub const MAX_TURN_CHARS: usize = 2_000;

/// Where a conversation takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChatChannel {
    /// The citizens' portal's chat window.
    Portal,
    Zalo,
    Messenger,
    Sms,
}

impl ChatChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Portal => "portal",
            Self::Zalo => "zalo",
            Self::Messenger => "messenger",
            Self::Sms => "sms",
        }
    }

    /// The medium replies are delivered on (the portal's are read by the page itself).
    pub fn medium(self) -> Option<Medium> {
        match self {
            Self::Portal => None,
            Self::Zalo => Some(Medium::Zalo),
            Self::Messenger => Some(Medium::Messenger),
            Self::Sms => Some(Medium::Sms),
        }
    }

    pub fn of(medium: Medium) -> Option<Self> {
        match medium {
            Medium::Zalo => Some(Self::Zalo),
            Medium::Messenger => Some(Self::Messenger),
            Medium::Sms => Some(Self::Sms),
            Medium::Email => None,
        }
    }
}

/// Who is answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConversationState {
    /// The chatbot answers.
    Bot,
    /// Handed over: waiting in the console's queue for an operator to take it.
    Waiting,
    /// An operator has taken it and answers; the chatbot is silent.
    Human,
}

/// Who wrote a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    Citizen,
    Bot,
    Operator,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Turn {
    /// Numbers the turns of its conversation from 1.
    pub n: i64,
    pub speaker: Speaker,
    pub text: String,
    /// The operator's display name, for their turns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    pub at: DateTime<Utc>,
}

/// A conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Conversation {
    pub id: Uuid,
    pub channel: ChatChannel,
    /// The platform's id of the citizen (a phone number for SMS); for the portal, the
    /// conversation's own id. Personal data.
    pub sender: String,
    pub state: ConversationState,
    /// The operator (user name) who took it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Why the chatbot handed it over, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handover_reason: Option<String>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Turns so far.
    pub turns: i64,
    /// A report the citizen began on the portal, waiting for its place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<String>,
}

/// Checks a message's text: trimmed, not empty, at most [`MAX_TURN_CHARS`], no control
/// characters but line breaks. The error names `field`.
pub fn turn_text(raw: &str, field: &str) -> Result<String, ValidationErrors> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ValidationErrors::single(field, "must not be empty"));
    }
    if text.chars().count() > MAX_TURN_CHARS {
        return Err(ValidationErrors::single(field, format!("must be at most {MAX_TURN_CHARS} characters")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(ValidationErrors::single(field, "must not contain control characters"));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_turn_is_trimmed_and_bounded() {
        assert_eq!(turn_text("  xin chào \n", "text").unwrap(), "xin chào");
        assert_eq!(turn_text(" ", "text").unwrap_err().0[0].field, "text");
        assert!(turn_text(&"a".repeat(MAX_TURN_CHARS + 1), "text").is_err());
        assert!(turn_text("a\u{0}b", "text").is_err());
        assert_eq!(turn_text("dòng 1\ndòng 2", "text").unwrap(), "dòng 1\ndòng 2");
    }
}
