//! The hotline's chatbot, on the portal and on the Zalo, Messenger and SMS webhooks: it answers
//! procedure questions from the catalogue only (quoting the procedure's code and linking its
//! page), tells a report's status from its code, takes reports through the chat intake, and
//! hands the conversation to a person when asked or when it is not sure — below
//! [`ChatbotSettings::min_confidence`] it says it does not know. Conversations are stored
//! (`ConversationStore`), so they survive restarts; operators answer handed-over ones from the
//! console, and their replies reach the citizen on the same channel.

pub mod answer;
pub mod booking;
pub mod console;
pub mod intent;
pub mod portal;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use self::answer::Length;
use self::intent::Intent;
use crate::domain::conversation::{ChatChannel, Conversation, ConversationState, Speaker, Turn};
use crate::service::procedures::Procedures;
use crate::service::{Open311, ServiceError, ServiceResult};
use crate::store::{NewNotification, Store};

/// The chatbot's settings.
#[derive(Debug, Clone)]
pub struct ChatbotSettings {
    /// How sure the catalogue's search must be (0–1) before the chatbot answers from it.
    pub min_confidence: f32,
    /// Messages one sender may write in an hour, on one channel.
    pub per_sender_per_hour: i64,
    /// A conversation unused this long is closed; the next message starts a new one.
    pub idle: Duration,
    /// The portal's public address, for links in answers on chat channels.
    pub public_base_url: Option<String>,
}

impl Default for ChatbotSettings {
    fn default() -> Self {
        Self {
            min_confidence: 0.5,
            per_sender_per_hour: 60,
            idle: Duration::from_secs(24 * 3600),
            public_base_url: None,
        }
    }
}

/// What the chatbot makes of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// It answers.
    Answer(String),
    /// It hands the conversation to a person, saying so.
    HandOver { reply: String, reason: String },
    /// A report of a problem: the intake files it (or asks for what is missing).
    Report,
}

/// The chatbot. Cheap to clone.
#[derive(Clone)]
pub struct Chatbot {
    store: Arc<dyn Store>,
    procedures: Procedures,
    open311: Open311,
    settings: Arc<ChatbotSettings>,
    /// Files the portal's reports under the category it is sure of (else in triage).
    categories: Option<crate::service::categorizer::Categories>,
    /// Books appointments in the chat (`booking`), when offices exist.
    appointments: Option<crate::service::appointments::Appointments>,
}

impl Chatbot {
    pub fn new(store: Arc<dyn Store>, procedures: Procedures, open311: Open311, settings: ChatbotSettings) -> Self {
        Self { store, procedures, open311, settings: Arc::new(settings), categories: None, appointments: None }
    }

    /// The category suggester the portal's reports are sorted by.
    pub fn with_categories(mut self, categories: crate::service::categorizer::Categories) -> Self {
        self.categories = Some(categories);
        self
    }

    /// The appointments the chat books.
    pub fn with_appointments(mut self, appointments: crate::service::appointments::Appointments) -> Self {
        self.appointments = Some(appointments);
        self
    }

    fn base(&self) -> Option<&str> {
        self.settings.public_base_url.as_deref()
    }

    /// The sender's open conversation (a new one if none), after the per-sender limit.
    async fn conversation(
        &self,
        channel: ChatChannel,
        sender: &str,
        secret: Option<&[u8]>,
    ) -> ServiceResult<Conversation> {
        let now = Utc::now();
        let hour_ago = now - chrono::Duration::hours(1);
        if self.store.citizen_turns_since(channel, sender, hour_ago).await? >= self.settings.per_sender_per_hour {
            return Err(ServiceError::RateLimited {
                wait: Duration::from_secs(600),
                detail: "too many messages from this sender; please wait a few minutes".into(),
            });
        }
        let idle_since = now - chrono::Duration::from_std(self.settings.idle).unwrap_or_default();
        Ok(self.store.open_conversation(channel, sender, secret, now, idle_since).await?)
    }

    /// What to do with a citizen's text. `located`: the message carries a location (shared by
    /// the platform or a place named in it), which makes a statement a report.
    pub async fn decide(&self, text: &str, located: bool, length: Length) -> ServiceResult<Decision> {
        Ok(match intent::classify(text) {
            Intent::Human => Decision::HandOver { reply: answer::handed_over(), reason: "asked for a person".into() },
            Intent::Greeting => Decision::Answer(answer::greeting()),
            Intent::Thanks => Decision::Answer(answer::thanks()),
            Intent::Status { code, token } => Decision::Answer(self.status(code.as_str(), token.as_deref()).await?),
            Intent::Question => match self.procedures.best(text).await {
                Some(best) if best.confidence >= self.settings.min_confidence => self.answer(&best, length),
                // A complaint put as a question, with its place: a report.
                _ if located => Decision::Report,
                // A question the catalogue does not answer surely: never guess.
                _ => Decision::HandOver {
                    reply: answer::not_sure(true),
                    reason: "no sure answer in the procedures catalogue".into(),
                },
            },
            Intent::Statement if located => Decision::Report,
            Intent::Statement => match self.procedures.best(text).await {
                // "đăng ký kết hôn" alone: a procedure named without a question.
                Some(best) if best.confidence >= self.settings.min_confidence.max(0.75) => self.answer(&best, length),
                _ => Decision::Report,
            },
        })
    }

