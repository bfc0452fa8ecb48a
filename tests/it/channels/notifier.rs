//! The notifier: retries against a failing endpoint, SMTP, two instances on one PostGIS.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::json;
use switchboard::app::Application;
use switchboard::app::Settings;
use switchboard::domain::{Medium, TicketId};

use super::support::*;
use crate::harness::{Backend, TestApp};

/// Files a ticket as the operator with this reporter contact; returns (id, code).
async fn file_with(app: &TestApp, base: &str, reporter: serde_json::Value) -> (TicketId, String) {
    let mut body = app.ticket_body(&app.hai_chau.clone(), "Mất nước sinh hoạt hai ngày");
    body["reporter"] = reporter;
    let r = app.operator.post(format!("{base}/api/v1/tickets")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let t: serde_json::Value = r.json().await.unwrap();
    (TicketId::parse(t["id"].as_str().unwrap(), "id").unwrap(), t["code"].as_str().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_gateway_gets_retries_until_it_takes_the_message_and_it_is_marked_sent() {
    let (app, sink) = spawn_with(Backend::Sqlite, sink(2, 503).await, |_| {}).await;
    let (id, code) = file_with(&app, &app.base, json!({"phone": "0905 123 456"})).await;
    eventually("delivery after two 503s", || !sink.delivered("created").is_empty()).await;
    let call = &sink.delivered("created")[0];
    assert_eq!((call.path.as_str(), call.body["recipient"].as_str()), ("sms", Some("0905 123 456")));
    assert_eq!(call.body["code"], code.as_str());
    assert!(
        call.body["text_vi"].as_str().unwrap().starts_with(&format!("Phản ánh {code} đã được tiếp nhận. Hạn xử lý: "))
    );
    assert!(call.body["text_en"].as_str().unwrap().starts_with(&format!("Report {code} has been received.")));
    assert!(call.signed);

    let store = app.store.clone();
    let mut sent = None;
    for _ in 0..100 {
        let n = store.ticket_notifications(id).await.unwrap();
        if n.first().is_some_and(|n| n.sent_at.is_some()) {
            sent = n.into_iter().next();
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let n = sent.expect("marked sent");
    assert_eq!((n.attempts, n.medium, n.next_attempt_at), (3, Medium::Sms, None));
    assert!(n.last_error.as_deref().unwrap_or_default().contains("503"), "{:?}", n.last_error);

    // The caller never saw the API's answer: the message carries their tracking token, which
    // opens the report (no public URL is configured, so the token itself is given).
    let token = call.body["text_vi"].as_str().unwrap().rsplit(": ").next().unwrap().to_owned();
    assert_eq!(token.len(), 32, "{}", call.body["text_vi"]);
    let tracked = reqwest::get(app.url(&format!("/api/v1/track/{code}?token={token}"))).await.unwrap();
    assert_eq!(tracked.status(), 200, "the token in the message tracks the report");
    assert!(call.body["text_en"].as_str().unwrap().ends_with(&token));

    // A forward to a unit is told with the unit's name, a unit handing it back without its
    // reason; internal steps are not.
    let unit = app.agency_unit.clone();
    assert_eq!(app.act(&app.operator, &id.to_string(), json!({"action": "assign", "unit": unit})).await.status(), 200);
    let back = json!({"action": "return", "reason": "Không thuộc địa bàn phường"});
    assert_eq!(app.act(&app.agency, &id.to_string(), back).await.status(), 200);
    eventually("the return", || !sink.delivered("returned").is_empty()).await;
    let returned = sink.delivered("returned")[0].body["text_vi"].as_str().unwrap().to_owned();
    assert!(returned.contains("chuyển lại cho đơn vị phù hợp") && !returned.contains("địa bàn phường"), "{returned}");
    assert_eq!(app.act(&app.operator, &id.to_string(), json!({"action": "assign", "unit": unit})).await.status(), 200);
    assert_eq!(app.act(&app.agency, &id.to_string(), json!({"action": "accept"})).await.status(), 200);
    assert_eq!(
        app.act(&app.agency, &id.to_string(), json!({"action": "resolve", "result": "Đã sửa ống nước"})).await.status(),
        200
    );
    eventually("the resolution", || !sink.delivered("resolved").is_empty()).await;
    let unit_name =
        app.services.reference.current().units.iter().find(|u| u.code.as_str() == unit).unwrap().name_vi.clone();
    let assigned = sink.delivered("assigned");
    assert!(assigned[0].body["text_vi"].as_str().unwrap().contains(&unit_name), "{:?}", assigned[0].body);
    let resolved = sink.delivered("resolved")[0].body["text_vi"].as_str().unwrap().to_owned();
    assert!(
        resolved.starts_with(&format!(
            "Phản ánh {code} đã được xử lý: Đã sửa ống nước\nSự việc đã được khắc phục chưa? Nhắn lại 1–5"
        )),
        "the result asks the survey's question: {resolved}"
    );
    assert!(
        resolved.ends_with(&format!(" Mã bí mật để tra cứu trên cổng 1022: {token}")),
        "the result comes with the token again, to answer the survey: {resolved}"
    );
    let templates: Vec<String> =
        store.ticket_notifications(id).await.unwrap().into_iter().map(|n| n.template).collect();
    assert_eq!(templates, ["created", "assigned", "returned", "assigned", "resolved"], "nothing for the acceptance");
    let stored = store.ticket_notifications(id).await.unwrap();
    assert!(!stored.iter().any(|n| n.payload.to_string().contains(&token)), "the token is never stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_reporter_keeps_their_own_token_and_an_sms_reporter_gets_a_link_to_the_portal() {
    let (app, sink) =
        spawn(Backend::Sqlite, |s| s.open311.public_base_url = Some("https://1022.example.vn".into())).await;
    // The web reporter got their token in the answer: the message adds none and theirs works.
    let mut body = app.ticket_body(&app.hai_chau.clone(), "Cây đổ chắn đường");
    body["reporter"] = json!({"phone": "0905 777 888"});
    body["consent"] = json!(true);
    let r = reqwest::Client::new().post(app.url("/api/v1/tickets")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let web: serde_json::Value = r.json().await.unwrap();
    let (web_code, web_token) = (web["code"].as_str().unwrap(), web["tracking_token"].as_str().unwrap());

    let r = sms(&app, "sms-link", "+84905999000", "Rác tràn ở Chợ Hàn").send().await.unwrap();
    assert_eq!(r.status(), 200);
    eventually("both received messages", || sink.delivered("created").len() == 2).await;
    let created = sink.delivered("created");
    let web_msg = created.iter().find(|c| c.body["code"] == web_code).unwrap();
    assert!(!web_msg.body["text_vi"].as_str().unwrap().contains("#track"), "{}", web_msg.body);
    let tracked = reqwest::get(app.url(&format!("/api/v1/track/{web_code}?token={web_token}"))).await.unwrap();
    assert_eq!(tracked.status(), 200);

    let sms_msg = created.iter().find(|c| c.body["code"] != web_code).unwrap();
    let text = sms_msg.body["text_vi"].as_str().unwrap();
    let link = text.split("Theo dõi và đánh giá: ").nth(1).unwrap_or_else(|| panic!("no link in {text}"));
    let rest = link.strip_prefix("https://1022.example.vn/#track/").unwrap();
    let (code, token) = rest.split_once('/').unwrap();
    assert_eq!(code, sms_msg.body["code"].as_str().unwrap());
    let tracked = reqwest::get(app.url(&format!("/api/v1/track/{code}?token={token}"))).await.unwrap();
    assert_eq!(tracked.status(), 200, "the link's token opens the report");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_refusing_the_message_is_given_up_without_retrying() {
    let (app, sink) = spawn_with(Backend::Sqlite, sink(100, 400).await, |_| {}).await;
    let (id, _) = file_with(&app, &app.base, json!({"phone": "0905123456"})).await;
    let store = app.store.clone();
    for _ in 0..200 {
        if store.ticket_notifications(id).await.unwrap().first().is_some_and(|n| n.gave_up()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let n = store.ticket_notifications(id).await.unwrap().remove(0);
    assert!(n.gave_up(), "{n:?}");
    assert_eq!(n.attempts, 1, "a 400 will not get better");
    assert!(n.last_error.unwrap().contains("400"));
    assert_eq!(sink.fail_first.load(std::sync::atomic::Ordering::SeqCst), 99, "one call only");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_is_delivered_through_smtp_in_vietnamese_and_english() {
    let (smtp, mails) = smtp_sink().await;
    let (app, _) = spawn(Backend::Sqlite, move |s| {
        s.notify.smtp_url = Some(switchboard::config::Secret::new(smtp));
        s.notify.smtp_from = Some("Tổng đài 1022 <noreply@1022.example.vn>".into());
    })
    .await;
    let (id, code) = file_with(&app, &app.base, json!({"name": "Lê Thị Hoa", "email": "hoa.le@example.vn"})).await;
    eventually("the email", || !mails.lock().unwrap().is_empty()).await;
    let mail = mails.lock().unwrap()[0].clone();
    assert_eq!(mail.to, "hoa.le@example.vn");
    let text = mail_text(&mail.data);
    assert!(text.contains(&format!("Phản ánh {code} đã được tiếp nhận")), "{text}");
    assert!(text.contains(&format!("Report {code} has been received")), "{text}");

    let r = app
        .act(&app.operator, &id.to_string(), json!({"action": "reject", "reason": "Không thuộc thẩm quyền thành phố"}))
        .await;
    assert_eq!(r.status(), 200);
    eventually("the second email", || mails.lock().unwrap().len() == 2).await;
    let text = mail_text(&mails.lock().unwrap()[1].data);
    assert!(
        text.contains(&format!("Phản ánh {code} không được tiếp nhận. Lý do: Không thuộc thẩm quyền thành phố")),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgis_enqueue_and_deliver_each_notification_once() {
    let (a, sink) = spawn(Backend::Postgres, |_| {}).await;
    let settings = Settings { listen: "127.0.0.1:0".parse().unwrap(), ..a.settings.clone() };
    let b = Application::build(settings).await.expect("instance B");
    let b_base = format!("http://127.0.0.1:{}", b.port());
    tokio::spawn(b.run_until_stopped());

    let mut ids = Vec::new();
    for i in 0..6 {
        let base = if i % 2 == 0 { a.base.clone() } else { b_base.clone() };
        ids.push(file_with(&a, &base, json!({"phone": format!("09051234{i:02}")})).await.0);
    }
    let unit = a.agency_unit.clone();
    for id in &ids {
        let r = a.act(&a.operator, &id.to_string(), json!({"action": "assign", "unit": unit})).await;
        assert_eq!(r.status(), 200);
    }
    eventually("12 deliveries", || sink.calls().len() >= 12).await;
    tokio::time::sleep(Duration::from_millis(1500)).await; // time for any duplicate to show up
    let calls = sink.calls();
    let distinct: HashSet<String> = calls.iter().map(|c| c.body["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!((calls.len(), distinct.len()), (12, 12), "each notification delivered once: {calls:#?}");
    for id in &ids {
        let n = a.store.ticket_notifications(*id).await.unwrap();
        let kinds: Vec<&str> = n.iter().map(|n| n.template.as_str()).collect();
        assert_eq!(kinds, ["created", "assigned"], "enqueued once per event and recipient");
        assert!(n.iter().all(|n| n.sent_at.is_some() && n.attempts == 1));
    }
}
