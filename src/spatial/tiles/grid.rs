//! Web-Mercator (EPSG:3857) tile maths for the XYZ scheme MapLibre, QGIS and GDAL use: tile
//! (0, 0) is the north-west corner, `y` grows southwards, zoom `z` has `2^z × 2^z` tiles.
//!
//! Positions are kept in *world units*: Web-Mercator scaled to the unit square, `x` from 0 at
//! 180° W to 1 at 180° E and `y` from 0 at 85.0511° N to 1 at 85.0511° S, so a tile at zoom `z`
//! is a square of side `2^-z` and a tile pixel is `world × 2^z × extent − tile origin`.
//!
//! (A hand-written module rather than a crate: the maths is a dozen lines, and the crates that
//! have it either bring compression libraries with them or model general tile matrix sets.)

use std::f64::consts::PI;

use geo::{Coord, Rect};

/// Deepest zoom served; beyond it clients over-zoom the z22 tile.
pub const MAX_ZOOM: u8 = 22;
/// Latitude at which Web-Mercator is cut off (the square world), degrees.
pub const MAX_LAT: f64 = 85.051_128_779_806_59;

/// One tile of the XYZ scheme, checked: `x` and `y` are below `2^z`, `z` at most [`MAX_ZOOM`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileId {
    /// The tile, or `None` when it does not exist (`z > MAX_ZOOM`, `x` or `y` ≥ `2^z`).
    pub fn new(z: u8, x: u32, y: u32) -> Option<Self> {
        if z > MAX_ZOOM {
            return None;
        }
        let n = 1u32 << z;
        (x < n && y < n).then_some(Self { z, x, y })
    }

    /// Number of tiles along one side at this tile's zoom.
    pub fn tiles_per_side(&self) -> f64 {
        f64::from(1u32 << self.z)
    }

    /// The tile in world units.
    pub fn world_rect(&self) -> Rect<f64> {
        let n = self.tiles_per_side();
        Rect::new(
            Coord { x: f64::from(self.x) / n, y: f64::from(self.y) / n },
            Coord { x: f64::from(self.x + 1) / n, y: f64::from(self.y + 1) / n },
        )
    }

    /// The tile's `[west, south, east, north]` in lon/lat degrees.
    pub fn lon_lat_bounds(&self) -> [f64; 4] {
        let r = self.world_rect();
        let (west, north) = world_to_lon_lat(r.min().x, r.min().y);
        let (east, south) = world_to_lon_lat(r.max().x, r.max().y);
        [west, south, east, north]
    }
}

impl std::fmt::Display for TileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.z, self.x, self.y)
    }
}

/// lon/lat degrees (WGS84) → world units; latitudes beyond ±[`MAX_LAT`] are clamped.
pub fn lon_lat_to_world(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0;
    (x, y)
}

/// World units → lon/lat degrees.
pub fn world_to_lon_lat(x: f64, y: f64) -> (f64, f64) {
    let lon = x * 360.0 - 180.0;
    let lat = (PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees();
    (lon, lat)
}

/// A lon/lat box (`[west, south, east, north]`, degrees) in world units.
pub fn lon_lat_rect_to_world(b: [f64; 4]) -> Rect<f64> {
    let (x0, y0) = lon_lat_to_world(b[0], b[3]);
    let (x1, y1) = lon_lat_to_world(b[2], b[1]);
    Rect::new(Coord { x: x0, y: y0 }, Coord { x: x1, y: y1 })
}

/// The tiles at zoom `z` whose square, grown by `buffer` (a fraction of the tile's side, e.g.
/// 64/4096) on every side, touches `world` (boundaries included): exactly the tiles whose
/// content a change inside `world` can alter when tiles are cut with that buffer.
/// Returns `(x_min..=x_max, y_min..=y_max)`, or `None` if `z > MAX_ZOOM` or `world` is empty.
pub fn covering(
    world: Rect<f64>,
    z: u8,
    buffer: f64,
) -> Option<(std::ops::RangeInclusive<u32>, std::ops::RangeInclusive<u32>)> {
    if z > MAX_ZOOM {
        return None;
    }
    let n = f64::from(1u32 << z);
    let last = (1u32 << z) - 1;
    let range = |lo: f64, hi: f64| {
        // Tile t covers [(t - b)/n, (t + 1 + b)/n]; it touches [lo, hi] iff t ≥ lo·n − 1 − b and t ≤ hi·n + b.
        let a = (lo * n - 1.0 - buffer).ceil().max(0.0);
        let b = (hi * n + buffer).floor().min(f64::from(last));
        (a <= b).then_some(a as u32..=b as u32)
    };
    Some((range(world.min().x, world.max().x)?, range(world.min().y, world.max().y)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_outside_the_grid_do_not_exist() {
        assert!(TileId::new(0, 0, 0).is_some());
        assert!(TileId::new(0, 1, 0).is_none());
        assert!(TileId::new(3, 7, 7).is_some());
        assert!(TileId::new(3, 8, 0).is_none());
        assert!(TileId::new(MAX_ZOOM + 1, 0, 0).is_none());
    }

    #[test]
    fn world_units_round_trip_and_match_known_tiles() {
        let (x, y) = lon_lat_to_world(108.2208, 16.0678); // Đà Nẵng
        let (lon, lat) = world_to_lon_lat(x, y);
        assert!((lon - 108.2208).abs() < 1e-9 && (lat - 16.0678).abs() < 1e-9);
        // Known XYZ tile of central Đà Nẵng at z 13 (as in any slippy-map calculator).
        let n = 8192.0;
        assert_eq!(((x * n) as u32, (y * n) as u32), (6558, 3725));
        let b = TileId::new(13, 6558, 3725).unwrap().lon_lat_bounds();
        assert!(b[0] <= 108.2208 && 108.2208 <= b[2] && b[1] <= 16.0678 && 16.0678 <= b[3]);
        assert_eq!(lon_lat_to_world(0.0, 0.0), (0.5, 0.5));
    }

    #[test]
    fn covering_includes_neighbours_within_the_buffer_only() {
        let z = 10;
        let n = 1024.0;
        // A point in the middle of tile (500, 300): that tile only.
        let p = Rect::new(Coord { x: 500.5 / n, y: 300.5 / n }, Coord { x: 500.5 / n, y: 300.5 / n });
        let (xs, ys) = covering(p, z, 64.0 / 4096.0).unwrap();
        assert_eq!((xs, ys), (500..=500, 300..=300));
        // A point 10 px (of 4096) inside the tile's east edge is also in the eastern neighbour's buffer.
        let x = (501.0 - 10.0 / 4096.0) / n;
        let p = Rect::new(Coord { x, y: 300.5 / n }, Coord { x, y: 300.5 / n });
        let (xs, ys) = covering(p, z, 64.0 / 4096.0).unwrap();
        assert_eq!((xs, ys), (500..=501, 300..=300));
        // Without a buffer it is not.
        assert_eq!(covering(p, z, 0.0).unwrap().0, 500..=500);
        // Clamped to the grid.
        let all = Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 });
        assert_eq!(covering(all, 2, 0.1).unwrap(), (0..=3, 0..=3));
    }
}
