//! The `cameras` collection: where the cameras stand and look, for anyone; never their sources.

use serde_json::json;

use super::support::{GEOJSON, assert_valid, get, refused};
use crate::harness::TestApp;
use crate::on_both_stores;

async fn cameras_show_where_they_look_and_never_their_source(app: TestApp) {
    let secret = "http://viewer:s3cret@cams.example.vn/cam/7/mjpeg";
    for (code, lon) in [("DN-CAM-O1", 108.2272), ("DN-CAM-O2", 108.2500)] {
        let body = json!({
            "code": code, "name": "Cầu Rồng", "name_en": "Dragon Bridge",
            "location": {"lon": lon, "lat": 16.0610}, "heading": 90, "fov": 60,
            "kind": "mjpeg", "source": secret
        });
        let r = app.admin.post(app.url("/api/v1/cameras")).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 201);
    }
    let collections = get(&app, "/ogc/collections", "application/json").await;
    let ids: Vec<&str> =
        collections["collections"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"cameras"), "{ids:?}");
    let one = get(&app, "/ogc/collections/cameras", "application/json").await;
    assert_valid("collection", &one);
    let bbox = &one["extent"]["spatial"]["bbox"][0];
    assert_eq!((bbox[0].as_f64(), bbox[2].as_f64()), (Some(108.2272), Some(108.25)), "the cameras' extent: {one}");

    let r = app.public.get(app.url("/ogc/collections/cameras/items")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(!text.contains("s3cret") && !text.contains("cams.example.vn") && !text.contains("source"), "{text}");
    let page: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_valid("featureCollectionGeoJSON", &page);
    let f = &page["features"][0];
    assert_eq!((f["id"].as_str(), f["properties"]["heading"].as_f64()), (Some("DN-CAM-O1"), Some(90.0)));
    assert_eq!(f["properties"]["name"], "Cầu Rồng");

    let west = get(&app, "/ogc/collections/cameras/items?bbox=108.22,16.05,108.23,16.07", GEOJSON).await;
    assert_eq!(west["numberMatched"], 1, "{west}");
    let item = get(&app, "/ogc/collections/cameras/items/DN-CAM-O2", GEOJSON).await;
    assert_valid("featureGeoJSON", &item);
    refused(&app, "/ogc/collections/cameras/items/DN-CAM-NONE", 404, None).await;
}
on_both_stores!(cameras_show_where_they_look_and_never_their_source);
