//! `POST /api/v1/tickets/batch`: the centre files many tickets at once, all or none; every item
//! has its own idempotency key, so a retried batch files nothing twice.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, fields, problem};
use crate::on_both_stores;

fn batch(app: &TestApp, keys: &[&str]) -> Value {
    let items: Vec<Value> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let district = if i % 2 == 0 { app.hai_chau.clone() } else { app.son_tra.clone() };
            json!({"idempotency_key": k, "ticket": app.ticket_body(&district, &format!("Báo Đà Nẵng, mục {i}"))})
        })
        .collect();
    json!({ "tickets": items })
}

async fn post(app: &TestApp, body: &Value) -> reqwest::Response {
    app.operator.post(app.url("/api/v1/tickets/batch")).json(body).send().await.unwrap()
}

async fn listed(app: &TestApp) -> usize {
    app.get_json(&app.operator, "/api/v1/tickets").await["items"].as_array().unwrap().len()
}

async fn a_batch_files_every_ticket_and_a_retry_files_none_twice(app: TestApp) {
    let body = batch(&app, &["bao-1", "bao-2", "bao-3"]);
    let r = post(&app, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let first: Value = r.json().await.unwrap();
    let filed = first["tickets"].as_array().unwrap();
    assert_eq!(filed.len(), 3);
    for (i, t) in filed.iter().enumerate() {
        assert_eq!(t["replayed"], false);
        assert_eq!(t["status"], "received");
        assert_eq!(t["channel"], "hotline", "staff file on the hotline unless they say otherwise");
        assert!(t["area"].is_string(), "item {i} was placed in its ward: {t}");
        assert!(t["deadline"].is_string());
        assert!(t["tracking_token"].as_str().is_some_and(|s| !s.is_empty()));
        assert_eq!(t["reporter"]["name"], "Nguyễn Văn An", "the centre sees the contact it filed");
        assert_eq!(t["description"], format!("Báo Đà Nẵng, mục {i}"), "in the order of the items");
        // Filed like a single ticket: its event is there, and the listing (the index) has it.
        let events =
            app.get_json(&app.operator, &format!("/api/v1/tickets/{}/events", t["id"].as_str().unwrap())).await;
        assert_eq!(events[0]["kind"], "created");
        assert_eq!(events[0]["actor"], "user:t.operator");
    }
    assert_eq!(listed(&app).await, 3, "the answer came once the index had them");

    // The same batch again: the same tickets, nothing new.
    let r = post(&app, &body).await;
    assert_eq!(r.status(), StatusCode::OK);
    let again: Value = r.json().await.unwrap();
    for (a, b) in again["tickets"].as_array().unwrap().iter().zip(filed) {
        assert_eq!(a["id"], b["id"]);
        assert_eq!(a["replayed"], true);
    }
    assert_eq!(listed(&app).await, 3);

    // A batch that repeats one item and brings a new one files the new one only.
    let mut mixed = batch(&app, &["bao-1", "bao-4"]);
    mixed["tickets"][0] = body["tickets"][0].clone();
    let r = post(&app, &mixed).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let mixed: Value = r.json().await.unwrap();
    assert_eq!(mixed["tickets"][0]["id"], filed[0]["id"]);
    assert_eq!(mixed["tickets"][0]["replayed"], true);
    assert_eq!(mixed["tickets"][1]["replayed"], false);
    assert_eq!(listed(&app).await, 4);
}

async fn one_bad_item_files_nothing_and_the_error_names_it(app: TestApp) {
    let mut body = batch(&app, &["a", "b", "c"]);
    body["tickets"][1]["ticket"]["location"] = json!({"lon": 200.0, "lat": 16.0});
    body["tickets"][2]["ticket"]["description"] = json!("  ");
    let r = post(&app, &body).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let names = fields(&problem(r).await);
    assert!(names.iter().any(|f| f.starts_with("tickets[1].ticket.location")), "{names:?}");
    assert!(names.contains(&"tickets[2].ticket.description".to_owned()), "{names:?}");
    assert!(!names.iter().any(|f| f.starts_with("tickets[0]")), "{names:?}");
    assert_eq!(listed(&app).await, 0, "nothing of the batch was filed");

    // A key twice in one batch.
    let r = post(&app, &batch(&app, &["same", "same"])).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), ["tickets[1].idempotency_key"]);
    // A key bad as a header would be.
    let r = post(&app, &batch(&app, &["ok", "with space"])).await;
    assert_eq!(fields(&problem(r).await), ["tickets[1].idempotency_key"]);
    // Empty, and too many.
    let r = post(&app, &json!({"tickets": []})).await;
    assert_eq!(fields(&problem(r).await), ["tickets"]);
    let keys: Vec<String> = (0..101).map(|i| format!("k{i}")).collect();
    let r = post(&app, &batch(&app, &keys.iter().map(String::as_str).collect::<Vec<_>>())).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), ["tickets"]);
    // A field the item does not have: the JSON parser names it.
    let mut unknown = batch(&app, &["u"]);
    unknown["tickets"][0]["ticket"]["colour"] = json!("red");
    let r = post(&app, &unknown).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(listed(&app).await, 0);

    // A key filed before with another ticket: refused, naming the item, nothing filed.
    assert_eq!(post(&app, &batch(&app, &["used"])).await.status(), StatusCode::CREATED);
    let mut reuse = batch(&app, &["fresh", "used"]);
    reuse["tickets"][1]["ticket"]["description"] = json!("Một việc khác");
    let r = post(&app, &reuse).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), ["tickets[1].idempotency_key"]);
    assert_eq!(listed(&app).await, 1);
}

