//! `switchboard camsim`: synthetic camera feeds for the demo and the tests.
//!
//! For cameras `1..=N`:
//! - `GET /cam/{n}/mjpeg`: `multipart/x-mixed-replace; boundary=frame`, [`FPS`] JPEG frames a
//!   second, each a moving pattern with the current time ([`frame`]);
//! - `GET /cam/{n}/snapshot.jpg`: one such frame;
//! - `GET /cam/{n}/index.m3u8`: a live HLS media playlist of the last three 2-second
//!   segments, `seg-{k}.jpg`, each the frame at the segment's start. JPEG segments are a
//!   fixture for the proxy's HLS path (playlists, rewriting, segment fetching), not video a
//!   player decodes; see `docs/cameras.md`.
//!
//! [`Camsim::start`] runs it in-process (the demo's `serve --demo`, the tests); stopping it
//! (dropping the handle) ends open streams and closes the listener.

pub mod frame;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Frames per second of the MJPEG streams.
pub const FPS: u64 = 5;
/// Length of an HLS segment, in seconds.
pub const SEGMENT_SECS: i64 = 2;

#[derive(Clone)]
struct Sim {
    cameras: usize,
    /// The newest frame of each camera with its frame number: viewers of one camera share
    /// the encoding. A std mutex: held only to copy a pointer.
    frames: Arc<std::sync::Mutex<std::collections::HashMap<usize, (i64, Bytes)>>>,
    /// MJPEG streams being served now.
    active: Arc<AtomicUsize>,
    stop: watch::Receiver<bool>,
}

/// A running camsim; dropping it stops it.
pub struct Camsim {
    addr: SocketAddr,
    active: Arc<AtomicUsize>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Camsim {
    /// Binds `listen` (port 0 picks a free one) and serves `cameras` cameras.
    pub async fn start(listen: SocketAddr, cameras: usize) -> anyhow::Result<Self> {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| anyhow::anyhow!("camsim cannot listen on {listen}: {e}"))?;
        let addr = listener.local_addr()?;
        let (stop, stop_rx) = watch::channel(false);
        let active = Arc::new(AtomicUsize::new(0));
        let sim =
            Sim { cameras: cameras.max(1), frames: Arc::default(), active: active.clone(), stop: stop_rx.clone() };
        let mut stopped = stop_rx;
        let task = tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.wait_for(|s| *s).await;
            };
            if let Err(e) = axum::serve(listener, router(sim)).with_graceful_shutdown(shutdown).await {
                tracing::warn!(error = %e, "camsim stopped");
            }
        });
        tracing::info!(%addr, cameras, "camsim serving");
        Ok(Self { addr, active, stop, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR/`.
    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// MJPEG streams open now.
    pub fn active_streams(&self) -> usize {
        self.active.load(Ordering::SeqCst)
    }

    /// Runs until stopped (the `switchboard camsim` command).
    pub async fn run_until_stopped(mut self) -> anyhow::Result<()> {
        (&mut self.task).await?;
        Ok(())
    }
}

impl Drop for Camsim {
    /// Stops accepting, ends every stream, and closes the connections (graceful shutdown: the
    /// serve task ends by itself once they are closed).
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

fn router(sim: Sim) -> Router {
    Router::new()
        .route("/cam/{n}/mjpeg", get(mjpeg))
        .route("/cam/{n}/snapshot.jpg", get(snapshot))
        .route("/cam/{n}/index.m3u8", get(playlist))
        .route("/cam/{n}/{segment}", get(segment))
        .with_state(sim)
}

fn camera(sim: &Sim, n: &str) -> Option<usize> {
    n.parse::<usize>().ok().filter(|n| (1..=sim.cameras).contains(n))
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no such camera\n").into_response()
}

async fn snapshot(State(sim): State<Sim>, Path(n): Path<String>) -> Response {
    let Some(n) = camera(&sim, &n) else { return not_found() };
    let jpeg = tokio::task::spawn_blocking(move || frame::jpeg(n, Utc::now())).await.unwrap_or_default();
    ([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "no-store")], jpeg).into_response()
}

/// Counts a stream while it lives.
struct Active(Arc<AtomicUsize>);

impl Drop for Active {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn mjpeg(State(sim): State<Sim>, Path(n): Path<String>) -> Response {
    let Some(n) = camera(&sim, &n) else { return not_found() };
    sim.active.fetch_add(1, Ordering::SeqCst);
    let guard = Active(sim.active.clone());
    let mut tick = tokio::time::interval(Duration::from_millis(1000 / FPS));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let state = (tick, sim.stop.clone(), guard, sim.frames.clone());
    let frames = futures_util::stream::unfold(state, move |(mut tick, mut stop, guard, cache)| async move {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.wait_for(|s| *s) => return None,
        }
        let now = Utc::now();
        let number = now.timestamp_millis() / (1000 / FPS as i64);
        let cached = cache.lock().expect("frame cache").get(&n).filter(|(k, _)| *k == number).map(|(_, f)| f.clone());
        let jpeg = match cached {
            Some(f) => f,
            None => {
                let f = Bytes::from(tokio::task::spawn_blocking(move || frame::jpeg(n, now)).await.ok()?);
                cache.lock().expect("frame cache").insert(n, (number, f.clone()));
                f
            }
        };
        let mut part =
            format!("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\n\r\n", jpeg.len()).into_bytes();
        part.extend_from_slice(&jpeg);
        part.extend_from_slice(b"\r\n");
        Some((Ok::<_, std::io::Error>(Bytes::from(part)), (tick, stop, guard, cache)))
    });
    (
        [(header::CONTENT_TYPE, "multipart/x-mixed-replace; boundary=frame"), (header::CACHE_CONTROL, "no-store")],
        Body::from_stream(frames),
    )
        .into_response()
}

async fn playlist(State(sim): State<Sim>, Path(n): Path<String>) -> Response {
    if camera(&sim, &n).is_none() {
        return not_found();
    }
    let now = Utc::now().timestamp();
    let last = now / SEGMENT_SECS;
    let first = last - 2;
    let mut text =
        format!("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:{SEGMENT_SECS}\n#EXT-X-MEDIA-SEQUENCE:{first}\n");
    for k in first..=last {
        text.push_str(&format!("#EXTINF:{SEGMENT_SECS}.0,\nseg-{k}.jpg\n"));
    }
    ([(header::CONTENT_TYPE, "application/vnd.apple.mpegurl"), (header::CACHE_CONTROL, "no-store")], text)
        .into_response()
}

async fn segment(State(sim): State<Sim>, Path((n, segment)): Path<(String, String)>) -> Response {
    let Some(n) = camera(&sim, &n) else { return not_found() };
    let Some(k) = segment.strip_prefix("seg-").and_then(|s| s.strip_suffix(".jpg")).and_then(|k| k.parse::<i64>().ok())
    else {
        return not_found();
    };
    let Some(at) = chrono::DateTime::from_timestamp(k.saturating_mul(SEGMENT_SECS), 0) else { return not_found() };
    let jpeg = tokio::task::spawn_blocking(move || frame::jpeg(n, at)).await.unwrap_or_default();
    ([(header::CONTENT_TYPE, "image/jpeg")], jpeg).into_response()
}
