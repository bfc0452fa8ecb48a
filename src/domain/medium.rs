//! How a message travels between a citizen and the centre outside the web: a chat app, SMS or
//! email. The webhooks receive on the first three; the notifier sends on all four.

use serde::{Deserialize, Serialize};

use super::Channel;

/// A messaging medium. Its wire name (`zalo`, `messenger`, `sms`, `email`) names the webhook
/// (`POST /webhooks/{medium}`), the settings (`SWITCHBOARD_WEBHOOK_SECRET_ZALO`, …) and the
/// `channel` column of the channel and notification tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Medium {
    /// Zalo Official Account chat.
    Zalo,
    /// Facebook Messenger (a page's inbox).
    Messenger,
    /// Text messages through an SMS gateway.
    Sms,
    /// Email (outgoing only).
    Email,
}

impl Medium {
    pub const ALL: [Medium; 4] = [Medium::Zalo, Medium::Messenger, Medium::Sms, Medium::Email];
    /// The media a webhook receives on.
    pub const INBOUND: [Medium; 3] = [Medium::Zalo, Medium::Messenger, Medium::Sms];

    pub fn as_str(self) -> &'static str {
        match self {
            Medium::Zalo => "zalo",
            Medium::Messenger => "messenger",
            Medium::Sms => "sms",
            Medium::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The ticket channel a report received on this medium is filed on.
    pub fn channel(self) -> Channel {
        match self {
            Medium::Zalo => Channel::Zalo,
            Medium::Messenger => Channel::Facebook,
            Medium::Sms => Channel::Sms,
            Medium::Email => Channel::Email,
        }
    }
}

impl std::fmt::Display for Medium {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_and_match_serde() {
        for m in Medium::ALL {
            assert_eq!(Medium::parse(m.as_str()), Some(m));
            assert_eq!(serde_json::to_value(m).unwrap(), m.as_str());
        }
        assert_eq!(Medium::parse("telegram"), None);
        assert_eq!(Medium::Messenger.channel(), Channel::Facebook);
    }
}
