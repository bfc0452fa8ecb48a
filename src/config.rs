//! Settings: command-line flags > environment > defaults.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::domain::area::Levels;
use crate::live::HubConfig;

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where to listen (`SWITCHBOARD_LISTEN`, default `127.0.0.1:8080`; port 0 picks a free one).
    pub listen: SocketAddr,
    /// `postgres://…` for PostGIS, `sqlite:PATH` for SQLite; `None` = `sqlite:./data/switchboard.db`.
    pub database_url: Option<String>,
    /// Load the demo city (and demo tickets) into an empty store at start-up.
    pub demo: bool,
    /// How many demo tickets `--demo` generates.
    pub demo_tickets: usize,
    /// Prefix of ticket codes (`DN` → `DN-2611-000123`).
    pub city_code: String,
    /// Administrative levels, top first.
    pub levels: Levels,
    /// Working days to settle a ticket when its category names none.
    pub default_deadline_days: u32,
    /// A holiday calendar file to use instead of the built-in Vietnamese one.
    pub holidays_file: Option<PathBuf>,
    /// Lifetime of a web session.
    pub session_ttl: Duration,
    /// Mark session cookies `Secure` (set behind HTTPS).
    pub secure_cookies: bool,
    /// Largest JSON request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// What the live hub keeps for resume and how far a subscriber may fall behind.
    pub live: HubConfig,
    /// How the map wall colours areas.
    pub wall: WallConfig,
    /// Open311 GeoReport v2 at `/open311/v2` (`docs/open311.md`).
    pub open311: Open311Config,
    /// Where photos are kept (`{sha256}.jpg`, `{sha256}.thumb.jpg`).
    pub media_dir: PathBuf,
    /// Limits on photo uploads.
    pub media: crate::media::MediaLimits,
    /// The chat/SMS webhooks: secrets, replay window, default category.
    pub channels: crate::intake::ChannelSettings,
    /// Where and how notifications to citizens are delivered.
    pub notify: crate::notify::NotifySettings,
    /// Rate limits on public submission and the trusted proxies.
    pub limits: crate::http::limits::LimitSettings,
    /// The camera proxy's allow-list and limits, the health checker, camsim (`docs/cameras.md`).
    pub cameras: crate::cameras::CameraSettings,
    /// Vector tiles: the PMTiles basemap and the tile cache's size.
    pub tiles: crate::service::tiles::TileSettings,
}

/// What colours an area on the map wall: a metric and two thresholds splitting it into
/// good / warn / bad (`docs/live-protocol.md`, "Wall configuration").
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct WallConfig {
    pub rule: WallRule,
    /// `[warn, bad]`: for a rule where higher is worse, `< warn` is good, `< bad` warn, else bad;
    /// for `on_time_rate` (higher is better), `>= warn` is good, `>= bad` warn, else bad.
    pub thresholds: [f64; 2],
}

impl Default for WallConfig {
    fn default() -> Self {
        Self { rule: WallRule::OverdueShare, thresholds: [0.05, 0.15] }
    }
}

/// The metric behind an area's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum WallRule {
    /// Share of the area's open tickets that are past their deadline (0–1; higher is worse).
    OverdueShare,
    /// Number of the area's open tickets past their deadline (higher is worse).
    OverdueCount,
    /// Share of the tickets resolved in the last 30 days that were resolved by their deadline
    /// (0–1; higher is better).
    OnTimeRate,
}

impl WallConfig {
    /// Checks that the thresholds are in order for the rule.
    pub fn new(rule: WallRule, thresholds: [f64; 2]) -> Result<Self, String> {
        let [a, b] = thresholds;
        if !(a.is_finite() && b.is_finite()) {
            return Err("thresholds must be numbers".into());
        }
        match rule {
            WallRule::OverdueShare | WallRule::OnTimeRate if !(0.0..=1.0).contains(&a) || !(0.0..=1.0).contains(&b) => {
                Err("thresholds of a rate are between 0 and 1".into())
            }
            WallRule::OnTimeRate if a < b => {
                Err("on_time_rate thresholds go down: good ≥ first ≥ warn ≥ second".into())
            }
            WallRule::OverdueShare | WallRule::OverdueCount if a > b => {
                Err("thresholds go up: good < first ≤ warn < second ≤ bad".into())
            }
            _ => Ok(Self { rule, thresholds }),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".parse().expect("valid default address"),
            database_url: None,
            demo: false,
            demo_tickets: 1500,
            city_code: "DN".into(),
            levels: Levels::default(),
            default_deadline_days: crate::domain::calendar::DEFAULT_DEADLINE_DAYS,
            holidays_file: None,
            session_ttl: Duration::from_secs(12 * 3600),
            secure_cookies: false,
            max_body_bytes: 64 * 1024,
            live: HubConfig::default(),
            wall: WallConfig::default(),
            media_dir: PathBuf::from("./data/media"),
            media: crate::media::MediaLimits::default(),
            channels: crate::intake::ChannelSettings::default(),
            notify: crate::notify::NotifySettings::default(),
            limits: crate::http::limits::LimitSettings::default(),
            open311: Open311Config::default(),
            cameras: crate::cameras::CameraSettings::default(),
            tiles: crate::service::tiles::TileSettings::default(),
        }
    }
}

/// Settings of the Open311 GeoReport v2 endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Open311Config {
    /// The one jurisdiction served (`jurisdiction_id`); requests naming another get a 404.
    pub jurisdiction_id: String,
    /// Public URL the server is reached at (e.g. `https://1022.danang.gov.vn`), for the endpoint
    /// URL in `discovery`; without it the request's `Host` (and `X-Forwarded-Proto`) is used.
    pub public_base_url: Option<String>,
    /// Whom to contact about the API (`discovery`'s `contact`).
    pub contact: String,
    /// How to get an API key (`discovery`'s `key_service`).
    pub key_service: String,
}

impl Default for Open311Config {
    fn default() -> Self {
        Self {
            jurisdiction_id: "danang.gov.vn".into(),
            public_base_url: None,
            contact: "Tổng đài 1022 — Trung tâm Giám sát, điều hành đô thị thông minh (IOC) / \
                      1022 citizen hotline — the city's operations centre"
                .into(),
            key_service: "Liên hệ Trung tâm IOC để được cấp khóa API (vai trò open311) / \
                          Ask the operations centre for an API key (role open311)"
                .into(),
        }
    }
}

/// A secret setting (webhook secret, SMTP URL with a password): shown as `***` in `Debug`
/// output, so settings can be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}
