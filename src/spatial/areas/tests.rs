//! Point → area against brute force on a synthetic tiling: 8 × 6 square wards grouped 2 × 2
//! into districts, one city. Cell sides are 1/64° so every vertex and every edge point is an
//! exact binary fraction: "on the edge" means exactly on it.

use chrono::{DateTime, Duration, TimeZone, Utc};
use geo::{LineString, MultiPolygon, Polygon};
use rand::{Rng, SeedableRng, rngs::StdRng};

use super::*;

const X0: f64 = 108.0;
const Y0: f64 = 16.0;
const CELL: f64 = 1.0 / 64.0;
const NX: usize = 8;
const NY: usize = 6;

fn since() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap()
}

fn code(s: &str) -> AreaCode {
    AreaCode::parse(s, "code").unwrap()
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
    Polygon::new(LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]), vec![])
}

fn area(c: &str, level: &str, parent: Option<&str>, polys: Vec<Polygon<f64>>) -> Area {
    Area {
        code: code(c),
        name: c.into(),
        name_en: c.into(),
        level: level.into(),
        parent: parent.map(code),
        geometry: MultiPolygon(polys),
        valid_from: since(),
        valid_to: None,
        population: None,
    }
}

fn ward_code(i: usize, j: usize) -> String {
    format!("DN-D{}{}-W{}{}", i / 2, j / 2, i, j)
}

fn district_code(i: usize, j: usize) -> String {
    format!("DN-D{}{}", i / 2, j / 2)
}

/// Ward (i, j) covers [X0 + i·CELL, X0 + (i+1)·CELL] × [Y0 + j·CELL, Y0 + (j+1)·CELL].
fn tiling() -> Vec<Area> {
    let mut out = vec![area("DN", "city", None, vec![rect(X0, Y0, X0 + NX as f64 * CELL, Y0 + NY as f64 * CELL)])];
    for di in 0..NX / 2 {
        for dj in 0..NY / 2 {
            let (x, y) = (X0 + (2 * di) as f64 * CELL, Y0 + (2 * dj) as f64 * CELL);
            let d = district_code(2 * di, 2 * dj);
            out.push(area(&d, "district", Some("DN"), vec![rect(x, y, x + 2.0 * CELL, y + 2.0 * CELL)]));
        }
    }
    for i in 0..NX {
        for j in 0..NY {
            let (x, y) = (X0 + i as f64 * CELL, Y0 + j as f64 * CELL);
            let w = ward_code(i, j);
            out.push(area(&w, "ward", Some(&district_code(i, j)), vec![rect(x, y, x + CELL, y + CELL)]));
        }
    }
    out
}

