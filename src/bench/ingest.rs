//! `switchboard bench ingest`: durable ingest through HTTP, two ways — as many single
//! `POST /api/v1/tickets` as the server takes with C requests in flight, then the same number
//! of tickets through `POST /api/v1/tickets/batch`, B tickets a request — and how many tickets
//! were committed per second each way.
//!
//! Every 201 is a ticket committed (and fsynced) with its event and idempotency key, so this is
//! the rate the intake path keeps. `scripts/bench-intake.sh` sets each beside a raw batched
//! INSERT of the same rows into the same store (the run's description marks them: `--run-id`
//! for the single POSTs, `{run-id}-batch` for the batches).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::bail;
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::Percentiles;
use super::live::load::{self, AuthHeader, Credentials, PostStats, Targets};

/// What to run.
#[derive(Debug, Clone)]
pub struct IngestBench {
    pub url: String,
    pub credentials: Credentials,
    /// Tickets to file each way.
    pub tickets: u64,
    /// Single POSTs in flight at once.
    pub concurrency: usize,
    /// Tickets per batch request; 0 skips the batch pass.
    pub batch_size: usize,
    /// Batch requests in flight at once.
    pub batch_concurrency: usize,
    /// Marks the run's tickets (`switchboard bench: ticket {i} of run {run_id}`).
    pub run_id: String,
}

/// What one way of filing measured.
#[derive(Debug, Serialize)]
pub struct PassReport {
    /// Marks this pass's tickets in their description.
    pub run_id: String,
    /// Tickets per request (1 for single POSTs).
    pub per_request: usize,
    /// Requests in flight at once.
    pub concurrency: usize,
    pub created: u64,
    pub failures: BTreeMap<String, u64>,
    pub seconds: f64,
    pub tickets_per_second: f64,
    /// Per request.
    pub latency: Percentiles,
}

/// What it measured.
#[derive(Debug, Serialize)]
pub struct IngestReport {
    pub url: String,
    /// `POST /api/v1/tickets`, one ticket a request.
    pub single: PassReport,
    /// `POST /api/v1/tickets/batch`, unless skipped.
    pub batch: Option<PassReport>,
}

impl IngestReport {
    /// Every ticket created, none failed.
    pub fn is_clean(&self) -> bool {
        self.single.failures.is_empty() && self.batch.as_ref().is_none_or(|b| b.failures.is_empty())
    }
}

impl std::fmt::Display for PassReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "  {} a request, {} in flight (run {}): created {} in {:.2} s: {:.0} tickets/s",
            self.per_request, self.concurrency, self.run_id, self.created, self.seconds, self.tickets_per_second
        )?;
        writeln!(f, "    latency per request: {}", self.latency)?;
        for (why, n) in &self.failures {
            writeln!(f, "    failed: {n} × {why}")?;
        }
        Ok(())
    }
}

impl std::fmt::Display for IngestReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "ingest into {}", self.url)?;
        write!(f, "{}", self.single)?;
        if let Some(b) = &self.batch {
            write!(f, "{b}")?;
        }
        Ok(())
    }
}

fn pass(run_id: &str, per_request: usize, concurrency: usize, posts: &PostStats) -> PassReport {
    let seconds = posts.elapsed.as_secs_f64();
    PassReport {
        run_id: run_id.to_owned(),
        per_request,
        concurrency,
        created: posts.created,
        failures: posts.failures.clone(),
        seconds,
        tickets_per_second: posts.created as f64 / seconds.max(f64::MIN_POSITIVE),
        latency: Percentiles::of_micros(&posts.latency),
    }
}

