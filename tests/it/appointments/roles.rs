//! Each route of the offices × each role, the office's clerk and a clerk of another office
//! included (the main role × route table of `tests/it/api/roles.rs` has no clerk column).

use reqwest::{Client, Method};
use serde_json::{Value, json};

use super::{ALL_DAY, app, clerk, tomorrow};
use crate::harness::Backend;
use crate::on_both_stores;

const WHO: [&str; 9] =
    ["public", "admin", "operator", "leader", "agency", "open311", "analyst", "clerk", "other clerk"];
const NOBODY: &str = "0190f5a4-7c2e-7000-8000-000000000000";

async fn every_office_route_answers_each_role_as_declared(backend: Backend) {
    let app = app(backend).await;
    let mine = clerk(&app, "t.clerk", ALL_DAY).await;
    let other = clerk(&app, "t.clerk2", "DN-HCC").await;
    let day = tomorrow();
    let o = ALL_DAY;
    let rows: Vec<(Method, String, Option<Value>, [u16; 9])> = vec![
        (Method::GET, "/api/v1/public/offices".into(), None, [200; 9]),
        (Method::GET, format!("/api/v1/public/offices/{o}/slots?service=ho-tich&day={day}"), None, [200; 9]),
        (Method::GET, format!("/api/v1/public/offices/{o}/display"), None, [200; 9]),
        // A booking without a name: the public and the centre are told what is missing.
        (
            Method::POST,
            "/api/v1/public/bookings".into(),
            Some(json!({"office": o, "service": "ho-tich", "starts_at": "2026-12-07T08:00:00Z"})),
            [422, 422, 422, 403, 403, 403, 403, 403, 403],
        ),
        (Method::GET, "/api/v1/public/bookings/LH-AAAAAA?token=x".into(), None, [404; 9]),
        (
            Method::POST,
            "/api/v1/public/bookings/LH-AAAAAA/reschedule".into(),
            Some(json!({"token": "x", "starts_at": "2026-12-07T08:00:00Z"})),
            [404; 9],
        ),
        (Method::POST, "/api/v1/public/bookings/LH-AAAAAA/cancel".into(), Some(json!({"token": "x"})), [404; 9]),
        (Method::POST, format!("/api/v1/public/offices/{o}/queue"), Some(json!({"service": "no-such"})), [422; 9]),
        (Method::GET, format!("/api/v1/public/queue/{NOBODY}?token=x"), None, [404; 9]),
        (
            Method::POST,
            "/api/v1/public/visits/survey".into(),
            Some(
                json!({"code": "LH-AAAAAA", "token": "x", "scores": {"access": 9, "procedure": 5, "staff": 5, "timeliness": 5, "overall": 5}}),
            ),
            [422; 9],
        ),
        (Method::GET, "/api/v1/offices".into(), None, [401, 200, 200, 200, 403, 403, 200, 200, 200]),
        (Method::PUT, format!("/api/v1/offices/{o}"), Some(json!({})), [401, 422, 403, 403, 403, 403, 403, 403, 403]),
        (
            Method::POST,
            format!("/api/v1/offices/{o}/closures"),
            Some(json!({})),
            [401, 422, 403, 403, 403, 403, 403, 403, 403],
        ),
        (Method::GET, format!("/api/v1/offices/{o}/bookings"), None, [401, 200, 200, 403, 403, 403, 403, 200, 403]),
        (Method::GET, format!("/api/v1/offices/{o}/queue"), None, [401, 200, 403, 403, 403, 403, 403, 200, 403]),
        (
            Method::POST,
            format!("/api/v1/offices/{o}/checkin"),
            Some(json!({"code": "nope"})),
            [401, 422, 403, 403, 403, 403, 403, 422, 403],
        ),
        (
            Method::POST,
            format!("/api/v1/offices/{o}/counters/1/next"),
            None,
            [401, 204, 403, 403, 403, 403, 403, 204, 403],
        ),
        (
            Method::POST,
            format!("/api/v1/offices/{o}/queue/{NOBODY}/finish"),
            Some(json!({"outcome": "served"})),
            [401, 409, 403, 403, 403, 403, 403, 409, 403],
        ),
        (
            Method::POST,
            "/api/v1/bookings".into(),
            Some(json!({"office": o, "service": "ho-tich", "starts_at": "2026-12-07T08:00:00Z"})),
            [401, 422, 422, 403, 403, 403, 403, 403, 403],
        ),
        (Method::GET, "/api/v1/stats/appointments".into(), None, [401, 200, 200, 200, 403, 403, 200, 403, 403]),
    ];
    let clients: [&Client; 9] =
        [&app.public, &app.admin, &app.operator, &app.leader, &app.agency, &app.open311, &app.analyst, &mine, &other];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &rows {
        for (i, c) in clients.iter().enumerate() {
            let mut req = c.request(method.clone(), app.url(path));
            if let Some(b) = body {
                req = req.json(b);
            }
            let got = req.send().await.unwrap().status().as_u16();
            if got != expected[i] {
                failures.push(format!("{method} {path} as {}: expected {}, got {got}", WHO[i], expected[i]));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

on_both_stores!(every_office_route_answers_each_role_as_declared);
