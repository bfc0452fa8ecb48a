//! `switchboard bench ingest`: durable ingest through HTTP — as many `POST /api/v1/tickets` as
//! the server takes with C requests in flight — and how many were answered 201 per second.
//!
//! Every 201 is a ticket committed (and fsynced) with its event and idempotency key, so this is
//! the rate the intake path keeps. `scripts/bench-intake.sh` sets it beside a raw batched INSERT
//! of the same rows into the same store (the run's description marks them: `--run-id`).

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::bail;
use serde::Serialize;

use super::Percentiles;
use super::live::load::{self, Credentials};

/// What to run.
#[derive(Debug, Clone)]
pub struct IngestBench {
    pub url: String,
    pub credentials: Credentials,
    pub tickets: u64,
    /// POSTs in flight at once.
    pub concurrency: usize,
    /// Marks the run's tickets (`switchboard bench: ticket {i} of run {run_id}`).
    pub run_id: String,
}

/// What it measured.
#[derive(Debug, Serialize)]
pub struct IngestReport {
    pub url: String,
    pub run_id: String,
    pub concurrency: usize,
    pub created: u64,
    pub failures: BTreeMap<String, u64>,
    pub seconds: f64,
    pub tickets_per_second: f64,
    pub latency: Percentiles,
}

impl IngestReport {
    /// Every ticket created, none failed.
    pub fn is_clean(&self) -> bool {
        self.failures.is_empty()
    }
}

impl std::fmt::Display for IngestReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "ingest into {} (run {}), {} in flight", self.url, self.run_id, self.concurrency)?;
        writeln!(f, "  created {} in {:.2} s: {:.0} tickets/s", self.created, self.seconds, self.tickets_per_second)?;
        writeln!(f, "  POST latency: {}", self.latency)?;
        for (why, n) in &self.failures {
            writeln!(f, "  failed: {n} × {why}")?;
        }
        Ok(())
    }
}

/// Files `tickets` tickets as fast as `concurrency` requests in flight allow.
pub async fn run(cfg: &IngestBench) -> anyhow::Result<IngestReport> {
    if !cfg.url.starts_with("http://") {
        bail!("--url must be a plain http:// URL (the tool has no TLS)");
    }
    if cfg.concurrency == 0 || cfg.tickets == 0 {
        bail!("--tickets and --concurrency must be at least 1");
    }
    let base = cfg.url.trim_end_matches('/').to_owned();
    let http =
        reqwest::Client::builder().timeout(Duration::from_secs(60)).pool_max_idle_per_host(cfg.concurrency).build()?;
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
    let seconds = posts.elapsed.as_secs_f64();
    Ok(IngestReport {
        url: base,
        run_id: cfg.run_id.clone(),
        concurrency: cfg.concurrency,
        created: posts.created,
        failures: posts.failures,
        seconds,
        tickets_per_second: posts.created as f64 / seconds.max(f64::MIN_POSITIVE),
        latency: Percentiles::of_micros(&posts.latency),
    })
}
