//! `/metrics` as Prometheus scrapes it: requests counted under their route's pattern (never the
//! raw path), refused sign-ins, open live sessions and the fan-out, the store's pool, the event
//! lag and the notifier's queue — each moving when the thing it counts happens.

use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::harness::ws::{connect, subscribe};
use crate::harness::{TestApp, problem};
use crate::on_both_stores;

async fn scrape(app: &TestApp) -> String {
    let r = app.admin.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("application/openmetrics-text"), "{ct}");
    let text = r.text().await.unwrap();
    assert!(text.trim_end().ends_with("# EOF"), "an OpenMetrics exposition ends with # EOF");
    text
}

/// The value of the sample whose name and labels are exactly `series`, if present.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.split(' ').next()?.parse().ok())
}

fn get(text: &str, series: &str) -> f64 {
    value(text, series).unwrap_or_else(|| panic!("no {series} in\n{text}"))
}

async fn metrics_follow_requests_sessions_and_the_store(app: TestApp) {
    let created = r#"switchboard_http_requests_total{method="POST",route="/api/v1/tickets",status="201"}"#;
    let before = scrape(&app).await;
    assert_eq!(get(&before, "switchboard_store_up"), 1.0);
    assert!(get(&before, "switchboard_db_pool_max_connections") >= 1.0);
    let filed_before = value(&before, created).unwrap_or(0.0);

    // Two reports, a request for an unknown ticket, a path no route has.
    for i in 0..2 {
        app.file(&app.hai_chau, &format!("Đo đếm {i}")).await;
    }
    let unknown = "/api/v1/tickets/0190f5a4-7c2e-7000-8000-00000000dead";
    assert_eq!(app.operator.get(app.url(unknown)).send().await.unwrap().status(), 404);
    assert_eq!(app.public.get(app.url("/khong-co/12345")).send().await.unwrap().status(), 404);
    // A wrong password, counted as a failure.
    let r = Client::new()
        .post(app.url("/api/v1/session"))
        .json(&json!({"name": "t.leader", "password": "not the password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let after = scrape(&app).await;
    assert_eq!(get(&after, created), filed_before + 2.0);
    assert!(
        get(&after, r#"switchboard_http_requests_total{method="GET",route="/api/v1/tickets/{id}",status="404"}"#)
            >= 1.0
    );
    assert!(get(&after, r#"switchboard_http_requests_total{method="GET",route="unmatched",status="404"}"#) >= 1.0);
    assert!(!after.contains("0190f5a4") && !after.contains("12345"), "raw paths never become labels");
    assert!(
        get(&after, r#"switchboard_http_request_duration_seconds_count{method="POST",route="/api/v1/tickets"}"#) >= 2.0
    );
    assert!(get(&after, "switchboard_login_failures_total") >= 1.0);
    // The writer waited for its event to be applied: nothing committed is left unapplied.
    assert_eq!(get(&after, "switchboard_event_lag"), 0.0);
    assert_eq!(get(&after, "switchboard_events_applied_seq"), get(&after, "switchboard_events_committed_seq"));
    assert!(get(&after, "switchboard_events_committed_seq") >= 2.0);
    assert!(get(&after, "switchboard_tickets_indexed") >= 2.0);
    assert!(value(&after, r#"switchboard_notifications{state="queued"}"#).is_some());
    assert!(value(&after, r#"switchboard_db_pool_connections{state="busy"}"#).is_some());

    // A live session is counted while it is open, and its subscription in the fan-out.
    let (mut ws, _) = connect(&app.base, "t.operator").await;
    subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets"]})).await;
    let open = scrape(&app).await;
    assert_eq!(get(&open, "switchboard_live_sessions"), 1.0);
    assert!(get(&open, "switchboard_live_fanout_subscribers") >= 1.0);
    drop(ws);
    let mut closed = open;
    for _ in 0..50 {
        if get(&closed, "switchboard_live_sessions") == 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        closed = scrape(&app).await;
    }
    assert_eq!(get(&closed, "switchboard_live_sessions"), 0.0, "a closed session is no longer counted");
}

/// An administrator or a read-only analyst key (what Prometheus is given); nobody else.
async fn only_admins_and_monitoring_keys_scrape_metrics(app: TestApp) {
    let r = app.public.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(problem(r).await["status"], 401);
    for who in [&app.operator, &app.leader, &app.agency, &app.open311] {
        assert_eq!(who.get(app.url("/metrics")).send().await.unwrap().status(), 403);
    }
    assert_eq!(app.analyst.get(app.url("/metrics")).send().await.unwrap().status(), 200);
}

/// The id in the access log comes back to the client, the proxy's own if it sent one.
async fn every_answer_carries_its_request_id(app: TestApp) {
    let r = app.public.get(app.url("/api/v1/areas")).send().await.unwrap();
    let made = r.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(uuid::Uuid::parse_str(made).unwrap().get_version_num(), 7, "{made}");
    let r = app.public.get(app.url("/khong-co")).header("x-request-id", "proxy-42").send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["x-request-id"], "proxy-42");
}

on_both_stores!(
    metrics_follow_requests_sessions_and_the_store,
    only_admins_and_monitoring_keys_scrape_metrics,
    every_answer_carries_its_request_id
);
