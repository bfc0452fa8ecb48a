//! Chat and SMS intake: signed webhooks (`POST /webhooks/{zalo|messenger|sms}`, routed in
//! `src/http/webhooks.rs`) whose messages become tickets on their channel.
//!
//! - [`signature`]: HMAC-SHA256 over the raw body (and the platforms' own schemes), with a
//!   replay window, checked before the body is looked at.
//! - [`adapters`]: Zalo OA, Messenger and SMS gateway payloads → messages.
//! - [`location`]: a location in a message's text (`lat,lon` or a known place name).
//! - [`service`]: a message merged with what its sender said before; with a text and a
//!   location it is filed as a ticket (the sender is the reporter's contact), without, the
//!   sender is asked for the missing part through the notifier. See `docs/channels.md`.

pub mod adapters;
pub mod chatbot;
pub mod location;
pub mod pbx;
pub mod photos;
pub mod service;
pub use service::Channels;
pub mod signature;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::config::Secret;
use crate::domain::Medium;

/// Settings of the webhooks (`--webhook-secret-zalo`, … in [`crate::cli::serve::channels`]).
#[derive(Debug, Clone)]
pub struct ChannelSettings {
    /// The shared secret of each medium's webhook (Zalo: the OA secret key; Messenger: the app
    /// secret). A medium without one refuses every call (401). Also signs the notifier's
    /// webhook calls to that medium.
    pub secrets: BTreeMap<Medium, Secret>,
    /// The Zalo app id, part of Zalo's own `X-ZEvent-Signature` scheme.
    pub zalo_app_id: Option<String>,
    /// The token Messenger's subscription check (`GET /webhooks/messenger?hub.verify_token=…`)
    /// must present.
    pub messenger_verify_token: Option<Secret>,
    /// How far a signed timestamp may be from the server's clock (replay window), either way.
    pub tolerance: Duration,
    /// The category chat/SMS reports are filed under (the centre re-files them as needed).
    pub category: String,
    /// How long a sender's partial report (text without a location, or the reverse) waits for
    /// the missing part.
    pub draft_ttl: Duration,
    /// The chatbot that answers before a message is taken as a report.
    pub chatbot: chatbot::ChatbotSettings,
    /// The hosts images sent on Zalo or Messenger are fetched from (a host and its subdomains).
    pub photo_hosts: Vec<String>,
}

impl Default for ChannelSettings {
    fn default() -> Self {
        Self {
            secrets: BTreeMap::new(),
            zalo_app_id: None,
            messenger_verify_token: None,
            tolerance: Duration::from_secs(300),
            category: "other".into(),
            draft_ttl: Duration::from_secs(30 * 60),
            chatbot: chatbot::ChatbotSettings::default(),
            photo_hosts: photos::PLATFORM_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
        }
    }
}

impl ChannelSettings {
    pub fn secret(&self, medium: Medium) -> Option<&Secret> {
        self.secrets.get(&medium)
    }
}
