//! Images sent on a chat platform reach the report: a Messenger user describes a blocked drain
//! with a photo, then shares the location — the report is filed and the photo, fetched from the
//! platform's address, is on it; a photo sent a moment later joins it too; an image on a host
//! the settings do not allow is never fetched.

use reqwest::StatusCode;
use serde_json::{Value, json};
use switchboard::domain::Medium;

use super::support::{eventually, signed_at, spawn};
use crate::api::photo_fixtures::small_png;
use crate::harness::{Backend, TestApp};
use crate::on_both_stores;

/// A stand-in for the platform's image CDN on 127.0.0.1: `/a.png`, `/b.png`.
async fn cdn() -> u16 {
    let app = axum::Router::new()
        .route("/a.png", axum::routing::get(|| async { ([("content-type", "image/png")], small_png([200, 40, 40])) }))
        .route("/b.png", axum::routing::get(|| async { ([("content-type", "image/png")], small_png([40, 40, 200])) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    port
}

fn message(mid: &str, text: Option<&str>, at: Option<(f64, f64)>, images: &[String]) -> String {
    let ms = chrono::Utc::now().timestamp_millis();
    let mut attachments: Vec<Value> = images.iter().map(|u| json!({"type": "image", "payload": {"url": u}})).collect();
    if let Some((lon, lat)) = at {
        attachments.push(json!({"type": "location", "payload": {"coordinates": {"lat": lat, "long": lon}}}));
    }
    let mut m = json!({"mid": mid, "attachments": attachments});
    if let Some(t) = text {
        m["text"] = json!(t);
    }
    json!({"object": "page", "entry": [{"id": "page", "time": ms, "messaging": [{"sender": {"id": "psid-photo"},
        "recipient": {"id": "page"}, "timestamp": ms, "message": m}]}]})
    .to_string()
}

async fn send(app: &TestApp, body: String) -> Value {
    let r = signed_at(app, Medium::Messenger, &body, "application/json", chrono::Utc::now().timestamp())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json::<Value>().await.unwrap()["results"][0].clone()
}

async fn photos_of(app: &TestApp, code: &str) -> usize {
    let t = app.get_json(&app.operator, &format!("/api/v1/tickets/{code}")).await;
    t["photos"].as_array().map_or(0, Vec::len)
}

async fn images_sent_on_messenger_reach_the_report(backend: Backend) {
    let port = cdn().await;
    let (app, _sink) = spawn(backend, |s| s.channels.photo_hosts = vec!["127.0.0.1".into()]).await;
    let a = format!("http://127.0.0.1:{port}/a.png");
    let first =
        send(&app, message("mid.p1", Some("Cống thoát nước bị tắc, nước tràn lên mặt đường"), None, &[a])).await;
    assert_eq!(first["outcome"], "incomplete", "{first}");
    let (lon, lat) = app.point_in(&app.hai_chau.clone());
    let filed = send(&app, message("mid.p2", None, Some((lon, lat)), &[])).await;
    assert_eq!(filed["outcome"], "filed", "{filed}");
    let code = filed["ticket"].as_str().unwrap().to_owned();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
    while photos_of(&app, &code).await < 1 {
        assert!(tokio::time::Instant::now() < deadline, "the photo sent before the location was not attached");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // A photo a moment later joins the same report.
    let later = send(&app, message("mid.p3", None, None, &[format!("http://127.0.0.1:{port}/b.png")])).await;
    assert_eq!((later["outcome"].as_str(), later["ticket"].as_str()), (Some("photos_added"), Some(code.as_str())));
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
    while photos_of(&app, &code).await < 2 {
        assert!(tokio::time::Instant::now() < deadline, "the later photo was not attached");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // An image on a host the settings do not allow is given up, never fetched.
    let elsewhere = send(&app, message("mid.p4", None, None, &[format!("http://localhost:{port}/a.png")])).await;
    assert_eq!(elsewhere["outcome"], "photos_added");
    let store = app.store.clone();
    let due = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let flag = due.clone();
    tokio::spawn(async move {
        while !store.due_channel_photos(10).await.unwrap().is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        flag.store(false, std::sync::atomic::Ordering::SeqCst);
    });
    eventually("the disallowed image given up", || !due.load(std::sync::atomic::Ordering::SeqCst)).await;
    assert_eq!(photos_of(&app, &code).await, 2, "nothing fetched from a host not allowed");
}

on_both_stores!(images_sent_on_messenger_reach_the_report);
