//! Settings: command-line flags > environment > defaults.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::domain::area::Levels;

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
        }
    }
}
