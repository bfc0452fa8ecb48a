//! [`CameraStore`] on SQLite: the `cameras` table and its `camera_events` outbox.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, Row, SqliteConnection};

use super::{SqliteStore, begin_write, opt_ts, ts};
use crate::domain::{Camera, CameraCode, CameraEvent, CameraEventKind, CameraStatus};
use crate::store::StoreResult;
use crate::store::cameras::{CAMERA_COLUMNS, CameraEventRow, CameraRow, CameraStore, KEEP_HEALTH_SQL, view_data};
use crate::store::codec::{micros, parse_json, ts_text};

fn camera_from_row(row: &SqliteRow) -> StoreResult<Camera> {
    CameraRow {
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        name_en: row.try_get("name_en")?,
        lon: row.try_get("lon")?,
        lat: row.try_get("lat")?,
        heading: row.try_get("heading")?,
        fov: row.try_get("fov")?,
        range_m: row.try_get("range_m")?,
        kind: row.try_get("kind")?,
        source_url: row.try_get("source_url")?,
        status: row.try_get("status")?,
        last_checked: opt_ts(row, "cameras", "last_checked")?,
        last_seen: opt_ts(row, "cameras", "last_seen")?,
        area: row.try_get("area")?,
        version: row.try_get("version")?,
        updated_at: ts(row, "cameras", "updated_at")?,
    }
    .into_camera()
}

fn event_from_row(row: &SqliteRow) -> StoreResult<CameraEvent> {
    CameraEventRow {
        seq: row.try_get("seq")?,
        camera: row.try_get("camera")?,
        kind: row.try_get("kind")?,
        at: ts(row, "camera_events", "at")?,
        data: parse_json(row.try_get("data")?, "camera_events.data")?,
    }
    .into_event()
}

async fn append(
    conn: &mut SqliteConnection,
    camera: &Camera,
    kind: CameraEventKind,
    at: DateTime<Utc>,
) -> StoreResult<CameraEvent> {
    let row = sqlx::query(
        "INSERT INTO camera_events (camera, kind, at, data) VALUES (?1, ?2, ?3, ?4) \
         RETURNING seq, camera, kind, at, data",
    )
    .bind(camera.code.as_str())
    .bind(kind.wire_name())
    .bind(ts_text(micros(at)))
    .bind(view_data(camera)?.to_string())
    .fetch_one(&mut *conn)
    .await?;
    event_from_row(&row)
}

#[async_trait]
impl CameraStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(backend = "sqlite", code = %camera.code))]
    async fn upsert_camera(&self, camera: &Camera) -> StoreResult<CameraEvent> {
        let mut tx = begin_write(&self.pool).await?;
        let sql = format!(
            "INSERT INTO cameras ({CAMERA_COLUMNS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 1, ?15) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, \
               lon = excluded.lon, lat = excluded.lat, heading = excluded.heading, fov = excluded.fov, \
               range_m = excluded.range_m, {KEEP_HEALTH_SQL}, kind = excluded.kind, \
               source_url = excluded.source_url, area = excluded.area, version = cameras.version + 1, \
               updated_at = excluded.updated_at \
             RETURNING {CAMERA_COLUMNS}"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(camera.code.as_str())
            .bind(&camera.name)
            .bind(&camera.name_en)
            .bind(camera.location.lon)
            .bind(camera.location.lat)
            .bind(camera.heading)
            .bind(camera.fov)
            .bind(camera.range_m)
            .bind(camera.kind.as_str())
            .bind(camera.source.as_str())
            .bind(camera.status.as_str())
            .bind(camera.last_checked.map(|t| ts_text(micros(t))))
            .bind(camera.last_seen.map(|t| ts_text(micros(t))))
            .bind(camera.area.as_ref().map(|a| a.as_str()))
            .bind(ts_text(micros(camera.updated_at)))
            .fetch_one(&mut *tx)
            .await?;
        let stored = camera_from_row(&row)?;
        let event = append(&mut tx, &stored, CameraEventKind::Updated, stored.updated_at).await?;
        tx.commit().await?;
        Ok(event)
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn cameras(&self) -> StoreResult<Vec<Camera>> {
        let rows = sqlx::query(AssertSqlSafe(format!("SELECT {CAMERA_COLUMNS} FROM cameras ORDER BY code")))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(camera_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", %code))]
    async fn camera(&self, code: &CameraCode) -> StoreResult<Option<Camera>> {
        let row = sqlx::query(AssertSqlSafe(format!("SELECT {CAMERA_COLUMNS} FROM cameras WHERE code = ?1")))
            .bind(code.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(camera_from_row).transpose()
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", %code))]
    async fn delete_camera(&self, code: &CameraCode, at: DateTime<Utc>) -> StoreResult<Option<CameraEvent>> {
        let mut tx = begin_write(&self.pool).await?;
        let row = sqlx::query(AssertSqlSafe(format!("DELETE FROM cameras WHERE code = ?1 RETURNING {CAMERA_COLUMNS}")))
            .bind(code.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let gone = camera_from_row(&row)?;
        let event = append(&mut tx, &gone, CameraEventKind::Deleted, at).await?;
        tx.commit().await?;
        Ok(Some(event))
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", %code, status = status.as_str()))]
    async fn set_camera_status(
        &self,
        code: &CameraCode,
        version: i64,
        status: CameraStatus,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<CameraEvent>> {
        let at_text = ts_text(micros(at));
        let online = status == CameraStatus::Online;
        let mut tx = begin_write(&self.pool).await?;
        let changed = sqlx::query(AssertSqlSafe(format!(
            "UPDATE cameras SET status = ?3, last_checked = ?4, \
               last_seen = CASE WHEN ?5 THEN ?4 ELSE last_seen END, version = version + 1 \
             WHERE code = ?1 AND version = ?2 AND status <> ?3 RETURNING {CAMERA_COLUMNS}"
        )))
        .bind(code.as_str())
        .bind(version)
        .bind(status.as_str())
        .bind(&at_text)
        .bind(online)
        .fetch_optional(&mut *tx)
        .await?;
        let event = match changed {
            Some(row) => {
                let stored = camera_from_row(&row)?;
                Some(append(&mut tx, &stored, CameraEventKind::Status, at).await?)
            }
            None => {
                sqlx::query(
                    "UPDATE cameras SET last_checked = ?3, last_seen = CASE WHEN ?4 THEN ?3 ELSE last_seen END \
                     WHERE code = ?1 AND version = ?2",
                )
                .bind(code.as_str())
                .bind(version)
                .bind(&at_text)
                .bind(online)
                .execute(&mut *tx)
                .await?;
                None
            }
        };
        tx.commit().await?;
        Ok(event)
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", after, limit))]
    async fn camera_events_after(&self, after: i64, limit: i64) -> StoreResult<Vec<CameraEvent>> {
        let rows =
            sqlx::query("SELECT seq, camera, kind, at, data FROM camera_events WHERE seq > ?1 ORDER BY seq LIMIT ?2")
                .bind(after)
                .bind(limit.max(0))
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn last_camera_seq(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM camera_events").fetch_one(&self.pool).await?)
    }

    async fn prune_camera_events(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM camera_events WHERE at < ?1")
            .bind(ts_text(micros(before)))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
