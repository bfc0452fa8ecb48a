//! Cameras beyond the registry: the guarded HTTP [`client`] every camera request goes
//! through (SSRF defences), the address [`policy`], HLS playlist rewriting ([`hls`]), the
//! [`proxy`] operations behind `/api/v1/cameras/{code}/…`. Their command-line flags are in
//! `crate::cli::serve::cameras`; the health checker is a worker (`crate::workers::camera_health`).
//! Docs: `docs/cameras.md`.

pub mod client;
pub mod hls;
pub mod policy;
pub mod proxy;

use std::time::Duration;

use ipnet::IpNet;

pub use client::{CameraClient, CameraLimits, FetchError};
pub use policy::{AddressPolicy, Refusal};

/// Camera settings (`serve --camera-…`).
#[derive(Debug, Clone)]
pub struct CameraSettings {
    /// Networks cameras may be reached at although private, loopback, link-local…
    pub allow: Vec<IpNet>,
    /// Single sockets (address and port) allowed likewise: the demo's camsim.
    pub allow_sockets: Vec<std::net::SocketAddr>,
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
            allow_sockets: Vec::new(),
            limits: CameraLimits::default(),
            check_interval: Duration::from_secs(30),
            check_timeout: Duration::from_secs(5),
            check_concurrency: 8,
            camsim_url: None,
        }
    }
}
