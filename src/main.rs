//! The `switchboard` command: a thin CLI over the library.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use switchboard::app::Settings;
use switchboard::app::{Application, init_tracing};
use switchboard::config::{WallConfig, WallRule};
use switchboard::live::HubConfig;
use switchboard::service::Services;
use switchboard::service::auth::NewUserInput;

#[derive(Parser)]
#[command(name = "switchboard", version, about = "GIS operations centre for city citizen hotlines")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Db {
    /// postgres://… for PostGIS, sqlite:PATH for SQLite (default sqlite:./data/switchboard.db).
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Administrative levels from the top, comma-separated (e.g. `province,commune` for the
    /// 2025 two-tier system).
    #[arg(long, env = "SWITCHBOARD_AREA_LEVELS", global = true, default_value = "city,district,ward")]
    levels: String,
    /// Prefix of ticket codes (`DN` gives DN-2611-000123).
    #[arg(long, env = "SWITCHBOARD_CITY_CODE", global = true, default_value = "DN")]
    city_code: String,
}

/// The live feed and the map wall (`docs/live-protocol.md`).
#[derive(Args)]
struct LiveArgs {
    /// Hours of events kept for clients resuming with `since`.
    #[arg(long, env = "SWITCHBOARD_LIVE_RETENTION_HOURS", default_value_t = 24)]
    live_retention_hours: u64,
    /// At most this many events kept for resuming, whatever their age.
    #[arg(long, env = "SWITCHBOARD_LIVE_RETAIN_EVENTS", default_value_t = 100_000)]
    live_retain_events: usize,
    /// Events a WebSocket client may fall behind before it is closed (4008) to resume.
    #[arg(long, env = "SWITCHBOARD_LIVE_QUEUE", default_value_t = 1024)]
    live_queue: usize,
    /// What colours areas on the wall.
    #[arg(long, env = "SWITCHBOARD_WALL_RULE", value_enum, default_value = "overdue-share")]
    wall_rule: WallRule,
    /// The rule's two thresholds, "warn,bad" (see docs/live-protocol.md).
    #[arg(long, env = "SWITCHBOARD_WALL_THRESHOLDS", default_value = "0.05,0.15")]
    wall_thresholds: String,
}

impl LiveArgs {
    fn hub(&self) -> anyhow::Result<HubConfig> {
        anyhow::ensure!(self.live_queue >= 16, "--live-queue must be at least 16");
        anyhow::ensure!(self.live_retain_events >= 1, "--live-retain-events must be at least 1");
        Ok(HubConfig {
            retain_events: self.live_retain_events,
            retain_for: std::time::Duration::from_secs(self.live_retention_hours * 3600),
            channel_capacity: self.live_queue,
        })
    }

    fn wall(&self) -> anyhow::Result<WallConfig> {
        let parts: Vec<f64> = self
            .wall_thresholds
            .split(',')
            .map(|x| x.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| anyhow::anyhow!("--wall-thresholds must be two numbers, e.g. 0.05,0.15"))?;
        let [a, b] = parts[..] else { anyhow::bail!("--wall-thresholds must be two numbers, e.g. 0.05,0.15") };
        WallConfig::new(self.wall_rule, [a, b]).map_err(|e| anyhow::anyhow!("--wall-thresholds: {e}"))
    }
}

/// Open311 GeoReport v2 at /open311/v2 (`docs/open311.md`).
#[derive(Args)]
struct Open311Args {
    /// The `jurisdiction_id` served (requests naming another get a 404).
    #[arg(long, env = "SWITCHBOARD_OPEN311_JURISDICTION", default_value = "danang.gov.vn")]
    open311_jurisdiction: String,
    /// The public URL of this server (e.g. https://1022.danang.gov.vn), for the endpoint URL in
    /// Open311 discovery; without it, the request's Host.
    #[arg(long, env = "SWITCHBOARD_PUBLIC_URL")]
    public_url: Option<String>,
}

