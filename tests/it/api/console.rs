//! The console's endpoints: phone intake with call details (and filing a duplicate at once),
//! a ticket's call, place search and routing suggestions.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{TestApp, fields, problem};
use crate::on_both_stores;

const RECORDING: &str = "pbx://1022/2026/0830-0905123456.wav";

/// A call at a point in Hải Châu, two minutes ago, 95 s long.
pub fn call_body(app: &TestApp, description: &str) -> Value {
    let mut b = app.ticket_body(&app.hai_chau, description);
    let started = Utc::now() - Duration::seconds(120);
    b["call"] = json!({"started_at": started.to_rfc3339(), "duration_seconds": 95, "recording_ref": RECORDING});
    b
}

async fn post_call(app: &TestApp, body: &Value, key: Option<&str>) -> reqwest::Response {
    let mut req = app.operator.post(app.url("/api/v1/calls")).json(body);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    req.send().await.unwrap()
}

async fn a_call_becomes_a_hotline_ticket_with_its_call_kept_apart(app: TestApp) {
    let body = call_body(&app, "Gọi điện: đèn đường hỏng cả dãy phố");
    let r = post_call(&app, &body, Some("call-1")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/api/v1/tickets/"));
    let t: Value = r.json().await.unwrap();
    let id = t["id"].as_str().unwrap().to_owned();
    assert_eq!((t["channel"].as_str(), t["status"].as_str()), (Some("hotline"), Some("received")));
    assert_eq!(t["reporter"]["phone"], "0905123456", "the operator sees the caller's number");
    assert!(t["tracking_token"].as_str().is_some_and(|s| s.len() == 32));
    let started: DateTime<Utc> = body["call"]["started_at"].as_str().unwrap().parse().unwrap();
    let call = json!({"started_at": started.trunc_subsecs(0), "duration_seconds": 95, "recording_ref": RECORDING});
    assert_eq!(t["call"], call, "the call as stored, to the second");
    assert_eq!(app.get_json(&app.operator, &format!("/api/v1/tickets/{id}/call")).await, call);
    let code = t["code"].as_str().unwrap();
    assert_eq!(app.get_json(&app.admin, &format!("/api/v1/tickets/{code}/call")).await, call, "by code too");

    // Personal data: never in the timeline; a leader may not read it; the unit only once assigned.
    let events = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}/events")).await.to_string();
    assert!(!events.contains("pbx://") && !events.contains("0905123456"), "{events}");
    let call_of = |who: &reqwest::Client| who.get(app.url(&format!("/api/v1/tickets/{id}/call"))).send();
    assert_eq!(call_of(&app.leader).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(problem(call_of(&app.agency).await.unwrap()).await["code"], "out_of_scope");
    let r = app.act(&app.operator, &id, json!({"action": "assign", "unit": app.agency_unit})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.get_json(&app.agency, &format!("/api/v1/tickets/{id}/call")).await, call);
    assert_eq!(call_of(&app.public).await.unwrap().status(), StatusCode::UNAUTHORIZED);

    // A retry with the same key is the same ticket; with another call it is refused, and the
    // stored call stays as it was.
    let r = post_call(&app, &body, Some("call-1")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["idempotent-replayed"], "true");
    assert_eq!(r.json::<Value>().await.unwrap()["id"], id.as_str());
    let mut changed = body.clone();
    changed["call"]["duration_seconds"] = json!(300);
    let r = post_call(&app, &changed, Some("call-1")).await;
    assert_eq!(problem(r).await["code"], "idempotency_key_reused");
    assert_eq!(app.get_json(&app.operator, &format!("/api/v1/tickets/{id}/call")).await, call);

    // A ticket that did not come by phone has no call.
    let web = app.file(&app.hai_chau, "Qua cổng thông tin").await;
    let r = app.operator.get(app.url(&format!("/api/v1/tickets/{}/call", web["id"].as_str().unwrap()))).send();
    assert_eq!(r.await.unwrap().status(), StatusCode::NOT_FOUND);
}
on_both_stores!(a_call_becomes_a_hotline_ticket_with_its_call_kept_apart);

async fn bad_calls_name_the_fields_at_fault_and_file_nothing(app: TestApp) {
    let good = call_body(&app, "Ổ gà giữa đường");
    let mut no_call = good.clone();
    no_call.as_object_mut().unwrap().remove("call");
    let p = problem(post_call(&app, &no_call, None).await).await;
    assert!(p["detail"].as_str().unwrap().contains("`call`"), "{p}");

    let mut bad_time = good.clone();
    bad_time["call"]["started_at"] = json!("hôm qua");
    assert_eq!(fields(&problem(post_call(&app, &bad_time, None).await).await), ["call.started_at"]);

    let mut bad = good.clone();
    bad["call"] = json!({"started_at": (Utc::now() + Duration::hours(2)).to_rfc3339(), "duration_seconds": -5,
                         "recording_ref": "a\u{7}b"});
    let r = post_call(&app, &bad, None).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), ["call.started_at", "call.duration_seconds", "call.recording_ref"]);

    let mut unknown_dup = good.clone();
    unknown_dup["duplicate_of"] = json!(uuid::Uuid::now_v7());
    assert_eq!(fields(&problem(post_call(&app, &unknown_dup, None).await).await), ["duplicate_of"]);

    let mut bad_ticket = good.clone();
    bad_ticket["category"] = json!("no-such-category");
    bad_ticket["reporter"]["phone"] = json!("12");
    let fs = fields(&problem(post_call(&app, &bad_ticket, None).await).await);
    assert_eq!(fs, ["category", "reporter.phone"]);

    let mut channel = good.clone();
    channel["channel"] = json!("web");
    assert_eq!(post_call(&app, &channel, None).await.status(), StatusCode::UNPROCESSABLE_ENTITY, "always hotline");

    for who in [&app.agency, &app.leader, &app.open311] {
        let r = who.post(app.url("/api/v1/calls")).json(&good).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let listed = app.get_json(&app.operator, "/api/v1/tickets?limit=500").await;
    assert_eq!(listed["items"], json!([]), "nothing was filed");
}
on_both_stores!(bad_calls_name_the_fields_at_fault_and_file_nothing);

