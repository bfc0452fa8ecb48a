//! Password guessing is slowed down: the review's 200 wrong passwords in 5.5 s all got a 401
//! and hashed each one. Past five failures for one account from one address, a sign-in waits
//! (429 with `Retry-After`, before any hashing), even with the right password; other accounts
//! and the user's own known address are not held up, and failures are counted.

use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::harness::{PASSWORD, TestApp, problem};
use crate::on_both_stores;

async fn sign_in(app: &TestApp, name: &str, password: &str) -> reqwest::Response {
    Client::new()
        .post(app.url("/api/v1/session"))
        .json(&json!({"name": name, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn failed_sign_ins_are_throttled_per_account_and_address(app: TestApp) {
    let throttle = &app.services.accounts.throttle;
    let before = throttle.failures.get();
    for i in 0..5 {
        let r = sign_in(&app, "t.leader", &format!("guess number {i}")).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    assert_eq!(throttle.failures.get(), before + 5);
    for password in ["guess number 6", PASSWORD] {
        let r = sign_in(&app, "t.leader", password).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{password}");
        let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=900).contains(&wait), "{wait}");
        assert_eq!(problem(r).await["code"], "rate_limited");
    }
    assert_eq!(throttle.failures.get(), before + 5, "a refused attempt is not even checked");
    assert!(throttle.refused.get() >= 2);
    // Another account from the same address still signs in.
    assert_eq!(sign_in(&app, "t.operator", PASSWORD).await.status(), StatusCode::OK);
    // After the wait, the right password works again.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(sign_in(&app, "t.leader", PASSWORD).await.status(), StatusCode::OK);
}
on_both_stores!(failed_sign_ins_are_throttled_per_account_and_address);
