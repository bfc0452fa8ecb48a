//! [`PlanningStore`]: planning layers and their zones, for both backends (a supertrait of
//! [`super::Store`], implemented in `postgres/planning.rs` and `sqlite/planning.rs`).
//!
//! A layer is replaced whole: its row and all its zones in one transaction, so a reader never
//! sees half of an import. Zones come back sorted by layer then code (bytewise), with their
//! geometry exactly as written (WKB on PostGIS, shortest round-trip GeoJSON text on SQLite).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::domain::{Decision, LandUse, PlanningLayer, PlanningLayerCode, PlanningZone, ZoneCode, ZoneLimits};

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
    /// be `layer.code`, else [`super::StoreError::Invalid`]), in one transaction.
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
pub(crate) fn check_zones(layer: &PlanningLayer, zones: &[PlanningZone]) -> StoreResult<()> {
    match zones.iter().find(|z| z.layer != layer.code) {
        Some(z) => {
            Err(super::StoreError::Invalid(format!("zone {} belongs to layer {}, not {}", z.code, z.layer, layer.code)))
        }
        None => Ok(()),
    }
}

/// The columns of a `planning_layers` row, in driver-neutral types.
pub(crate) struct LayerRow {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub decision_number: String,
    pub decision_date: chrono::NaiveDate,
    pub imported_at: DateTime<Utc>,
}

impl LayerRow {
    pub fn into_layer(self) -> StoreResult<PlanningLayer> {
        let corrupt = |e: crate::domain::ValidationErrors| {
            super::StoreError::Corrupt(format!("planning_layers row {}: {e}", self.code))
        };
        let code = PlanningLayerCode::parse(&self.code, "code").map_err(corrupt)?;
        let decision = Decision::new(&self.decision_number, self.decision_date, "decision_").map_err(corrupt)?;
        PlanningLayer::new(code, &self.name, &self.name_en, decision, self.imported_at).map_err(corrupt)
    }
}

/// The columns of a `planning_zones` row, in driver-neutral types.
pub(crate) struct ZoneRow {
    pub layer: String,
    pub code: String,
    pub name: Option<String>,
    pub land_use: String,
    pub max_height_m: Option<f64>,
    pub building_density_pct: Option<f64>,
    pub far: Option<f64>,
    pub decision_number: String,
    pub decision_date: chrono::NaiveDate,
    pub geometry: geo::MultiPolygon<f64>,
}

impl ZoneRow {
    pub fn into_zone(self) -> StoreResult<PlanningZone> {
        let corrupt = |e: crate::domain::ValidationErrors| {
            super::StoreError::Corrupt(format!("planning_zones row {}:{}: {e}", self.layer, self.code))
        };
        Ok(PlanningZone {
            layer: PlanningLayerCode::parse(&self.layer, "layer").map_err(corrupt)?,
            code: ZoneCode::parse(&self.code, "code").map_err(corrupt)?,
            name: PlanningZone::check_name(self.name.as_deref()).map_err(corrupt)?,
            land_use: LandUse::parse(&self.land_use, "land_use").map_err(corrupt)?,
            limits: ZoneLimits::new(self.max_height_m, self.building_density_pct, self.far).map_err(corrupt)?,
            decision: Decision::new(&self.decision_number, self.decision_date, "decision_").map_err(corrupt)?,
            geometry: self.geometry,
        })
    }
}
