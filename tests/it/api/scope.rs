use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::{TestApp, problem};
use crate::on_both_stores;

async fn a_leader_of_one_district_cannot_read_another_districts_tickets(app: TestApp) {
    let (hc, st) = (app.hai_chau.clone(), app.son_tra.clone());
    let in_hc = app.file(&hc, "Hải Châu").await;
    let in_st = app.file(&st, "Sơn Trà").await;
    let hc_id = in_hc["id"].as_str().unwrap();

    // The Hải Châu leader sees Hải Châu, without personal data.
    let r = app.leader.get(app.url(&format!("/api/v1/tickets/{hc_id}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    assert!(t.get("reporter").is_none(), "leaders do not see reporters' contacts");
    // The Sơn Trà leader does not.
    let r = app.other_leader.get(app.url(&format!("/api/v1/tickets/{hc_id}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(problem(r).await["code"], "out_of_scope");
    let r = app.other_leader.get(app.url(&format!("/api/v1/tickets/{hc_id}/events"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Listing is limited to their district, and asking for another is refused.
    let page = app.get_json(&app.other_leader, "/api/v1/tickets").await;
    let ids: Vec<&str> = page["items"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![in_st["id"].as_str().unwrap()]);
    let r = app.other_leader.get(app.url(&format!("/api/v1/tickets?area={hc}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Nearby is scoped too.
    let (lon, lat) = app.point_in(&hc);
    let hits = app.get_json(&app.other_leader, &format!("/api/v1/tickets/nearby?lon={lon}&lat={lat}")).await;
    assert!(hits.as_array().unwrap().is_empty());
    // Leaders read but never change tickets.
    let r = app.act(&app.leader, hc_id, serde_json::json!({"action": "reject", "reason": "x"})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
on_both_stores!(a_leader_of_one_district_cannot_read_another_districts_tickets);

async fn agency_staff_see_only_their_units_tickets(app: TestApp) {
    let hc = app.hai_chau.clone();
    let mine = app.file(&hc, "Của đơn vị").await;
    let waiting = app.file(&hc, "Chưa chuyển").await;
    let id = mine["id"].as_str().unwrap();
    let unit = app.agency_unit.clone();
    assert_eq!(
        app.act(&app.operator, id, serde_json::json!({"action": "assign", "unit": unit})).await.status(),
        StatusCode::OK
    );
    let page = app.get_json(&app.agency, "/api/v1/tickets").await;
    let ids: Vec<&str> = page["items"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![id]);
    let t: Value =
        app.agency.get(app.url(&format!("/api/v1/tickets/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(t["reporter"]["phone"], "0905123456", "the assigned unit may call the reporter back");
    assert_eq!(t["allowed_actions"], serde_json::json!(["forward", "accept", "return"]));
    let other = waiting["id"].as_str().unwrap();
    let r = app.act(&app.agency, other, serde_json::json!({"action": "accept"})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
on_both_stores!(agency_staff_see_only_their_units_tickets);