impl Open311Args {
    fn config(&self) -> anyhow::Result<switchboard::config::Open311Config> {
        let j = self.open311_jurisdiction.trim();
        anyhow::ensure!(
            !j.is_empty() && j.len() <= 253 && !j.contains(char::is_whitespace),
            "--open311-jurisdiction must be a domain such as danang.gov.vn"
        );
        if let Some(u) = &self.public_url {
            anyhow::ensure!(
                (u.starts_with("https://") || u.starts_with("http://")) && !u.contains(char::is_whitespace),
                "--public-url must be an http(s) URL such as https://1022.danang.gov.vn"
            );
        }
        Ok(switchboard::config::Open311Config {
            jurisdiction_id: j.to_owned(),
            public_base_url: self.public_url.clone(),
            ..Default::default()
        })
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        #[arg(long, env = "SWITCHBOARD_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Load the demo city and demo tickets into an empty store.
        #[arg(long)]
        demo: bool,
        /// How many demo tickets `--demo` generates.
        #[arg(long, default_value_t = 1500)]
        demo_tickets: usize,
        /// A holiday calendar (JSON) to use instead of the built-in Vietnamese one.
        #[arg(long, env = "SWITCHBOARD_HOLIDAYS")]
        holidays: Option<PathBuf>,
        /// Mark session cookies Secure (when served over HTTPS).
        #[arg(long, env = "SWITCHBOARD_SECURE_COOKIES")]
        secure_cookies: bool,
        #[command(flatten)]
        live: LiveArgs,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        open311: Open311Args,
        #[command(flatten)]
        media: MediaArgs,
        #[command(flatten)]
        channels: Box<switchboard::intake::flags::ChannelFlags>,
        #[command(flatten)]
        cameras: switchboard::cameras::flags::CameraFlags,
        #[command(flatten)]
        tiles: switchboard::service::tiles::flags::TileFlags,
    },
    /// Load the demo city and generate demo tickets.
    Seed {
        /// Load the demo city of Đà Nẵng (areas, categories, units, routing rules).
        #[arg(long, required = true)]
        demo: bool,
        /// How many tickets to generate.
        #[arg(long, default_value_t = 1500)]
        tickets: usize,
        /// Random seed, for reproducible data.
        #[arg(long, default_value_t = 1022)]
        seed: u64,
        /// Where the demo cameras' feeds are: a `switchboard camsim` to run beside the server.
        #[arg(long, env = "SWITCHBOARD_CAMSIM_URL", default_value = "http://127.0.0.1:8554/")]
        camsim_url: String,
        #[command(flatten)]
        db: Db,
    },
    /// Serve synthetic camera feeds (MJPEG, snapshots, HLS) for the demo and tests.
    Camsim {
        #[arg(long, default_value = "127.0.0.1:8554")]
        listen: SocketAddr,
        /// How many cameras (/cam/1 … /cam/N).
        #[arg(long, default_value_t = 24)]
        cameras: usize,
    },
    /// Manage users.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Manage API keys for integrations.
    Apikeys {
        #[command(subcommand)]
        command: ApikeysCommand,
    },
    /// Import reference data.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Load tools run against a running server.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Open N live WebSocket clients, file M tickets/s, and report delivery and latency.
    Live(BenchLive),
    /// Request every tile of a box at some zooms, cold then warm, and report tiles/s and latency.
    Tiles(BenchTiles),
}

