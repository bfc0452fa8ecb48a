//! `switchboard bench live` against an in-process server: every event reaches every client,
//! in order, with no gaps, whether the tool signs in as a user or with an API key.

use std::time::Duration;

use crate::harness::{Backend, PASSWORD, TestApp, spawn_app};
use crate::on_both_stores;
use switchboard::bench::live::{Credentials, LiveBench, LiveReport};

fn bench(app: &TestApp, credentials: Credentials) -> LiveBench {
    LiveBench {
        url: app.base.clone(),
        credentials,
        clients: 6,
        rate: 20.0,
        duration: Duration::from_millis(400),
        warmup: Duration::from_millis(100),
        connect_concurrency: 4,
        drain_timeout: Duration::from_secs(60),
        idle_viewers: true,
    }
}

fn assert_every_event_reached_every_client(r: &LiveReport) {
    assert_eq!(r.clients.connected, 6, "{r}");
    assert!(r.clients.failures.is_empty() && r.clients.closes.is_empty(), "{r}");
    assert_eq!(r.tickets.created, 8, "20 tickets/s for 0.4 s: {r}");
    assert!(r.tickets.failures.is_empty(), "{r}");
    let d = &r.deliveries;
    assert!(d.drained, "{r}");
    assert!(d.events >= 8, "every created ticket was published: {r}");
    assert_eq!(d.expected, d.events * 6, "{r}");
    assert_eq!(d.delivered, d.expected, "{r}");
    assert_eq!((d.missing_open, d.missing_closed, d.out_of_order), (0, 0, 0), "{r}");
    assert_eq!(d.latency.count, d.delivered, "one latency sample per delivery: {r}");
    assert!(r.is_clean(), "{r}");
}

async fn a_signed_in_operator_sees_every_event_on_every_client(app: TestApp) {
    let credentials = Credentials::User { name: "t.operator".into(), password: PASSWORD.into() };
    let report = switchboard::bench::live::run(&bench(&app, credentials)).await.expect("bench");
    assert_every_event_reached_every_client(&report);
}
on_both_stores!(a_signed_in_operator_sees_every_event_on_every_client);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_api_key_works_too() {
    let app = spawn_app(Backend::Sqlite).await;
    let (_, key) = app.services.accounts.create_api_key("bench", "operator").await.expect("key");
    let report = switchboard::bench::live::run(&bench(&app, Credentials::ApiKey(key))).await.expect("bench");
    assert_every_event_reached_every_client(&report);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_refused_before_any_client_connects() {
    let app = spawn_app(Backend::Sqlite).await;
    let credentials = Credentials::User { name: "t.operator".into(), password: "wrong password".into() };
    let err = switchboard::bench::live::run(&bench(&app, credentials)).await.unwrap_err();
    assert!(err.to_string().contains("signing in as t.operator failed"), "{err:#}");
}
