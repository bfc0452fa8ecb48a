//! [`PlanningIndex`]: every planning layer and its zones, for point queries ("what is planned
//! here?") and box queries (the zones a map view shows).
//!
//! Like [`super::AreaIndex`], each polygon of each zone goes into an R-tree by its bounding
//! box (lon/lat degrees); a point query reads the boxes holding the point and classifies it
//! exactly against those polygons with geo's [`CoordinatePosition`] (robust predicates: a point
//! on a shared edge is `OnBoundary` of both zones, never lost to rounding). Unlike areas, zones
//! are not exclusive: every zone that holds the point, inside or on its edge, is answered (two
//! neighbouring zones for a point on their border, zones of several layers where plans overlap).
//! Each polygon is tested on its own, so parts of one zone touching at a corner do not cancel out.

use std::collections::HashMap;

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::{BoundingRect, Coord, Intersects, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::domain::{BBox, LandUse, Location, PlanningLayer, PlanningLayerCode, PlanningZone};

/// One polygon of one zone: indexes into [`PlanningIndex::zones`] and its `MultiPolygon`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Part {
    zone: u32,
    polygon: u32,
}

/// A zone found at a point, and whether the point is strictly inside it or on its edge.
#[derive(Debug, Clone, Copy)]
pub struct ZoneHit<'a> {
    pub zone: &'a PlanningZone,
    /// `false` when the point lies on the zone's boundary.
    pub inside: bool,
}

/// The planning layers and their zones. Built whole (bulk-loaded), replaced whole on reload.
#[derive(Debug, Clone, Default)]
pub struct PlanningIndex {
    layers: Vec<PlanningLayer>,
    zones: Vec<PlanningZone>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, Part>>,
    /// `(layer, zone code)` → index into `zones`.
    by_code: HashMap<(String, String), usize>,
}

impl PlanningIndex {
    /// Indexes `zones` of `layers`, sorted by layer code then zone code. O(p log p) for p
    /// polygons.
    pub fn new(mut layers: Vec<PlanningLayer>, mut zones: Vec<PlanningZone>) -> Self {
        layers.sort_by(|a, b| a.code.cmp(&b.code));
        zones.sort_by(|a, b| (&a.layer, &a.code).cmp(&(&b.layer, &b.code)));
        let mut parts = Vec::new();
        let mut by_code = HashMap::with_capacity(zones.len());
        for (i, z) in zones.iter().enumerate() {
            for (j, poly) in z.geometry.0.iter().enumerate() {
                if let Some(r) = poly.bounding_rect() {
                    let rect = Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
                    parts.push(GeomWithData::new(rect, Part { zone: i as u32, polygon: j as u32 }));
                }
            }
            by_code.insert((z.layer.to_string(), z.code.to_string()), i);
        }
        Self { layers, zones, tree: RTree::bulk_load(parts), by_code }
    }

    /// Every layer, by code.
    pub fn layers(&self) -> &[PlanningLayer] {
        &self.layers
    }

    pub fn layer(&self, code: &str) -> Option<&PlanningLayer> {
        self.layers.iter().find(|l| l.code.as_str() == code)
    }

    /// Every zone, by layer then code.
    pub fn zones(&self) -> &[PlanningZone] {
        &self.zones
    }

    /// The zones of one layer, by code.
    pub fn zones_of<'a>(&'a self, layer: &'a PlanningLayerCode) -> impl Iterator<Item = &'a PlanningZone> + 'a {
        self.zones.iter().filter(move |z| &z.layer == layer)
    }

    /// The zone `code` of `layer`.
    pub fn zone(&self, layer: &str, code: &str) -> Option<&PlanningZone> {
        self.by_code.get(&(layer.to_owned(), code.to_owned())).map(|&i| &self.zones[i])
    }

    /// Every zone that holds `p` (lon/lat degrees), inside or on its edge, by layer then zone
    /// code. Cost: O(log n) to find the candidate boxes, then O(v) per candidate polygon of v
    /// vertices.
    pub fn at(&self, p: Location) -> Vec<ZoneHit<'_>> {
        let c = Coord { x: p.lon, y: p.lat };
        // A zone whose parts touch may be found twice; it counts once, inside if any part has it inside.
        let mut found: HashMap<usize, bool> = HashMap::new();
        for part in self.tree.locate_all_at_point(&[p.lon, p.lat]) {
            let i = part.data.zone as usize;
            let inside = match self.zones[i].geometry.0[part.data.polygon as usize].coordinate_position(&c) {
                CoordPos::Inside => true,
                CoordPos::OnBoundary => false,
                CoordPos::Outside => continue,
            };
            *found.entry(i).or_insert(inside) |= inside;
        }
        let mut hits: Vec<(usize, bool)> = found.into_iter().collect();
        hits.sort_unstable_by_key(|&(i, _)| i);
        hits.into_iter().map(|(i, inside)| ZoneHit { zone: &self.zones[i], inside }).collect()
    }

    /// The zones whose geometry intersects `bbox` (edges inclusive), optionally only of some
    /// layers and land uses, by layer then zone code.
    pub fn in_bbox(
        &self,
        bbox: &BBox,
        layers: Option<&[PlanningLayerCode]>,
        uses: Option<&[LandUse]>,
    ) -> Vec<&PlanningZone> {
        let envelope = AABB::from_corners([bbox.min_lon, bbox.min_lat], [bbox.max_lon, bbox.max_lat]);
        let rect = Rect::new(Coord { x: bbox.min_lon, y: bbox.min_lat }, Coord { x: bbox.max_lon, y: bbox.max_lat });
        let mut hits: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .filter(|part| {
                let z = &self.zones[part.data.zone as usize];
                layers.is_none_or(|ls| ls.contains(&z.layer))
                    && uses.is_none_or(|us| us.contains(&z.land_use))
                    && z.geometry.0[part.data.polygon as usize].intersects(&rect)
            })
            .map(|part| part.data.zone as usize)
            .collect();
        hits.sort_unstable();
        hits.dedup();
        hits.into_iter().map(|i| &self.zones[i]).collect()
    }

    /// The lon/lat box around every zone of `layer` (or of all layers), if there are any.
    pub fn extent(&self, layer: Option<&PlanningLayerCode>) -> Option<BBox> {
        let mut out: Option<BBox> = None;
        for z in self.zones.iter().filter(|z| layer.is_none_or(|l| &z.layer == l)) {
            let Some(r) = z.geometry.bounding_rect() else { continue };
            out = Some(match out {
                None => BBox { min_lon: r.min().x, min_lat: r.min().y, max_lon: r.max().x, max_lat: r.max().y },
                Some(b) => BBox {
                    min_lon: b.min_lon.min(r.min().x),
                    min_lat: b.min_lat.min(r.min().y),
                    max_lon: b.max_lon.max(r.max().x),
                    max_lat: b.max_lat.max(r.max().y),
                },
            });
        }
        out
    }
}

#[cfg(test)]
mod tests;
