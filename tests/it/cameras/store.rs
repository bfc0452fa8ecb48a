//! The camera store's rules, the same on both backends: an upsert keeps a camera's health
//! while its kind and source stay, status changes write one event each and only at the version
//! the checker saw.

use chrono::{Duration, Utc};
use switchboard::domain::camera::CameraInput;
use switchboard::domain::{CameraEventKind, CameraStatus};

use super::support::camera;
use crate::harness::{Backend, spawn_app};
use crate::on_both_stores;

async fn status_changes_are_recorded_once_and_edits_win(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = app.store.as_ref();
    let spec =
        |source: &str| serde_json::from_value::<CameraInput>(camera("ST-1", "mjpeg", source)).unwrap().parse().unwrap();
    let t0 = Utc::now();
    let created = store.upsert_camera(&spec("http://cams.example.vn/1").into_camera(None, None, t0)).await.unwrap();
    assert_eq!((created.kind, created.data["version"].as_i64()), (CameraEventKind::Updated, Some(1)));
    assert!(created.data.get("source").is_none(), "{}", created.data);

    let at = t0 + Duration::seconds(1);
    let online = store.set_camera_status(&"ST-1".parse_code(), 1, CameraStatus::Online, at).await.unwrap();
    let online = online.expect("a change writes an event");
    assert_eq!((online.kind, online.data["status"].as_str()), (CameraEventKind::Status, Some("online")));
    assert!(
        store.set_camera_status(&"ST-1".parse_code(), 2, CameraStatus::Online, at).await.unwrap().is_none(),
        "no change, no event"
    );
    assert!(
        store.set_camera_status(&"ST-1".parse_code(), 1, CameraStatus::Offline, at).await.unwrap().is_none(),
        "a stale version is ignored"
    );
    let cam = store.camera(&"ST-1".parse_code()).await.unwrap().unwrap();
    assert_eq!((cam.status, cam.version), (CameraStatus::Online, 2));
    assert_eq!(cam.last_seen.map(|t| t.timestamp_micros()), Some(at.timestamp_micros()));

    // Renaming keeps the health; a new source resets it.
    let mut renamed = spec("http://cams.example.vn/1").into_camera(Some(&cam), None, Utc::now());
    renamed.status = CameraStatus::Unknown; // whatever the caller says, the store keeps the health
    store.upsert_camera(&renamed).await.unwrap();
    let kept = store.camera(&"ST-1".parse_code()).await.unwrap().unwrap();
    assert_eq!((kept.status, kept.version, kept.last_seen.is_some()), (CameraStatus::Online, 3, true));
    store.upsert_camera(&spec("http://cams.example.vn/2").into_camera(Some(&kept), None, Utc::now())).await.unwrap();
    let moved = store.camera(&"ST-1".parse_code()).await.unwrap().unwrap();
    assert_eq!((moved.status, moved.version, moved.last_seen), (CameraStatus::Unknown, 4, None));

    let kinds: Vec<_> = store.camera_events_after(0, 10).await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [CameraEventKind::Updated, CameraEventKind::Status, CameraEventKind::Updated, CameraEventKind::Updated]
    );
    assert_eq!(store.last_camera_seq().await.unwrap(), store.camera_events_after(0, 10).await.unwrap()[3].seq);
    assert!(store.delete_camera(&"ST-1".parse_code(), Utc::now()).await.unwrap().is_some());
    assert!(store.delete_camera(&"ST-1".parse_code(), Utc::now()).await.unwrap().is_none());
}
on_both_stores!(status_changes_are_recorded_once_and_edits_win);

trait ParseCode {
    fn parse_code(&self) -> switchboard::domain::CameraCode;
}

impl ParseCode for str {
    fn parse_code(&self) -> switchboard::domain::CameraCode {
        switchboard::domain::CameraCode::parse(self, "code").unwrap()
    }
}
