//! The web pages are served from `web/dist` (read from disk in debug builds): the wall with
//! cache-friendly assets when the front end is built, and a page saying to run `make web` when
//! it is not. Which case applies depends on whether `make web` ran before the tests.

mod common;

use std::path::Path;

use reqwest::StatusCode;
use switchboard::app::Application;
use switchboard::config::Settings;

async fn spawn() -> (String, tempfile::TempDir) {
    let (dir, url) = common::fresh_sqlite_url();
    let settings = Settings { listen: "127.0.0.1:0".parse().unwrap(), database_url: Some(url), ..Settings::default() };
    let app = Application::build(settings).await.expect("app");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    (base, dir)
}

fn built() -> bool {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("web/dist/wall.html").exists()
}

#[tokio::test]
async fn the_landing_page_is_always_served_in_vietnamese() {
    let (base, _dir) = spawn().await;
    let r = reqwest::get(format!("{base}/")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(r.headers()["cache-control"], "no-cache");
    let body = r.text().await.unwrap();
    assert!(body.contains("Tổng đài 1022"), "{body}");
    assert!(body.contains("/wall"));
}

#[tokio::test]
async fn the_wall_and_its_hashed_assets_are_served_when_built() {
    let (base, _dir) = spawn().await;
    let r = reqwest::get(format!("{base}/wall")).await.unwrap();
    let status = r.status();
    let cache = r.headers()["cache-control"].clone();
    let body = r.text().await.unwrap();
    assert_eq!(cache, "no-cache");
    if !built() {
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("make web"), "{body}");
        return;
    }
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Bản đồ điều hành"));
    let script = body.split("src=\"").nth(1).and_then(|s| s.split('"').next()).expect("a module script");
    assert!(script.starts_with("/assets/"), "{script}");
    let r = reqwest::get(format!("{base}{script}")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().contains("javascript"));
    assert_eq!(r.headers()["cache-control"], "public, max-age=31536000, immutable");
}

#[tokio::test]
async fn an_unknown_asset_is_a_problem_404() {
    let (base, _dir) = spawn().await;
    let r = reqwest::get(format!("{base}/assets/nope-123.js")).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = reqwest::get(format!("{base}/assets/../Cargo.toml")).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
