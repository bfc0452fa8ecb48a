//! Types of the chat/SMS intake and the notifier's outbox (the store methods are in
//! [`super::Store`], under "channels and notifications").

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::{Location, Medium, TicketId};

/// A message as a webhook adapter parsed it.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    pub medium: Medium,
    /// The platform's id of the message (unique per medium).
    pub message_id: String,
    /// Phone number or chat user id: personal data.
    pub sender: String,
    pub text: Option<String>,
    pub location: Option<Location>,
    pub received_at: DateTime<Utc>,
}

/// A message as stored. Once `complete`, `text` and `location` are the whole report (the
/// sender's earlier draft merged in); before, what this message carried.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelMessage {
    pub medium: Medium,
    pub message_id: String,
    pub sender: String,
    pub text: Option<String>,
    pub location: Option<Location>,
    /// Text and location together: enough to file a ticket.
    pub complete: bool,
    /// The ticket filed from it, once filed.
    pub ticket_id: Option<TicketId>,
    pub received_at: DateTime<Utc>,
}

/// What [`super::Store::accept_message`] did with a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Accepted {
    /// First time seen: recorded and merged with the sender's draft. When it is complete, the
    /// draft was consumed.
    New(ChannelMessage),
    /// This (medium, message id) was received before: as it was stored then.
    Seen(ChannelMessage),
}

/// A message to a citizen, to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNotification {
    /// One row per key, whoever enqueues it how often: e.g. `event:{seq}:{medium}:{recipient}`.
    pub dedup_key: String,
    pub ticket_id: Option<TicketId>,
    /// The event that caused it, if any.
    pub seq: Option<i64>,
    pub medium: Medium,
    /// Phone number, chat user id or email address: personal data.
    pub recipient: String,
    /// What kind of message: `created`, `resolved`, `ask_location`, ….
    pub template: String,
    /// The rendered message (`text_vi`, `text_en`, `subject`, `code`, …).
    pub payload: serde_json::Value,
}

/// A notification as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: Uuid,
    pub dedup_key: String,
    pub ticket_id: Option<TicketId>,
    pub seq: Option<i64>,
    pub medium: Medium,
    pub recipient: String,
    pub template: String,
    pub payload: serde_json::Value,
    /// Delivery attempts started (a claim counts as one).
    pub attempts: i32,
    /// When it is next due; `None` once sent or given up.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Notification {
    /// Neither sent nor to be tried again.
    pub fn gave_up(&self) -> bool {
        self.sent_at.is_none() && self.next_attempt_at.is_none()
    }
}

/// How a delivery attempt ended.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryOutcome {
    Sent {
        at: DateTime<Utc>,
    },
    /// Failed; due again at `at`.
    Retry {
        at: DateTime<Utc>,
        error: String,
    },
    /// Failed for good (a permanent error or the last attempt).
    GiveUp {
        error: String,
    },
}
