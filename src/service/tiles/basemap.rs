//! The `basemap` source: water (the sea and the rivers) and main roads of the demo city, from
//! `geodata/danang/water.geojson` and `roads.geojson` (made by `geodata/tools/gen_basemap.py`),
//! embedded in the binary. A city with its own basemap serves it from a PMTiles archive instead
//! (`serve --basemap-pmtiles FILE`, the `pmtiles` source).

use anyhow::Context as _;
use geo::Geometry;
use geojson::GeoJson;

use super::features::FeatureSource;
use super::source::{Access, SourceInfo, TileFormat};
use crate::spatial::tiles::{FeatureLayer, LayerFeature, Value};

const WATER: &str = include_str!("../../../geodata/danang/water.geojson");
const ROADS: &str = include_str!("../../../geodata/danang/roads.geojson");

/// Reads a GeoJSON FeatureCollection: string properties become attributes, a numeric
/// `min_zoom` property sets the feature's first zoom.
fn features(text: &str, what: &str) -> anyhow::Result<Vec<LayerFeature>> {
    let GeoJson::FeatureCollection(fc) = text.parse::<GeoJson>().with_context(|| format!("reading {what}"))? else {
        anyhow::bail!("{what} is not a FeatureCollection");
    };
    fc.features
        .into_iter()
        .map(|f| {
            let geometry: Geometry<f64> = f
                .geometry
                .as_ref()
                .with_context(|| format!("{what}: a feature without a geometry"))?
                .try_into()
                .with_context(|| format!("{what}: unreadable geometry"))?;
            let props = f.properties.unwrap_or_default();
            let attributes =
                props.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), Value::Str(s.to_owned())))).collect();
            let min_zoom = props.get("min_zoom").and_then(serde_json::Value::as_u64).unwrap_or(0).min(22) as u8;
            Ok(LayerFeature { min_zoom, ..LayerFeature::new(geometry, attributes) })
        })
        .collect()
}

/// The demo city's basemap source.
pub fn demo_basemap() -> anyhow::Result<FeatureSource> {
    let water = FeatureLayer::new("water", features(WATER, "water.geojson")?);
    let roads = FeatureLayer::new("roads", features(ROADS, "roads.geojson")?);
    let info = SourceInfo {
        name: "Bản đồ nền Đà Nẵng (demo) / Đà Nẵng demo basemap".into(),
        description: "Biển, sông và đường chính / Sea, rivers and main roads".into(),
        attribution: Some("Switchboard demo city (invented geometry)".into()),
        minzoom: 0,
        maxzoom: 18,
        bounds: None,
        center: Some([108.2062, 16.0471, 11.0]),
        layers: Vec::new(),
        format: TileFormat::Mvt,
        max_age: 86_400,
        access: Access::Public,
        cached: true,
    };
    Ok(FeatureSource::new(
        "basemap",
        info,
        vec![water, roads],
        &[
            "Biển và sông (kind: sea | river) / Sea and rivers",
            "Đường chính (kind: primary | secondary | bridge) / Main roads",
        ],
    ))
}
