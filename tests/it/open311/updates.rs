//! `GET servicerequestupdates` (the FixMyStreet extension): one update per public event, the
//! notes meant for the citizen only, in both formats.

use serde::Deserialize;
use serde_json::{Value, json};

use super::support::{get, json as get_json, json_errors, parse, xml};
use crate::harness::TestApp;
use crate::on_both_stores;

#[derive(Debug, Deserialize)]
struct XUpdates {
    #[serde(default)]
    request_update: Vec<XUpdate>,
}
#[derive(Debug, Deserialize)]
struct XUpdate {
    update_id: String,
    service_request_id: String,
    status: String,
    updated_datetime: String,
    description: String,
    media_url: Option<String>,
    external_status_code: String,
}

async fn updates_follow_the_public_events_of_a_request(app: TestApp) {
    let t = app.file(&app.hai_chau, "Cây đổ chắn ngang đường").await;
    let code = t["code"].as_str().unwrap().to_owned();
    let unit = app.agency_unit.clone();
    let steps = [
        (&app.operator, json!({"action": "assign", "unit": unit, "note": "Ưu tiên, gọi anh Bình 0905111222"})),
        (&app.agency, json!({"action": "accept"})),
        (&app.agency, json!({"action": "progress", "note": "Đã cử tổ cây xanh đến hiện trường"})),
        (&app.agency, json!({"action": "resolve", "result": "Đã cắt và dọn cây đổ"})),
        (&app.operator, json!({"action": "rate", "rating": 2, "comment": "Chậm quá, tôi là Hoa 0912345678"})),
    ];
    for (who, action) in steps {
        let r = app.act(who, &code, action.clone()).await;
        assert_eq!(r.status(), 200, "{action}");
    }
    let list = get_json(&app, "servicerequestupdates.json", 200).await;
    let ups: Vec<&Value> =
        list.as_array().unwrap().iter().filter(|u| u["service_request_id"] == code.as_str()).collect();
    let kinds: Vec<(&str, &str)> =
        ups.iter().map(|u| (u["status"].as_str().unwrap(), u["external_status_code"].as_str().unwrap())).collect();
    // created, assigned, accepted, progress, resolved; the rating is not published.
    assert_eq!(
        kinds,
        [
            ("open", "received"),
            ("open", "assigned"),
            ("open", "accepted"),
            ("open", "in_progress"),
            ("closed", "resolved")
        ]
    );
    let ids: Vec<i64> = ups.iter().map(|u| u["update_id"].as_str().unwrap().parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "oldest first: {ids:?}");
    let text: Vec<&str> = ups.iter().map(|u| u["description"].as_str().unwrap()).collect();
    assert_eq!(text[0], "Đã tiếp nhận phản ánh / Report received");
    assert!(text[1].starts_with("Đã chuyển đến "), "{}", text[1]);
    assert!(!text[1].contains("Bình") && !text[1].contains("0905111222"), "assignment notes are internal");
    assert_eq!(text[3], "Cập nhật tiến độ: Đã cử tổ cây xanh đến hiện trường / Progress update");
    assert_eq!(text[4], "Đã xử lý xong: Đã cắt và dọn cây đổ / Resolved");
    assert!(
        ups.iter().all(|u| u["media_url"].is_null() && u["updated_datetime"].as_str().unwrap().ends_with("+07:00"))
    );
    let body = list.to_string();
    assert!(!body.contains("0912345678") && !body.contains("Chậm quá"), "the rating stays internal");

    let (root, text) = xml(&app, "servicerequestupdates.xml", 200).await;
    assert_eq!(root, "service_request_updates");
    let x: XUpdates = parse(&text);
    let mine: Vec<&XUpdate> = x.request_update.iter().filter(|u| u.service_request_id == code).collect();
    assert_eq!(mine.len(), 5);
    assert_eq!((mine[4].status.as_str(), mine[4].external_status_code.as_str()), ("closed", "resolved"));
    assert_eq!(mine[4].description, text_of(ups[4]));
    assert_eq!(mine[4].update_id, ups[4]["update_id"].as_str().unwrap());
    assert_eq!(mine[4].updated_datetime, ups[4]["updated_datetime"].as_str().unwrap());
    assert!(mine[4].media_url.as_deref().unwrap_or("").is_empty());

    // A window before the events has none; page_size pages them.
    let r =
        get_json(&app, "servicerequestupdates.json?start_date=2020-01-01T00:00:00Z&end_date=2020-01-31T00:00:00Z", 200)
            .await;
    assert_eq!(r, json!([]));
    let page = get_json(&app, "servicerequestupdates.json?page_size=2&page=2", 200).await;
    assert_eq!(page.as_array().unwrap().len(), 2);
    assert_eq!(page[0]["update_id"], list[2]["update_id"]);
    let r = get(&app, "servicerequestupdates.json?start_date=yesterday").await;
    assert_eq!(r.status(), 400);
    assert!(json_errors(r).await[0].1.contains("start_date"));
}
on_both_stores!(updates_follow_the_public_events_of_a_request);

fn text_of(v: &Value) -> String {
    v["description"].as_str().unwrap().to_owned()
}
