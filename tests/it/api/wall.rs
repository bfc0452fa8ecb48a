//! What the map wall loads: the ticket layer, the key figures and the colour rule, each within
//! the caller's scope and without personal data.

use serde_json::Value;

use crate::harness::TestApp;
use crate::on_both_stores;

/// The row of ticket `id` in a map layer, as a column → value object.
fn row_of(layer: &Value, id: &str) -> Option<serde_json::Map<String, Value>> {
    let columns: Vec<&str> = layer["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    layer["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[0] == id)
        .map(|r| columns.iter().zip(r.as_array().unwrap()).map(|(c, v)| ((*c).to_owned(), v.clone())).collect())
}

async fn the_map_layer_holds_open_tickets_in_scope_without_personal_data(app: TestApp) {
    let hc = app.file(&app.hai_chau.clone(), "Đèn tín hiệu hỏng").await;
    let st = app.file(&app.son_tra.clone(), "Rác thải ven biển").await;
    let (hc_id, st_id) = (hc["id"].as_str().unwrap(), st["id"].as_str().unwrap());

    let r = app.operator.get(app.url("/api/v1/map/tickets")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("gzip"), "compressed");

    let layer = app.get_json(&app.operator, "/api/v1/map/tickets").await;
    let row = row_of(&layer, hc_id).expect("the operator sees the Hải Châu ticket");
    assert_eq!(row["status"], "received");
    assert_eq!(row["lon"], hc["location"]["lon"]);
    assert_eq!(row["area"], hc["area"]);
    assert!(row_of(&layer, st_id).is_some());
    assert!(layer["seq"].as_i64().unwrap() >= 2, "the seq to follow from: {}", layer["seq"]);
    let text = layer.to_string();
    assert!(!text.contains("0905123456") && !text.contains("Nguyễn Văn An") && !text.contains("Đèn tín hiệu"));

    let leader = app.get_json(&app.leader, "/api/v1/map/tickets").await;
    assert!(row_of(&leader, hc_id).is_some(), "the Hải Châu leader sees Hải Châu");
    assert!(row_of(&leader, st_id).is_none(), "but not Sơn Trà");

    // A resolved ticket stays on the layer for `recent_hours`, not with 0.
    let r = app
        .act(&app.operator, st_id, serde_json::json!({"action": "reject", "reason": "Không thuộc thẩm quyền"}))
        .await;
    assert_eq!(r.status(), 200);
    assert!(row_of(&app.get_json(&app.operator, "/api/v1/map/tickets").await, st_id).is_some());
    assert!(row_of(&app.get_json(&app.operator, "/api/v1/map/tickets?recent_hours=0").await, st_id).is_none());
    let bad = app.operator.get(app.url("/api/v1/map/tickets?recent_hours=100000")).send().await.unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("recent_hours"));
}
on_both_stores!(the_map_layer_holds_open_tickets_in_scope_without_personal_data);

async fn key_figures_count_today_per_area_and_scope(app: TestApp) {
    let before = app.get_json(&app.operator, "/api/v1/kpis").await;
    let open_before = before["total"]["open"].as_u64().unwrap();
    for i in 0..2 {
        app.file(&app.hai_chau.clone(), &format!("Ổ gà số {i}")).await;
    }
    app.file(&app.son_tra.clone(), "Cây đổ").await;

    let k = app.get_json(&app.operator, "/api/v1/kpis").await;
    assert_eq!(k["total"]["open"].as_u64().unwrap(), open_before + 3, "{k}");
    assert!(k["total"]["received_today"].as_u64().unwrap() >= 3);
    assert_eq!(k["areas"][&app.hai_chau]["open"].as_u64().unwrap(), 2, "{k}");
    assert_eq!(k["areas"][&app.son_tra]["open"].as_u64().unwrap(), 1);
    assert!(k["total"]["on_time_rate"].is_null(), "nothing resolved yet");

    let leader = app.get_json(&app.leader, "/api/v1/kpis").await;
    assert_eq!(leader["total"]["open"].as_u64().unwrap(), 2, "a Hải Châu leader counts Hải Châu only: {leader}");
    assert!(leader["areas"].get(&app.son_tra).is_none());

    let only = app.get_json(&app.operator, &format!("/api/v1/kpis?areas={}", app.son_tra)).await;
    assert_eq!(only["total"]["open"].as_u64().unwrap(), 1);
    let bad = app.operator.get(app.url("/api/v1/kpis?areas=nope!")).send().await.unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("areas"));
}
on_both_stores!(key_figures_count_today_per_area_and_scope);

async fn the_wall_rule_is_served(app: TestApp) {
    let c = app.get_json(&app.leader, "/api/v1/wall/config").await;
    assert_eq!(c["rule"], "overdue_share");
    assert_eq!(c["thresholds"], serde_json::json!([0.05, 0.15]));
}
on_both_stores!(the_wall_rule_is_served);
