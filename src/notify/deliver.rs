//! Delivery of one notification: an HTTP POST to the medium's gateway (chat/SMS) or an email
//! through SMTP. Errors say whether trying again may help.

use std::time::Duration;

use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::json;

use crate::domain::Medium;
use crate::intake::ChannelSettings;
use crate::intake::signature;
use crate::store::Notification;

/// Why a delivery failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Worth another attempt later (network error, timeout, 5xx, 429, a busy mail server).
    #[error("{0}")]
    Temporary(String),
    /// Will fail again (no route configured, a refused recipient, a 4xx).
    #[error("{0}")]
    Permanent(String),
}

/// Sends notifications; cheap to clone (the HTTP client and the SMTP pool are shared).
#[derive(Clone)]
pub struct Deliverer {
    http: reqwest::Client,
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Option<Mailbox>,
    settings: super::NotifySettings,
    /// The webhook secrets the calls are signed with.
    channels: ChannelSettings,
}

impl Deliverer {
    pub fn new(settings: &super::NotifySettings, channels: &ChannelSettings) -> anyhow::Result<Self> {
        let n = settings;
        let http = reqwest::Client::builder()
            .timeout(n.timeout)
            .user_agent(concat!("switchboard-notifier/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let smtp = match &n.smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(|e| anyhow::anyhow!("--smtp-url: {e}"))?
                    .timeout(Some(n.timeout))
                    .build(),
            ),
            None => None,
        };
        let from = match &n.smtp_from {
            Some(f) => Some(f.parse::<Mailbox>().map_err(|e| anyhow::anyhow!("--smtp-from {f:?}: {e}"))?),
            None => None,
        };
        Ok(Self { http, smtp, from, settings: settings.clone(), channels: channels.clone() })
    }

    /// One attempt.
    #[tracing::instrument(skip_all, fields(id = %n.id, medium = %n.medium, template = %n.template))]
    pub async fn deliver(&self, n: &Notification) -> Result<(), DeliveryError> {
        match n.medium {
            Medium::Email => self.email(n).await,
            m => self.webhook(m, n).await,
        }
    }

    async fn webhook(&self, medium: Medium, n: &Notification) -> Result<(), DeliveryError> {
        let url = self
            .settings
            .urls
            .get(&medium)
            .ok_or_else(|| DeliveryError::Permanent(format!("no notification URL is configured for {medium}")))?;
        let secret = self
            .channels
            .secret(medium)
            .ok_or_else(|| DeliveryError::Permanent(format!("no {medium} secret to sign the call with")))?;
        let p = &n.payload;
        let body = json!({
            "id": n.id,
            "channel": medium,
            "recipient": n.recipient,
            "template": n.template,
            "code": p["code"],
            "text": p["text"],
            "text_vi": p["text_vi"],
            "text_en": p["text_en"],
        });
        let body = serde_json::to_vec(&body).map_err(|e| DeliveryError::Permanent(e.to_string()))?;
        let header = signature::sign(secret.expose().as_bytes(), chrono::Utc::now().timestamp(), &body);
        let resp = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(signature::SWITCHBOARD_HEADER, header)
            .header("idempotency-key", n.id.to_string())
            .body(body)
            .send()
            .await
            .map_err(|e| DeliveryError::Temporary(format!("POST {url}: {e}")))?;
        let status = resp.status();
        if status.is_success() {
            return Ok(());
        }
        let what = format!("POST {url}: HTTP {status}");
        if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
            Err(DeliveryError::Temporary(what))
        } else {
            Err(DeliveryError::Permanent(what))
        }
    }

    async fn email(&self, n: &Notification) -> Result<(), DeliveryError> {
        let (Some(smtp), Some(from)) = (&self.smtp, &self.from) else {
            return Err(DeliveryError::Permanent("no SMTP server is configured".into()));
        };
        let to: Mailbox =
            n.recipient.parse().map_err(|e| DeliveryError::Permanent(format!("recipient address: {e}")))?;
        let text = n.payload["text"].as_str().unwrap_or_default().to_owned();
        let subject = n.payload["subject"].as_str().unwrap_or("[1022]").to_owned();
        let builder = Message::builder().from(from.clone()).to(to).subject(subject);
        let attachments = attachments(&n.payload)?;
        let message = if attachments.is_empty() {
            builder.header(ContentType::TEXT_PLAIN).body(text)
        } else {
            let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(text));
            for (name, content_type, bytes) in attachments {
                parts = parts.singlepart(Attachment::new(name).body(bytes, content_type));
            }
            builder.multipart(parts)
        }
        .map_err(|e| DeliveryError::Permanent(format!("building the email: {e}")))?;
        match smtp.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(DeliveryError::Permanent(format!("SMTP: {e}"))),
            Err(e) => Err(DeliveryError::Temporary(format!("SMTP: {e}"))),
        }
    }
}

/// The files a notification's payload carries (`attachments`: file name, content type and
/// base64 bytes), e.g. the Friday report's workbook.
fn attachments(payload: &serde_json::Value) -> Result<Vec<(String, ContentType, Vec<u8>)>, DeliveryError> {
    use base64::Engine;
    let Some(list) = payload["attachments"].as_array() else { return Ok(Vec::new()) };
    list.iter()
        .map(|a| {
            let bad = |what: &str| DeliveryError::Permanent(format!("attachment: {what}"));
            let name = a["filename"].as_str().ok_or_else(|| bad("no file name"))?.to_owned();
            let content_type = ContentType::parse(a["content_type"].as_str().unwrap_or("application/octet-stream"))
                .map_err(|_| bad("content type"))?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(a["base64"].as_str().ok_or_else(|| bad("no content"))?)
                .map_err(|_| bad("content is not base64"))?;
            Ok((name, content_type, bytes))
        })
        .collect()
}

/// The timeout of a whole batch of attempts run side by side, kept under the lease.
pub fn batch_timeout(timeout: Duration) -> Duration {
    timeout + Duration::from_secs(5)
}
