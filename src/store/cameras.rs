//! [`CameraStore`]: the camera registry and its own outbox (`camera_events`).
//!
//! Rules both backends keep:
//! - every change of a camera commits, in its transaction, one row in `camera_events` whose
//!   `data` is the camera's public view after the change
//!   ([`CameraView`](crate::domain::CameraView): never the source URL); `camera_events.seq`
//!   increases in commit order (its own sequence, apart from tickets');
//! - an upsert that keeps a camera's kind and source keeps its status, last check and last
//!   sighting; one that changes either resets them to `unknown`; `version` goes up by one;
//! - [`CameraStore::set_camera_status`] writes an event only when the status changes, and only
//!   if the camera is still at the version the checker saw (an edit in between wins).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;
use sqlx::types::Json;

use super::codec::parse_enum;
use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore, WriteTransaction};
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

fn corrupt(column: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("cameras.{column}: {e}"))
}

/// The columns of `cameras`, in the order every query reads them.
const CAMERA_COLUMNS: &str = "code, name, name_en, lon, lat, heading, fov, range_m, kind, source_url, \
     status, last_checked, last_seen, area, version, updated_at";

/// Key of the transaction-scoped lock that serialises camera event inserts ("SWBCAMS1").
const CAMERA_OUTBOX_LOCK: i64 = 0x5357_4243_414D_5331;

fn camera_from_row(row: &impl Get) -> StoreResult<Camera> {
    let code: String = row.col("code")?;
    let status: String = row.col("status")?;
    let source: String = row.col("source_url")?;
    Ok(Camera {
        code: CameraCode::parse(&code, "code").map_err(|e| corrupt("code", e))?,
        name: row.col("name")?,
        name_en: row.col("name_en")?,
        location: Location::parse(row.col("lon")?, row.col("lat")?, "").map_err(|e| corrupt("lon/lat", e))?,
        heading: row.col("heading")?,
        fov: row.col("fov")?,
        range_m: row.col("range_m")?,
        kind: parse_enum::<CameraKind>(&row.col::<String>("kind")?, "cameras.kind")?,
        source: SourceUrl::parse(&source, "source_url").map_err(|e| corrupt("source_url", e))?,
        status: CameraStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        last_checked: row.col("cameras.last_checked")?,
        last_seen: row.col("cameras.last_seen")?,
        area: row
            .col::<Option<String>>("area")?
            .map(|a| AreaCode::parse(&a, "area"))
            .transpose()
            .map_err(|e| corrupt("area", e))?,
        version: row.col("version")?,
        updated_at: row.col("cameras.updated_at")?,
    })
}

fn event_from_row(row: &impl Get) -> StoreResult<CameraEvent> {
    let kind: String = row.col("kind")?;
    Ok(CameraEvent {
        seq: row.col("seq")?,
        camera: CameraCode::parse(&row.col::<String>("camera")?, "camera")
            .map_err(|e| StoreError::Corrupt(format!("camera_events.camera: {e}")))?,
        kind: CameraEventKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("camera_events.kind: {kind:?}")))?,
        at: row.col("camera_events.at")?,
        data: row.col("camera_events.data")?,
    })
}

/// Appends the event of `camera` (its public view as data: never the source URL); last in its
/// transaction (the outbox lock is held until commit).
async fn append<D: Dialect>(
    conn: &mut D::Connection,
    camera: &Camera,
    kind: CameraEventKind,
    at: DateTime<Utc>,
) -> StoreResult<CameraEvent> {
    let data = serde_json::to_value(camera.view()).map_err(|e| StoreError::Invalid(format!("camera view: {e}")))?;
    D::lock_outbox(conn, CAMERA_OUTBOX_LOCK).await?;
    let row = D::query(
        "INSERT INTO camera_events (camera, kind, at, data) VALUES ($1, $2, $3, $4) \
         RETURNING seq, camera, kind, at, data",
    )
    .arg(camera.code.as_str())
    .arg(kind.wire_name())
    .arg(at)
    .arg(Json(&data))
    .fetch_one(D::conn(conn))
    .await?;
    event_from_row(&row)
}

