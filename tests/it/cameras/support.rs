//! What the camera tests share: an app whose camera settings are adjusted, a camsim, camera
//! bodies, and a live WebSocket of the `cameras` topic.

use serde_json::{Value, json};
use switchboard::app::Settings;
use switchboard::camsim::Camsim;

use crate::harness::ws::{Ws, next, next_text, port_of, subscribe, try_connect};
use crate::harness::{Backend, TestApp, spawn_app_with};

/// An app that may reach loopback 127.0.0.1 (where camsim runs) and nothing else internal.
pub async fn app_allowing_loopback(backend: Backend) -> TestApp {
    spawn_app_with(backend, |s: &mut Settings| s.cameras.allow = vec!["127.0.0.1/32".parse().unwrap()]).await
}

pub async fn camsim() -> Camsim {
    Camsim::start("127.0.0.1:0".parse().unwrap(), 4).await.expect("camsim")
}

/// A camera body.
pub fn camera(code: &str, kind: &str, source: &str) -> Value {
    json!({
        "code": code, "name": "Cầu Rồng", "name_en": "Dragon Bridge",
        "location": {"lon": 108.2272, "lat": 16.0610}, "heading": 90, "fov": 60,
        "kind": kind, "source": source
    })
}

/// Creates a camera as the admin (201 expected).
pub async fn create(app: &TestApp, body: &Value) -> Value {
    let r = app.admin.post(app.url("/api/v1/cameras")).json(body).send().await.unwrap();
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{v}");
    v
}

/// A live session as the operator (API key), subscribed to `cameras`.
pub async fn cameras_feed(app: &TestApp) -> Ws {
    let (_, key) =
        app.services.accounts.create_api_key(&format!("ws-{}", uuid::Uuid::now_v7()), "operator").await.unwrap();
    let bearer = format!("Bearer {key}");
    let mut ws = try_connect(port_of(&app.base), Some(("authorization", &bearer))).await.expect("upgrade");
    assert_eq!(next(&mut ws).await["type"], "hello");
    assert_eq!(subscribe(&mut ws, json!({"type": "subscribe", "topics": ["cameras"]})).await["type"], "subscribed");
    ws
}

/// The next `camera` frame of `code` with `kind` (others are skipped), and its raw text.
pub async fn next_camera_event(ws: &mut Ws, code: &str, kind: &str) -> (Value, String) {
    loop {
        let (v, raw) = next_text(ws).await;
        if v["type"] == "camera" && v["kind"] == kind && v["data"]["code"] == code {
            return (v, raw);
        }
    }
}

/// Complete JPEGs (SOI … EOI) in a buffer.
pub fn count_jpegs(buf: &[u8]) -> usize {
    let mut n = 0;
    let mut rest = buf;
    while let Some(start) = rest.windows(3).position(|w| w == [0xFF, 0xD8, 0xFF]) {
        match rest[start..].windows(2).position(|w| w == [0xFF, 0xD9]) {
            Some(end) => {
                n += 1;
                rest = &rest[start + end + 2..];
            }
            None => break,
        }
    }
    n
}
