//! Server-side request forgery: only http(s) sources exist, internal addresses are refused
//! when written literally (at creation and at every request) and when a name resolves to them,
//! and redirects are not followed.
//!
//! The requests refused here target loopback only (127.0.0.1, ::1, localhost): the refusal
//! happens before any connection, and the address classes are unit-tested in
//! `src/cameras/policy.rs` (10/8, 169.254.169.254, fd00:ec2::254, CGNAT, mapped IPv6…); private
//! and metadata addresses are checked here at creation, where no request is made at all.

use axum::response::Redirect;
use serde_json::Value;
use switchboard::domain::camera::CameraInput;

use super::support::{app_allowing_loopback, camera, camsim, create};
use crate::harness::{Backend, spawn_app};
use crate::on_both_stores;

async fn creating_a_camera_aimed_inside_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    for source in [
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "ftp://10.0.0.1/x",
        "http://127.0.0.1/cam",
        "http://10.1.2.3/cam",
        "http://192.168.1.20/cam",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8554/cam",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:127.0.0.1]/",
        "http://2130706433/",
        "http://100.64.0.1/",
    ] {
        let r =
            app.admin.post(app.url("/api/v1/cameras")).json(&camera("EVIL", "snapshot", source)).send().await.unwrap();
        assert_eq!(r.status(), 422, "{source}");
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "source", "{source}: {p}");
    }
}
on_both_stores!(creating_a_camera_aimed_inside_is_refused);

/// Stores a camera directly (as an import or an older allow-list could have), skipping the
/// creation check, so the proxy's own defences are what is tested.
async fn store_camera(app: &crate::harness::TestApp, code: &str, source: &str) {
    let input: CameraInput = serde_json::from_value(camera(code, "snapshot", source)).unwrap();
    app.services.cameras.import_camera(input.parse().unwrap()).await.unwrap();
}

async fn the_proxy_refuses_internal_addresses_however_written(backend: Backend) {
    let sim = camsim().await;
    let app = spawn_app(backend).await; // nothing allow-listed
    let port = sim.addr().port();
    let sources = [
        format!("http://127.0.0.1:{port}/cam/1/snapshot.jpg"),
        format!("http://2130706433:{port}/cam/1/snapshot.jpg"),
        format!("http://[::1]:{port}/cam/1/snapshot.jpg"),
        format!("http://[::ffff:127.0.0.1]:{port}/cam/1/snapshot.jpg"),
        // A name that resolves to loopback: refused by the resolver, not by the URL check.
        format!("http://localhost:{port}/cam/1/snapshot.jpg"),
    ];
    for (i, source) in sources.iter().enumerate() {
        let code = format!("IN-{i}");
        store_camera(&app, &code, source).await;
        let r = app.operator.get(app.url(&format!("/api/v1/cameras/{code}/snapshot"))).send().await.unwrap();
        assert_eq!(r.status(), 502, "{source}");
        let text = r.text().await.unwrap();
        let p: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(p["code"], "camera_address_refused", "{source}: {p}");
        assert!(!text.contains(&port.to_string()), "the refusal does not echo the source: {text}");
    }
}
on_both_stores!(the_proxy_refuses_internal_addresses_however_written);

async fn redirects_are_not_followed(backend: Backend) {
    let sim = camsim().await;
    let target = format!("{}cam/1/snapshot.jpg", sim.base_url());
    // A "camera" that redirects to a good image: following it would answer 200.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let redirector = axum::Router::new().fallback(move || {
        let target = target.clone();
        async move { Redirect::temporary(&target) }
    });
    let server = tokio::spawn(async move { axum::serve(listener, redirector).await.unwrap() });
    let app = app_allowing_loopback(backend).await;
    create(&app, &camera("REDIR", "snapshot", &format!("http://{addr}/snap.jpg"))).await;
    let r = app.operator.get(app.url("/api/v1/cameras/REDIR/snapshot")).send().await.unwrap();
    assert_eq!(r.status(), 502);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["code"], "camera_unavailable");
    assert!(p["detail"].as_str().unwrap().contains("redirect"), "{p}");
    server.abort();
}
on_both_stores!(redirects_are_not_followed);
