//! Shapefiles and GeoPackages, as planning offices export them (Vietnamese DBF field names,
//! WGS84), imported into a store; projected files are refused with the way out.

use std::path::Path;

use shapefile::dbase::{FieldValue, Record, TableWriterBuilder};
use shapefile::{Point, Polygon, PolygonRing};
use switchboard::domain::LandUse;
use switchboard::import::{ImportPlanningOptions, LayerInfo, import_planning};
use switchboard::store::Store;

fn options() -> ImportPlanningOptions {
    let mut o = super::import::options();
    o.layer = LayerInfo {
        code: Some("TK-QHPK-02".into()),
        name: Some("Quy hoạch phân khu Thanh Khê".into()),
        name_en: None,
        decision_number: Some("2356/QĐ-UBND".into()),
        decision_date: Some("2023-07-21".into()),
    };
    o
}

async fn store() -> (tempfile::TempDir, std::sync::Arc<dyn Store>) {
    let (dir, url) = crate::harness::fresh_sqlite_url();
    (dir, switchboard::store::open(Some(&url)).await.unwrap())
}

fn square(x: f64, y: f64) -> Polygon {
    // Clockwise, as the format wants outer rings.
    let pts = [(x, y), (x, y + 0.01), (x + 0.01, y + 0.01), (x + 0.01, y), (x, y)];
    Polygon::new(PolygonRing::Outer(pts.iter().map(|&(a, b)| Point::new(a, b)).collect()))
}

fn write_shapefile(path: &Path, prj: Option<&str>) {
    let table = TableWriterBuilder::new()
        .add_character_field("MA_KHU".try_into().unwrap(), 20)
        .add_character_field("TEN".try_into().unwrap(), 80)
        .add_character_field("LOAI_DAT".try_into().unwrap(), 10)
        .add_numeric_field("TANG_CAO".try_into().unwrap(), 8, 1)
        .add_numeric_field("HSSDD".try_into().unwrap(), 6, 2)
        .add_date_field("NGAY_QD".try_into().unwrap())
        .add_character_field("SO_QD".try_into().unwrap(), 20);
    let mut w = shapefile::Writer::from_path(path, table).unwrap();
    let rows = [
        ("ODT-01", "Khu dân cư An Khê", "ODT", Some(21.6), Some(3.2), None),
        ("CX-01", "Công viên 29/3", "CX", None, None, Some((2024, 6, 18))),
        ("", "Không mã", "ODT", None, None, None),
    ];
    for (i, (code, name, use_, height, far, date)) in rows.into_iter().enumerate() {
        let mut r = Record::default();
        r.insert("MA_KHU".into(), FieldValue::Character(Some(code.into()).filter(|c: &String| !c.is_empty())));
        r.insert("TEN".into(), FieldValue::Character(Some(name.into())));
        r.insert("LOAI_DAT".into(), FieldValue::Character(Some(use_.into())));
        r.insert("TANG_CAO".into(), FieldValue::Numeric(height));
        r.insert("HSSDD".into(), FieldValue::Numeric(far));
        let d = date.map(|(y, m, d)| shapefile::dbase::Date::new(d, m, y).unwrap());
        r.insert("NGAY_QD".into(), FieldValue::Date(d));
        r.insert("SO_QD".into(), FieldValue::Character(date.map(|_| "1625/QĐ-UBND".to_owned())));
        w.write_shape_and_record(&square(108.18 + i as f64 * 0.01, 16.06), &r).unwrap();
    }
    drop(w);
    std::fs::write(path.with_extension("cpg"), "UTF-8").unwrap();
    if let Some(prj) = prj {
        std::fs::write(path.with_extension("prj"), prj).unwrap();
    }
}

const WGS84_PRJ: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
const VN2000_PRJ: &str = r#"PROJCS["VN_2000_UTM_Zone_48N",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"]]"#;

#[tokio::test]
async fn a_shapefile_with_vietnamese_fields_imports_its_zones_and_reports_the_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let shp = dir.path().join("quy_hoach.shp");
    write_shapefile(&shp, Some(WGS84_PRJ));
    let (_db, store) = store().await;
    let report = import_planning(store.as_ref(), &shp, &options(), false).await.unwrap();
    assert_eq!((report.features, report.imported), (3, 2));
    assert_eq!(report.errors.len(), 1);
    assert_eq!((report.errors[0].index, report.errors[0].field()), (2, Some("MA_KHU")));
    assert_eq!(report.errors[0].name.as_deref(), Some("Không mã"));

    let zones = store.planning_zones().await.unwrap();
    assert_eq!(zones.len(), 2);
    let housing = &zones[1];
    assert_eq!((housing.code.as_str(), housing.land_use), ("ODT-01", LandUse::Residential));
    assert_eq!(housing.name.as_deref(), Some("Khu dân cư An Khê"), "UTF-8 names (the .cpg) survive");
    assert_eq!((housing.limits.max_height_m, housing.limits.far), (Some(21.6), Some(3.2)));
    assert_eq!(housing.decision.number, "2356/QĐ-UBND");
    let park = &zones[0];
    assert_eq!(
        (park.decision.number.as_str(), park.decision.date.to_string().as_str()),
        ("1625/QĐ-UBND", "2024-06-18")
    );
    assert_eq!(park.geometry.0[0].exterior().0.len(), 5);
    assert_eq!(store.planning_layers().await.unwrap()[0].name_en, "Quy hoach phan khu Thanh Khe");
}