    /// The catalogue's answer: the best procedure, and the others close behind it.
    fn answer(&self, best: &crate::service::procedures::Best, length: Length) -> Decision {
        let others: Vec<&crate::domain::Procedure> = best.others.iter().map(|p| &**p).collect();
        Decision::Answer(answer::procedure(&best.procedure, &others, self.base(), length))
    }

    /// A report's status from its code: the public view only (what Open311 shows anyone). A
    /// pasted tracking link's token goes back into the link, so the citizen can open it.
    async fn status(&self, code: &str, token: Option<&str>) -> ServiceResult<String> {
        let path = match token {
            Some(t) => format!("/#track/{code}/{t}"),
            None => format!("/#track/{code}"),
        };
        let page = answer::link(self.base(), &path);
        match self.open311.open311_request(code).await {
            Ok(r) => {
                let status = if r.status == "closed" { "đã xử lý xong" } else { "đang được xử lý" };
                Ok(answer::status(
                    code,
                    status,
                    r.service_name.as_deref(),
                    r.expected_datetime.as_deref().map(|d| d.get(..10).unwrap_or(d)),
                    r.status_notes.as_deref(),
                    &page,
                ))
            }
            Err(ServiceError::NotFound(_)) => Ok(answer::status_unknown(code)),
            Err(e) => Err(e),
        }
    }

    /// Records a citizen's message on a chat channel and decides what becomes of it. A
    /// conversation in an operator's hands only records it.
    pub async fn on_channel_message(
        &self,
        channel: ChatChannel,
        sender: &str,
        message_id: Option<&str>,
        text: &str,
        located: bool,
    ) -> ServiceResult<ChannelTurn> {
        let c = self.conversation(channel, sender, None).await?;
        let mine = match self.store.add_turn(c.id, Speaker::Citizen, text, None, message_id, Utc::now()).await {
            Ok(turn) => turn,
            // A redelivery: a report goes on to the intake (which knows its ticket), anything
            // else was answered already.
            Err(crate::store::StoreError::AlreadyExists(_)) => {
                let report = match message_id {
                    Some(m) => self.store.message_was_report(c.id, m).await?.unwrap_or(false),
                    None => false,
                };
                return Ok(if report { ChannelTurn::Report } else { ChannelTurn::Duplicate });
            }
            Err(e) => return Err(e.into()),
        };
        if c.state != ConversationState::Bot {
            return Ok(ChannelTurn::Held);
        }
        if let Some(reply) = self.booking_reply(&c, text).await? {
            self.say(&c, &reply).await?;
            return Ok(ChannelTurn::Replied);
        }
        let length = if channel == ChatChannel::Sms { Length::Sms } else { Length::Full };
        match self.decide(text, located, length).await? {
            Decision::Answer(reply) => {
                self.say(&c, &reply).await?;
                Ok(ChannelTurn::Replied)
            }
            Decision::HandOver { reply, reason } => {
                self.hand_over(&c, &reason).await?;
                self.say(&c, &reply).await?;
                Ok(ChannelTurn::HandedOver)
            }
            Decision::Report => {
                self.store.mark_report(c.id, mine.n).await?;
                Ok(ChannelTurn::Report)
            }
        }
    }

    /// The chatbot's turn: stored, and sent on the conversation's channel.
    async fn say(&self, c: &Conversation, text: &str) -> ServiceResult<Turn> {
        let turn = self.store.add_turn(c.id, Speaker::Bot, text, None, None, Utc::now()).await?;
        self.deliver(c, &turn).await?;
        Ok(turn)
    }

    /// Sends a turn to the citizen on the conversation's channel, through the notifier's outbox
    /// (once per turn); the portal reads its turns itself.
    async fn deliver(&self, c: &Conversation, turn: &Turn) -> ServiceResult<()> {
        let Some(medium) = c.channel.medium() else { return Ok(()) };
        let item = NewNotification {
            dedup_key: format!("chat:{}:{}", c.id, turn.n),
            ticket_id: None,
            seq: None,
            medium,
            recipient: c.sender.clone(),
            template: "chat".into(),
            payload: serde_json::json!({"template": "chat", "text": turn.text, "text_vi": turn.text, "text_en": ""}),
        };
        self.store.enqueue_notifications(&[item], Utc::now()).await?;
        Ok(())
    }

    async fn hand_over(&self, c: &Conversation, reason: &str) -> ServiceResult<()> {
        self.store
            .move_conversation(
                c.id,
                &[ConversationState::Bot],
                ConversationState::Waiting,
                None,
                Some(reason),
                Utc::now(),
            )
            .await?;
        Ok(())
    }
}

/// What became of a message on a chat channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelTurn {
    /// The chatbot answered.
    Replied,
    /// Handed to a person, who will answer.
    HandedOver,
    /// An operator has (or will have) the conversation: recorded for them.
    Held,
    /// The platform delivered this message before: nothing more was done.
    Duplicate,
    /// A report: the intake goes on with it.
    Report,
}
