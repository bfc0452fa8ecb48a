//! The notifier: tells citizens what became of their report, on the medium they used.
//!
//! - [`plan`]: follows the events outbox (like the live follower, from a cursor kept in the
//!   store) and enqueues one notification per (event, recipient) into the `notifications`
//!   table. Several instances may all do it: the dedup key makes the enqueue exactly-once.
//! - [`worker`]: claims due notifications (`FOR UPDATE SKIP LOCKED` on PostGIS, with a lease)
//!   and delivers them through [`deliver`]: an HTTP webhook per chat/SMS medium (signed like
//!   the incoming webhooks) or SMTP for email; failures are retried with exponential backoff
//!   up to a maximum number of attempts. At-least-once delivery; never in the request path.
//! - [`escalation`] and [`reports`]: messages to staff — warnings before a deadline, overdue
//!   notices to unit heads and area leaders, the daily digest, the Friday report — on SMS and
//!   email, through the same outbox and worker ([`staff`] picks the recipients).
//! - The messages, Vietnamese and English, are `crate::service::messages` (the intake's
//!   replies use them too).

pub mod deliver;
pub mod escalation;
pub mod plan;
pub mod reports;
pub mod staff;
pub mod tracking;
pub mod worker;

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::config::Secret;
use crate::domain::Medium;
use std::sync::Arc;

use crate::service::{Projection, ReferenceData};
use crate::store::Store;

/// Where and how notifications are delivered (`--notify-url-sms`, `--smtp-url`, … in
/// [`crate::cli::serve::channels`]). A medium with no delivery configured gets no notifications enqueued.
#[derive(Debug, Clone)]
pub struct NotifySettings {
    /// The HTTP endpoint for each chat/SMS medium (a gateway that relays to Zalo, Messenger or
    /// the SMS network). Calls are signed with the medium's webhook secret.
    pub urls: BTreeMap<Medium, String>,
    /// `smtp://user:pass@host:587?tls=required` or `smtps://…` (lettre's URL form).
    pub smtp_url: Option<Secret>,
    /// The From address of email, e.g. `Tổng đài 1022 <noreply@1022.danang.gov.vn>`.
    pub smtp_from: Option<String>,
    /// Attempts before a notification is given up.
    pub max_attempts: u32,
    /// Wait after the first failed attempt; doubled after each further one.
    pub backoff: Duration,
    /// The longest wait between attempts.
    pub max_backoff: Duration,
    /// How long a claimed notification is reserved for the instance delivering it.
    pub lease: Duration,
    /// Timeout of one delivery attempt.
    pub timeout: Duration,
    /// How often the worker looks for due notifications.
    pub poll: Duration,
    /// Events older than this are not notified (e.g. a history loaded into an empty store).
    pub max_event_age: Duration,
    /// The key tracking tokens of chat, SMS and phone reports are derived with
    /// ([`crate::domain::TrackingToken::derive`]); random unless configured.
    pub tracking_key: Secret,
    /// A unit is warned this many working days before a ticket's deadline (0: never).
    pub warn_days: u32,
    /// When the daily digest goes to each unit's staff on working days (Vietnam time).
    pub digest_at: chrono::NaiveTime,
    /// When the Friday report goes out (Vietnam time).
    pub report_schedule: crate::domain::WeeklySchedule,
    /// How long after its moment a report missed by a downtime is still sent.
    pub report_catch_up: Duration,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self {
            urls: BTreeMap::new(),
            smtp_url: None,
            smtp_from: None,
            max_attempts: 8,
            backoff: Duration::from_secs(30),
            max_backoff: Duration::from_secs(3600),
            lease: Duration::from_secs(120),
            timeout: Duration::from_secs(10),
            poll: Duration::from_secs(1),
            max_event_age: Duration::from_secs(24 * 3600),
            tracking_key: Secret::new(crate::domain::TrackingToken::generate().0),
            warn_days: 1,
            digest_at: chrono::NaiveTime::from_hms_opt(7, 30, 0).expect("07:30"),
            report_schedule: crate::domain::WeeklySchedule::default(),
            report_catch_up: Duration::from_secs(3 * 24 * 3600),
        }
    }
}

impl NotifySettings {
    /// Whether notifications on `medium` can be delivered.
    pub fn delivers(&self, medium: Medium) -> bool {
        match medium {
            Medium::Email => self.smtp_url.is_some() && self.smtp_from.is_some(),
            m => self.urls.contains_key(&m),
        }
    }

    /// Every medium notifications can be delivered on.
    pub fn delivered_media(&self) -> std::collections::BTreeSet<Medium> {
        Medium::ALL.into_iter().filter(|m| self.delivers(*m)).collect()
    }

    /// The wait before attempt `attempts + 1`, after `attempts` failed ones (≥ 1).
    pub fn backoff_after(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(30));
        self.backoff.saturating_mul(factor).min(self.max_backoff)
    }

    /// Refuses settings that cannot work: a webhook URL without a secret to sign with, an
    /// SMTP URL without a From address.
    pub fn check(&self, channels: &crate::intake::ChannelSettings) -> anyhow::Result<()> {
        for (m, url) in &self.urls {
            anyhow::ensure!(
                channels.secret(*m).is_some(),
                "a notification URL for {m} ({url}) needs the {m} webhook secret to sign its calls"
            );
            anyhow::ensure!(
                url.starts_with("http://") || url.starts_with("https://"),
                "the {m} notification URL must be http(s)://"
            );
        }
        anyhow::ensure!(self.smtp_url.is_none() || self.smtp_from.is_some(), "--smtp-url needs --smtp-from");
        anyhow::ensure!(self.max_attempts >= 1, "notifications need at least one attempt");
        Ok(())
    }
}

/// What the notifier's tasks share: the store (its outbox and cursor), the settings, the
/// reference data (unit names in messages) and the portal's address (tracking links).
#[derive(Clone)]
pub struct Notifier {
    pub store: Arc<dyn Store>,
    pub settings: Arc<NotifySettings>,
    pub reference: ReferenceData,
    /// The portal's public address, for tracking links (`--public-url`).
    pub public_base_url: Option<String>,
}

/// Starts the planner (following what this instance applies) and the delivery worker (see
/// [`crate::workers`], which owns the tasks). Refuses settings that cannot work.
pub fn spawn(
    notifier: &Notifier,
    channels: &crate::intake::ChannelSettings,
    projection: &Projection,
    tickets: &crate::service::Tickets,
    reports: &crate::service::Reports,
) -> anyhow::Result<Vec<JoinHandle<()>>> {
    notifier.settings.check(channels)?;
    let deliverer = deliver::Deliverer::new(&notifier.settings, channels)?;
    Ok(vec![
        plan::spawn(notifier, projection),
        worker::spawn(notifier, deliverer),
        escalation::spawn(notifier, tickets, tickets.calendar()),
        reports::spawn(notifier, reports),
    ])
}
