//! `switchboard seed --demo`: the demo city and demo tickets (and cameras) into a store.

use std::process::ExitCode;

use clap::Args;

use super::Db;
use crate::service::Services;

#[derive(Args)]
pub struct SeedArgs {
    /// Load the demo city of Đà Nẵng (areas, categories, units, routing rules).
    #[arg(long, required = true)]
    pub demo: bool,
    /// How many tickets to generate.
    #[arg(long, default_value_t = 1500)]
    pub tickets: usize,
    /// Random seed, for reproducible data.
    #[arg(long, default_value_t = 1022)]
    pub seed: u64,
    /// Where the demo cameras' feeds are: a `switchboard camsim` to run beside the server.
    #[arg(long, env = "SWITCHBOARD_CAMSIM_URL", default_value = "http://127.0.0.1:8554/")]
    pub camsim_url: String,
    #[command(flatten)]
    pub db: Db,
}

/// Seeds the demo city and tickets, then the demo cameras pointing at camsim.
pub async fn run(args: SeedArgs) -> anyhow::Result<ExitCode> {
    let SeedArgs { demo: _, tickets, seed, camsim_url, db } = args;
    let s = db.settings()?;
    let store = crate::store::open(s.database_url.as_deref()).await?;
    let report = crate::demo::seed::seed(store.as_ref(), &s.city(), tickets, seed).await?;
    println!("{report}");
    let camsim = url::Url::parse(&camsim_url).map_err(|e| anyhow::anyhow!("--camsim-url: {e}"))?;
    let svc = Services::start(store, &s.services()).await?;
    let cams = crate::demo::cameras::load(&svc.cameras, &camsim).await?;
    println!("{} demo cameras at {camsim}", cams.imported);
    Ok(ExitCode::SUCCESS)
}
