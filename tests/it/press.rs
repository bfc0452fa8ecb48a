//! Press feedback through the server: the centre files an article's issue (channel `press`,
//! the article beside it), the public list shows it without personal data and, once resolved,
//! with its result, leaders' figures count it within their areas, and a bad article is refused
//! naming its fields.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, fields, problem};
use crate::on_both_stores;

fn article(app: &TestApp, district: &str, title: &str) -> Value {
    let mut ticket =
        app.ticket_body(district, "Theo phản ánh của bạn đọc, rác ùn ứ tại kiệt 45 nhiều ngày; liên hệ 0905123456");
    ticket.as_object_mut().unwrap().remove("reporter");
    json!({"newspaper": "Báo Đà Nẵng", "published_on": "2026-12-01", "url": "https://baodanang.vn/rac-un-u.html",
        "title": title, "ticket": ticket})
}

async fn file(app: &TestApp, who: &reqwest::Client, body: &Value) -> reqwest::Response {
    who.post(app.url("/api/v1/press")).json(body).send().await.unwrap()
}

async fn an_article_is_filed_tracked_to_its_result_and_listed_publicly(app: TestApp) {
    let hc = app.hai_chau.clone();
    for (who, status) in [(&app.public, 401), (&app.leader, 403), (&app.agency, 403)] {
        assert_eq!(file(&app, who, &article(&app, &hc, "x")).await.status().as_u16(), status);
    }
    let r = file(&app, &app.operator, &article(&app, &hc, "Rác ùn ứ trong kiệt")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let filed: Value = r.json().await.unwrap();
    let (id, code) =
        (filed["ticket"]["id"].as_str().unwrap().to_owned(), filed["ticket"]["code"].as_str().unwrap().to_owned());
    assert_eq!(filed["ticket"]["channel"], "press");
    assert_eq!(filed["article"]["newspaper"], "Báo Đà Nẵng");

    let list = app.get_json(&app.public, "/api/v1/public/press").await;
    let item = list.as_array().unwrap().iter().find(|i| i["code"] == code.as_str()).unwrap().clone();
    assert_eq!(
        (item["newspaper"].as_str(), item["title"].as_str()),
        (Some("Báo Đà Nẵng"), Some("Rác ùn ứ trong kiệt"))
    );
    assert_eq!(item["url"], "https://baodanang.vn/rac-un-u.html");
    assert_eq!(item["status"], "received");
    assert!(!list.to_string().contains("0905123456"), "no phone number in the public list: {list}");
    assert!(item["result"].is_null());

    let figures = app.get_json(&app.leader, "/api/v1/stats/press").await;
    assert_eq!((figures["total"].as_u64(), figures["open"].as_u64()), (Some(1), Some(1)), "{figures}");
    assert_eq!(figures["by_newspaper"][0]["newspaper"], "Báo Đà Nẵng");
    let other = app.get_json(&app.other_leader, "/api/v1/stats/press").await;
    assert_eq!(other["total"], 0, "the Sơn Trà leader does not count Hải Châu's: {other}");
    assert_eq!(app.public.get(app.url("/api/v1/stats/press")).send().await.unwrap().status(), 401);

    let unit = app.agency_unit.clone();
    for (who, action) in [
        (&app.operator, json!({"action": "assign", "unit": unit})),
        (&app.agency, json!({"action": "accept"})),
        (&app.agency, json!({"action": "resolve", "result": "Đã thu gom toàn bộ rác, xử phạt hộ đổ trộm"})),
    ] {
        assert_eq!(app.act(who, &id, action).await.status(), 200);
    }
    let list = app.get_json(&app.public, "/api/v1/public/press").await;
    let item = list.as_array().unwrap().iter().find(|i| i["code"] == code.as_str()).unwrap();
    assert_eq!(item["status"], "resolved");
    assert_eq!(item["result"], "Đã thu gom toàn bộ rác, xử phạt hộ đổ trộm");
    let figures = app.get_json(&app.leader, "/api/v1/stats/press").await;
    assert_eq!(
        (figures["resolved"].as_u64(), figures["resolved_on_time"].as_u64(), figures["open"].as_u64()),
        (Some(1), Some(1), Some(0))
    );

    // A bad article names its fields, and files nothing.
    let mut bad = article(&app, &hc, "");
    bad["newspaper"] = json!(" ");
    bad["url"] = json!("ftp://x");
    bad["published_on"] = json!("2099-01-01");
    let r = file(&app, &app.operator, &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), ["newspaper", "title", "published_on", "url"]);
    assert_eq!(app.get_json(&app.public, "/api/v1/public/press").await.as_array().unwrap().len(), 1);
}
on_both_stores!(an_article_is_filed_tracked_to_its_result_and_listed_publicly);
