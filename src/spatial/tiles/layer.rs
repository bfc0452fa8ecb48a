//! MVT layers: [`LayerBuilder`] collects encoded features with their attributes (keys and values
//! shared across the layer, as the spec intends), and [`FeatureLayer`] is a generic layer of
//! fixed features (any geometry, any attributes) in an R-tree, cut into tiles on demand: the
//! areas, the basemap and the planning zones are all one of these.

use std::collections::BTreeMap;

use geo::{BoundingRect, Geometry, MapCoords};
use geozero::mvt::tile::{self, Layer};
use geozero::mvt::{Message, TileValue};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use super::encode::{EXTENT, SIMPLIFY_PX, TileFrame};
use super::grid::{lon_lat_to_world, world_to_lon_lat};
use super::tags::Tags;

/// An attribute value of a feature.
pub type Value = TileValue;

/// Builds one MVT layer.
pub struct LayerBuilder {
    name: String,
    tags: Tags,
    features: Vec<tile::Feature>,
}

impl LayerBuilder {
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), tags: Tags::default(), features: Vec::new() }
    }

    /// Adds an encoded geometry (from [`TileFrame::encode`]) with its id and attributes.
    /// Attributes with a `None` value are left out (MVT has no null).
    pub fn push<'a>(
        &mut self,
        mut feature: tile::Feature,
        id: Option<u64>,
        attributes: impl IntoIterator<Item = (&'a str, Option<Value>)>,
    ) {
        feature.id = id;
        for (key, value) in attributes {
            if let Some(v) = value {
                let (k, v) = self.tags.insert(key, v);
                feature.tags.extend([k, v]);
            }
        }
        self.features.push(feature);
    }

    /// The layer, or `None` when it holds no feature (empty layers are left out of a tile).
    pub fn finish(self) -> Option<Layer> {
        if self.features.is_empty() {
            return None;
        }
        let (keys, values) = self.tags.into_tables();
        Some(Layer {
            version: 2,
            name: self.name,
            features: self.features,
            keys,
            values: values.into_iter().map(Into::into).collect(),
            extent: Some(EXTENT),
        })
    }
}

/// The bytes of a tile made of `layers` (protobuf, uncompressed).
pub fn tile_bytes(layers: Vec<Layer>) -> Vec<u8> {
    geozero::mvt::Tile { layers }.encode_to_vec()
}

/// A fixed feature of a [`FeatureLayer`].
#[derive(Debug, Clone)]
pub struct LayerFeature {
    /// The MVT feature id, if the data has a numeric one.
    pub id: Option<u64>,
    /// Geometry in lon/lat degrees (WGS84) when given to [`FeatureLayer::new`].
    pub geometry: Geometry<f64>,
    pub attributes: Vec<(String, Value)>,
    /// Left out of tiles below this zoom (minor roads at city scale, say).
    pub min_zoom: u8,
}

impl LayerFeature {
    pub fn new(geometry: Geometry<f64>, attributes: Vec<(String, Value)>) -> Self {
        Self { id: None, geometry, attributes, min_zoom: 0 }
    }
}

type Bbox = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// A layer of fixed features in world units, indexed by bounding box.
pub struct FeatureLayer {
    name: String,
    features: Vec<LayerFeature>,
    tree: RTree<Bbox>,
    /// Vertices of each feature (by index), the measure of its clipping work.
    vertices: Vec<usize>,
    simplify_px: f64,
}