/// The border rule, written out on the grid with plain comparisons (no geo).
fn brute_ward(p: Location) -> Option<String> {
    let mut best: Option<(bool, String)> = None;
    for i in 0..NX {
        for j in 0..NY {
            let (x0, y0) = (X0 + i as f64 * CELL, Y0 + j as f64 * CELL);
            let (x1, y1) = (x0 + CELL, y0 + CELL);
            let on = x0 <= p.lon && p.lon <= x1 && y0 <= p.lat && p.lat <= y1;
            let inside = x0 < p.lon && p.lon < x1 && y0 < p.lat && p.lat < y1;
            if !on {
                continue;
            }
            let c = ward_code(i, j);
            let better = match &best {
                None => true,
                Some((bin, bc)) => (inside && !bin) || (inside == *bin && c < *bc),
            };
            if better {
                best = Some((inside, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Random grid corners, points on a 1/16-cell lattice (many on edges) and some off the grid.
fn random_point(rng: &mut StdRng) -> Location {
    let frac = |rng: &mut StdRng, n: usize| rng.random_range(0..=n * 16) as f64 / 16.0;
    if rng.random_bool(0.2) {
        // a grid corner, shared by up to four wards
        let x = rng.random_range(0..=NX + 2) as f64 - 1.0;
        let y = rng.random_range(0..=NY + 2) as f64 - 1.0;
        Location { lon: X0 + x * CELL, lat: Y0 + y * CELL }
    } else if rng.random_bool(0.75) {
        // includes a margin of one cell outside the city
        let x = frac(rng, NX + 2) - 1.0;
        let y = frac(rng, NY + 2) - 1.0;
        Location { lon: X0 + x * CELL, lat: Y0 + y * CELL }
    } else {
        Location {
            lon: rng.random_range(X0 - CELL..X0 + (NX + 1) as f64 * CELL),
            lat: rng.random_range(Y0 - CELL..Y0 + (NY + 1) as f64 * CELL),
        }
    }
}

#[test]
fn locate_equals_brute_force_including_shared_edges_and_corners() {
    let index = AreaIndex::new(&tiling(), &Levels::default());
    let at = since() + Duration::days(100);
    let mut rng = StdRng::seed_from_u64(1022);
    let (mut on_edges, mut on_corners) = (0, 0);
    for _ in 0..20_000 {
        let p = random_point(&mut rng);
        let want = brute_ward(p);
        let got = index.locate(p, at).map(|c| c.to_string());
        assert_eq!(got, want, "{p:?}");
        assert_eq!(index.locate(p, at).map(|c| c.to_string()), got, "deterministic");
        let want_district = want.as_ref().map(|w| w[..w.rfind("-W").unwrap()].to_string());
        assert_eq!(index.locate_level(p, at, "district").map(|c| c.to_string()), want_district, "{p:?}");
        assert_eq!(index.locate_level(p, at, "city").map(|c| c.to_string()), want.as_ref().map(|_| "DN".into()));
        assert_eq!(index.locate_level(p, at, "ward").map(|c| c.to_string()), want);
        let gx = (p.lon - X0) / CELL;
        let gy = (p.lat - Y0) / CELL;
        let on_x = gx.fract() == 0.0;
        let on_y = gy.fract() == 0.0;
        if want.is_some() && (on_x || on_y) {
            on_edges += 1;
        }
        if want.is_some() && on_x && on_y {
            on_corners += 1;
        }
    }
    assert!(on_edges > 1_000 && on_corners > 100, "edges {on_edges}, corners {on_corners}");
}

#[test]
fn a_corner_shared_by_four_wards_of_four_districts_goes_to_the_smallest_code() {
    let index = AreaIndex::new(&tiling(), &Levels::default());
    let at = since() + Duration::days(1);
    // the corner at grid (2, 2): wards (1,1) D00, (2,1) D10, (1,2) D01, (2,2) D11
    let p = Location { lon: X0 + 2.0 * CELL, lat: Y0 + 2.0 * CELL };
    assert_eq!(index.locate(p, at), Some(&code("DN-D00-W11")));
    assert_eq!(index.locate_level(p, at, "district"), Some(&code("DN-D00")));
    // just off the corner, north-east: clearly inside ward (2, 2)
    let q = Location { lon: p.lon + 1e-9, lat: p.lat + 1e-9 };
    assert_eq!(index.locate(q, at), Some(&code("DN-D11-W22")));
    // outside the city
    assert_eq!(index.locate(Location { lon: X0 - 1e-9, lat: Y0 }, at), None);
    assert_eq!(index.locate_level(p, at, "no-such-level"), None);
}

#[test]
fn multipolygon_parts_touching_at_a_corner_keep_that_corner() {
    // Two diagonal squares of one area touch at (1, 1); geo's whole-MultiPolygon test would
    // count the corner twice and call it outside.
    let a = area("X-A", "ward", None, vec![rect(0.0, 0.0, 1.0, 1.0), rect(1.0, 1.0, 2.0, 2.0)]);
    let index = AreaIndex::new(&[a], &Levels::default());
    let at = since() + Duration::days(1);
    assert_eq!(index.locate(Location { lon: 1.0, lat: 1.0 }, at), Some(&code("X-A")));
    assert_eq!(index.locate(Location { lon: 1.5, lat: 0.5 }, at), None);
}

#[test]
fn an_enclave_in_a_hole_wins_inside_and_its_rim_goes_to_the_smaller_code() {
    let hole = LineString::from(vec![(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 2.0), (1.0, 1.0)]);
    let outer =
        Polygon::new(LineString::from(vec![(0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (0.0, 3.0), (0.0, 0.0)]), vec![hole]);
    let ring = area("Z-RING", "ward", None, vec![outer]);
    let enclave = area("Z-ENCLAVE", "ward", None, vec![rect(1.0, 1.0, 2.0, 2.0)]);
    let index = AreaIndex::new(&[ring, enclave], &Levels::default());
    let at = since() + Duration::days(1);
    assert_eq!(index.locate(Location { lon: 1.5, lat: 1.5 }, at), Some(&code("Z-ENCLAVE")));
    assert_eq!(index.locate(Location { lon: 0.5, lat: 1.5 }, at), Some(&code("Z-RING")));
    assert_eq!(index.locate(Location { lon: 1.0, lat: 1.5 }, at), Some(&code("Z-ENCLAVE")));
}

#[test]
fn a_ward_split_at_a_date_locates_to_the_old_ward_before_and_the_new_ones_after() {
    let split = Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0).unwrap();
    let mut old = area("W-OLD", "ward", Some("D"), vec![rect(0.0, 0.0, 2.0, 1.0)]);
    old.valid_to = Some(split);
    let mut west = area("W-WEST", "ward", Some("D"), vec![rect(0.0, 0.0, 1.0, 1.0)]);
    west.valid_from = split;
    let mut east = area("W-EAST", "ward", Some("D"), vec![rect(1.0, 0.0, 2.0, 1.0)]);
    east.valid_from = split;
    let district = area("D", "district", None, vec![rect(0.0, 0.0, 2.0, 1.0)]);
    let index = AreaIndex::new(&[district, old, west, east], &Levels::default());
    let p = Location { lon: 0.5, lat: 0.5 };
    let before = split - Duration::seconds(1);
    assert_eq!(index.locate(p, before), Some(&code("W-OLD")));
    assert_eq!(index.locate(p, split), Some(&code("W-WEST")));
    assert_eq!(index.locate(Location { lon: 1.5, lat: 0.5 }, split), Some(&code("W-EAST")));
    // on the new border: both new wards have it on their boundary; the smaller code wins
    assert_eq!(index.locate(Location { lon: 1.0, lat: 0.5 }, split), Some(&code("W-EAST")));
    assert_eq!(index.locate(Location { lon: 1.0, lat: 0.5 }, before), Some(&code("W-OLD")));
    assert!(index.get(&code("W-OLD"), split).is_none());
    assert!(index.get(&code("W-OLD"), before).is_some());
    assert_eq!(index.all(split).iter().map(|a| a.code.as_str()).collect::<Vec<_>>(), ["D", "W-EAST", "W-WEST"]);
    let desc = index.descendants(&code("D"));
    assert_eq!(desc, ["D", "W-OLD", "W-WEST", "W-EAST"].into_iter().map(code).collect());
}

#[test]
fn hierarchy_walks_up_and_down_the_tiling() {
    let index = AreaIndex::new(&tiling(), &Levels::default());
    assert_eq!(index.ancestors(&code("DN-D11-W23")), vec![code("DN-D11-W23"), code("DN-D11"), code("DN")]);
    assert_eq!(index.ancestors(&code("NOPE")), vec![code("NOPE")]);
    assert_eq!(index.children(&code("DN-D11")), ["DN-D11-W22", "DN-D11-W23", "DN-D11-W32", "DN-D11-W33"].map(code));
    assert_eq!(index.children(&code("DN")).len(), (NX / 2) * (NY / 2));
    assert_eq!(index.descendants(&code("DN")).len(), 1 + (NX / 2) * (NY / 2) + NX * NY);
    assert_eq!(index.descendants(&code("DN-D11")).len(), 5);
    let all = index.all(since());
    assert_eq!(all[0].code, code("DN"));
    assert_eq!(all.len(), 1 + (NX / 2) * (NY / 2) + NX * NY);
}

#[test]
fn ancestors_stop_on_a_cycle_in_bad_data() {
    let a = area("A", "ward", Some("B"), vec![rect(0.0, 0.0, 1.0, 1.0)]);
    let b = area("B", "district", Some("A"), vec![rect(0.0, 0.0, 1.0, 1.0)]);
    let index = AreaIndex::new(&[a, b], &Levels::default());
    assert_eq!(index.ancestors(&code("A")), vec![code("A"), code("B")]);
    let at = since() + Duration::days(1);
    assert_eq!(index.locate_level(Location { lon: 0.5, lat: 0.5 }, at, "district"), Some(&code("B")));
    assert_eq!(index.locate_level(Location { lon: 0.5, lat: 0.5 }, at, "city"), None);
}

#[test]
fn with_overlapping_areas_one_that_has_the_point_inside_beats_a_smaller_code_on_its_boundary() {
    // Bad data: W-B overlaps W-A. (1, 0.5) is on W-A's west edge but inside W-B.
    let a = area("W-A", "ward", None, vec![rect(1.0, 0.0, 2.0, 1.0)]);
    let b = area("W-B", "ward", None, vec![rect(0.0, 0.0, 1.5, 1.0)]);
    let index = AreaIndex::new(&[a, b], &Levels::default());
    let at = since() + Duration::days(1);
    assert_eq!(index.locate(Location { lon: 1.0, lat: 0.5 }, at), Some(&code("W-B")));
    // (1.5, 0.5) is on W-B's east edge and inside W-A.
    assert_eq!(index.locate(Location { lon: 1.5, lat: 0.5 }, at), Some(&code("W-A")));
    // (1.5, 1.0) is on both boundaries: the smaller code.
    assert_eq!(index.locate(Location { lon: 1.5, lat: 1.0 }, at), Some(&code("W-A")));
}
