//! Abuse limits: 429 with Retry-After for a flood from one address, a phone number or a
//! webhook sender; other addresses unaffected; X-Forwarded-For only behind a trusted proxy.

use std::net::IpAddr;

use reqwest::{Client, StatusCode};
use switchboard::http::limits::Rate;

use super::support::*;
use crate::harness::{Backend, TestApp, problem, spawn_app_with};

/// A client whose connections come from `ip` (any 127.0.0.0/8 address is local).
fn from(ip: &str) -> Client {
    Client::builder().local_address(ip.parse::<IpAddr>().unwrap()).build().unwrap()
}

async fn report(app: &TestApp, c: &Client, phone: &str, xff: Option<&str>) -> reqwest::Response {
    let mut body = app.ticket_body(&app.hai_chau.clone(), "Ổ gà lớn giữa đường");
    body["reporter"]["phone"] = phone.into();
    let mut r = c.post(app.url("/api/v1/tickets")).json(&body);
    if let Some(x) = xff {
        r = r.header("x-forwarded-for", x);
    }
    r.send().await.unwrap()
}

async fn assert_limited(r: reqwest::Response) -> u64 {
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry), "Retry-After {retry}");
    let p = problem(r).await;
    assert_eq!(p["code"], "rate_limited");
    assert!(p["detail"].as_str().unwrap().contains(&format!("try again in {retry} s")), "{p}");
    retry
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_from_one_address_gets_429_and_other_addresses_and_staff_go_on() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.limits.ip = Rate { burst: 3, per_hour: 60 };
        s.limits.phone = Rate { burst: 100, per_hour: 100 };
    })
    .await;
    let flood = from("127.0.0.2");
    for i in 0..3 {
        assert_eq!(report(&app, &flood, &format!("09050000{i:02}"), None).await.status(), StatusCode::CREATED);
    }
    let retry = assert_limited(report(&app, &flood, "0905000099", None).await).await;
    assert!(retry > 50 && retry <= 60, "one more per minute: {retry}");
    // Refused before the body was read: even a bad body gets the 429, and nothing was filed.
    let r = flood.post(app.url("/api/v1/tickets")).json(&serde_json::json!({})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.store.all_tickets().await.unwrap().len(), 3);

    assert_eq!(report(&app, &from("127.0.0.3"), "0905000100", None).await.status(), StatusCode::CREATED);
    // A forged X-Forwarded-For does not help without a trusted proxy.
    assert_limited(report(&app, &flood, "0905000101", Some("203.0.113.50")).await).await;
    // Staff are not limited here.
    let r = app
        .operator
        .post(app.url("/api/v1/tickets"))
        .json(&app.ticket_body(&app.hai_chau.clone(), "Cuộc gọi"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_phone_number_from_many_addresses_is_limited_too() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.limits.phone = Rate { burst: 2, per_hour: 10 }).await;
    assert_eq!(report(&app, &from("127.0.0.11"), "+84 905 777 888", None).await.status(), StatusCode::CREATED);
    assert_eq!(report(&app, &from("127.0.0.12"), "0905777888", None).await.status(), StatusCode::CREATED);
    let retry = assert_limited(report(&app, &from("127.0.0.13"), "0905.777.888", None).await).await;
    assert!(retry > 300 && retry <= 360, "one more every 6 minutes: {retry}");
    assert_eq!(report(&app, &from("127.0.0.13"), "0905777999", None).await.status(), StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_the_forwarded_client_address_is_limited() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.limits.ip = Rate { burst: 2, per_hour: 60 };
        s.limits.phone = Rate { burst: 100, per_hour: 100 };
        s.limits.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let proxy = from("127.0.0.1");
    for i in 0..2 {
        let r = report(&app, &proxy, &format!("09051111{i:02}"), Some("198.51.100.7, 127.0.0.1")).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    assert_limited(report(&app, &proxy, "0905111199", Some("198.51.100.7")).await).await;
    // Another client behind the same proxy is unaffected; what a client prepends is ignored.
    let r = report(&app, &proxy, "0905111198", Some("198.51.100.7, 198.51.100.8")).await;
    assert_eq!(r.status(), StatusCode::CREATED, "the right-most untrusted hop is the client");
    // A direct client that is not the proxy cannot choose its address.
    let direct = from("127.0.0.21");
    for i in 0..2 {
        let r = report(&app, &direct, &format!("09052222{i:02}"), Some(&format!("203.0.113.{i}"))).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    assert_limited(report(&app, &direct, "0905222299", Some("203.0.113.77")).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_webhook_sender_gets_429_and_other_senders_are_filed() {
    let (app, _) = spawn(Backend::Sqlite, |s| s.limits.sender = Rate { burst: 2, per_hour: 30 }).await;
    for i in 0..2 {
        let r = sms(&app, &format!("fl-{i}"), "0905333444", "Rác ở Chợ Cồn").send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let retry = assert_limited(sms(&app, "fl-2", "0905333444", "Rác ở Chợ Cồn").send().await.unwrap()).await;
    assert!(retry > 100 && retry <= 120, "{retry}");
    let r = sms(&app, "other-1", "0905333555", "Rác ở Chợ Cồn").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.store.all_tickets().await.unwrap().len(), 3, "the refused message was not filed");
}
