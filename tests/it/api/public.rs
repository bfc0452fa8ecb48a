//! The citizens' API: tracking by code and token, rating the result (a low rating reopens it),
//! published results nearby — and never a reporter's personal data.

use serde_json::{Value, json};

use crate::harness::TestApp;
use crate::on_both_stores;

/// Files a ticket as the public (web channel) and returns (code, token, id).
async fn file_as_citizen(app: &TestApp, description: &str) -> (String, String, String) {
    let r = app
        .public
        .post(app.url("/api/v1/tickets"))
        .json(&app.ticket_body(&app.hai_chau, description))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let t: Value = r.json().await.unwrap();
    let token = t["tracking_token"].as_str().expect("a tracking token for the citizen").to_owned();
    (t["code"].as_str().unwrap().to_owned(), token, t["id"].as_str().unwrap().to_owned())
}

/// Assigns, accepts and resolves ticket `id` with a result text.
async fn resolve(app: &TestApp, id: &str, result: &str) {
    let unit = app.agency_unit.clone();
    for (who, action) in [
        (&app.operator, json!({"action": "assign", "unit": unit})),
        (&app.agency, json!({"action": "accept"})),
        (&app.agency, json!({"action": "resolve", "result": result})),
    ] {
        let r = app.act(who, id, action.clone()).await;
        assert_eq!(r.status(), 200, "{action}: {}", r.text().await.unwrap());
    }
}

async fn a_citizen_tracks_a_report_and_rates_its_result(app: TestApp) {
    let (code, token, id) = file_as_citizen(&app, "Rác chất đống trước nhà số 12").await;
    let url = |c: &str, t: &str| app.url(&format!("/api/v1/track/{c}?token={t}"));

    let r = app.public.get(url(&code, &token)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    let t: Value = serde_json::from_str(&text).unwrap();
    assert_eq!((t["code"].as_str(), t["status"].as_str()), (Some(code.as_str()), Some("received")));
    assert_eq!(t["timeline"][0]["kind"], "ticket.created");
    assert!(!text.contains("0905123456") && !text.contains("Nguyễn Văn An"), "no personal data: {text}");
    assert!(!text.contains("Rác chất đống"), "the description stays with the staff");
    assert_eq!(t["can_rate"], false);

    // A wrong token and an unknown code look the same.
    for (c, tk) in [(code.as_str(), "wrong-token"), ("DN-0001-999999", token.as_str())] {
        assert_eq!(app.public.get(url(c, tk)).send().await.unwrap().status(), 404);
    }

    resolve(&app, &id, "Đã thu gom rác, vệ sinh khu vực").await;
    let t: Value = app.public.get(url(&code, &token)).send().await.unwrap().json().await.unwrap();
    assert_eq!(t["status"], "resolved");
    assert_eq!(t["result"], "Đã thu gom rác, vệ sinh khu vực");
    assert_eq!(t["can_rate"], true);

    let rate = |rating: i64, tk: &str| {
        app.public
            .post(app.url(&format!("/api/v1/track/{code}/rating")))
            .json(&json!({"token": tk, "rating": rating, "comment": "Rất nhanh, cảm ơn"}))
            .send()
    };
    assert_eq!(rate(5, "wrong").await.unwrap().status(), 404);
    let bad = rate(9, &token).await.unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("rating"));
    let r = rate(5, &token).await.unwrap();
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    assert_eq!(
        (t["rating"].as_u64(), t["status"].as_str(), t["can_rate"].as_bool()),
        (Some(5), Some("resolved"), Some(false))
    );
    assert_eq!(rate(4, &token).await.unwrap().status(), 422, "rated once");
}
on_both_stores!(a_citizen_tracks_a_report_and_rates_its_result);

