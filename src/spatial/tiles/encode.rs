//! One geometry into one tile: world units → tile pixels, clipped to the tile plus its buffer,
//! simplified in pixels, snapped to the integer grid and written as an MVT feature geometry.
//!
//! Simplification is Ramer–Douglas–Peucker (geo's `Simplify`) with a tolerance in tile pixels,
//! so the same tolerance drops more of a boundary at low zoom (where a district is a few hundred
//! pixels) than at high zoom. Clipping is geo's `BooleanOps` (i_overlay), which keeps polygons
//! valid where they cross the buffer's edge. Polygon rings are written with the MVT winding
//! (exterior clockwise on screen, i.e. positive area with `y` down), whatever the input's.

use geo::{
    BooleanOps, BoundingRect, Coord, Geometry, LineString, MapCoords, MultiLineString, MultiPoint, MultiPolygon,
    Orient, Point, Polygon, Rect, Simplify, orient::Direction,
};
use geozero::ToMvt;
use geozero::mvt::tile;

use super::grid::TileId;

/// Tile coordinates per tile side (the MVT default).
pub const EXTENT: u32 = 4096;
/// Pixels of the neighbouring tiles included on every side, so lines and polygon edges join
/// without seams and labels near an edge are not cut (Martin's default too).
pub const BUFFER: u32 = 64;
/// Simplification tolerance in tile pixels (4 of 4096 = a quarter of a screen pixel on a 256 px tile).
pub const SIMPLIFY_PX: f64 = 4.0;

/// Where a tile sits in world units, to move geometries into its pixel grid.
#[derive(Debug, Clone, Copy)]
pub struct TileFrame {
    pub tile: TileId,
    scale: f64,
    origin: Coord<f64>,
}

impl TileFrame {
    pub fn new(tile: TileId) -> Self {
        let scale = tile.tiles_per_side() * f64::from(EXTENT);
        let origin = Coord { x: f64::from(tile.x) * f64::from(EXTENT), y: f64::from(tile.y) * f64::from(EXTENT) };
        Self { tile, scale, origin }
    }

    /// The tile plus its buffer, in world units (what to query an index with).
    pub fn buffered_world(&self) -> Rect<f64> {
        let r = self.tile.world_rect();
        let b = f64::from(BUFFER) / self.scale;
        Rect::new(Coord { x: r.min().x - b, y: r.min().y - b }, Coord { x: r.max().x + b, y: r.max().y + b })
    }

    /// A world position in this tile's pixels (`0..EXTENT` inside the tile, `y` down).
    pub fn to_px(&self, c: Coord<f64>) -> Coord<f64> {
        Coord { x: c.x * self.scale - self.origin.x, y: c.y * self.scale - self.origin.y }
    }

    /// A position in this tile's pixels back in world units (the inverse of [`Self::to_px`]).
    pub fn to_world(&self, px: Coord<f64>) -> Coord<f64> {
        Coord { x: (px.x + self.origin.x) / self.scale, y: (px.y + self.origin.y) / self.scale }
    }

    fn buffered_px(&self) -> Rect<f64> {
        let (lo, hi) = (-f64::from(BUFFER), f64::from(EXTENT + BUFFER));
        Rect::new(Coord { x: lo, y: lo }, Coord { x: hi, y: hi })
    }

    /// Whether a world position falls in the tile or its buffer (edges included).
    pub fn holds(&self, c: Coord<f64>) -> bool {
        let p = self.to_px(c);
        let r = self.buffered_px();
        r.min().x <= p.x && p.x <= r.max().x && r.min().y <= p.y && p.y <= r.max().y
    }

