//! Point and box queries against brute force on a synthetic plan: a 6 × 4 grid of square zones
//! of 1/64° (exact binary fractions, so "on the edge" is exactly on it), plus a second layer
//! with one zone overlapping the first.

use chrono::{NaiveDate, TimeZone, Utc};
use geo::{LineString, MultiPolygon, Polygon};
use proptest::prelude::*;

use super::*;
use crate::domain::{Decision, ZoneCode, ZoneLimits};

const X0: f64 = 108.0;
const Y0: f64 = 16.0;
const CELL: f64 = 1.0 / 64.0;
const NX: usize = 6;
const NY: usize = 4;

fn layer_code(s: &str) -> PlanningLayerCode {
    PlanningLayerCode::parse(s, "layer").unwrap()
}

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
    Polygon::new(LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]), vec![])
}

fn decision() -> Decision {
    Decision::new("1287/QĐ-UBND", NaiveDate::from_ymd_opt(2023, 4, 14).unwrap(), "").unwrap()
}

fn layer(code: &str) -> PlanningLayer {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    PlanningLayer::new(layer_code(code), "Quy hoạch", "Plan", decision(), at).unwrap()
}

fn zone(layer: &str, code: &str, land_use: LandUse, polys: Vec<Polygon<f64>>) -> PlanningZone {
    PlanningZone {
        layer: layer_code(layer),
        code: ZoneCode::parse(code, "code").unwrap(),
        name: None,
        land_use,
        limits: ZoneLimits::default(),
        decision: decision(),
        geometry: MultiPolygon(polys),
    }
}

/// The grid (layer `A`, zone `Z{i}-{j}`, land use by column) and one big zone of layer `B`
/// over columns 2..4, rows 1..3.
fn plan() -> PlanningIndex {
    let mut zones = Vec::new();
    for i in 0..NX {
        for j in 0..NY {
            let (x, y) = (X0 + i as f64 * CELL, Y0 + j as f64 * CELL);
            let land_use = LandUse::ALL[i % LandUse::ALL.len()];
            zones.push(zone("A", &format!("Z{i}-{j}"), land_use, vec![square(x, y, x + CELL, y + CELL)]));
        }
    }
    let (x, y) = (X0 + 2.0 * CELL, Y0 + CELL);
    zones.push(zone("B", "BIG", LandUse::GreenSpace, vec![square(x, y, x + 2.0 * CELL, y + 2.0 * CELL)]));
    PlanningIndex::new(vec![layer("B"), layer("A")], zones)
}

fn ids(hits: &[ZoneHit<'_>]) -> Vec<String> {
    hits.iter().map(|h| h.zone.id()).collect()
}

/// Brute force: every zone whose closed square holds the point.
fn brute(index: &PlanningIndex, lon: f64, lat: f64) -> Vec<String> {
    index
        .zones()
        .iter()
        .filter(|z| {
            let r = z.geometry.bounding_rect().unwrap();
            (r.min().x..=r.max().x).contains(&lon) && (r.min().y..=r.max().y).contains(&lat)
        })
        .map(PlanningZone::id)
        .collect()
}

#[test]
fn a_point_inside_one_zone_finds_only_it() {
    let index = plan();
    let hits = index.at(Location { lon: X0 + 0.5 * CELL, lat: Y0 + 0.5 * CELL });
    assert_eq!(ids(&hits), ["A:Z0-0"]);
    assert!(hits[0].inside);
}

#[test]
fn a_point_on_a_shared_border_finds_both_zones_on_their_edge() {
    let index = plan();
    let hits = index.at(Location { lon: X0 + CELL, lat: Y0 + 0.5 * CELL });
    assert_eq!(ids(&hits), ["A:Z0-0", "A:Z1-0"]);
    assert!(hits.iter().all(|h| !h.inside));
    // A corner shared by four zones.
    let corner = index.at(Location { lon: X0 + CELL, lat: Y0 + CELL });
    assert_eq!(ids(&corner), ["A:Z0-0", "A:Z0-1", "A:Z1-0", "A:Z1-1"]);
}

#[test]
fn overlapping_layers_both_answer_and_outside_finds_nothing() {
    let index = plan();
    let hits = index.at(Location { lon: X0 + 2.5 * CELL, lat: Y0 + 1.5 * CELL });
    assert_eq!(ids(&hits), ["A:Z2-1", "B:BIG"]);
    assert!(index.at(Location { lon: X0 - CELL, lat: Y0 }).is_empty());
    assert!(index.at(Location { lon: X0 + 0.5 * CELL, lat: Y0 + 4.5 * CELL }).is_empty());
}

#[test]
fn box_queries_filter_by_layer_and_land_use_and_layers_come_sorted() {
    let index = plan();
    assert_eq!(index.layers().iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["A", "B"]);
    let bbox = BBox { min_lon: X0, min_lat: Y0, max_lon: X0 + 0.5 * CELL, max_lat: Y0 + 0.5 * CELL };
    let got: Vec<String> = index.in_bbox(&bbox, None, None).iter().map(|z| z.id()).collect();
    assert_eq!(got, ["A:Z0-0"]);
    // A box touching the grid's edge from outside still intersects (edges inclusive).
    let edge = BBox { min_lon: X0 - CELL, min_lat: Y0, max_lon: X0, max_lat: Y0 + 0.5 * CELL };
    assert_eq!(index.in_bbox(&edge, None, None).len(), 1);
    let all = BBox { min_lon: 107.0, min_lat: 15.0, max_lon: 109.0, max_lat: 17.0 };
    assert_eq!(index.in_bbox(&all, None, None).len(), NX * NY + 1);
    assert_eq!(index.in_bbox(&all, Some(&[layer_code("B")]), None).len(), 1);
    let green = index.in_bbox(&all, Some(&[layer_code("A")]), Some(&[LandUse::GreenSpace]));
    assert!(green.iter().all(|z| z.land_use == LandUse::GreenSpace && z.layer.as_str() == "A"));
    assert_eq!(green.len(), NY);
    assert_eq!(index.zone("B", "BIG").unwrap().land_use, LandUse::GreenSpace);
    let e = index.extent(Some(&layer_code("A"))).unwrap();
    assert_eq!((e.min_lon, e.max_lat), (X0, Y0 + NY as f64 * CELL));
}

proptest! {
    #[test]
    fn point_queries_match_brute_force(a in 0u32..=(64 * 8), b in 0u32..=(64 * 6)) {
        // Points on a 1/512° lattice: many land exactly on edges and corners.
        let index = plan();
        let (lon, lat) = (X0 - CELL + f64::from(a) / 512.0, Y0 - CELL + f64::from(b) / 512.0);
        let got = ids(&index.at(Location { lon, lat }));
        prop_assert_eq!(got, brute(&index, lon, lat));
    }
}
