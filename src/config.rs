//! Setting values that several layers share and that depend on nothing above the domain:
//! the city's rules ([`CitySettings`]), secrets ([`Secret`]), the map wall's colour rule and
//! Open311's endpoint settings. Each layer keeps its own settings type beside its code
//! (`http::HttpSettings`, `notify::NotifySettings`, …); `crate::app::Settings` composes them
//! all, filled from flags > environment > defaults by `crate::cli`.

use std::path::PathBuf;

use crate::domain::area::Levels;

/// The city's rules: what new tickets are numbered and given, and how its areas nest.
#[derive(Debug, Clone)]
pub struct CitySettings {
    /// Prefix of ticket codes (`DN` → `DN-2611-000123`).
    pub city_code: String,
    /// Administrative levels, top first.
    pub levels: Levels,
    /// Working days to settle a ticket when its category names none.
    pub default_deadline_days: u32,
    /// A holiday calendar file to use instead of the built-in Vietnamese one.
    pub holidays_file: Option<PathBuf>,
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
