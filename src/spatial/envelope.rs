//! The lon/lat search box of a radius query, exactly conservative on the sphere.

use rstar::AABB;

use crate::domain::location::EARTH_RADIUS_M;
use crate::domain::{BBox, Location};

/// Extra margin in degrees (≈ 0.1 mm) added on every side so that rounding in the trigonometry
/// below can never exclude a point whose haversine distance is within the radius.
const PAD_DEG: f64 = 1e-9;

/// The lon/lat box (degrees) holding every point within `radius_m` metres (haversine, sphere of
/// [`EARTH_RADIUS_M`]) of `center`; `None` if the radius is negative or not a number.
///
/// The longitude half-width is the exact `asin(sin ρ / cos φ)` (ρ the angular radius), slightly
/// wider than the naive `ρ / cos φ`: the circle bulges furthest east/west poleward of its centre. A circle that
/// reaches a pole or crosses the antimeridian gets the full longitude range (still correct, only
/// less selective). Cost: a few trigonometric calls.
pub(crate) fn radius_envelope(center: Location, radius_m: f64) -> Option<BBox> {
    if radius_m.is_nan() || radius_m < 0.0 {
        return None;
    }
    let rho = radius_m / EARTH_RADIUS_M;
    let dlat = rho.to_degrees() + PAD_DEG;
    let (min_lat, max_lat) = (center.lat - dlat, center.lat + dlat);
    let full = |min_lat: f64, max_lat: f64| BBox {
        min_lon: -180.0,
        min_lat: min_lat.max(-90.0),
        max_lon: 180.0,
        max_lat: max_lat.min(90.0),
    };
    if rho >= std::f64::consts::FRAC_PI_2 || min_lat <= -90.0 || max_lat >= 90.0 {
        return Some(full(min_lat, max_lat));
    }
    // Here ρ < 90° − |φ|, so sin ρ < cos φ and the asin argument is below 1.
    let dlon = (rho.sin() / center.lat.to_radians().cos()).min(1.0).asin().to_degrees() + PAD_DEG;
    let (min_lon, max_lon) = (center.lon - dlon, center.lon + dlon);
    if min_lon < -180.0 || max_lon > 180.0 {
        return Some(full(min_lat, max_lat));
    }
    Some(BBox { min_lon, min_lat, max_lon, max_lat })
}

/// The rstar envelope of a lon/lat box (inclusive edges, like [`BBox::contains`]).
pub(crate) fn aabb(b: &BBox) -> AABB<[f64; 2]> {
    AABB::from_corners([b.min_lon, b.min_lat], [b.max_lon, b.max_lat])
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng, rngs::StdRng};

    use super::*;

    #[test]
    fn holds_every_point_within_the_radius_even_far_from_the_equator() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..2_000 {
            let c = Location { lon: rng.random_range(-170.0..170.0), lat: rng.random_range(-80.0..80.0) };
            let r = rng.random_range(1.0..200_000.0);
            let env = radius_envelope(c, r).unwrap();
            // Walk the circle's rim by bisection along random bearings: the furthest point still
            // within `r` along each bearing must be inside the box.
            for _ in 0..16 {
                let bearing: f64 = rng.random_range(0.0..std::f64::consts::TAU);
                let (mut lo, mut hi) = (0.0f64, 4.0 * (r / EARTH_RADIUS_M).to_degrees());
                let at = |t: f64| Location {
                    lon: c.lon + t * bearing.sin() / c.lat.to_radians().cos(),
                    lat: c.lat + t * bearing.cos(),
                };
                for _ in 0..60 {
                    let mid = 0.5 * (lo + hi);
                    if c.distance_m(&at(mid)) <= r { lo = mid } else { hi = mid }
                }
                let p = at(lo);
                assert!(c.distance_m(&p) <= r);
                assert!(env.contains(&p), "{c:?} r={r} p={p:?} env={env:?}");
            }
        }
    }

    #[test]
    fn circles_over_a_pole_or_the_antimeridian_take_every_longitude() {
        let polar = radius_envelope(Location { lon: 10.0, lat: 89.9 }, 50_000.0).unwrap();
        assert_eq!((polar.min_lon, polar.max_lon, polar.max_lat), (-180.0, 180.0, 90.0));
        let dateline = radius_envelope(Location { lon: 179.99, lat: 0.0 }, 5_000.0).unwrap();
        assert_eq!((dateline.min_lon, dateline.max_lon), (-180.0, 180.0));
        assert!(radius_envelope(Location { lon: 0.0, lat: 0.0 }, -1.0).is_none());
        assert!(radius_envelope(Location { lon: 0.0, lat: 0.0 }, f64::NAN).is_none());
    }
}
