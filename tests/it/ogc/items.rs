//! Items: the GeoJSON pages of a collection, their links and counts, and the `bbox`,
//! `datetime` and `limit` parameters; one feature by id.

use std::collections::HashSet;

use serde_json::Value;

use super::support::{GEOJSON, JSON, PLANNING, assert_valid, get, link, path, refused};
use crate::harness::TestApp;
use crate::on_both_stores;

fn ids(page: &Value) -> Vec<String> {
    page["features"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_owned()).collect()
}

/// Every position of a GeoJSON geometry.
fn positions(g: &Value, out: &mut Vec<(f64, f64)>) {
    match g {
        Value::Array(a) if a.len() >= 2 && a[0].is_number() => {
            out.push((a[0].as_f64().unwrap(), a[1].as_f64().unwrap()))
        }
        Value::Array(a) => a.iter().for_each(|x| positions(x, out)),
        _ => {}
    }
}

async fn paging_with_next_links_walks_every_feature_once(app: TestApp) {
    let first = get(&app, &format!("/ogc/collections/{PLANNING}/items"), GEOJSON).await;
    assert_valid("featureCollectionGeoJSON", &first);
    let matched = first["numberMatched"].as_u64().unwrap() as usize;
    assert!(matched > 300, "{matched}");
    assert_eq!((first["numberReturned"].as_u64(), ids(&first).len()), (Some(10), 10), "10 by default");
    assert!(first["timeStamp"].as_str().unwrap().ends_with('Z'));
    assert!(link(&first, "prev").is_none());

    let mut seen = HashSet::new();
    let mut next = Some(format!("/ogc/collections/{PLANNING}/items?limit=150"));
    let mut pages = 0;
    while let Some(p) = next {
        let page = get(&app, &p, GEOJSON).await;
        assert_valid("featureCollectionGeoJSON", &page);
        assert_eq!(page["numberMatched"].as_u64().unwrap() as usize, matched);
        for id in ids(&page) {
            assert!(seen.insert(id.clone()), "{id} on two pages");
        }
        assert_eq!(page["numberReturned"].as_u64().unwrap() as usize, page["features"].as_array().unwrap().len());
        next = link(&page, "next").map(|h| path(&app, h));
        pages += 1;
        assert!(pages < 20, "paging does not end");
    }
    assert_eq!(seen.len(), matched, "every zone once");
    assert_eq!(pages, matched.div_ceil(150));

    let second = get(&app, &format!("/ogc/collections/{PLANNING}/items?limit=10&offset=10"), GEOJSON).await;
    assert!(link(&second, "prev").unwrap().contains("limit=10"), "{second}");
    let huge = get(&app, "/ogc/collections/areas/items?limit=50000", GEOJSON).await;
    assert_eq!(huge["numberReturned"], huge["numberMatched"], "a limit above 10 000 is lowered, not refused");
    refused(&app, "/ogc/collections/areas/items?limit=0", 400, Some("limit")).await;
    refused(&app, "/ogc/collections/areas/items?limit=many", 400, Some("limit")).await;
    refused(&app, "/ogc/collections/areas/items?offset=-1", 400, Some("offset")).await;
}
on_both_stores!(paging_with_next_links_walks_every_feature_once);

async fn bbox_keeps_only_features_that_touch_the_box(app: TestApp) {
    // Around Chợ Hàn, on the west bank of the Hàn.
    let (w, s, e, n) = (108.220, 16.064, 108.226, 16.070);
    let page = get(&app, &format!("/ogc/collections/{PLANNING}/items?bbox={w},{s},{e},{n}&limit=1000"), GEOJSON).await;
    assert_valid("featureCollectionGeoJSON", &page);
    let features = page["features"].as_array().unwrap();
    assert!(!features.is_empty() && features.len() < 100, "{}", features.len());
    for f in features {
        let mut pts = Vec::new();
        positions(&f["geometry"]["coordinates"], &mut pts);
        let (x0, x1) = pts.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let (y0, y1) = pts.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
        assert!(x0 <= e && x1 >= w && y0 <= n && y1 >= s, "{} lies outside the box", f["id"]);
    }
    assert!(link(&page, "self").unwrap().contains("bbox="), "the filter stays in the links");
    let far = get(&app, "/ogc/collections/areas/items?bbox=100,10,100.1,10.1", GEOJSON).await;
    assert_eq!(far["numberMatched"], 0);
    // With heights (6 numbers) too.
    let six =
        get(&app, &format!("/ogc/collections/{PLANNING}/items?bbox={w},{s},0,{e},{n},100&limit=1000"), GEOJSON).await;
    assert_eq!(six["numberMatched"], page["numberMatched"]);
    refused(&app, "/ogc/collections/areas/items?bbox=1,2,3", 400, Some("bbox")).await;
    refused(&app, "/ogc/collections/areas/items?bbox=108.3,16,108.1,16.1", 400, Some("bbox")).await;
}
on_both_stores!(bbox_keeps_only_features_that_touch_the_box);

