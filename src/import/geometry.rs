//! GeoJSON geometry → area boundary (`MultiPolygon`, EPSG:4326 lon/lat), with the checks an
//! administrative boundary must pass before it may go into the area index.
//!
//! Checks run on the raw GeoJSON positions first (closed rings, at least 4 positions, finite
//! lon/lat in range), because `geo_types::Polygon::new` silently closes rings. Then the rings are
//! checked for being simple and for not crossing each other, using an R-tree over the segments of
//! the whole feature: `O(n log n)` in the number of vertices, so country-wide boundary files with
//! tens of thousands of vertices per district stay fast (geo's `Validation` compares every pair of
//! segments of a ring, which is quadratic).

use std::fmt;

use geo::coordinate_position::{CoordPos, coord_pos_relative_to_ring};
use geo::line_intersection::{LineIntersection, line_intersection};
use geo::{BoundingRect, Coord, Line, LineString, MultiPolygon, Polygon, Rect};
use rstar::{AABB, RTree, RTreeObject};

/// Where a ring sits in the feature's geometry, as numbered in the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RingAt {
    /// Index of the polygon in a MultiPolygon / GeometryCollection; `None` for a lone Polygon.
    pub polygon: Option<usize>,
    /// 0 = exterior ring, 1.. = holes.
    pub ring: usize,
}

impl fmt::Display for RingAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.polygon {
            Some(p) => write!(f, "polygon {p} ring {}", self.ring),
            None => write!(f, "ring {}", self.ring),
        }
    }
}

/// Why a geometry is not a usable boundary.
#[derive(Debug, Clone, PartialEq)]
pub enum GeometryError {
    /// The `geometry` member is not valid GeoJSON (bad `type`, `coordinates` not nested arrays
    /// of numbers, …).
    Malformed(String),
    /// A geometry type that does not describe an area (Point, LineString, …).
    WrongType(String),
    /// A (Multi)Polygon or collection without any polygon.
    Empty,
    TooFewPositions {
        at: RingAt,
        count: usize,
    },
    NotClosed {
        at: RingAt,
    },
    /// Not finite, or outside lon −180..180 / lat −90..90.
    BadCoordinate {
        at: RingAt,
        index: usize,
        lon: f64,
        lat: f64,
    },
    /// The ring has fewer than 3 distinct points (after dropping repeated ones).
    Degenerate {
        at: RingAt,
    },
    /// The ring crosses or touches itself (including spikes that fold back on an edge).
    SelfIntersection {
        at: RingAt,
    },
    /// Two rings of one polygon cross or run along each other.
    RingsCross {
        a: RingAt,
        b: RingAt,
    },
    /// A hole is not inside the polygon's exterior ring.
    HoleOutside {
        at: RingAt,
    },
    /// A hole lies inside another hole of the same polygon.
    HoleInsideHole {
        at: RingAt,
        other: RingAt,
    },
    /// Two polygons of a multi-polygon overlap or share an edge.
    PolygonsOverlap {
        a: usize,
        b: usize,
    },
}

impl fmt::Display for GeometryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(why) => write!(f, "malformed GeoJSON geometry: {why}"),
            Self::WrongType(t) => write!(f, "{t} is not an area (expected Polygon or MultiPolygon)"),
            Self::Empty => write!(f, "geometry has no polygons"),
            Self::TooFewPositions { at, count } => {
                write!(f, "{at} has {count} positions; a ring needs at least 4 (the last repeating the first)")
            }
            Self::NotClosed { at } => write!(f, "{at} is not closed (its last position differs from its first)"),
            Self::BadCoordinate { at, index, lon, lat } => write!(
                f,
                "{at} position {index} is ({lon}, {lat}): not a lon/lat in -180..180, -90..90 (is the file in EPSG:4326?)"
            ),
            Self::Degenerate { at } => write!(f, "{at} has fewer than 3 distinct points"),
            Self::SelfIntersection { at } => write!(f, "{at} intersects itself"),
            Self::RingsCross { a, b } => write!(f, "{a} and {b} cross or share an edge"),
            Self::HoleOutside { at } => write!(f, "{at} (a hole) is not inside the exterior ring"),
            Self::HoleInsideHole { at, other } => write!(f, "{at} (a hole) lies inside {other}"),
            Self::PolygonsOverlap { a, b } => write!(f, "polygons {a} and {b} overlap or share an edge"),
        }
    }
}

