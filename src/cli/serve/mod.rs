//! `switchboard serve`: the server's flags, grouped by the part they configure, and their
//! conversion into [`Settings`].
//!
//! Groups: the live feed and the wall ([`LiveArgs`]), Open311 ([`Open311Args`]), photos
//! ([`media`]), webhooks, notifier and limits ([`channels`]), cameras ([`cameras`]) and vector
//! tiles ([`tiles`]).

pub mod cameras;
pub mod channels;
pub mod media;
pub mod tiles;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::Db;
use crate::app::Application;
use crate::app::Settings;
use crate::config::{Open311Config, WallConfig, WallRule};
use crate::live::HubConfig;

#[derive(Args)]
pub struct ServeArgs {
    #[arg(long, env = "SWITCHBOARD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Load the demo city and demo tickets into an empty store.
    #[arg(long)]
    pub demo: bool,
    /// How many demo tickets `--demo` generates.
    #[arg(long, default_value_t = 1500)]
    pub demo_tickets: usize,
    /// A holiday calendar (JSON) to use instead of the built-in Vietnamese one.
    #[arg(long, env = "SWITCHBOARD_HOLIDAYS")]
    pub holidays: Option<PathBuf>,
    /// Mark session cookies Secure (when served over HTTPS).
    #[arg(long, env = "SWITCHBOARD_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Weights of the satisfaction index's components (docs/metrics.md), any subset of
    /// "ratings=0.4,on_time=0.3,reopen=0.15,volume=0.15".
    #[arg(long, env = "SWITCHBOARD_SATISFACTION_WEIGHTS")]
    pub satisfaction_weights: Option<String>,
    #[command(flatten)]
    pub live: LiveArgs,
    #[command(flatten)]
    pub db: Db,
    #[command(flatten)]
    pub open311: Open311Args,
    #[command(flatten)]
    pub media: media::MediaArgs,
    #[command(flatten)]
    pub channels: channels::ChannelFlags,
    #[command(flatten)]
    pub cameras: cameras::CameraFlags,
    #[command(flatten)]
    pub tiles: tiles::TileFlags,
}

impl ServeArgs {
    /// The server's settings, each group's flags checked and converted by the group.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        Ok(Settings {
            listen: self.listen,
            demo: self.demo,
            demo_tickets: self.demo_tickets,
            holidays_file: self.holidays.clone(),
            secure_cookies: self.secure_cookies,
            satisfaction: match &self.satisfaction_weights {
                Some(w) => {
                    crate::analytics::Weights::parse(w).map_err(|e| anyhow::anyhow!("--satisfaction-weights: {e}"))?
                }
                None => crate::analytics::Weights::default(),
            },
            live: self.live.hub()?,
            wall: self.live.wall()?,
            open311: self.open311.config()?,
            media_dir: self.media.media_dir.clone(),
            media: self.media.limits()?,
            channels: {
                let mut c = self.channels.channels()?;
                c.chatbot.public_base_url = self.open311.public_url.clone();
                c
            },
            notify: self.channels.notify()?,
            limits: self.channels.limits()?,
            cameras: self.cameras.settings()?,
            tiles: self.tiles.settings()?,
            categorizer: self.channels.categorizer(),
            desk: self.channels.desk()?,
            ..self.db.settings()?
        })
    }
}

/// Runs the server until it is stopped (Ctrl-C or SIGTERM).
pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    // One descriptor per WebSocket: lift the soft limit (often 1024) to the hard one.
    match crate::limits::raise_open_files() {
        Ok((soft, _)) => tracing::info!(open_files = soft, "open-files limit"),
        Err(e) => tracing::warn!("cannot raise the open-files limit: {e}"),
    }
    let s = args.settings()?;
    Application::build(s).await?.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}

