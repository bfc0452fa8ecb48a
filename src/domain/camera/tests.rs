use chrono::Utc;
use geo::{Area as _, Contains, Point};

use super::*;

fn input() -> CameraInput {
    CameraInput {
        code: "DN-CAM-001".into(),
        name: "Cầu Rồng".into(),
        name_en: Some("Dragon Bridge".into()),
        location: Location { lon: 108.2272, lat: 16.0610 },
        heading: 90.0,
        fov: 60.0,
        range_m: None,
        kind: "mjpeg".into(),
        source: "http://cam.example.vn/cam/1/mjpeg".into(),
    }
}

fn fields(e: ValidationErrors) -> Vec<String> {
    e.0.into_iter().map(|f| f.field).collect()
}

#[test]
fn a_valid_camera_parses_with_defaults() {
    let spec = input().parse().unwrap();
    assert_eq!(spec.range_m, DEFAULT_RANGE_M);
    assert_eq!(spec.kind, CameraKind::Mjpeg);
    let cam = spec.into_camera(None, None, Utc::now());
    assert_eq!((cam.status, cam.version), (CameraStatus::Unknown, 1));
}

#[test]
fn every_bad_field_is_named() {
    let bad = CameraInput {
        code: "has space".into(),
        name: " ".into(),
        location: Location { lon: 200.0, lat: 16.0 },
        heading: -1.0,
        fov: 0.0,
        range_m: Some(5000.0),
        kind: "rtsp".into(),
        source: "rtsp://cam/1".into(),
        ..input()
    };
    assert_eq!(
        fields(bad.parse().unwrap_err()),
        ["code", "name", "location.lon", "heading", "fov", "range_m", "kind", "source"]
    );
    assert_eq!(fields(CameraInput { code: "..".into(), ..input() }.parse().unwrap_err()), ["code"]);
}

#[test]
fn only_http_and_https_sources_parse() {
    for bad in [
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "ftp://cam/x",
        "javascript:alert(1)",
        "cam/1",
        "http://",
    ] {
        assert!(SourceUrl::parse(bad, "source").is_err(), "{bad} must be refused");
    }
    let ok = SourceUrl::parse("https://user:secret@cam.example.vn:8443/live.m3u8#x", "source").unwrap();
    assert_eq!(ok.as_str(), "https://user:secret@cam.example.vn:8443/live.m3u8");
    assert!(!format!("{ok:?}").contains("secret"), "Debug hides credentials and path");
}

#[test]
fn numeric_hosts_are_seen_as_addresses() {
    let ip = |s: &str| SourceUrl::parse(s, "source").unwrap().literal_ip().map(|a| a.to_string());
    assert_eq!(ip("http://2130706433/x").as_deref(), Some("127.0.0.1"));
    assert_eq!(ip("http://0x7f.1/x").as_deref(), Some("127.0.0.1"));
    assert_eq!(ip("http://[::ffff:169.254.169.254]/").as_deref(), Some("::ffff:169.254.169.254"));
    assert_eq!(ip("http://cam.example.vn/"), None);
}

#[test]
fn an_edit_keeping_the_source_keeps_the_status() {
    let mut old = input().parse().unwrap().into_camera(None, None, Utc::now());
    old.status = CameraStatus::Online;
    let renamed = CameraInput { name: "Cầu Rồng (mới)".into(), ..input() }.parse().unwrap();
    let cam = renamed.into_camera(Some(&old), None, Utc::now());
    assert_eq!((cam.status, cam.version), (CameraStatus::Online, 2));
    let moved = CameraInput { source: "http://cam.example.vn/cam/2/mjpeg".into(), ..input() }.parse().unwrap();
    assert_eq!(moved.into_camera(Some(&old), None, Utc::now()).status, CameraStatus::Unknown);
}

#[test]
fn the_cone_points_where_the_camera_looks() {
    let at = Location { lon: 108.2272, lat: 16.0610 };
    let east = fov_cone(at, 90.0, 60.0, 100.0, 16);
    let ahead = Point::new(at.lon + 0.0005, at.lat); // ~53 m east
    let behind = Point::new(at.lon - 0.0005, at.lat);
    assert!(east.contains(&ahead) && !east.contains(&behind));
    // Area of a 60° sector of radius 100 m ≈ π·100²/6 m²; compare in degrees² via the scale.
    let m_per_deg = EARTH_RADIUS_M.to_radians();
    let area_m2 = east.unsigned_area() * m_per_deg * m_per_deg * at.lat.to_radians().cos();
    let expected = std::f64::consts::PI * 100.0 * 100.0 / 6.0;
    assert!((area_m2 - expected).abs() / expected < 0.01, "{area_m2} vs {expected}");
    let circle = fov_cone(at, 0.0, 360.0, 100.0, 32);
    assert!(circle.contains(&ahead) && circle.contains(&behind));
}

use crate::domain::location::EARTH_RADIUS_M;
