//! Load tools run against a running server, from the outside, through its public API.
//!
//! - [`live`]: `switchboard bench live`: N WebSocket clients, M tickets/s, delivery and
//!   publish → receive latency.
//! - [`ingest`]: `switchboard bench ingest`: tickets/s filed through HTTP with C requests in
//!   flight, each 201 a committed ticket.
//! - [`booking`]: `switchboard bench booking`: a thousand people pressing "book" at once.
//! - [`tiles`]: `switchboard bench tiles`: tiles/s and latency of a tile server, cold and warm.

pub mod booking;
pub mod ingest;
pub mod live;
pub mod search;
pub mod tiles;

use hdrhistogram::Histogram;
use serde::Serialize;

/// A latency histogram in microseconds, from 1 µs to 10 min at 3 significant digits.
pub fn micros_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
}

/// Percentiles of a latency distribution, in milliseconds (`p50_ms`… in JSON).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Percentiles {
    pub count: u64,
    #[serde(rename = "mean_ms")]
    pub mean: f64,
    #[serde(rename = "p50_ms")]
    pub p50: f64,
    #[serde(rename = "p90_ms")]
    pub p90: f64,
    #[serde(rename = "p99_ms")]
    pub p99: f64,
    #[serde(rename = "max_ms")]
    pub max: f64,
}

impl Percentiles {
    /// Summarises a histogram of microseconds.
    pub fn of_micros(h: &Histogram<u64>) -> Self {
        if h.is_empty() {
            return Self::default();
        }
        let ms = |us: u64| us as f64 / 1000.0;
        Self {
            count: h.len(),
            mean: h.mean() / 1000.0,
            p50: ms(h.value_at_quantile(0.50)),
            p90: ms(h.value_at_quantile(0.90)),
            p99: ms(h.value_at_quantile(0.99)),
            max: ms(h.max()),
        }
    }
}

impl std::fmt::Display for Percentiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.count == 0 {
            return write!(f, "no samples");
        }
        write!(
            f,
            "p50 {:.1} ms · p90 {:.1} ms · p99 {:.1} ms · max {:.1} ms (mean {:.1} ms, n = {})",
            self.p50, self.p90, self.p99, self.max, self.mean, self.count
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_in_milliseconds_and_empty_histograms_have_none() {
        let mut h = micros_histogram();
        assert_eq!(Percentiles::of_micros(&h), Percentiles::default());
        for ms in 1..=100 {
            h.record(ms * 1000).unwrap();
        }
        let p = Percentiles::of_micros(&h);
        assert_eq!(p.count, 100);
        assert!((p.p50 - 50.0).abs() < 0.1 && (p.p99 - 99.0).abs() < 0.1 && (p.max - 100.0).abs() < 0.1, "{p:?}");
        let json = serde_json::to_value(p).unwrap();
        assert!(json.get("p99_ms").is_some(), "{json}");
    }
}
