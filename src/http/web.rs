//! Web pages: the citizens' portal at `/` (with its planning map at `/planning` and the procedures
//! catalogue at `/thu-tuc`, also `/procedures`), the map wall at `/wall`, the console at
//! `/console`, the leaders' page at `/leader` and the public figures at `/stats`, built by Vite into
//! `web/dist` (`make web`).
//!
//! Release builds embed `web/dist` into the binary; debug builds read it from disk on every request
//! (rust-embed without `debug-embed`), so `npm run build` shows up without recompiling. The Rust
//! build never needs Node: when `web/dist` is missing (a fresh clone), `/` serves the plain
//! landing page and `/wall` a page saying to run `make web`.
//!
//! Cache: Vite names files under `/assets/` by content hash, so they are `immutable` for a year;
//! the HTML pages are `no-cache` so a new build is picked up at once.
//!
//! Map fonts: the wall's style takes its glyphs from `/fonts/{fontstack}/{start}-{end}.pbf`
//! (SDF glyph PBFs made by `geodata/tools/glyphs`, copied from `web/public/fonts` into the
//! build). They are not content-hashed, so they are cached for a week rather than forever.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

use super::AppState;

/// The Vite build output. `allow_missing` keeps `cargo build` working without it.
#[derive(RustEmbed)]
#[folder = "web/dist"]
#[allow_missing = true]
struct Dist;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";
/// Glyph PBFs change only when they are regenerated from a new font.
const FONT_CACHE: &str = "public, max-age=604800";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/wall", get(wall))
        .route("/console", get(console))
        .route("/planning", get(planning))
        .route("/thu-tuc", get(procedures))
        .route("/thu-tuc/{code}", get(procedures))
        .route("/procedures", get(procedures))
        .route("/procedures/{code}", get(procedures))
        .route("/leader", get(leader))
        .route("/stats", get(stats))
        .route("/dat-lich", get(booking))
        .route("/dat-lich/{code}", get(booking))
        .route("/booking", get(booking))
        .route("/lay-so/{office}", get(booking))
        .route("/counter", get(counter))
        .route("/display/{office}", get(display))
        .route("/kiosk/{office}", get(kiosk))
        .route("/assets/{*path}", get(asset))
        .route("/fonts/{fontstack}/{range}", get(glyphs))
}

async fn index() -> Response {
    page("index.html").unwrap_or_else(|| no_cache(StatusCode::OK, Html(LANDING_NOT_BUILT)))
}

async fn wall() -> Response {
    page("wall.html").unwrap_or_else(|| no_cache(StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)))
}

async fn console() -> Response {
    page("console.html").unwrap_or_else(|| no_cache(StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)))
}

/// The procedures catalogue, its list and each procedure's own address (the page reads the code
/// from the path).
async fn procedures() -> Response {
    page("procedures.html").unwrap_or_else(|| no_cache(StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)))
}

async fn planning() -> Response {
    page("planning.html").unwrap_or_else(|| no_cache(StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)))
}

async fn leader() -> Response {
    page("leader.html").unwrap_or_else(|| no_cache(StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)))
}

async fn stats() -> Response {
    page("stats.html").unwrap_or_else(|| no_cache(StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)))
}

/// The citizens' booking page: book, see a booking by its link, take a number for today (the
/// page reads which from the path).
async fn booking() -> Response {
    page("booking.html").unwrap_or_else(|| no_cache(StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)))
}

/// The office clerks' counter page.
async fn counter() -> Response {
    page("counter.html").unwrap_or_else(|| no_cache(StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)))
}

/// An office's public display board (the office from the path).
async fn display() -> Response {
    page("display.html").unwrap_or_else(|| no_cache(StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)))
}

/// An office's kiosk, where visitors take a number.
async fn kiosk() -> Response {
    page("kiosk.html").unwrap_or_else(|| no_cache(StatusCode::SERVICE_UNAVAILABLE, Html(NOT_BUILT)))
}

async fn asset(Path(path): Path<String>) -> Response {
    match Dist::get(&format!("assets/{path}")) {
        Some(file) => file_response(file, IMMUTABLE),
        None => crate::http::error::ApiError::not_found("no such asset").into_response(),
    }
}

/// One range of SDF glyphs, `GET /fonts/Noto%20Sans%20Bold/7680-7935.pbf` (the path is
/// percent-decoded). For a comma-separated stack ("Noto Sans Bold,Noto Sans Regular", which
/// MapLibre asks for when a layer lists several fonts) the first font that has the range is
/// served whole; glyphs are not merged across fonts. A range we don't have is a 404, which
/// MapLibre tolerates: it leaves out the characters of that range.
async fn glyphs(Path((fontstack, range)): Path<(String, String)>) -> Response {
    let file = glyph_range_name(&range).and_then(|range| {
        fontstack
            .split(',')
            .map(str::trim)
            .filter(|f| font_name_ok(f))
            .find_map(|font| Dist::get(&format!("fonts/{font}/{range}")))
    });
    match file {
        Some(file) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("application/x-protobuf")),
                (header::CACHE_CONTROL, HeaderValue::from_static(FONT_CACHE)),
            ],
            file.data.into_owned(),
        )
            .into_response(),
        None => crate::http::error::ApiError::not_found(format!("no glyphs {range} for font stack {fontstack}"))
            .into_response(),
    }
}

/// `{start}-{end}.pbf` with both numbers, or nothing.
fn glyph_range_name(range: &str) -> Option<&str> {
    let (start, end) = range.strip_suffix(".pbf")?.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit());
    (digits(start) && digits(end)).then_some(range)
}

/// A font name that can only name a directory under `fonts/`.
fn font_name_ok(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\'])
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

/// `/` before `make web`: where things are, and how to get the portal.
const LANDING_NOT_BUILT: &str = r#"<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Switchboard — Tổng đài 1022</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#eef2f5;padding:0 .25rem}</style>
</head><body>
<h1>Switchboard — Tổng đài 1022</h1>
<p>Cổng phản ánh của người dân chưa được build: chạy <code>make web</code> (cần Node.js 18+ và npm).</p>
<p lang="en">The citizens' portal has not been built: run <code>make web</code> (needs Node.js 18+ and npm).</p>
<ul><li><a href="/wall">/wall</a> — bản đồ điều hành · operations wall</li>
<li><a href="/api/v1/openapi.json">/api/v1/openapi.json</a> — API</li><li><a href="/readyz">/readyz</a></li></ul>
</body></html>
"#;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glyph_range_is_two_numbers_and_pbf() {
        assert_eq!(glyph_range_name("7680-7935.pbf"), Some("7680-7935.pbf"));
        for bad in ["7680-7935", "-7935.pbf", "a-b.pbf", "0-255.pbf.gz", "../0-255.pbf", "123456-9.pbf"] {
            assert_eq!(glyph_range_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_font_name_cannot_leave_the_fonts_directory() {
        assert!(font_name_ok("Noto Sans Bold"));
        for bad in ["", "..", ".hidden", "a/../b", "a\\b"] {
            assert!(!font_name_ok(bad), "{bad}");
        }
    }
}
