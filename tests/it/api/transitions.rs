use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, problem};
use crate::on_both_stores;

async fn a_ticket_walks_from_the_centre_to_the_unit_and_back_closed(app: TestApp) {
    let t = app.file(&app.hai_chau.clone(), "Rác thải xây dựng đổ trộm").await;
    let id = t["id"].as_str().unwrap();
    let unit = app.agency_unit.clone();
    let steps: [(&reqwest::Client, Value, &str); 6] = [
        (&app.operator, json!({"action": "assign", "unit": unit, "note": "Chuyển UBND quận"}), "assigned"),
        (&app.agency, json!({"action": "accept"}), "accepted"),
        (&app.agency, json!({"action": "start"}), "in_progress"),
        (&app.agency, json!({"action": "progress", "note": "Đã cử đội thu gom"}), "in_progress"),
        (&app.agency, json!({"action": "resolve", "result": "Đã thu gom và xử phạt"}), "resolved"),
        (&app.operator, json!({"action": "close"}), "closed"),
    ];
    for (who, action, status) in steps {
        let r = app.act(who, id, action.clone()).await;
        assert_eq!(r.status(), StatusCode::OK, "{action}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["ticket"]["status"], status, "{action}");
        assert!(body["event"]["seq"].as_i64().unwrap() > 0);
    }
    let events: Value =
        app.operator.get(app.url(&format!("/api/v1/tickets/{id}/events"))).send().await.unwrap().json().await.unwrap();
    let kinds: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["created", "assigned", "accepted", "started", "progress", "resolved", "closed"]);
    let seqs: Vec<i64> = events.as_array().unwrap().iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert_eq!(events[1]["actor"], "user:t.operator");
    assert_eq!(events[2]["actor"], "user:t.agency");
    assert_eq!(events[1]["note"], "Chuyển UBND quận");
    let text = events.to_string();
    assert!(!text.contains("0905123456") && !text.contains("Nguyễn Văn An"), "events carry no personal data");
}
on_both_stores!(a_ticket_walks_from_the_centre_to_the_unit_and_back_closed);

async fn an_illegal_action_is_a_409_listing_what_is_allowed(app: TestApp) {
    let t = app.file(&app.hai_chau.clone(), "Tiếng ồn karaoke").await;
    let id = t["id"].as_str().unwrap();
    let r = app.act(&app.operator, id, json!({"action": "close"})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let p = problem(r).await;
    assert_eq!(p["code"], "transition_not_allowed");
    assert_eq!(p["allowed_actions"], json!(["assign", "reject", "mark_duplicate", "extend"]));
    // A reason is required to reject.
    let r = app.act(&app.operator, id, json!({"action": "reject", "reason": ""})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // An unknown unit is named.
    let r = app.act(&app.operator, id, json!({"action": "assign", "unit": "NO-SUCH-UNIT"})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem(r).await["errors"][0]["field"], "unit");
    // An unknown action is a 422 naming the field.
    let r = app.act(&app.operator, id, json!({"action": "teleport"})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
on_both_stores!(an_illegal_action_is_a_409_listing_what_is_allowed);

async fn if_match_refuses_a_stale_change(app: TestApp) {
    let t = app.file(&app.son_tra.clone(), "Lấn chiếm vỉa hè").await;
    let id = t["id"].as_str().unwrap();
    let send = |etag: &'static str| {
        app.operator
            .post(app.url(&format!("/api/v1/tickets/{id}/transitions")))
            .header("If-Match", etag)
            .json(&json!({"action": "extend", "days": 2, "reason": "Chờ xác minh"}))
            .send()
    };
    let r = send("\"v1\"").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["etag"], "\"v2\"");
    let r = send("\"v1\"").await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(problem(r).await["code"], "conflict");
}
on_both_stores!(if_match_refuses_a_stale_change);

async fn a_unit_returns_a_ticket_and_the_centre_reroutes_it(app: TestApp) {
    let t = app.file(&app.hai_chau.clone(), "Sai địa bàn").await;
    let id = t["id"].as_str().unwrap();
    let unit = app.agency_unit.clone();
    assert_eq!(app.act(&app.operator, id, json!({"action": "assign", "unit": unit})).await.status(), StatusCode::OK);
    let r = app.act(&app.agency, id, json!({"action": "return", "reason": "Không thuộc thẩm quyền"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["ticket"]["status"], "returned");
    assert!(body["ticket"]["unit"].is_null());
    // Back at the centre, the agency no longer sees it.
    let r = app.agency.get(app.url(&format!("/api/v1/tickets/{id}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app.operator.get(app.url("/api/v1/tickets?status=returned")).send().await.unwrap();
    let page: Value = r.json().await.unwrap();
    assert_eq!(page["items"][0]["id"], id);
}
on_both_stores!(a_unit_returns_a_ticket_and_the_centre_reroutes_it);
