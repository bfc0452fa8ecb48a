//! Area boundaries as Well-Known Binary, the exact way in and out of PostGIS, through the
//! georust [`wkb`] crate.
//!
//! GeoJSON out of PostGIS (`ST_AsGeoJSON`) rounds coordinates to at most 15 decimal digits,
//! which does not round-trip every `f64`; WKB carries the IEEE doubles themselves. Only what
//! the areas table holds is accepted: 2D `MultiPolygon` (and `Polygon`, read as a one-part
//! MultiPolygon), either byte order, with or without an EWKB SRID (which is skipped).

use geo::MultiPolygon;
use geo_traits::to_geo::{ToGeoMultiPolygon as _, ToGeoPolygon as _};
use geo_traits::{GeometryTrait as _, GeometryType};
use wkb::Endianness;
use wkb::reader::{Dimension, Wkb};
use wkb::writer::{WriteOptions, multi_polygon_wkb_size, write_multi_polygon};

/// Little-endian (NDR) WKB of a 2D MultiPolygon.
pub(crate) fn encode_multipolygon(mp: &MultiPolygon<f64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(multi_polygon_wkb_size(mp));
    // Writing to a Vec cannot fail, and a geo MultiPolygon is 2D; only a part count over
    // u32::MAX could, and such a geometry cannot be built in memory anyway.
    write_multi_polygon(&mut out, mp, &WriteOptions { endianness: Endianness::LittleEndian })
        .expect("a 2D MultiPolygon encodes as WKB");
    out
}

/// Reads a 2D (Multi)Polygon from WKB or EWKB; the whole buffer must be one geometry.
pub(crate) fn decode_multipolygon(bytes: &[u8]) -> Result<MultiPolygon<f64>, String> {
    let geometry = Wkb::try_new(bytes).map_err(|e| format!("bad WKB: {e}"))?;
    if geometry.dimension() != Dimension::Xy {
        return Err("geometries with Z or M ordinates are not supported".into());
    }
    let trailing = bytes.len() - geometry.buf().len();
    if trailing != 0 {
        return Err(format!("{trailing} trailing bytes after the geometry"));
    }
    match geometry.as_type() {
        GeometryType::MultiPolygon(mp) => Ok(mp.to_multi_polygon()),
        GeometryType::Polygon(p) => Ok(MultiPolygon(vec![p.to_polygon()])),
        _ => Err(format!("{:?} geometry, expected Polygon or MultiPolygon", geometry.geometry_type())),
    }
}

#[cfg(test)]
mod tests {
    use geo::{Coord, LineString, Polygon};

    use super::*;

    const POLYGON: u32 = 3;
    const MULTI_POLYGON: u32 = 6;
    const EWKB_SRID: u32 = 0x2000_0000;

    fn square_with_hole() -> MultiPolygon<f64> {
        let outer = LineString::from(vec![(108.1, 16.0), (108.3, 16.0), (108.3, 16.2), (108.1, 16.2), (108.1, 16.0)]);
        let hole = LineString::from(vec![(108.15, 16.05), (108.25, 16.05), (108.25, 16.15), (108.15, 16.05)]);
        let far = LineString::from(vec![(0.1, -0.2), (1.0 / 3.0, -0.0), (0.0, 1e-300), (0.1, -0.2)]);
        MultiPolygon(vec![Polygon::new(outer, vec![hole]), Polygon::new(far, vec![])])
    }

    #[test]
    fn multipolygon_with_a_hole_round_trips_bit_for_bit() {
        let mp = square_with_hole();
        let bytes = encode_multipolygon(&mp);
        let back = decode_multipolygon(&bytes).unwrap();
        assert_eq!(back, mp);
        // Byte equality of the re-encoding is bit equality of every double (`-0.0 == 0.0`
        // would hide a lost sign in the comparison above).
        assert_eq!(encode_multipolygon(&back), bytes);
    }

    #[test]
    fn writes_little_endian_multipolygon_wkb() {
        let bytes = encode_multipolygon(&square_with_hole());
        assert_eq!(bytes[0], 1, "NDR byte-order mark");
        assert_eq!(bytes[1..5], MULTI_POLYGON.to_le_bytes());
        assert_eq!(bytes[5..9], 2u32.to_le_bytes(), "two polygons");
        assert_eq!(bytes[9], 1);
        assert_eq!(bytes[10..14], POLYGON.to_le_bytes());
        assert_eq!(bytes[14..18], 2u32.to_le_bytes(), "exterior and one hole");
        assert_eq!(bytes[18..22], 5u32.to_le_bytes(), "five exterior points");
        assert_eq!(bytes[22..30], 108.1f64.to_le_bytes());
    }

    #[test]
    fn reads_big_endian_ewkb_polygon_with_srid() {
        // Big-endian EWKB POLYGON((0 0,1 0,1 1,0 0)) with SRID 4326.
        let mut b = vec![0u8];
        b.extend_from_slice(&(POLYGON | EWKB_SRID).to_be_bytes());
        b.extend_from_slice(&4326u32.to_be_bytes());
        b.extend_from_slice(&1u32.to_be_bytes());
        b.extend_from_slice(&4u32.to_be_bytes());
        for (x, y) in [(0.0f64, 0.0f64), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)] {
            b.extend_from_slice(&x.to_be_bytes());
            b.extend_from_slice(&y.to_be_bytes());
        }
        let mp = decode_multipolygon(&b).unwrap();
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].exterior().0[2], Coord { x: 1.0, y: 1.0 });
    }

    #[test]
    fn refuses_truncated_and_foreign_input() {
        let bytes = encode_multipolygon(&square_with_hole());
        assert!(decode_multipolygon(&bytes[..bytes.len() - 3]).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode_multipolygon(&longer).unwrap_err().contains("1 trailing byte"));
        let point = [&[1u8][..], &1u32.to_le_bytes(), &1f64.to_le_bytes(), &2f64.to_le_bytes()].concat();
        assert!(decode_multipolygon(&point).unwrap_err().contains("Point"));
        assert!(decode_multipolygon(&[7]).is_err());
        let mut huge = vec![1u8];
        huge.extend_from_slice(&MULTI_POLYGON.to_le_bytes());
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode_multipolygon(&huge).is_err());
    }

    #[test]
    fn refuses_z_ordinates() {
        // ISO WKB POLYGON Z with one empty ring.
        let b = [&[1u8][..], &(1000 + POLYGON).to_le_bytes(), &1u32.to_le_bytes(), &0u32.to_le_bytes()].concat();
        assert!(decode_multipolygon(&b).unwrap_err().contains("Z or M"));
    }
}