async fn a_second_call_at_the_same_spot_is_filed_as_a_duplicate(app: TestApp) {
    let first: Value = post_call(&app, &call_body(&app, "Cống tắc, nước tràn"), None).await.json().await.unwrap();
    let first_id = first["id"].as_str().unwrap();
    let loc = &first["location"];
    let nearby = format!(
        "/api/v1/tickets/nearby?lon={}&lat={}&radius=200&days=7&category={}",
        loc["lon"],
        loc["lat"],
        first["category"].as_str().unwrap()
    );
    let near = app.get_json(&app.operator, &nearby).await;
    assert_eq!(near[0]["id"], first_id, "the duplicate check finds the first call");

    let mut second = call_body(&app, "Cống tắc, gọi lần hai");
    second["duplicate_of"] = json!(first_id);
    second["reporter"] = json!({"name": "Trần Thị Bích", "phone": "0911222333"});
    let r = post_call(&app, &second, Some("dup-1")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let dup: Value = r.json().await.unwrap();
    assert_eq!((dup["status"].as_str(), dup["duplicate_of"].as_str()), (Some("duplicate"), Some(first_id)));
    assert_eq!(dup["reporter"]["name"], "Trần Thị Bích", "the second caller's contact is kept");
    let events = app.get_json(&app.operator, &format!("/api/v1/tickets/{}/events", dup["id"].as_str().unwrap())).await;
    let kinds: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["created", "duplicate"]);
    let near = app.get_json(&app.operator, &nearby).await;
    let ids: Vec<&str> = near.as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [first_id], "the duplicate is no longer open; the first still is");
    let got = app.get_json(&app.operator, &format!("/api/v1/tickets/{first_id}")).await;
    assert_eq!(got["status"], "received");

    // The retry is the same duplicate; the same key without the duplicate is another request.
    let r = post_call(&app, &second, Some("dup-1")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let again: Value = r.json().await.unwrap();
    assert_eq!((&again["id"], again["status"].as_str()), (&dup["id"], Some("duplicate")));
    second.as_object_mut().unwrap().remove("duplicate_of");
    assert_eq!(problem(post_call(&app, &second, Some("dup-1")).await).await["code"], "idempotency_key_reused");
}
on_both_stores!(a_second_call_at_the_same_spot_is_filed_as_a_duplicate);

