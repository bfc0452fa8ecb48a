//! Planning layers and zones on SQLite (zones' geometry as GeoJSON text, like area boundaries).

use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::Row;
use sqlx::sqlite::{SqlitePool, SqliteRow};

use super::{SqliteStore, begin_write, ts};
use crate::domain::{PlanningLayer, PlanningLayerCode, PlanningZone};
use crate::store::codec::{geojson_text, parse_geojson, parse_opt_ts, ts_text};
use crate::store::planning::{LayerRow, PlanningRevision, PlanningStore, ZoneRow, check_zones};
use crate::store::{StoreError, StoreResult};

#[async_trait]
impl PlanningStore for SqliteStore {
    #[tracing::instrument(skip_all, fields(backend = "sqlite", layer = %layer.code, zones = zones.len()))]
    async fn replace_planning_layer(&self, layer: &PlanningLayer, zones: &[PlanningZone]) -> StoreResult<()> {
        check_zones(layer, zones)?;
        replace_layer(&self.pool, layer, zones).await
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite", layer = %code))]
    async fn delete_planning_layer(&self, code: &PlanningLayerCode) -> StoreResult<bool> {
        let mut tx = begin_write(&self.pool).await?;
        let done =
            sqlx::query("DELETE FROM planning_layers WHERE code = ?1").bind(code.as_str()).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn planning_layers(&self) -> StoreResult<Vec<PlanningLayer>> {
        let rows = sqlx::query(
            "SELECT code, name, name_en, decision_number, decision_date, imported_at FROM planning_layers ORDER BY code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                LayerRow {
                    code: row.try_get("code")?,
                    name: row.try_get("name")?,
                    name_en: row.try_get("name_en")?,
                    decision_number: row.try_get("decision_number")?,
                    decision_date: date(row, "planning_layers")?,
                    imported_at: ts(row, "planning_layers", "imported_at")?,
                }
                .into_layer()
            })
            .collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "sqlite"))]
    async fn planning_zones(&self) -> StoreResult<Vec<PlanningZone>> {
        let rows = sqlx::query(
            "SELECT layer, code, name, land_use, max_height_m, building_density_pct, far, decision_number, \
             decision_date, geometry FROM planning_zones ORDER BY layer, code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let (layer, code): (String, String) = (row.try_get("layer")?, row.try_get("code")?);
                let geometry =
                    parse_geojson(row.try_get("geometry")?, &format!("planning_zones.geometry of {layer}:{code}"))?;
                ZoneRow {
                    layer,
                    code,
                    name: row.try_get("name")?,
                    land_use: row.try_get("land_use")?,
                    max_height_m: row.try_get("max_height_m")?,
                    building_density_pct: row.try_get("building_density_pct")?,
                    far: row.try_get("far")?,
                    decision_number: row.try_get("decision_number")?,
                    decision_date: date(row, "planning_zones")?,
                    geometry,
                }
                .into_zone()
            })
            .collect()
    }

    async fn planning_revision(&self) -> StoreResult<PlanningRevision> {
        let row = sqlx::query("SELECT count(*) AS n, max(imported_at) AS last FROM planning_layers")
            .fetch_one(&self.pool)
            .await?;
        let last: Option<&str> = row.try_get("last")?;
        Ok(PlanningRevision {
            layers: row.try_get("n")?,
            last_import: parse_opt_ts(last, "planning_layers.imported_at")?,
        })
    }
}

/// The `decision_date` column (`YYYY-MM-DD`).
fn date(row: &SqliteRow, table: &str) -> StoreResult<NaiveDate> {
    let s: &str = row.try_get("decision_date")?;
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("{table}.decision_date: bad date {s:?} ({e})")))
}

async fn replace_layer(pool: &SqlitePool, layer: &PlanningLayer, zones: &[PlanningZone]) -> StoreResult<()> {
    let mut tx = begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO planning_layers (code, name, name_en, decision_number, decision_date, imported_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code) DO UPDATE SET name = excluded.name, \
         name_en = excluded.name_en, decision_number = excluded.decision_number, \
         decision_date = excluded.decision_date, imported_at = excluded.imported_at",
    )
    .bind(layer.code.as_str())
    .bind(&layer.name)
    .bind(&layer.name_en)
    .bind(&layer.decision.number)
    .bind(layer.decision.date.format("%Y-%m-%d").to_string())
    .bind(ts_text(layer.imported_at))
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM planning_zones WHERE layer = ?1").bind(layer.code.as_str()).execute(&mut *tx).await?;
    for z in zones {
        sqlx::query(
            "INSERT INTO planning_zones (layer, code, name, land_use, max_height_m, building_density_pct, far, \
             decision_number, decision_date, geometry) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .bind(z.layer.as_str())
        .bind(z.code.as_str())
        .bind(&z.name)
        .bind(z.land_use.as_str())
        .bind(z.limits.max_height_m)
        .bind(z.limits.building_density_pct)
        .bind(z.limits.far)
        .bind(&z.decision.number)
        .bind(z.decision.date.format("%Y-%m-%d").to_string())
        .bind(geojson_text(&z.geometry))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
