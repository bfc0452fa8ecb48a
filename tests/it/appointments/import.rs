//! `switchboard import offices` through the real binary: the demo city's offices go in; a file
//! with one bad office names each fault and imports nothing.

use crate::harness::TestDb;
use crate::harness::bin::run;
use crate::on_both_stores;

async fn offices_import_through_the_cli_all_or_nothing(db: TestDb) {
    let root = env!("CARGO_MANIFEST_DIR");
    let (ok, out, err) = run(&db, &["import", "procedures", &format!("{root}/geodata/procedures/danang-demo.json")]);
    assert!(ok, "{out}{err}");
    let (ok, out, err) = run(&db, &["import", "offices", &format!("{root}/geodata/danang/offices.json")]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("offices: 5 added or replaced"), "{out}");

    let bad = tempfile::NamedTempFile::new().unwrap();
    let mut list: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(format!("{root}/geodata/danang/offices.json")).unwrap()).unwrap();
    list[0]["name"] = serde_json::json!("Trung tâm đã đổi tên");
    list[1]["counters"] = serde_json::json!(0);
    list[2]["services"][0]["procedures"] = serde_json::json!(["9.999999"]);
    std::fs::write(bad.path(), serde_json::to_vec(&list).unwrap()).unwrap();
    let (ok, _, err) = run(&db, &["import", "offices", bad.path().to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("[1] DN-HC-MC: counters"), "{err}");
    let store = switchboard::store::open(Some(&db)).await.unwrap();
    let offices = store.offices().await.unwrap();
    assert_eq!(offices.len(), 5);
    assert!(offices.iter().all(|o| o.name != "Trung tâm đã đổi tên"), "nothing of the bad file was imported");
    // The catalogue check is reached once every office is valid.
    list[1]["counters"] = serde_json::json!(6);
    std::fs::write(bad.path(), serde_json::to_vec(&list).unwrap()).unwrap();
    let (ok, _, err) = run(&db, &["import", "offices", bad.path().to_str().unwrap()]);
    assert!(!ok && err.contains("9.999999 is not in the procedures catalogue"), "{err}");
    assert!(store.offices().await.unwrap().iter().all(|o| o.name != "Trung tâm đã đổi tên"));
}

on_both_stores!(offices_import_through_the_cli_all_or_nothing);
