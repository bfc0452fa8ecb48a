//! The registry: admins edit it, staff read it without source URLs, everyone else is kept out;
//! every field at fault is named; "near" answers nearest first; edits reach the live stream
//! without the source URL.

use serde_json::{Value, json};

use super::support::{camera, cameras_feed, create, next_camera_event};
use crate::harness::{Backend, spawn_app};
use crate::on_both_stores;

const SECRET_SOURCE: &str = "http://viewer:s3cret@cams.example.vn/cam/7/mjpeg";

async fn admins_edit_the_registry_and_staff_never_see_a_source(backend: Backend) {
    let app = spawn_app(backend).await;
    let made = create(&app, &camera("DN-CAM-T1", "mjpeg", SECRET_SOURCE)).await;
    assert_eq!(made["source"], SECRET_SOURCE, "the admin sees the source");
    assert_eq!(made["status"], "unknown");
    assert_eq!(made["version"], 1);
    assert!(made["cone"].as_array().unwrap().len() > 10, "{made}");

    for (who, client) in [("operator", &app.operator), ("leader", &app.leader), ("agency", &app.agency)] {
        for path in ["/api/v1/cameras", "/api/v1/cameras/DN-CAM-T1"] {
            let r = client.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status(), 200, "{who} {path}");
            let text = r.text().await.unwrap();
            assert!(text.contains("DN-CAM-T1"), "{who}: {text}");
            assert!(!text.contains("s3cret") && !text.contains("cams.example.vn"), "{who} saw the source: {text}");
        }
    }
    let admin_list: Value = app.admin.get(app.url("/api/v1/cameras")).send().await.unwrap().json().await.unwrap();
    assert_eq!(admin_list["cameras"][0]["source"], SECRET_SOURCE);

    assert_eq!(app.public.get(app.url("/api/v1/cameras")).send().await.unwrap().status(), 401);
    assert_eq!(app.open311.get(app.url("/api/v1/cameras")).send().await.unwrap().status(), 403);
    let other = camera("DN-CAM-T2", "snapshot", "http://cams.example.vn/x.jpg");
    for (who, client, status) in
        [("operator", &app.operator, 403), ("agency", &app.agency, 403), ("public", &app.public, 401)]
    {
        let r = client.post(app.url("/api/v1/cameras")).json(&other).send().await.unwrap();
        assert_eq!(r.status(), status, "{who} POST");
        let r = client.delete(app.url("/api/v1/cameras/DN-CAM-T1")).send().await.unwrap();
        assert_eq!(r.status(), status, "{who} DELETE");
    }

    let dup = app
        .admin
        .post(app.url("/api/v1/cameras"))
        .json(&camera("DN-CAM-T1", "mjpeg", SECRET_SOURCE))
        .send()
        .await
        .unwrap();
    assert_eq!(dup.status(), 409);

    let mut renamed = camera("DN-CAM-T1", "mjpeg", SECRET_SOURCE);
    renamed["name"] = json!("Cầu Rồng (phía Đông)");
    let r = app.admin.put(app.url("/api/v1/cameras/DN-CAM-T1")).json(&renamed).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!((v["name"].as_str(), v["version"].as_i64()), (Some("Cầu Rồng (phía Đông)"), Some(2)));
    let wrong_code = app.admin.put(app.url("/api/v1/cameras/OTHER")).json(&renamed).send().await.unwrap();
    assert_eq!(wrong_code.status(), 422);

    assert_eq!(app.admin.delete(app.url("/api/v1/cameras/DN-CAM-T1")).send().await.unwrap().status(), 204);
    assert_eq!(app.operator.get(app.url("/api/v1/cameras/DN-CAM-T1")).send().await.unwrap().status(), 404);
    assert_eq!(app.admin.delete(app.url("/api/v1/cameras/DN-CAM-T1")).send().await.unwrap().status(), 404);
}
on_both_stores!(admins_edit_the_registry_and_staff_never_see_a_source);

async fn fields_at_fault_are_named(backend: Backend) {
    let app = spawn_app(backend).await;
    let bad = json!({
        "code": "bad code", "name": "", "location": {"lon": 190, "lat": 16}, "heading": 400, "fov": 0,
        "kind": "rtsp", "source": "rtsp://cam/1"
    });
    let r = app.admin.post(app.url("/api/v1/cameras")).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"));
    let p: Value = r.json().await.unwrap();
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["code", "name", "location.lon", "heading", "fov", "kind", "source"], "{p}");
}
on_both_stores!(fields_at_fault_are_named);