/// Converts a GeoJSON `geometry` member into a checked boundary.
///
/// Polygon is promoted to a one-part MultiPolygon; a GeometryCollection of (Multi)Polygons is
/// merged into one MultiPolygon (its parts numbered in order); anything else is refused.
/// Returns the first problem found.
pub fn boundary_from_geojson(value: serde_json::Value) -> Result<MultiPolygon<f64>, GeometryError> {
    let geometry = geojson::Geometry::from_json_value(value).map_err(|e| GeometryError::Malformed(e.to_string()))?;
    let (raw, single) = match geometry.value {
        geojson::Value::Polygon(p) => (vec![p], true),
        geojson::Value::MultiPolygon(ps) => (ps, false),
        geojson::Value::GeometryCollection(members) => {
            let mut polygons = Vec::new();
            collect_polygons(members, &mut polygons)?;
            (polygons, false)
        }
        other => return Err(GeometryError::WrongType(other.type_name().to_owned())),
    };
    if raw.is_empty() {
        return Err(GeometryError::Empty);
    }
    let polygons = raw
        .into_iter()
        .enumerate()
        .map(|(p, rings)| convert_polygon(rings, if single { None } else { Some(p) }))
        .collect::<Result<Vec<_>, _>>()?;
    let boundary = MultiPolygon(polygons);
    check_topology(&boundary, single)?;
    Ok(boundary)
}

fn collect_polygons(members: Vec<geojson::Geometry>, out: &mut Vec<geojson::PolygonType>) -> Result<(), GeometryError> {
    for member in members {
        match member.value {
            geojson::Value::Polygon(p) => out.push(p),
            geojson::Value::MultiPolygon(ps) => out.extend(ps),
            geojson::Value::GeometryCollection(inner) => collect_polygons(inner, out)?,
            other => {
                return Err(GeometryError::WrongType(format!("GeometryCollection containing a {}", other.type_name())));
            }
        }
    }
    Ok(())
}

/// Raw checks on one polygon's positions, then conversion (dropping repeated points).
fn convert_polygon(rings: Vec<Vec<Vec<f64>>>, polygon: Option<usize>) -> Result<Polygon<f64>, GeometryError> {
    if rings.is_empty() {
        return Err(GeometryError::TooFewPositions { at: RingAt { polygon, ring: 0 }, count: 0 });
    }
    let mut converted = Vec::with_capacity(rings.len());
    for (ring, positions) in rings.into_iter().enumerate() {
        let at = RingAt { polygon, ring };
        if positions.len() < 4 {
            return Err(GeometryError::TooFewPositions { at, count: positions.len() });
        }
        let mut coords: Vec<Coord<f64>> = Vec::with_capacity(positions.len());
        for (index, p) in positions.iter().enumerate() {
            // geojson guarantees at least 2 numbers per position; extra ones (altitude) are ignored.
            let (lon, lat) = (p[0], p[1]);
            if !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
                return Err(GeometryError::BadCoordinate { at, index, lon, lat });
            }
            let c = Coord { x: lon, y: lat };
            if coords.last() != Some(&c) {
                coords.push(c);
            }
        }
        if positions.first().map(|p| (p[0], p[1])) != positions.last().map(|p| (p[0], p[1])) {
            return Err(GeometryError::NotClosed { at });
        }
        // Closed and de-duplicated: A B C A has 4 coords and 3 distinct points.
        if coords.len() < 4 {
            return Err(GeometryError::Degenerate { at });
        }
        converted.push(LineString(coords));
    }
    let exterior = converted.remove(0);
    Ok(Polygon::new(exterior, converted))
}

/// One edge of a ring, indexed for the intersection search.
struct Segment {
    line: Line<f64>,
    polygon: usize,
    ring: usize,
    /// Position of the edge in its ring.
    index: usize,
    /// Number of edges in its ring.
    ring_len: usize,
}

