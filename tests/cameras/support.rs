//! What the camera tests share: an app whose camera settings are adjusted, a camsim, camera
//! bodies, and a live WebSocket of the `cameras` topic.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use switchboard::app::Settings;
use switchboard::camsim::Camsim;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::{Backend, TestApp, spawn_app_with};

/// Runs `async fn name(backend: Backend)` on SQLite and on PostGIS.
#[macro_export]
macro_rules! on_both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgis() {
                super::$name($crate::helpers::Backend::Postgres).await
            }
        }
    };
}

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

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A live session as the operator (API key), subscribed to `cameras`.
pub async fn cameras_feed(app: &TestApp) -> Ws {
    let (_, key) =
        app.services.accounts.create_api_key(&format!("ws-{}", uuid::Uuid::now_v7()), "operator").await.unwrap();
    let port = app.base.rsplit(':').next().unwrap();
    let mut req = format!("ws://127.0.0.1:{port}/api/v1/live").into_client_request().unwrap();
    req.headers_mut().insert("authorization", format!("Bearer {key}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.expect("upgrade");
    assert_eq!(next_text(&mut ws).await.0["type"], "hello");
    ws.send(Message::text(json!({"type": "subscribe", "topics": ["cameras"]}).to_string())).await.unwrap();
    assert_eq!(next_text(&mut ws).await.0["type"], "subscribed");
    ws
}

/// The next text frame (within 15 s), parsed and raw.
pub async fn next_text(ws: &mut Ws) -> (Value, String) {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(15), ws.next())
            .await
            .expect("a frame within 15 s")
            .expect("an open socket")
            .expect("a frame");
        match msg {
            Message::Text(t) => return (serde_json::from_str(&t).expect("JSON"), t.to_string()),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected frame {other:?}"),
        }
    }
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
