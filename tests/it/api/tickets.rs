use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::TestApp;
use crate::on_both_stores;

async fn a_filed_ticket_gets_a_code_an_area_a_deadline_and_a_token(app: TestApp) {
    let body = app.ticket_body(&app.hai_chau.clone(), "Rác tồn đọng ở hẻm 42 Lê Duẩn");
    let r = app.public.post(app.url("/api/v1/tickets")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let t: Value = r.json().await.unwrap();
    let code = t["code"].as_str().unwrap();
    let re_ok = code.len() == 14 && code.starts_with("DN-") && code[3..7].chars().all(|c| c.is_ascii_digit());
    assert!(re_ok, "code {code}");
    assert!(code.ends_with("-000001"), "first ticket of the month: {code}");
    assert_eq!(t["status"], "received");
    assert_eq!(t["channel"], "web", "the public files on the web channel");
    assert!(t["tracking_token"].as_str().unwrap().len() >= 22);
    assert!(t.get("reporter").is_none(), "the public never sees contact data back");
    let area = t["area"].as_str().unwrap();
    assert!(area.starts_with(&app.hai_chau), "{area} is a ward of {}", app.hai_chau);
    let received = chrono::DateTime::parse_from_rfc3339(t["received_at"].as_str().unwrap()).unwrap();
    let deadline = chrono::DateTime::parse_from_rfc3339(t["deadline"].as_str().unwrap()).unwrap();
    let days = (deadline - received).num_days();
    assert!((8..=20).contains(&days), "7 working days is 9-11 calendar days, or more over holidays: {days}");
    assert_eq!(t["overdue"], false);

    // The operator reads it back by id, by code, and from the Location header.
    let id = t["id"].as_str().unwrap();
    assert_eq!(location, format!("/api/v1/tickets/{id}"));
    for path in [location.clone(), format!("/api/v1/tickets/{code}")] {
        let r = app.operator.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers()["etag"], "\"v1\"");
        let got: Value = r.json().await.unwrap();
        assert_eq!(got["id"], id);
        assert_eq!(got["description"], "Rác tồn đọng ở hẻm 42 Lê Duẩn");
        assert_eq!(got["reporter"]["phone"], "0905123456", "the centre sees the contact");
        assert!(got["suggested_unit"].is_string(), "routing suggests a unit: {got}");
        assert!(got["allowed_actions"].as_array().unwrap().iter().any(|a| a == "assign"));
    }
}
on_both_stores!(a_filed_ticket_gets_a_code_an_area_a_deadline_and_a_token);

async fn listing_filters_in_the_r_tree_and_pages_with_a_cursor(app: TestApp) {
    let (hc, st) = (app.hai_chau.clone(), app.son_tra.clone());
    for i in 0..12 {
        app.file(&hc, &format!("Hải Châu #{i}")).await;
    }
    for i in 0..5 {
        app.file(&st, &format!("Sơn Trà #{i}")).await;
    }
    // Pages of 5 over all 17, newest first, no repeats.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut url = app.url("/api/v1/tickets?limit=5");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value = app.operator.get(url).send().await.unwrap().json().await.unwrap();
        pages += 1;
        for item in page["items"].as_array().unwrap() {
            seen.push(item["received_at"].as_str().unwrap().to_owned() + item["id"].as_str().unwrap());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(seen.len(), 17);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.reverse();
    sorted.dedup();
    assert_eq!(sorted, seen, "newest first, without repeats");

    // Area filter (a district includes its wards).
    let page = app.get_json(&app.operator, &format!("/api/v1/tickets?area={st}&limit=100")).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert!(items.iter().all(|t| t["description"].as_str().unwrap().starts_with("Sơn Trà")));

    // A bbox around one Hải Châu ticket, and a radius around it.
    let (lon, lat) = app.point_in(&hc);
    let bbox = format!("{},{},{},{}", lon - 0.0001, lat - 0.0001, lon + 0.0001, lat + 0.0001);
    let page = app.get_json(&app.operator, &format!("/api/v1/tickets?bbox={bbox}&limit=100")).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 12, "every Hải Châu ticket sits on that point");
    let page = app.get_json(&app.operator, &format!("/api/v1/tickets?near={lon},{lat}&radius=50&limit=100")).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 12);
    let far = format!("{},{},{},{}", lon + 0.5, lat + 0.5, lon + 0.6, lat + 0.6);
    let page: Value =
        app.operator.get(app.url(&format!("/api/v1/tickets?bbox={far}"))).send().await.unwrap().json().await.unwrap();
    assert!(page["items"].as_array().unwrap().is_empty());

    // Status filter.
    let page: Value =
        app.operator.get(app.url("/api/v1/tickets?status=closed")).send().await.unwrap().json().await.unwrap();
    assert!(page["items"].as_array().unwrap().is_empty());
    let page = app.get_json(&app.operator, "/api/v1/tickets?status=received,assigned&limit=100").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 17);
}
on_both_stores!(listing_filters_in_the_r_tree_and_pages_with_a_cursor);

