//! The camera registry and its outbox, behind [`CameraStore`] (a supertrait of
//! [`super::Store`], implemented in `postgres/cameras.rs` and `sqlite/cameras.rs`).
//!
//! Rules both backends keep:
//! - every change of a camera commits, in its transaction, one row in `camera_events` whose
//!   `data` is the camera's public view after the change ([`CameraView`]: never the source URL);
//!   `camera_events.seq` increases in commit order (its own sequence, apart from tickets');
//! - an upsert that keeps a camera's kind and source keeps its status, last check and last
//!   sighting; one that changes either resets them to `unknown`; `version` goes up by one;
//! - [`CameraStore::set_camera_status`] writes an event only when the status changes, and only
//!   if the camera is still at the version the checker saw (an edit in between wins).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::codec::parse_enum;
use super::{StoreError, StoreResult};
use crate::domain::camera::SourceUrl;
use crate::domain::{AreaCode, Camera, CameraCode, CameraEvent, CameraEventKind, CameraKind, CameraStatus, Location};

#[async_trait]
pub trait CameraStore: Send + Sync {
    /// Inserts or replaces a camera (by code); returns its `camera.updated` event, whose data
    /// is the camera as stored.
    async fn upsert_camera(&self, camera: &Camera) -> StoreResult<CameraEvent>;
    /// Every camera, by code.
    async fn cameras(&self) -> StoreResult<Vec<Camera>>;
    async fn camera(&self, code: &CameraCode) -> StoreResult<Option<Camera>>;
    /// Deletes a camera; its `camera.deleted` event, or `None` if there was no such camera.
    async fn delete_camera(&self, code: &CameraCode, at: DateTime<Utc>) -> StoreResult<Option<CameraEvent>>;
    /// Records a health check of the camera at `version`: `last_checked` (and `last_seen` when
    /// online) always; the status, a version bump and a `camera.status` event only if the
    /// status changed. Nothing if the camera is gone or no longer at `version`.
    async fn set_camera_status(
        &self,
        code: &CameraCode,
        version: i64,
        status: CameraStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<CameraEvent>>;
    /// Camera events with `seq > after`, ascending, at most `limit`.
    async fn camera_events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<CameraEvent>>;
    /// The highest committed camera event `seq` (0 when none).
    async fn last_camera_seq(&self) -> StoreResult<i64>;
    /// Deletes camera events committed before `before` (they only feed the live stream, and
    /// sequences never go back); returns how many.
    async fn prune_camera_events(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}

/// A `cameras` row as plain column values.
pub(crate) struct CameraRow {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub lon: f64,
    pub lat: f64,
    pub heading: f64,
    pub fov: f64,
    pub range_m: f64,
    pub kind: String,
    pub source_url: String,
    pub status: String,
    pub last_checked: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    pub area: Option<String>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

fn corrupt(column: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("cameras.{column}: {e}"))
}

impl CameraRow {
    pub fn into_camera(self) -> StoreResult<Camera> {
        Ok(Camera {
            code: CameraCode::parse(&self.code, "code").map_err(|e| corrupt("code", e))?,
            name: self.name,
            name_en: self.name_en,
            location: Location::parse(self.lon, self.lat, "").map_err(|e| corrupt("lon/lat", e))?,
            heading: self.heading,
            fov: self.fov,
            range_m: self.range_m,
            kind: parse_enum::<CameraKind>(&self.kind, "cameras.kind")?,
            source: SourceUrl::parse(&self.source_url, "source_url").map_err(|e| corrupt("source_url", e))?,
            status: CameraStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            last_checked: self.last_checked,
            last_seen: self.last_seen,
            area: self.area.map(|a| AreaCode::parse(&a, "area")).transpose().map_err(|e| corrupt("area", e))?,
            version: self.version,
            updated_at: self.updated_at,
        })
    }
}

/// A `camera_events` row as plain column values.
pub(crate) struct CameraEventRow {
    pub seq: i64,
    pub camera: String,
    pub kind: String,
    pub at: DateTime<Utc>,
    pub data: serde_json::Value,
}

impl CameraEventRow {
    pub fn into_event(self) -> StoreResult<CameraEvent> {
        Ok(CameraEvent {
            seq: self.seq,
            camera: CameraCode::parse(&self.camera, "camera")
                .map_err(|e| StoreError::Corrupt(format!("camera_events.camera: {e}")))?,
            kind: CameraEventKind::parse(&self.kind)
                .ok_or_else(|| StoreError::Corrupt(format!("camera_events.kind: {:?}", self.kind)))?,
            at: self.at,
            data: self.data,
        })
    }
}

/// The event data of a camera: its public view, as JSON.
pub(crate) fn view_data(camera: &Camera) -> StoreResult<serde_json::Value> {
    serde_json::to_value(camera.view()).map_err(|e| StoreError::Invalid(format!("camera view: {e}")))
}

/// The SQL that keeps a camera's health when its kind and source stay the same (both
/// backends spell `excluded` the same way).
pub(crate) const KEEP_HEALTH_SQL: &str = "status = CASE WHEN cameras.kind = excluded.kind AND cameras.source_url = excluded.source_url \
        THEN cameras.status ELSE 'unknown' END, \
     last_checked = CASE WHEN cameras.kind = excluded.kind AND cameras.source_url = excluded.source_url \
        THEN cameras.last_checked ELSE NULL END, \
     last_seen = CASE WHEN cameras.kind = excluded.kind AND cameras.source_url = excluded.source_url \
        THEN cameras.last_seen ELSE NULL END";

/// The columns of `cameras`, in the order the backends select them.
pub(crate) const CAMERA_COLUMNS: &str = "code, name, name_en, lon, lat, heading, fov, range_m, kind, source_url, \
     status, last_checked, last_seen, area, version, updated_at";
