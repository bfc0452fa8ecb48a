//! `switchboard bench`: load tools run against a running server (`bench live`, `bench tiles`).

use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Open N live WebSocket clients, file M tickets/s, and report delivery and latency.
    Live(BenchLive),
    /// File N tickets as fast as C requests in flight allow, and report tickets/s.
    Ingest(BenchIngest),
    /// Request every tile of a box at some zooms, cold then warm, and report tiles/s and latency.
    Tiles(BenchTiles),
    /// Top-1/top-3 accuracy of the category suggester on a held-out set, and the share a
    /// threshold sends to triage (runs locally, no server).
    Categorizer(super::train::BenchCategorizer),
    /// MRR@5 and recall@5 of the procedures search on a labelled set of questions, beside
    /// PostgreSQL's full-text search (unaccent) on the same texts (runs locally, no server).
    Search(BenchSearch),
    /// N people book the same morning of an office's service at once (a booking window opening),
    /// and report bookings/s, latency and that no slot was overbooked.
    Booking(BenchBooking),
}

#[derive(Args)]
pub struct BenchBooking {
    /// The server's base URL (plain HTTP).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    #[arg(long, default_value = "DN-HCC")]
    pub office: String,
    #[arg(long, default_value = "dat-dai")]
    pub service: String,
    /// People pressing "book" at the same moment.
    #[arg(long, default_value_t = 1000)]
    pub people: usize,
    /// Slots each person tries (the day's first ones, in order) before giving up.
    #[arg(long, default_value_t = 3)]
    pub tries: usize,
    #[command(flatten)]
    pub staff: Staff,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct BenchSearch {
    #[arg(long, default_value = "geodata/procedures/danang-demo.json")]
    pub catalogue: std::path::PathBuf,
    #[arg(long, default_value = "geodata/procedures/questions.json")]
    pub questions: std::path::PathBuf,
    /// PostgreSQL to run the same questions through (skipped without one).
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct BenchTiles {
    /// Tile URL template, e.g. http://127.0.0.1:8080/tiles/tickets/{z}/{x}/{y} (any XYZ server).
    #[arg(long)]
    pub url: String,
    /// The box whose tiles are requested: west,south,east,north (degrees).
    #[arg(long, default_value = "108.10,15.98,108.30,16.12")]
    pub bbox: String,
    /// Zooms, comma-separated.
    #[arg(long, default_value = "10,12,14")]
    pub zooms: String,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Seconds of the warm pass.
    #[arg(long, default_value_t = 15.0)]
    pub duration: f64,
    /// Extra request header, "Name: value" (repeatable), e.g. "Authorization: Bearer KEY".
    #[arg(long = "header")]
    pub headers: Vec<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Who a load tool acts as: a staff user (admin or operator see every event) or an API key.
#[derive(Args)]
pub struct Staff {
    /// Staff user to sign in as.
    #[arg(long, default_value = "operator", conflicts_with = "api_key")]
    pub user: String,
    /// The user's password (default: the demo accounts' password).
    #[arg(long, env = "SWITCHBOARD_PASSWORD", default_value = "switchboard-demo", hide_env_values = true)]
    pub password: String,
    /// An admin or operator API key, instead of a user.
    #[arg(long, env = "SWITCHBOARD_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
}

impl From<Staff> for crate::bench::live::Credentials {
    fn from(s: Staff) -> Self {
        match s.api_key {
            Some(key) => Self::ApiKey(key),
            None => Self::User { name: s.user, password: s.password },
        }
    }
}

#[derive(Args)]
pub struct BenchIngest {
    /// The server's base URL (plain HTTP).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Tickets to file.
    #[arg(long, default_value_t = 5000)]
    pub tickets: u64,
    /// Single POSTs in flight at once.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Tickets per `POST /api/v1/tickets/batch` in the second pass (0 skips it).
    #[arg(long, default_value_t = 100)]
    pub batch_size: usize,
    /// Batch requests in flight at once.
    #[arg(long, default_value_t = 4)]
    pub batch_concurrency: usize,
    /// Marks the run's tickets in their description (default: a fresh id).
    #[arg(long)]
    pub run_id: Option<String>,
    #[command(flatten)]
    pub staff: Staff,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct BenchLive {
    /// The server's base URL (plain HTTP, on this machine: latency uses this machine's clock).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// WebSocket clients to open.
    #[arg(long, default_value_t = 1000)]
    pub clients: usize,
    /// Tickets filed per second.
    #[arg(long, default_value_t = 20.0)]
    pub rate: f64,
    /// Seconds of filing that are measured.
    #[arg(long, default_value_t = 30.0)]
    pub duration: f64,
    /// Seconds of filing before measuring starts.
    #[arg(long, default_value_t = 5.0)]
    pub warmup: f64,
    #[command(flatten)]
    pub staff: Staff,
    /// WebSocket handshakes in flight at once while connecting.
    #[arg(long, default_value_t = 64)]
    pub connect_concurrency: usize,
    /// Seconds to wait after the last ticket for every event to reach every client.
    #[arg(long, default_value_t = 60.0)]
    pub drain_timeout: f64,
    /// Run the viewers at the normal priority. By default they run on threads the kernel
    /// runs only when nothing else wants the CPU: they stand for screens on other machines,
    /// and their CPU here would otherwise be taken from the server being measured.
    #[arg(long)]
    pub viewers_normal: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs one load tool and prints its report.
pub async fn run(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Live(b) => live(b).await,
        BenchCommand::Ingest(b) => ingest(b).await,
        BenchCommand::Tiles(b) => tiles(b).await,
        BenchCommand::Categorizer(b) => super::train::bench(b).await,
        BenchCommand::Search(b) => search(b).await,
        BenchCommand::Booking(b) => booking(b).await,
    }
}

/// Exits 2 when a ticket failed.
async fn ingest(b: BenchIngest) -> anyhow::Result<ExitCode> {
    let cfg = crate::bench::ingest::IngestBench {
        url: b.url,
        credentials: b.staff.into(),
        tickets: b.tickets,
        concurrency: b.concurrency,
        batch_size: b.batch_size,
        batch_concurrency: b.batch_concurrency,
        run_id: b.run_id.unwrap_or_else(|| uuid::Uuid::now_v7().simple().to_string()),
    };
    let report = crate::bench::ingest::run(&cfg).await?;
    if b.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{report}");
    }
    Ok(if report.is_clean() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}

/// Exits 2 when the run was not clean (a client or ticket failed, an event went missing…).
async fn live(b: BenchLive) -> anyhow::Result<ExitCode> {
    use crate::bench::live::LiveBench;
    let secs = |name: &str, v: f64| {
        anyhow::ensure!(v.is_finite() && v >= 0.0, "--{name} must be a number of seconds");
        Ok(Duration::from_secs_f64(v))
    };
    let cfg = LiveBench {
        url: b.url,
        credentials: b.staff.into(),
        clients: b.clients,
        rate: b.rate,
        duration: secs("duration", b.duration)?,
        warmup: secs("warmup", b.warmup)?,
        connect_concurrency: b.connect_concurrency,
        drain_timeout: secs("drain-timeout", b.drain_timeout)?,
        idle_viewers: !b.viewers_normal,
    };
    let report = crate::bench::live::run(&cfg).await?;
    if b.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("{report}");
    }
    Ok(if report.is_clean() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}

async fn tiles(b: BenchTiles) -> anyhow::Result<ExitCode> {
    let bbox: Vec<f64> = b.bbox.split(',').map(|v| v.trim().parse::<f64>()).collect::<Result<_, _>>()?;
    let [w, s, e, n] = bbox[..] else { anyhow::bail!("--bbox must be west,south,east,north") };
    let zooms = b.zooms.split(',').map(|z| z.trim().parse::<u8>()).collect::<Result<Vec<_>, _>>()?;
    let headers = b
        .headers
        .iter()
        .map(|h| h.split_once(':').map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| anyhow::anyhow!("--header must be \"Name: value\""))?;
    anyhow::ensure!(b.duration.is_finite() && b.duration > 0.0, "--duration must be a positive number of seconds");
    let cfg = crate::bench::tiles::TileBench {
        template: b.url,
        bbox: [w, s, e, n],
        zooms,
        concurrency: b.concurrency,
        duration: Duration::from_secs_f64(b.duration),
        headers,
    };
    let report = crate::bench::tiles::run(&cfg).await?;
    if b.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{report}");
    }
    Ok(ExitCode::SUCCESS)
}

async fn booking(b: BenchBooking) -> anyhow::Result<ExitCode> {
    let cfg = crate::bench::booking::BookingBench {
        url: b.url,
        office: b.office,
        service: b.service,
        people: b.people,
        tries: b.tries,
        credentials: b.staff.into(),
    };
    let report = crate::bench::booking::run(&cfg).await?;
    if b.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{report}");
    }
    Ok(if report.is_clean() { ExitCode::SUCCESS } else { ExitCode::from(2) })
}

async fn search(b: BenchSearch) -> anyhow::Result<ExitCode> {
    use crate::bench::search as s;
    let catalogue = std::fs::read(&b.catalogue).map_err(|e| anyhow::anyhow!("{}: {e}", b.catalogue.display()))?;
    let procedures =
        crate::service::procedures::parse::parse(&catalogue, crate::service::procedures::parse::Format::Json)
            .map_err(|e| anyhow::anyhow!("{}: {e}", b.catalogue.display()))?;
    let questions: Vec<s::Question> = serde_json::from_slice(
        &std::fs::read(&b.questions).map_err(|e| anyhow::anyhow!("{}: {e}", b.questions.display()))?,
    )?;
    let (engine, build_ms) = s::engine(&procedures, &questions)?;
    let mut reports = vec![engine];
    if let Some(url) = b.database_url.as_deref().filter(|u| u.starts_with("postgres")) {
        reports.push(s::postgres(url, &procedures, &questions).await?);
    }
    if b.json {
        println!(
            "{}",
            serde_json::json!({"procedures": procedures.len(), "questions": questions.len(), "build_ms": build_ms, "engines": reports})
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} procedures (index built in {build_ms:.1} ms), {} questions", procedures.len(), questions.len());
    for r in &reports {
        println!(
            "{:32} MRR@5 {:.3} recall@5 {:.3} | with diacritics ({}) {:.3} / {:.3} | without ({}) {:.3} / {:.3} | p50 {:.2} ms p99 {:.2} ms",
            r.engine,
            r.all.mrr5,
            r.all.recall5,
            r.with_diacritics.questions,
            r.with_diacritics.mrr5,
            r.with_diacritics.recall5,
            r.without_diacritics.questions,
            r.without_diacritics.mrr5,
            r.without_diacritics.recall5,
            r.p50_ms,
            r.p99_ms
        );
    }
    Ok(ExitCode::SUCCESS)
}
