//! `switchboard bench tiles`: tiles per second and latency percentiles of a tile server, cold
//! and warm, from a URL template — the same run against Switchboard and any other XYZ server
//! (Martin), so the two can be compared side by side.
//!
//! The URL set is every tile covering `bbox` at each of `zooms` (in a fixed shuffled order, so
//! neighbouring requests do not hit neighbouring tiles). The **cold** pass requests each tile
//! once, `concurrency` at a time: against a server started with an empty cache, every request
//! renders its tile. The **warm** pass then requests the same set round and round for
//! `duration`: every tile has been rendered once, so a caching server answers from its cache.
//! Requests send `Accept-Encoding: gzip`; bodies are counted as received, not decoded.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use serde::Serialize;

use crate::bench::{Percentiles, micros_histogram};
use crate::spatial::tiles::grid::{covering, lon_lat_rect_to_world};

/// What to run.
#[derive(Debug, Clone)]
pub struct TileBench {
    /// `http://host:port/tiles/tickets/{z}/{x}/{y}` (plain HTTP).
    pub template: String,
    /// `[west, south, east, north]`, degrees.
    pub bbox: [f64; 4],
    pub zooms: Vec<u8>,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// How long the warm pass runs.
    pub duration: Duration,
    /// Extra request headers (`Authorization: Bearer …`).
    pub headers: Vec<(String, String)>,
}

/// One pass's figures.
#[derive(Debug, Clone, Serialize)]
pub struct PassReport {
    pub requests: u64,
    pub errors: u64,
    pub tiles_per_s: f64,
    pub mb_received: f64,
    pub latency: Percentiles,
}

/// The run's figures.
#[derive(Debug, Clone, Serialize)]
pub struct TileReport {
    pub template: String,
    pub tiles: usize,
    pub zooms: Vec<u8>,
    pub concurrency: usize,
    pub cold: PassReport,
    pub warm: PassReport,
}

impl std::fmt::Display for TileReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} — {} tiles at z {:?}, {} in flight", self.template, self.tiles, self.zooms, self.concurrency)?;
        for (name, p) in [("cold", &self.cold), ("warm", &self.warm)] {
            writeln!(
                f,
                "  {name}: {:.0} tiles/s, {} requests, {} errors, {:.1} MB · {}",
                p.tiles_per_s, p.requests, p.errors, p.mb_received, p.latency
            )?;
        }
        Ok(())
    }
}

/// Every tile covering the box at each zoom, in a fixed pseudo-random order.
pub fn tile_urls(template: &str, bbox: [f64; 4], zooms: &[u8]) -> anyhow::Result<Vec<String>> {
    let world = lon_lat_rect_to_world(bbox);
    let mut urls = Vec::new();
    for &z in zooms {
        let (xs, ys) = covering(world, z, 0.0).with_context(|| format!("zoom {z} is out of range"))?;
        for x in xs {
            for y in ys.clone() {
                urls.push(
                    template
                        .replace("{z}", &z.to_string())
                        .replace("{x}", &x.to_string())
                        .replace("{y}", &y.to_string()),
                );
            }
        }
    }
    if urls.len() > 200_000 {
        bail!("{} tiles: narrow the box or the zooms", urls.len());
    }
    urls.shuffle(&mut rand::rngs::StdRng::seed_from_u64(7));
    Ok(urls)
}

/// Requests `urls` with `concurrency` workers: each URL once when `until` is `None`, else
/// round and round until then.
async fn pass(
    client: &reqwest::Client,
    cfg: &TileBench,
    urls: &Arc<Vec<String>>,
    until: Option<Instant>,
) -> PassReport {
    let next = Arc::new(AtomicUsize::new(0));
    let (errors, bytes) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..cfg.concurrency {
        let (client, urls, next, errors, bytes) =
            (client.clone(), urls.clone(), next.clone(), errors.clone(), bytes.clone());
        let headers = cfg.headers.clone();
        workers.push(tokio::spawn(async move {
            let mut h = micros_histogram();
            loop {
                let i = next.fetch_add(1, Relaxed);
                if until.is_none() && i >= urls.len() || until.is_some_and(|t| Instant::now() >= t) {
                    return h;
                }
                let mut req = client.get(&urls[i % urls.len()]).header("accept-encoding", "gzip");
                for (k, v) in &headers {
                    req = req.header(k, v);
                }
                let t0 = Instant::now();
                let ok = match req.send().await {
                    Ok(r) if r.status().is_success() => match r.bytes().await {
                        Ok(b) => {
                            bytes.fetch_add(b.len() as u64, Relaxed);
                            true
                        }
                        Err(_) => false,
                    },
                    _ => false,
                };
                if ok {
                    let _ = h.record((t0.elapsed().as_micros() as u64).max(1));
                } else {
                    errors.fetch_add(1, Relaxed);
                }
            }
        }));
    }
    let mut all = micros_histogram();
    for w in workers {
        if let Ok(h) = w.await {
            let _ = all.add(&h);
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let ok = all.len();
    PassReport {
        requests: ok + errors.load(Relaxed),
        errors: errors.load(Relaxed),
        tiles_per_s: ok as f64 / secs,
        mb_received: bytes.load(Relaxed) as f64 / 1e6,
        latency: Percentiles::of_micros(&all),
    }
}

/// Runs the cold pass, then the warm one.
pub async fn run(cfg: &TileBench) -> anyhow::Result<TileReport> {
    if !cfg.template.starts_with("http://") || !["{z}", "{x}", "{y}"].iter().all(|p| cfg.template.contains(p)) {
        bail!("--url must be an http:// template with {{z}}, {{x}} and {{y}}");
    }
    if cfg.concurrency == 0 || cfg.zooms.is_empty() {
        bail!("--concurrency and --zooms must not be empty");
    }
    let urls = Arc::new(tile_urls(&cfg.template, cfg.bbox, &cfg.zooms)?);
    let client = reqwest::Client::builder().pool_max_idle_per_host(cfg.concurrency).build()?;
    let cold = pass(&client, cfg, &urls, None).await;
    let warm = pass(&client, cfg, &urls, Some(Instant::now() + cfg.duration)).await;
    Ok(TileReport {
        template: cfg.template.clone(),
        tiles: urls.len(),
        zooms: cfg.zooms.clone(),
        concurrency: cfg.concurrency,
        cold,
        warm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_set_covers_the_box_at_each_zoom_once() {
        let urls = tile_urls("http://h/t/{z}/{x}/{y}", [108.15, 16.0, 108.30, 16.10], &[10, 12]).unwrap();
        let z10 = urls.iter().filter(|u| u.starts_with("http://h/t/10/")).count();
        let z12 = urls.iter().filter(|u| u.starts_with("http://h/t/12/")).count();
        assert_eq!(z10, 2);
        assert!((4..=12).contains(&z12), "{z12}");
        let unique: std::collections::HashSet<_> = urls.iter().collect();
        assert_eq!(unique.len(), urls.len());
        assert!(urls.contains(&"http://h/t/10/819/465".to_owned()));
    }
}
