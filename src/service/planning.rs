//! Planning maps for citizens and GIS clients: what is planned at a point, the zones in a map
//! view, the layers and the legend. All public: plans are public documents.
//!
//! The zones live in memory in a [`PlanningIndex`], loaded at start-up and reloaded whenever
//! the store's [`PlanningRevision`] changes (an import by the CLI or by another instance): a
//! request looks at the revision at most every [`RECHECK`], so an import shows within seconds
//! without a query per request.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde::Serialize;

use super::{ServiceResult, Tiles};
use crate::domain::{BBox, LandUse, Location, PlanningLayerCode, PlanningZone};
use crate::spatial::PlanningIndex;
use crate::store::PlanningRevision;
use crate::store::Store;

/// How often a request may look at the store's planning revision.
pub const RECHECK: Duration = Duration::from_secs(5);

/// The planning maps of one instance: the zones in memory, reloaded from the store when its
/// revision changes, and the `planning` tile source they feed. Cheap to clone.
#[derive(Clone)]
pub struct Planning {
    store: Arc<dyn Store>,
    state: Arc<PlanningState>,
    tiles: Tiles,
}

/// The planning index of one server instance and the revision it was built from.
struct PlanningState {
    /// Replaced whole on reload; a std lock held only to clone the `Arc`.
    index: RwLock<Arc<PlanningIndex>>,
    /// The revision the index was built from, and when it was last compared with the store's.
    /// A std lock: never held across `.await` (the time is taken and set before the query).
    checked: Mutex<(PlanningRevision, Option<Instant>)>,
}

impl Default for PlanningState {
    fn default() -> Self {
        Self { index: RwLock::new(Arc::new(PlanningIndex::default())), checked: Mutex::new(Default::default()) }
    }
}

/// A zone as the API shows it: its attributes, its layer's names and its legend entry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ZoneView {
    /// `{layer}:{code}`.
    pub id: String,
    pub layer: String,
    pub layer_name: String,
    pub layer_name_en: String,
    pub code: String,
    pub name: Option<String>,
    pub land_use: LandUse,
    /// The map symbol, e.g. `ODT`.
    pub symbol: &'static str,
    pub land_use_vi: &'static str,
    pub land_use_en: &'static str,
    /// `#rrggbb`.
    pub colour: &'static str,
    /// Metres.
    pub max_height_m: Option<f64>,
    /// Percent of the lot.
    pub building_density_pct: Option<f64>,
    /// Floor-area ratio.
    pub far: Option<f64>,
    /// E.g. "1287/QĐ-UBND".
    pub decision_number: String,
    pub decision_date: NaiveDate,
}

/// The zones at a point.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ZonesAt {
    pub location: Location,
    /// Every zone holding the point, by layer then code (two or more on a border between zones).
    pub zones: Vec<ZoneAt>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ZoneAt {
    #[serde(flatten)]
    pub zone: ZoneView,
    /// The point lies on the zone's edge (the zone next door is listed too).
    pub on_boundary: bool,
}

/// One entry of the legend.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LegendEntry {
    pub land_use: LandUse,
    pub symbol: &'static str,
    pub label_vi: &'static str,
    pub label_en: &'static str,
    pub colour: &'static str,
}

/// A planning layer with its zone count and extent.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LayerView {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub zones: usize,
    /// `[minLon, minLat, maxLon, maxLat]` of its zones.
    pub bbox: Option<[f64; 4]>,
}

/// The layers and the legend of the planning map.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PlanningLayers {
    pub layers: Vec<LayerView>,
    /// Every land-use kind, in legend order.
    pub legend: Vec<LegendEntry>,
}

/// The legend: every land-use kind with its symbol, labels and colour.
pub fn legend() -> Vec<LegendEntry> {
    LandUse::ALL
        .into_iter()
        .map(|l| LegendEntry {
            land_use: l,
            symbol: l.symbol(),
            label_vi: l.label_vi(),
            label_en: l.label_en(),
            colour: l.colour(),
        })
        .collect()
}

/// `zone` as the API shows it.
pub fn zone_view(index: &PlanningIndex, zone: &PlanningZone) -> ZoneView {
    let layer = index.layer(zone.layer.as_str());
    let l = zone.land_use;
    ZoneView {
        id: zone.id(),
        layer: zone.layer.to_string(),
        layer_name: layer.map(|x| x.name.clone()).unwrap_or_default(),
        layer_name_en: layer.map(|x| x.name_en.clone()).unwrap_or_default(),
        code: zone.code.to_string(),
        name: zone.name.clone(),
        land_use: l,
        symbol: l.symbol(),
        land_use_vi: l.label_vi(),
        land_use_en: l.label_en(),
        colour: l.colour(),
        max_height_m: zone.limits.max_height_m,
        building_density_pct: zone.limits.building_density_pct,
        far: zone.limits.far,
        decision_number: zone.decision.number.clone(),
        decision_date: zone.decision.date,
    }
}

impl Planning {
    pub fn new(store: Arc<dyn Store>, tiles: Tiles) -> Self {
        Self { store, state: Arc::default(), tiles }
    }

