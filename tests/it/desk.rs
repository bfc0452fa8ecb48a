//! The hotline desk against the real server, driven by a fake PBX posting signed call events:
//! a call popping up on the operator's console with the caller's earlier tickets (found though
//! the number is written another way), an inquiry recorded without a ticket whose length and
//! recording arrive when the call ends, a missed call becoming a callback that an operator
//! takes and settles, the desk's figures for leaders (counts, no caller), and the webhook
//! refusing what is not signed or not well formed while recording nothing.

use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use switchboard::intake::signature;

use crate::harness::{Backend, Fixture, TestApp, fields, problem, spawn_app_with};
use crate::on_both_stores;

const PBX_SECRET: &str = "fake-pbx-secret-0123456789";

/// A server whose PBX webhook takes [`PBX_SECRET`].
pub struct Desk(TestApp);

impl Fixture for Desk {
    async fn on(backend: Backend) -> Self {
        Desk(
            spawn_app_with(backend, |s| {
                s.desk.pbx_secret = Some(switchboard::config::Secret::new(PBX_SECRET));
            })
            .await,
        )
    }
}

/// The fake PBX: posts `body` signed at `t` (unix seconds) with `secret`.
pub async fn post_signed(app: &TestApp, body: &Value, secret: &str, t: i64) -> reqwest::Response {
    let body = body.to_string();
    Client::new()
        .post(app.url("/webhooks/pbx"))
        .header("content-type", "application/json")
        .header("x-switchboard-signature", signature::sign(secret.as_bytes(), t, body.as_bytes()))
        .body(body)
        .send()
        .await
        .unwrap()
}

/// The fake PBX sends events now, with the right secret; answers the outcomes.
pub async fn pbx(app: &TestApp, events: Value) -> Vec<String> {
    let r = post_signed(app, &json!({"events": events}), PBX_SECRET, chrono::Utc::now().timestamp()).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    v["results"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap().to_owned()).collect()
}

