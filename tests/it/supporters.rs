//! "Me too" against the real server: a citizen finds an open report of the same problem near
//! them and supports it — counted once per device (idempotency key) or per number, raising the
//! priority at three, visible as a count on the map rows, in the live event and in the public
//! nearby list, never with anyone's contact; closed and duplicate reports refuse support; the
//! contacts reach only the centre and the unit; a supporter adds a photo with their token;
//! supporters pressing at the same moment are all counted.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::api::photo_fixtures;
use crate::harness::{TestApp, fields, problem};
use crate::on_both_stores;

async fn support(app: &TestApp, who: &Client, id: &str, key: Option<&str>, body: Value) -> reqwest::Response {
    let mut req = who.post(app.url(&format!("/api/v1/tickets/{id}/supporters"))).json(&body);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    req.send().await.unwrap()
}

async fn a_citizen_supports_an_open_report_once_and_its_count_and_priority_rise(app: TestApp) {
    let hc = app.hai_chau.clone();
    let t = app.file(&hc, "Ống nước vỡ trước chợ, nước tràn ra đường").await;
    let (id, code) = (t["id"].as_str().unwrap().to_owned(), t["code"].as_str().unwrap().to_owned());
    let category = t["category"].as_str().unwrap().to_owned();
    let (lon, lat) = (t["location"]["lon"].as_f64().unwrap(), t["location"]["lat"].as_f64().unwrap());

    // The citizen about to report sees it among the open reports nearby.
    let near =
        app.get_json(&app.public, &format!("/api/v1/public/nearby?lon={lon}&lat={lat}&category={category}")).await;
    assert_eq!(near[0]["code"], code.as_str());
    assert_eq!(near[0]["supporters"], 0);

    let r = support(&app, &app.public, &code, Some("device-1"), json!({})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let first: Value = r.json().await.unwrap();
    assert_eq!((first["supporters"].as_u64(), first["already"].as_bool()), (Some(1), Some(false)));
    assert!(first["token"].as_str().is_some_and(|t| t.len() > 20), "a token to add photos with");
    let again = support(&app, &app.public, &code, Some("device-1"), json!({})).await;
    assert_eq!(again.status(), StatusCode::OK, "the same device counts once");
    let again: Value = again.json().await.unwrap();
    assert_eq!((again["supporters"].as_u64(), again["already"].as_bool()), (Some(1), Some(true)));
    assert!(again.get("token").is_none());
    // Two more, one leaving their number: the third raises the priority.
    let with_contact = json!({"contact": {"name": "Lê Thị Mai", "phone": "0905 444 777"}, "consent": true});
    assert_eq!(support(&app, &app.public, &code, None, with_contact.clone()).await.status(), StatusCode::CREATED);
    let same_number = json!({"contact": {"phone": "+84 905 444 777"}, "consent": true});
    assert_eq!(
        support(&app, &app.public, &code, None, same_number).await.status(),
        StatusCode::OK,
        "one number counts once, however it is written"
    );
    let third: Value = support(&app, &app.operator, &id, Some("call-77"), json!({})).await.json().await.unwrap();
    assert_eq!((third["supporters"].as_u64(), third["priority"].as_str()), (Some(3), Some("high")));

    let view = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!((view["supporters"].as_u64(), view["priority"].as_str()), (Some(3), Some("high")));
    let events = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}/events")).await;
    assert_eq!(events.as_array().unwrap().iter().filter(|e| e["kind"] == "supported").count(), 3);

    // The map's rows count them; the public list too; neither names anyone.
    let map = app.get_json(&app.operator, "/api/v1/map/tickets").await;
    let col = map["columns"].as_array().unwrap().iter().position(|c| c == "supporters").unwrap();
    let row = map["rows"].as_array().unwrap().iter().find(|r| r[0] == id.as_str()).unwrap();
    assert_eq!(row[col], 3);
    let near = app.public.get(app.url(&format!("/api/v1/public/nearby?lon={lon}&lat={lat}"))).send().await.unwrap();
    let near = near.text().await.unwrap();
    assert!(near.contains("\"supporters\":3"), "{near}");
    for personal in ["0905 444 777", "905444777", "Lê Thị Mai"] {
        assert!(!near.contains(personal), "{personal} in {near}");
    }

    // Contacts: the centre sees them, a leader and the public do not.
    let list = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}/supporters")).await;
    let phones: Vec<&str> = list.as_array().unwrap().iter().filter_map(|s| s["contact"]["phone"].as_str()).collect();
    assert_eq!(phones, ["0905 444 777"]);
    let path = app.url(&format!("/api/v1/tickets/{id}/supporters"));
    assert_eq!(app.leader.get(&path).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(app.public.get(&path).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);

    // The first supporter adds a photo of the flood with their token.
    let png = photo_fixtures::small_png([20, 90, 160]);
    let token = first["token"].as_str().unwrap();
    let r =
        photo_fixtures::upload(&app, &app.public, &id, "", Some(token), &[("photo", "nuoc.png", "image/png", &png)])
            .await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
    let r = photo_fixtures::upload(
        &app,
        &app.public,
        &id,
        "",
        Some("not-a-token"),
        &[("photo", "x.png", "image/png", &png)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn closed_and_duplicate_reports_refuse_support_and_bad_contacts_are_named(app: TestApp) {
    let hc = app.hai_chau.clone();
    let a = app.file(&hc, "Cây đổ chắn đường").await;
    let b = app.file(&hc, "Cây đổ chắn đường Lê Lợi").await;
    let (a_id, b_id) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let r = app.act(&app.operator, b_id, json!({"action": "mark_duplicate", "of": a_id})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = support(&app, &app.public, b_id, None, json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(problem(r).await["detail"].as_str().unwrap().contains("duplicate"));
    let r = app.act(&app.operator, a_id, json!({"action": "reject", "reason": "Không thuộc phạm vi"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(support(&app, &app.public, a_id, None, json!({})).await.status(), StatusCode::CONFLICT);

    let c = app.file(&hc, "Đèn tín hiệu giao thông hỏng").await;
    let c_id = c["id"].as_str().unwrap();
    let r = support(&app, &app.public, c_id, None, json!({"contact": {"phone": "gọi tôi"}})).await;
    let mut got = fields(&problem(r).await);
    got.sort();
    assert_eq!(got, ["consent", "contact.phone"]);
    let r = support(&app, &app.public, c_id, None, json!({"colour": "red"})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(support(&app, &app.analyst, c_id, None, json!({})).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(support(&app, &app.public, "DN-0000-999999", None, json!({})).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get_json(&app.operator, &format!("/api/v1/tickets/{c_id}")).await["supporters"],
        0,
        "nothing counted"
    );
}

async fn supporters_pressing_at_the_same_moment_are_all_counted(app: TestApp) {
    let t = app.file(&app.hai_chau.clone(), "Ngập nước sau mưa lớn ở kiệt 45").await;
    let id = t["id"].as_str().unwrap().to_owned();
    let presses = (0..12).map(|n| {
        let (client, url) = (app.public.clone(), app.url(&format!("/api/v1/tickets/{id}/supporters")));
        tokio::spawn(async move {
            client
                .post(url)
                .header("idempotency-key", format!("device-{n}"))
                .json(&json!({}))
                .send()
                .await
                .unwrap()
                .status()
        })
    });
    for p in futures_util::future::join_all(presses).await {
        assert_eq!(p.unwrap(), StatusCode::CREATED);
    }
    let view = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!((view["supporters"].as_u64(), view["priority"].as_str()), (Some(12), Some("urgent")));
}

on_both_stores!(
    a_citizen_supports_an_open_report_once_and_its_count_and_priority_rise,
    closed_and_duplicate_reports_refuse_support_and_bad_contacts_are_named,
    supporters_pressing_at_the_same_moment_are_all_counted,
);
