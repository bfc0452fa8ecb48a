//! Shapefile (`.shp` + `.dbf`, optional `.cpg` and `.prj`) → GeoJSON-shaped features, read with
//! the `shapefile` crate (pure Rust; the `.cpg` code page through encoding_rs; UTF-8 without it).
//!
//! Coordinates must be WGS84 lon/lat: a `.prj` naming a projected system (VN-2000 / UTM, as
//! many Vietnamese plans are drawn) refuses the file with a hint to reproject it
//! (`ogr2ogr -t_srs EPSG:4326`); reprojection is not done here. Polygon rings are grouped into
//! polygons by the crate (outer rings clockwise, holes counter-clockwise, as the format says);
//! the polygons then go through the same checks as GeoJSON.

use std::io::{Cursor, Read, Seek};
use std::path::Path;

use anyhow::{Context, bail};
use serde_json::{Map, Value, json};

/// Every record as a GeoJSON Feature value (properties from the DBF, geometry or `null`).
pub(super) fn read_features(path: &Path) -> anyhow::Result<Vec<Value>> {
    check_prj(path)?;
    let reader =
        ::shapefile::Reader::from_path(path).with_context(|| format!("opening the Shapefile {}", path.display()))?;
    features(reader).with_context(|| format!("reading {}", path.display()))
}

/// The same from a `.shp` and a `.dbf` in memory (UTF-8 attributes): what the fuzzer drives.
pub fn features_from_bytes(shp: &[u8], dbf: &[u8]) -> anyhow::Result<Vec<Value>> {
    let shapes = ::shapefile::ShapeReader::new(Cursor::new(shp)).context("reading the .shp header")?;
    let records = ::shapefile::dbase::Reader::new(Cursor::new(dbf)).context("reading the .dbf header")?;
    features(::shapefile::Reader::new(shapes, records))
}

fn features<T: Read + Seek, D: Read + Seek>(mut reader: ::shapefile::Reader<T, D>) -> anyhow::Result<Vec<Value>> {
    let mut out = Vec::new();
    for (n, item) in reader.iter_shapes_and_records().enumerate() {
        let (shape, record) = item.with_context(|| format!("reading record {n}"))?;
        let mut properties = Map::new();
        for (name, value) in record {
            properties.insert(name, field_json(value));
        }
        out.push(json!({"type": "Feature", "properties": properties, "geometry": geometry_json(shape)}));
    }
    Ok(out)
}

/// Refuses a `.prj` that is not geographic WGS84; a missing one is taken as WGS84 (the
/// coordinate range check then catches a projected file).
fn check_prj(path: &Path) -> anyhow::Result<()> {
    let prj = path.with_extension("prj");
    let Ok(wkt) = std::fs::read_to_string(&prj) else { return Ok(()) };
    let upper = wkt.to_ascii_uppercase();
    let wgs84 = upper.contains("WGS_1984") || upper.contains("WGS 84") || upper.contains("WGS84");
    if upper.trim_start().starts_with("PROJCS") || !upper.contains("GEOGCS") || !wgs84 {
        let name = wkt.split('"').nth(1).unwrap_or("an unknown system");
        bail!(
            "{} is in {name}, not WGS84 lon/lat (EPSG:4326): reproject it first, e.g. \
             `ogr2ogr -t_srs EPSG:4326 out.shp {}`",
            path.display(),
            path.display()
        );
    }
    Ok(())
}

/// A shape as a GeoJSON geometry value: polygons as a MultiPolygon, other types with their
/// type name only (the geometry check refuses them by name), a null shape as `null`.
fn geometry_json(shape: ::shapefile::Shape) -> Value {
    use ::shapefile::Shape;
    let polygons = match shape {
        Shape::NullShape => return Value::Null,
        Shape::Polygon(p) => geo::MultiPolygon::<f64>::try_from(p),
        Shape::PolygonM(p) => geo::MultiPolygon::<f64>::try_from(p),
        Shape::PolygonZ(p) => geo::MultiPolygon::<f64>::try_from(p),
        other => {
            let kind = match other {
                Shape::Point(_) | Shape::PointM(_) | Shape::PointZ(_) => {
                    json!({"type": "Point", "coordinates": [0, 0]})
                }
                Shape::Polyline(_) | Shape::PolylineM(_) | Shape::PolylineZ(_) => {
                    json!({"type": "MultiLineString", "coordinates": []})
                }
                _ => json!({"type": "MultiPoint", "coordinates": []}),
            };
            // Only the type matters: the geometry check refuses it by name.
            return kind;
        }
    };
    match polygons {
        Ok(mp) => serde_json::to_value(geojson::Geometry::new(geojson::Value::from(&mp))).unwrap_or(Value::Null),
        // A hole before any outer ring: a polygon without an exterior, refused by the check.
        Err(_) => json!({"type": "MultiPolygon", "coordinates": [[]]}),
    }
}

/// A DBF value as JSON: text, numbers, booleans, dates as `YYYY-MM-DD`, empty as `null`.
fn field_json(value: ::shapefile::dbase::FieldValue) -> Value {
    use ::shapefile::dbase::FieldValue as F;
    match value {
        F::Character(s) => s.map(Value::String).unwrap_or(Value::Null),
        F::Memo(s) => Value::String(s),
        F::Numeric(n) => n.map(Value::from).unwrap_or(Value::Null),
        F::Float(n) => n.map(|f| Value::from(f64::from(f))).unwrap_or(Value::Null),
        F::Integer(i) => Value::from(i),
        F::Double(d) | F::Currency(d) => Value::from(d),
        F::Logical(b) => b.map(Value::Bool).unwrap_or(Value::Null),
        F::Date(d) => {
            d.map(|d| Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))).unwrap_or(Value::Null)
        }
        F::DateTime(dt) => {
            let d = dt.date();
            Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
        }
    }
}
