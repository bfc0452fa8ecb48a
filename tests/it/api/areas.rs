use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::TestApp;
use crate::on_both_stores;

async fn districts_come_as_geojson_with_live_counts(app: TestApp) {
    let hc = app.hai_chau.clone();
    for _ in 0..3 {
        app.file(&hc, "Đếm").await;
    }
    let r = app.public.get(app.url("/api/v1/areas?level=district")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/geo+json");
    let fc: Value = r.json().await.unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 7, "Đà Nẵng's seven districts");
    let names: Vec<&str> = features.iter().map(|f| f["properties"]["name"].as_str().unwrap()).collect();
    for n in ["Hải Châu", "Thanh Khê", "Sơn Trà", "Ngũ Hành Sơn", "Liên Chiểu", "Cẩm Lệ", "Hòa Vang"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    let hc_feature = features.iter().find(|f| f["properties"]["code"] == hc.as_str()).unwrap();
    assert_eq!(hc_feature["geometry"]["type"], "MultiPolygon");
    assert_eq!(hc_feature["properties"]["stats"]["counts"]["received"], 3);
    assert_eq!(hc_feature["properties"]["stats"]["open"], 3);
    let st = features.iter().find(|f| f["properties"]["code"] == app.son_tra.as_str()).unwrap();
    assert_eq!(st["properties"]["stats"]["total"], 0);
    // The city counts everything below it.
    let city = app.get_json(&app.public, "/api/v1/areas?level=city").await;
    assert_eq!(city["features"][0]["properties"]["stats"]["total"], 3);
    let one = app.public.get(app.url(&format!("/api/v1/areas/{hc}"))).send().await.unwrap();
    assert_eq!(one.status(), StatusCode::OK);
    let missing = app.public.get(app.url("/api/v1/areas/NOPE")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
on_both_stores!(districts_come_as_geojson_with_live_counts);

async fn the_openapi_document_describes_the_api(app: TestApp) {
    let doc = app.get_json(&app.public, "/api/v1/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/tickets", "/api/v1/tickets/{id}/transitions", "/api/v1/areas", "/api/v1/session"] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
    assert!(doc["components"]["schemas"].get("TicketInput").is_some());
    let cats = app.get_json(&app.public, "/api/v1/categories").await;
    assert_eq!(cats["fields"].as_array().unwrap().len(), 10);
    assert!(cats["categories"].as_array().unwrap().len() >= 20);
}
on_both_stores!(the_openapi_document_describes_the_api);