impl RTreeObject for Segment {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners([self.line.start.x, self.line.start.y], [self.line.end.x, self.line.end.y])
    }
}

impl Segment {
    fn key(&self) -> (usize, usize, usize) {
        (self.polygon, self.ring, self.index)
    }
}

/// Simple rings, rings of a polygon not crossing, holes inside the exterior and not nested,
/// polygons of the multi-polygon not overlapping.
fn check_topology(mp: &MultiPolygon<f64>, single: bool) -> Result<(), GeometryError> {
    let at = |polygon: usize, ring: usize| RingAt { polygon: if single { None } else { Some(polygon) }, ring };
    let mut segments = Vec::new();
    for (p, polygon) in mp.0.iter().enumerate() {
        for (r, ring) in std::iter::once(polygon.exterior()).chain(polygon.interiors()).enumerate() {
            let ring_len = ring.0.len() - 1;
            segments.extend(ring.lines().enumerate().map(|(index, line)| Segment {
                line,
                polygon: p,
                ring: r,
                index,
                ring_len,
            }));
        }
    }
    let tree = RTree::bulk_load(segments);

    // Report the earliest problem in file order, whatever order the tree yields them in.
    let mut first: Option<((usize, usize, usize), GeometryError)> = None;
    for s in tree.iter() {
        if first.as_ref().is_some_and(|(k, _)| *k < s.key()) {
            continue;
        }
        for t in tree.locate_in_envelope_intersecting(&s.envelope()) {
            if t.key() <= s.key() {
                continue;
            }
            let Some(hit) = line_intersection(s.line, t.line) else { continue };
            let problem = if s.polygon == t.polygon && s.ring == t.ring {
                let adjacent = t.index == s.index + 1 || (s.index == 0 && t.index == s.ring_len - 1);
                // Neighbouring edges share an end point; only folding back along each other is wrong.
                if adjacent && !matches!(hit, LineIntersection::Collinear { .. }) {
                    continue;
                }
                GeometryError::SelfIntersection { at: at(s.polygon, s.ring) }
            } else {
                // Different rings may touch at a point, but not cross or share an edge.
                if !hit.is_proper() && !matches!(hit, LineIntersection::Collinear { .. }) {
                    continue;
                }
                if s.polygon == t.polygon {
                    GeometryError::RingsCross { a: at(s.polygon, s.ring), b: at(t.polygon, t.ring) }
                } else {
                    GeometryError::PolygonsOverlap { a: s.polygon, b: t.polygon }
                }
            };
            if first.as_ref().is_none_or(|(k, _)| s.key() < *k) {
                first = Some((s.key(), problem));
            }
            break;
        }
    }
    if let Some((_, problem)) = first {
        return Err(problem);
    }

    // No boundaries cross, so one point of a ring tells where the whole ring lies.
    for (p, polygon) in mp.0.iter().enumerate() {
        for (h, hole) in polygon.interiors().iter().enumerate() {
            if position_of_ring(hole, polygon.exterior()) == CoordPos::Outside {
                return Err(GeometryError::HoleOutside { at: at(p, h + 1) });
            }
            for (o, other) in polygon.interiors().iter().enumerate() {
                if o != h && bbox_overlap(hole, other) && position_of_ring(hole, other) == CoordPos::Inside {
                    return Err(GeometryError::HoleInsideHole { at: at(p, h + 1), other: at(p, o + 1) });
                }
            }
        }
    }
    for (a, pa) in mp.0.iter().enumerate() {
        for (b, pb) in mp.0.iter().enumerate().skip(a + 1) {
            if !bbox_overlap(pa.exterior(), pb.exterior()) {
                continue;
            }
            if polygon_contains_ring(pa, pb.exterior()) || polygon_contains_ring(pb, pa.exterior()) {
                return Err(GeometryError::PolygonsOverlap { a, b });
            }
        }
    }
    Ok(())
}

fn bbox(ring: &LineString<f64>) -> Option<Rect<f64>> {
    ring.bounding_rect()
}