#[derive(Args)]
struct BenchTiles {
    /// Tile URL template, e.g. http://127.0.0.1:8080/tiles/tickets/{z}/{x}/{y} (any XYZ server).
    #[arg(long)]
    url: String,
    /// The box whose tiles are requested: west,south,east,north (degrees).
    #[arg(long, default_value = "108.10,15.98,108.30,16.12")]
    bbox: String,
    /// Zooms, comma-separated.
    #[arg(long, default_value = "10,12,14")]
    zooms: String,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Seconds of the warm pass.
    #[arg(long, default_value_t = 15.0)]
    duration: f64,
    /// Extra request header, "Name: value" (repeatable), e.g. "Authorization: Bearer KEY".
    #[arg(long = "header")]
    headers: Vec<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct BenchLive {
    /// The server's base URL (plain HTTP, on this machine: latency uses this machine's clock).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// WebSocket clients to open.
    #[arg(long, default_value_t = 1000)]
    clients: usize,
    /// Tickets filed per second.
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    /// Seconds of filing that are measured.
    #[arg(long, default_value_t = 30.0)]
    duration: f64,
    /// Seconds of filing before measuring starts.
    #[arg(long, default_value_t = 5.0)]
    warmup: f64,
    /// Staff user to sign in as (admin or operator see every event).
    #[arg(long, default_value = "operator", conflicts_with = "api_key")]
    user: String,
    /// The user's password (default: the demo accounts' password).
    #[arg(long, env = "SWITCHBOARD_PASSWORD", default_value = "switchboard-demo", hide_env_values = true)]
    password: String,
    /// An admin or operator API key, instead of a user.
    #[arg(long, env = "SWITCHBOARD_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// WebSocket handshakes in flight at once while connecting.
    #[arg(long, default_value_t = 64)]
    connect_concurrency: usize,
    /// Seconds to wait after the last ticket for every event to reach every client.
    #[arg(long, default_value_t = 60.0)]
    drain_timeout: f64,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Add a user; the password comes from SWITCHBOARD_PASSWORD or a prompt.
    Add {
        name: String,
        /// admin, operator, leader, agency or open311.
        #[arg(long)]
        role: String,
        /// Area a leader sees (repeatable).
        #[arg(long = "area")]
        areas: Vec<String>,
        /// Unit an agency user works for (repeatable).
        #[arg(long = "unit")]
        units: Vec<String>,
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
enum ApikeysCommand {
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

#[derive(Subcommand)]
enum ImportCommand {
    /// Import administrative boundaries from a GeoJSON FeatureCollection.
    Areas {
        file: PathBuf,
        /// The level of these areas (e.g. district, ward, commune).
        #[arg(long)]
        level: String,
        /// Property holding the area code.
        #[arg(long)]
        code_field: String,
        /// Property holding the (Vietnamese) name.
        #[arg(long)]
        name_field: String,
        /// Property holding the English / unaccented name.
        #[arg(long)]
        name_en_field: Option<String>,
        /// Property holding the parent area's code.
        #[arg(long)]
        parent_field: Option<String>,
        /// Prefix added to codes (and parent codes), e.g. `VN-`.
        #[arg(long)]
        code_prefix: Option<String>,
        /// The boundaries apply from this RFC 3339 instant (default: now).
        #[arg(long)]
        valid_from: Option<String>,
        #[command(flatten)]
        db: Db,
    },
    /// Import (replace) a planning layer's zones from GeoJSON, a Shapefile (.shp) or a GeoPackage (.gpkg).
    Planning {
        file: PathBuf,
        #[command(flatten)]
        flags: switchboard::import::PlanningFlags,
        #[command(flatten)]
        db: Db,
    },
    /// Import cameras from a GeoJSON FeatureCollection of points (docs/cameras.md).
    Cameras {
        file: PathBuf,
        /// Base URL that relative `source` properties are resolved against.
        #[arg(long)]
        source_base: Option<String>,
        #[command(flatten)]
        db: Db,
    },
}

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

fn settings(db: &Db) -> anyhow::Result<Settings> {
    let code = &db.city_code;
    anyhow::ensure!(
        (1..=8).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
        "--city-code must be 1-8 capital letters or digits (got {code:?})"
    );
    let levels: Vec<String> =
        db.levels.split(',').map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    anyhow::ensure!(!levels.is_empty(), "--levels must name at least one level");
    Ok(Settings {
        database_url: db.database_url.clone(),
        levels: switchboard::domain::area::Levels(levels),
        city_code: code.clone(),
        ..Settings::default()
    })
}

async fn services(db: &Db) -> anyhow::Result<Services> {
    let s = settings(db)?;
    let store = switchboard::store::open(s.database_url.as_deref()).await?;
    Services::start(store, &s.services()).await
}

async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    use std::process::ExitCode;
    match cli.command {
        Command::Serve {
            listen,
            demo,
            demo_tickets,
            holidays,
            secure_cookies,
            live,
            db,
            open311,
            media,
            channels,
            cameras,
            tiles,
        } => {
            // One descriptor per WebSocket: lift the soft limit (often 1024) to the hard one.
            match switchboard::limits::raise_open_files() {
                Ok((soft, _)) => tracing::info!(open_files = soft, "open-files limit"),
                Err(e) => tracing::warn!("cannot raise the open-files limit: {e}"),
            }
            let s = Settings {
                listen,
                demo,
                demo_tickets,
                holidays_file: holidays,
                secure_cookies,
                live: live.hub()?,
                wall: live.wall()?,
                open311: open311.config()?,
                media_dir: media.media_dir.clone(),
                media: media.limits()?,
                channels: channels.channels()?,
                notify: channels.notify()?,
                limits: channels.limits()?,
                cameras: cameras.settings()?,
                tiles: tiles.settings()?,
                ..settings(&db)?
            };
            Application::build(s).await?.run_until_stopped().await?;
        }
        Command::Seed { demo: _, tickets, seed, camsim_url, db } => {
            let s = settings(&db)?;
            let store = switchboard::store::open(s.database_url.as_deref()).await?;
            let report = switchboard::demo::seed::seed(store.as_ref(), &s.city(), tickets, seed).await?;
            println!("{report}");
            let camsim = url::Url::parse(&camsim_url).map_err(|e| anyhow::anyhow!("--camsim-url: {e}"))?;
            let svc = Services::start(store, &s.services()).await?;
            let cams = switchboard::demo::cameras::load(&svc.cameras, &camsim).await?;
            println!("{} demo cameras at {camsim}", cams.imported);
        }
        Command::Camsim { listen, cameras } => {
            let sim = switchboard::camsim::Camsim::start(listen, cameras).await?;
            println!("camsim: {cameras} cameras at {}cam/N/mjpeg (snapshot.jpg, index.m3u8)", sim.base_url());
            sim.run_until_stopped().await?;
        }
        Command::Import { command: ImportCommand::Cameras { file, source_base, db } } => {
            let base = source_base
                .map(|b| url::Url::parse(&b).map_err(|e| anyhow::anyhow!("--source-base: {e}")))
                .transpose()?;
            let text =
                std::fs::read_to_string(&file).map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?;
            let svc = services(&db).await?;
            let report = switchboard::import::cameras::import_cameras(&svc.cameras, &text, base.as_ref()).await?;
            for e in &report.errors {
                eprintln!("{e}");
            }
            println!("imported {} cameras, {} features refused", report.imported, report.errors.len());
            if !report.errors.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Users { command: UsersCommand::Add { name, role, areas, units, display_name, db } } => {
            let password = match std::env::var("SWITCHBOARD_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let p = rpassword::prompt_password(format!("Password for {name}: "))?;
                    let again = rpassword::prompt_password("Again: ")?;
                    anyhow::ensure!(p == again, "the passwords differ");
                    p
                }
            };
            let svc = services(&db).await?;
            let input = NewUserInput { name, display_name, role, password, areas, units };
            match svc.accounts.add_user(input).await {
                Ok(u) => println!("added {} ({})", u.name, u.role.as_str()),
                Err(e) => {
                    eprintln!("error: {}", describe(e));
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        Command::Users { command: UsersCommand::List { db } } => {
            let svc = services(&db).await?;
            for u in svc.accounts.users().await? {
                let scope: Vec<String> =
                    u.areas.iter().map(|a| a.to_string()).chain(u.units.iter().map(|x| x.to_string())).collect();
                println!("{}\t{}\t{}\t{}", u.name, u.role.as_str(), u.display_name, scope.join(","));
            }
        }
        Command::Apikeys { command: ApikeysCommand::Create { name, role, db } } => {
            let svc = services(&db).await?;
            match svc.accounts.create_api_key(&name, &role).await {
                Ok((_, secret)) => println!("{secret}"),
                Err(e) => {
                    eprintln!("error: {}", describe(e));
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        Command::Import {
            command:
                ImportCommand::Areas {
                    file,
                    level,
                    code_field,
                    name_field,
                    name_en_field,
                    parent_field,
                    code_prefix,
                    valid_from,
                    db,
                },
        } => {
            let valid_from = match valid_from {
                Some(v) => chrono::DateTime::parse_from_rfc3339(&v)
                    .map_err(|e| anyhow::anyhow!("--valid-from: {e}"))?
                    .with_timezone(&chrono::Utc),
                None => chrono::Utc::now(),
            };
            let s = settings(&db)?;
            let store = switchboard::store::open(s.database_url.as_deref()).await?;
            let opts = switchboard::import::areas::ImportAreasOptions {
                level,
                code_field,
                name_field,
                name_en_field,
                parent_field,
                valid_from,
                code_prefix,
            };
            let report = switchboard::import::areas::import_areas(store.as_ref(), &file, &opts, true).await?;
            for e in &report.errors {
                eprintln!("{e}");
            }
            println!("imported {} areas, {} features refused", report.imported, report.errors.len());
            if !report.errors.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Import { command: ImportCommand::Planning { file, flags, db } } => {
            let store = switchboard::store::open(settings(&db)?.database_url.as_deref()).await?;
            let report = switchboard::import::import_planning(store.as_ref(), &file, &flags.options()?, true).await?;
            for e in &report.errors {
                eprintln!("{e}");
            }
            println!(
                "layer {}: {} zones imported, {} features refused",
                report.layer,
                report.imported,
                report.errors.len()
            );
            if !report.errors.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Bench { command: BenchCommand::Live(b) } => return bench_live(b).await,
        Command::Bench { command: BenchCommand::Tiles(b) } => bench_tiles(b).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn bench_live(b: BenchLive) -> anyhow::Result<std::process::ExitCode> {
    use switchboard::bench::live::{Credentials, LiveBench};
    let secs = |name: &str, v: f64| {
        anyhow::ensure!(v.is_finite() && v >= 0.0, "--{name} must be a number of seconds");
        Ok(std::time::Duration::from_secs_f64(v))
    };
    let credentials = match b.api_key {
        Some(key) => Credentials::ApiKey(key),
        None => Credentials::User { name: b.user, password: b.password },
    };
    let cfg = LiveBench {
        url: b.url,
        credentials,
        clients: b.clients,
        rate: b.rate,
        duration: secs("duration", b.duration)?,
        warmup: secs("warmup", b.warmup)?,
        connect_concurrency: b.connect_concurrency,
        drain_timeout: secs("drain-timeout", b.drain_timeout)?,
    };
    let report = switchboard::bench::live::run(&cfg).await?;
    if b.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("{report}");
    }
    Ok(if report.is_clean() { std::process::ExitCode::SUCCESS } else { std::process::ExitCode::from(2) })
}

async fn bench_tiles(b: BenchTiles) -> anyhow::Result<()> {
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
    let cfg = switchboard::bench::tiles::TileBench {
        template: b.url,
        bbox: [w, s, e, n],
        zooms,
        concurrency: b.concurrency,
        duration: std::time::Duration::from_secs_f64(b.duration),
        headers,
    };
    let report = switchboard::bench::tiles::run(&cfg).await?;
    if b.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{report}");
    }
    Ok(())
}

fn describe(e: switchboard::service::ServiceError) -> String {
    match e {
        switchboard::service::ServiceError::Validation(v) => {
            v.0.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

/// Photo uploads (`docs/api.md`, "Photos").
#[derive(Args)]
struct MediaArgs {
    /// Where photos are kept, as `{sha256}.jpg` and `{sha256}.thumb.jpg`.
    #[arg(long, env = "SWITCHBOARD_MEDIA_DIR", default_value = "./data/media")]
    media_dir: PathBuf,
    /// Largest photo accepted, in MiB.
    #[arg(long, env = "SWITCHBOARD_PHOTO_MAX_FILE_MIB", default_value_t = 10)]
    photo_max_file_mib: usize,
    /// Most photos in one upload request.
    #[arg(long, env = "SWITCHBOARD_PHOTO_MAX_FILES", default_value_t = 5)]
    photo_max_files: usize,
    /// Largest upload request (all its photos), in MiB.
    #[arg(long, env = "SWITCHBOARD_PHOTO_MAX_REQUEST_MIB", default_value_t = 30)]
    photo_max_request_mib: usize,
    /// Most pixels a photo may declare, in megapixels (checked before decoding).
    #[arg(long, env = "SWITCHBOARD_PHOTO_MAX_MEGAPIXELS", default_value_t = 50)]
    photo_max_megapixels: u64,
    /// Most photos one ticket may have.
    #[arg(long, env = "SWITCHBOARD_PHOTO_MAX_PER_TICKET", default_value_t = 20)]
    photo_max_per_ticket: usize,
}

impl MediaArgs {
    fn limits(&self) -> anyhow::Result<switchboard::media::MediaLimits> {
        const MIB: usize = 1024 * 1024;
        anyhow::ensure!((1..=1024).contains(&self.photo_max_file_mib), "--photo-max-file-mib must be 1 to 1024");
        anyhow::ensure!(
            (self.photo_max_file_mib..=4096).contains(&self.photo_max_request_mib),
            "--photo-max-request-mib must be at least --photo-max-file-mib and at most 4096"
        );
        anyhow::ensure!((1..=100).contains(&self.photo_max_files), "--photo-max-files must be 1 to 100");
        anyhow::ensure!((1..=400).contains(&self.photo_max_megapixels), "--photo-max-megapixels must be 1 to 400");
        anyhow::ensure!(self.photo_max_per_ticket >= 1, "--photo-max-per-ticket must be at least 1");
        Ok(switchboard::media::MediaLimits {
            max_file_bytes: self.photo_max_file_mib * MIB,
            max_files: self.photo_max_files,
            max_request_bytes: self.photo_max_request_mib * MIB,
            max_pixels: self.photo_max_megapixels * 1_000_000,
            max_per_ticket: self.photo_max_per_ticket,
        })
    }
}
