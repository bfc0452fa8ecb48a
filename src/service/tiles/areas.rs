//! The `areas` source: the administrative areas in force (city, districts, wards) from the
//! in-memory area index, as polygons (`areas`) and one label point per area (`area_labels`).
//! Public: boundaries are public information.
//!
//! The layers are built once per reference snapshot (the [`crate::service::Reference`] is
//! replaced whole on reload, so a new snapshot means rebuilt layers) and the tiles a boundary
//! change touches are evicted by [`super::Tiles::areas_changed`].

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::Utc;
use geo::{Geometry, InteriorPoint};

use super::features::encode_layers;
use super::source::{Access, LayerInfo, SourceInfo, TileBody, TileError, TileFormat, TileSource};
use crate::domain::Area;
use crate::service::{Reference, ReferenceData};
use crate::spatial::tiles::{FeatureLayer, LayerFeature, TileId, Value};

pub const ID: &str = "areas";

/// The areas source.
pub struct AreasSource {
    info: SourceInfo,
    /// The layers of the reference snapshot they were built from (compared by pointer).
    built: Mutex<Option<(usize, Arc<Vec<FeatureLayer>>)>>,
    reference: ReferenceData,
}

fn attributes(a: &Area) -> Vec<(String, Value)> {
    let mut v = vec![
        ("code".to_owned(), Value::Str(a.code.to_string())),
        ("name".to_owned(), Value::Str(a.name.clone())),
        ("name_en".to_owned(), Value::Str(a.name_en.clone())),
        ("level".to_owned(), Value::Str(a.level.clone())),
    ];
    if let Some(p) = &a.parent {
        v.push(("parent".to_owned(), Value::Str(p.to_string())));
    }
    v
}

/// The two layers for the areas in force now.
fn build(reference: &Reference) -> Vec<FeatureLayer> {
    let areas = reference.areas.all(Utc::now());
    let polygons = areas.iter().map(|a| LayerFeature::new(Geometry::MultiPolygon(a.geometry.clone()), attributes(a)));
    let labels = areas.iter().filter_map(|a| {
        let p = a.geometry.interior_point()?;
        Some(LayerFeature::new(Geometry::Point(p), attributes(a)))
    });
    vec![FeatureLayer::new("areas", polygons.collect()), FeatureLayer::new("area_labels", labels.collect())]
}

impl AreasSource {
    pub fn new(reference: ReferenceData) -> Self {
        let current = reference.current();
        let layers = build(&current);
        let fields = layers[0].fields();
        let bounds = layers[0].bounds();
        let info = SourceInfo {
            name: "Địa giới hành chính / Administrative areas".into(),
            description: "Thành phố, quận, phường / City, districts and wards".into(),
            attribution: None,
            minzoom: 0,
            maxzoom: 18,
            bounds,
            center: bounds.map(|b| [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0, 11.0]),
            layers: vec![
                LayerInfo {
                    id: "areas".into(),
                    description: "Ranh giới (level: city | district | ward) / Boundaries".into(),
                    fields: fields.clone(),
                },
                LayerInfo {
                    id: "area_labels".into(),
                    description: "Một điểm nhãn cho mỗi khu vực / One label point per area".into(),
                    fields,
                },
            ],
            format: TileFormat::Mvt,
            max_age: 300,
            access: Access::Public,
            cached: true,
        };
        let built = Mutex::new(Some((Arc::as_ptr(&current) as usize, Arc::new(layers))));
        Self { info, built, reference }
    }

    /// The layers for `reference`, rebuilt if it is a new snapshot.
    fn layers(&self, reference: &Arc<Reference>) -> Arc<Vec<FeatureLayer>> {
        let key = Arc::as_ptr(reference) as usize;
        let mut built = self.built.lock().expect("areas layers lock");
        match &*built {
            Some((k, layers)) if *k == key => layers.clone(),
            _ => {
                let layers = Arc::new(build(reference));
                *built = Some((key, layers.clone()));
                layers
            }
        }
    }
}

#[async_trait]
impl TileSource for AreasSource {
    fn id(&self) -> &str {
        ID
    }

    fn info(&self) -> &SourceInfo {
        &self.info
    }

    async fn get_tile(&self, tile: TileId) -> Result<TileBody, TileError> {
        let layers = self.layers(&self.reference.current());
        encode_layers(layers, ID, tile).await
    }
}
