//! The demo's cameras: `geodata/danang/cameras.geojson`, 22 cameras at Đà Nẵng's bridges,
//! beaches, markets and main junctions, whose sources are camsim paths (`cam/3/mjpeg`,
//! `cam/8/snapshot.jpg`) resolved against the camsim in use.

use url::Url;

use crate::import::cameras::{CameraImportReport, import_cameras};
use crate::service::Cameras;

pub const CAMERAS_GEOJSON: &str = include_str!("../../geodata/danang/cameras.geojson");

/// How many cameras camsim must serve for the demo file.
pub const DEMO_CAMERAS: usize = 22;

/// Loads (or re-points) the demo cameras at `camsim` (e.g. `http://127.0.0.1:8554/`).
pub async fn load(cameras: &Cameras, camsim: &Url) -> anyhow::Result<CameraImportReport> {
    let report = import_cameras(cameras, CAMERAS_GEOJSON, Some(camsim)).await?;
    anyhow::ensure!(report.errors.is_empty(), "geodata/danang/cameras.geojson: {}", report.errors[0]);
    Ok(report)
}

/// The camsim the demo's cameras point at: `--camsim-url`, or a camsim started here on a free
/// loopback port. The camsim's address and port, when written as an address, are allow-listed
/// in `settings` (loopback is refused otherwise); no other port of that address is.
pub async fn demo_camsim(
    settings: &mut crate::cameras::CameraSettings,
) -> anyhow::Result<(Option<crate::camsim::Camsim>, Url)> {
    let (sim, url) = match &settings.camsim_url {
        Some(u) => (None, Url::parse(u)?),
        None => {
            let sim = crate::camsim::Camsim::start("127.0.0.1:0".parse()?, DEMO_CAMERAS).await?;
            let url = Url::parse(&sim.base_url())?;
            (Some(sim), url)
        }
    };
    let ip = match url.host() {
        Some(url::Host::Ipv4(a)) => Some(std::net::IpAddr::V4(a)),
        Some(url::Host::Ipv6(a)) => Some(std::net::IpAddr::V6(a)),
        _ => None,
    };
    if let Some(ip) = ip {
        let at = std::net::SocketAddr::new(ip, url.port_or_known_default().unwrap_or(80));
        tracing::info!(%at, "allow-listing the demo's camsim (that port only) for the camera proxy");
        settings.allow_sockets.push(at);
    }
    Ok((sim, url))
}
