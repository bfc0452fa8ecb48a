//! The public planning API on both stores: what is planned at a spot (inside a zone, on the
//! border of two, outside every plan), the demo plan with its legend, zones in a box, an import
//! by another process showing up, and the public place search.

use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use geo::{LineString, MultiPolygon, Polygon};
use reqwest::StatusCode;
use serde_json::Value;
use switchboard::domain::{Decision, LandUse, PlanningLayer, PlanningLayerCode, PlanningZone, ZoneCode, ZoneLimits};

use crate::harness::{TestApp, fields, problem};
use crate::on_both_stores;

/// A test plan far from the demo plan: two squares side by side, west of Đà Nẵng.
fn test_plan(code: &str) -> (PlanningLayer, Vec<PlanningZone>) {
    let layer_code = PlanningLayerCode::parse(code, "code").unwrap();
    let decision = Decision::new("77/QĐ-UBND", NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(), "").unwrap();
    let layer =
        PlanningLayer::new(layer_code.clone(), "Quy hoạch thử", "Test plan", decision.clone(), Utc::now()).unwrap();
    let square = |x: f64| {
        MultiPolygon(vec![Polygon::new(
            LineString::from(vec![(x, 16.0), (x + 0.01, 16.0), (x + 0.01, 16.01), (x, 16.01), (x, 16.0)]),
            vec![],
        )])
    };
    let zone = |c: &str, land_use, x, limits| PlanningZone {
        layer: layer_code.clone(),
        code: ZoneCode::parse(c, "code").unwrap(),
        name: Some(format!("Khu {c}")),
        land_use,
        limits,
        decision: decision.clone(),
        geometry: square(x),
    };
    let housing = ZoneLimits::new(Some(25.2), Some(70.0), Some(3.5)).unwrap();
    (
        layer,
        vec![
            zone("A", LandUse::Residential, 107.0, housing),
            zone("B", LandUse::GreenSpace, 107.01, ZoneLimits::default()),
        ],
    )
}

async fn at(app: &TestApp, lon: &str, lat: &str) -> Value {
    app.get_json(&app.public, &format!("/api/v1/planning/at?lon={lon}&lat={lat}")).await
}

fn ids(v: &Value) -> Vec<&str> {
    v["zones"].as_array().unwrap().iter().map(|z| z["id"].as_str().unwrap()).collect()
}