    /// `geometry` (world units) as the geometry of an MVT feature in this tile (type and
    /// commands filled in, no id or tags), or `None` when nothing of it is left in the tile.
    pub fn encode(&self, geometry: &Geometry<f64>, simplify_px: f64) -> Option<tile::Feature> {
        let px = geometry.map_coords(|c| self.to_px(c));
        let bounds = self.buffered_px();
        let inside = px.bounding_rect().is_some_and(|b| contains(&bounds, &b));
        let out: Geometry<f64> = match px {
            Geometry::Point(p) => Geometry::Point(snap_point(p, &bounds)?),
            Geometry::MultiPoint(ps) => {
                let ps: Vec<Point<f64>> = ps.into_iter().filter_map(|p| snap_point(p, &bounds)).collect();
                if ps.is_empty() {
                    return None;
                }
                Geometry::MultiPoint(MultiPoint(ps))
            }
            Geometry::LineString(l) => lines(MultiLineString(vec![l]), &bounds, inside, simplify_px)?,
            Geometry::MultiLineString(ls) => lines(ls, &bounds, inside, simplify_px)?,
            Geometry::Polygon(p) => polygons(MultiPolygon(vec![p]), &bounds, inside, simplify_px)?,
            Geometry::MultiPolygon(mp) => polygons(mp, &bounds, inside, simplify_px)?,
            _ => return None,
        };
        out.to_mvt_unscaled().ok()
    }
}

fn contains(outer: &Rect<f64>, inner: &Rect<f64>) -> bool {
    outer.min().x <= inner.min().x
        && outer.min().y <= inner.min().y
        && inner.max().x <= outer.max().x
        && inner.max().y <= outer.max().y
}

fn snap(c: Coord<f64>) -> Coord<f64> {
    Coord { x: c.x.round(), y: c.y.round() }
}

fn snap_point(p: Point<f64>, bounds: &Rect<f64>) -> Option<Point<f64>> {
    let c = p.0;
    (bounds.min().x <= c.x && c.x <= bounds.max().x && bounds.min().y <= c.y && c.y <= bounds.max().y)
        .then(|| Point(snap(c)))
}

/// Snapped to the pixel grid with repeated vertices dropped.
fn snap_line(l: &LineString<f64>) -> LineString<f64> {
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(l.0.len());
    for c in l.coords() {
        let s = snap(*c);
        if out.last() != Some(&s) {
            out.push(s);
        }
    }
    LineString(out)
}

fn lines(ls: MultiLineString<f64>, bounds: &Rect<f64>, inside: bool, tolerance: f64) -> Option<Geometry<f64>> {
    let clipped = if inside { ls } else { bounds.to_polygon().clip(&ls, false) };
    let kept: Vec<LineString<f64>> =
        clipped.simplify(tolerance).0.iter().map(snap_line).filter(|l| l.0.len() >= 2).collect();
    match kept.len() {
        0 => None,
        1 => kept.into_iter().next().map(Geometry::LineString),
        _ => Some(Geometry::MultiLineString(MultiLineString(kept))),
    }
}

fn polygons(mp: MultiPolygon<f64>, bounds: &Rect<f64>, inside: bool, tolerance: f64) -> Option<Geometry<f64>> {
    let clipped = if inside { mp } else { mp.intersection(&bounds.to_polygon()) };
    let ring = |r: &LineString<f64>| {
        let s = snap_line(r);
        // A ring needs three distinct corners (plus the closing one) and some area.
        (s.0.len() >= 4 && geo::Area::unsigned_area(&Polygon::new(s.clone(), vec![])) > 0.0).then_some(s)
    };
    let kept: Vec<Polygon<f64>> = clipped
        .simplify(tolerance)
        .0
        .iter()
        .filter_map(|p| {
            let exterior = ring(p.exterior())?;
            Some(Polygon::new(exterior, p.interiors().iter().filter_map(ring).collect()))
        })
        .collect();
    if kept.is_empty() {
        return None;
    }
    // In pixel space `y` points down, so geo's counter-clockwise ("Default") exterior is
    // clockwise on screen: the MVT rule.
    Some(Geometry::MultiPolygon(MultiPolygon(kept).orient(Direction::Default)))
}

#[cfg(test)]
mod tests {
    use geo::{Coord, LineString, polygon};
    use geozero::mvt::tile::GeomType;

    use super::*;

    fn frame() -> TileFrame {
        TileFrame::new(TileId::new(1, 0, 0).unwrap())
    }

