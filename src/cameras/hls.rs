//! HLS through the proxy: playlists are rewritten so every URI they name points back at
//! `/api/v1/cameras/{code}/hls/…`, and a path asked of the proxy is resolved against the
//! camera's base URL (its source URL's directory) only: nothing may escape to another host,
//! port, scheme or a directory above the base. Pure: no I/O.

use url::Url;

/// Media types of HLS playlists.
pub const PLAYLIST_TYPES: &[&str] =
    &["application/vnd.apple.mpegurl", "application/x-mpegurl", "audio/mpegurl", "audio/x-mpegurl"];

/// Why a playlist or a path was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HlsError {
    #[error("the playlist names a URI outside the camera's base URL")]
    Escapes,
    #[error("the playlist does not start with #EXTM3U")]
    NotAPlaylist,
}

/// The directory of a source URL (`http://cam/live/index.m3u8?t=1` → `http://cam/live/`).
pub fn base_of(source: &Url) -> Url {
    let mut base = source.clone();
    base.set_query(None);
    base.set_fragment(None);
    if let Ok(mut segs) = base.path_segments_mut() {
        segs.pop().push("");
    }
    base
}

/// `rel` (a relative path with an optional query, as the proxy received it) resolved against
/// `base`, if the result stays under it. Absolute URLs, scheme-relative `//host` and rooted
/// `/path` references are refused, and so is anything that climbs above the base with `..`.
pub fn resolve_under(base: &Url, rel: &str) -> Option<Url> {
    if rel.is_empty() || rel.starts_with('/') || rel.starts_with('\\') || rel.contains("://") || rel.contains('#') {
        return None;
    }
    let url = base.join(rel).ok()?;
    relative_to(base, &url).map(|_| url)
}

/// The part of `url` below `base`, if `url` is under it (same scheme, credentials, host, port
/// and a path that starts with the base's).
pub fn relative_to(base: &Url, url: &Url) -> Option<String> {
    let same_origin = url.scheme() == base.scheme()
        && url.host() == base.host()
        && url.port_or_known_default() == base.port_or_known_default()
        && url.username() == base.username()
        && url.password() == base.password();
    if !same_origin {
        return None;
    }
    let (path, base_path) = (url.path(), base.path());
    let rest = path.strip_prefix(base_path)?;
    if rest.is_empty() {
        return None;
    }
    Some(match url.query() {
        Some(q) => format!("{rest}?{q}"),
        None => rest.to_owned(),
    })
}

/// Rewrites every URI of the playlist at `playlist_url` (segment and variant lines, and the
/// `URI="…"` attributes of tags such as `#EXT-X-KEY`, `#EXT-X-MAP`, `#EXT-X-MEDIA`) to
/// `{prefix}{path under base}`. Fails if any URI resolves outside `base`.
pub fn rewrite_playlist(text: &str, playlist_url: &Url, base: &Url, prefix: &str) -> Result<String, HlsError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.trim_start().starts_with("#EXTM3U") {
        return Err(HlsError::NotAPlaylist);
    }
    let proxied = |uri: &str| -> Result<String, HlsError> {
        let url = playlist_url.join(uri.trim()).map_err(|_| HlsError::Escapes)?;
        let rel = relative_to(base, &url).ok_or(HlsError::Escapes)?;
        Ok(format!("{prefix}{rel}"))
    };
    let mut out = String::with_capacity(text.len() + 256);
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            out.push('\n');
            continue;
        }
        if !trimmed.starts_with('#') {
            out.push_str(&proxied(trimmed)?);
        } else if let Some(start) = trimmed.find("URI=\"") {
            let value_start = start + 5;
            let len = trimmed[value_start..].find('"').ok_or(HlsError::Escapes)?;
            out.push_str(&trimmed[..value_start]);
            out.push_str(&proxied(&trimmed[value_start..value_start + len])?);
            out.push_str(&trimmed[value_start + len..]);
        } else {
            out.push_str(trimmed);
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn the_base_is_the_source_directory() {
        assert_eq!(base_of(&url("http://cam:8080/live/index.m3u8?t=1")).as_str(), "http://cam:8080/live/");
        assert_eq!(base_of(&url("http://cam/index.m3u8")).as_str(), "http://cam/");
    }

    #[test]
    fn paths_resolve_only_under_the_base() {
        let base = url("http://cam/live/");
        assert_eq!(resolve_under(&base, "seg-1.ts").unwrap().as_str(), "http://cam/live/seg-1.ts");
        assert_eq!(resolve_under(&base, "hd/seg-1.ts?tok=a").unwrap().as_str(), "http://cam/live/hd/seg-1.ts?tok=a");
        for bad in [
            "../secret",
            "a/../../secret",
            "%2e%2e/secret",
            "/etc/passwd",
            "//evil.example/x",
            "http://169.254.169.254/latest",
            "\\\\evil/x",
            "",
        ] {
            assert_eq!(resolve_under(&base, bad), None, "{bad}");
        }
    }

    #[test]
    fn playlists_are_rewritten_to_the_proxy() {
        let src = url("http://cam/live/index.m3u8");
        let text = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXT-X-KEY:METHOD=AES-128,URI=\"keys/k1\"\n#EXTINF:2.0,\nseg-10.m4s\n#EXTINF:2.0,\nhttp://cam/live/seg-11.m4s?x=1\n";
        let out = rewrite_playlist(text, &src, &base_of(&src), "/api/v1/cameras/C1/hls/").unwrap();
        assert_eq!(
            out,
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MAP:URI=\"/api/v1/cameras/C1/hls/init.mp4\"\n\
             #EXT-X-KEY:METHOD=AES-128,URI=\"/api/v1/cameras/C1/hls/keys/k1\"\n#EXTINF:2.0,\n\
             /api/v1/cameras/C1/hls/seg-10.m4s\n#EXTINF:2.0,\n/api/v1/cameras/C1/hls/seg-11.m4s?x=1\n"
        );
    }

    #[test]
    fn a_playlist_pointing_elsewhere_is_refused() {
        let src = url("http://cam/live/index.m3u8");
        let base = base_of(&src);
        for uri in ["http://10.0.0.1/seg.ts", "../other/seg.ts", "//evil/seg.ts", "https://cam/live/seg.ts"] {
            let text = format!("#EXTM3U\n#EXTINF:2.0,\n{uri}\n");
            assert_eq!(rewrite_playlist(&text, &src, &base, "/p/"), Err(HlsError::Escapes), "{uri}");
        }
        let key = "#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"http://169.254.169.254/k\"\n";
        assert_eq!(rewrite_playlist(key, &src, &base, "/p/"), Err(HlsError::Escapes));
        assert_eq!(rewrite_playlist("<html>", &src, &base, "/p/"), Err(HlsError::NotAPlaylist));
    }
}