async fn a_batch_over_the_body_limit_is_refused_before_it_is_read(app: TestApp) {
    // A megabyte of description, over the batch's 1 MiB limit.
    let mut body = batch(&app, &["big"]);
    body["tickets"][0]["ticket"]["description"] = json!("x".repeat(1 << 20));
    let r = post(&app, &body).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A batch above the ordinary 64 KiB limit but within its own is read.
    let keys: Vec<String> = (0..40).map(|i| format!("long{i}")).collect();
    let mut body = batch(&app, &keys.iter().map(String::as_str).collect::<Vec<_>>());
    for t in body["tickets"].as_array_mut().unwrap() {
        t["ticket"]["description"] = json!("Đường ngập. ".repeat(200));
    }
    assert!(serde_json::to_vec(&body).unwrap().len() > 64 * 1024);
    assert_eq!(post(&app, &body).await.status(), StatusCode::CREATED);
}

/// Batches and single filings sent at once are written together (one store filing for what
/// queued), yet each stays its own: a batch with a refused key files nothing and names its
/// item, every other batch and ticket is filed, each batch in the order of its items.
async fn batches_and_tickets_filed_at_once_are_each_all_or_none(app: TestApp) {
    assert_eq!(post(&app, &batch(&app, &["taken"])).await.status(), StatusCode::CREATED);
    let mut bad = batch(&app, &["bad-0", "bad-1", "bad-2", "taken", "bad-4"]);
    bad["tickets"][3]["ticket"]["description"] = json!("Một việc khác");
    let batches: Vec<Value> = (0..6)
        .map(|b| {
            let keys: Vec<String> = (0..10).map(|i| format!("together-{b}-{i}")).collect();
            batch(&app, &keys.iter().map(String::as_str).collect::<Vec<_>>())
        })
        .collect();
    let sent_batches = futures_util::future::join_all(batches.iter().map(|b| post(&app, b)));
    let singles = futures_util::future::join_all((0..20).map(|i| {
        let body = app.ticket_body(&app.hai_chau, &format!("Gọi đến số {i}"));
        app.operator
            .post(app.url("/api/v1/tickets"))
            .header("Idempotency-Key", format!("single-{i}"))
            .json(&body)
            .send()
    }));
    let (batch_answers, refused, single_answers) = tokio::join!(sent_batches, post(&app, &bad), singles);

    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(refused).await), ["tickets[3].idempotency_key"]);
    for (b, r) in batch_answers.into_iter().enumerate() {
        assert_eq!(r.status(), StatusCode::CREATED, "batch {b}");
        let filed: Value = r.json().await.unwrap();
        let descriptions: Vec<&str> =
            filed["tickets"].as_array().unwrap().iter().map(|t| t["description"].as_str().unwrap()).collect();
        let expected: Vec<String> = (0..10).map(|i| format!("Báo Đà Nẵng, mục {i}")).collect();
        assert_eq!(descriptions, expected, "batch {b}: its own tickets, in the order of its items");
    }
    for (i, r) in single_answers.into_iter().enumerate() {
        let r = r.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "single {i}");
        let t: Value = r.json().await.unwrap();
        assert_eq!(t["description"], format!("Gọi đến số {i}"));
    }
    let all = app.get_json(&app.operator, "/api/v1/tickets?limit=500").await;
    let items = all["items"].as_array().unwrap();
    assert_eq!(items.len(), 1 + 6 * 10 + 20, "every ticket filed once, none of the refused batch");
    let codes: std::collections::HashSet<&str> = items.iter().map(|t| t["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), items.len(), "every ticket has a code of its own");
}

on_both_stores!(
    batches_and_tickets_filed_at_once_are_each_all_or_none,
    a_batch_files_every_ticket_and_a_retry_files_none_twice,
    one_bad_item_files_nothing_and_the_error_names_it,
    a_batch_over_the_body_limit_is_refused_before_it_is_read,
);
