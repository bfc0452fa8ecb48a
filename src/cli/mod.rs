//! The `switchboard` command line: the clap structs of every subcommand and their dispatch.
//! `main.rs` only parses, starts tracing and calls [`run`].
//!
//! One file per command family: [`serve`] (the server and its flag groups), [`seed`] (the demo
//! data), [`camsim`] (synthetic camera feeds), [`import`] (reference data from GIS files),
//! [`accounts`] (`users`, `apikeys`), [`backup`] (`backup`, `restore`) and [`bench`] (load
//! tools). The flags shared by the
//! commands that open the store are [`Db`].

pub mod accounts;
pub mod backup;
pub mod bench;
pub mod camsim;
pub mod import;
pub mod seed;
pub mod serve;
pub mod train;

#[cfg(test)]
mod tests;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::app::Settings;
use crate::service::Services;

#[derive(Parser)]
#[command(name = "switchboard", version, about = "GIS operations centre for city citizen hotlines")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the server.
    Serve(Box<serve::ServeArgs>),
    /// Load the demo city and generate demo tickets.
    Seed(seed::SeedArgs),
    /// Serve synthetic camera feeds (MJPEG, snapshots, HLS) for the demo and tests.
    Camsim(camsim::CamsimArgs),
    /// Manage users.
    Users {
        #[command(subcommand)]
        command: accounts::UsersCommand,
    },
    /// Manage API keys for integrations.
    Apikeys {
        #[command(subcommand)]
        command: accounts::ApikeysCommand,
    },
    /// Import reference data.
    Import {
        #[command(subcommand)]
        command: import::ImportCommand,
    },
    /// Write a consistent copy of the store while the server runs (SQLite: VACUUM INTO;
    /// PostgreSQL: pg_dump).
    Backup(backup::BackupArgs),
    /// Put a backup back: into a new SQLite file or an empty PostgreSQL database.
    Restore(backup::RestoreArgs),
    /// Load tools run against a running server.
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
    /// Train models (the category suggester).
    Train {
        #[command(subcommand)]
        command: train::TrainCommand,
    },
}

/// Runs a parsed command line. An `Err` is a failure to report (`error: …`, exit 1); commands
/// that report their own failures (refused features, a refused user) return a failing code.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve::run(*args).await,
        Command::Seed(args) => seed::run(args).await,
        Command::Camsim(args) => camsim::run(args).await,
        Command::Users { command } => accounts::users(command).await,
        Command::Apikeys { command } => accounts::apikeys(command).await,
        Command::Import { command } => import::run(command).await,
        Command::Backup(args) => backup::backup(args).await,
        Command::Restore(args) => backup::restore(args).await,
        Command::Bench { command } => bench::run(command).await,
        Command::Train { command } => train::run(command).await,
    }
}

/// The store and the city: flags of every command that opens the store.
#[derive(Args, Clone)]
pub struct Db {
    /// postgres://… for PostGIS, sqlite:PATH for SQLite (default sqlite:./data/switchboard.db).
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Administrative levels from the top, comma-separated (e.g. `province,commune` for the
    /// 2025 two-tier system).
    #[arg(long, env = "SWITCHBOARD_AREA_LEVELS", global = true, default_value = "city,district,ward")]
    pub levels: String,
    /// Prefix of ticket codes (`DN` gives DN-2611-000123).
    #[arg(long, env = "SWITCHBOARD_CITY_CODE", global = true, default_value = "DN")]
    pub city_code: String,
}

impl Db {
    /// The default settings with this store, these levels and this city code.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let code = &self.city_code;
        anyhow::ensure!(
            (1..=8).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
            "--city-code must be 1-8 capital letters or digits (got {code:?})"
        );
        let levels: Vec<String> =
            self.levels.split(',').map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        anyhow::ensure!(!levels.is_empty(), "--levels must name at least one level");
        Ok(Settings {
            database_url: self.database_url.clone(),
            levels: crate::domain::area::Levels(levels),
            city_code: code.clone(),
            ..Settings::default()
        })
    }

    /// The services over the store, started with [`Db::settings`].
    pub async fn services(&self) -> anyhow::Result<Services> {
        let s = self.settings()?;
        let store = crate::store::open(s.database_url.as_deref()).await?;
        Services::start(store, &s.services()).await
    }
}

/// A service error as one line: a refused input names each field and its problem.
fn describe(e: crate::service::ServiceError) -> String {
    match e {
        crate::service::ServiceError::Validation(v) => {
            v.0.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

/// Prints each refused feature on stderr; the exit code fails when any was refused.
fn report_errors<E: std::fmt::Display>(errors: &[E]) -> ExitCode {
    for e in errors {
        eprintln!("{e}");
    }
    if errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
