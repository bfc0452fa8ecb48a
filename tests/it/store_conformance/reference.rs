//! Reference data in the store: areas with holes and versions, categories, units and routing rules.

use std::sync::Arc;

use chrono::{Duration, Utc};
use switchboard::store::Store;

use crate::harness::*;
use crate::on_both_stores;

async fn areas_round_trip_with_holes_and_versions((store, _db): (Arc<dyn Store>, TestDb)) {
    let mut old = sample_area("DN-HC-01", Some("DN-HC"));
    old.valid_to = Some(Utc::now().date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc());
    let mut current = sample_area("DN-HC-01", Some("DN-HC"));
    current.valid_from = old.valid_to.unwrap();
    current.name = "Phường Hải Châu".into();
    // Coordinates whose shortest decimal form needs all 17 significant digits.
    current.geometry.0[1].exterior_mut(|r| r.0[1].x = 108.0 + 1.0 / 3.0);
    let mut district = sample_area("DN-HC", Some("DN"));
    district.level = "district".into();
    store.upsert_areas(&[current.clone(), old.clone(), district.clone()]).await.unwrap();
    assert_eq!(store.areas().await.unwrap(), vec![district.clone(), old.clone(), current.clone()]);
    assert_eq!(current.geometry.0[0].interiors().len(), 1, "the sample has a hole");

    // Same (code, valid_from) replaces; a new valid_from adds a version.
    let mut renamed = district.clone();
    renamed.name = "Quận Hải Châu".into();
    renamed.valid_to = Some(renamed.valid_from + Duration::days(3650));
    store.upsert_areas(&[renamed.clone()]).await.unwrap();
    assert_eq!(store.areas().await.unwrap(), vec![renamed, old, current]);
}

async fn categories_units_and_rules_round_trip((store, _db): (Arc<dyn Store>, TestDb)) {
    let garbage = sample_category("garbage", Some(5));
    let mut noise = sample_category("noise-karaoke", None);
    noise.field = switchboard::domain::Field::Noise;
    noise.name_vi = "Tiếng ồn karaoke".into();
    store.upsert_categories(&[noise.clone(), garbage.clone()]).await.unwrap();
    assert_eq!(store.categories().await.unwrap(), vec![garbage.clone(), noise.clone()]);
    let mut garbage2 = garbage.clone();
    garbage2.deadline_days = None;
    store.upsert_categories(&[garbage2.clone()]).await.unwrap();
    assert_eq!(store.categories().await.unwrap(), vec![garbage2, noise]);

    let district = sample_unit("DN-HC-UBND", None, &["DN-HC"]);
    let station = sample_unit("DN-HC-01-TRAM", Some("DN-HC-UBND"), &["DN-HC-01", "DN-HC-02"]);
    let city = sample_unit("DN-URENCO", None, &[]);
    store.upsert_units(&[district.clone(), station.clone(), city.clone()]).await.unwrap();
    assert_eq!(store.units().await.unwrap(), vec![station.clone(), district.clone(), city.clone()]);
    let mut moved = station.clone();
    moved.areas = vec![area_code("DN-HC-03")];
    store.upsert_units(&[moved.clone()]).await.unwrap();
    assert_eq!(store.units().await.unwrap(), vec![moved, district, city]);

    let rules = vec![
        rule(None, None, "DN-UBND"),
        rule(Some("garbage"), Some("DN-HC"), "DN-URENCO"),
        rule(None, Some("DN-HC"), "DN-HC-UBND"),
        rule(Some("garbage"), None, "DN-URENCO"),
    ];
    store.replace_routing_rules(&rules).await.unwrap();
    assert_eq!(store.routing_rules().await.unwrap(), rules);
    let fewer = vec![rules[3].clone(), rules[0].clone()];
    store.replace_routing_rules(&fewer).await.unwrap();
    assert_eq!(store.routing_rules().await.unwrap(), fewer, "replace drops the old list and keeps the new order");
    store.replace_routing_rules(&[]).await.unwrap();
    assert!(store.routing_rules().await.unwrap().is_empty());
}

on_both_stores!(areas_round_trip_with_holes_and_versions, categories_units_and_rules_round_trip,);
