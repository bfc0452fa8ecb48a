//! What happens to one webhook message: recorded once, merged with the sender's draft, filed
//! as a ticket when it has a text and a location, or answered with a request for the missing
//! part. Replies and the "received" message go through the notifier's outbox, so the webhook
//! call never waits for a delivery.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::adapters::Parsed;
use super::location;
use crate::domain::{EventKind, Ticket};
use crate::domain::{FieldError, Medium, Principal, ReporterContact, TicketCode, TicketId};
use crate::service::messages::{Context, Template, context, items};
use crate::service::survey::SurveyAnswer;
use crate::service::tickets::{ChannelIntake, TicketInput};
use std::collections::BTreeSet;
use std::sync::Arc;

use super::ChannelSettings;
use super::chatbot::ChannelTurn;
use crate::domain::conversation::ChatChannel;
use crate::service::{ServiceError, ServiceResult, Tickets};
use crate::store::{Accepted, ChannelMessage, InboundMessage, NewNotification, Store};

/// How long after the result's message a short reply is read as the survey's answer.
pub const SURVEY_DAYS: i64 = 14;

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A ticket was filed (or, for a redelivered message, had been filed) from it.
    Filed,
    /// Received before; nothing more was done.
    Duplicate,
    /// Not enough to file yet; the sender was asked for `missing`.
    Incomplete,
    /// Enough to file, but refused (e.g. the location is outside the city); the sender was told.
    Refused,
    /// The sender sent too many messages; not processed (a retry after `Retry-After` is).
    RateLimited,
    /// A reply to the survey of the sender's resolved report (`ticket`): recorded.
    Answered,
    /// A question the chatbot answered (from the procedures catalogue, or a report's status).
    Replied,
    /// Handed to a person: the conversation waits in the console's queue.
    HandedOver,
    /// Images for the sender's report filed a moment ago (`ticket`): kept, to be attached.
    PhotosAdded,
    /// The conversation is in an operator's hands: recorded for them.
    Held,
}

/// The answer for one message of a webhook call.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MessageResult {
    pub message_id: String,
    pub outcome: Outcome,
    /// The ticket's code, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub ticket: Option<TicketCode>,
    /// For `incomplete`: `location` and/or `description`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// For `refused`: why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl MessageResult {
    pub fn new(message_id: String, outcome: Outcome) -> Self {
        Self { message_id, outcome, ticket: None, missing: Vec::new(), errors: Vec::new() }
    }
}

/// The idempotency key of the ticket filed from a message: a digest of the message id, so
/// any id a platform uses makes a valid key.
fn ticket_key(message_id: &str) -> String {
    hex::encode(Sha256::digest(message_id.as_bytes()))
}

/// Chat and SMS intake: messages of the signed webhooks become tickets. Cheap to clone.
#[derive(Clone)]
pub struct Channels {
    tickets: Tickets,
    /// The inbound messages, drafts and the notification outbox.
    pub(super) store: Arc<dyn Store>,
    pub(super) settings: Arc<ChannelSettings>,
    /// The media the notifier can deliver on: only those get replies.
    delivered: Arc<BTreeSet<Medium>>,
    /// Messages under the channel category `other` are sorted by the suggester (or left in
    /// triage).
    categories: Option<crate::service::categorizer::Categories>,
    /// Answers questions and hands conversations over before a message is taken as a report.
    chatbot: super::chatbot::Chatbot,
    /// Where images sent on the platforms are attached (`None`: they are kept, not fetched).
    pub(super) photos: Option<crate::service::Photos>,
    /// The largest image fetched, in bytes (the upload limit).
    pub(super) photo_max_bytes: usize,
}

impl Channels {
    pub fn new(
        tickets: Tickets,
        store: Arc<dyn Store>,
        settings: ChannelSettings,
        delivered: BTreeSet<Medium>,
        procedures: crate::service::Procedures,
        open311: crate::service::Open311,
    ) -> Self {
        let chatbot = super::chatbot::Chatbot::new(store.clone(), procedures, open311, settings.chatbot.clone());
        Self {
            tickets,
            store,
            settings: Arc::new(settings),
            delivered: Arc::new(delivered),
            chatbot,
            categories: None,
            photos: None,
            photo_max_bytes: 0,
        }
    }

    /// Attaches the images citizens send on the platforms to their reports.
    pub fn with_photos(mut self, photos: crate::service::Photos) -> Self {
        self.photo_max_bytes = photos.media().limits().max_request_bytes;
        self.photos = Some(photos);
        self
    }

    /// Appointments are booked in the chat.
    pub fn with_appointments(mut self, appointments: crate::service::appointments::Appointments) -> Self {
        self.chatbot = self.chatbot.with_appointments(appointments);
        self
    }

    /// Messages filed under `other` are sorted by `categories` (or left in triage).
    pub fn with_categories(mut self, categories: crate::service::categorizer::Categories) -> Self {
        self.chatbot = self.chatbot.with_categories(categories.clone());
        self.categories = Some(categories);
        self
    }

