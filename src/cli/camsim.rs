//! `switchboard camsim`: synthetic camera feeds for the demo and the tests.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Args;

#[derive(Args)]
pub struct CamsimArgs {
    #[arg(long, default_value = "127.0.0.1:8554")]
    pub listen: SocketAddr,
    /// How many cameras (/cam/1 … /cam/N).
    #[arg(long, default_value_t = 24)]
    pub cameras: usize,
}

/// Serves the feeds until stopped.
pub async fn run(args: CamsimArgs) -> anyhow::Result<ExitCode> {
    let CamsimArgs { listen, cameras } = args;
    let sim = crate::camsim::Camsim::start(listen, cameras).await?;
    println!("camsim: {cameras} cameras at {}cam/N/mjpeg (snapshot.jpg, index.m3u8)", sim.base_url());
    sim.run_until_stopped().await?;
    Ok(ExitCode::SUCCESS)
}
