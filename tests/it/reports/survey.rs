//! The survey after a resolution: on the tracking page (fixed or not, a rating, a comment)
//! and by replying to the result's SMS. "Not fixed" reopens the report; answers feed the
//! leaders' ratings and reopen counts; a second answer changes nothing.

use serde_json::{Value, json};

use crate::channels::support::{Sink, eventually, sms};
use crate::harness::TestApp;
use crate::on_both_stores;

async fn resolve(app: &TestApp, id: &str) {
    let unit = app.agency_unit.clone();
    for (who, action) in [
        (&app.operator, json!({"action": "assign", "unit": unit})),
        (&app.agency, json!({"action": "accept"})),
        (&app.agency, json!({"action": "resolve", "result": "Đã nạo vét cống"})),
    ] {
        let r = app.act(who, id, action.clone()).await;
        assert_eq!(r.status(), 200, "{action}: {}", r.text().await.unwrap());
    }
}

async fn file_as_citizen(app: &TestApp, description: &str) -> (String, String, String) {
    let body = app.ticket_body(&app.hai_chau, description);
    let r = app.public.post(app.url("/api/v1/tickets")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let t: Value = r.json().await.unwrap();
    (t["code"].as_str().unwrap().into(), t["tracking_token"].as_str().unwrap().into(), t["id"].as_str().unwrap().into())
}

async fn survey(app: &TestApp, code: &str, body: Value) -> reqwest::Response {
    app.public.post(app.url(&format!("/api/v1/track/{code}/survey"))).json(&body).send().await.unwrap()
}

async fn the_tracking_page_survey_rates_or_reopens_and_is_answered_once((app, _sink): (TestApp, Sink)) {
    let (code, token, id) = file_as_citizen(&app, "Cống nghẹt bốc mùi ở kiệt 45").await;
    // Not resolved yet: no survey.
    let r = survey(&app, &code, json!({"token": token, "fixed": true, "rating": 5})).await;
    assert_eq!(r.status(), 409);
    resolve(&app, &id).await;
    let r = survey(&app, &code, json!({"token": token, "fixed": true})).await;
    assert_eq!(r.status(), 422);
    assert_eq!(crate::harness::fields(&crate::harness::problem(r).await), ["rating"]);
    let r = survey(&app, &code, json!({"token": "wrong", "fixed": false})).await;
    assert_eq!(r.status(), 404);
    let r = survey(&app, &code, json!({"token": token, "fixed": false, "comment": "Vẫn còn bốc mùi"})).await;
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    assert_eq!(t["status"], "assigned", "not fixed: back to its unit");
    let reopened = t["timeline"].as_array().unwrap().iter().find(|e| e["kind"] == "ticket.reopened").cloned();
    assert!(reopened.is_some(), "{t}");
    let r = survey(&app, &code, json!({"token": token, "fixed": false})).await;
    assert_eq!(r.status(), 409, "answered: nothing waits now");

    let (code2, token2, id2) = file_as_citizen(&app, "Rác tồn đọng ở chợ Hàn").await;
    resolve(&app, &id2).await;
    let r = survey(&app, &code2, json!({"token": token2, "fixed": true, "rating": 4, "comment": "Nhanh"})).await;
    assert_eq!(r.status(), 200);
    let t: Value = r.json().await.unwrap();
    assert_eq!((t["status"].as_str(), t["rating"].as_u64()), (Some("resolved"), Some(4)));
    let stats = app.get_json(&app.admin, "/api/v1/stats").await;
    let m = &stats["total"]["measures"];
    assert_eq!((m["reopened"].as_u64(), m["rated"].as_u64()), (Some(1), Some(1)), "{m}");
}
on_both_stores!(the_tracking_page_survey_rates_or_reopens_and_is_answered_once);

async fn an_sms_reply_answers_the_survey_of_the_senders_report((app, sink): (TestApp, Sink)) {
    let from = "+84905777888";
    let r = sms(&app, "s-1", from, "Ngập sâu trước Chợ Hàn sau mưa").send().await.unwrap();
    let res: Value = r.json().await.unwrap();
    let code = res["results"][0]["ticket"].as_str().unwrap().to_owned();
    let t = app.get_json(&app.operator, &format!("/api/v1/tickets/{code}")).await;
    resolve(&app, t["id"].as_str().unwrap()).await;
    eventually("the result's SMS", || !sink.delivered("resolved").is_empty()).await;
    let asked = sink.delivered("resolved")[0].body["text_vi"].as_str().unwrap().to_owned();
    assert!(asked.contains("Sự việc đã được khắc phục chưa?"), "{asked}");

    let r = sms(&app, "s-2", from, "4 cảm ơn các anh").send().await.unwrap();
    let res: Value = r.json().await.unwrap();
    assert_eq!(res["results"][0]["outcome"], "answered", "{res}");
    assert_eq!(res["results"][0]["ticket"], code.as_str());
    let t = app.get_json(&app.operator, &format!("/api/v1/tickets/{code}")).await;
    assert_eq!((t["rating"].as_u64(), t["status"].as_str()), (Some(4), Some("resolved")));
    assert_eq!(t["rating_comment"], "cảm ơn các anh");
    // A second reply, or the same one again, changes nothing and files nothing.
    for (id, text) in [("s-3", "1"), ("s-2", "4 cảm ơn các anh")] {
        let res: Value = sms(&app, id, from, text).send().await.unwrap().json().await.unwrap();
        assert_eq!(res["results"][0]["outcome"], "duplicate", "{res}");
    }
    let t = app.get_json(&app.operator, &format!("/api/v1/tickets/{code}")).await;
    assert_eq!(t["rating"], 4);
    // A new report from the same sender is still a report.
    let res: Value = sms(&app, "s-4", from, "Đèn đường hỏng trước Chợ Hàn").send().await.unwrap().json().await.unwrap();
    assert_eq!(res["results"][0]["outcome"], "filed", "{res}");
}
on_both_stores!(an_sms_reply_answers_the_survey_of_the_senders_report);
