//! One collection per planning layer, `planning-{LAYER}`: its zones, id the zone code, timed by
//! the day of the decision that approved each zone, ordered by code. One collection per layer
//! (rather than one with a `layer` property) because each plan is a separate document with its
//! own decision and extent, and a GIS client should show it as its own layer.

use std::sync::Arc;

use async_trait::async_trait;

use super::{Extent, FeatureCollectionSource, Interval, Items, ItemsQuery, page, union};
use crate::domain::{PlanningLayer, PlanningZone};
use crate::service::planning::zone_feature;
use crate::service::{Planning, ServiceResult};
use crate::spatial::PlanningIndex;

/// A collection per planning layer, by layer code.
pub(super) async fn layers(planning: &Planning) -> Vec<Box<dyn FeatureCollectionSource>> {
    let index = planning.index().await;
    index
        .layers()
        .iter()
        .map(|l| Box::new(Layer { index: index.clone(), layer: l.clone() }) as Box<dyn FeatureCollectionSource>)
        .collect()
}

struct Layer {
    index: Arc<PlanningIndex>,
    layer: PlanningLayer,
}

impl Layer {
    fn zones(&self) -> impl Iterator<Item = &PlanningZone> {
        self.index.zones_of(&self.layer.code)
    }

    fn feature(&self, z: &PlanningZone) -> geojson::Feature {
        let mut f = zone_feature(&self.index, z);
        // Within the collection the zone code is the id; `{layer}:{code}` stays in the properties.
        f.id = Some(geojson::feature::Id::String(z.code.to_string()));
        f
    }
}

#[async_trait]
impl FeatureCollectionSource for Layer {
    fn id(&self) -> String {
        format!("planning-{}", self.layer.code)
    }

    fn title(&self) -> String {
        format!("{} / {}", self.layer.name, self.layer.name_en)
    }

    fn description(&self) -> String {
        format!(
            "Phân khu chức năng sử dụng đất theo Quyết định {} ngày {}. Land-use zones approved by decision {} of {}.",
            self.layer.decision.number,
            self.layer.decision.date.format("%d/%m/%Y"),
            self.layer.decision.number,
            self.layer.decision.date
        )
    }

    fn extent(&self) -> Extent {
        let first = self.zones().map(|z| z.decision.date).min();
        let last = self.zones().map(|z| z.decision.date).max();
        let interval = first.zip(last).map(|(a, b)| Interval::between(Interval::day(a).start, Interval::day(b).end));
        Extent { bbox: union(self.index.extent(Some(&self.layer.code))), interval }
    }

    async fn items(&self, q: &ItemsQuery) -> ServiceResult<Items> {
        let world = crate::domain::BBox { min_lon: -180.0, min_lat: -90.0, max_lon: 180.0, max_lat: 90.0 };
        let matching: Vec<&PlanningZone> = self
            .index
            .in_bbox(&q.bbox.unwrap_or(world), Some(std::slice::from_ref(&self.layer.code)), None)
            .into_iter()
            .filter(|z| q.datetime.is_none_or(|t| Interval::day(z.decision.date).intersects(&t)))
            .collect();
        Ok(page(matching, q, |z| self.feature(z)))
    }

    async fn item(&self, id: &str) -> ServiceResult<Option<geojson::Feature>> {
        Ok(self.index.zone(self.layer.code.as_str(), id).map(|z| self.feature(z)))
    }
}
