//! Web pages: the bilingual landing page at `/` and the map wall at `/wall`, built by Vite into
//! `web/dist` (`make web`).
//!
//! Release builds embed `web/dist` into the binary; debug builds read it from disk on every request
//! (rust-embed without `debug-embed`), so `npm run build` shows up without recompiling. The Rust
//! build never needs Node: when `web/dist` is missing (a fresh clone), `/` serves the plain
//! landing page and `/wall` a page saying to run `make web`.
//!
//! Cache: Vite names files under `/assets/` by content hash, so they are `immutable` for a year;
//! the HTML pages are `no-cache` so a new build is picked up at once.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

use crate::service::Services;

/// The Vite build output. `allow_missing` keeps `cargo build` working without it.
#[derive(RustEmbed)]
#[folder = "web/dist"]
#[allow_missing = true]
struct Dist;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

pub fn router() -> Router<Services> {
    Router::new().route("/", get(index)).route("/wall", get(wall)).route("/assets/{*path}", get(asset))
}

async fn index() -> Response {
    page("index.html").unwrap_or_else(|| no_cache(StatusCode::OK, Html(include_str!("../../web/index.html"))))
}

async fn wall() -> Response {
    page("wall.html").unwrap_or_else(|| no_cache(StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)))
}

async fn asset(Path(path): Path<String>) -> Response {
    match Dist::get(&format!("assets/{path}")) {
        Some(file) => file_response(file, IMMUTABLE),
        None => crate::http::error::ApiError::not_found("no such asset").into_response(),
    }
}

/// An HTML page of the build, if there is one.
fn page(name: &str) -> Option<Response> {
    Dist::get(name).map(|file| file_response(file, NO_CACHE))
}

fn file_response(file: rust_embed::EmbeddedFile, cache: &'static str) -> Response {
    let mime = file.metadata.mimetype();
    // Text is UTF-8 (Vietnamese labels): say so rather than rely on sniffing.
    let textual = mime.starts_with("text/") || mime.ends_with("javascript") || mime.ends_with("json");
    let mime = if textual && !mime.contains("charset") { format!("{mime}; charset=utf-8") } else { mime.to_owned() };
    let content_type = HeaderValue::from_str(&mime).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (
        [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, HeaderValue::from_static(cache))],
        file.data.into_owned(),
    )
        .into_response()
}

fn no_cache(status: StatusCode, body: impl IntoResponse) -> Response {
    (status, [(header::CACHE_CONTROL, NO_CACHE)], body).into_response()
}

const NOT_BUILT: &str = r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Switchboard — chưa build giao diện</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#eef2f5;padding:0 .25rem}</style>
</head><body>
<h1>Chưa có giao diện bản đồ</h1>
<p>Thư mục <code>web/dist</code> chưa được build. Chạy <code>make web</code> (cần Node.js 18+ và npm) rồi build lại máy chủ.</p>
<p lang="en">The web front end has not been built: <code>web/dist</code> is missing. Run <code>make web</code>
(needs Node.js 18+ and npm), then rebuild the server (release builds embed the files; debug builds read them from disk).</p>
</body></html>
"#;