    /// The chatbot (the portal's chat window and the console's conversations).
    pub fn chatbot(&self) -> &super::chatbot::Chatbot {
        &self.chatbot
    }

    /// A citizen's message in the portal's chat window.
    pub async fn portal_message(
        &self,
        existing: Option<(uuid::Uuid, String)>,
        text: &str,
    ) -> ServiceResult<super::chatbot::portal::PortalChat> {
        self.chatbot.portal_message(&self.tickets, existing, text).await
    }

    /// The webhooks' secrets, replay window and default category.
    pub fn settings(&self) -> &ChannelSettings {
        &self.settings
    }

    /// Handles one message whose signature has been checked.
    #[tracing::instrument(skip_all, fields(%medium))]
    pub async fn receive_message(&self, medium: Medium, msg: Parsed) -> ServiceResult<MessageResult> {
        if msg.location.is_none()
            && let Some(answer) = msg.text.as_deref().and_then(SurveyAnswer::from_reply)
            && let Some(ticket) = self.survey_waiting(medium, &msg.sender).await?
        {
            let outcome = match self.tickets.record_survey(&ticket, &answer).await {
                Ok(()) => Outcome::Answered,
                // Answered before (a redelivery, or a second reply): nothing more to do.
                Err(ServiceError::Conflict(_) | ServiceError::Transition(_)) => Outcome::Duplicate,
                Err(e) => return Err(e),
            };
            let mut r = MessageResult::new(msg.message_id, outcome);
            r.ticket = Some(ticket.code);
            return Ok(r);
        }
        // Images are kept with their message; they go to the report the sender files (or filed
        // a moment ago).
        if !msg.photos.is_empty() {
            let now = chrono::Utc::now();
            self.store.add_channel_photos(medium, &msg.message_id, &msg.sender, &msg.photos, now).await?;
            let since = now - chrono::Duration::from_std(self.settings.draft_ttl).unwrap_or_default();
            if msg.text.is_none()
                && msg.location.is_none()
                && let Some(ticket) = self.store.sender_ticket_since(medium, &msg.sender, since).await?
            {
                self.attach_pending_photos(medium, &msg.sender, ticket).await;
                let mut r = MessageResult::new(msg.message_id, Outcome::PhotosAdded);
                r.ticket = self.store.ticket(ticket).await?.map(|t| t.code);
                return Ok(r);
            }
        }
        let mut text = msg.text;
        let mut where_ = msg.location;
        if where_.is_none()
            && let Some(found) =
                text.as_deref().and_then(|t| location::find(t, crate::service::gazetteer::Gazetteer::embedded()))
        {
            where_ = Some(found.location);
            text = found.rest;
        }
        // A message in words goes to the chatbot first: a question is answered, a request for a
        // person handed over; a report (or a location alone) goes on to the intake below.
        if let (Some(words), Some(channel)) = (text.as_deref(), ChatChannel::of(medium)) {
            let outcome = match self
                .chatbot
                .on_channel_message(channel, &msg.sender, Some(&msg.message_id), words, where_.is_some())
                .await?
            {
                ChannelTurn::Report => None,
                ChannelTurn::Replied => Some(Outcome::Replied),
                ChannelTurn::HandedOver => Some(Outcome::HandedOver),
                ChannelTurn::Held => Some(Outcome::Held),
                ChannelTurn::Duplicate => Some(Outcome::Duplicate),
            };
            if let Some(outcome) = outcome {
                return Ok(MessageResult::new(msg.message_id, outcome));
            }
        }
        let now = chrono::Utc::now();
        let inbound = InboundMessage {
            medium,
            message_id: msg.message_id,
            sender: msg.sender,
            text,
            location: where_,
            received_at: now,
        };
        let since = now - chrono::Duration::from_std(self.settings.draft_ttl).unwrap_or_default();
        match self.store.accept_message(inbound, since).await? {
            Accepted::Seen(m) if m.complete && m.ticket_id.is_none() => self.file_message(m).await,
            Accepted::Seen(m) => {
                let mut r = MessageResult::new(m.message_id, Outcome::Duplicate);
                if let Some(id) = m.ticket_id {
                    r.ticket = self.store.ticket(id).await?.map(|t| t.code);
                }
                Ok(r)
            }
            Accepted::New(m) if m.complete => self.file_message(m).await,
            Accepted::New(m) => {
                let (template, missing) = if m.location.is_none() {
                    (Template::AskLocation, "location")
                } else {
                    (Template::AskDescription, "description")
                };
                self.reply(&m, template, &Context::default(), "ask").await?;
                let mut r = MessageResult::new(m.message_id, Outcome::Incomplete);
                r.missing.push(missing.into());
                Ok(r)
            }
        }
    }

