//! What the proxy does for each kind of camera: a snapshot (a JPEG/PNG checked by its magic
//! bytes, or the first frame of an MJPEG stream), an MJPEG stream passed through as it comes,
//! and HLS playlists (rewritten) and segments (streamed). Browsers name a camera by code;
//! every URL fetched is the camera's source URL or, for HLS, a path under its directory.

use axum::body::Bytes;
use futures_util::{Stream, StreamExt};

use super::client::{CameraClient, FetchError, media_type};
use super::hls::{self, HlsError, PLAYLIST_TYPES};
use crate::domain::{Camera, CameraKind};

/// Why the proxy could not serve a request.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("a {0} camera has no {1}")]
    NotForKind(&'static str, &'static str),
    #[error("that path is not under the camera's base URL")]
    BadPath,
    #[error(transparent)]
    Playlist(#[from] HlsError),
    #[error("too many camera streams are open; try again shortly")]
    Busy,
}

/// A streamed body from a camera (the upstream connection closes when it is dropped).
pub type CameraStream = std::pin::Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send>>;

/// The image of a JPEG or PNG by its first bytes.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

/// The first complete JPEG (SOI … EOI) in `buf`, if one has arrived.
pub fn first_jpeg(buf: &[u8]) -> Option<&[u8]> {
    let start = buf.windows(3).position(|w| w == [0xFF, 0xD8, 0xFF])?;
    let end = buf[start..].windows(2).position(|w| w == [0xFF, 0xD9])?;
    Some(&buf[start..start + end + 2])
}

impl CameraClient {
    /// A still image of the camera: its snapshot, or the first frame of its MJPEG stream.
    #[tracing::instrument(skip_all, fields(camera = %cam.code))]
    pub async fn snapshot(&self, cam: &Camera) -> Result<(&'static str, Bytes), ProxyError> {
        let max = self.limits.max_snapshot_bytes;
        match cam.kind {
            CameraKind::Snapshot => {
                let (_, body) = self.fetch(cam.source.url(), max).await?;
                let kind = image_type(&body).ok_or_else(|| FetchError::BadContent("not a JPEG or PNG".into()))?;
                Ok((kind, body))
            }
            CameraKind::Mjpeg => {
                let work = async {
                    let resp = self.open(cam.source.url()).await?;
                    check_mjpeg(&media_type(&resp))?;
                    let mut buf: Vec<u8> = Vec::new();
                    let mut stream = resp.bytes_stream();
                    while let Some(chunk) = stream.next().await {
                        let chunk = chunk.map_err(|e| FetchError::Unreachable(e.without_url().to_string()))?;
                        buf.extend_from_slice(&chunk);
                        if let Some(jpeg) = first_jpeg(&buf) {
                            return Ok(("image/jpeg", Bytes::copy_from_slice(jpeg)));
                        }
                        if buf.len() > max {
                            return Err(FetchError::TooLarge(max));
                        }
                    }
                    Err(FetchError::BadContent("a stream that ended before its first frame".into()))
                };
                Ok(tokio::time::timeout(self.limits.fetch_timeout, work).await.map_err(|_| FetchError::Timeout)??)
            }
            CameraKind::Hls => Err(ProxyError::NotForKind("hls", "snapshot")),
        }
    }

    /// The camera's MJPEG stream: its `multipart/x-mixed-replace` content type (with the
    /// upstream boundary) and its body, passed through chunk by chunk, never buffered whole.
    #[tracing::instrument(skip_all, fields(camera = %cam.code))]
    pub async fn mjpeg(&self, cam: &Camera) -> Result<(String, CameraStream), ProxyError> {
        if cam.kind != CameraKind::Mjpeg {
            return Err(ProxyError::NotForKind(cam.kind.as_str(), "MJPEG stream"));
        }
        let slot = self.stream_slot().ok_or(ProxyError::Busy)?;
        let resp = self.open(cam.source.url()).await?;
        check_mjpeg(&media_type(&resp))?;
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .filter(|v| v.bytes().all(|b| b.is_ascii_graphic() || b == b' '))
            .unwrap_or("multipart/x-mixed-replace")
            .to_owned();
        let body = resp.bytes_stream().map(move |chunk| {
            let _held = &slot;
            chunk.map_err(|e| std::io::Error::other(e.without_url()))
        });
        Ok((content_type, Box::pin(body)))
    }

