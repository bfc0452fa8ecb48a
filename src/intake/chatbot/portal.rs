//! The portal's chat window: a conversation opened by the page and read back only with the
//! secret it was given (kept in the page's storage, sent in a header, stored as a SHA-256).
//! A problem described with a place is filed as a report on the spot; without one, the chatbot
//! asks for the place and files it with the next message that names one.

use chrono::Utc;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::answer::{self, Length};
use super::{Chatbot, Decision};
use crate::domain::Channel;
use crate::domain::conversation::{ChatChannel, Conversation, ConversationState, Speaker, Turn};
use crate::domain::{Principal, ValidationErrors};
use crate::intake::location;
use crate::service::gazetteer::Gazetteer;
use crate::service::tickets::{ChannelIntake, TicketInput};
use crate::service::{ServiceError, ServiceResult, Tickets};

/// What the page gets back: its conversation, who answers now, and the turns after the one
/// it asked from.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PortalChat {
    pub conversation: Uuid,
    /// Only when the conversation was just opened: the page keeps it to read the conversation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub state: ConversationState,
    pub turns: Vec<Turn>,
}

fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

const ASK_PLACE: &str = "Bạn vui lòng cho biết địa điểm xảy ra sự việc (số nhà, tên đường, kiệt/hẻm, phường), \
    hoặc dùng mục «Gửi phản ánh» để chọn vị trí trên bản đồ và gửi ảnh.\n\
    EN: Where is it? Give the street and number or the ward — or use the report form to pick the spot and add photos.";

impl Chatbot {
    /// The open portal conversation `id` if `secret` is its secret; a 404 otherwise (also once
    /// it was closed: the page then starts a new one).
    async fn portal_conversation(&self, id: Uuid, secret: &str) -> ServiceResult<Conversation> {
        let not_found = || ServiceError::NotFound("conversation (it may have ended: start a new one)".into());
        let stored = self.store.conversation_secret(id).await?.ok_or_else(not_found)?;
        if !bool::from(stored.ct_eq(&hash(secret))) {
            return Err(not_found());
        }
        self.store.conversation(id).await?.ok_or_else(not_found)
    }

    /// The turns of a portal conversation after turn `after` (the page polls for the operator's
    /// replies).
    pub async fn portal_turns(&self, id: Uuid, secret: &str, after: i64) -> ServiceResult<PortalChat> {
        let c = self.portal_conversation(id, secret).await?;
        let turns = self.store.turns(c.id, after).await?;
        Ok(PortalChat { conversation: c.id, secret: None, state: c.state, turns })
    }

    /// A citizen's message on the portal, in a new conversation (`existing` is `None`) or in
    /// theirs.
    pub async fn portal_message(
        &self,
        tickets: &Tickets,
        existing: Option<(Uuid, String)>,
        raw: &str,
    ) -> ServiceResult<PortalChat> {
        let text = crate::domain::conversation::turn_text(raw, "text")?;
        let (c, secret) = match existing {
            Some((id, secret)) => {
                let c = self.portal_conversation(id, &secret).await?;
                // The limit per sender, as for a new message of any channel.
                let c = self.conversation(ChatChannel::Portal, &c.sender, None).await?;
                if c.id != id {
                    return Err(ServiceError::NotFound("conversation (it has ended: start a new one)".into()));
                }
                (c, None)
            }
            None => {
                let mut bytes = [0u8; 24];
                rand::rng().fill_bytes(&mut bytes);
                let secret = hex::encode(bytes);
                // The portal's "sender" is the conversation's own random handle: nothing personal.
                let sender = format!("portal:{}", Uuid::now_v7());
                let c = self.conversation(ChatChannel::Portal, &sender, Some(&hash(&secret))).await?;
                (c, Some(secret))
            }
        };
        let mine = self.store.add_turn(c.id, Speaker::Citizen, &text, None, None, Utc::now()).await?;
        if c.state == ConversationState::Bot {
            self.answer_on_portal(tickets, &c, &text).await?;
        }
        let c = self.store.conversation(c.id).await?.unwrap_or(c);
        let turns = self.store.turns(c.id, mine.n - 1).await?;
        Ok(PortalChat { conversation: c.id, secret, state: c.state, turns })
    }

    async fn answer_on_portal(&self, tickets: &Tickets, c: &Conversation, text: &str) -> ServiceResult<()> {
        let found = location::find(text, Gazetteer::embedded());
        if let (Some(draft), Some(found)) = (&c.draft, &found) {
            let description = format!("{draft}\n{}", found.rest.as_deref().unwrap_or(""));
            return self.file_from_portal(tickets, c, description.trim(), found).await;
        }
        if let Some(reply) = self.booking_reply(c, text).await? {
            self.say(c, &reply).await?;
            return Ok(());
        }
        match self.decide(text, found.is_some(), Length::Full).await? {
            Decision::Answer(reply) => {
                self.say(c, &reply).await?;
            }
            Decision::HandOver { reply, reason } => {
                self.hand_over(c, &reason).await?;
                self.say(c, &reply).await?;
            }
            Decision::Report => match &found {
                Some(found) => self.file_from_portal(tickets, c, text, found).await?,
                None => {
                    self.store.set_draft(c.id, Some(text)).await?;
                    self.say(c, ASK_PLACE).await?;
                }
            },
        }
        Ok(())
    }

    async fn file_from_portal(
        &self,
        tickets: &Tickets,
        c: &Conversation,
        description: &str,
        found: &location::Found,
    ) -> ServiceResult<()> {
        let triage = self.categories.as_ref().and_then(|c| c.triage(description));
        let input = TicketInput {
            category: triage
                .as_ref()
                .map_or_else(|| crate::service::categorizer::TRIAGE.to_owned(), |t| t.category.to_string()),
            description: description.to_owned(),
            location: found.location,
            address: found.place.clone(),
            channel: None,
            priority: None,
            reporter: None,
            consent: None,
        };
        // One report per conversation turn, however often the page retries.
        let key = hex::encode(Sha256::digest(format!("chat:{}:{}", c.id, c.turns + 1).as_bytes()));
        let via =
            ChannelIntake { channel: Channel::Web, actor: "channel:portal-chat".into(), note: triage.map(|t| t.note) };
        match tickets.file_ticket(input, &Principal::Public, Some(&key), Default::default(), Some(via)).await {
            Ok(created) => {
                self.store.set_draft(c.id, None).await?;
                let code = created.view.ticket.code.0.clone();
                let link = answer::link(self.base(), &format!("/#track/{code}/{}", created.tracking_token));
                let reply = format!(
                    "Phản ánh của bạn đã được tiếp nhận, mã {code}. Theo dõi và đánh giá kết quả: {link}\n\
                     EN: Your report was received as {code}. Follow it at {link}"
                );
                self.say(c, &reply).await?;
                Ok(())
            }
            Err(ServiceError::Validation(v)) => {
                let reason = describe(&v);
                self.say(c, &format!("Chưa gửi được phản ánh: {reason}. EN: The report could not be filed: {reason}."))
                    .await?;
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

fn describe(v: &ValidationErrors) -> String {
    v.0.iter().map(|e| format!("{} ({})", e.field, e.message)).collect::<Vec<_>>().join("; ")
}