    /// World units of the z1 tile (0, 0): pixel p is world p / 8192.
    fn w(px: f64) -> f64 {
        px / 8192.0
    }

    #[test]
    fn points_outside_the_buffer_are_left_out() {
        let f = frame();
        assert!(f.encode(&Geometry::Point(Point::new(w(100.0), w(100.0))), 0.0).is_some());
        assert!(f.encode(&Geometry::Point(Point::new(w(4096.0 + 63.0), w(10.0))), 0.0).is_some());
        assert!(f.encode(&Geometry::Point(Point::new(w(4096.0 + 65.0), w(10.0))), 0.0).is_none());
        let feature = f.encode(&Geometry::Point(Point::new(w(100.0), w(200.0))), 0.0).unwrap();
        assert_eq!(feature.r#type(), GeomType::Point);
        // MoveTo(1), zigzag(100), zigzag(200).
        assert_eq!(feature.geometry, vec![9, 200, 400]);
    }

    #[test]
    fn a_polygon_is_clipped_to_the_buffer_and_wound_clockwise_on_screen() {
        let f = frame();
        // Counter-clockwise on screen (y down) and twice the tile's size.
        let p = polygon![
            (x: w(-4096.0), y: w(-4096.0)), (x: w(-4096.0), y: w(8192.0)),
            (x: w(8192.0), y: w(8192.0)), (x: w(8192.0), y: w(-4096.0)),
        ];
        let feature = f.encode(&Geometry::Polygon(p), 0.0).unwrap();
        assert_eq!(feature.r#type(), GeomType::Polygon);
        let ring = decode_first_ring(&feature.geometry);
        let xs: Vec<i32> = ring.iter().map(|c| c.0).collect();
        assert_eq!(xs.iter().min(), Some(&-64));
        assert_eq!(xs.iter().max(), Some(&4160));
        // Surveyor's formula in tile coordinates: positive = clockwise on screen.
        let area: i64 = ring
            .iter()
            .zip(ring.iter().cycle().skip(1))
            .map(|(a, b)| i64::from(a.0) * i64::from(b.1) - i64::from(b.0) * i64::from(a.1))
            .sum();
        assert!(area > 0, "exterior ring must be clockwise on screen, area {area}");
    }

    #[test]
    fn simplification_drops_vertices_below_the_tolerance() {
        let f = frame();
        // A zig-zag of amplitude 1 px along a 2000 px line.
        let coords: Vec<Coord<f64>> =
            (0..=200).map(|i| Coord { x: w(f64::from(i) * 10.0), y: w(100.0 + f64::from(i % 2)) }).collect();
        let g = Geometry::LineString(LineString(coords));
        let fine = f.encode(&g, 0.0).unwrap();
        let coarse = f.encode(&g, SIMPLIFY_PX).unwrap();
        assert!(
            coarse.geometry.len() < fine.geometry.len() / 10,
            "{} vs {}",
            coarse.geometry.len(),
            fine.geometry.len()
        );
    }

    #[test]
    fn a_line_far_outside_is_nothing() {
        let g = Geometry::LineString(LineString::from(vec![(w(9000.0), w(10.0)), (w(9100.0), w(10.0))]));
        assert!(frame().encode(&g, 0.0).is_none());
    }

    /// The first ring of a polygon feature's commands, in absolute tile coordinates.
    fn decode_first_ring(cmds: &[u32]) -> Vec<(i32, i32)> {
        let unzig = |v: u32| ((v >> 1) as i32) ^ -((v & 1) as i32);
        let (mut x, mut y) = (0, 0);
        let mut out = Vec::new();
        let mut i = 0;
        while i < cmds.len() {
            let (id, count) = (cmds[i] & 7, cmds[i] >> 3);
            i += 1;
            if id == 7 {
                break;
            }
            for _ in 0..count {
                x += unzig(cmds[i]);
                y += unzig(cmds[i + 1]);
                out.push((x, y));
                i += 2;
            }
        }
        out
    }
}
