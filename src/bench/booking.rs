//! `switchboard bench booking`: the opening of a booking window — N people press "book" at the
//! same moment for the same morning of one office's service, each as a caller booked by an
//! operator (`POST /api/v1/bookings`, so the public's per-address limit does not refuse them).
//! Person `i` wants the `i % n`-th of the day's `n` free slots (people want different hours, many
//! the same), and on `409 slot_full` tries the next one, as people do, up to `tries` slots.
//! Reports bookings per second, the latency of every request, and checks the result against the
//! office's own list: no slot holds more than its capacity.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::{Barrier, Mutex};

use super::live::load::{self, Credentials};
use crate::bench::{Percentiles, micros_histogram};

/// What to run.
#[derive(Debug, Clone)]
pub struct BookingBench {
    pub url: String,
    pub office: String,
    pub service: String,
    /// People pressing "book" at once.
    pub people: usize,
    /// Slots one person tries (from the one they want, then the next) before giving up.
    pub tries: usize,
    pub credentials: Credentials,
}

#[derive(Debug, Clone, Serialize)]
pub struct BookingReport {
    pub office: String,
    pub service: String,
    pub day: String,
    pub people: usize,
    /// Places the day's slots offered before the run.
    pub places: i64,
    pub booked: u64,
    /// People who found every slot they tried full.
    pub turned_away: u64,
    /// Requests answered 409 `slot_full`.
    pub full_answers: u64,
    /// Answers other than 201 and 409, and failed requests.
    pub errors: u64,
    pub seconds: f64,
    pub bookings_per_s: f64,
    pub requests_per_s: f64,
    /// Every request's latency.
    pub latency: Percentiles,
    /// Per person: from pressing to a booking (or the last refusal).
    pub person_latency: Percentiles,
    /// Slots found holding more than their capacity afterwards (must be 0).
    pub overbooked_slots: usize,
}

impl std::fmt::Display for BookingReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{}/{} on {} — {} people at once, {} places in the slots they try",
            self.office, self.service, self.day, self.people, self.places
        )?;
        writeln!(
            f,
            "  {} booked, {} turned away, {} full answers, {} errors in {:.2} s: {:.0} bookings/s, {:.0} requests/s",
            self.booked,
            self.turned_away,
            self.full_answers,
            self.errors,
            self.seconds,
            self.bookings_per_s,
            self.requests_per_s
        )?;
        writeln!(f, "  request: {}", self.latency)?;
        writeln!(f, "  person:  {}", self.person_latency)?;
        writeln!(f, "  overbooked slots: {}", self.overbooked_slots)
    }
}

impl BookingReport {
    pub fn is_clean(&self) -> bool {
        self.errors == 0 && self.overbooked_slots == 0 && self.booked as i64 <= self.places
    }
}

/// The first day from tomorrow with open slots of the service, and its slots.
async fn first_open_day(
    http: &reqwest::Client,
    base: &str,
    office: &str,
    service: &str,
) -> anyhow::Result<(String, Vec<Value>)> {
    let today = crate::domain::schedule::vietnam_date(chrono::Utc::now());
    for d in 1..=60 {
        let day = today + chrono::Duration::days(d);
        let v: Value = http
            .get(format!("{base}/api/v1/public/offices/{office}/slots?service={service}&day={day}"))
            .send()
            .await?
            .error_for_status()
            .with_context(|| format!("reading the slots of {office}/{service}"))?
            .json()
            .await?;
        if v["reason"] == "outside_window" {
            break;
        }
        let slots = v["slots"].as_array().cloned().unwrap_or_default();
        if slots.iter().any(|s| s["free"].as_i64() > Some(0)) {
            return Ok((day.to_string(), slots));
        }
    }
    bail!("{office}/{service} has no free slot in its booking window")
}

