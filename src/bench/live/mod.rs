//! `switchboard bench live`: opens N WebSocket clients on `/api/v1/live`, files M tickets/s
//! through `POST /api/v1/tickets`, and measures how the events reach the clients.
//!
//! The run: sign in; connect the clients (at most `connect_concurrency` handshakes at once)
//! and subscribe each to `tickets`; file tickets for the warm-up (delivered and checked, not
//! measured), then for the measured duration; wait until every open client has every event
//! (or `drain_timeout`); report. Publish → receive latency is the receive time minus the
//! event's `at`, the time the server stamped it just before its commit: both clocks are
//! this machine's, so the tool must run on the server's host.

mod client;
pub mod load;
mod report;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::sync::{Semaphore, mpsc};
use tokio::time::Instant;

use crate::bench::Percentiles;
use crate::live::fanout::Fanout;
use client::{ClientStats, Endpoint, Shared};
pub use load::Credentials;
pub use report::{ClientCounts, Deliveries, LiveReport, Tickets};

/// Descriptors the tool needs besides one per client (HTTP pool, runtime, stdio).
const SPARE_FDS: u64 = MAX_HTTP_FDS + 64;
const MAX_HTTP_FDS: u64 = load::MAX_IN_FLIGHT as u64;

/// What to run.
#[derive(Debug, Clone)]
pub struct LiveBench {
    /// The server's base URL, `http://host:port` (plain HTTP).
    pub url: String,
    pub credentials: Credentials,
    pub clients: usize,
    /// Tickets filed per second.
    pub rate: f64,
    /// How long tickets are filed for and measured.
    pub duration: Duration,
    /// How long tickets are filed before measuring starts.
    pub warmup: Duration,
    /// WebSocket handshakes in flight at once while connecting.
    pub connect_concurrency: usize,
    /// How long to wait, after the last ticket, for every event to reach every client.
    pub drain_timeout: Duration,
    /// Run the clients on idle-priority threads of their own ([`crate::live::fanout`]): on the
    /// server's machine, clients that stand for screens elsewhere then take only the CPU the
    /// server leaves. The filing thread keeps the normal priority either way.
    pub idle_viewers: bool,
}

impl LiveBench {
    fn check(&self) -> anyhow::Result<()> {
        if !(self.rate > 0.0 && self.rate.is_finite()) {
            bail!("--rate must be a positive number of tickets per second");
        }
        // No clients: filing alone, the baseline the same load with viewers is set against.
        if self.connect_concurrency == 0 {
            bail!("--connect-concurrency must be at least 1");
        }
        if !self.url.starts_with("http://") {
            bail!("--url must be a plain http:// URL (the tool has no TLS)");
        }
        Ok(())
    }
}

