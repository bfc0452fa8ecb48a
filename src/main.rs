//! The `switchboard` command: parses the command line, starts tracing and hands over to
//! [`switchboard::cli`], where every subcommand's flags and dispatch live.

use clap::Parser;
use switchboard::app::init_tracing;
use switchboard::cli::{Cli, run};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    init_tracing();
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