#[tokio::test]
async fn a_projected_shapefile_is_refused_with_how_to_reproject_it() {
    let dir = tempfile::tempdir().unwrap();
    let shp = dir.path().join("vn2000.shp");
    write_shapefile(&shp, Some(VN2000_PRJ));
    let (_db, store) = store().await;
    let err = import_planning(store.as_ref(), &shp, &options(), false).await.unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("VN_2000_UTM_Zone_48N") && msg.contains("ogr2ogr -t_srs EPSG:4326"), "{msg}");
    assert!(store.planning_layers().await.unwrap().is_empty());
}

/// A GeoPackage geometry blob: `GP`, version 0, little-endian without envelope, SRS, WKB.
fn gpkg_polygon(x: f64, y: f64, srs: i32) -> Vec<u8> {
    let mut b = vec![b'G', b'P', 0, 1];
    b.extend_from_slice(&srs.to_le_bytes());
    b.push(1);
    b.extend_from_slice(&3u32.to_le_bytes());
    b.extend_from_slice(&1u32.to_le_bytes());
    b.extend_from_slice(&5u32.to_le_bytes());
    for (a, c) in [(x, y), (x + 0.01, y), (x + 0.01, y + 0.01), (x, y + 0.01), (x, y)] {
        b.extend_from_slice(&a.to_le_bytes());
        b.extend_from_slice(&c.to_le_bytes());
    }
    b
}

/// geometry, code, land use, height, decision date.
type GpkgRow<'a> = (&'a [u8], &'a str, &'a str, Option<f64>, Option<&'a str>);

async fn write_gpkg(path: &Path, tables: &[(&str, i32)]) {
    use sqlx::{ConnectOptions, Executor};
    let mut conn =
        sqlx::sqlite::SqliteConnectOptions::new().filename(path).create_if_missing(true).connect().await.unwrap();
    conn.execute(
        "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL, \
           organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
         INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\"]', NULL),
           ('VN-2000 / UTM zone 48N', 3405, 'EPSG', 3405, 'PROJCS[\"VN-2000 / UTM zone 48N\"]', NULL);
         CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT);
         CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);",
    )
    .await
    .unwrap();
    for (table, srs) in tables {
        conn.execute(sqlx::AssertSqlSafe(format!(
            "CREATE TABLE {table} (fid INTEGER PRIMARY KEY, geom BLOB, code TEXT, land_use TEXT, max_height_m REAL, far REAL, \
             decision_number TEXT, decision_date TEXT);
             INSERT INTO gpkg_contents VALUES ('{table}', 'features', '{table}');
             INSERT INTO gpkg_geometry_columns VALUES ('{table}', 'geom', 'POLYGON', {srs}, 0, 0);"
        )))
        .await
        .unwrap();
        let rows: [GpkgRow; 3] = [
            (&gpkg_polygon(108.22, 16.03, *srs), "HH-01", "mixed", Some(45.6), None),
            (&gpkg_polygon(108.23, 16.03, *srs), "CC-01", "Đất công trình công cộng", None, Some("2024-06-18")),
            (b"GP\0\x01\xe6\x10\0\0\x01\x01\0\0\0", "X-01", "mixed", None, None),
        ];
        for (geom, code, use_, height, date) in rows {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO {table} (geom, code, land_use, max_height_m, far, decision_number, decision_date) \
                 VALUES (?1, ?2, ?3, ?4, 4.0, ?5, ?6)"
            )))
            .bind(geom)
            .bind(code)
            .bind(use_)
            .bind(height)
            .bind(date.map(|_| "1625/QĐ-UBND"))
            .bind(date)
            .execute(&mut conn)
            .await
            .unwrap();
        }
    }
}

#[tokio::test]
async fn a_geopackage_imports_its_feature_table() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("quy_hoach.gpkg");
    write_gpkg(&gpkg, &[("phan_khu", 4326)]).await;
    let (_db, store) = store().await;
    let mut opts = options();
    opts.fields = Default::default();
    let report = import_planning(store.as_ref(), &gpkg, &opts, false).await.unwrap();
    assert_eq!((report.features, report.imported), (3, 2), "{:?}", report.errors);
    assert!(report.errors[0].to_string().contains("feature #2 (code X-01)"), "{}", report.errors[0]);
    let zones = store.planning_zones().await.unwrap();
    assert_eq!(zones[0].land_use, LandUse::PublicFacility);
    assert_eq!(zones[0].decision.number, "1625/QĐ-UBND");
    assert_eq!(
        (zones[1].land_use, zones[1].limits.max_height_m, zones[1].limits.far),
        (LandUse::Mixed, Some(45.6), Some(4.0))
    );
    assert_eq!(zones[1].geometry.0[0].exterior().0[1].x, 108.23);
}

#[tokio::test]
async fn a_geopackage_in_another_crs_or_with_several_tables_needs_a_choice() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("hai_bang.gpkg");
    write_gpkg(&gpkg, &[("phan_khu", 4326), ("vn2000", 3405)]).await;
    let (_db, store) = store().await;
    let mut opts = options();
    opts.fields = Default::default();
    let err = format!("{:#}", import_planning(store.as_ref(), &gpkg, &opts, false).await.unwrap_err());
    assert!(err.contains("--table") && err.contains("phan_khu, vn2000"), "{err}");
    opts.table = Some("vn2000".into());
    let err = format!("{:#}", import_planning(store.as_ref(), &gpkg, &opts, false).await.unwrap_err());
    assert!(err.contains("VN-2000 / UTM zone 48N (EPSG:3405)") && err.contains("ogr2ogr"), "{err}");
    opts.table = Some("phan_khu".into());
    assert_eq!(import_planning(store.as_ref(), &gpkg, &opts, false).await.unwrap().imported, 2);
}
