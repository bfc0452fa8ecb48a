use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::{TestApp, problem};
use crate::on_both_stores;

async fn a_retry_with_the_same_key_returns_the_same_ticket(app: TestApp) {
    let body = app.ticket_body(&app.hai_chau.clone(), "Ngập nước sau mưa");
    let send = || app.public.post(app.url("/api/v1/tickets")).header("Idempotency-Key", "call-7f3a").json(&body).send();
    let first = send().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    let again = send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["code"], first["code"]);
    assert_ne!(again["tracking_token"], first["tracking_token"], "the replay carries a fresh token");
    let page = app.get_json(&app.operator, "/api/v1/tickets").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "never a second ticket");

    // The same key with another body is refused, and files nothing.
    let mut other = body.clone();
    other["description"] = "Khác".into();
    let r = app
        .public
        .post(app.url("/api/v1/tickets"))
        .header("Idempotency-Key", "call-7f3a")
        .json(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(r).await["code"], "idempotency_key_reused");
    let page = app.get_json(&app.operator, "/api/v1/tickets").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
}
on_both_stores!(a_retry_with_the_same_key_returns_the_same_ticket);

async fn concurrent_retries_with_one_key_make_one_ticket(app: TestApp) {
    let body = app.ticket_body(&app.son_tra.clone(), "Cây đổ chắn đường");
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let (c, url, body) = (app.public.clone(), app.url("/api/v1/tickets"), body.clone());
        tasks.push(tokio::spawn(async move {
            let r = c.post(url).header("Idempotency-Key", "burst-1").json(&body).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::CREATED);
            r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let page = app.get_json(&app.operator, "/api/v1/tickets").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
}
on_both_stores!(concurrent_retries_with_one_key_make_one_ticket);
