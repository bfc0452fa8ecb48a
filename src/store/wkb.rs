//! Well-Known Binary for area boundaries, the exact way in and out of PostGIS.
//!
//! GeoJSON out of PostGIS (`ST_AsGeoJSON`) rounds coordinates to at most 15 decimal digits,
//! which does not round-trip every `f64`; WKB carries the IEEE doubles themselves. Only what
//! the areas table holds is supported: 2D `MultiPolygon` (and `Polygon`, read as a one-part
//! MultiPolygon), either byte order, with or without an EWKB SRID.

use geo::{Coord, LineString, MultiPolygon, Polygon};

const POLYGON: u32 = 3;
const MULTI_POLYGON: u32 = 6;
/// EWKB flag: an SRID follows the type.
const EWKB_SRID: u32 = 0x2000_0000;
/// EWKB flags for Z and M ordinates (unsupported).
const EWKB_ZM: u32 = 0xC000_0000;

/// Little-endian (NDR) WKB of a 2D MultiPolygon.
pub(crate) fn encode_multipolygon(mp: &MultiPolygon<f64>) -> Vec<u8> {
    let points: usize =
        mp.0.iter().map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()).sum();
    let mut out = Vec::with_capacity(9 + mp.0.len() * 9 + points * 16);
    header(&mut out, MULTI_POLYGON, mp.0.len());
    for polygon in &mp.0 {
        header(&mut out, POLYGON, 1 + polygon.interiors().len());
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            out.extend_from_slice(&len_u32(ring.0.len()).to_le_bytes());
            for c in &ring.0 {
                out.extend_from_slice(&c.x.to_le_bytes());
                out.extend_from_slice(&c.y.to_le_bytes());
            }
        }
    }
    out
}

fn header(out: &mut Vec<u8>, kind: u32, count: usize) {
    out.push(1); // little-endian
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&len_u32(count).to_le_bytes());
}

fn len_u32(n: usize) -> u32 {
    // Geometries with over 4 billion parts cannot be built in memory anyway.
    u32::try_from(n).expect("geometry part count fits in u32")
}

/// Reads a (Multi)Polygon from WKB or EWKB.
pub(crate) fn decode_multipolygon(bytes: &[u8]) -> Result<MultiPolygon<f64>, String> {
    let mut r = Reader { bytes, pos: 0, little: true };
    let mp = match r.geometry_header()? {
        MULTI_POLYGON => {
            let n = r.count()?;
            let mut polygons = Vec::with_capacity(n);
            for _ in 0..n {
                match r.geometry_header()? {
                    POLYGON => polygons.push(r.polygon_body()?),
                    other => return Err(format!("MultiPolygon part of type {other}, expected Polygon")),
                }
            }
            MultiPolygon(polygons)
        }
        POLYGON => MultiPolygon(vec![r.polygon_body()?]),
        other => return Err(format!("geometry type {other}, expected Polygon or MultiPolygon")),
    };
    if r.pos != bytes.len() {
        return Err(format!("{} trailing bytes after the geometry", bytes.len() - r.pos));
    }
    Ok(mp)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    little: bool,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let end = self.pos + N;
        let slice = self.bytes.get(self.pos..end).ok_or_else(|| format!("WKB truncated at byte {}", self.pos))?;
        self.pos = end;
        Ok(slice.try_into().expect("slice has length N"))
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take::<4>()?;
        Ok(if self.little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    }

    fn f64(&mut self) -> Result<f64, String> {
        let b = self.take::<8>()?;
        Ok(if self.little { f64::from_le_bytes(b) } else { f64::from_be_bytes(b) })
    }

    /// A count, checked against the bytes left so corrupt input cannot ask for huge buffers.
    fn count(&mut self) -> Result<usize, String> {
        let n = self.u32()? as usize;
        if n > self.bytes.len() - self.pos {
            return Err(format!("count {n} exceeds the {} bytes left", self.bytes.len() - self.pos));
        }
        Ok(n)
    }

    /// Byte order and type (EWKB SRID skipped); returns the 2D type code.
    fn geometry_header(&mut self) -> Result<u32, String> {
        self.little = match self.take::<1>()?[0] {
            0 => false,
            1 => true,
            b => return Err(format!("bad byte-order mark {b}")),
        };
        let kind = self.u32()?;
        if kind & EWKB_ZM != 0 || (1000..5000).contains(&(kind & !EWKB_SRID)) {
            return Err("geometries with Z or M ordinates are not supported".into());
        }
        if kind & EWKB_SRID != 0 {
            self.u32()?;
        }
        Ok(kind & !EWKB_SRID)
    }

    fn polygon_body(&mut self) -> Result<Polygon<f64>, String> {
        let rings = self.count()?;
        let mut all = Vec::with_capacity(rings);
        for _ in 0..rings {
            let n = self.count()?;
            let mut coords = Vec::with_capacity(n);
            for _ in 0..n {
                coords.push(Coord { x: self.f64()?, y: self.f64()? });
            }
            all.push(LineString(coords));
        }
        let mut rings = all.into_iter();
        let exterior = rings.next().unwrap_or_else(|| LineString(vec![]));
        Ok(Polygon::new(exterior, rings.collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square_with_hole() -> MultiPolygon<f64> {
        let outer = LineString::from(vec![(108.1, 16.0), (108.3, 16.0), (108.3, 16.2), (108.1, 16.2), (108.1, 16.0)]);
        let hole = LineString::from(vec![(108.15, 16.05), (108.25, 16.05), (108.25, 16.15), (108.15, 16.05)]);
        let far = LineString::from(vec![(0.1, -0.2), (1.0 / 3.0, 0.0), (0.0, 1e-300), (0.1, -0.2)]);
        MultiPolygon(vec![Polygon::new(outer, vec![hole]), Polygon::new(far, vec![])])
    }

    #[test]
    fn multipolygon_with_a_hole_round_trips_bit_for_bit() {
        let mp = square_with_hole();
        assert_eq!(decode_multipolygon(&encode_multipolygon(&mp)).unwrap(), mp);
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
        assert!(decode_multipolygon(&bytes[..bytes.len() - 3]).unwrap_err().contains("truncated"));
        assert!(decode_multipolygon(&[1, 1, 0, 0, 0, 0, 0, 0, 0]).unwrap_err().contains("type 1"));
        assert!(decode_multipolygon(&[7]).is_err());
        let mut huge = vec![1u8];
        huge.extend_from_slice(&MULTI_POLYGON.to_le_bytes());
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode_multipolygon(&huge).unwrap_err().contains("exceeds"));
    }
}
