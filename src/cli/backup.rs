//! `switchboard backup` and `switchboard restore`: a consistent copy of either store while the
//! server runs, and putting one back (`store::backup`; `docs/OPERATIONS.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::store::DEFAULT_DATABASE_URL;
use crate::store::backup::{self, Contents};

#[derive(Args)]
pub struct BackupArgs {
    /// The file to write (never overwritten): an SQLite database for sqlite:…, a pg_dump
    /// custom-format archive for postgres://….
    pub out: PathBuf,
    /// postgres://… for PostGIS, sqlite:PATH for SQLite (default sqlite:./data/switchboard.db).
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// A file written by `switchboard backup`.
    pub backup: PathBuf,
    /// Where to restore: an SQLite file that does not exist yet, or an empty PostgreSQL database.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Replace an existing SQLite database (no server may have it open).
    #[arg(long)]
    pub replace: bool,
}

fn describe(c: &Contents) -> String {
    format!("{} tickets, events up to seq {}", c.tickets, c.last_seq)
}

pub async fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let url = args.database_url.as_deref().unwrap_or(DEFAULT_DATABASE_URL);
    let report = backup::backup(url, &args.out).await?;
    let held = report.contents.as_ref().map(|c| format!(", integrity ok, {}", describe(c))).unwrap_or_default();
    println!("backup written to {} ({} bytes{held})", report.path.display(), report.bytes);
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let url = args.database_url.as_deref().unwrap_or(DEFAULT_DATABASE_URL);
    let found = backup::restore(&args.backup, url, args.replace).await?;
    println!("restored {}: {}", args.backup.display(), describe(&found));
    Ok(ExitCode::SUCCESS)
}
