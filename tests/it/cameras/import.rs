//! `switchboard import cameras` end to end: the demo's camera file through the real binary into
//! a real database, relative sources resolved against `--source-base`; a bad feature is named,
//! skipped, and makes the command fail.

use switchboard::domain::{CameraKind, CameraStatus};

use crate::harness::TestDb;
use crate::on_both_stores;

fn run(db: &str, args: &[&str]) -> (bool, String, String) {
    crate::harness::bin::run(db, &[&["import", "cameras"], args].concat())
}

async fn the_demo_cameras_import_through_the_cli(db: TestDb) {
    let file = format!("{}/geodata/danang/cameras.geojson", env!("CARGO_MANIFEST_DIR"));
    let (ok, out, err) = run(&db, &[&file, "--source-base", "http://cams.danang.example/"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("imported 22 cameras, 0 features refused"), "{out}");

    let bad = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        bad.path(),
        r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[108.22,16.06]},
           "properties":{"code":"DN-CAM-001","name":"Cầu Rồng (mới)","heading":45,"fov":60,"kind":"mjpeg","source":"http://cams.danang.example/new/1"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[108.22,16.06]},
           "properties":{"code":"BAD","name":"x","heading":45,"fov":60,"kind":"mjpeg","source":"file:///etc/passwd"}}]}"#,
    )
    .unwrap();
    let (ok, out, err) = run(&db, &[bad.path().to_str().unwrap()]);
    assert!(!ok, "a refused feature fails the command");
    assert!(out.contains("imported 1 cameras, 1 features refused"), "{out}");
    assert!(err.contains("feature #1 (code BAD): source"), "{err}");

    let store = switchboard::store::open(Some(db.url())).await.unwrap();
    let cams = store.cameras().await.unwrap();
    assert_eq!(cams.len(), 22);
    let bridge = cams.iter().find(|c| c.code.as_str() == "DN-CAM-001").unwrap();
    assert_eq!((bridge.name.as_str(), bridge.version, bridge.status), ("Cầu Rồng (mới)", 2, CameraStatus::Unknown));
    assert_eq!(bridge.source.as_str(), "http://cams.danang.example/new/1");
    let beach = cams.iter().find(|c| c.name == "Bãi biển Mỹ Khê").unwrap();
    assert_eq!(
        (beach.kind, beach.source.as_str()),
        (CameraKind::Snapshot, "http://cams.danang.example/cam/8/snapshot.jpg")
    );
    assert!(cams.iter().all(|c| c.area.is_none()), "no areas in this database to place them in");
}
on_both_stores!(the_demo_cameras_import_through_the_cli);
