//! `switchboard users` and `switchboard apikeys`: accounts managed from the shell.

use std::process::ExitCode;

use clap::Subcommand;

use super::{Db, describe};
use crate::service::auth::NewUserInput;

#[derive(Subcommand)]
pub enum UsersCommand {
    /// Add a user; the password comes from SWITCHBOARD_PASSWORD or a prompt.
    Add {
        name: String,
        /// admin, operator, leader, agency, open311 or clerk.
        #[arg(long)]
        role: String,
        /// Area a leader sees (repeatable).
        #[arg(long = "area")]
        areas: Vec<String>,
        /// Unit an agency user works for (repeatable).
        #[arg(long = "unit")]
        units: Vec<String>,
        /// Office a clerk works at (repeatable).
        #[arg(long = "office")]
        offices: Vec<String>,
        #[arg(long)]
        display_name: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// List users.
    List {
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Subcommand)]
pub enum ApikeysCommand {
    /// Create a key and print it (it is shown only once).
    Create {
        name: String,
        /// admin, operator or open311.
        #[arg(long)]
        role: String,
        #[command(flatten)]
        db: Db,
    },
}

/// `users add` (a refused user is reported, exit 1) and `users list` (tab-separated).
pub async fn users(command: UsersCommand) -> anyhow::Result<ExitCode> {
    match command {
        UsersCommand::Add { name, role, areas, units, offices, display_name, db } => {
            let password = match std::env::var("SWITCHBOARD_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let p = rpassword::prompt_password(format!("Password for {name}: "))?;
                    let again = rpassword::prompt_password("Again: ")?;
                    anyhow::ensure!(p == again, "the passwords differ");
                    p
                }
            };
            let svc = db.services().await?;
            let input = NewUserInput { name, display_name, role, password, areas, units, offices };
            match svc.accounts.add_user(input).await {
                Ok(u) => println!("added {} ({})", u.name, u.role.as_str()),
                Err(e) => {
                    eprintln!("error: {}", describe(e));
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        UsersCommand::List { db } => {
            let svc = db.services().await?;
            for u in svc.accounts.users().await? {
                let scope: Vec<String> =
                    u.areas.iter().map(|a| a.to_string()).chain(u.units.iter().map(|x| x.to_string())).collect();
                println!("{}\t{}\t{}\t{}", u.name, u.role.as_str(), u.display_name, scope.join(","));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `apikeys create`: prints the new key's secret (a refused key is reported, exit 1).
pub async fn apikeys(command: ApikeysCommand) -> anyhow::Result<ExitCode> {
    let ApikeysCommand::Create { name, role, db } = command;
    let svc = db.services().await?;
    match svc.accounts.create_api_key(&name, &role).await {
        Ok((_, secret)) => println!("{secret}"),
        Err(e) => {
            eprintln!("error: {}", describe(e));
            return Ok(ExitCode::FAILURE);
        }
    }
    Ok(ExitCode::SUCCESS)
}