async fn datetime_selects_zones_by_their_decision_day(app: TestApp) {
    let all = get(&app, &format!("/ogc/collections/{PLANNING}/items?limit=10000"), GEOJSON).await;
    let dates = |page: &Value| -> Vec<String> {
        page["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["decision_date"].as_str().unwrap().to_owned())
            .collect()
    };
    let count = |d: &str| dates(&all).iter().filter(|x| x.as_str() == d).count();
    assert!(count("2024-06-18") > 0 && count("2023-04-14") > 0);

    let amended =
        get(&app, &format!("/ogc/collections/{PLANNING}/items?limit=10000&datetime=2024-06-18T10:00:00Z"), GEOJSON)
            .await;
    assert_eq!(dates(&amended).len(), count("2024-06-18"));
    assert!(dates(&amended).iter().all(|d| d == "2024-06-18"));
    let early =
        get(&app, &format!("/ogc/collections/{PLANNING}/items?limit=10000&datetime=../2023-05-01T00:00:00Z"), GEOJSON)
            .await;
    assert_eq!(dates(&early).len(), count("2023-04-14"), "an open start");
    let late =
        get(&app, &format!("/ogc/collections/{PLANNING}/items?limit=10000&datetime=2024-01-01T00:00:00Z/.."), GEOJSON)
            .await;
    assert_eq!(dates(&late).len(), count("2024-06-18"), "an open end");
    assert!(link(&late, "self").unwrap().contains("datetime="));
    // Areas are in force from 2020: none before, all after.
    let before = get(&app, "/ogc/collections/areas/items?datetime=2019-01-01T00:00:00Z", GEOJSON).await;
    assert_eq!(before["numberMatched"], 0);
    let now = get(&app, "/ogc/collections/areas/items?datetime=2026-01-01T00:00:00Z", GEOJSON).await;
    assert!(now["numberMatched"].as_u64().unwrap() > 40);
    refused(&app, "/ogc/collections/areas/items?datetime=last%20week", 400, Some("datetime")).await;
    refused(&app, "/ogc/collections/areas/items?datetime=../..", 400, Some("datetime")).await;
}
on_both_stores!(datetime_selects_zones_by_their_decision_day);

async fn one_feature_by_id_links_to_itself_and_its_collection(app: TestApp) {
    let page = get(&app, "/ogc/collections/areas/items?limit=1", GEOJSON).await;
    let id = ids(&page)[0].clone();
    assert!(id.starts_with("DN@"), "the city first: {id}");
    let f = get(&app, &format!("/ogc/collections/areas/items/{id}"), GEOJSON).await;
    assert_valid("featureGeoJSON", &f);
    assert_eq!(f["id"], id.as_str());
    assert_eq!(f["properties"]["name"], "Đà Nẵng");
    assert!(link(&f, "self").unwrap().ends_with(&format!("/items/{id}")));
    assert!(link(&f, "collection").unwrap().ends_with("/ogc/collections/areas"));

    let zone = get(&app, &format!("/ogc/collections/{PLANNING}/items?limit=1"), GEOJSON).await;
    let code = ids(&zone)[0].clone();
    let z = get(&app, &format!("/ogc/collections/{PLANNING}/items/{code}"), GEOJSON).await;
    assert_valid("featureGeoJSON", &z);
    for key in
        ["code", "land_use", "max_height_m", "building_density_pct", "far", "decision_number", "decision_date", "layer"]
    {
        assert!(z["properties"].get(key).is_some(), "{key} in {z}");
    }
    assert_eq!(z["properties"]["code"], code.as_str());
    let _ = JSON;
}
on_both_stores!(one_feature_by_id_links_to_itself_and_its_collection);
