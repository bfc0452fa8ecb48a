//! Planning layers and zones on PostGIS (zones' geometry as WKB, like area boundaries).

use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgPool;

use super::{PgStore, boundary};
use crate::domain::{PlanningLayer, PlanningLayerCode, PlanningZone};
use crate::store::StoreResult;
use crate::store::codec::micros;
use crate::store::planning::{LayerRow, PlanningRevision, PlanningStore, ZoneRow, check_zones};

#[async_trait]
impl PlanningStore for PgStore {
    #[tracing::instrument(skip_all, fields(backend = "postgres", layer = %layer.code, zones = zones.len()))]
    async fn replace_planning_layer(&self, layer: &PlanningLayer, zones: &[PlanningZone]) -> StoreResult<()> {
        check_zones(layer, zones)?;
        replace_layer(&self.pool, layer, zones).await
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres", layer = %code))]
    async fn delete_planning_layer(&self, code: &PlanningLayerCode) -> StoreResult<bool> {
        let done =
            sqlx::query("DELETE FROM planning_layers WHERE code = $1").bind(code.as_str()).execute(&self.pool).await?;
        Ok(done.rows_affected() > 0)
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
    async fn planning_layers(&self) -> StoreResult<Vec<PlanningLayer>> {
        let rows = sqlx::query(
            "SELECT code, name, name_en, decision_number, decision_date, imported_at FROM planning_layers \
             ORDER BY code COLLATE \"C\"",
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
                    decision_date: row.try_get("decision_date")?,
                    imported_at: row.try_get("imported_at")?,
                }
                .into_layer()
            })
            .collect()
    }

    #[tracing::instrument(skip_all, fields(backend = "postgres"))]
    async fn planning_zones(&self) -> StoreResult<Vec<PlanningZone>> {
        let rows = sqlx::query(
            "SELECT layer, code, name, land_use, max_height_m, building_density_pct, far, decision_number, \
             decision_date, ST_AsBinary(geom) AS wkb FROM planning_zones \
             ORDER BY layer COLLATE \"C\", code COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let (layer, code): (String, String) = (row.try_get("layer")?, row.try_get("code")?);
                let wkb: Vec<u8> = row.try_get("wkb")?;
                let geometry = boundary::decode_multipolygon(&wkb).map_err(|e| {
                    crate::store::StoreError::Corrupt(format!("planning_zones.geom of {layer}:{code}: {e}"))
                })?;
                ZoneRow {
                    layer,
                    code,
                    name: row.try_get("name")?,
                    land_use: row.try_get("land_use")?,
                    max_height_m: row.try_get("max_height_m")?,
                    building_density_pct: row.try_get("building_density_pct")?,
                    far: row.try_get("far")?,
                    decision_number: row.try_get("decision_number")?,
                    decision_date: row.try_get("decision_date")?,
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
        Ok(PlanningRevision { layers: row.try_get("n")?, last_import: row.try_get("last")? })
    }
}

async fn replace_layer(pool: &PgPool, layer: &PlanningLayer, zones: &[PlanningZone]) -> StoreResult<()> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO planning_layers (code, name, name_en, decision_number, decision_date, imported_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, \
         name_en = EXCLUDED.name_en, decision_number = EXCLUDED.decision_number, \
         decision_date = EXCLUDED.decision_date, imported_at = EXCLUDED.imported_at",
    )
    .bind(layer.code.as_str())
    .bind(&layer.name)
    .bind(&layer.name_en)
    .bind(&layer.decision.number)
    .bind(layer.decision.date)
    .bind(micros(layer.imported_at))
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM planning_zones WHERE layer = $1").bind(layer.code.as_str()).execute(&mut *tx).await?;
    for z in zones {
        sqlx::query(
            "INSERT INTO planning_zones (layer, code, name, land_use, max_height_m, building_density_pct, far, \
             decision_number, decision_date, geom) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ST_GeomFromWKB($10, 4326))",
        )
        .bind(z.layer.as_str())
        .bind(z.code.as_str())
        .bind(&z.name)
        .bind(z.land_use.as_str())
        .bind(z.limits.max_height_m)
        .bind(z.limits.building_density_pct)
        .bind(z.limits.far)
        .bind(&z.decision.number)
        .bind(z.decision.date)
        .bind(boundary::encode_multipolygon(&z.geometry))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
