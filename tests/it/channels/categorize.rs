//! Automatic categories (issue 14): chat/SMS and Open311 reports under `other` take the
//! suggester's best category when it is confident, and stay in triage otherwise, with a note on
//! the `created` event either way; `POST /api/v1/categories/suggest` answers the top three,
//! refuses a text too long naming `text`, and is limited per address.

use reqwest::StatusCode;
use serde_json::{Value, json};
use switchboard::http::limits::Rate;

use super::support::*;
use crate::harness::{Backend, TestApp, problem, spawn_app_with};
use crate::on_both_stores;

async fn filed(app: &TestApp, id: &str, text: &str) -> (Value, Value) {
    let r = sms(app, id, "+84905123456", text).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let res = r.json::<Value>().await.unwrap()["results"].clone();
    assert_eq!(res[0]["outcome"], "filed", "{res}");
    let code = res[0]["ticket"].as_str().unwrap().to_owned();
    let t = app.get_json(&app.operator, &format!("/api/v1/tickets/{code}")).await;
    let events = app.get_json(&app.operator, &format!("/api/v1/tickets/{code}/events")).await;
    (t, events)
}

async fn an_sms_about_garbage_lands_under_garbage_and_an_unclear_one_stays_in_triage((app, _sink): (TestApp, Sink)) {
    let (t, events) =
        filed(&app, "c-1", "nha e o kiet 45 ong ich khiem rac ko ai thu gom 3 ngay roi, gan Chợ Cồn").await;
    assert_eq!(t["category"], "garbage-uncollected", "{t}");
    let note = events[0]["note"].as_str().unwrap_or_default();
    assert!(note.contains("gợi ý tự động") && note.contains("garbage-uncollected"), "{events}");
    assert!(!events.to_string().contains("0905123456"), "no phone number in events");

    let (t, events) = filed(&app, "c-2", "alo alo, cho hỏi chút, Chợ Cồn").await;
    assert_eq!(t["category"], "other", "{t}");
    let note = events[0]["note"].as_str().unwrap_or_default();
    assert!(note.starts_with("Cần phân loại"), "{events}");
}
on_both_stores!(an_sms_about_garbage_lands_under_garbage_and_an_unclear_one_stays_in_triage);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_threshold_at_one_every_message_stays_in_triage() {
    let (app, _sink) = spawn(Backend::Sqlite, |s| s.categorizer.threshold = 1.0).await;
    let (t, _) = filed(&app, "c-3", "rac ko ai thu gom 3 ngay roi, gan Chợ Cồn").await;
    assert_eq!(t["category"], "other");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_model_file_naming_a_category_the_city_lacks_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.json");
    let mut model: Value = serde_json::from_slice(switchboard::classify::SHIPPED).unwrap();
    model["categories"][0] = json!("no-such-category");
    std::fs::write(&path, serde_json::to_vec(&model).unwrap()).unwrap();
    let mut s = switchboard::app::Settings {
        database_url: Some(format!("sqlite:{}", dir.path().join("db.sqlite").display())),
        listen: "127.0.0.1:0".parse().unwrap(),
        media_dir: dir.path().join("media"),
        ..Default::default()
    };
    s.categorizer.model = Some(path);
    let store = switchboard::store::open(s.database_url.as_deref()).await.unwrap();
    switchboard::demo::seed::seed(store.as_ref(), &s.city(), 0, 1).await.unwrap();
    let err = switchboard::app::Application::build(s).await.err().expect("refused");
    assert!(format!("{err:#}").contains("no-such-category"), "{err:#}");
}

async fn the_suggest_route_answers_three_named_categories_and_refuses_a_long_text(app: TestApp) {
    let r = app
        .public
        .post(app.url("/api/v1/categories/suggest"))
        .json(&json!({"text": "Đèn đường trong kiệt tắt cả tuần, tối om"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    let s = body["suggestions"].as_array().unwrap();
    assert_eq!(s.len(), 3, "{body}");
    assert_eq!(s[0]["code"], "street-light-broken", "{body}");
    assert_eq!(s[0]["name_vi"], "Đèn chiếu sáng công cộng hư hỏng");
    assert_eq!(s[0]["field"], "infrastructure");
    assert!(s[0]["confidence"].as_f64().unwrap() >= s[1]["confidence"].as_f64().unwrap());

    let r = app.public.post(app.url("/api/v1/categories/suggest")).json(&json!({"text": "  "})).send().await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["suggestions"], json!([]));

    let long = "rác ".repeat(501);
    let r = app.public.post(app.url("/api/v1/categories/suggest")).json(&json!({"text": long})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem(r).await.to_string().contains("\"text\""));
}
on_both_stores!(the_suggest_route_answers_three_named_categories_and_refuses_a_long_text);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_from_one_address_are_limited_and_a_cross_site_post_is_refused() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.limits.suggest = Rate { burst: 2, per_hour: 60 }).await;
    let ask = || app.public.post(app.url("/api/v1/categories/suggest")).json(&json!({"text": "ổ gà"})).send();
    assert_eq!(ask().await.unwrap().status(), StatusCode::OK);
    assert_eq!(ask().await.unwrap().status(), StatusCode::OK);
    let r = ask().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    // Staff are not limited.
    let r =
        app.operator.post(app.url("/api/v1/categories/suggest")).json(&json!({"text": "ổ gà"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // A signed-in browser's POST from another site is refused by the guard.
    let r = app
        .operator
        .post(app.url("/api/v1/categories/suggest"))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"text": "ổ gà"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn an_open311_request_under_other_takes_the_suggested_category_or_stays_in_triage(app: TestApp) {
    use crate::open311::support::{api_key, hai_chau, post};
    let key = api_key(&app, "portal-311").await;
    let (lat, long) = hai_chau(&app);
    let file = |text: &'static str| {
        let (key, lat, long) = (key.clone(), lat.clone(), long.clone());
        let app = &app;
        async move {
            let fields = [
                ("api_key", key.as_str()),
                ("service_code", "other"),
                ("lat", lat.as_str()),
                ("long", long.as_str()),
                ("description", text),
            ];
            let r = post(app, "json", &fields).await;
            assert_eq!(r.status(), 201);
            let body: Value = r.json().await.unwrap();
            let id = body[0]["service_request_id"].as_str().unwrap().to_owned();
            let t = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}")).await;
            let events = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}/events")).await;
            (t["category"].as_str().unwrap().to_owned(), events[0]["note"].as_str().unwrap_or_default().to_owned())
        }
    };
    let (category, note) = file("Đèn đường trong kiệt tắt cả tuần nay, tối om, đèn chiếu sáng hư").await;
    assert_eq!(category, "street-light-broken", "{note}");
    assert!(note.contains("gợi ý tự động"), "{note}");
    let (category, note) = file("alo alo").await;
    assert_eq!(category, "other");
    assert!(note.starts_with("Cần phân loại"), "{note}");
}
on_both_stores!(an_open311_request_under_other_takes_the_suggested_category_or_stays_in_triage);