    /// The sender's report whose result they were sent in the last [`SURVEY_DAYS`] days (the
    /// newest), which a short reply such as `5` or `0 vẫn còn` answers.
    async fn survey_waiting(&self, medium: Medium, sender: &str) -> ServiceResult<Option<Ticket>> {
        let since = chrono::Utc::now() - chrono::Duration::days(SURVEY_DAYS);
        let sent = self.store.recipient_notifications(medium, sender).await?;
        let Some(id) = sent
            .iter()
            .rev()
            .find(|n| n.template == Template::Resolved.name() && n.created_at >= since)
            .and_then(|n| n.ticket_id)
        else {
            return Ok(None);
        };
        Ok(self.store.ticket(id).await?)
    }

    /// Files the ticket of a complete message (again, for a redelivery after a crash: the
    /// idempotency key makes it the same ticket) and enqueues the "received" message.
    async fn file_message(&self, m: ChannelMessage) -> ServiceResult<MessageResult> {
        let (Some(description), Some(location)) = (m.text.clone(), m.location) else {
            return Err(ServiceError::Internal(anyhow::anyhow!("message {} is not complete", m.message_id)));
        };
        let reporter = (m.medium == Medium::Sms)
            .then(|| ReporterContact { phone: Some(m.sender.clone()), ..ReporterContact::default() });
        // Under the triage category, the suggester files the message where it belongs when
        // it is confident enough; the `created` event says so either way.
        let triage = match &self.categories {
            Some(c) if self.settings.category == crate::service::categorizer::TRIAGE => c.triage(&description),
            _ => None,
        };
        let input = TicketInput {
            category: triage.as_ref().map_or_else(|| self.settings.category.clone(), |t| t.category.to_string()),
            description,
            location,
            address: None,
            channel: None,
            priority: None,
            reporter,
            // The sender wrote to the centre on their own number or account.
            consent: None,
        };
        let via = ChannelIntake {
            channel: m.medium.channel(),
            actor: format!("channel:{}", m.medium),
            note: triage.map(|t| t.note),
        };
        let key = ticket_key(&m.message_id);
        let created = match self
            .tickets
            .file_ticket(input, &Principal::Public, Some(&key), Default::default(), Some(via))
            .await
        {
            Ok(c) => c,
            Err(ServiceError::Validation(v)) => {
                if v.0.iter().any(|e| e.field == "category") {
                    tracing::error!(category = %self.settings.category, "chat/SMS reports cannot be filed: the channel category is unknown");
                }
                let reasons: Vec<String> = v.0.iter().map(|e| e.field.clone()).collect();
                let ctx = Context { reasons, ..Context::default() };
                self.reply(&m, Template::Refused, &ctx, "refused").await?;
                let mut r = MessageResult::new(m.message_id, Outcome::Refused);
                r.errors = v.0;
                return Ok(r);
            }
            Err(e) => return Err(e),
        };
        let ticket = &created.view.ticket;
        self.store.link_message(m.medium, &m.message_id, ticket.id).await?;
        self.attach_pending_photos(m.medium, &m.sender, ticket.id).await;
        self.notify_created(ticket, &[(m.medium, m.sender.clone())]).await?;
        let mut r = MessageResult::new(m.message_id, Outcome::Filed);
        r.ticket = Some(ticket.code.clone());
        Ok(r)
    }

    /// Enqueues a reply about a message that filed no ticket (once per message and kind).
    async fn reply(&self, m: &ChannelMessage, template: Template, ctx: &Context, kind: &str) -> ServiceResult<()> {
        if !self.delivered.contains(&m.medium) {
            tracing::debug!(medium = %m.medium, "no delivery configured; the reply is not sent");
            return Ok(());
        }
        let item = NewNotification {
            dedup_key: format!("{kind}:{}:{}", m.medium, m.message_id),
            ticket_id: None::<TicketId>,
            seq: None,
            medium: m.medium,
            recipient: m.sender.clone(),
            template: template.name().into(),
            payload: template.render(ctx).payload(),
        };
        self.store.enqueue_notifications(&[item], chrono::Utc::now()).await?;
        Ok(())
    }

    /// Enqueues the "received" message of a just-filed `ticket` to `to` (the webhook's sender:
    /// the planner may have read the `created` event before the sender was linked). Same
    /// dedup key as the planner's, so it is enqueued once either way.
    async fn notify_created(&self, ticket: &Ticket, to: &[(Medium, String)]) -> ServiceResult<()> {
        let to: Vec<_> = to.iter().filter(|(m, _)| self.delivered.contains(m)).cloned().collect();
        if to.is_empty() {
            return Ok(());
        }
        let ctx = context(self.store.as_ref(), &self.tickets.reference(), ticket, None).await?;
        let list = items(Template::Created, &ctx, EventKind::Created, ticket, None, &to);
        self.store.enqueue_notifications(&list, chrono::Utc::now()).await?;
        Ok(())
    }
}