impl FeatureLayer {
    /// Projects the features (lon/lat) to world units and indexes them. O(n log n).
    pub fn new(name: impl Into<String>, features: Vec<LayerFeature>) -> Self {
        let features: Vec<LayerFeature> = features
            .into_iter()
            .map(|mut f| {
                f.geometry = f.geometry.map_coords(|c| {
                    let (x, y) = lon_lat_to_world(c.x, c.y);
                    geo::Coord { x, y }
                });
                f
            })
            .collect();
        let boxes = features
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let r = f.geometry.bounding_rect()?;
                Some(Bbox::new(Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]), i))
            })
            .collect();
        let vertices = features.iter().map(|f| geo::CoordsIter::coords_count(&f.geometry)).collect();
        Self { name: name.into(), features, tree: RTree::bulk_load(boxes), vertices, simplify_px: SIMPLIFY_PX }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn len(&self) -> usize {
        self.features.len()
    }

    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// The vertices of the features [`Self::encode`] would clip and simplify for `frame`: a
    /// measure of its work (an R-tree look-up, no geometry touched), to decide where to run it.
    pub fn work(&self, frame: &TileFrame) -> usize {
        self.tree
            .locate_in_envelope_intersecting(&envelope(frame))
            .filter(|b| frame.tile.z >= self.features[b.data].min_zoom)
            .map(|b| self.vertices[b.data])
            .sum()
    }

    /// The layer's part of a tile: every feature whose box touches the buffered tile, clipped
    /// and simplified. O(log n + k) look-up plus the clipping of the k candidates.
    pub fn encode(&self, frame: &TileFrame) -> Option<Layer> {
        let mut hits: Vec<usize> =
            self.tree.locate_in_envelope_intersecting(&envelope(frame)).map(|b| b.data).collect();
        // Input order, so a tile's bytes (and ETag) do not depend on the tree's layout.
        hits.sort_unstable();
        let mut layer = LayerBuilder::new(&self.name);
        for i in hits {
            let f = &self.features[i];
            if frame.tile.z < f.min_zoom {
                continue;
            }
            if let Some(g) = frame.encode(&f.geometry, self.simplify_px) {
                layer.push(g, f.id, f.attributes.iter().map(|(k, v)| (k.as_str(), Some(v.clone()))));
            }
        }
        layer.finish()
    }

    /// Attribute names with their TileJSON types (`String`, `Number`, `Boolean`).
    pub fn fields(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for f in &self.features {
            for (k, v) in &f.attributes {
                out.entry(k.clone()).or_insert_with(|| value_type(v).to_owned());
            }
        }
        out
    }

    /// `[west, south, east, north]` of every feature, lon/lat degrees (to 1e-6).
    pub fn bounds(&self) -> Option<[f64; 4]> {
        if self.features.is_empty() {
            return None;
        }
        let e = self.tree.root().envelope();
        let (w, n) = world_to_lon_lat(e.lower()[0], e.lower()[1]);
        let (e2, s) = world_to_lon_lat(e.upper()[0], e.upper()[1]);
        // To a micro-degree (10 cm): the round trip through world units leaves float noise.
        Some([w, s, e2, n].map(|v| (v * 1e6).round() / 1e6))
    }
}

/// The buffered tile as an R-tree envelope.
fn envelope(frame: &TileFrame) -> rstar::AABB<[f64; 2]> {
    let q = frame.buffered_world();
    rstar::AABB::from_corners([q.min().x, q.min().y], [q.max().x, q.max().y])
}

/// The TileJSON `vector_layers` type of a value.
pub fn value_type(v: &Value) -> &'static str {
    match v {
        TileValue::Str(_) => "String",
        TileValue::Bool(_) => "Boolean",
        _ => "Number",
    }
}

#[cfg(test)]
mod tests {
    use geo::{Point, polygon};
    use geozero::mvt::Tile;

    use super::*;
    use crate::spatial::tiles::TileId;

    fn zone(code: &str, lon: f64, lat: f64) -> LayerFeature {
        let d = 0.002;
        let p = polygon![(x: lon, y: lat), (x: lon + d, y: lat), (x: lon + d, y: lat + d), (x: lon, y: lat + d)];
        LayerFeature::new(Geometry::Polygon(p), vec![("code".into(), TileValue::Str(code.into()))])
    }

    #[test]
    fn a_tile_holds_only_the_features_it_touches_with_their_attributes() {
        let layer = FeatureLayer::new("zones", vec![zone("A", 108.22, 16.06), zone("B", 108.30, 16.10)]);
        let tile = TileId::new(15, 26234, 14902).unwrap(); // holds 108.221, 16.061
        let bytes = tile_bytes(layer.encode(&TileFrame::new(tile)).into_iter().collect());
        let decoded = Tile::decode(bytes.as_slice()).unwrap();
        assert_eq!(decoded.layers.len(), 1);
        let l = &decoded.layers[0];
        assert_eq!((l.name.as_str(), l.features.len(), l.keys.as_slice()), ("zones", 1, &["code".to_owned()][..]));
        assert_eq!(l.values[0].string_value.as_deref(), Some("A"));
        assert_eq!(layer.fields().get("code").map(String::as_str), Some("String"));
        let b = layer.bounds().unwrap();
        assert!((b[0] - 108.22).abs() < 1e-9 && (b[3] - 16.102).abs() < 1e-9);
        // A point far from both: nothing.
        let far = TileId::new(15, 0, 0).unwrap();
        assert!(layer.encode(&TileFrame::new(far)).is_none());
        let _ = Point::new(0.0, 0.0);
    }
}
