//! GeoPackage (`.gpkg`, OGC 12-128r18) → GeoJSON-shaped features, read with the SQLite driver
//! the store already uses (sqlx, read-only) and the georust `wkb` reader.
//!
//! A GeoPackage is an SQLite file: `gpkg_contents` lists its feature tables,
//! `gpkg_geometry_columns` names each one's geometry column and spatial reference system, and
//! each geometry is a small header (`GP`, version, flags, SRS id, optional envelope) followed by
//! standard WKB. Only WGS84 lon/lat (EPSG:4326) is accepted; other systems are refused with a
//! hint to reproject (`ogr2ogr -t_srs EPSG:4326`). geozero's `gpkg` feature was not used: it
//! brings its own sqlx (and so a second, conflicting libsqlite3) for what is a 40-line header.

use std::path::Path;
use std::str::FromStr;

use anyhow::{Context, anyhow, bail};
use geo_traits::to_geo::ToGeoGeometry as _;
use serde_json::{Map, Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqliteRow};
use sqlx::{Column as _, ConnectOptions as _, Row as _, TypeInfo as _, ValueRef as _};

/// Every row of the feature table as a GeoJSON Feature value. `table` picks one when the file
/// has several feature tables.
pub(super) async fn read_features(path: &Path, table: Option<&str>) -> anyhow::Result<Vec<Value>> {
    let url = format!("sqlite:{}", path.display());
    let mut conn = SqliteConnectOptions::from_str(&url)
        .with_context(|| format!("opening {}", path.display()))?
        .read_only(true)
        .connect()
        .await
        .with_context(|| format!("opening the GeoPackage {}", path.display()))?;
    let tables: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c \
         JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
         WHERE c.data_type = 'features' ORDER BY c.table_name",
    )
    .fetch_all(&mut conn)
    .await
    .with_context(|| format!("{} is not a GeoPackage (no gpkg_contents / gpkg_geometry_columns)", path.display()))?;
    let names = || tables.iter().map(|t| t.0.as_str()).collect::<Vec<_>>().join(", ");
    let (name, column, srs) = match table {
        Some(want) => tables
            .iter()
            .find(|t| t.0 == want)
            .cloned()
            .ok_or_else(|| anyhow!("{} has no feature table {want:?} (it has: {})", path.display(), names()))?,
        None => match &tables[..] {
            [one] => one.clone(),
            [] => bail!("{} has no feature table", path.display()),
            _ => bail!("{} has several feature tables ({}): choose one with --table", path.display(), names()),
        },
    };
    check_srs(&mut conn, path, &name, srs).await?;

    let sql = format!("SELECT * FROM \"{}\"", name.replace('"', "\"\""));
    let rows =
        sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut conn).await.with_context(|| format!("reading {name}"))?;
    rows.iter().map(|row| feature(row, &column)).collect()
}

/// Refuses a table whose SRS is not EPSG:4326 (by id or by the organisation's code).
async fn check_srs(conn: &mut sqlx::SqliteConnection, path: &Path, table: &str, srs: i64) -> anyhow::Result<()> {
    let org: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT organization, organization_coordsys_id, srs_name FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
    )
    .bind(srs)
    .fetch_optional(&mut *conn)
    .await?;
    let wgs84 = match &org {
        Some((o, id, _)) => o.eq_ignore_ascii_case("EPSG") && *id == 4326,
        None => srs == 4326,
    };
    if !wgs84 {
        let name = org.map_or_else(|| format!("SRS {srs}"), |(o, id, n)| format!("{n} ({o}:{id})"));
        bail!(
            "{} table {table} is in {name}, not WGS84 lon/lat (EPSG:4326): reproject it first, e.g. \
             `ogr2ogr -t_srs EPSG:4326 out.gpkg {}`",
            path.display(),
            path.display()
        );
    }
    Ok(())
}

fn feature(row: &SqliteRow, geometry_column: &str) -> anyhow::Result<Value> {
    let mut properties = Map::new();
    let mut geometry = Value::Null;
    for (i, col) in row.columns().iter().enumerate() {
        let raw = row.try_get_raw(i)?;
        if raw.is_null() {
            if col.name() != geometry_column {
                properties.insert(col.name().to_owned(), Value::Null);
            }
            continue;
        }
        let kind = raw.type_info().name().to_owned();
        if col.name() == geometry_column {
            let blob: Vec<u8> = row.try_get(i)?;
            geometry = geometry_json(&blob);
            continue;
        }
        let value = match kind.as_str() {
            "INTEGER" => Value::from(row.try_get::<i64, _>(i)?),
            "REAL" => Value::from(row.try_get::<f64, _>(i)?),
            "TEXT" => Value::String(row.try_get::<String, _>(i)?),
            // Other blobs are no zone attribute.
            _ => continue,
        };
        properties.insert(col.name().to_owned(), value);
    }
    Ok(json!({"type": "Feature", "properties": properties, "geometry": geometry}))
}

