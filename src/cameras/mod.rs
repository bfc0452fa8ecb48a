//! Cameras beyond the registry: the guarded HTTP [`client`] every camera request goes
//! through (SSRF defences), the address [`policy`], HLS playlist rewriting ([`hls`]), the
//! [`proxy`] operations behind `/api/v1/cameras/{code}/…` and the [`health`] checker. Their
//! command-line flags are in [`crate::cli::serve::cameras`]. Docs: `docs/cameras.md`.

pub mod client;
pub mod health;
pub mod hls;
pub mod policy;
pub mod proxy;

use std::time::Duration;

use ipnet::IpNet;
use tokio::task::JoinHandle;

pub use client::{CameraClient, CameraLimits, FetchError};
pub use policy::{AddressPolicy, Refusal};

use crate::service::Services;

/// Camera settings (`serve --camera-…`).
#[derive(Debug, Clone)]
pub struct CameraSettings {
    /// Networks cameras may be reached at although private, loopback, link-local…
    pub allow: Vec<IpNet>,
    pub limits: CameraLimits,
    /// How often every camera is checked.
    pub check_interval: Duration,
    /// How long one check may take.
    pub check_timeout: Duration,
    /// Checks in flight at once.
    pub check_concurrency: usize,
    /// Where camsim serves the demo cameras' feeds (`--camsim-url`); with `--demo` and none
    /// given, an in-process camsim is started on a free loopback port.
    pub camsim_url: Option<String>,
}

impl Default for CameraSettings {
    fn default() -> Self {
        Self {
            allow: Vec::new(),
            limits: CameraLimits::default(),
            check_interval: Duration::from_secs(30),
            check_timeout: Duration::from_secs(5),
            check_concurrency: 8,
            camsim_url: None,
        }
    }
}

/// The camera follower and the health checker, stopped when dropped.
pub struct CameraTasks {
    tasks: Vec<JoinHandle<()>>,
    /// The in-process camsim of `serve --demo`, if one was started.
    _camsim: Option<crate::camsim::Camsim>,
}

impl Drop for CameraTasks {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Starts the camera follower (from the last camera event committed now) and the health checker.
pub async fn start(services: &Services, camsim: Option<crate::camsim::Camsim>) -> anyhow::Result<CameraTasks> {
    let from = services.store.last_camera_seq().await?;
    let tasks = vec![crate::live::cameras::spawn(services, from), health::spawn(services)];
    Ok(CameraTasks { tasks, _camsim: camsim })
}
