//! The WebSocket side of `bench live`: clients that connect to `/api/v1/live`, subscribe to
//! `tickets` and account for every event frame they receive.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU32, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use anyhow::{Context, bail};
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde::Deserialize;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::load::AuthHeader;

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A client's read buffer. Event frames are about 1 KiB; tungstenite's default of 128 KiB
/// per socket would reserve 1.3 GB for 10 000 clients.
const READ_BUFFER: usize = 16 * 1024;
/// The close code recorded for a socket that ended without a close frame (RFC 6455 § 7.4.1).
pub const CLOSED_ABNORMALLY: u32 = 1006;

/// Where and as whom the clients connect.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// `ws://host:port/api/v1/live`.
    pub url: String,
    pub auth: AuthHeader,
}

/// One client's account, written only by its own task and read by the orchestrator
/// (relaxed atomics: each value stands alone).
#[derive(Debug, Default)]
pub struct ClientStats {
    /// The `seq` of the `subscribed` answer: events after it are due to this client.
    pub sub_seq: AtomicI64,
    /// The last `seq` received.
    pub last: AtomicI64,
    /// Measured events received.
    pub measured: AtomicU64,
    /// Frames whose `seq` was not above the previous one (duplicates or out of order).
    pub out_of_order: AtomicU64,
    /// The server's close code; 0 while open, [`CLOSED_ABNORMALLY`] without a close frame.
    pub close: AtomicU32,
}

/// What all clients share.
pub struct Shared {
    /// Events stamped (`at`, µs since the Unix epoch) before this are warm-up: they are
    /// checked for order but not measured. `i64::MAX` until the measured phase starts.
    pub measure_from: AtomicI64,
    /// The highest `seq` any client has received.
    pub max_seq: AtomicI64,
    /// When a measured event was last received (µs since the Unix epoch).
    pub last_receive: AtomicI64,
    pub recorder: Mutex<Recorder>,
}

/// Held only to record one event (never across an `.await`).
pub struct Recorder {
    /// Publish → receive latency of measured events, µs.
    pub latency: Histogram<u64>,
    /// Fan-out spread: receive time minus the first receive of the same event by any client, µs.
    pub spread: Histogram<u64>,
    /// The measured events seen by any client: `seq` → (`at`, first receive), µs since the epoch.
    pub seen: BTreeMap<i64, (i64, i64)>,
}

impl Recorder {
    /// Publish → first client, one sample per event, µs.
    pub fn first_latency(&self) -> Histogram<u64> {
        let mut h = super::super::micros_histogram();
        for (at, first) in self.seen.values() {
            h.saturating_record(u64::try_from(first - at).unwrap_or(0));
        }
        h
    }
}

impl Shared {
    pub fn new() -> Self {
        Self {
            measure_from: AtomicI64::new(i64::MAX),
            max_seq: AtomicI64::new(0),
            last_receive: AtomicI64::new(0),
            recorder: Mutex::new(Recorder {
                latency: super::super::micros_histogram(),
                spread: super::super::micros_histogram(),
                seen: BTreeMap::new(),
            }),
        }
    }
}

impl Default for Shared {
    fn default() -> Self {
        Self::new()
    }
}

/// The fields of a server frame the bench reads; the rest (`data`, `counters`) is skipped.
#[derive(Deserialize)]
struct Frame<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    #[serde(default)]
    seq: Option<i64>,
    #[serde(default, borrow)]
    at: Option<&'a str>,
}

/// Connects, reads the hello, subscribes to `tickets` and returns the socket with the
/// `seq` of the `subscribed` answer.
pub async fn connect(endpoint: &Endpoint) -> anyhow::Result<(Ws, i64)> {
    let mut request = endpoint.url.as_str().into_client_request()?;
    request.headers_mut().insert(endpoint.auth.name.clone(), endpoint.auth.value.clone());
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(request, Some(config), true).await?;
    let hello = next_text(&mut ws).await.context("waiting for hello")?;
    if !hello.contains("\"hello\"") {
        bail!("expected hello, got {hello}");
    }
    ws.send(Message::text(r#"{"type":"subscribe","topics":["tickets"]}"#)).await?;
    let answer = next_text(&mut ws).await.context("waiting for subscribed")?;
    let frame: Frame<'_> = serde_json::from_str(&answer)?;
    match (frame.kind, frame.seq) {
        ("subscribed", Some(seq)) => Ok((ws, seq)),
        _ => bail!("expected subscribed, got {answer}"),
    }
}

async fn next_text(ws: &mut Ws) -> anyhow::Result<String> {
    loop {
        match ws.next().await.context("the server closed the socket")?? {
            Message::Text(t) => return Ok(t.as_str().to_owned()),
            Message::Close(c) => bail!("closed by the server: {c:?}"),
            _ => continue,
        }
    }
}

/// Reads frames until the socket closes, accounting for each event.
pub async fn follow(mut ws: Ws, stats: &ClientStats, shared: &Shared) {
    let code = loop {
        match ws.next().await {
            Some(Ok(Message::Text(t))) => {
                let received = chrono::Utc::now().timestamp_micros();
                if let Ok(frame) = serde_json::from_str::<Frame<'_>>(t.as_str())
                    && frame.kind == "event"
                {
                    record(&frame, received, stats, shared);
                }
            }
            Some(Ok(Message::Close(frame))) => break frame.map_or(CLOSED_ABNORMALLY, |f| u32::from(u16::from(f.code))),
            Some(Ok(_)) => {} // pings are answered by tungstenite
            Some(Err(_)) | None => break CLOSED_ABNORMALLY,
        }
    };
    stats.close.store(code, Relaxed);
}

fn record(frame: &Frame<'_>, received: i64, stats: &ClientStats, shared: &Shared) {
    let Some(seq) = frame.seq else { return };
    if seq <= stats.last.load(Relaxed) {
        stats.out_of_order.fetch_add(1, Relaxed);
        return;
    }
    stats.last.store(seq, Relaxed);
    shared.max_seq.fetch_max(seq, Relaxed);
    let Some(at) = frame.at.and_then(|a| chrono::DateTime::parse_from_rfc3339(a).ok()) else { return };
    let at = at.timestamp_micros();
    if at < shared.measure_from.load(Relaxed) {
        return;
    }
    stats.measured.fetch_add(1, Relaxed);
    shared.last_receive.fetch_max(received, Relaxed);
    let micros = |d: i64| u64::try_from(d).unwrap_or(0);
    let mut r = shared.recorder.lock().expect("recorder lock");
    r.latency.saturating_record(micros(received - at));
    let (_, first) = *r.seen.entry(seq).or_insert((at, received));
    r.spread.saturating_record(micros(received - first));
}

/// How long connecting, the hello and the subscription may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
