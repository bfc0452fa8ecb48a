//! The `switchboard` command: parses the command line, starts tracing and hands over to
//! [`switchboard::cli`], where every subcommand's flags and dispatch live.

use clap::Parser;
use switchboard::app::init_tracing;
use switchboard::cli::{Cli, run};

/// mimalloc for every allocation, Rust's and (its `override` feature) the C code's. With glibc's
/// allocator, reading a million tickets from SQLite at start-up spent a quarter of its time in
/// `malloc`: sqlx copies every value on the connection's thread and frees it on the runtime's,
/// which glibc's per-thread arenas handle badly; mimalloc frees across threads cheaply.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let logs = init_tracing();
    let outcome = run(Cli::parse()).await;
    // The log lines still queued, before the error line below.
    drop(logs);
    match outcome {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