/// Runs the bench against a running server and returns what it measured.
pub async fn run(cfg: &LiveBench) -> anyhow::Result<LiveReport> {
    cfg.check()?;
    let (soft, hard) = crate::limits::raise_open_files().context("reading the open-files limit")?;
    let needed = cfg.clients as u64 + SPARE_FDS;
    if soft < needed {
        bail!(
            "{} clients need about {needed} open files; the limit is {soft} (hard {hard}): raise it (ulimit -n)",
            cfg.clients
        );
    }
    let base = cfg.url.trim_end_matches('/').to_owned();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build()?;
    let auth = load::sign_in(&http, &base, &cfg.credentials).await?;
    let targets = load::targets(&http, &base).await?;
    let endpoint = Endpoint { url: format!("ws{}/api/v1/live", &base["http".len()..]), auth: auth.clone() };

    let shared = Arc::new(Shared::new());
    let viewers = Fanout::new(if cfg.idle_viewers { crate::live::fanout::threads() } else { 0 })
        .context("starting the viewers' runtime")?;
    let (stats, mut tasks, connect) = connect_all(cfg, &endpoint, &shared, &viewers.handle()).await;
    if cfg.clients > 0 && connect.connected == 0 {
        tasks.abort_all();
        let why = connect.failures.keys().next().cloned().unwrap_or_default();
        bail!("no client could connect to {} ({why})", endpoint.url);
    }

    let filer = Filer { base: base.clone(), auth, targets, run_id: uuid::Uuid::now_v7().simple().to_string() };
    let warmup = (cfg.warmup.as_secs_f64() * cfg.rate).round() as u64;
    if warmup > 0 {
        tracing::info!(tickets = warmup, "warming up");
        filer.file(0, warmup, cfg.rate).await?;
    }
    let measure_from = chrono::Utc::now().timestamp_micros();
    shared.measure_from.store(measure_from, Relaxed);
    let count = (cfg.duration.as_secs_f64() * cfg.rate).round() as u64;
    tracing::info!(tickets = count, rate = cfg.rate, clients = connect.connected, "measuring");
    let posts = filer.file(warmup, count, cfg.rate).await?;
    tracing::info!(created = posts.created, "tickets filed; draining");
    let drained = drain(&stats, &shared, posts.created, cfg.drain_timeout).await;
    tasks.abort_all();

    let recorder = shared.recorder.lock().expect("recorder lock");
    let seen: Vec<i64> = recorder.seen.keys().copied().collect();
    let mut deliveries = Deliveries::default();
    let mut closes = BTreeMap::new();
    for s in stats.iter().filter(|s| s.sub_seq.load(Relaxed) >= 0) {
        let due = (seen.len() - seen.partition_point(|&q| q <= s.sub_seq.load(Relaxed))) as u64;
        let got = s.measured.load(Relaxed);
        let close = s.close.load(Relaxed);
        deliveries.expected += due;
        deliveries.delivered += got;
        deliveries.out_of_order += s.out_of_order.load(Relaxed);
        let missing = due.saturating_sub(got);
        if close == 0 {
            deliveries.missing_open += missing;
            deliveries.clients_missing += u64::from(missing > 0);
        } else {
            deliveries.missing_closed += missing;
            *closes.entry(close.to_string()).or_default() += 1;
        }
    }
    let window = (shared.last_receive.load(Relaxed) - measure_from).max(1) as f64 / 1e6;
    deliveries.events = seen.len() as u64;
    deliveries.window_secs = window;
    deliveries.per_sec = deliveries.delivered as f64 / window;
    deliveries.latency = Percentiles::of_micros(&recorder.latency);
    deliveries.first_latency = Percentiles::of_micros(&recorder.first_latency());
    deliveries.spread = Percentiles::of_micros(&recorder.spread);
    deliveries.drained = drained;
    Ok(LiveReport {
        url: base,
        clients: ClientCounts { requested: cfg.clients, closes, ..connect },
        tickets: Tickets {
            rate: cfg.rate,
            duration_secs: cfg.duration.as_secs_f64(),
            warmup_secs: cfg.warmup.as_secs_f64(),
            created: posts.created,
            failures: posts.failures,
            achieved_rate: posts.created as f64 / posts.elapsed.as_secs_f64().max(1e-9),
            post_latency: Percentiles::of_micros(&posts.latency),
        },
        deliveries,
        open_files_limit: soft,
    })
}

/// What the tickets are filed with.
struct Filer {
    base: String,
    auth: load::AuthHeader,
    targets: load::Targets,
    /// Makes the idempotency keys of this run unique.
    run_id: String,
}

impl Filer {
    /// Files `count` tickets from the `first` at `rate` a second, on a thread of its own (a
    /// current-thread runtime with its own HTTP client): the viewers' tasks keep the tool's
    /// runtime busy with hundreds of thousands of frames a second, and a POST's answer waiting
    /// behind them would count the tool's own queue as the server's latency.
    async fn file(&self, first: u64, count: u64, rate: f64) -> anyhow::Result<load::PostStats> {
        let (base, auth, targets, run_id) =
            (self.base.clone(), self.auth.clone(), self.targets.clone(), self.run_id.clone());
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::Builder::new().name("bench-filer".into()).spawn(move || {
            let filed = tokio::runtime::Builder::new_current_thread().enable_all().build().map(|rt| {
                rt.block_on(async {
                    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build()?;
                    let batch = load::Batch {
                        http: &http,
                        base: &base,
                        auth: &auth,
                        targets: &targets,
                        run_id: &run_id,
                        first,
                        count,
                        rate,
                        in_flight: load::MAX_IN_FLIGHT,
                    };
                    anyhow::Ok(load::file_tickets(batch).await)
                })
            });
            let _ = tx.send(filed.map_err(anyhow::Error::from).and_then(|r| r));
        })?;
        rx.await.context("the filing thread stopped")?
    }
}