    /// The current planning index, reloaded first if the store's revision changed (looked at
    /// most every [`RECHECK`]). A failed look keeps the index it has and logs why.
    pub async fn index(&self) -> Arc<PlanningIndex> {
        let due = {
            let mut checked = self.state.checked.lock().expect("planning lock");
            let due = checked.1.is_none_or(|t| t.elapsed() >= RECHECK);
            if due {
                checked.1 = Some(Instant::now());
            }
            due.then_some(checked.0)
        };
        if let Some(known) = due {
            match self.store.planning_revision().await {
                Ok(now) if now != known => {
                    if let Err(e) = self.reload().await {
                        tracing::error!(error = %format!("{e:#}"), "reloading the planning index failed");
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "reading the planning revision failed"),
            }
        }
        self.state.index.read().expect("planning lock").clone()
    }

    /// Rebuilds the planning index from the store (at start-up, after an import).
    #[tracing::instrument(skip_all)]
    pub async fn reload(&self) -> anyhow::Result<()> {
        let revision = self.store.planning_revision().await?;
        let (layers, zones) = (self.store.planning_layers().await?, self.store.planning_zones().await?);
        let count = zones.len();
        let rows = zones
            .iter()
            .enumerate()
            .map(|(i, z)| {
                let (geometry, attributes) = tile_row(z);
                (i as u64 + 1, geometry, attributes)
            })
            .collect();
        let source = super::tiles::features::FeatureSource::polygons(
            "planning",
            "Quy hoạch sử dụng đất / Land-use planning",
            "Các khu quy hoạch sử dụng đất đã được phê duyệt. Approved land-use zones: land use, limits, decision.",
            rows,
        );
        self.tiles.register(Arc::new(source));
        let index = tokio::task::spawn_blocking(move || PlanningIndex::new(layers, zones)).await?;
        *self.state.index.write().expect("planning lock") = Arc::new(index);
        self.state.checked.lock().expect("planning lock").0 = revision;
        tracing::info!(zones = count, "planning index loaded");
        Ok(())
    }

    /// `GET /api/v1/planning/at`: every zone at `at`.
    pub async fn zones_at(&self, at: Location) -> ServiceResult<ZonesAt> {
        let index = self.index().await;
        let zones = index
            .at(at)
            .into_iter()
            .map(|h| ZoneAt { zone: zone_view(&index, h.zone), on_boundary: !h.inside })
            .collect();
        Ok(ZonesAt { location: at, zones })
    }

    /// `GET /api/v1/planning/layers`.
    pub async fn planning_layers(&self) -> ServiceResult<PlanningLayers> {
        let index = self.index().await;
        let layers = index
            .layers()
            .iter()
            .map(|l| LayerView {
                code: l.code.to_string(),
                name: l.name.clone(),
                name_en: l.name_en.clone(),
                decision_number: l.decision.number.clone(),
                decision_date: l.decision.date,
                zones: index.zones_of(&l.code).count(),
                bbox: index.extent(Some(&l.code)).map(|b| [b.min_lon, b.min_lat, b.max_lon, b.max_lat]),
            })
            .collect();
        Ok(PlanningLayers { layers, legend: legend() })
    }

    /// `GET /api/v1/planning/zones`: the zones in a box (all without one) as a GeoJSON
    /// FeatureCollection whose properties are [`ZoneView`]s.
    pub async fn zones_geojson(
        &self,
        bbox: Option<BBox>,
        layers: Option<Vec<PlanningLayerCode>>,
        uses: Option<Vec<LandUse>>,
    ) -> ServiceResult<geojson::FeatureCollection> {
        let index = self.index().await;
        let world = BBox { min_lon: -180.0, min_lat: -90.0, max_lon: 180.0, max_lat: 90.0 };
        let zones = index.in_bbox(&bbox.unwrap_or(world), layers.as_deref(), uses.as_deref());
        let features = zones.into_iter().map(|z| zone_feature(&index, z)).collect();
        Ok(geojson::FeatureCollection { bbox: None, features, foreign_members: None })
    }
}

/// A zone as a GeoJSON Feature: id `{layer}:{code}`, properties a [`ZoneView`].
pub fn zone_feature(index: &PlanningIndex, zone: &PlanningZone) -> geojson::Feature {
    let properties = match serde_json::to_value(zone_view(index, zone)) {
        Ok(serde_json::Value::Object(m)) => Some(m),
        _ => None,
    };
    geojson::Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::new(geojson::Value::from(&zone.geometry))),
        id: Some(geojson::feature::Id::String(zone.id())),
        properties,
        foreign_members: None,
    }
}

/// A zone as a vector-tile feature: its geometry and every public attribute, named as in
/// `GET /api/v1/planning/zones` so the page's filters and labels work on either.
fn tile_row(z: &PlanningZone) -> (geo::Geometry<f64>, Vec<(String, crate::spatial::tiles::Value)>) {
    use crate::spatial::tiles::Value;
    let text = |k: &str, v: String| (k.to_owned(), Value::Str(v));
    let mut a = vec![
        text("id", z.id()),
        text("layer", z.layer.to_string()),
        text("code", z.code.to_string()),
        text("land_use", z.land_use.as_str().to_owned()),
        text("symbol", z.land_use.symbol().to_owned()),
        text("colour", z.land_use.colour().to_owned()),
        text("decision_number", z.decision.number.clone()),
        text("decision_date", z.decision.date.to_string()),
    ];
    a.extend(z.name.clone().map(|n| text("name", n)));
    let limits = &z.limits;
    for (k, v) in [
        ("max_height_m", limits.max_height_m),
        ("building_density_pct", limits.building_density_pct),
        ("far", limits.far),
    ] {
        a.extend(v.map(|v| (k.to_owned(), Value::Double(v))));
    }
    (geo::Geometry::MultiPolygon(z.geometry.clone()), a)
}
