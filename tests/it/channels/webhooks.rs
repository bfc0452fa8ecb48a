//! The webhooks: signatures of each style, replays, duplicates, drafts, refusals.

use reqwest::StatusCode;
use serde_json::{Value, json};
use switchboard::domain::Medium;
use switchboard::intake::signature;

use super::support::*;
use crate::harness::{Backend, TestApp, problem};
use crate::on_both_stores;

async fn ticket_count(app: &TestApp) -> usize {
    app.store.all_tickets().await.unwrap().len()
}

async fn results(r: reqwest::Response) -> Value {
    assert_eq!(r.status(), StatusCode::OK);
    r.json::<Value>().await.unwrap()["results"].clone()
}

async fn an_sms_naming_a_place_becomes_one_ticket_on_the_sms_channel_with_the_sender_as_contact(
    (app, _sink): (TestApp, Sink),
) {
    let r = sms(&app, "sms-001", "+84905123456", "Ngập sâu trước Chợ Hàn, xe máy chết máy").send().await.unwrap();
    let res = results(r).await;
    assert_eq!(res[0]["outcome"], "filed", "{res}");
    let code = res[0]["ticket"].as_str().unwrap().to_owned();

    let t = app.get_json(&app.operator, &format!("/api/v1/tickets/{code}")).await;
    assert_eq!(t["channel"], "sms");
    assert_eq!(t["description"], "Ngập sâu trước Chợ Hàn, xe máy chết máy");
    assert_eq!((t["location"]["lon"].as_f64(), t["location"]["lat"].as_f64()), (Some(108.2243), Some(16.0681)));
    assert_eq!(t["reporter"]["phone"], "+84905123456", "the sender is the reporter's contact");
    assert_eq!(t["category"], "other");
    let events = app.get_json(&app.operator, &format!("/api/v1/tickets/{code}/events")).await;
    assert_eq!(events[0]["actor"], "channel:sms", "no phone number in events: {events}");
    assert!(!events.to_string().contains("0905123456"));

    // The gateway delivers the same message again: the same ticket, nothing new.
    let again =
        results(sms(&app, "sms-001", "+84905123456", "Ngập sâu trước Chợ Hàn, xe máy chết máy").send().await.unwrap())
            .await;
    assert_eq!((again[0]["outcome"].as_str(), again[0]["ticket"].as_str()), (Some("duplicate"), Some(code.as_str())));
    assert_eq!(ticket_count(&app).await, 1);

    // Coordinates in the text work too, as a form.
    let body = "from=0905000111&id=sms-002&text=16.0612%2C108.2272+%C4%90%C3%A8n+%C4%91%C6%B0%E1%BB%9Dng+h%E1%BB%8Fng";
    let r = signed_at(&app, Medium::Sms, body, "application/x-www-form-urlencoded", chrono::Utc::now().timestamp());
    let res = results(r.send().await.unwrap()).await;
    let t = app.get_json(&app.operator, &format!("/api/v1/tickets/{}", res[0]["ticket"].as_str().unwrap())).await;
    assert_eq!(t["description"], "Đèn đường hỏng", "the coordinates are cut from the description");
    assert_eq!(t["location"]["lat"], 16.0612);
}
on_both_stores!(an_sms_naming_a_place_becomes_one_ticket_on_the_sms_channel_with_the_sender_as_contact);

