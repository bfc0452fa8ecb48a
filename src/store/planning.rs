//! [`PlanningStore`]: planning layers and their zones.
//!
//! A layer is replaced whole: its row and all its zones in one transaction, so a reader never
//! sees half of an import. Zones come back sorted by layer then code (bytewise), with their
//! geometry exactly as written (WKB on PostGIS, shortest round-trip GeoJSON text on SQLite).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::AssertSqlSafe;

use super::sql::{Bind, Dialect, Get, RowsAffected, SqlStore, WriteTransaction};
use super::{StoreError, StoreResult};
use crate::domain::{
    Decision, LandUse, PlanningLayer, PlanningLayerCode, PlanningZone, ValidationErrors, ZoneCode, ZoneLimits,
};

/// What changes whenever a layer is imported or deleted: a server compares it to reload its
/// planning index (see `Services::planning`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlanningRevision {
    pub layers: i64,
    pub last_import: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait PlanningStore: Send + Sync {
    /// Inserts or replaces `layer` and replaces all its zones with `zones` (whose `layer` must
    /// be `layer.code`, else [`StoreError::Invalid`]), in one transaction.
    async fn replace_planning_layer(&self, layer: &PlanningLayer, zones: &[PlanningZone]) -> StoreResult<()>;
    /// Deletes a layer and its zones; `false` if there was no such layer.
    async fn delete_planning_layer(&self, code: &PlanningLayerCode) -> StoreResult<bool>;
    /// Every layer, by code.
    async fn planning_layers(&self) -> StoreResult<Vec<PlanningLayer>>;
    /// Every zone (of every layer), by layer then code.
    async fn planning_zones(&self) -> StoreResult<Vec<PlanningZone>>;
    async fn planning_revision(&self) -> StoreResult<PlanningRevision>;
}

/// Checks that every zone belongs to `layer` (a caller's bug otherwise).
fn check_zones(layer: &PlanningLayer, zones: &[PlanningZone]) -> StoreResult<()> {
    match zones.iter().find(|z| z.layer != layer.code) {
        Some(z) => {
            Err(StoreError::Invalid(format!("zone {} belongs to layer {}, not {}", z.code, z.layer, layer.code)))
        }
        None => Ok(()),
    }
}

fn layer_from_row(row: &impl Get) -> StoreResult<PlanningLayer> {
    let code: String = row.col("code")?;
    let corrupt = |e: ValidationErrors| StoreError::Corrupt(format!("planning_layers row {code}: {e}"));
    let decision_number: String = row.col("decision_number")?;
    let decision = Decision::new(&decision_number, row.col("planning_layers.decision_date")?, "decision_");
    let name: String = row.col("name")?;
    let name_en: String = row.col("name_en")?;
    let imported_at = row.col("planning_layers.imported_at")?;
    PlanningLayer::new(
        PlanningLayerCode::parse(&code, "code").map_err(corrupt)?,
        &name,
        &name_en,
        decision.map_err(corrupt)?,
        imported_at,
    )
    .map_err(corrupt)
}

fn zone_from_row(row: &impl Get) -> StoreResult<PlanningZone> {
    let (layer, code): (String, String) = (row.col("layer")?, row.col("code")?);
    let corrupt = |e: ValidationErrors| StoreError::Corrupt(format!("planning_zones row {layer}:{code}: {e}"));
    let decision_number: String = row.col("decision_number")?;
    Ok(PlanningZone {
        layer: PlanningLayerCode::parse(&layer, "layer").map_err(corrupt)?,
        code: ZoneCode::parse(&code, "code").map_err(corrupt)?,
        name: PlanningZone::check_name(row.col::<Option<String>>("name")?.as_deref()).map_err(corrupt)?,
        land_use: LandUse::parse(&row.col::<String>("land_use")?, "land_use").map_err(corrupt)?,
        limits: ZoneLimits::new(row.col("max_height_m")?, row.col("building_density_pct")?, row.col("far")?)
            .map_err(corrupt)?,
        decision: Decision::new(&decision_number, row.col("planning_zones.decision_date")?, "decision_")
            .map_err(corrupt)?,
        geometry: row.col("planning_zones.geometry")?,
    })
}

