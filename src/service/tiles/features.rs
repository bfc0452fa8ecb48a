//! [`FeatureSource`]: a vector source of fixed layers ([`FeatureLayer`]s), cut into tiles on
//! demand. The basemap is one; planning zones register one with [`FeatureSource::polygons`].

use std::sync::Arc;

use async_trait::async_trait;
use geo::Geometry;

use super::source::{Access, LayerInfo, SourceInfo, TileBody, TileError, TileFormat, TileSource};
use crate::spatial::tiles::{FeatureLayer, LayerFeature, TileFrame, TileId, Value, tile_bytes};

/// A row of [`FeatureSource::polygons`]: feature id, geometry (lon/lat), attributes.
pub type FeatureRow = (u64, Geometry<f64>, Vec<(String, Value)>);

/// A source of fixed vector layers.
pub struct FeatureSource {
    id: String,
    info: SourceInfo,
    layers: Arc<Vec<FeatureLayer>>,
}

impl FeatureSource {
    /// A source of `layers`; `info`'s layers and bounds are filled in from them.
    pub fn new(id: impl Into<String>, mut info: SourceInfo, layers: Vec<FeatureLayer>, descriptions: &[&str]) -> Self {
        info.layers = layers
            .iter()
            .enumerate()
            .map(|(i, l)| LayerInfo {
                id: l.name().to_owned(),
                description: descriptions.get(i).copied().unwrap_or_default().to_owned(),
                fields: l.fields(),
            })
            .collect();
        info.bounds = layers
            .iter()
            .filter_map(FeatureLayer::bounds)
            .reduce(|a, b| [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]);
        if info.center.is_none() {
            info.center =
                info.bounds.map(|b| [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0, f64::from(info.minzoom.max(11))]);
        }
        Self { id: id.into(), info, layers: Arc::new(layers) }
    }

    /// A public source of one polygon layer named like the source, from `(id, geometry
    /// (lon/lat), attributes)` rows: what the planning zones need
    /// (`tiles.register(Arc::new(FeatureSource::polygons("planning", …)))`).
    pub fn polygons(id: &str, name: &str, description: &str, rows: Vec<FeatureRow>) -> Self {
        let features = rows
            .into_iter()
            .map(|(fid, geometry, attributes)| LayerFeature {
                id: Some(fid),
                ..LayerFeature::new(geometry, attributes)
            })
            .collect();
        let info = SourceInfo {
            name: name.to_owned(),
            description: description.to_owned(),
            attribution: None,
            minzoom: 0,
            maxzoom: 18,
            bounds: None,
            center: None,
            layers: Vec::new(),
            format: TileFormat::Mvt,
            max_age: 300,
            access: Access::Public,
            cached: true,
        };
        Self::new(id, info, vec![FeatureLayer::new(id, features)], &[description])
    }
}

/// Features whose clipping takes about this many vertices or fewer are encoded on the runtime
/// thread (a few hundred microseconds at most); more, on the blocking pool.
pub const INLINE_VERTICES: usize = 4096;

/// Encodes `layers` into `tile`: clipping is CPU work, so off the async workers unless the
/// features it touches are small ([`INLINE_VERTICES`]); a hop to the blocking pool costs more
/// than encoding the typical deep-zoom tile.
pub(super) async fn encode_layers(
    layers: Arc<Vec<FeatureLayer>>,
    id: &str,
    tile: TileId,
) -> Result<TileBody, TileError> {
    let frame = TileFrame::new(tile);
    let encode = move |layers: &[FeatureLayer]| TileBody {
        bytes: tile_bytes(layers.iter().filter_map(|l| l.encode(&frame)).collect()),
        gzipped: false,
    };
    if layers.iter().map(|l| l.work(&frame)).sum::<usize>() <= INLINE_VERTICES {
        return Ok(encode(&layers));
    }
    tokio::task::spawn_blocking(move || encode(&layers)).await.map_err(|e| TileError::new(id, tile, e))
}

#[async_trait]
impl TileSource for FeatureSource {
    fn id(&self) -> &str {
        &self.id
    }

    fn info(&self) -> &SourceInfo {
        &self.info
    }

    async fn get_tile(&self, tile: TileId) -> Result<TileBody, TileError> {
        encode_layers(self.layers.clone(), &self.id, tile).await
    }
}