/// Files `tickets` tickets as fast as `concurrency` requests in flight allow, then as many
/// again in batches.
pub async fn run(cfg: &IngestBench) -> anyhow::Result<IngestReport> {
    if !cfg.url.starts_with("http://") {
        bail!("--url must be a plain http:// URL (the tool has no TLS)");
    }
    if cfg.concurrency == 0 || cfg.tickets == 0 || (cfg.batch_size > 0 && cfg.batch_concurrency == 0) {
        bail!("--tickets, --concurrency and --batch-concurrency must be at least 1");
    }
    let base = cfg.url.trim_end_matches('/').to_owned();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(cfg.concurrency.max(cfg.batch_concurrency))
        .build()?;
    let auth = load::sign_in(&http, &base, &cfg.credentials).await?;
    let targets = load::targets(&http, &base).await?;
    let posts = load::file_tickets(load::Batch {
        http: &http,
        base: &base,
        auth: &auth,
        targets: &targets,
        run_id: &cfg.run_id,
        first: 0,
        count: cfg.tickets,
        rate: f64::INFINITY,
        in_flight: cfg.concurrency,
    })
    .await;
    let single = pass(&cfg.run_id, 1, cfg.concurrency, &posts);
    let batch = if cfg.batch_size > 0 {
        let run_id = format!("{}-batch", cfg.run_id);
        let posts = file_batches(&http, &base, &auth, &targets, &run_id, cfg).await;
        Some(pass(&run_id, cfg.batch_size, cfg.batch_concurrency, &posts))
    } else {
        None
    };
    Ok(IngestReport { url: base, single, batch })
}

/// A batch's answer, as far as the tool looks at it: how many tickets it holds.
#[derive(serde::Deserialize)]
struct Answered {
    tickets: Vec<serde::de::IgnoredAny>,
}

/// Files `cfg.tickets` tickets through `POST /api/v1/tickets/batch`, `cfg.batch_size` a
/// request, `cfg.batch_concurrency` requests in flight. A ticket counts as created when its
/// batch was answered 201 with it.
async fn file_batches(
    http: &reqwest::Client,
    base: &str,
    auth: &AuthHeader,
    targets: &Targets,
    run_id: &str,
    cfg: &IngestBench,
) -> PostStats {
    let stats = Arc::new(Mutex::new(PostStats {
        created: 0,
        failures: BTreeMap::new(),
        latency: super::micros_histogram(),
        elapsed: Duration::ZERO,
    }));
    let gate = Arc::new(Semaphore::new(cfg.batch_concurrency));
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    let size = cfg.batch_size as u64;
    for first in (0..cfg.tickets).step_by(cfg.batch_size) {
        let permit = gate.clone().acquire_owned().await.expect("never closed");
        let items: Vec<Value> = (first..(first + size).min(cfg.tickets))
            .map(|i| {
                let (lon, lat) = targets.points[i as usize % targets.points.len()];
                let category = &targets.categories[i as usize % targets.categories.len()];
                json!({
                    "idempotency_key": format!("bench-{run_id}-{i}"),
                    "ticket": {
                        "category": category,
                        "description": format!("switchboard bench: ticket {i} of run {run_id}"),
                        "location": {"lon": lon, "lat": lat},
                    },
                })
            })
            .collect();
        let count = items.len() as u64;
        let request = http
            .post(format!("{base}/api/v1/tickets/batch"))
            .header(auth.name.clone(), auth.value.clone())
            .json(&json!({ "tickets": items }));
        let stats = stats.clone();
        tasks.spawn(async move {
            let sent = Instant::now();
            let outcome = match request.send().await {
                // Only counted: the tool shares the server's machine, so it reads no more than it needs.
                Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                    r.json::<Answered>().await.map(|a| Ok(a.tickets.len() as u64))
                }
                Ok(r) => Ok(Err(format!("HTTP {}", r.status().as_u16()))),
                Err(e) => Err(e),
            };
            let micros = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
            let mut s = stats.lock().expect("post stats lock");
            match outcome {
                Ok(Ok(filed)) => {
                    s.created += filed;
                    s.latency.saturating_record(micros.max(1));
                    if filed != count {
                        *s.failures.entry("missing from the answer".into()).or_default() += count - filed;
                    }
                }
                Ok(Err(why)) => *s.failures.entry(why).or_default() += count,
                Err(e) if e.is_timeout() => *s.failures.entry("timeout".into()).or_default() += count,
                Err(e) => *s.failures.entry(format!("error: {e}")).or_default() += count,
            }
            drop(permit);
        });
    }
    while tasks.join_next().await.is_some() {}
    let mut s = Arc::into_inner(stats).expect("every task done").into_inner().expect("post stats lock");
    s.elapsed = start.elapsed();
    s
}