/// The live feed and the map wall (`docs/live-protocol.md`).
#[derive(Args)]
pub struct LiveArgs {
    /// Hours of events kept for clients resuming with `since`.
    #[arg(long, env = "SWITCHBOARD_LIVE_RETENTION_HOURS", default_value_t = 24)]
    pub live_retention_hours: u64,
    /// At most this many events kept for resuming, whatever their age.
    #[arg(long, env = "SWITCHBOARD_LIVE_RETAIN_EVENTS", default_value_t = 100_000)]
    pub live_retain_events: usize,
    /// Events a WebSocket client may fall behind before it is closed (4008) to resume.
    #[arg(long, env = "SWITCHBOARD_LIVE_QUEUE", default_value_t = 1024)]
    pub live_queue: usize,
    /// Threads of the WebSocket sessions' own runtime, at a lower priority than the request
    /// path (default: one per core; 0 runs the sessions beside the requests).
    #[arg(long, env = "SWITCHBOARD_LIVE_FANOUT_THREADS")]
    pub live_fanout_threads: Option<usize>,
    /// Milliseconds a WebSocket session lets events gather after a write before it writes them
    /// together (each wait drawn up to one and a half times this; a lone event goes out at
    /// once; 0: every event at once).
    #[arg(long, env = "SWITCHBOARD_LIVE_PACE_MS", default_value_t = 200)]
    pub live_pace_ms: u64,
    /// What colours areas on the wall.
    #[arg(long, env = "SWITCHBOARD_WALL_RULE", value_enum, default_value = "overdue-share")]
    pub wall_rule: WallRule,
    /// The rule's two thresholds, "warn,bad" (see docs/live-protocol.md).
    #[arg(long, env = "SWITCHBOARD_WALL_THRESHOLDS", default_value = "0.05,0.15")]
    pub wall_thresholds: String,
}

impl LiveArgs {
    /// What the live hub keeps for resume and how far a subscriber may fall behind.
    pub fn hub(&self) -> anyhow::Result<HubConfig> {
        anyhow::ensure!(self.live_queue >= 16, "--live-queue must be at least 16");
        anyhow::ensure!(self.live_retain_events >= 1, "--live-retain-events must be at least 1");
        anyhow::ensure!(self.live_pace_ms <= 5_000, "--live-pace-ms must be at most 5000");
        Ok(HubConfig {
            retain_events: self.live_retain_events,
            retain_for: std::time::Duration::from_secs(self.live_retention_hours * 3600),
            channel_capacity: self.live_queue,
            fanout_threads: self.live_fanout_threads.unwrap_or(HubConfig::default().fanout_threads),
            pace: std::time::Duration::from_millis(self.live_pace_ms),
        })
    }

    /// How the map wall colours areas.
    pub fn wall(&self) -> anyhow::Result<WallConfig> {
        let parts: Vec<f64> = self
            .wall_thresholds
            .split(',')
            .map(|x| x.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| anyhow::anyhow!("--wall-thresholds must be two numbers, e.g. 0.05,0.15"))?;
        let [a, b] = parts[..] else { anyhow::bail!("--wall-thresholds must be two numbers, e.g. 0.05,0.15") };
        WallConfig::new(self.wall_rule, [a, b]).map_err(|e| anyhow::anyhow!("--wall-thresholds: {e}"))
    }
}

/// Open311 GeoReport v2 at /open311/v2 (`docs/open311.md`).
#[derive(Args)]
pub struct Open311Args {
    /// The `jurisdiction_id` served (requests naming another get a 404).
    #[arg(long, env = "SWITCHBOARD_OPEN311_JURISDICTION", default_value = "danang.gov.vn")]
    pub open311_jurisdiction: String,
    /// The public URL of this server (e.g. https://1022.danang.gov.vn), for the endpoint URL in
    /// Open311 discovery; without it, the request's Host.
    #[arg(long, env = "SWITCHBOARD_PUBLIC_URL")]
    pub public_url: Option<String>,
}

impl Open311Args {
    /// The Open311 settings.
    pub fn config(&self) -> anyhow::Result<Open311Config> {
        let j = self.open311_jurisdiction.trim();
        anyhow::ensure!(
            !j.is_empty() && j.len() <= 253 && !j.contains(char::is_whitespace),
            "--open311-jurisdiction must be a domain such as danang.gov.vn"
        );
        if let Some(u) = &self.public_url {
            anyhow::ensure!(
                (u.starts_with("https://") || u.starts_with("http://")) && !u.contains(char::is_whitespace),
                "--public-url must be an http(s) URL such as https://1022.danang.gov.vn"
            );
        }
        Ok(Open311Config {
            jurisdiction_id: j.to_owned(),
            public_base_url: self.public_url.clone(),
            ..Default::default()
        })
    }
}
