//! No personal data in any Open311 `GET`: the reporter's name, phone and email never appear,
//! and contact details typed into the description are hidden.

use serde_json::json;

use super::support::{api_key, get, hai_chau, post};
use crate::harness::TestApp;
use crate::on_both_stores;

async fn no_get_shows_the_reporters_personal_data(app: TestApp) {
    // Filed by the hotline with a contact, and by an Open311 client with one.
    let mut body = app.ticket_body(&app.hai_chau, "Đèn đường hỏng. Liên hệ 0914 555 666 hoặc hoa.tran@mail.vn");
    body["reporter"] = json!({"name": "Trần Thị Hoa", "phone": "0914555666", "email": "hoa.tran@mail.vn"});
    let r = app.operator.post(app.url("/api/v1/tickets")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let hotline: serde_json::Value = r.json().await.unwrap();
    let hotline_code = hotline["code"].as_str().unwrap().to_owned();
    let hotline_id = hotline["id"].as_str().unwrap().to_owned();
    let key = api_key(&app, "privacy-311").await;
    let (lat, long) = hai_chau(&app);
    let r = post(
        &app,
        "json",
        &[
            ("api_key", &key),
            ("service_code", "street-light-broken"),
            ("lat", &lat),
            ("long", &long),
            ("first_name", "Minh"),
            ("last_name", "Lê Quang"),
            ("phone", "+84 236 3821 234"),
            ("email", "minh.le@example.vn"),
            ("device_id", "ios-device-777"),
            ("account_id", "acct-555"),
        ],
    )
    .await;
    assert_eq!(r.status(), 201);
    let code = r.json::<serde_json::Value>().await.unwrap()[0]["service_request_id"].as_str().unwrap().to_owned();
    let r = app.act(&app.operator, &code, json!({"action": "reject", "reason": "Đã gọi 0236 3821 234 xác minh"})).await;
    assert_eq!(r.status(), 200);

    let secrets = [
        "Trần Thị Hoa",
        "0914555666",
        "0914 555 666",
        "hoa.tran@mail.vn",
        "Lê Quang Minh",
        "Lê Quang",
        "3821 234",
        "3821234",
        "minh.le@example.vn",
        "ios-device-777",
        "acct-555",
    ];
    let paths = [
        "requests.json".to_owned(),
        "requests.xml".to_owned(),
        format!("requests/{hotline_code}.json"),
        format!("requests/{code}.xml"),
        format!("requests.json?service_request_id={hotline_code},{code}"),
        "servicerequestupdates.json".to_owned(),
        "servicerequestupdates.xml".to_owned(),
        format!("tokens/{hotline_id}.json"),
        format!("tokens/{code}.xml"),
    ];
    for path in &paths {
        let r = get(&app, path).await;
        assert_eq!(r.status(), 200, "{path}");
        let text = r.text().await.unwrap();
        for s in secrets {
            assert!(!text.contains(s), "{s:?} leaked by {path}: {text}");
        }
    }
    let one = super::support::json(&app, &format!("requests/{hotline_code}.json"), 200).await;
    assert_eq!(
        one[0]["description"], "Đèn đường hỏng. Liên hệ [số điện thoại đã ẩn] hoặc [email đã ẩn]",
        "contact details typed into the description are hidden"
    );
}
on_both_stores!(no_get_shows_the_reporters_personal_data);