async fn a_low_rating_reopens_the_report(app: TestApp) {
    let (code, token, id) = file_as_citizen(&app, "Ổ gà lớn").await;
    resolve(&app, &id, "Đã vá").await;
    let r = app
        .public
        .post(app.url(&format!("/api/v1/track/{code}/rating")))
        .json(&json!({"token": token, "rating": 1, "comment": "Chưa vá, vẫn còn ổ gà"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["status"], "assigned", "back with the unit: {t}");
    let kinds: Vec<&str> = t["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(kinds.ends_with(&["ticket.rated", "ticket.reopened"]), "{kinds:?}");
    let reopened = t["timeline"].as_array().unwrap().last().unwrap();
    assert!(reopened["note"].as_str().unwrap().contains("Chưa vá"), "{reopened}");
    // Staff see it open again.
    let staff = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(staff["status"], "assigned");
}
on_both_stores!(a_low_rating_reopens_the_report);

async fn published_results_are_listed_near_a_point(app: TestApp) {
    let (code, _, id) = file_as_citizen(&app, "Cây đổ chắn đường").await;
    let (open_code, _, _) = file_as_citizen(&app, "Đèn đường hỏng").await;
    resolve(&app, &id, "Đã dọn cây đổ").await;
    let (lon, lat) = app.point_in(&app.hai_chau.clone());
    let list = app.get_json(&app.public, &format!("/api/v1/results?near={lon},{lat}&radius=5000")).await;
    let text = list.to_string();
    let item =
        list.as_array().unwrap().iter().find(|r| r["code"] == code.as_str()).expect("the resolved report is listed");
    assert_eq!(item["result"], "Đã dọn cây đổ");
    assert!(item["distance_m"].as_f64().unwrap() < 5000.0);
    assert!(!text.contains(&open_code), "open reports are not results");
    assert!(!text.contains("0905123456") && !text.contains("Cây đổ chắn đường"));
    let bad = app.public.get(app.url("/api/v1/results?near=200,16")).send().await.unwrap();
    assert_eq!(bad.status(), 422);
}
on_both_stores!(published_results_are_listed_near_a_point);

async fn a_citizen_leaves_a_contact_only_with_consent(app: TestApp) {
    let mut body = app.ticket_body(&app.hai_chau, "Nước thải tràn ra đường");
    body["consent"] = json!(false);
    let r = app.public.post(app.url("/api/v1/tickets")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("\"consent\""));
    // Anonymous reports need no consent; the operator records it on the call.
    body.as_object_mut().unwrap().remove("reporter");
    assert_eq!(app.public.post(app.url("/api/v1/tickets")).json(&body).send().await.unwrap().status(), 201);
    let mut call = app.ticket_body(&app.hai_chau, "Gọi điện phản ánh");
    call.as_object_mut().unwrap().remove("consent");
    assert_eq!(app.operator.post(app.url("/api/v1/tickets")).json(&call).send().await.unwrap().status(), 201);
}
on_both_stores!(a_citizen_leaves_a_contact_only_with_consent);

/// The review found the unit's result text published unredacted by `/api/v1/results` and the
/// OGC `tickets` collection, and Open311 missing landlines, ID numbers, full-width digits,
/// written-out emails and names. One redaction for every public surface.
async fn personal_data_in_public_text_is_hidden_on_every_public_surface(app: TestApp) {
    let leaky = "Đã liên hệ ông Nguyễn Văn Hùng (CCCD 048095001234), ĐT (0236) 3821 234 / ０９０５１２３４５６, \
                 email hung [at] example [dot] vn; xe 43A-123.45 đã được di dời";
    let (code, token, id) = file_as_citizen(&app, "Xe của bà Lê Thị Thu 0905 765 432 đỗ chắn lối đi").await;
    resolve(&app, &id, leaky).await;
    let (lon, lat) = app.point_in(&app.hai_chau.clone());
    let surfaces = [
        format!("/api/v1/results?near={lon},{lat}&radius=5000"),
        "/ogc/collections/tickets/items?limit=100".to_owned(),
        format!("/ogc/collections/tickets/items/{code}"),
        "/open311/v2/requests.json".to_owned(),
        format!("/open311/v2/requests/{code}.json"),
        "/open311/v2/servicerequestupdates.json".to_owned(),
        format!("/api/v1/track/{code}?token={token}"),
    ];
    for path in surfaces {
        let r = app.public.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let body = r.text().await.unwrap();
        for secret in [
            "Nguyễn Văn Hùng",
            "048095001234",
            "3821 234",
            "０９０５",
            "0905123456",
            "example",
            "43A-123.45",
            "Lê Thị Thu",
            "0905 765 432",
        ] {
            assert!(!body.contains(secret), "{path} shows {secret:?}: {body}");
        }
    }
    let list = app.get_json(&app.public, &format!("/api/v1/results?near={lon},{lat}&radius=5000")).await;
    let item = list.as_array().unwrap().iter().find(|r| r["code"] == code.as_str()).expect("listed");
    let result = item["result"].as_str().unwrap();
    assert!(result.starts_with("Đã liên hệ ông [tên đã ẩn]") && result.ends_with("đã được di dời"), "{result}");
    // Staff still read the text as written.
    let staff = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(staff["result"], leaky);
}
on_both_stores!(personal_data_in_public_text_is_hidden_on_every_public_surface);
