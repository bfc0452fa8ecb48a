//! `switchboard import areas` end to end: real files through the real binary into a real
//! SQLite file and PostGIS database, then points located in what was imported.

use chrono::Utc;
use switchboard::domain::Location;
use switchboard::domain::area::Levels;
use switchboard::spatial::AreaIndex;

use crate::harness::TestDb;
use crate::harness::bin::run;
use crate::on_both_stores;

fn import(db: &str, file: &str, args: &[&str]) -> (bool, String, String) {
    let path = format!("{}/tests/fixtures/areas/{file}", env!("CARGO_MANIFEST_DIR"));
    run(db, &[&["import", "areas", path.as_str()], args].concat())
}

async fn gadm_wards_import_and_assign_points(db: TestDb) {
    let (ok, out, err) = import(
        &db,
        "gadm36-layout-wards.geojson",
        &[
            "--level",
            "ward",
            "--code-field",
            "GID_3",
            "--name-field",
            "NAME_3",
            "--name-en-field",
            "VARNAME_3",
            "--parent-field",
            "GID_2",
            "--valid-from",
            "2020-01-01T00:00:00Z",
        ],
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("imported"), "{out}");
    let store = switchboard::store::open(Some(db.url())).await.unwrap();
    let areas = store.areas().await.unwrap();
    let hoa_an = areas.iter().find(|a| a.code.as_str() == "VNM.19.1.1_1").expect("Hòa An imported");
    assert_eq!(hoa_an.name, "Hòa An");
    assert_eq!(hoa_an.parent.as_ref().map(|p| p.as_str()), Some("VNM.19.1_1"));
    let index = AreaIndex::new(&areas, &Levels(vec!["ward".into()]));
    let now = Utc::now();
    // Inside Hòa An, inside Hòa Phát, and on the border they share: exactly one answer each.
    let inside = index.locate(Location { lon: 108.176, lat: 16.045 }, now).map(|c| c.to_string());
    assert_eq!(inside.as_deref(), Some("VNM.19.1.1_1"));
    let other = index.locate(Location { lon: 108.158, lat: 16.039 }, now).map(|c| c.to_string());
    assert_eq!(other.as_deref(), Some("VNM.19.1.2_1"));
    let border = Location { lon: 108.1676, lat: 16.04465 };
    let first = index.locate(border, now).map(|c| c.to_string());
    assert!(first.as_deref() == Some("VNM.19.1.1_1") || first.as_deref() == Some("VNM.19.1.2_1"), "{first:?}");
    assert_eq!(index.locate(border, now).map(|c| c.to_string()), first, "deterministic");
    // Far away: nowhere.
    assert_eq!(index.locate(Location { lon: 105.8, lat: 21.0 }, now), None);
}

async fn a_file_with_bad_features_imports_the_good_ones_and_names_the_bad(db: TestDb) {
    let (ok, out, err) = import(
        &db,
        "mixed.geojson",
        &["--level", "district", "--code-field", "ma", "--name-field", "ten", "--parent-field", "cha"],
    );
    assert!(!ok, "bad features make the command fail");
    assert!(err.contains("feature #1") && err.contains("ma"), "the missing code is named: {err}");
    assert!(err.contains("feature #5") && err.contains("Point"), "{err}");
    assert!(err.contains("feature #7") && err.contains("not closed"), "{err}");
    let store = switchboard::store::open(Some(db.url())).await.unwrap();
    let codes: Vec<String> = store.areas().await.unwrap().iter().map(|a| a.code.to_string()).collect();
    for good in ["HC", "493", "HV"] {
        assert!(codes.contains(&good.to_owned()), "{good} imported: {codes:?} {out}");
    }
    assert!(!codes.contains(&"OPEN".to_owned()));
    let broken = import(&db, "broken.geojson", &["--level", "district", "--code-field", "ma", "--name-field", "ten"]);
    assert!(!broken.0);
    assert!(broken.2.contains("line"), "a JSON syntax error names its position: {}", broken.2);
}

on_both_stores!(gadm_wards_import_and_assign_points, a_file_with_bad_features_imports_the_good_ones_and_names_the_bad);
