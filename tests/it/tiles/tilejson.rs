//! TileJSON 3.0.0 and the catalog.

use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{TestApp, problem};
use crate::on_both_stores;

async fn tilejson_describes_each_source_for_gis_clients(app: TestApp) {
    let tj = app.get_json(&app.public, "/tiles/areas").await;
    assert_eq!(tj["tilejson"], json!("3.0.0"));
    assert_eq!(tj["tiles"], json!([format!("{}/tiles/areas/{{z}}/{{x}}/{{y}}", app.base)]));
    assert_eq!((tj["minzoom"].clone(), tj["maxzoom"].clone()), (json!(0), json!(18)));
    assert_eq!(tj["scheme"], json!("xyz"));
    let b: Vec<f64> = serde_json::from_value(tj["bounds"].clone()).unwrap();
    assert!(b[0] > 107.7 && b[0] < 107.9 && b[2] > 108.3 && b[2] < 108.4 && b[1] > 15.8 && b[3] < 16.3, "{b:?}");
    let c: Vec<f64> = serde_json::from_value(tj["center"].clone()).unwrap();
    assert!(b[0] < c[0] && c[0] < b[2] && b[1] < c[1] && c[1] < b[3]);
    let layers: Vec<&str> = tj["vector_layers"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(layers, ["areas", "area_labels"]);
    assert_eq!(
        tj["vector_layers"][0]["fields"],
        json!({"code": "String", "level": "String", "name": "String", "name_en": "String", "parent": "String"})
    );

    let tickets = app.get_json(&app.operator, "/tiles/tickets").await;
    assert_eq!(tickets["vector_layers"][0]["id"], json!("tickets"));
    assert_eq!(tickets["vector_layers"][0]["fields"]["overdue"], json!("Boolean"));
    assert_eq!(tickets["vector_layers"][0]["fields"]["resolved_at"], json!("Number"));
    assert!(tickets["vector_layers"][0]["fields"].get("description").is_none());
    assert_eq!(tickets["vector_layers"][1]["id"], json!("ticket_clusters"));
    assert_eq!(
        tickets["vector_layers"][1]["fields"],
        json!({"count": "Number", "open": "Number", "overdue": "Number"})
    );
    let r = app.public.get(app.url("/tiles/tickets")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    problem(r).await;

    let basemap = app.get_json(&app.public, "/tiles/basemap").await;
    let layers: Vec<&str> =
        basemap["vector_layers"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(layers, ["water", "roads"]);

    // Behind a proxy: the Host the client used.
    let r = app
        .public
        .get(app.url("/tiles/areas"))
        .header("host", "ioc.danang.example:8443")
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    let tj: serde_json::Value = r.json().await.unwrap();
    assert_eq!(tj["tiles"][0], json!("https://ioc.danang.example:8443/tiles/areas/{z}/{x}/{y}"));
}
on_both_stores!(tilejson_describes_each_source_for_gis_clients);

async fn the_catalog_lists_what_the_caller_may_read(app: TestApp) {
    let public = app.get_json(&app.public, "/tiles").await;
    let ids: Vec<&String> = public["tiles"].as_object().unwrap().keys().collect();
    assert_eq!(ids, ["areas", "basemap", "planning"]);
    assert_eq!(public["tiles"]["areas"]["tilejson"], json!(format!("{}/tiles/areas", app.base)));
    assert_eq!(public["tiles"]["areas"]["content_type"], json!("application/vnd.mapbox-vector-tile"));
    let staff = app.get_json(&app.operator, "/tiles").await;
    assert_eq!(staff["tiles"]["tickets"]["access"], json!(["admin", "operator", "leader", "agency"]));
    let leader = app.get_json(&app.leader, "/tiles").await;
    assert!(leader["tiles"]["tickets"].is_object(), "a leader may read ticket tiles (their scope's)");
    let analyst = app.get_json(&app.analyst, "/tiles").await;
    assert!(analyst["tiles"]["tickets"].is_null(), "an analyst may not");
}
on_both_stores!(the_catalog_lists_what_the_caller_may_read);
