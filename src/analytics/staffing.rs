//! Staffing the hotline: the load per hour of the week over past weeks, a forecast of next
//! week's hourly load that knows weekends and holidays, and the operators needed per hour for
//! a target answer time by Erlang C — the call centres' standard model (calls arrive at random,
//! wait in one queue, and are answered by the first free operator).

use serde::Serialize;

/// The probability that a call has to wait, with `agents` operators and `traffic` erlangs
/// (calls per hour × hours per call). 1 when the operators cannot keep up.
pub fn erlang_c(agents: u32, traffic: f64) -> f64 {
    if traffic <= 0.0 {
        return 0.0;
    }
    let n = f64::from(agents);
    if n <= traffic {
        return 1.0;
    }
    // Erlang B by its stable recursion, then C from B.
    let mut b = 1.0;
    for k in 1..=agents {
        b = traffic * b / (f64::from(k) + traffic * b);
    }
    n * b / (n - traffic * (1.0 - b))
}

/// The share of calls answered within `target_secs`, with `agents` operators, `calls_per_hour`
/// calls of `handle_secs` seconds each on average.
pub fn service_level(agents: u32, calls_per_hour: f64, handle_secs: f64, target_secs: f64) -> f64 {
    let traffic = calls_per_hour * handle_secs / 3600.0;
    if traffic <= 0.0 {
        return 1.0;
    }
    let n = f64::from(agents);
    if n <= traffic {
        return 0.0;
    }
    1.0 - erlang_c(agents, traffic) * (-(n - traffic) * target_secs / handle_secs).exp()
}

/// The fewest operators that answer `level` (0–1) of the calls within `target_secs`.
pub fn agents_needed(calls_per_hour: f64, handle_secs: f64, target_secs: f64, level: f64) -> u32 {
    if calls_per_hour <= 0.0 || handle_secs <= 0.0 {
        return 0;
    }
    let traffic = calls_per_hour * handle_secs / 3600.0;
    let mut n = traffic.floor() as u32 + 1;
    while service_level(n, calls_per_hour, handle_secs, target_secs) < level && n < 10_000 {
        n += 1;
    }
    n
}

/// One hour of the forecast week.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct HourForecast {
    /// Vietnam date.
    pub date: chrono::NaiveDate,
    /// 0–23, Vietnam time.
    pub hour: u32,
    /// Whether the day is a working day (holidays and weekends are forecast from past
    /// weekends).
    pub working_day: bool,
    /// Expected calls in the hour.
    pub calls: f64,
    /// Expected reports by the other channels in the hour.
    pub reports: f64,
    /// Operators needed for the calls.
    pub operators: u32,
}

/// Past load: for each day (index into `days`) and hour, calls and other reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Load {
    /// `(working_day, calls[24], reports[24])` per past day.
    pub days: Vec<(bool, [f64; 24], [f64; 24])>,
}

/// The mean load per hour of past working days and of past days off (weekends and holidays),
/// each over the days of that kind.
pub fn profile(load: &Load) -> ([[f64; 24]; 2], [[f64; 24]; 2]) {
    let mut calls = [[0.0; 24]; 2];
    let mut reports = [[0.0; 24]; 2];
    let mut n = [0.0f64; 2];
    for (working, c, r) in &load.days {
        let k = usize::from(*working);
        n[k] += 1.0;
        for h in 0..24 {
            calls[k][h] += c[h];
            reports[k][h] += r[h];
        }
    }
    for k in 0..2 {
        if n[k] > 0.0 {
            for h in 0..24 {
                calls[k][h] /= n[k];
                reports[k][h] /= n[k];
            }
        }
    }
    (calls, reports)
}

/// Next days' forecast: each hour gets the mean of the same hour over past days of its kind
/// (working day, or day off), and the operators its calls need.
pub fn forecast(
    load: &Load,
    next: &[(chrono::NaiveDate, bool)],
    handle_secs: f64,
    target_secs: f64,
    level: f64,
) -> Vec<HourForecast> {
    let (calls, reports) = profile(load);
    next.iter()
        .flat_map(|&(date, working)| {
            let k = usize::from(working);
            (0..24u32).map(move |hour| {
                let c = calls[k][hour as usize];
                HourForecast {
                    date,
                    hour,
                    working_day: working,
                    calls: (c * 100.0).round() / 100.0,
                    reports: (reports[k][hour as usize] * 100.0).round() / 100.0,
                    operators: agents_needed(c, handle_secs, target_secs, level),
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_matches_the_textbook_figures() {
        // 10 erlangs on 11 agents: P(wait) = 0.6821; on 13 agents 0.2853 (the closed form,
        // Σ Aᵏ/k! with Aᴺ/N!·N/(N−A)).
        assert!((erlang_c(11, 10.0) - 0.6821).abs() < 0.0005, "{}", erlang_c(11, 10.0));
        assert!((erlang_c(13, 10.0) - 0.2853).abs() < 0.0005, "{}", erlang_c(13, 10.0));
        assert_eq!(erlang_c(10, 10.0), 1.0, "no more agents than traffic: everyone waits");
        assert_eq!(erlang_c(3, 0.0), 0.0);
    }

    #[test]
    fn operators_needed_for_80_percent_in_20_seconds() {
        // 360 calls an hour of 240 s (24 erlangs), 80 % in 20 s: 28 agents answer 76.1 %, 29
        // answer 84.0 %.
        assert_eq!(agents_needed(360.0, 240.0, 20.0, 0.8), 29);
        assert!((service_level(29, 360.0, 240.0, 20.0) - 0.8403).abs() < 0.0005);
        assert!((service_level(28, 360.0, 240.0, 20.0) - 0.7613).abs() < 0.0005);
        assert_eq!(agents_needed(0.0, 240.0, 20.0, 0.8), 0);
        // Longer calls need more operators for the same calls (Dong Nai: 3 → 6–7 minutes).
        assert!(agents_needed(100.0, 420.0, 20.0, 0.8) > agents_needed(100.0, 180.0, 20.0, 0.8));
    }

    #[test]
    fn the_forecast_takes_each_hour_from_past_days_of_its_kind() {
        let mut workday = [0.0; 24];
        workday[9] = 30.0;
        let mut weekend = [0.0; 24];
        weekend[9] = 6.0;
        let load =
            Load { days: vec![(true, workday, [2.0; 24]), (true, [0.0; 24], [0.0; 24]), (false, weekend, [0.0; 24])] };
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let f = forecast(&load, &[(d("2026-12-07"), true), (d("2026-12-13"), false)], 300.0, 20.0, 0.8);
        assert_eq!(f.len(), 48);
        assert_eq!((f[9].calls, f[9].reports), (15.0, 1.0), "the mean of the two working days");
        assert_eq!(f[24 + 9].calls, 6.0, "Sunday from the past day off");
        assert!(f[9].operators > f[24 + 9].operators);
        assert_eq!(f[3].operators, 0);
    }
}