fn bbox_overlap(a: &LineString<f64>, b: &LineString<f64>) -> bool {
    match (bbox(a), bbox(b)) {
        (Some(a), Some(b)) => {
            a.min().x <= b.max().x && b.min().x <= a.max().x && a.min().y <= b.max().y && b.min().y <= a.max().y
        }
        _ => false,
    }
}

/// Where `ring` lies relative to the area enclosed by `around`, judged by its first vertex that
/// is not on `around` (rings that do not cross lie wholly on one side). `OnBoundary` when every
/// vertex is on `around`.
fn position_of_ring(ring: &LineString<f64>, around: &LineString<f64>) -> CoordPos {
    ring.0
        .iter()
        .map(|c| coord_pos_relative_to_ring(*c, around))
        .find(|pos| *pos != CoordPos::OnBoundary)
        .unwrap_or(CoordPos::OnBoundary)
}

/// Whether the exterior `ring` of another polygon starts in the interior of `polygon` (inside its
/// exterior and not inside one of its holes).
fn polygon_contains_ring(polygon: &Polygon<f64>, ring: &LineString<f64>) -> bool {
    match position_of_ring(ring, polygon.exterior()) {
        CoordPos::Outside => false,
        CoordPos::OnBoundary => true, // same outline twice
        CoordPos::Inside => polygon.interiors().iter().all(|hole| position_of_ring(ring, hole) == CoordPos::Outside),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square(x: f64, y: f64, size: f64) -> serde_json::Value {
        json!([[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]])
    }

    fn polygon(rings: Vec<serde_json::Value>) -> serde_json::Value {
        json!({"type": "Polygon", "coordinates": rings})
    }

    #[test]
    fn a_square_with_a_hole_is_a_one_part_boundary() {
        let mp = boundary_from_geojson(polygon(vec![square(0.0, 0.0, 10.0), square(2.0, 2.0, 2.0)])).unwrap();
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].interiors().len(), 1);
    }

    #[test]
    fn repeated_points_are_dropped_not_refused() {
        let ring = json!([[0, 0], [0, 0], [1, 0], [1, 1], [1, 1], [0, 0]]);
        let mp = boundary_from_geojson(polygon(vec![ring])).unwrap();
        assert_eq!(mp.0[0].exterior().0.len(), 4);
    }

    #[test]
    fn a_bow_tie_intersects_itself() {
        let ring = json!([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]);
        let err = boundary_from_geojson(polygon(vec![ring])).unwrap_err();
        assert_eq!(err, GeometryError::SelfIntersection { at: RingAt { polygon: None, ring: 0 } });
    }

    #[test]
    fn a_spike_folding_back_on_itself_is_a_self_intersection() {
        let ring = json!([[0, 0], [2, 0], [1, 0], [1, 1], [0, 0]]);
        let err = boundary_from_geojson(polygon(vec![ring])).unwrap_err();
        assert!(matches!(err, GeometryError::SelfIntersection { .. }), "{err}");
    }

    #[test]
    fn a_ring_touching_itself_at_a_vertex_is_refused() {
        // Figure of eight through (1, 1).
        let ring = json!([[0, 0], [1, 1], [2, 0], [2, 2], [1, 1], [0, 2], [0, 0]]);
        let err = boundary_from_geojson(polygon(vec![ring])).unwrap_err();
        assert!(matches!(err, GeometryError::SelfIntersection { .. }), "{err}");
    }

    #[test]
    fn collinear_points_on_one_edge_are_fine() {
        let ring = json!([[0, 0], [1, 0], [2, 0], [2, 2], [0, 2], [0, 0]]);
        boundary_from_geojson(polygon(vec![ring])).unwrap();
    }

    #[test]
    fn holes_must_be_inside_and_not_cross_the_exterior() {
        let outside = boundary_from_geojson(polygon(vec![square(0.0, 0.0, 1.0), square(5.0, 5.0, 1.0)]));
        assert_eq!(outside.unwrap_err(), GeometryError::HoleOutside { at: RingAt { polygon: None, ring: 1 } });

        let crossing = boundary_from_geojson(polygon(vec![square(0.0, 0.0, 2.0), square(1.0, 1.0, 2.0)]));
        assert!(matches!(crossing.unwrap_err(), GeometryError::RingsCross { .. }));

        let nested =
            boundary_from_geojson(polygon(vec![square(0.0, 0.0, 10.0), square(1.0, 1.0, 8.0), square(3.0, 3.0, 2.0)]));
        assert!(matches!(nested.unwrap_err(), GeometryError::HoleInsideHole { .. }));
    }

    #[test]
    fn a_hole_touching_the_exterior_at_one_point_is_allowed() {
        let hole = json!([[0, 5], [2, 4], [2, 6], [0, 5]]);
        boundary_from_geojson(polygon(vec![square(0.0, 0.0, 10.0), hole])).unwrap();
    }

    #[test]
    fn overlapping_parts_of_a_multipolygon_are_refused_but_an_island_in_a_lake_is_not() {
        let mp = |parts: Vec<serde_json::Value>| json!({"type": "MultiPolygon", "coordinates": parts});
        let overlap = boundary_from_geojson(mp(vec![json!([square(0.0, 0.0, 2.0)]), json!([square(1.0, 1.0, 2.0)])]));
        assert_eq!(overlap.unwrap_err(), GeometryError::PolygonsOverlap { a: 0, b: 1 });

        let inside = boundary_from_geojson(mp(vec![json!([square(0.0, 0.0, 4.0)]), json!([square(1.0, 1.0, 1.0)])]));
        assert_eq!(inside.unwrap_err(), GeometryError::PolygonsOverlap { a: 0, b: 1 });

        let island = boundary_from_geojson(mp(vec![
            json!([square(0.0, 0.0, 10.0), square(2.0, 2.0, 6.0)]),
            json!([square(4.0, 4.0, 1.0)]),
        ]));
        assert_eq!(island.unwrap().0.len(), 2);

        let shared_edge =
            boundary_from_geojson(mp(vec![json!([square(0.0, 0.0, 1.0)]), json!([square(1.0, 0.0, 1.0)])]));
        assert_eq!(shared_edge.unwrap_err(), GeometryError::PolygonsOverlap { a: 0, b: 1 });
    }

    #[test]
    fn raw_position_problems_name_the_ring() {
        let open = boundary_from_geojson(polygon(vec![json!([[0, 0], [1, 0], [1, 1], [0, 1]])]));
        assert_eq!(open.unwrap_err(), GeometryError::NotClosed { at: RingAt { polygon: None, ring: 0 } });

        let short =
            json!({"type": "MultiPolygon", "coordinates": [[square(0.0, 0.0, 1.0)], [[[5, 5], [6, 6], [5, 5]]]]});
        assert_eq!(
            boundary_from_geojson(short).unwrap_err(),
            GeometryError::TooFewPositions { at: RingAt { polygon: Some(1), ring: 0 }, count: 3 }
        );

        let projected = boundary_from_geojson(polygon(vec![square(548_000.0, 1_780_000.0, 100.0)]));
        assert!(matches!(projected.unwrap_err(), GeometryError::BadCoordinate { index: 0, .. }));
    }

    #[test]
    fn collections_of_polygons_are_merged_and_other_types_refused() {
        let gc = json!({"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "coordinates": [square(0.0, 0.0, 1.0)]},
            {"type": "MultiPolygon", "coordinates": [[square(5.0, 5.0, 1.0)], [square(8.0, 8.0, 1.0)]]},
        ]});
        assert_eq!(boundary_from_geojson(gc).unwrap().0.len(), 3);

        let point = json!({"type": "Point", "coordinates": [108.2, 16.05]});
        assert_eq!(boundary_from_geojson(point).unwrap_err(), GeometryError::WrongType("Point".into()));

        let mixed = json!({"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "coordinates": [square(0.0, 0.0, 1.0)]},
            {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
        ]});
        assert!(
            matches!(boundary_from_geojson(mixed).unwrap_err(), GeometryError::WrongType(t) if t.contains("LineString"))
        );

        let empty = json!({"type": "MultiPolygon", "coordinates": []});
        assert_eq!(boundary_from_geojson(empty).unwrap_err(), GeometryError::Empty);
    }
}
