//! The command-line flags (and environment variables) of the webhooks, the notifier and the
//! limits, flattened into `switchboard serve`.

/// Chat/SMS webhooks, the notifier and the abuse limits (`docs/channels.md`).
#[derive(Debug, clap::Args)]
pub struct ChannelFlags {
    /// Secret of the Zalo OA webhook (the OA secret key); also signs notifications to Zalo.
    #[arg(long, env = "SWITCHBOARD_WEBHOOK_SECRET_ZALO", hide_env_values = true)]
    webhook_secret_zalo: Option<String>,
    /// Secret of the Messenger webhook (the app secret); also signs notifications to Messenger.
    #[arg(long, env = "SWITCHBOARD_WEBHOOK_SECRET_MESSENGER", hide_env_values = true)]
    webhook_secret_messenger: Option<String>,
    /// Secret of the SMS gateway webhook; also signs notifications to the gateway.
    #[arg(long, env = "SWITCHBOARD_WEBHOOK_SECRET_SMS", hide_env_values = true)]
    webhook_secret_sms: Option<String>,
    /// The Zalo app id (for Zalo's own X-ZEvent-Signature).
    #[arg(long, env = "SWITCHBOARD_ZALO_APP_ID")]
    zalo_app_id: Option<String>,
    /// The token Messenger's subscription check must present.
    #[arg(long, env = "SWITCHBOARD_MESSENGER_VERIFY_TOKEN", hide_env_values = true)]
    messenger_verify_token: Option<String>,
    /// Seconds a signed timestamp may be off the server's clock (replay window).
    #[arg(long, env = "SWITCHBOARD_WEBHOOK_TOLERANCE_SECS", default_value_t = 300)]
    webhook_tolerance_secs: u64,
    /// Category of tickets filed from chat/SMS.
    #[arg(long, env = "SWITCHBOARD_CHANNEL_CATEGORY", default_value = "other")]
    channel_category: String,
    /// Where notifications to Zalo users are POSTed (a gateway to the Zalo OA API).
    #[arg(long, env = "SWITCHBOARD_NOTIFY_URL_ZALO")]
    notify_url_zalo: Option<String>,
    /// Where notifications to Messenger users are POSTed.
    #[arg(long, env = "SWITCHBOARD_NOTIFY_URL_MESSENGER")]
    notify_url_messenger: Option<String>,
    /// Where SMS notifications are POSTed (the SMS gateway).
    #[arg(long, env = "SWITCHBOARD_NOTIFY_URL_SMS")]
    notify_url_sms: Option<String>,
    /// SMTP server for email notifications: smtp://user:pass@host:587?tls=required or smtps://….
    #[arg(long, env = "SWITCHBOARD_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// From address of email notifications.
    #[arg(long, env = "SWITCHBOARD_SMTP_FROM")]
    smtp_from: Option<String>,
    /// Key of the tracking tokens sent to chat, SMS and phone reporters in their first message
    /// (at least 32 characters). Every instance must have the same one; without it, each start
    /// draws a random key, and messages queued before a restart go out without their link.
    #[arg(long, env = "SWITCHBOARD_TRACKING_KEY", hide_env_values = true)]
    tracking_key: Option<String>,
    /// Delivery attempts before a notification is given up.
    #[arg(long, env = "SWITCHBOARD_NOTIFY_MAX_ATTEMPTS", default_value_t = 8)]
    notify_max_attempts: u32,
    /// Seconds before the first retry; doubled each time, at most an hour.
    #[arg(long, env = "SWITCHBOARD_NOTIFY_BACKOFF_SECS", default_value_t = 30)]
    notify_backoff_secs: u64,
    /// Units are warned this many working days before a ticket's deadline (0: no warning).
    #[arg(long, env = "SWITCHBOARD_WARN_DAYS", default_value_t = 1)]
    warn_days: u32,
    /// When each unit's daily digest of overdue and nearly-due tickets goes out on working
    /// days, Vietnam time (HH:MM).
    #[arg(long, env = "SWITCHBOARD_DIGEST_AT", default_value = "07:30")]
    digest_at: String,
    /// When the weekly report goes to subscribed leaders, Vietnam time: a weekday and HH:MM.
    #[arg(long, env = "SWITCHBOARD_REPORT_SCHEDULE", default_value = "fri 17:00")]
    report_schedule: String,
    /// Hours after its moment a weekly report missed while the server was down is still sent.
    #[arg(long, env = "SWITCHBOARD_REPORT_CATCH_UP_HOURS", default_value_t = 72)]
    report_catch_up_hours: u64,
    /// Public reports per client address: BURST,PER_HOUR.
    #[arg(long, env = "SWITCHBOARD_LIMIT_IP", default_value = "20,60")]
    limit_ip: String,
    /// Public reports per reporter phone number: BURST,PER_HOUR.
    #[arg(long, env = "SWITCHBOARD_LIMIT_PHONE", default_value = "10,30")]
    limit_phone: String,
    /// Webhook messages per sender: BURST,PER_HOUR.
    #[arg(long, env = "SWITCHBOARD_LIMIT_SENDER", default_value = "10,60")]
    limit_sender: String,
    /// Category suggestions asked by the public per client address: BURST,PER_HOUR.
    #[arg(long, env = "SWITCHBOARD_LIMIT_SUGGEST", default_value = "30,600")]
    limit_suggest: String,
    /// A categorizer model file (`switchboard train categorizer`) instead of the shipped one.
    #[arg(long, env = "SWITCHBOARD_CATEGORIZER_MODEL")]
    categorizer_model: Option<std::path::PathBuf>,
    /// Chat, SMS and Open311 reports under `other` take the best suggested category when its
    /// confidence is at least this (0–1); below, they stay in triage.
    #[arg(long, env = "SWITCHBOARD_CATEGORIZER_THRESHOLD", default_value_t = crate::service::categorizer::DEFAULT_THRESHOLD)]
    categorizer_threshold: f64,
    /// Messages to the portal's chatbot per client address: BURST,PER_HOUR.
    #[arg(long, env = "SWITCHBOARD_LIMIT_CHAT", default_value = "30,300")]
    limit_chat: String,
    /// Hosts images sent on Zalo or Messenger are fetched from (each with its subdomains;
    /// comma-separated). Default: the platforms' image hosts.
    #[arg(long, env = "SWITCHBOARD_CHANNEL_PHOTO_HOSTS", value_delimiter = ',')]
    channel_photo_hosts: Vec<String>,
    /// Secret of the phone system's webhook (`POST /webhooks/pbx`, `docs/pbx.md`), at least 16
    /// characters; without it the webhook refuses every call.
    #[arg(long, env = "SWITCHBOARD_PBX_SECRET", hide_env_values = true)]
    pbx_secret: Option<String>,
    /// Key callers' numbers are hashed with to find their history (at least 32 characters).
    /// Without it, a key made once and kept in the database is used.
    #[arg(long, env = "SWITCHBOARD_CALLER_KEY", hide_env_values = true)]
    caller_key: Option<String>,
    /// Minutes after a missed call its callback is due (and, by default, an inquiry's).
    #[arg(long, env = "SWITCHBOARD_CALLBACK_DUE_MINUTES", default_value_t = 120)]
    callback_due_minutes: u64,
    /// A reverse proxy whose X-Forwarded-For is believed (CIDR, repeatable or comma-separated).
    #[arg(long = "trusted-proxy", env = "SWITCHBOARD_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<String>,
}

