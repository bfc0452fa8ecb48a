//! The satisfaction index (chỉ số hài lòng), 0–100, of an area, a unit or the city, from four
//! components each between 0 and 1 (see `docs/metrics.md`):
//!
//! - **ratings**: (mean rating − 1) / 4;
//! - **on time**: the share of resolved tickets resolved by their deadline;
//! - **results that held**: 1 − the share of resolved tickets that were reopened;
//! - **volume**: reports per 10 000 residents against the city's rate over the same period,
//!   `min(1, city rate / rate)` (twice the city's rate scores 0.5).
//!
//! The index is the weighted mean of the components that can be computed, × 100.

use serde::{Deserialize, Serialize};

use super::measures::Measures;

/// The weights of the components (any non-negative numbers; they are normalised).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Weights {
    pub ratings: f64,
    pub on_time: f64,
    pub reopen: f64,
    pub volume: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self { ratings: 0.4, on_time: 0.3, reopen: 0.15, volume: 0.15 }
    }
}

impl Weights {
    /// Parses `ratings=0.4,on_time=0.3,reopen=0.15,volume=0.15` (any subset; the others keep
    /// their defaults).
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut w = Self::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').ok_or_else(|| format!("`{part}` is not name=weight"))?;
            let v: f64 = value.trim().parse().map_err(|_| format!("`{value}` is not a number"))?;
            if !v.is_finite() || v < 0.0 {
                return Err(format!("the weight of {name} must be a number of 0 or more"));
            }
            match name.trim() {
                "ratings" => w.ratings = v,
                "on_time" => w.on_time = v,
                "reopen" => w.reopen = v,
                "volume" => w.volume = v,
                other => return Err(format!("unknown component `{other}` (ratings, on_time, reopen, volume)")),
            }
        }
        if w.ratings + w.on_time + w.reopen + w.volume <= 0.0 {
            return Err("at least one weight must be above 0".into());
        }
        Ok(w)
    }
}

/// The index with its components, so a reader sees why it is what it is.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Satisfaction {
    /// 0–100, one decimal; `None` when no component can be computed.
    pub index: Option<f64>,
    pub ratings: Option<f64>,
    pub on_time: Option<f64>,
    pub reopen: Option<f64>,
    pub volume: Option<f64>,
    /// Residents, when known.
    pub population: Option<u64>,
    /// Reports received per 10 000 residents in the period.
    pub per_10k: Option<f64>,
}

/// The index of a set of tickets with measures `m`, serving `population` residents, when the
/// city received `city_per_10k` reports per 10 000 residents over the same period.
pub fn satisfaction(m: &Measures, population: Option<u64>, city_per_10k: Option<f64>, w: &Weights) -> Satisfaction {
    let per_10k = population.filter(|&p| p > 0).map(|p| m.received as f64 * 10_000.0 / p as f64);
    let volume = match (per_10k, city_per_10k) {
        (Some(rate), Some(city)) if rate > 0.0 => Some((city / rate).min(1.0)),
        (Some(_), Some(_)) => Some(1.0),
        _ => None,
    };
    let ratings = m.rating_mean.map(|r| (r - 1.0) / 4.0);
    let on_time = m.on_time_rate;
    let reopen = m.reopen_rate.map(|r| 1.0 - r);
    let parts = [(ratings, w.ratings), (on_time, w.on_time), (reopen, w.reopen), (volume, w.volume)];
    let (sum, weight) =
        parts.iter().filter_map(|(c, w)| c.map(|c| (c * w, *w))).fold((0.0, 0.0), |(s, t), (x, w)| (s + x, t + w));
    let round = |x: f64, k: f64| (x * k).round() / k;
    Satisfaction {
        index: (weight > 0.0).then(|| round(100.0 * sum / weight, 10.0)),
        ratings: ratings.map(|x| round(x, 1e4)),
        on_time: on_time.map(|x| round(x, 1e4)),
        reopen: reopen.map(|x| round(x, 1e4)),
        volume: volume.map(|x| round(x, 1e4)),
        population,
        per_10k: per_10k.map(|x| round(x, 100.0)),
    }
}