async fn a_citizen_sees_the_zones_inside_on_a_border_and_outside(app: TestApp) {
    let (layer, zones) = test_plan("T-QH");
    app.store.replace_planning_layer(&layer, &zones).await.unwrap();
    app.services.planning.reload().await.unwrap();

    let inside = at(&app, "107.005", "16.005").await;
    assert_eq!(ids(&inside), ["T-QH:A"]);
    let z = &inside["zones"][0];
    assert_eq!(
        (z["land_use"].as_str(), z["land_use_vi"].as_str(), z["symbol"].as_str()),
        (Some("residential"), Some("Đất ở"), Some("ODT"))
    );
    assert_eq!(
        (z["max_height_m"].as_f64(), z["building_density_pct"].as_f64(), z["far"].as_f64()),
        (Some(25.2), Some(70.0), Some(3.5))
    );
    assert_eq!((z["decision_number"].as_str(), z["decision_date"].as_str()), (Some("77/QĐ-UBND"), Some("2025-03-01")));
    assert_eq!((z["layer_name"].as_str(), z["on_boundary"].as_bool()), (Some("Quy hoạch thử"), Some(false)));

    let border = at(&app, "107.01", "16.005").await;
    assert_eq!(ids(&border), ["T-QH:A", "T-QH:B"], "a spot on the shared border lists both zones");
    assert!(border["zones"].as_array().unwrap().iter().all(|z| z["on_boundary"] == true));
    let green = &border["zones"][1];
    assert_eq!((green["land_use_en"].as_str(), green["max_height_m"].as_f64()), (Some("Green space"), None));

    assert!(ids(&at(&app, "107.05", "16.005").await).is_empty(), "outside every plan: no zone");

    for (query, field) in
        [("lon=200&lat=16", "lon"), ("lon=107&lat=-91", "lat"), ("lon=107", "lat"), ("lon=abc&lat=16", "lon")]
    {
        let r = app.public.get(app.url(&format!("/api/v1/planning/at?{query}"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(fields(&problem(r).await), [field], "{query}");
    }
}
on_both_stores!(a_citizen_sees_the_zones_inside_on_a_border_and_outside);

async fn the_demo_plan_is_served_with_its_legend(app: TestApp) {
    let layers = app.get_json(&app.public, "/api/v1/planning/layers").await;
    let demo = &layers["layers"][0];
    assert_eq!((demo["code"].as_str(), demo["decision_number"].as_str()), (Some("DN-QHPK-TT"), Some("1287/QĐ-UBND")));
    assert!(demo["zones"].as_u64().unwrap() > 300);
    let legend = layers["legend"].as_array().unwrap();
    assert_eq!(legend.len(), 8);
    assert_eq!((legend[0]["label_vi"].as_str(), legend[0]["label_en"].as_str()), (Some("Đất ở"), Some("Residential")));
    assert!(legend.iter().all(|e| e["colour"].as_str().unwrap().starts_with('#')));

    // The Hàn river between the Dragon and the Hàn bridges, the airport, Mỹ Khê beach.
    for (lon, lat, use_, name) in [
        ("108.2273", "16.0650", "water", "Sông Hàn"),
        ("108.1990", "16.0500", "transport", "Sân bay quốc tế Đà Nẵng"),
        ("108.2462", "16.0575", "green_space", "Bãi biển Mỹ Khê"),
    ] {
        let here = at(&app, lon, lat).await;
        let z = &here["zones"][0];
        assert_eq!((z["land_use"].as_str(), z["name"].as_str()), (Some(use_), Some(name)), "{lon},{lat}: {here}");
    }

    // The same zones as vector tiles (`/tiles/planning`), with their attributes, for anyone.
    let (x, y) = {
        let n = f64::from(1u32 << 15);
        let (lon, lat) = (108.2273_f64, 16.0650_f64.to_radians());
        (((lon + 180.0) / 360.0 * n) as u32, ((1.0 - lat.tan().asinh() / std::f64::consts::PI) / 2.0 * n) as u32)
    };
    let r = app.public.get(app.url(&format!("/tiles/planning/15/{x}/{y}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/vnd.mapbox-vector-tile");
    let tile = {
        use geozero::mvt::Message;
        geozero::mvt::Tile::decode(r.bytes().await.unwrap().as_ref()).expect("a vector tile")
    };
    let layer = tile.layers.iter().find(|l| l.name == "planning").expect("the planning layer");
    let strings: Vec<&str> = layer.values.iter().filter_map(|v| v.string_value.as_deref()).collect();
    assert!(strings.contains(&"Sông Hàn") && strings.contains(&"water"), "{strings:?}");
    assert!(layer.keys.iter().any(|k| k == "decision_number"), "{:?}", layer.keys);

    let r = app
        .public
        .get(app.url("/api/v1/planning/zones?bbox=108.20,16.04,108.24,16.08&land_use=water,green_space"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/geo+json");
    let fc: Value = r.json().await.unwrap();
    let uses: Vec<&str> =
        fc["features"].as_array().unwrap().iter().map(|f| f["properties"]["land_use"].as_str().unwrap()).collect();
    assert!(uses.contains(&"water") && uses.contains(&"green_space"), "{uses:?}");
    assert!(uses.iter().all(|u| ["water", "green_space"].contains(u)));
    for (query, field) in [("land_use=farm", "land_use"), ("bbox=1,2", "bbox"), ("layer=a%20b", "layer")] {
        let r = app.public.get(app.url(&format!("/api/v1/planning/zones?{query}"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(fields(&problem(r).await), [field], "{query}");
    }
}
on_both_stores!(the_demo_plan_is_served_with_its_legend);

/// Polls the layers until `want` says yes (an import by another process shows on the next
/// revision check, at most `RECHECK` later).
async fn eventually(app: &TestApp, what: &str, want: impl Fn(&Value) -> bool) {
    let start = Instant::now();
    loop {
        let layers = app.get_json(&app.public, "/api/v1/planning/layers").await;
        if want(&layers) {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{what} did not show: {layers}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn an_import_by_another_process_shows_within_seconds(app: TestApp) {
    let has = |code: &'static str| move |v: &Value| v["layers"].as_array().unwrap().iter().any(|l| l["code"] == code);
    // The server has looked at the revision once already.
    assert!(!has("T-NEW")(&app.get_json(&app.public, "/api/v1/planning/layers").await));
    let (layer, zones) = test_plan("T-NEW");
    app.store.replace_planning_layer(&layer, &zones).await.unwrap();
    eventually(&app, "the new layer", has("T-NEW")).await;
    assert_eq!(ids(&at(&app, "107.005", "16.005").await), ["T-NEW:A"]);

    assert!(app.store.delete_planning_layer(&layer.code).await.unwrap());
    eventually(&app, "the deleted layer", |v| !has("T-NEW")(v)).await;
    assert!(!app.store.delete_planning_layer(&layer.code).await.unwrap());
}
on_both_stores!(an_import_by_another_process_shows_within_seconds);

async fn the_place_search_is_public(app: TestApp) {
    let hits = app.get_json(&app.public, "/api/v1/public/places?q=cau%20rong").await;
    assert_eq!(hits[0]["name"], "Cầu Rồng");
    assert!(hits[0]["location"]["lon"].as_f64().is_some());
    let r = app.public.get(app.url("/api/v1/public/places?q=%20")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), ["q"]);
}
on_both_stores!(the_place_search_is_public);
