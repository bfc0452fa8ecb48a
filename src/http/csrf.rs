//! Cross-site request forgery: a request that changes state (any method but `GET`, `HEAD`,
//! `OPTIONS`) or opens the live WebSocket, carrying the session cookie, must come from a page
//! of this very origin. Browsers say where a request comes from in `Sec-Fetch-Site` (every
//! current browser) and `Origin`; a page on another port of the same host is `same-site`, not
//! `same-origin`, and is refused too. A request with neither header is not a browser's (curl, a
//! script with a cookie it was given) and passes. Bearer-key requests carry no ambient
//! credential and are not checked. One check for every route: the [`guard`] layer, which runs
//! before authentication.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::auth::SESSION_COOKIE;
use super::error::ApiError;

/// Whether the request is one a forged cross-site page could use: it changes state or
/// upgrades to a WebSocket, and it carries the session cookie.
fn guarded(method: &Method, headers: &HeaderMap) -> bool {
    let unsafe_method = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    let upgrade =
        headers.get(header::UPGRADE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let has_session =
        headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).any(|v| {
            v.split(';').any(|c| c.trim().split_once('=').is_some_and(|(name, _)| name.trim() == SESSION_COOKIE))
        });
    (unsafe_method || upgrade) && has_session && !headers.contains_key(header::AUTHORIZATION)
}

/// `host[:port]` of an `Origin` value (`https://1022.danang.gov.vn:8443` → the part after
/// `://`), lower-cased, to compare with `Host` (a reverse proxy must pass `Host` on);
/// `None` for `null` and anything that is not an origin.
fn origin_authority(origin: &str) -> Option<String> {
    let origin = origin.to_ascii_lowercase();
    let (scheme, rest) = origin.split_once("://")?;
    if !matches!(scheme, "http" | "https") || rest.is_empty() || rest.contains(['/', '?', '#', '@']) {
        return None;
    }
    Some(rest.to_ascii_lowercase())
}

/// Refuses a guarded request from another origin: `Sec-Fetch-Site` other than `same-origin`
/// or `none`, or an `Origin` whose host and port are not the request's `Host`.
pub fn check(method: &Method, headers: &HeaderMap) -> Result<(), ApiError> {
    if !guarded(method, headers) {
        return Ok(());
    }
    let refuse = |why: &str| {
        Err(ApiError::forbidden(format!(
            "cross-site request refused ({why}): a signed-in browser may change data only from this site's own pages"
        )))
    };
    if let Some(site) = headers.get("sec-fetch-site") {
        match site.to_str().unwrap_or("") {
            "same-origin" | "none" => {}
            other => return refuse(&format!("Sec-Fetch-Site: {other}")),
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).map(str::to_ascii_lowercase);
        match (origin_authority(origin), host) {
            (Some(a), Some(h)) if a == h => {}
            _ => return refuse(&format!("Origin: {origin}")),
        }
    }
    Ok(())
}

/// Middleware: refuses a cross-site state-changing cookie request ([`check`]) before anything
/// else looks at it.
pub async fn guard(req: Request, next: Next) -> Response {
    match check(req.method(), req.headers()) {
        Ok(()) => next.run(req).await,
        Err(e) => {
            let origin = req.headers().get(axum::http::header::ORIGIN).and_then(|v| v.to_str().ok());
            tracing::warn!(method = %req.method(), origin, "cross-site request refused");
            e.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    const COOKIE: (&str, &str) = ("cookie", "theme=dark; sb_session=abc");
    const HOST: (&str, &str) = ("host", "127.0.0.1:8080");

    #[test]
    fn a_cookie_post_from_another_origin_is_refused() {
        for bad in [
            vec![COOKIE, HOST, ("origin", "http://127.0.0.1:9000")],
            vec![COOKIE, HOST, ("origin", "null")],
            vec![COOKIE, HOST, ("origin", "http://evil.example")],
            vec![COOKIE, HOST, ("sec-fetch-site", "same-site")],
            vec![COOKIE, HOST, ("sec-fetch-site", "cross-site"), ("origin", "http://127.0.0.1:8080")],
        ] {
            assert!(check(&Method::POST, &headers(&bad)).is_err(), "{bad:?}");
            assert!(check(&Method::DELETE, &headers(&bad)).is_err(), "{bad:?}");
        }
        let ws = [COOKIE, HOST, ("upgrade", "websocket"), ("origin", "http://127.0.0.1:9000")];
        assert!(check(&Method::GET, &headers(&ws)).is_err(), "a cross-site WebSocket with the cookie");
    }

    #[test]
    fn same_origin_reads_keys_and_the_cookieless_pass() {
        for ok in [
            vec![COOKIE, HOST, ("origin", "http://127.0.0.1:8080"), ("sec-fetch-site", "same-origin")],
            vec![COOKIE, HOST, ("origin", "HTTP://127.0.0.1:8080")],
            vec![COOKIE, HOST],
            vec![HOST, ("origin", "http://evil.example")],
            vec![COOKIE, HOST, ("authorization", "Bearer sbk_x"), ("origin", "http://evil.example")],
            vec![("cookie", "not_sb_session=1"), HOST, ("origin", "http://evil.example")],
        ] {
            assert!(check(&Method::POST, &headers(&ok)).is_ok(), "{ok:?}");
        }
        let read = [COOKIE, HOST, ("origin", "http://evil.example"), ("sec-fetch-site", "cross-site")];
        assert!(check(&Method::GET, &headers(&read)).is_ok(), "a plain GET changes nothing");
    }
}