/// A GeoPackage geometry blob as a GeoJSON geometry value; a blob that can't be read becomes a
/// geometry the check refuses as malformed (its message in `type`), an empty geometry `null`.
pub fn geometry_json(blob: &[u8]) -> Value {
    let read = gpkg_wkb(blob).and_then(|wkb| match wkb {
        None => Ok(None),
        Some(wkb) => {
            let g = wkb::reader::Wkb::try_new(wkb).map_err(|e| format!("bad WKB: {e}"))?;
            if !members_readable(&g) {
                return Err("a multipoint's member has an SRID of its own".into());
            }
            Ok(g.try_to_geometry())
        }
    });
    match read {
        Ok(Some(g)) => serde_json::to_value(geojson::Geometry::new(geojson::Value::from(&g))).unwrap_or(Value::Null),
        Ok(None) => Value::Null,
        Err(why) => json!({ "type": format!("unreadable GeoPackage geometry ({why})") }),
    }
}

/// Whether the `wkb` reader can turn `g` into a geometry. It reads a MultiPoint's members as
/// fixed-size points (`Point::new` unwraps, wkb 0.9.3), so a member whose type claims an EWKB
/// SRID of its own would run past the blob and panic (found by `make fuzz`; the input is
/// `tests/fuzz/corpus/gpkg_geometry/regression-wkb-multipoint`). Such a blob is refused instead.
fn members_readable(g: &wkb::reader::Wkb) -> bool {
    use geo_traits::{GeometryCollectionTrait as _, GeometryTrait as _, GeometryType, MultiPointTrait as _};
    const EWKB_SRID: u32 = 0x2000_0000;
    match g.as_type() {
        GeometryType::MultiPoint(mp) => {
            let buf = mp.buf();
            // Members are read in the MultiPoint's byte order: 0 big-endian, 1 little-endian.
            let big_endian = buf.first() == Some(&0);
            (0..mp.num_points()).all(|i| {
                let at = mp.point_offset(i as u64) as usize;
                match buf.get(at + 1..at + 5).and_then(|c| <[u8; 4]>::try_from(c).ok()) {
                    Some(c) => {
                        let code = if big_endian { u32::from_be_bytes(c) } else { u32::from_le_bytes(c) };
                        code & EWKB_SRID == 0
                    }
                    None => false,
                }
            })
        }
        GeometryType::GeometryCollection(gc) => gc.geometries().all(members_readable),
        _ => true,
    }
}

/// The WKB inside a GeoPackage geometry blob (`None` for an empty geometry).
fn gpkg_wkb(blob: &[u8]) -> Result<Option<&[u8]>, String> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err("no GP header".into());
    }
    let flags = blob[3];
    if flags & 0b0010_0000 != 0 {
        return Err("extended GeoPackage geometries are not supported".into());
    }
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        n => return Err(format!("bad envelope indicator {n}")),
    };
    let start = 8 + envelope;
    if flags & 0b0001_0000 != 0 {
        return Ok(None);
    }
    blob.get(start..).filter(|w| !w.is_empty()).map(Some).ok_or_else(|| "truncated geometry".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_skipped_by_its_envelope_size() {
        let wkb = [1u8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let mut blob = vec![b'G', b'P', 0, 0b0000_0011, 0xE6, 0x10, 0, 0];
        blob.extend_from_slice(&[0u8; 32]);
        blob.extend_from_slice(&wkb);
        assert_eq!(gpkg_wkb(&blob).unwrap(), Some(&wkb[..]));
        let empty = [b'G', b'P', 0, 0b0001_0001, 0xE6, 0x10, 0, 0];
        assert_eq!(gpkg_wkb(&empty).unwrap(), None);
        assert!(gpkg_wkb(b"XX\0\0\0\0\0\0").is_err());
        assert!(gpkg_wkb(&blob[..20]).is_err());
    }

    #[test]
    fn a_point_blob_reads_as_a_point_geometry() {
        let mut blob = vec![b'G', b'P', 0, 0b0000_0001, 0xE6, 0x10, 0, 0, 1];
        blob.extend_from_slice(&1u32.to_le_bytes());
        blob.extend_from_slice(&108.2f64.to_le_bytes());
        blob.extend_from_slice(&16.06f64.to_le_bytes());
        assert_eq!(geometry_json(&blob)["type"], "Point");
        assert!(geometry_json(b"GP").get("type").and_then(Value::as_str).unwrap().starts_with("unreadable"));
    }

    #[test]
    fn a_multipoint_whose_member_claims_an_srid_is_unreadable_not_a_panic() {
        let mut blob = vec![b'G', b'P', 0, 0b0000_0001, 0xE6, 0x10, 0, 0, 1];
        blob.extend_from_slice(&4u32.to_le_bytes());
        blob.extend_from_slice(&1u32.to_le_bytes());
        blob.push(1);
        blob.extend_from_slice(&(1u32 | 0x2000_0000).to_le_bytes());
        blob.extend_from_slice(&[0u8; 16]);
        let kind = geometry_json(&blob)["type"].as_str().unwrap().to_owned();
        assert!(kind.starts_with("unreadable"), "{kind}");
        // The same member without the flag is a MultiPoint.
        blob[18..22].copy_from_slice(&1u32.to_le_bytes());
        assert_eq!(geometry_json(&blob)["type"], "MultiPoint");
    }
}
