//! The web pages are served from `web/dist` (read from disk in debug builds): the wall with
//! cache-friendly assets when the front end is built, and a page saying to run `make web` when
//! it is not. Which case applies depends on whether `make web` ran before the tests. The map's
//! glyph PBFs (`/fonts/…`) come with the build.

use std::path::Path;

use reqwest::StatusCode;
use switchboard::app::Application;
use switchboard::app::Settings;

async fn spawn() -> (String, tempfile::TempDir) {
    let (dir, url) = crate::harness::fresh_sqlite_url();
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
    // No other site may frame it, or load scripts into it.
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self';"), "{csp}");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
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

#[tokio::test]
async fn the_map_glyphs_are_served_by_font_stack_and_range_when_built() {
    let (base, _dir) = spawn().await;
    // MapLibre asks for the stack as it is written in the style, percent-encoded.
    let url = format!("{base}/fonts/Noto%20Sans%20Bold/7680-7935.pbf");
    let r = reqwest::get(&url).await.unwrap();
    if !built() {
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        return;
    }
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    assert_eq!(r.headers()["content-type"], "application/x-protobuf");
    assert_eq!(r.headers()["cache-control"], "public, max-age=604800");
    let pbf = r.bytes().await.unwrap();
    // glyphs.proto: field 1 (stacks) of the message holds a fontstack whose field 1 is its name.
    let name = b"Noto Sans Bold";
    assert!(pbf.windows(name.len()).any(|w| w == name), "the PBF names its font stack");
    assert!(pbf.len() > 10_000, "a range of 256 glyphs ({} bytes)", pbf.len());

    // A stack of several fonts gets the first font that has the range.
    let r = reqwest::get(format!("{base}/fonts/Nope%20Sans,Noto%20Sans%20Regular/0-255.pbf")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_missing_glyph_range_is_a_problem_404() {
    let (base, _dir) = spawn().await;
    for path in [
        "/fonts/Noto%20Sans%20Regular/65280-65535.pbf",
        "/fonts/No%20Such%20Font/0-255.pbf",
        "/fonts/Noto%20Sans%20Regular/0-255",
        "/fonts/..%2F..%2Fwall.html/0-255.pbf",
    ] {
        let r = reqwest::get(format!("{base}{path}")).await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.headers()["content-type"], "application/problem+json", "{path}");
    }
}

#[tokio::test]
async fn the_console_is_served_when_built() {
    let (base, _dir) = spawn().await;
    let r = reqwest::get(format!("{base}/console")).await.unwrap();
    let status = r.status();
    assert_eq!(r.headers()["cache-control"], "no-cache");
    let body = r.text().await.unwrap();
    if !Path::new(env!("CARGO_MANIFEST_DIR")).join("web/dist/console.html").exists() {
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("make web"), "{body}");
        return;
    }
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Tiếp nhận cuộc gọi") && body.contains("take a call"), "Vietnamese first, English too");
    let script = body.split("src=\"").nth(1).and_then(|s| s.split('"').next()).expect("a module script");
    let r = reqwest::get(format!("{base}{script}")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{script}");
    assert!(r.headers()["content-type"].to_str().unwrap().contains("javascript"));
}

#[tokio::test]
async fn the_planning_map_is_served_when_built() {
    let (base, _dir) = spawn().await;
    let r = reqwest::get(format!("{base}/planning")).await.unwrap();
    let status = r.status();
    assert_eq!(r.headers()["cache-control"], "no-cache");
    let body = r.text().await.unwrap();
    if !Path::new(env!("CARGO_MANIFEST_DIR")).join("web/dist/planning.html").exists() {
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("make web"), "{body}");
        return;
    }
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Bản đồ quy hoạch") && body.contains("lang=\"vi\""), "Vietnamese first");
    let script = body.split("src=\"").nth(1).and_then(|s| s.split('"').next()).expect("a module script");
    let r = reqwest::get(format!("{base}{script}")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{script}");
}
