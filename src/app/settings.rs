//! The server's settings: every layer's own settings, composed (command-line flags >
//! environment > defaults, filled by `crate::cli`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::{CitySettings, Open311Config, WallConfig};
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
    /// The weights of the satisfaction index's components.
    pub satisfaction: crate::analytics::Weights,
    /// The category suggester: a model file instead of the shipped one, and the threshold.
    pub categorizer: crate::service::categorizer::CategorizerSettings,
    /// The hotline desk: the PBX webhook's secret, the callers' key, callbacks.
    pub desk: crate::service::desk::DeskSettings,
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
            satisfaction: crate::analytics::Weights::default(),
            categorizer: crate::service::categorizer::CategorizerSettings::default(),
            desk: crate::service::desk::DeskSettings::default(),
        }
    }
}

impl Settings {
    /// The city's rules.
    pub fn city(&self) -> CitySettings {
        CitySettings {
            city_code: self.city_code.clone(),
            levels: self.levels.clone(),
            default_deadline_days: self.default_deadline_days,
            holidays_file: self.holidays_file.clone(),
        }
    }

    /// What the services are started with.
    pub fn services(&self) -> crate::service::ServiceSettings {
        crate::service::ServiceSettings {
            city: self.city(),
            tracking_key: self.notify.tracking_key.clone(),
            session_ttl: self.session_ttl,
            live: self.live.clone(),
            media_dir: self.media_dir.clone(),
            media: self.media.clone(),
            cameras: self.cameras.clone(),
            tiles: self.tiles.clone(),
            open311: self.open311.clone(),
            satisfaction: self.satisfaction,
            report_schedule: self.notify.report_schedule,
            categorizer: self.categorizer.clone(),
            desk: self.desk.clone(),
            notify_media: self.notify.delivered_media(),
        }
    }
}
