//! The HTTP side of `bench live`: signing in, reading the city's categories and areas, and
//! filing tickets through `POST /api/v1/tickets` at a steady rate.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, bail};
use geo::InteriorPoint;
use hdrhistogram::Histogram;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue, SET_COOKIE};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio::time::Instant;

/// Most ticket POSTs in flight at once; past it the schedule slips (the report shows the
/// achieved rate).
pub const MAX_IN_FLIGHT: usize = 256;

/// Who the tool acts as.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// A staff user, signed in through `POST /api/v1/session` (a cookie session).
    User { name: String, password: String },
    /// An API key of role admin or operator (`Authorization: Bearer`).
    ApiKey(String),
}

/// The header that authenticates both the API calls and the WebSocket upgrades.
#[derive(Debug, Clone)]
pub struct AuthHeader {
    pub name: HeaderName,
    pub value: HeaderValue,
}

/// Signs in (for a user) and returns the header to send with every request.
pub async fn sign_in(http: &reqwest::Client, base: &str, credentials: &Credentials) -> anyhow::Result<AuthHeader> {
    let (name, password) = match credentials {
        Credentials::ApiKey(key) => {
            let value = HeaderValue::from_str(&format!("Bearer {key}")).context("the API key is not a valid header")?;
            return Ok(AuthHeader { name: AUTHORIZATION, value });
        }
        Credentials::User { name, password } => (name, password),
    };
    let r = http
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"name": name, "password": password}))
        .send()
        .await
        .with_context(|| format!("signing in at {base}"))?;
    if !r.status().is_success() {
        bail!("signing in as {name} failed: HTTP {}", r.status());
    }
    let cookie = r
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.split(';').next().filter(|c| c.starts_with("sb_session=")))
        .context("the sign-in answer set no session cookie")?;
    Ok(AuthHeader { name: COOKIE, value: HeaderValue::from_str(cookie)? })
}

/// What tickets are filed with: the city's category codes and one point inside each
/// lowest-level area (so every ticket lands in a ward and moves its counters).
#[derive(Debug, Clone)]
pub struct Targets {
    pub categories: Vec<String>,
    /// WGS84 lon/lat.
    pub points: Vec<(f64, f64)>,
}

/// Reads the categories (`GET /api/v1/categories`) and the areas (`GET /api/v1/areas`).
pub async fn targets(http: &reqwest::Client, base: &str) -> anyhow::Result<Targets> {
    let cats: Value = get_json(http, &format!("{base}/api/v1/categories")).await?;
    let categories: Vec<String> = cats["categories"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["code"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    if categories.is_empty() {
        bail!("the server has no categories (start it with --demo, or load the city first)");
    }
    let areas = http.get(format!("{base}/api/v1/areas")).send().await?.error_for_status()?.text().await?;
    let fc: geojson::FeatureCollection = areas.parse().context("GET /api/v1/areas is not a FeatureCollection")?;
    let prop = |f: &geojson::Feature, k: &str| f.property(k).and_then(Value::as_str).map(str::to_owned);
    let parents: std::collections::HashSet<String> = fc.features.iter().filter_map(|f| prop(f, "parent")).collect();
    let mut points = Vec::new();
    for f in &fc.features {
        if prop(f, "code").is_some_and(|c| parents.contains(&c)) {
            continue; // not a leaf
        }
        let Some(g) = &f.geometry else { continue };
        if let Some(p) = geo::Geometry::<f64>::try_from(&g.value).ok().and_then(|g| g.interior_point()) {
            points.push((p.x(), p.y()));
        }
    }
    if points.is_empty() {
        bail!("the server has no areas to file tickets in (start it with --demo)");
    }
    Ok(Targets { categories, points })
}

async fn get_json(http: &reqwest::Client, url: &str) -> anyhow::Result<Value> {
    let r = http.get(url).send().await.with_context(|| format!("GET {url}"))?;
    Ok(r.error_for_status().with_context(|| format!("GET {url}"))?.json().await?)
}

/// The outcome of filing tickets.
#[derive(Debug)]
pub struct PostStats {
    pub created: u64,
    /// Failed POSTs by reason (`HTTP 503`, `timeout`, …).
    pub failures: BTreeMap<String, u64>,
    /// `POST /api/v1/tickets` round trips, in µs.
    pub latency: Histogram<u64>,
    /// From the first POST sent to the last answer.
    pub elapsed: Duration,
}

/// One batch of tickets to file: `count` tickets, the i-th sent at `i / rate` seconds.
pub struct Batch<'a> {
    pub http: &'a reqwest::Client,
    pub base: &'a str,
    pub auth: &'a AuthHeader,
    pub targets: &'a Targets,
    /// Makes the idempotency keys of this run unique.
    pub run_id: &'a str,
    /// Index of the batch's first ticket within the run.
    pub first: u64,
    pub count: u64,
    /// Tickets per second (infinite: as fast as `in_flight` allows).
    pub rate: f64,
    /// Most POSTs in flight at once.
    pub in_flight: usize,
}

/// Files a batch of tickets at a steady rate and waits for every answer.
pub async fn file_tickets(b: Batch<'_>) -> PostStats {
    let stats = Arc::new(Mutex::new(PostStats {
        created: 0,
        failures: BTreeMap::new(),
        latency: super::super::micros_histogram(),
        elapsed: Duration::ZERO,
    }));
    let gate = Arc::new(Semaphore::new(b.in_flight.max(1)));
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..b.count {
        if b.rate.is_finite() {
            tokio::time::sleep_until(start + Duration::from_secs_f64(n as f64 / b.rate)).await;
        }
        let permit = gate.clone().acquire_owned().await.expect("never closed");
        let i = b.first + n;
        let (lon, lat) = b.targets.points[i as usize % b.targets.points.len()];
        let category = &b.targets.categories[i as usize % b.targets.categories.len()];
        let body = json!({
            "category": category,
            "description": format!("switchboard bench: ticket {i} of run {}", b.run_id),
            "location": {"lon": lon, "lat": lat},
        });
        let request = b
            .http
            .post(format!("{}/api/v1/tickets", b.base))
            .header(b.auth.name.clone(), b.auth.value.clone())
            .header("idempotency-key", format!("bench-{}-{i}", b.run_id))
            .json(&body);
        let stats = stats.clone();
        tasks.spawn(async move {
            let sent = Instant::now();
            let outcome = request.send().await;
            let micros = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
            let mut s = stats.lock().expect("post stats lock");
            match outcome {
                Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                    s.created += 1;
                    s.latency.saturating_record(micros.max(1));
                }
                Ok(r) => *s.failures.entry(format!("HTTP {}", r.status().as_u16())).or_default() += 1,
                Err(e) if e.is_timeout() => *s.failures.entry("timeout".into()).or_default() += 1,
                Err(e) => *s.failures.entry(format!("error: {e}")).or_default() += 1,
            }
            drop(permit);
        });
    }
    while tasks.join_next().await.is_some() {}
    let mut s = Arc::into_inner(stats).expect("every task done").into_inner().expect("post stats lock");
    s.elapsed = start.elapsed();
    s
}