#[async_trait]
impl<D: Dialect> CameraStore for SqlStore<D> {
    /// An upsert that keeps the camera's health (status, last check, last sighting) when its
    /// kind and source stay the same.
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, code = %camera.code))]
    async fn upsert_camera(&self, camera: &Camera) -> StoreResult<CameraEvent> {
        let keep = |column: &str, otherwise: &str| {
            format!(
                "{column} = CASE WHEN cameras.kind = excluded.kind AND cameras.source_url = excluded.source_url \
                 THEN cameras.{column} ELSE {otherwise} END"
            )
        };
        let sql = format!(
            "INSERT INTO cameras ({CAMERA_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, \
               lon = excluded.lon, lat = excluded.lat, heading = excluded.heading, fov = excluded.fov, \
               range_m = excluded.range_m, {}, {}, {}, kind = excluded.kind, \
               source_url = excluded.source_url, area = excluded.area, version = cameras.version + 1, \
               updated_at = excluded.updated_at \
             RETURNING {CAMERA_COLUMNS}",
            keep("status", "'unknown'"),
            keep("last_checked", "NULL"),
            keep("last_seen", "NULL"),
        );
        let mut tx = self.begin_write().await?;
        let row = D::query(AssertSqlSafe(sql))
            .arg(camera.code.as_str())
            .arg(camera.name.as_str())
            .arg(camera.name_en.as_str())
            .arg(camera.location.lon)
            .arg(camera.location.lat)
            .arg(camera.heading)
            .arg(camera.fov)
            .arg(camera.range_m)
            .arg(camera.kind.as_str())
            .arg(camera.source.as_str())
            .arg(camera.status.as_str())
            .arg(camera.last_checked)
            .arg(camera.last_seen)
            .arg(camera.area.as_ref().map(|a| a.as_str()))
            .arg(camera.updated_at)
            .fetch_one(D::conn(&mut tx))
            .await?;
        let stored = camera_from_row(&row)?;
        let event = append::<D>(&mut tx, &stored, CameraEventKind::Updated, stored.updated_at).await?;
        tx.commit().await?;
        Ok(event)
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn cameras(&self) -> StoreResult<Vec<Camera>> {
        let sql = format!("SELECT {CAMERA_COLUMNS} FROM cameras ORDER BY code{}", D::BYTEWISE);
        let rows = D::query(AssertSqlSafe(sql)).fetch_all(self.db()).await?;
        rows.iter().map(camera_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %code))]
    async fn camera(&self, code: &CameraCode) -> StoreResult<Option<Camera>> {
        let sql = format!("SELECT {CAMERA_COLUMNS} FROM cameras WHERE code = $1");
        let row = D::query(AssertSqlSafe(sql)).arg(code.as_str()).fetch_optional(self.db()).await?;
        row.as_ref().map(camera_from_row).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %code))]
    async fn delete_camera(&self, code: &CameraCode, at: DateTime<Utc>) -> StoreResult<Option<CameraEvent>> {
        let sql = format!("DELETE FROM cameras WHERE code = $1 RETURNING {CAMERA_COLUMNS}");
        let mut tx = self.begin_write().await?;
        let row = D::query(AssertSqlSafe(sql)).arg(code.as_str()).fetch_optional(D::conn(&mut tx)).await?;
        let Some(row) = row else { return Ok(None) };
        let gone = camera_from_row(&row)?;
        let event = append::<D>(&mut tx, &gone, CameraEventKind::Deleted, at).await?;
        tx.commit().await?;
        Ok(Some(event))
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, %code, status = status.as_str()))]
    async fn set_camera_status(
        &self,
        code: &CameraCode,
        version: i64,
        status: CameraStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<CameraEvent>> {
        let at = super::codec::micros(at);
        let online = status == CameraStatus::Online;
        let sql = format!(
            "UPDATE cameras SET status = $3, last_checked = $4, \
               last_seen = CASE WHEN $5 THEN $4 ELSE last_seen END, version = version + 1 \
             WHERE code = $1 AND version = $2 AND status <> $3 RETURNING {CAMERA_COLUMNS}"
        );
        let mut tx = self.begin_write().await?;
        let changed = D::query(AssertSqlSafe(sql))
            .arg(code.as_str())
            .arg(version)
            .arg(status.as_str())
            .arg(at)
            .arg(online)
            .fetch_optional(D::conn(&mut tx))
            .await?;
        let event = match changed {
            Some(row) => {
                let stored = camera_from_row(&row)?;
                Some(append::<D>(&mut tx, &stored, CameraEventKind::Status, at).await?)
            }
            None => {
                D::query(
                    "UPDATE cameras SET last_checked = $3, last_seen = CASE WHEN $4 THEN $3 ELSE last_seen END \
                     WHERE code = $1 AND version = $2",
                )
                .arg(code.as_str())
                .arg(version)
                .arg(at)
                .arg(online)
                .execute(D::conn(&mut tx))
                .await?;
                None
            }
        };
        tx.commit().await?;
        Ok(event)
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, after, limit))]
    async fn camera_events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<CameraEvent>> {
        let rows =
            D::query("SELECT seq, camera, kind, at, data FROM camera_events WHERE seq > $1 ORDER BY seq LIMIT $2")
                .arg(after)
                .arg(limit.max(0))
                .fetch_all(self.db())
                .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn last_camera_seq(&self) -> StoreResult<i64> {
        D::query("SELECT COALESCE(MAX(seq), 0) AS seq FROM camera_events").fetch_one(self.db()).await?.col("seq")
    }

    async fn prune_camera_events(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let done = self.execute_write(D::query("DELETE FROM camera_events WHERE at < $1").arg(before)).await?;
        Ok(done.rows())
    }
}