#[async_trait]
impl<D: Dialect> PlanningStore for SqlStore<D> {
    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, layer = %layer.code, zones = zones.len()))]
    async fn replace_planning_layer(&self, layer: &PlanningLayer, zones: &[PlanningZone]) -> StoreResult<()> {
        check_zones(layer, zones)?;
        let mut tx = self.begin_write().await?;
        D::query(
            "INSERT INTO planning_layers (code, name, name_en, decision_number, decision_date, imported_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO UPDATE SET name = excluded.name, \
             name_en = excluded.name_en, decision_number = excluded.decision_number, \
             decision_date = excluded.decision_date, imported_at = excluded.imported_at",
        )
        .arg(layer.code.as_str())
        .arg(layer.name.as_str())
        .arg(layer.name_en.as_str())
        .arg(layer.decision.number.as_str())
        .arg(layer.decision.date)
        .arg(layer.imported_at)
        .execute(D::conn(&mut tx))
        .await?;
        D::query("DELETE FROM planning_zones WHERE layer = $1")
            .arg(layer.code.as_str())
            .execute(D::conn(&mut tx))
            .await?;
        let sql = format!(
            "INSERT INTO planning_zones (layer, code, name, land_use, max_height_m, building_density_pct, far, \
             decision_number, decision_date, {}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, {})",
            D::GEOM,
            D::geom_in(10)
        );
        for z in zones {
            D::query(AssertSqlSafe(sql.clone()))
                .arg(z.layer.as_str())
                .arg(z.code.as_str())
                .arg(z.name.as_deref())
                .arg(z.land_use.as_str())
                .arg(z.limits.max_height_m)
                .arg(z.limits.building_density_pct)
                .arg(z.limits.far)
                .arg(z.decision.number.as_str())
                .arg(z.decision.date)
                .arg(&z.geometry)
                .execute(D::conn(&mut tx))
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME, layer = %code))]
    async fn delete_planning_layer(&self, code: &PlanningLayerCode) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let done = D::query("DELETE FROM planning_layers WHERE code = $1")
            .arg(code.as_str())
            .execute(D::conn(&mut tx))
            .await?;
        tx.commit().await?;
        Ok(done.rows() > 0)
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn planning_layers(&self) -> StoreResult<Vec<PlanningLayer>> {
        let sql = format!(
            "SELECT code, name, name_en, decision_number, decision_date, imported_at FROM planning_layers \
             ORDER BY code{}",
            D::BYTEWISE
        );
        let rows = D::query(AssertSqlSafe(sql)).fetch_all(self.db()).await?;
        rows.iter().map(layer_from_row).collect()
    }

    #[tracing::instrument(skip_all, fields(backend = D::LOG_NAME))]
    async fn planning_zones(&self) -> StoreResult<Vec<PlanningZone>> {
        let sql = format!(
            "SELECT layer, code, name, land_use, max_height_m, building_density_pct, far, decision_number, \
             decision_date, {} FROM planning_zones ORDER BY layer{c}, code{c}",
            D::GEOM_OUT,
            c = D::BYTEWISE
        );
        let rows = D::query(AssertSqlSafe(sql)).fetch_all(self.db()).await?;
        rows.iter().map(zone_from_row).collect()
    }

    async fn planning_revision(&self) -> StoreResult<PlanningRevision> {
        let row = D::query("SELECT count(*) AS n, max(imported_at) AS imported_at FROM planning_layers")
            .fetch_one(self.db())
            .await?;
        Ok(PlanningRevision { layers: row.col("n")?, last_import: row.col("planning_layers.imported_at")? })
    }
}