/// Connects every client; each then follows its socket in its own task.
async fn connect_all(
    cfg: &LiveBench,
    endpoint: &Endpoint,
    shared: &Arc<Shared>,
    runtime: &tokio::runtime::Handle,
) -> (Vec<Arc<ClientStats>>, tokio::task::JoinSet<()>, ClientCounts) {
    tracing::info!(clients = cfg.clients, concurrency = cfg.connect_concurrency, url = %endpoint.url, "connecting");
    let gate = Arc::new(Semaphore::new(cfg.connect_concurrency));
    let (done, mut outcomes) = mpsc::unbounded_channel::<Result<(), String>>();
    let mut tasks = tokio::task::JoinSet::new();
    let mut stats = Vec::with_capacity(cfg.clients);
    let started = Instant::now();
    for _ in 0..cfg.clients {
        // sub_seq stays -1 for a client that never subscribed.
        let s = Arc::new(ClientStats { sub_seq: (-1).into(), ..ClientStats::default() });
        stats.push(s.clone());
        let (gate, endpoint, shared, done) = (gate.clone(), endpoint.clone(), shared.clone(), done.clone());
        tasks.spawn_on(
            async move {
                let permit = gate.acquire_owned().await.expect("never closed");
                let ws = match tokio::time::timeout(client::CONNECT_TIMEOUT, client::connect(&endpoint)).await {
                    Ok(Ok((ws, seq))) => {
                        s.last.store(seq, Relaxed);
                        s.sub_seq.store(seq, Relaxed);
                        ws
                    }
                    Ok(Err(e)) => return drop(done.send(Err(format!("{e:#}")))),
                    Err(_) => return drop(done.send(Err("timed out".into()))),
                };
                drop(permit);
                let _ = done.send(Ok(()));
                client::follow(ws, &s, &shared).await;
            },
            runtime,
        );
    }
    drop(done);
    let mut counts = ClientCounts::default();
    // Exactly one outcome per client (connected clients keep their sender while they follow).
    for _ in 0..cfg.clients {
        let Some(outcome) = outcomes.recv().await else { break };
        match outcome {
            Ok(()) => counts.connected += 1,
            Err(e) => *counts.failures.entry(e).or_default() += 1,
        }
        let n = counts.connected + counts.failures.values().sum::<usize>();
        if n % 1000 == 0 {
            tracing::info!(connected = counts.connected, failed = n - counts.connected, "connecting");
        }
    }
    counts.connect_secs = started.elapsed().as_secs_f64();
    tracing::info!(connected = counts.connected, secs = counts.connect_secs, "connected");
    (stats, tasks, counts)
}

/// Waits until at least `created` measured events were seen and every open client has
/// received up to the highest `seq` seen; false if `timeout` passed first.
async fn drain(stats: &[Arc<ClientStats>], shared: &Shared, created: u64, timeout: Duration) -> bool {
    if stats.is_empty() {
        return true; // no viewers to wait for
    }
    let deadline = Instant::now() + timeout;
    loop {
        let seen = shared.recorder.lock().expect("recorder lock").seen.len() as u64;
        let head = shared.max_seq.load(Relaxed);
        let behind = stats
            .iter()
            .filter(|s| s.sub_seq.load(Relaxed) >= 0 && s.close.load(Relaxed) == 0 && s.last.load(Relaxed) < head)
            .count();
        if seen >= created && behind == 0 {
            return true;
        }
        if Instant::now() >= deadline {
            tracing::warn!(behind, seen, created, "drain timed out");
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
