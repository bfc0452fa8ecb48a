//! The command-line flags (and environment variables) of the cameras, flattened into
//! `switchboard serve` (`docs/cameras.md`).

use std::time::Duration;

use ipnet::IpNet;

use crate::cameras::{CameraLimits, CameraSettings};

/// Cameras: the SSRF allow-list, the proxy's limits, the health checker, camsim.
#[derive(Debug, Clone, clap::Args)]
pub struct CameraFlags {
    /// A network cameras may be reached at although it is loopback, private, link-local…
    /// (CIDR, e.g. 10.20.0.0/16 for the cameras' VLAN), or one ADDRESS:PORT (that port only);
    /// repeatable, or comma-separated in the environment variable.
    #[arg(long = "camera-allow", env = "SWITCHBOARD_CAMERA_ALLOW", value_delimiter = ',')]
    pub camera_allow: Vec<String>,
    /// Seconds between two health checks of every camera.
    #[arg(long, env = "SWITCHBOARD_CAMERA_CHECK_INTERVAL", default_value_t = 30.0)]
    pub camera_check_interval: f64,
    /// Seconds one health check may take.
    #[arg(long, env = "SWITCHBOARD_CAMERA_CHECK_TIMEOUT", default_value_t = 5.0)]
    pub camera_check_timeout: f64,
    /// Health checks in flight at once.
    #[arg(long, env = "SWITCHBOARD_CAMERA_CHECK_CONCURRENCY", default_value_t = 8)]
    pub camera_check_concurrency: usize,
    /// Camera streams (MJPEG, HLS segments) proxied at once; more get a 503.
    #[arg(long, env = "SWITCHBOARD_CAMERA_MAX_STREAMS", default_value_t = 64)]
    pub camera_max_streams: usize,
    /// Base URL of a running `switchboard camsim` for the demo cameras (with `--demo`).
    /// Without it, `--demo` starts camsim in-process on a free loopback port and allow-lists
    /// that one address.
    #[arg(long, env = "SWITCHBOARD_CAMSIM_URL")]
    pub camsim_url: Option<String>,
}

impl CameraFlags {
    /// The cameras' settings.
    pub fn settings(&self) -> anyhow::Result<CameraSettings> {
        let (mut allow, mut allow_sockets) = (Vec::new(), Vec::new());
        for s in self.camera_allow.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if let Ok(socket) = s.parse::<std::net::SocketAddr>() {
                allow_sockets.push(socket);
                continue;
            }
            allow.push(s.parse::<IpNet>().or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from)).map_err(
                |_| anyhow::anyhow!("--camera-allow {s:?}: give a network such as 10.20.0.0/16, or ADDRESS:PORT"),
            )?);
        }
        let secs = |name: &str, v: f64, min: f64| {
            anyhow::ensure!(v.is_finite() && v >= min && v <= 86_400.0, "--{name} must be {min} to 86400 seconds");
            Ok(Duration::from_secs_f64(v))
        };
        anyhow::ensure!(
            (1..=256).contains(&self.camera_check_concurrency),
            "--camera-check-concurrency must be 1 to 256"
        );
        anyhow::ensure!((1..=10_000).contains(&self.camera_max_streams), "--camera-max-streams must be 1 to 10000");
        if let Some(u) = &self.camsim_url {
            url::Url::parse(u)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| anyhow::anyhow!("--camsim-url must be an http(s) URL such as http://127.0.0.1:8554/"))?;
        }
        Ok(CameraSettings {
            allow,
            allow_sockets,
            limits: CameraLimits { max_streams: self.camera_max_streams, ..CameraLimits::default() },
            check_interval: secs("camera-check-interval", self.camera_check_interval, 0.1)?,
            check_timeout: secs("camera-check-timeout", self.camera_check_timeout, 0.1)?,
            check_concurrency: self.camera_check_concurrency,
            camsim_url: self.camsim_url.clone(),
        })
    }
}