async fn put_extension(app: &TestApp, who: &Client, ext: &str) {
    let r = who.put(app.url("/api/v1/desk/extension")).json(&json!({"extension": ext})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

async fn a_call_pops_up_with_the_callers_history_and_its_end_completes_the_inquiry(Desk(app): Desk) {
    // The caller reported a problem on the portal last week, writing their number their way.
    let mut body = app.ticket_body(&app.hai_chau.clone(), "Đèn đường hỏng trước nhà");
    body["reporter"] = json!({"name": "Trần Thị Bích", "phone": "0905 111 222"});
    let r = app.public.post(app.url("/api/v1/tickets")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let code = r.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_owned();

    put_extension(&app, &app.operator, "101").await;
    let first = app.get_json(&app.operator, "/api/v1/desk/calls").await;
    assert_eq!((first["extension"].as_str(), first["calls"].as_array().unwrap().len()), (Some("101"), 0));

    // The console waits for a call; the PBX rings extension 101 with the caller's number in
    // the international form.
    let waiting = {
        let (c, url) = (app.operator.clone(), app.url("/api/v1/desk/calls?after=2000-01-01T00:00:00Z&wait=20"));
        tokio::spawn(async move { c.get(url).send().await.unwrap().json::<Value>().await.unwrap() })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = chrono::Utc::now() - chrono::Duration::seconds(5);
    let outcomes = pbx(
        &app,
        json!([
            {"call_id": "1733389200.42", "event": "ringing", "at": started.to_rfc3339(), "caller": "+84905111222", "extension": "101"},
            {"call_id": "1733389200.42", "event": "answered", "extension": 101},
        ]),
    )
    .await;
    assert_eq!(outcomes, ["recorded", "recorded"]);
    let pop = tokio::time::timeout(Duration::from_secs(10), waiting).await.expect("the console was woken").unwrap();
    let call = &pop["calls"][0];
    assert_eq!((call["call_id"].as_str(), call["caller_phone"].as_str()), (Some("1733389200.42"), Some("0905111222")));
    let tickets: Vec<&str> =
        call["history"]["tickets"].as_array().unwrap().iter().map(|t| t["code"].as_str().unwrap()).collect();
    assert_eq!(tickets, [code.as_str()], "the caller's ticket, found by the keyed number");
    // Another operator's console shows nothing of it.
    put_extension(&app, &app.admin, "102").await;
    assert_eq!(app.get_json(&app.admin, "/api/v1/desk/calls").await["calls"].as_array().unwrap().len(), 0);

    // The question is answered without a ticket, while the call goes on.
    let inquiry = json!({
        "call_id": "1733389200.42", "caller_name": "Trần Thị Bích", "topic": "Hồ sơ đăng ký khai sinh cho con",
        "answer": "Tờ khai, giấy chứng sinh; nộp tại UBND phường, không mất phí.", "outcome": "answered"
    });
    let r = app
        .operator
        .post(app.url("/api/v1/inquiries"))
        .header("idempotency-key", "inq-1")
        .json(&inquiry)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let recorded: Value = r.json().await.unwrap();
    let id = recorded["id"].as_str().unwrap().to_owned();
    assert_eq!(recorded["caller_phone"], "0905111222", "the number comes from the call");
    assert_eq!(recorded["call"]["started_at"].as_str().map(|s| &s[..19]), Some(&started.to_rfc3339()[..19]));
    assert!(recorded["call"]["duration_seconds"].is_null(), "the call has not ended yet");
    // A retry of the same request records nothing more.
    let again = app
        .operator
        .post(app.url("/api/v1/inquiries"))
        .header("idempotency-key", "inq-1")
        .json(&inquiry)
        .send()
        .await
        .unwrap();
    assert_eq!(again.headers().get("idempotent-replayed").map(|v| v.to_str().unwrap()), Some("true"));
    assert_eq!(again.json::<Value>().await.unwrap()["id"], id.as_str());
    assert_eq!(app.get_json(&app.operator, "/api/v1/inquiries").await.as_array().unwrap().len(), 1);

    // The call ends: its length and recording complete the inquiry; a redelivery changes nothing.
    let ended = json!([{"call_id": "1733389200.42", "event": "ended", "duration_seconds": 187,
        "recording_ref": "2026/12/05/q-1733389200.42.wav"}]);
    assert_eq!(pbx(&app, ended.clone()).await, ["recorded"]);
    assert_eq!(pbx(&app, ended).await, ["duplicate"]);
    let stored = app.get_json(&app.operator, &format!("/api/v1/inquiries/{id}")).await;
    assert_eq!(stored["call"]["duration_seconds"], 187);
    assert_eq!(stored["call"]["recording_ref"], "2026/12/05/q-1733389200.42.wav");

    // Her next call shows the inquiry too; the look-up by number finds the same.
    pbx(&app, json!([{"call_id": "c-2", "event": "answered", "caller": "0905.111.222", "extension": "101"}])).await;
    let pop = app.get_json(&app.operator, "/api/v1/desk/calls").await;
    assert_eq!(pop["calls"][0]["call_id"], "c-2");
    assert_eq!(pop["calls"][0]["history"]["inquiries"][0]["id"], id.as_str());
    let r = app.operator.post(app.url("/api/v1/desk/history")).json(&json!({"phone": "84905111222"})).send().await;
    let history: Value = r.unwrap().json().await.unwrap();
    assert_eq!(
        (history["tickets"][0]["code"].as_str(), history["inquiries"][0]["id"].as_str()),
        (Some(code.as_str()), Some(id.as_str()))
    );
}

async fn a_missed_call_becomes_a_callback_an_operator_takes_and_settles(Desk(app): Desk) {
    pbx(&app, json!([{"call_id": "m-1", "event": "missed", "caller": "0236 3822 123"}])).await;
    // The same caller tries again while the callback is open: it is one callback, counted.
    pbx(
        &app,
        json!([{"call_id": "m-2", "event": "ringing", "caller": "02363822123"}, {"call_id": "m-2", "event": "missed"}]),
    )
    .await;
    let list = app.get_json(&app.operator, "/api/v1/callbacks").await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    let cb = &list[0];
    assert_eq!(
        (cb["source"].as_str(), cb["caller_phone"].as_str(), cb["missed_calls"].as_i64()),
        (Some("missed_call"), Some("02363822123"), Some(1))
    );
    let due = chrono::DateTime::parse_from_rfc3339(cb["due_at"].as_str().unwrap()).unwrap();
    assert!(due > chrono::Utc::now() + chrono::Duration::minutes(100), "due in two hours");
    let id = cb["id"].as_str().unwrap().to_owned();
    let act = |who: &Client, action: Value, etag: Option<String>| {
        let mut req = who.post(app.url(&format!("/api/v1/callbacks/{id}/actions"))).json(&action);
        if let Some(e) = etag {
            req = req.header("if-match", e);
        }
        req.send()
    };
    let r = act(&app.operator, json!({"action": "take"}), Some("\"v2\"".into())).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "taken at version 2 (the second missed call counted on it)");
    let taken: Value = r.json().await.unwrap();
    assert_eq!(taken["owner"], "t.operator");
    let r = act(&app.admin, json!({"action": "take"}), None).await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "another operator's callback is not taken from them");
    let r = act(&app.operator, json!({"action": "take"}), Some("\"v1\"".into())).await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "a stale version is refused");
    let r = act(&app.operator, json!({"action": "attempt", "due_at": "2000-01-01T00:00:00Z"}), None).await.unwrap();
    assert_eq!(fields(&problem(r).await), ["due_at"]);
    let r =
        act(&app.operator, json!({"action": "done", "note": "Đã gọi lại, hướng dẫn nộp hồ sơ trực tuyến"}), None).await;
    assert_eq!(r.unwrap().json::<Value>().await.unwrap()["state"], "done");
    assert!(app.get_json(&app.operator, "/api/v1/callbacks").await.as_array().unwrap().is_empty());
    assert_eq!(app.get_json(&app.operator, "/api/v1/callbacks?state=done").await[0]["id"], id.as_str());

    // An inquiry that needs a callback opens one, owned by the operator; without a number, none.
    let r = app
        .operator
        .post(app.url("/api/v1/inquiries"))
        .json(&json!({"topic": "Cấp lại sổ đỏ bị mất", "outcome": "callback"}))
        .send()
        .await
        .unwrap();
    assert_eq!(fields(&problem(r).await), ["caller_phone"]);
    let r = app
        .operator
        .post(app.url("/api/v1/inquiries"))
        .json(&json!({"topic": "Cấp lại sổ đỏ bị mất", "outcome": "callback", "caller_phone": "0935 444 555",
            "callback_reason": "Hỏi lại chi nhánh VP đăng ký đất đai"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let rec: Value = r.json().await.unwrap();
    assert_eq!(
        (rec["callback"]["owner"].as_str(), rec["callback"]["reason"].as_str()),
        (Some("t.operator"), Some("Hỏi lại chi nhánh VP đăng ký đất đai"))
    );

    // Leaders read the figures: counts, and not a digit of anyone's number.
    let r = app.leader.get(app.url("/api/v1/stats/desk")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    let f: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (f["calls_missed"].as_u64(), f["callbacks"].as_u64(), f["callbacks_done"].as_u64()),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(
        (f["callbacks_from_missed_calls"].as_u64(), f["callbacks_open"].as_u64(), f["inquiries"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    let callback = f["by_outcome"].as_array().unwrap().iter().find(|c| c["name"] == "callback").unwrap();
    assert_eq!(callback["count"], 1);
    for secret in ["3822123", "935444555", "Sổ đỏ", "sổ đỏ", "VP đăng ký"] {
        assert!(!text.contains(secret), "the figures hold {secret:?}");
    }
    // Leaders see nothing personal of the desk.
    for path in ["/api/v1/callbacks", "/api/v1/inquiries", "/api/v1/desk/calls"] {
        assert_eq!(app.leader.get(app.url(path)).send().await.unwrap().status(), StatusCode::FORBIDDEN, "{path}");
    }
}

async fn the_webhook_refuses_what_is_unsigned_forged_stale_or_malformed_and_records_nothing(Desk(app): Desk) {
    let event = json!({"call_id": "x-1", "event": "missed", "caller": "0905 999 888"});
    let now = chrono::Utc::now().timestamp();
    let unsigned = Client::new().post(app.url("/webhooks/pbx")).json(&event).send().await.unwrap();
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    let forged = post_signed(&app, &event, "not-the-secret-at-all", now).await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let stale = post_signed(&app, &event, PBX_SECRET, now - 3600).await;
    assert_eq!(problem(stale).await["code"], "stale_signature");
    let bad = json!({"events": [event, {"call_id": "x 2", "event": "hung up", "caller": "abc"}]});
    let r = post_signed(&app, &bad, PBX_SECRET, now).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem(r).await), ["events[1].call_id", "events[1].event", "events[1].caller"]);
    // Nothing of the good event was recorded: no callback, and sent again alone it is new.
    assert!(app.get_json(&app.operator, "/api/v1/callbacks").await.as_array().unwrap().is_empty());
    assert_eq!(pbx(&app, json!([event])).await, ["recorded"]);

    // The console's inquiry form gets its faults named.
    let r = app
        .operator
        .post(app.url("/api/v1/inquiries"))
        .json(&json!({"outcome": "transferred", "call_id": "no-such-call", "procedure": "9.999999",
            "caller_phone": "gọi tôi", "duration_seconds": -3}))
        .send()
        .await
        .unwrap();
    let mut got = fields(&problem(r).await);
    got.sort();
    assert_eq!(got, ["call_id", "caller_phone", "duration_seconds", "procedure", "topic", "transferred_to"]);
}

async fn a_ticket_taken_in_a_call_gets_the_calls_length_when_it_ends(Desk(app): Desk) {
    put_extension(&app, &app.operator, "105").await;
    pbx(&app, json!([{"call_id": "t-1", "event": "answered", "caller": "0914 222 333", "extension": "105"}])).await;
    let mut body = app.ticket_body(&app.hai_chau.clone(), "Rác thải xây dựng đổ trộm ở kiệt 45");
    body["call"] = json!({"started_at": chrono::Utc::now().to_rfc3339(), "call_id": "t-1"});
    let r = app.operator.post(app.url("/api/v1/calls")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
    let ticket: Value = r.json().await.unwrap();
    let id = ticket["id"].as_str().unwrap();
    pbx(&app, json!([{"call_id": "t-1", "event": "ended", "duration_seconds": 240, "recording_ref": "rec/t-1.wav"}]))
        .await;
    let call = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}/call")).await;
    assert_eq!((call["duration_seconds"].as_i64(), call["recording_ref"].as_str()), (Some(240), Some("rec/t-1.wav")));
    body["call"]["call_id"] = json!("unknown-call");
    let r = app.operator.post(app.url("/api/v1/calls")).json(&body).send().await.unwrap();
    assert_eq!(fields(&problem(r).await), ["call.call_id"]);
}

on_both_stores!(
    a_call_pops_up_with_the_callers_history_and_its_end_completes_the_inquiry,
    a_missed_call_becomes_a_callback_an_operator_takes_and_settles,
    the_webhook_refuses_what_is_unsigned_forged_stale_or_malformed_and_records_nothing,
    a_ticket_taken_in_a_call_gets_the_calls_length_when_it_ends,
);