impl ChannelFlags {
    /// The webhook settings.
    pub fn channels(&self) -> anyhow::Result<crate::intake::ChannelSettings> {
        use crate::config::Secret;
        use crate::domain::Medium;
        let mut secrets = std::collections::BTreeMap::new();
        for (m, s) in [
            (Medium::Zalo, &self.webhook_secret_zalo),
            (Medium::Messenger, &self.webhook_secret_messenger),
            (Medium::Sms, &self.webhook_secret_sms),
        ] {
            if let Some(s) = s.as_deref().filter(|s| !s.is_empty()) {
                anyhow::ensure!(s.len() >= 16, "the {m} webhook secret must be at least 16 characters");
                secrets.insert(m, Secret::new(s));
            }
        }
        anyhow::ensure!(self.webhook_tolerance_secs >= 1, "--webhook-tolerance-secs must be at least 1");
        Ok(crate::intake::ChannelSettings {
            secrets,
            zalo_app_id: self.zalo_app_id.clone(),
            messenger_verify_token: self.messenger_verify_token.clone().map(Secret::new),
            tolerance: std::time::Duration::from_secs(self.webhook_tolerance_secs),
            category: self.channel_category.clone(),
            photo_hosts: match self
                .channel_photo_hosts
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .collect::<Vec<_>>()
            {
                hosts if hosts.is_empty() => crate::intake::ChannelSettings::default().photo_hosts,
                hosts => hosts,
            },
            ..Default::default()
        })
    }

    /// The notifier's settings.
    pub fn notify(&self) -> anyhow::Result<crate::notify::NotifySettings> {
        use crate::domain::Medium;
        let urls = [
            (Medium::Zalo, &self.notify_url_zalo),
            (Medium::Messenger, &self.notify_url_messenger),
            (Medium::Sms, &self.notify_url_sms),
        ]
        .into_iter()
        .filter_map(|(m, u)| u.clone().filter(|u| !u.is_empty()).map(|u| (m, u)))
        .collect();
        let tracking_key = match self.tracking_key.as_deref().filter(|k| !k.is_empty()) {
            Some(k) => {
                anyhow::ensure!(k.len() >= 32, "--tracking-key must be at least 32 characters");
                crate::config::Secret::new(k)
            }
            None => crate::notify::NotifySettings::default().tracking_key,
        };
        Ok(crate::notify::NotifySettings {
            urls,
            tracking_key,
            smtp_url: self.smtp_url.clone().filter(|u| !u.is_empty()).map(crate::config::Secret::new),
            smtp_from: self.smtp_from.clone(),
            max_attempts: self.notify_max_attempts,
            backoff: std::time::Duration::from_secs(self.notify_backoff_secs),
            warn_days: self.warn_days,
            digest_at: crate::domain::schedule::parse_time(self.digest_at.trim())
                .map_err(|e| anyhow::anyhow!("--digest-at: {e}"))?,
            report_schedule: self.report_schedule.parse().map_err(|e| anyhow::anyhow!("--report-schedule: {e}"))?,
            report_catch_up: std::time::Duration::from_secs(self.report_catch_up_hours * 3600),
            ..Default::default()
        })
    }

