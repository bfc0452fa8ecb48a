//! What `bench live` measured, as a table for people and as JSON for scripts.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::bench::Percentiles;

#[derive(Debug, Clone, Serialize)]
pub struct LiveReport {
    pub url: String,
    pub clients: ClientCounts,
    pub tickets: Tickets,
    pub deliveries: Deliveries,
    /// The tool's soft open-files limit after raising it.
    pub open_files_limit: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ClientCounts {
    pub requested: usize,
    pub connected: usize,
    /// Clients that could not connect and subscribe, by reason.
    pub failures: BTreeMap<String, usize>,
    /// Time to connect and subscribe every client.
    pub connect_secs: f64,
    /// Clients the server closed during the run, by close code (4008 too slow, 4029 rate
    /// limited, 1006 no close frame…).
    pub closes: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tickets {
    /// Tickets per second asked for.
    pub rate: f64,
    pub duration_secs: f64,
    pub warmup_secs: f64,
    /// Tickets created in the measured phase.
    pub created: u64,
    pub failures: BTreeMap<String, u64>,
    /// Created tickets per second, from the first POST to the last answer.
    pub achieved_rate: f64,
    /// `POST /api/v1/tickets` round trips (created tickets only).
    pub post_latency: Percentiles,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Deliveries {
    /// Distinct measured events seen by the clients (tickets created, plus any other event
    /// the server published meanwhile, e.g. `ticket.overdue`).
    pub events: u64,
    /// Σ over connected clients of the measured events published after it subscribed.
    pub expected: u64,
    pub delivered: u64,
    /// Events missing at clients still open at the end: must be 0 (no gaps).
    pub missing_open: u64,
    /// Clients still open that missed at least one event.
    pub clients_missing: u64,
    /// Events missing at clients the server closed (counted in `closes`).
    pub missing_closed: u64,
    /// Frames whose `seq` was not above the client's previous one: must be 0.
    pub out_of_order: u64,
    /// From the start of the measured phase to the last measured event received.
    pub window_secs: f64,
    /// `delivered / window_secs`.
    pub per_sec: f64,
    /// Receive time minus the event's `at` (stamped by the server before the commit).
    pub latency: Percentiles,
    /// The first client's receive time minus `at`, one sample per event: the write path
    /// (commit, outbox follower, hub) plus one socket.
    pub first_latency: Percentiles,
    /// Each receive minus the first receive of the same event: the cost of the fan-out.
    pub spread: Percentiles,
    /// Every open client got every event before the drain timeout.
    pub drained: bool,
}

impl LiveReport {
    /// Every client connected, every ticket filed, no gaps, no disorder, nothing closed,
    /// everything drained.
    pub fn is_clean(&self) -> bool {
        let (c, d) = (&self.clients, &self.deliveries);
        c.failures.is_empty()
            && c.closes.is_empty()
            && self.tickets.failures.is_empty()
            && d.drained
            && d.missing_open == 0
            && d.out_of_order == 0
    }
}

fn map<V: fmt::Display>(m: &BTreeMap<String, V>) -> String {
    if m.is_empty() {
        return "none".into();
    }
    m.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for LiveReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (c, t, d) = (&self.clients, &self.tickets, &self.deliveries);
        let row = |f: &mut fmt::Formatter<'_>, k: &str, v: String| writeln!(f, "  {k:<38} {v}");
        writeln!(f, "switchboard bench live → {}", self.url)?;
        writeln!(f, "clients")?;
        row(f, "connected / requested", format!("{} / {} in {:.1} s", c.connected, c.requested, c.connect_secs))?;
        row(f, "connect failures", map(&c.failures))?;
        row(f, "closed by the server (by code)", map(&c.closes))?;
        writeln!(f, "tickets (POST /api/v1/tickets)")?;
        row(f, "rate asked / achieved", format!("{:.1} / {:.1} per s", t.rate, t.achieved_rate))?;
        row(f, "warm-up / measured", format!("{:.0} s / {:.0} s", t.warmup_secs, t.duration_secs))?;
        row(f, "created (measured)", t.created.to_string())?;
        row(f, "failed", map(&t.failures))?;
        row(f, "POST latency", t.post_latency.to_string())?;
        writeln!(f, "events (GET /api/v1/live, topic tickets)")?;
        row(f, "events published (seen)", d.events.to_string())?;
        row(f, "deliveries expected / delivered", format!("{} / {}", d.expected, d.delivered))?;
        row(f, "delivered messages/s", format!("{:.0} (over {:.1} s)", d.per_sec, d.window_secs))?;
        row(f, "publish → receive latency", d.latency.to_string())?;
        row(f, "  publish → first client (per event)", d.first_latency.to_string())?;
        row(f, "  first client → each client", d.spread.to_string())?;
        row(f, "missing at open clients (gaps)", format!("{} (at {} clients)", d.missing_open, d.clients_missing))?;
        row(f, "missing at closed clients", d.missing_closed.to_string())?;
        row(f, "out-of-order or duplicate frames", d.out_of_order.to_string())?;
        row(f, "drained", if d.drained { "yes".into() } else { "no: timed out".into() })?;
        writeln!(
            f,
            "publish = the event's `at` (stamped by the server just before its commit); receive = when this \
             tool read the frame; same machine clock. The tool shares the machine with the server."
        )?;
        write!(f, "{}", if self.is_clean() { "result: clean" } else { "result: NOT clean (see above)" })
    }
}
