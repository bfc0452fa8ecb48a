//! The health checker: every `check_interval` it tries each camera's source (at most
//! `check_concurrency` at once, each within `check_timeout`) and records the result. A change
//! of status commits a `camera.status` event (the store writes one only on a change, and only
//! once when several instances check the same camera); the follower then streams it.

use futures_util::StreamExt;
use tokio::task::JoinHandle;

use crate::cameras::client::{FetchError, media_type};
use crate::cameras::proxy::image_type;
use crate::domain::{Camera, CameraKind, CameraStatus};
use std::sync::Arc;

use crate::cameras::{CameraClient, CameraSettings};
use crate::live::Live;
use crate::store::Store;

/// Camera events are kept this long (they only feed the live stream; clients reload the
/// registry after a reconnect).
pub const KEEP_EVENTS: chrono::Duration = chrono::Duration::hours(24);

/// Starts the checker; the first round runs at once. It also prunes old camera events hourly.
pub fn spawn(checker: Checker) -> JoinHandle<()> {
    crate::store::priority::spawn_background(async move {
        let mut tick = tokio::time::interval(checker.settings.check_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut pruned = std::time::Instant::now();
        loop {
            tick.tick().await;
            if let Err(e) = checker.check_all().await {
                tracing::warn!(error = %e, "camera health check round failed");
            }
            if pruned.elapsed() >= std::time::Duration::from_secs(3600) {
                pruned = std::time::Instant::now();
                match checker.store.prune_camera_events(chrono::Utc::now() - KEEP_EVENTS).await {
                    Ok(n) => tracing::debug!(deleted = n, "old camera events pruned"),
                    Err(e) => tracing::warn!(error = %e, "pruning camera events failed"),
                }
            }
        }
    })
}

/// What the health checker needs: the registry, the guarded client, its settings, and the
/// camera feed to wake after a change.
#[derive(Clone)]
pub struct Checker {
    pub store: Arc<dyn Store>,
    pub client: CameraClient,
    pub settings: CameraSettings,
    pub live: Arc<Live>,
}

impl Checker {
    /// One round over every camera. Returns how many changed status.
    #[tracing::instrument(skip_all)]
    pub async fn check_all(&self) -> anyhow::Result<usize> {
        let cameras = self.store.cameras().await?;
        let concurrency = self.settings.check_concurrency.max(1);
        let changed = futures_util::stream::iter(cameras)
            .map(|cam| self.check_one(cam))
            .buffer_unordered(concurrency)
            .fold(0usize, |n, changed| async move { n + usize::from(changed) })
            .await;
        if changed > 0 {
            self.live.cameras.wake.notify_one();
        }
        Ok(changed)
    }

    /// Checks one camera and records the result; true if its status changed.
    async fn check_one(&self, cam: Camera) -> bool {
        let timeout = self.settings.check_timeout;
        let outcome = match tokio::time::timeout(timeout, probe(&self.client, &cam)).await {
            Ok(r) => r,
            Err(_) => Err(FetchError::Timeout),
        };
        let status = if outcome.is_ok() { CameraStatus::Online } else { CameraStatus::Offline };
        match self.store.set_camera_status(&cam.code, cam.version, status, chrono::Utc::now()).await {
            Ok(Some(_)) => {
                match &outcome {
                    Ok(()) => tracing::info!(camera = %cam.code, "camera online"),
                    Err(e) => tracing::warn!(camera = %cam.code, reason = %e, "camera offline"),
                }
                true
            }
            Ok(None) => {
                if let Err(e) = &outcome {
                    tracing::debug!(camera = %cam.code, reason = %e, "camera still offline");
                }
                false
            }
            Err(e) => {
                tracing::error!(camera = %cam.code, error = %e, "recording a camera check failed");
                false
            }
        }
    }
}

/// Whether the source serves what its kind promises: an image, an MJPEG stream that sends
/// bytes, or a playlist.
async fn probe(client: &CameraClient, cam: &Camera) -> Result<(), FetchError> {
    let url = cam.source.url();
    match cam.kind {
        CameraKind::Snapshot => {
            let (_, body) = client.fetch(url, client.limits.max_snapshot_bytes).await?;
            image_type(&body).map(|_| ()).ok_or_else(|| FetchError::BadContent("not an image".into()))
        }
        CameraKind::Mjpeg => {
            let resp = client.open(url).await?;
            let media = media_type(&resp);
            if media != "multipart/x-mixed-replace" {
                return Err(FetchError::BadContent(media));
            }
            let mut stream = resp.bytes_stream();
            match stream.next().await {
                Some(Ok(chunk)) if !chunk.is_empty() => Ok(()),
                _ => Err(FetchError::BadContent("an MJPEG stream that sent nothing".into())),
            }
        }
        CameraKind::Hls => {
            let (_, body) = client.fetch(url, client.limits.max_playlist_bytes).await?;
            if body.starts_with(b"#EXTM3U") || body.starts_with(b"\xEF\xBB\xBF#EXTM3U") {
                Ok(())
            } else {
                Err(FetchError::BadContent("not an HLS playlist".into()))
            }
        }
    }
}