async fn places_are_found_without_diacritics_in_both_languages(app: TestApp) {
    let first = |q: &'static str| {
        let app = &app;
        async move { app.get_json(&app.operator, &format!("/api/v1/places?q={q}")).await[0].clone() }
    };
    let market = first("cho%20han").await;
    assert_eq!((market["name"].as_str(), market["kind"].as_str()), (Some("Chợ Hàn"), Some("market")));
    assert_eq!(market["area_name"].as_str().map(|n| n.ends_with("Hải Châu")), Some(true), "{market}");
    assert_eq!(first("Dragon").await["name"], "Cầu Rồng");
    assert_eq!(first("TRAN%20PHU").await["name"], "Đường Trần Phú");
    assert_eq!(first("c%E1%BA%A7u%20r%E1%BB%93ng").await["name"], "Cầu Rồng", "with diacritics too");
    let hc = app.get_json(&app.agency, "/api/v1/places?q=hai%20chau&limit=2").await;
    assert_eq!(hc[0]["name"], "Hải Châu");
    assert_eq!(hc[0]["kind"], "district");
    assert_eq!((hc[1]["name"].as_str(), hc[1]["kind"].as_str()), (Some("Hải Châu I"), Some("ward")));
    assert_eq!(hc.as_array().unwrap().len(), 2, "limit");
    assert_eq!(app.get_json(&app.leader, "/api/v1/places?q=zzzz").await, json!([]));

    let long = "a".repeat(101);
    for (query, field) in
        [("", "q"), ("q=%20%20", "q"), ("q=!!!", "q"), ("q=cho&limit=0", "limit"), (&format!("q={long}") as &str, "q")]
    {
        let r = app.operator.get(app.url(&format!("/api/v1/places?{query}"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(fields(&problem(r).await), [field], "{query}");
    }
}
on_both_stores!(places_are_found_without_diacritics_in_both_languages);

async fn the_routing_suggestion_names_the_unit_and_the_areas(app: TestApp) {
    let (lon, lat) = app.point_in(&app.hai_chau);
    let ask =
        |category: &str, lon: f64, lat: f64| format!("/api/v1/routing/suggest?category={category}&lon={lon}&lat={lat}");
    let s = app.get_json(&app.operator, &ask("illegal-construction", lon, lat)).await;
    assert_eq!(s["unit"], app.agency_unit.as_str(), "the district's committee handles illegal building");
    assert_eq!(s["unit_name_vi"], "UBND quận Hải Châu");
    let levels: Vec<&str> = s["areas"].as_array().unwrap().iter().map(|a| a["level"].as_str().unwrap()).collect();
    assert_eq!(levels, ["ward", "district", "city"]);
    assert_eq!(s["areas"][1]["code"], app.hai_chau.as_str());

    // The same rule as the queue's `suggested_unit`.
    for category in ["garbage-uncollected", "noise-karaoke"] {
        let s = app.get_json(&app.leader, &ask(category, lon, lat)).await;
        let mut body = app.ticket_body(&app.hai_chau, "Kiểm tra gợi ý");
        body["category"] = json!(category);
        let r = app.operator.post(app.url("/api/v1/tickets")).json(&body).send().await.unwrap();
        let t: Value = r.json().await.unwrap();
        assert_eq!(s["unit"], t["suggested_unit"], "{category}");
    }
    let s = app.get_json(&app.operator, &ask("garbage-uncollected", lon, lat)).await;
    assert_eq!(s["unit"], "DN-URENCO", "a category rule beats the ward's committee");

    // Outside the city: no areas; only the rules without an area can still route.
    let s = app.get_json(&app.agency, &ask("garbage-uncollected", 0.0, 0.0)).await;
    assert_eq!((s["areas"].clone(), s["unit"].clone()), (json!([]), json!("DN-URENCO")));
    let s = app.get_json(&app.agency, &ask("noise-karaoke", 0.0, 0.0)).await;
    assert_eq!(s["unit"], "DN-1022", "else the city's catch-all rule");

    for (query, field) in [
        (format!("category=nope&lon={lon}&lat={lat}"), "category"),
        (format!("lon={lon}&lat={lat}"), "category"),
        (format!("category=pothole&lon={lon}"), "lat"),
        (format!("category=pothole&lon=abc&lat={lat}"), "lon"),
        (format!("category=pothole&lon={lon}&lat=95"), "lat"),
    ] {
        let r = app.operator.get(app.url(&format!("/api/v1/routing/suggest?{query}"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(fields(&problem(r).await), [field], "{query}");
    }
}
on_both_stores!(the_routing_suggestion_names_the_unit_and_the_areas);

type Row = (Method, String, Option<Box<dyn FnMut() -> Value>>, [u16; 7]);

/// The console's rows of the role × route matrix (`api::roles`), with a phone ticket
/// assigned to the agency user's unit.
pub async fn role_rows(app: &TestApp) -> Vec<Row> {
    let r = post_call(app, &call_body(app, "Ma trận quyền: cuộc gọi"), None).await;
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let r = app.act(&app.operator, &id, json!({"action": "assign", "unit": app.agency_unit})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = call_body(app, "Ma trận quyền: cuộc gọi mới");
    let (lon, lat) = app.point_in(&app.hai_chau);
    vec![
        (
            Method::POST,
            "/api/v1/calls".into(),
            Some(Box::new(move || body.clone())),
            [401, 201, 201, 403, 403, 403, 403],
        ),
        (Method::GET, format!("/api/v1/tickets/{id}/call"), None, [401, 200, 200, 403, 200, 403, 403]),
        (Method::GET, "/api/v1/places?q=cho".into(), None, [401, 200, 200, 200, 200, 403, 403]),
        (
            Method::GET,
            format!("/api/v1/routing/suggest?category=pothole&lon={lon}&lat={lat}"),
            None,
            [401, 200, 200, 200, 200, 403, 403],
        ),
    ]
}
