//! The proxy streams camsim's MJPEG frames to an operator (and closes the camera connection
//! when the viewer leaves), serves snapshots, proxies HLS with rewritten URLs, and turns away
//! the public (401) and agency staff (403).

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::Value;

use super::support::{app_allowing_loopback, camera, camsim, count_jpegs, create};
use crate::harness::Backend;
use crate::on_both_stores;

async fn the_proxy_streams_camsim_frames_to_an_operator_only(backend: Backend) {
    let sim = camsim().await;
    let app = app_allowing_loopback(backend).await;
    create(&app, &camera("CAM-M", "mjpeg", &format!("{}cam/1/mjpeg", sim.base_url()))).await;
    let url = app.url("/api/v1/cameras/CAM-M/stream");

    assert_eq!(app.public.get(&url).send().await.unwrap().status(), 401);
    assert_eq!(app.agency.get(&url).send().await.unwrap().status(), 403);
    assert_eq!(app.open311.get(&url).send().await.unwrap().status(), 403);

    let r = app.operator.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("multipart/x-mixed-replace"), "{ct}");
    assert_eq!(r.headers()["content-security-policy"], "default-src 'none'; sandbox");
    let mut body = r.bytes_stream();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(15), async {
        while count_jpegs(&buf) < 2 {
            buf.extend_from_slice(&body.next().await.expect("more frames").expect("bytes"));
        }
    });
    read.await.expect("two frames within 15 s");
    assert_eq!(sim.active_streams(), 1, "one camera connection for one viewer");
    drop(body);
    // The viewer left: the proxy lets go of the camera.
    let closed = tokio::time::timeout(Duration::from_secs(10), async {
        while sim.active_streams() != 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    closed.await.expect("the upstream stream closes after the viewer leaves");

    let leader = app.leader.get(app.url("/api/v1/cameras/CAM-M/snapshot")).send().await.unwrap();
    assert_eq!(leader.status(), 200, "leaders watch the wall too");
    assert_eq!(leader.headers()["content-type"], "image/jpeg");
    let jpeg = leader.bytes().await.unwrap();
    assert_eq!(count_jpegs(&jpeg), 1);
    // A snapshot camera; and the wrong endpoint for a kind is a 404, not a fetch.
    create(&app, &camera("CAM-S", "snapshot", &format!("{}cam/2/snapshot.jpg", sim.base_url()))).await;
    let snap = app.operator.get(app.url("/api/v1/cameras/CAM-S/snapshot")).send().await.unwrap();
    assert_eq!((snap.status().as_u16(), snap.headers()["content-type"].to_str().unwrap()), (200, "image/jpeg"));
    assert_eq!(app.operator.get(app.url("/api/v1/cameras/CAM-S/stream")).send().await.unwrap().status(), 404);
    assert_eq!(app.operator.get(app.url("/api/v1/cameras/NOPE/stream")).send().await.unwrap().status(), 404);
}
on_both_stores!(the_proxy_streams_camsim_frames_to_an_operator_only);

async fn hls_playlists_are_rewritten_and_segments_stay_under_the_base(backend: Backend) {
    let sim = camsim().await;
    let app = app_allowing_loopback(backend).await;
    create(&app, &camera("CAM-H", "hls", &format!("{}cam/3/index.m3u8", sim.base_url()))).await;
    let r = app.operator.get(app.url("/api/v1/cameras/CAM-H/hls")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/vnd.apple.mpegurl");
    let text = r.text().await.unwrap();
    assert!(text.starts_with("#EXTM3U"), "{text}");
    assert!(!text.contains("127.0.0.1"), "no camera address reaches the browser: {text}");
    let segment = text.lines().find(|l| !l.starts_with('#') && !l.is_empty()).expect("a segment").to_owned();
    assert!(segment.starts_with("/api/v1/cameras/CAM-H/hls/seg-"), "{segment}");
    let seg = app.operator.get(app.url(&segment)).send().await.unwrap();
    assert_eq!(seg.status(), 200);
    assert_eq!(count_jpegs(&seg.bytes().await.unwrap()), 1);
    // Climbing out of the camera's directory (to another camera, or anywhere) is refused.
    for escape in [
        "/api/v1/cameras/CAM-H/hls/..%2F2%2Fsnapshot.jpg",
        "/api/v1/cameras/CAM-H/hls/seg%2F..%2F..%2F..%2Fcam%2F1%2Fmjpeg",
    ] {
        let r = app.operator.get(app.url(escape)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{escape}");
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["code"], "bad_path", "{escape}: {p}");
    }
    assert_eq!(app.agency.get(app.url("/api/v1/cameras/CAM-H/hls")).send().await.unwrap().status(), 403);
    assert_eq!(app.public.get(app.url(&segment)).send().await.unwrap().status(), 401);
}
on_both_stores!(hls_playlists_are_rewritten_and_segments_stay_under_the_base);
