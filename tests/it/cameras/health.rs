//! The health checker marks a camera online while camsim serves it and offline once camsim
//! stops, each change once, as a `camera.status` event on the live stream.

use std::time::Duration;

use serde_json::Value;
use switchboard::app::Settings;

use super::support::{camera, cameras_feed, camsim, create, next_camera_event};
use crate::harness::{Backend, spawn_app_with};
use crate::on_both_stores;

async fn a_camera_goes_offline_when_camsim_stops(backend: Backend) {
    let sim = camsim().await;
    let app = spawn_app_with(backend, |s: &mut Settings| {
        s.cameras.allow = vec!["127.0.0.1/32".parse().unwrap()];
        s.cameras.check_interval = Duration::from_millis(300);
        s.cameras.check_timeout = Duration::from_secs(2);
    })
    .await;
    let mut ws = cameras_feed(&app).await;
    create(&app, &camera("CAM-HC", "mjpeg", &format!("{}cam/1/mjpeg", sim.base_url()))).await;
    let (online, raw) = next_camera_event(&mut ws, "CAM-HC", "camera.status").await;
    assert_eq!(online["data"]["status"], "online", "{online}");
    assert!(online["data"]["last_seen"].is_string());
    assert!(!raw.contains("127.0.0.1"), "no source in events: {raw}");

    drop(sim);
    let (offline, _) = next_camera_event(&mut ws, "CAM-HC", "camera.status").await;
    assert_eq!(offline["data"]["status"], "offline", "{offline}");
    assert!(offline["data"]["version"].as_i64() > online["data"]["version"].as_i64());
    let v: Value = app.operator.get(app.url("/api/v1/cameras/CAM-HC")).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["status"], "offline");

    // Later checks of an unchanged camera write no further events.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let events = app.store.camera_events_after(0, 100).await.unwrap();
    let statuses = events.iter().filter(|e| e.kind == switchboard::domain::CameraEventKind::Status).count();
    assert_eq!(statuses, 2, "one event per change: {events:?}");
}
on_both_stores!(a_camera_goes_offline_when_camsim_stops);