async fn nearby_finds_open_tickets_of_the_same_category_nearest_first(app: TestApp) {
    let hc = app.hai_chau.clone();
    let t = app.file(&hc, "Đèn đường hỏng").await;
    let (lon, lat) = app.point_in(&hc);
    let category = t["category"].as_str().unwrap();
    let url = app.url(&format!("/api/v1/tickets/nearby?lon={lon}&lat={}&radius=200&category={category}", lat + 0.001));
    let hits: Value = app.operator.get(url).send().await.unwrap().json().await.unwrap();
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 1);
    let d = hits[0]["distance_m"].as_f64().unwrap();
    assert!((100.0..125.0).contains(&d), "0.001° of latitude is about 111 m: {d}");
    // Once rejected it is no longer an open duplicate candidate.
    let r = app
        .act(&app.operator, t["id"].as_str().unwrap(), serde_json::json!({"action": "reject", "reason": "spam"}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let url = app.url(&format!("/api/v1/tickets/nearby?lon={lon}&lat={lat}&radius=200"));
    let hits: Value = app.operator.get(url).send().await.unwrap().json().await.unwrap();
    assert!(hits.as_array().unwrap().is_empty());
}
on_both_stores!(nearby_finds_open_tickets_of_the_same_category_nearest_first);

async fn overdue_tickets_are_found_by_the_overdue_filter(app: TestApp) {
    let hc = app.hai_chau.clone();
    let fresh = app.file(&hc, "mới").await;
    let old = app.file(&hc, "cũ").await;
    // Back-date one ticket in the store, as if filed a month ago, and reload the index.
    let id = switchboard::domain::TicketId::parse(old["id"].as_str().unwrap(), "id").unwrap();
    let mut t = app.store.ticket(id).await.unwrap().unwrap();
    let ev = app.store.ticket_events(id).await.unwrap().remove(0);
    t.deadline = chrono::Utc::now() - chrono::Duration::days(3);
    t.version += 1;
    app.store
        .update_ticket(
            &t,
            t.version - 1,
            switchboard::domain::TicketEvent {
                seq: 0,
                kind: switchboard::domain::EventKind::Extended,
                note: Some("back-dated by the test".into()),
                ..ev
            },
        )
        .await
        .unwrap();
    app.services.projection.rebuild().await.unwrap();
    let page: Value =
        app.operator.get(app.url("/api/v1/tickets?overdue=true")).send().await.unwrap().json().await.unwrap();
    let ids: Vec<&str> = page["items"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![old["id"].as_str().unwrap()]);
    assert_eq!(page["items"][0]["overdue"], true);
    assert_ne!(ids[0], fresh["id"].as_str().unwrap());
}
on_both_stores!(overdue_tickets_are_found_by_the_overdue_filter);
