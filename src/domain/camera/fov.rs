//! The field-of-view cone of a camera as a lon/lat polygon, for the wall and the OGC layer.

use geo::{Coord, LineString, Polygon};

use crate::domain::Location;
use crate::domain::location::EARTH_RADIUS_M;

/// The cone a camera at `at` sees: an arc of `fov` degrees centred on `heading` (degrees
/// clockwise from north) with radius `range_m` metres, closed through the camera's position.
/// A `fov` of 360 or more is a full circle. `steps` arc segments (at least 2).
///
/// Uses a local flat-earth approximation around `at` (metres → degrees by the sphere of
/// [`EARTH_RADIUS_M`]): well under a metre of error for cones of a few kilometres away from
/// the poles. Costs O(`steps`).
pub fn fov_cone(at: Location, heading: f64, fov: f64, range_m: f64, steps: usize) -> Polygon<f64> {
    let steps = steps.max(2);
    let full = fov >= 360.0;
    let fov = fov.clamp(0.0, 360.0);
    let lat_rad = at.lat.to_radians();
    let m_per_deg_lat = EARTH_RADIUS_M.to_radians();
    let m_per_deg_lon = m_per_deg_lat * lat_rad.cos().max(1e-9);
    let point = |bearing_deg: f64| {
        let b = bearing_deg.to_radians();
        let (east, north) = (range_m * b.sin(), range_m * b.cos());
        Coord { x: at.lon + east / m_per_deg_lon, y: at.lat + north / m_per_deg_lat }
    };
    let start = heading - fov / 2.0;
    let mut ring: Vec<Coord<f64>> = Vec::with_capacity(steps + 3);
    if !full {
        ring.push(Coord { x: at.lon, y: at.lat });
    }
    for i in 0..=steps {
        ring.push(point(start + fov * i as f64 / steps as f64));
    }
    if full {
        ring.pop();
    }
    let first = ring[0];
    ring.push(first);
    Polygon::new(LineString::new(ring), vec![])
}