    /// An HLS request: `rel` is `None` for the camera's own playlist, else a path (with its
    /// query) under the camera's base URL. Playlists come back rewritten for `prefix`
    /// (`/api/v1/cameras/{code}/hls/`); anything else streams with a safe media type.
    #[tracing::instrument(skip_all, fields(camera = %cam.code))]
    pub async fn hls(&self, cam: &Camera, rel: Option<&str>, prefix: &str) -> Result<HlsReply, ProxyError> {
        if cam.kind != CameraKind::Hls {
            return Err(ProxyError::NotForKind(cam.kind.as_str(), "HLS playlist"));
        }
        let source = cam.source.url();
        let base = hls::base_of(source);
        let url = match rel {
            None => source.clone(),
            Some(rel) => hls::resolve_under(&base, rel).ok_or(ProxyError::BadPath)?,
        };
        let looks_like_playlist = url.path().ends_with(".m3u8") || url.path().ends_with(".m3u");
        if looks_like_playlist {
            let (_, body) = self.fetch(&url, self.limits.max_playlist_bytes).await?;
            let text = String::from_utf8_lossy(&body);
            return Ok(HlsReply::Playlist(hls::rewrite_playlist(&text, &url, &base, prefix)?));
        }
        let slot = self.stream_slot().ok_or(ProxyError::Busy)?;
        let resp = self.open(&url).await?;
        let media = media_type(&resp);
        let max = self.limits.max_segment_bytes;
        if resp.content_length().is_some_and(|n| n > max as u64) {
            return Err(FetchError::TooLarge(max).into());
        }
        if PLAYLIST_TYPES.contains(&media.as_str()) {
            // A playlist without the .m3u8 name: read and rewrite it like one.
            let text = resp.text().await.map_err(|e| FetchError::Unreachable(e.without_url().to_string()))?;
            if text.len() > self.limits.max_playlist_bytes {
                return Err(FetchError::TooLarge(self.limits.max_playlist_bytes).into());
            }
            return Ok(HlsReply::Playlist(hls::rewrite_playlist(&text, &url, &base, prefix)?));
        }
        let mut resp = resp;
        let first = resp.chunk().await.map_err(|e| FetchError::Unreachable(e.without_url().to_string()))?;
        let first = first.unwrap_or_default();
        if !looks_like_segment(&media, &first) {
            return Err(FetchError::BadContent(format!("{media:?}, not an HLS segment or key")).into());
        }
        let mut sent = first.len();
        if sent > max {
            return Err(FetchError::TooLarge(max).into());
        }
        let rest = resp.bytes_stream();
        let body = futures_util::stream::once(async move { Ok::<_, reqwest::Error>(first) }).chain(rest);
        let body = body.map(move |chunk| {
            let _held = &slot;
            let chunk = chunk.map_err(|e| std::io::Error::other(e.without_url()))?;
            sent += chunk.len();
            if sent > max {
                return Err(std::io::Error::other(format!("segment larger than {max} bytes")));
            }
            Ok(chunk)
        });
        Ok(HlsReply::Segment { media: segment_type(&media), body: Box::pin(body) })
    }
}

/// What an HLS request gives.
pub enum HlsReply {
    /// A rewritten playlist.
    Playlist(String),
    /// A segment (or key, or init section), streamed.
    Segment { media: &'static str, body: CameraStream },
}

fn check_mjpeg(media: &str) -> Result<(), FetchError> {
    if media == "multipart/x-mixed-replace" { Ok(()) } else { Err(FetchError::BadContent(format!("{media:?}"))) }
}

/// Whether a response is something an HLS player fetches besides playlists: a transport-stream
/// or fragmented-MP4 segment, ADTS or ID3-tagged audio, a JPEG, or a 16-byte AES key, by its
/// first bytes, and not declared as text (an internal web page, JSON, a script).
fn looks_like_segment(media: &str, head: &[u8]) -> bool {
    if media.starts_with("text/") || media.contains("html") || media.contains("json") || media.contains("xml") {
        return false;
    }
    let mp4_box = head.len() >= 8 && matches!(&head[4..8], b"ftyp" | b"styp" | b"moof" | b"sidx" | b"emsg" | b"mdat");
    head.first() == Some(&0x47)
        || mp4_box
        || head.starts_with(b"ID3")
        || (head.len() >= 2 && head[0] == 0xFF && head[1] & 0xF0 == 0xF0)
        || head.starts_with(&[0xFF, 0xD8, 0xFF])
        || (media == "application/octet-stream" && head.len() == 16)
}

/// The media type a segment is served with: the upstream's when it is a media type HLS uses,
/// else `application/octet-stream` (never HTML or script from a camera).
fn segment_type(upstream: &str) -> &'static str {
    match upstream {
        "video/mp2t" => "video/mp2t",
        "video/mp4" => "video/mp4",
        "video/iso.segment" => "video/iso.segment",
        "audio/aac" => "audio/aac",
        "audio/mp4" => "audio/mp4",
        "image/jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_jpeg_is_found_across_boundaries() {
        let mut buf = b"--frame\r\nContent-Type: image/jpeg\r\n\r\n".to_vec();
        buf.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        assert_eq!(first_jpeg(&buf), None, "not complete yet");
        buf.extend_from_slice(&[4, 0xFF, 0xD9, b'\r', b'\n']);
        assert_eq!(first_jpeg(&buf), Some(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 0xFF, 0xD9][..]));
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF, 0xDB]), Some("image/jpeg"));
        assert_eq!(image_type(b"<svg onload=alert(1)>"), None);
    }

    #[test]
    fn only_media_passes_as_a_segment() {
        assert!(looks_like_segment("video/mp2t", &[0x47, 0x40, 0x00, 0x10]));
        assert!(looks_like_segment("video/mp4", b"\0\0\0\x18stypmsdh"));
        assert!(looks_like_segment("application/octet-stream", &[7; 16]), "an AES-128 key");
        assert!(looks_like_segment("audio/aac", &[0xFF, 0xF1, 0x50, 0x80]));
        assert!(!looks_like_segment("text/html", b"<html><body>router admin</body></html>"));
        assert!(!looks_like_segment("application/octet-stream", b"<html>admin</html>"));
        assert!(!looks_like_segment("application/json", b"{\"secret\": 1}"));
        assert!(!looks_like_segment("application/octet-stream", b"root:x:0:0:root:/root:/bin/bash\n"));
    }
}