    /// The rate limits and trusted proxies.
    pub fn limits(&self) -> anyhow::Result<crate::http::limits::LimitSettings> {
        use crate::http::limits::Rate;
        let rate = |flag: &str, v: &str| Rate::parse(v).map_err(|e| anyhow::anyhow!("--{flag} {v:?}: {e}"));
        let trusted_proxies = self
            .trusted_proxies
            .iter()
            .map(|c| {
                let c = c.trim();
                c.parse::<ipnet::IpNet>().or_else(|_| c.parse::<std::net::IpAddr>().map(ipnet::IpNet::from)).map_err(
                    |_| anyhow::anyhow!("--trusted-proxy {c:?}: expected a CIDR such as 10.0.0.0/8 or an address"),
                )
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(crate::http::limits::LimitSettings {
            ip: rate("limit-ip", &self.limit_ip)?,
            phone: rate("limit-phone", &self.limit_phone)?,
            sender: rate("limit-sender", &self.limit_sender)?,
            suggest: rate("limit-suggest", &self.limit_suggest)?,
            chat: rate("limit-chat", &self.limit_chat)?,
            trusted_proxies,
        })
    }

    /// The hotline desk's settings: the PBX webhook's secret, the callers' key, callbacks.
    pub fn desk(&self) -> anyhow::Result<crate::service::desk::DeskSettings> {
        use crate::config::Secret;
        let pbx_secret = self.pbx_secret.as_deref().filter(|s| !s.is_empty());
        if let Some(s) = pbx_secret {
            anyhow::ensure!(s.len() >= 16, "--pbx-secret must be at least 16 characters");
        }
        let caller_key = self.caller_key.as_deref().filter(|s| !s.is_empty());
        if let Some(k) = caller_key {
            anyhow::ensure!(k.len() >= 32, "--caller-key must be at least 32 characters");
        }
        anyhow::ensure!(
            (1..=7 * 24 * 60).contains(&self.callback_due_minutes),
            "--callback-due-minutes must be from 1 to 10080"
        );
        Ok(crate::service::desk::DeskSettings {
            pbx_secret: pbx_secret.map(Secret::new),
            caller_key: caller_key.map(Secret::new),
            callback_due: std::time::Duration::from_secs(self.callback_due_minutes * 60),
            tolerance: std::time::Duration::from_secs(self.webhook_tolerance_secs),
        })
    }

    /// The category suggester's model and threshold.
    pub fn categorizer(&self) -> crate::service::categorizer::CategorizerSettings {
        crate::service::categorizer::CategorizerSettings {
            model: self.categorizer_model.clone(),
            threshold: self.categorizer_threshold,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::domain::Medium;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        flags: ChannelFlags,
    }

    fn parse(args: &[&str]) -> ChannelFlags {
        Cli::try_parse_from(std::iter::once("serve").chain(args.iter().copied())).unwrap().flags
    }

    #[test]
    fn the_defaults_are_the_settings_defaults() {
        let f = parse(&[]);
        assert_eq!(f.limits().unwrap(), crate::http::limits::LimitSettings::default());
        let c = f.channels().unwrap();
        assert!(c.secrets.is_empty() && c.tolerance.as_secs() == 300 && c.category == "other");
        assert!(!f.notify().unwrap().delivers(Medium::Sms));
    }

    #[test]
    fn flags_become_settings_and_bad_ones_are_refused_by_name() {
        let f = parse(&[
            "--webhook-secret-sms",
            "a-long-enough-secret",
            "--notify-url-sms",
            "https://sms.example.vn/send",
            "--trusted-proxy",
            "10.0.0.0/8,192.0.2.7",
            "--limit-ip",
            "5,10",
        ]);
        assert!(f.channels().unwrap().secret(Medium::Sms).is_some());
        assert!(f.notify().unwrap().delivers(Medium::Sms));
        let l = f.limits().unwrap();
        assert_eq!(l.trusted_proxies.len(), 2);
        assert_eq!((l.ip.burst, l.ip.per_hour), (5, 10));
        let e = parse(&["--webhook-secret-zalo", "short"]).channels().unwrap_err();
        assert!(e.to_string().contains("zalo webhook secret must be at least 16"), "{e}");
        let e = parse(&["--limit-sender", "ten"]).limits().unwrap_err();
        assert!(e.to_string().contains("--limit-sender"), "{e}");
    }
}