pub async fn run(cfg: &BookingBench) -> anyhow::Result<BookingReport> {
    if !cfg.url.starts_with("http://") {
        bail!("--url must be a plain http:// URL (the tool has no TLS)");
    }
    if cfg.people == 0 || cfg.tries == 0 {
        bail!("--people and --tries must be at least 1");
    }
    let base = cfg.url.trim_end_matches('/').to_owned();
    let http =
        reqwest::Client::builder().timeout(Duration::from_secs(120)).pool_max_idle_per_host(cfg.people).build()?;
    let auth = load::sign_in(&http, &base, &cfg.credentials).await?;
    let (day, before) = first_open_day(&http, &base, &cfg.office, &cfg.service).await?;
    let free: Vec<(String, i64)> = before
        .iter()
        .filter(|s| s["free"].as_i64() > Some(0))
        .map(|s| (s["starts_at"].as_str().unwrap_or_default().to_owned(), s["free"].as_i64().unwrap_or(0)))
        .collect();
    let wanted: Arc<Vec<String>> = Arc::new(free.iter().map(|(t, _)| t.clone()).collect());
    let places: i64 = free.iter().map(|(_, n)| n).sum();
    let tries = cfg.tries.min(wanted.len());
    let run = uuid::Uuid::now_v7().simple().to_string();
    let start = Arc::new(Barrier::new(cfg.people + 1));
    let requests = Arc::new(Mutex::new(micros_histogram()));
    let mut tasks = Vec::with_capacity(cfg.people);
    for i in 0..cfg.people {
        let (http, base, auth, wanted, start, requests) =
            (http.clone(), base.clone(), auth.clone(), wanted.clone(), start.clone(), requests.clone());
        let (office, service, run) = (cfg.office.clone(), cfg.service.clone(), run.clone());
        tasks.push(tokio::spawn(async move {
            // A distinct, plausible mobile number per person (the per-person limit stays out of it).
            let phone = format!("09{:08}", (i as u64 * 7_919 + u64::from_str_radix(&run[..6], 16).unwrap_or(0)) % 100_000_000);
            start.wait().await;
            let t0 = Instant::now();
            let (mut full, mut errors) = (0u64, 0u64);
            for at in wanted.iter().cycle().skip(i % wanted.len()).take(tries) {
                let body = json!({"office": office, "service": service, "starts_at": at, "name": format!("Người đặt {i}"), "phone": phone});
                let t = Instant::now();
                let r = http
                    .post(format!("{base}/api/v1/bookings"))
                    .header(auth.name.clone(), auth.value.clone())
                    .header("idempotency-key", format!("bench-{run}-{i}-{at}"))
                    .json(&body)
                    .send()
                    .await;
                let us = t.elapsed().as_micros() as u64;
                let _ = requests.lock().await.record(us.max(1));
                match r.map(|r| r.status().as_u16()) {
                    Ok(201) => return (true, full, errors, t0.elapsed()),
                    Ok(409) => full += 1,
                    _ => {
                        errors += 1;
                        break;
                    }
                }
            }
            (false, full, errors, t0.elapsed())
        }));
    }
    start.wait().await;
    let began = Instant::now();
    let mut person = micros_histogram();
    let (mut booked, mut turned_away, mut full_answers, mut errors) = (0u64, 0u64, 0u64, 0u64);
    for t in tasks {
        let (ok, full, err, took) = t.await?;
        let _ = person.record((took.as_micros() as u64).max(1));
        if ok {
            booked += 1;
        } else if err == 0 {
            turned_away += 1;
        }
        full_answers += full;
        errors += err;
    }
    let seconds = began.elapsed().as_secs_f64();
    // The office's own list of the day, against each slot's capacity.
    let offices: Value = http.get(format!("{base}/api/v1/public/offices")).send().await?.json().await?;
    let capacity = offices
        .as_array()
        .and_then(|l| l.iter().find(|o| o["id"] == cfg.office.as_str()))
        .and_then(|o| o["services"].as_array()?.iter().find(|s| s["id"] == cfg.service.as_str()))
        .and_then(|s| s["capacity"].as_i64())
        .context("the service's capacity")?;
    let list: Vec<Value> = http
        .get(format!("{base}/api/v1/offices/{}/bookings?day={day}", cfg.office))
        .header(auth.name.clone(), auth.value.clone())
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let mut held = std::collections::BTreeMap::<String, i64>::new();
    for b in list.iter().filter(|b| b["service"] == cfg.service.as_str() && b["status"] != "cancelled") {
        *held.entry(b["starts_at"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
    }
    let overbooked_slots = held.values().filter(|n| **n > capacity).count();
    let latency = Percentiles::of_micros(&*requests.lock().await);
    Ok(BookingReport {
        office: cfg.office.clone(),
        service: cfg.service.clone(),
        day,
        people: cfg.people,
        places,
        booked,
        turned_away,
        full_answers,
        errors,
        seconds,
        bookings_per_s: booked as f64 / seconds,
        requests_per_s: latency.count as f64 / seconds,
        latency,
        person_latency: Percentiles::of_micros(&person),
        overbooked_slots,
    })
}