async fn forged_missing_and_stale_signatures_are_refused_and_file_nothing((app, _sink): (TestApp, Sink)) {
    let body = json!({"from": "0905123456", "text": "Rác ở Chợ Cồn", "id": "f-1"}).to_string();
    let now = chrono::Utc::now().timestamp();
    let post = |headers: Vec<(&str, String)>| {
        let mut r = reqwest::Client::new().post(app.url("/webhooks/sms")).header("content-type", "application/json");
        for (k, v) in headers {
            r = r.header(k, v);
        }
        r.body(body.clone()).send()
    };
    let cases = [
        ("no signature", vec![], "invalid_signature"),
        (
            "another key",
            vec![("x-switchboard-signature", signature::sign(b"guessed-secret-123", now, body.as_bytes()))],
            "invalid_signature",
        ),
        (
            "another body",
            vec![("x-switchboard-signature", signature::sign(SMS_SECRET.as_bytes(), now, b"{}"))],
            "invalid_signature",
        ),
        ("malformed", vec![("x-switchboard-signature", "v1=deadbeef".to_owned())], "invalid_signature"),
        (
            "six minutes old",
            vec![("x-switchboard-signature", signature::sign(SMS_SECRET.as_bytes(), now - 360, body.as_bytes()))],
            "stale_signature",
        ),
        (
            "from the future",
            vec![("x-switchboard-signature", signature::sign(SMS_SECRET.as_bytes(), now + 360, body.as_bytes()))],
            "stale_signature",
        ),
        (
            "Messenger's style on the SMS hook",
            vec![("x-hub-signature-256", signature::hub_signature(SMS_SECRET.as_bytes(), body.as_bytes()))],
            "invalid_signature",
        ),
    ];
    for (what, headers, code) in cases {
        let r = post(headers).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(problem(r).await["code"], code, "{what}");
    }
    assert_eq!(ticket_count(&app).await, 0, "no forged message was filed");
    let m = app
        .store
        .accept_message(
            switchboard::store::InboundMessage {
                medium: Medium::Sms,
                message_id: "f-1".into(),
                sender: "x".into(),
                text: None,
                location: None,
                received_at: chrono::Utc::now(),
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    assert!(matches!(m, switchboard::store::Accepted::New(_)), "the forged calls did not even record the message id");

    // An unknown webhook is a 404; a medium without a secret refuses everything.
    let r = reqwest::Client::new().post(app.url("/webhooks/telegram")).body("{}").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
on_both_stores!(forged_missing_and_stale_signatures_are_refused_and_file_nothing);

fn zalo_event(id: &str, sender: &str, text: Option<&str>, loc: Option<(f64, f64)>, ms: i64) -> String {
    let mut message = json!({"msg_id": id});
    if let Some(t) = text {
        message["text"] = json!(t);
    }
    let event = if let Some((lon, lat)) = loc {
        message["attachments"] = json!([{"type": "location", "payload": {"coordinates": {"latitude": lat.to_string(), "longitude": lon.to_string()}}}]);
        "user_send_location"
    } else {
        "user_send_text"
    };
    json!({"app_id": ZALO_APP_ID, "user_id_by_app": "u", "event_name": event, "timestamp": ms.to_string(),
        "sender": {"id": sender}, "recipient": {"id": "oa-1022"}, "message": message})
    .to_string()
}

fn zalo_post(app: &TestApp, body: &str, key: &str) -> reqwest::RequestBuilder {
    let ts = serde_json::from_str::<Value>(body).unwrap()["timestamp"].as_str().unwrap().to_owned();
    let mac = hex::encode(signature::zalo_mac(ZALO_APP_ID, key.as_bytes(), body.as_bytes(), &ts));
    reqwest::Client::new()
        .post(app.url("/webhooks/zalo"))
        .header("content-type", "application/json")
        .header("x-zevent-signature", format!("mac={mac}"))
        .body(body.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zalo_text_then_location_files_one_ticket_asking_for_the_location_in_between() {
    let (app, sink) = spawn(Backend::Sqlite, |_| {}).await;
    let ms = chrono::Utc::now().timestamp_millis();
    let text = zalo_event("z-1", "zuser-42", Some("Cây đổ chắn ngang đường"), None, ms);
    let res = results(zalo_post(&app, &text, ZALO_SECRET).send().await.unwrap()).await;
    assert_eq!((res[0]["outcome"].as_str(), res[0]["missing"][0].as_str()), (Some("incomplete"), Some("location")));
    eventually("the request for a location", || !sink.delivered("ask_location").is_empty()).await;
    let ask = &sink.delivered("ask_location")[0];
    assert_eq!((ask.path.as_str(), ask.body["recipient"].as_str()), ("zalo", Some("zuser-42")));
    assert!(ask.body["text_vi"].as_str().unwrap().contains("Vui lòng gửi vị trí"), "{}", ask.body);
    assert!(ask.signed, "the notifier signs its calls");

    let (lon, lat) = app.point_in(&app.hai_chau.clone());
    let loc = zalo_event("z-2", "zuser-42", None, Some((lon, lat)), ms + 1000);
    let res = results(zalo_post(&app, &loc, ZALO_SECRET).send().await.unwrap()).await;
    assert_eq!(res[0]["outcome"], "filed", "{res}");
    let code = res[0]["ticket"].as_str().unwrap().to_owned();
    let t = app.get_json(&app.operator, &format!("/api/v1/tickets/{code}")).await;
    assert_eq!((t["channel"].as_str(), t["description"].as_str()), (Some("zalo"), Some("Cây đổ chắn ngang đường")));
    assert!(t.get("reporter").is_none(), "a Zalo user id is not a phone; it stays with the message");
    eventually("the received message", || !sink.delivered("created").is_empty()).await;
    let created = sink.delivered("created");
    assert_eq!(created.len(), 1, "one received message: {created:?}");
    assert_eq!(created[0].body["recipient"], "zuser-42");
    assert!(created[0].body["text_vi"].as_str().unwrap().starts_with(&format!("Phản ánh {code} đã được tiếp nhận")));

    // Forged with another key, or signed but old (a replay): refused.
    let r = zalo_post(&app, &zalo_event("z-3", "zuser-42", Some("x"), None, ms), "wrong-key").send().await.unwrap();
    assert_eq!(problem(r).await["code"], "invalid_signature");
    let old = zalo_event("z-4", "zuser-42", Some("x"), None, ms - 10 * 60 * 1000);
    let r = zalo_post(&app, &old, ZALO_SECRET).send().await.unwrap();
    assert_eq!(problem(r).await["code"], "stale_signature");
    // A follow event is ignored.
    let follow = json!({"event_name": "follow", "timestamp": ms.to_string(), "follower": {"id": "u"}}).to_string();
    let r = zalo_post(&app, &follow, ZALO_SECRET).send().await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["ignored"], 1);
    assert_eq!(app.store.all_tickets().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messenger_signed_by_the_app_secret_files_and_a_replayed_mid_is_the_same_ticket() {
    let (app, _sink) = spawn(Backend::Sqlite, |_| {}).await;
    let (lon, lat) = app.point_in(&app.son_tra.clone());
    let ms = chrono::Utc::now().timestamp_millis();
    let body = |mid: &str, ms: i64| {
        json!({"object": "page", "entry": [{"id": "page", "time": ms, "messaging": [{"sender": {"id": "psid-7"},
            "recipient": {"id": "page"}, "timestamp": ms, "message": {"mid": mid, "text": "Đèn tín hiệu tắt",
            "attachments": [{"type": "location", "payload": {"coordinates": {"lat": lat, "long": lon}}}]}}]}]})
        .to_string()
    };
    let post = |b: String, key: &str| {
        reqwest::Client::new()
            .post(app.url("/webhooks/messenger"))
            .header("content-type", "application/json")
            .header("x-hub-signature-256", signature::hub_signature(key.as_bytes(), b.as_bytes()))
            .body(b)
            .send()
    };
    let first = results(post(body("mid.1", ms), MESSENGER_SECRET).await.unwrap()).await;
    assert_eq!(first[0]["outcome"], "filed");
    let again = results(post(body("mid.1", ms + 5), MESSENGER_SECRET).await.unwrap()).await;
    assert_eq!((again[0]["outcome"].as_str(), &again[0]["ticket"]), (Some("duplicate"), &first[0]["ticket"]));
    let t = app.get_json(&app.operator, &format!("/api/v1/tickets/{}", first[0]["ticket"].as_str().unwrap())).await;
    assert_eq!(t["channel"], "facebook");

    let r = post(body("mid.2", ms), "not-the-app-secret").await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = post(body("mid.3", ms - 3_600_000), MESSENGER_SECRET).await.unwrap();
    assert_eq!(problem(r).await["code"], "stale_signature", "an hour-old message is a replay");
    assert_eq!(app.store.all_tickets().await.unwrap().len(), 1);

    // The subscription check echoes the challenge only for the right token.
    let verify = |token: &str| {
        reqwest::Client::new()
            .get(app.url(&format!("/webhooks/messenger?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=42")))
            .send()
    };
    let r = verify(VERIFY_TOKEN).await.unwrap();
    assert_eq!((r.status(), r.text().await.unwrap()), (StatusCode::OK, "42".to_owned()));
    assert_eq!(verify("guess").await.unwrap().status(), StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_outside_the_city_is_refused_and_the_sender_told_why() {
    let (app, sink) = spawn(Backend::Sqlite, |_| {}).await;
    let res = results(sms(&app, "out-1", "0905222333", "Ngập 21.0285, 105.8542 ở Hà Nội").send().await.unwrap()).await;
    assert_eq!(res[0]["outcome"], "refused", "{res}");
    assert_eq!(res[0]["errors"][0]["field"], "location");
    eventually("the refusal", || !sink.delivered("refused").is_empty()).await;
    let told = &sink.delivered("refused")[0];
    assert_eq!(told.body["recipient"], "0905222333");
    assert!(told.body["text_vi"].as_str().unwrap().contains("ngoài địa bàn"), "{}", told.body);
    assert_eq!(app.store.all_tickets().await.unwrap().len(), 0);

    // A signed body of the wrong shape names the field; an oversized one is a 413.
    let now = chrono::Utc::now().timestamp();
    let r = signed_at(&app, Medium::Sms, r#"{"from": "x", "text": "y", "id": "b-1"}"#, "application/json", now)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(crate::harness::fields(&problem(r).await), ["from"]);
    let huge = json!({"from": "0905222333", "id": "big", "text": "x".repeat(70 * 1024)}).to_string();
    let r = signed_at(&app, Medium::Sms, &huge, "application/json", now).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(problem(r).await["code"], "payload_too_large");
}
