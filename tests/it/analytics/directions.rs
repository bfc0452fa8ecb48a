//! Directions: a leader directs a unit on its backlog or on a ticket, the unit acknowledges and
//! reports back; who sees and answers which, and the errors.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::harness::{TestApp, fields, problem};
use crate::on_both_stores;

fn tomorrow() -> String {
    (chrono::Utc::now() + chrono::Duration::days(2)).format("%Y-%m-%d").to_string()
}

async fn post(app: &TestApp, who: &reqwest::Client, path: &str, body: Value) -> reqwest::Response {
    who.post(app.url(path)).json(&body).send().await.unwrap()
}

async fn a_leader_directs_a_unit_which_acknowledges_and_reports_back(app: TestApp) {
    // On the unit's backlog in the leader's district.
    let body = json!({"unit": app.agency_unit, "area": app.hai_chau, "field": "environment",
        "text": "Giải quyết dứt điểm các phản ánh quá hạn trước thứ Năm", "due": tomorrow()});
    let r = post(&app, &app.leader, "/api/v1/directions", body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let d: Value = r.json().await.unwrap();
    assert_eq!((d["status"].as_str(), d["overdue"].as_bool()), (Some("open"), Some(false)));
    assert!(d["due_at"].as_str().unwrap().ends_with("16:59:59Z"), "the end of the day in Vietnam: {}", d["due_at"]);
    let id = d["id"].as_str().unwrap().to_owned();

    // The unit sees it in its queue; the other district's leader does not.
    let queue = app.get_json(&app.agency, "/api/v1/directions?status=open").await;
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert!(app.get_json(&app.other_leader, "/api/v1/directions").await.as_array().unwrap().is_empty());
    let r = app.other_leader.get(app.url(&format!("/api/v1/directions/{id}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Only the unit answers; once each.
    let ack = format!("/api/v1/directions/{id}/acknowledge");
    assert_eq!(post(&app, &app.leader, &ack, json!({})).await.status(), StatusCode::FORBIDDEN);
    let r = post(&app, &app.agency, &ack, json!({})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "acknowledged");
    assert_eq!(post(&app, &app.agency, &ack, json!({})).await.status(), StatusCode::CONFLICT);
    let report = format!("/api/v1/directions/{id}/report");
    let r = post(&app, &app.agency, &report, json!({"report": "  "})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), vec!["report"]);
    let r = post(&app, &app.agency, &report, json!({"report": "Đã xử lý 12/12 phản ánh tồn đọng"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["status"], "reported");
    assert_eq!(done["reported_by"], "user:t.agency");

    // The leader sees it answered.
    let mine = app.get_json(&app.leader, "/api/v1/directions").await;
    assert_eq!(mine[0]["report"], "Đã xử lý 12/12 phản ánh tồn đọng");
    assert_eq!(mine[0]["acknowledged_by"], "user:t.agency");
}
on_both_stores!(a_leader_directs_a_unit_which_acknowledges_and_reports_back);

async fn a_direction_on_a_ticket_goes_to_its_unit_and_shows_on_its_timeline(app: TestApp) {
    let t = app.file(&app.hai_chau.clone(), "Nắp cống vỡ").await;
    let id = t["id"].as_str().unwrap();
    let body = json!({"ticket": t["code"], "text": "Khẩn trương thay nắp cống", "due": tomorrow()});
    let r = post(&app, &app.leader, "/api/v1/directions", body.clone()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "not with a unit yet");
    assert_eq!(fields(&problem(r).await), vec!["ticket"]);
    assert_eq!(
        app.act(&app.operator, id, json!({"action": "assign", "unit": app.agency_unit})).await.status(),
        StatusCode::OK
    );
    let r = post(&app, &app.leader, "/api/v1/directions", body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let d: Value = r.json().await.unwrap();
    assert_eq!(d["unit"], app.agency_unit.as_str());
    assert_eq!(d["ticket_code"], t["code"]);
    let on_ticket = app.get_json(&app.agency, &format!("/api/v1/tickets/{id}/directions")).await;
    assert_eq!(on_ticket.as_array().unwrap().len(), 1);

    // The other district's leader can neither direct on it nor read its directions.
    let r = post(&app, &app.other_leader, "/api/v1/directions", json!({"ticket": id, "text": "x", "due": tomorrow()}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app.other_leader.get(app.url(&format!("/api/v1/tickets/{id}/directions"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
on_both_stores!(a_direction_on_a_ticket_goes_to_its_unit_and_shows_on_its_timeline);

async fn bad_directions_name_the_field_and_others_may_not_issue(app: TestApp) {
    let cases = [
        (json!({"unit": app.agency_unit, "area": app.hai_chau, "text": "", "due": tomorrow()}), "text"),
        (json!({"unit": app.agency_unit, "area": app.hai_chau, "text": "x", "due": "2020-01-01"}), "due"),
        (json!({"unit": app.agency_unit, "area": app.hai_chau, "text": "x", "due": "thứ Năm"}), "due"),
        (json!({"unit": "NO-SUCH-UNIT", "area": app.hai_chau, "text": "x", "due": tomorrow()}), "unit"),
        (json!({"area": app.hai_chau, "text": "x", "due": tomorrow()}), "unit"),
        (json!({"unit": app.agency_unit, "area": app.son_tra, "text": "x", "due": tomorrow()}), "area"),
        (json!({"unit": app.agency_unit, "text": "x", "due": tomorrow()}), "area"),
        (
            json!({"unit": app.agency_unit, "area": app.hai_chau, "field": "weather", "text": "x", "due": tomorrow()}),
            "field",
        ),
    ];
    for (body, field) in cases {
        let r = post(&app, &app.leader, "/api/v1/directions", body.clone()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(fields(&problem(r).await).contains(&field.to_owned()), "{body} names {field}");
    }
    let ok = json!({"unit": app.agency_unit, "area": app.hai_chau, "text": "x", "due": tomorrow()});
    assert_eq!(post(&app, &app.agency, "/api/v1/directions", ok.clone()).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(post(&app, &app.operator, "/api/v1/directions", ok.clone()).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(post(&app, &app.public, "/api/v1/directions", ok.clone()).await.status(), StatusCode::UNAUTHORIZED);
    // An admin may direct city-wide, without an area.
    let city = json!({"unit": app.agency_unit, "text": "Rà soát toàn bộ hồ sơ", "due": tomorrow()});
    assert_eq!(post(&app, &app.admin, "/api/v1/directions", city).await.status(), StatusCode::CREATED);
    assert!(
        app.get_json(&app.leader, "/api/v1/directions").await.as_array().unwrap().is_empty(),
        "city-wide is not in a district"
    );
    assert_eq!(app.get_json(&app.operator, "/api/v1/directions").await.as_array().unwrap().len(), 1);
}
on_both_stores!(bad_directions_name_the_field_and_others_may_not_issue);