async fn near_answers_nearest_first_within_the_radius(backend: Backend) {
    let app = spawn_app(backend).await;
    let at = |code: &str, lon: f64, lat: f64| {
        let mut c = camera(code, "snapshot", "http://cams.example.vn/s.jpg");
        c["location"] = json!({"lon": lon, "lat": lat});
        c
    };
    create(&app, &at("FAR", 108.2272, 16.0700)).await; // ~1 km north
    create(&app, &at("NEAR", 108.2272, 16.0612)).await; // ~22 m
    create(&app, &at("MID", 108.2290, 16.0610)).await; // ~190 m
    let r: Value = app
        .operator
        .get(app.url("/api/v1/cameras?near=108.2272,16.0610&radius=300"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = r["cameras"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["NEAR", "MID"], "{r}");
    let d = r["cameras"][0]["distance_m"].as_f64().unwrap();
    assert!((15.0..30.0).contains(&d), "{d}");
    let bad = app.operator.get(app.url("/api/v1/cameras?near=108.2&radius=-1")).send().await.unwrap();
    assert_eq!(bad.status(), 422);
    let p: Value = bad.json().await.unwrap();
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["near", "radius"]);
}
on_both_stores!(near_answers_nearest_first_within_the_radius);

async fn edits_reach_the_live_stream_without_the_source(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut ws = cameras_feed(&app).await;
    create(&app, &camera("DN-CAM-L1", "mjpeg", SECRET_SOURCE)).await;
    let (ev, raw) = next_camera_event(&mut ws, "DN-CAM-L1", "camera.updated").await;
    assert_eq!(ev["data"]["version"], 1);
    assert!(!raw.contains("s3cret") && !raw.contains("cams.example.vn"), "{raw}");
    assert_eq!(app.admin.delete(app.url("/api/v1/cameras/DN-CAM-L1")).send().await.unwrap().status(), 204);
    let (_, raw) = next_camera_event(&mut ws, "DN-CAM-L1", "camera.deleted").await;
    assert!(!raw.contains("s3cret"), "{raw}");
    // The outbox itself holds no source either.
    let events = app.store.camera_events_after(0, 100).await.unwrap();
    assert_eq!(events.len(), 2);
    for e in &events {
        assert!(!e.data.to_string().contains("s3cret"), "{:?}", e.data);
    }
    // Old events are pruned by time; the sequence goes on after them.
    let store = &app.store;
    assert_eq!(store.prune_camera_events(events[0].at).await.unwrap(), 0, "nothing before the first");
    assert_eq!(store.prune_camera_events(chrono::Utc::now() + chrono::Duration::seconds(1)).await.unwrap(), 2);
    assert!(store.camera_events_after(0, 100).await.unwrap().is_empty());
    let last = events[1].seq;
    create(&app, &camera("DN-CAM-L2", "mjpeg", SECRET_SOURCE)).await;
    let (ev, _) = next_camera_event(&mut ws, "DN-CAM-L2", "camera.updated").await;
    assert!(ev["camera_seq"].as_i64().unwrap() > last, "{ev}");
}
on_both_stores!(edits_reach_the_live_stream_without_the_source);

async fn the_openapi_document_describes_the_camera_routes(backend: Backend) {
    let app = spawn_app(backend).await;
    let doc: Value = app.public.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    for path in [
        "/api/v1/cameras",
        "/api/v1/cameras/{code}",
        "/api/v1/cameras/{code}/snapshot",
        "/api/v1/cameras/{code}/stream",
        "/api/v1/cameras/{code}/hls",
        "/api/v1/cameras/{code}/hls/{path}",
        "/api/v1/tickets",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
    let schemas = &doc["components"]["schemas"];
    for s in ["CameraInput", "CameraOut", "CameraView", "CameraKind", "CameraStatus"] {
        assert!(schemas.get(s).is_some(), "{s}");
    }
    assert!(schemas["CameraView"]["properties"].get("source").is_none(), "the public view has no source");
}
on_both_stores!(the_openapi_document_describes_the_camera_routes);
