//! The chatbot against the real server: a question in plain unaccented Vietnamese answered from
//! the catalogue on the portal and on SMS (code quoted, page linked, nothing filed), questions
//! the catalogue does not hold never answered but handed to a person, an operator taking the
//! conversation and replying on the same channel, a report's status by its code, a report
//! filed once its place is named, redeliveries, and who may read conversations.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::channels::support::{Sink, eventually, sms, spawn};
use crate::harness::{Backend, TestApp, fields, problem};
use crate::store_conformance::procedures::procedure;

/// A catalogue of three, replacing the demo's: the answers below can only come from it.
async fn catalogue(app: &TestApp) {
    let mut land = procedure("1.012345", "Cấp lại Giấy chứng nhận quyền sử dụng đất do bị mất");
    land.field = "Đất đai".into();
    land.keywords = vec!["cấp lại sổ đỏ".into(), "mất sổ đỏ".into(), "mất sổ hồng".into()];
    land.documents[0].name = "Đơn đề nghị cấp lại Giấy chứng nhận (Mẫu 10/ĐK)".into();
    land.submit_at = "Chi nhánh Văn phòng đăng ký đất đai quận".into();
    let birth = procedure("1.001193", "Đăng ký khai sinh");
    let permit = procedure("1.009794", "Cấp giấy phép xây dựng nhà ở riêng lẻ");
    app.store.import_procedures(&[land, birth, permit], true, chrono::Utc::now()).await.unwrap();
    // The server reloads its copy within seconds.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.get_json(&app.public, "/api/v1/procedures").await["total"] != 3 {
        assert!(std::time::Instant::now() < deadline, "the catalogue did not reload");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

async fn say(app: &TestApp, conversation: Option<(&str, &str)>, text: &str) -> reqwest::Response {
    let mut body = json!({"text": text});
    let mut req = app.public.post(app.url("/api/v1/chat"));
    if let Some((id, secret)) = conversation {
        body["conversation"] = json!(id);
        req = req.header("x-conversation-secret", secret);
    }
    req.json(&body).send().await.unwrap()
}

fn bot_text(chat: &Value) -> String {
    chat["turns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["speaker"] == "bot")
        .map(|t| t["text"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_question_without_diacritics_is_answered_from_the_catalogue_and_an_unknown_one_goes_to_a_person() {
    let (app, _sink) = spawn(Backend::Sqlite, |_| {}).await;
    catalogue(&app).await;
    let r = say(&app, None, "cap lai so do bi mat can giay to gi").await;
    assert_eq!(r.status(), StatusCode::OK);
    let chat: Value = r.json().await.unwrap();
    let (id, secret) = (chat["conversation"].as_str().unwrap().to_owned(), chat["secret"].as_str().unwrap().to_owned());
    assert_eq!(chat["state"], "bot");
    assert_eq!(chat["turns"][0]["speaker"], "citizen");
    let answer = bot_text(&chat);
    assert!(answer.contains("mã 1.012345"), "the code is quoted: {answer}");
    assert!(answer.contains("/thu-tuc/1.012345"), "the page is linked: {answer}");
    assert!(answer.contains("Mẫu 10/ĐK"), "the documents come from the catalogue: {answer}");

    // Out of scope: no answer is made up; the conversation waits for a person.
    let chat: Value = say(&app, Some((&id, &secret)), "giá vàng hôm nay bao nhiêu?").await.json().await.unwrap();
    assert_eq!(chat["state"], "waiting", "{chat}");
    let answer = bot_text(&chat);
    assert!(answer.contains("chưa tìm được thông tin chắc chắn") && answer.contains("tổng đài viên"), "{answer}");
    assert!(!answer.contains("1.0"), "no procedure is offered for it: {answer}");
    assert!(
        app.get_json(&app.operator, "/api/v1/conversations").await.as_array().unwrap().iter().any(|c| c["id"] == id)
    );

    // While it waits, the chatbot stays silent.
    let chat: Value = say(&app, Some((&id, &secret)), "làm khai sinh cần gì").await.json().await.unwrap();
    assert_eq!(bot_text(&chat), "", "{chat}");

    // The secret guards the conversation.
    let r = app
        .public
        .get(app.url(&format!("/api/v1/chat/{id}")))
        .header("x-conversation-secret", "nope")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app.public.get(app.url(&format!("/api/v1/chat/{id}"))).send().await.unwrap();
    assert_eq!(fields(&problem(r).await), ["x-conversation-secret"]);
    let r = say(&app, None, "   ").await;
    assert_eq!(fields(&problem(r).await), ["text"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_takes_a_conversation_and_the_reply_reaches_the_portal_then_hands_it_back() {
    let (app, _sink) = spawn(Backend::Postgres, |_| {}).await;
    catalogue(&app).await;
    let chat: Value = say(&app, None, "Cho mình gặp nhân viên").await.json().await.unwrap();
    let (id, secret) = (chat["conversation"].as_str().unwrap().to_owned(), chat["secret"].as_str().unwrap().to_owned());
    assert_eq!(chat["state"], "waiting");

    for (who, status) in [(&app.public, 401), (&app.leader, 403), (&app.agency, 403), (&app.analyst, 403)] {
        let r = who.get(app.url("/api/v1/conversations")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), status);
        let r = who.post(app.url(&format!("/api/v1/conversations/{id}/take"))).send().await.unwrap();
        assert_eq!(r.status().as_u16(), status);
    }
    let r = app
        .operator
        .post(app.url(&format!("/api/v1/conversations/{id}/replies")))
        .json(&json!({"text": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "take it first");
    let t: Value = app
        .operator
        .post(app.url(&format!("/api/v1/conversations/{id}/take")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(t["state"], "human");
    assert_eq!(t["transcript"][0]["text"], "Cho mình gặp nhân viên");
    let r = app.admin.post(app.url(&format!("/api/v1/conversations/{id}/take"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "another operator holds it");

    let r = app
        .operator
        .post(app.url(&format!("/api/v1/conversations/{id}/replies")))
        .json(&json!({"text": "Chào anh/chị, tổng đài viên Lan đây. Anh/chị cần hỗ trợ gì ạ?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let n = r.json::<Value>().await.unwrap()["n"].as_i64().unwrap();
    let read: Value = app
        .public
        .get(app.url(&format!("/api/v1/chat/{id}?after={}", n - 1)))
        .header("x-conversation-secret", &secret)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(read["turns"][0]["speaker"], "operator");
    assert!(read["turns"][0]["text"].as_str().unwrap().contains("tổng đài viên Lan"));

    // Handed back: the chatbot answers again.
    let r = app
        .operator
        .post(app.url(&format!("/api/v1/conversations/{id}/release")))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let chat: Value = say(&app, Some((&id, &secret)), "lam giay khai sinh o dau").await.json().await.unwrap();
    assert!(bot_text(&chat).contains("1.001193"), "{chat}");
    // Ended: the page must start a new one.
    app.operator
        .post(app.url(&format!("/api/v1/conversations/{id}/release")))
        .json(&json!({"close": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(say(&app, Some((&id, &secret)), "alo").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sms_question_is_answered_by_sms_files_nothing_and_a_redelivery_is_answered_once() {
    let (app, sink): (TestApp, Sink) = spawn(Backend::Sqlite, |_| {}).await;
    catalogue(&app).await;
    let before = app.store.all_tickets().await.unwrap().len();
    for _ in 0..2 {
        let r = sms(&app, "sms-q-1", "+84905111222", "mat so do thi lam lai the nao").send().await.unwrap();
        let res: Value = r.json().await.unwrap();
        assert!(matches!(res["results"][0]["outcome"].as_str(), Some("replied" | "duplicate")), "{res}");
    }
    eventually("the SMS answer", || !sink.delivered("chat").is_empty()).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let sent = sink.delivered("chat");
    assert_eq!(sent.len(), 1, "answered once: {sent:?}");
    assert_eq!(sent[0].body["recipient"], "+84905111222");
    let text = sent[0].body["text"].as_str().unwrap();
    assert!(text.contains("1.012345") && text.contains("Mẫu 10/ĐK"), "{text}");
    assert_eq!(app.store.all_tickets().await.unwrap().len(), before, "a question files no report");

    // A report by SMS still becomes a ticket.
    let r = sms(&app, "sms-r-1", "+84905111222", "Ngập sâu trước Chợ Hàn, xe máy chết máy").send().await.unwrap();
    let res: Value = r.json().await.unwrap();
    assert_eq!(res["results"][0]["outcome"], "filed", "{res}");
    let code = res["results"][0]["ticket"].as_str().unwrap().to_owned();

    // Its status, by its code.
    sms(&app, "sms-s-1", "+84905111222", &format!("phan anh {code} sao roi")).send().await.unwrap();
    eventually("the status", || {
        sink.delivered("chat").iter().any(|c| c.body["text"].as_str().unwrap().contains(&code))
    })
    .await;
    let status = sink.delivered("chat").into_iter().find(|c| c.body["text"].as_str().unwrap().contains(&code)).unwrap();
    assert!(status.body["text"].as_str().unwrap().contains("đang được xử lý"), "{:?}", status.body);
    assert!(!status.body["text"].as_str().unwrap().contains("0905111222"), "no contact in the answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_problem_told_on_the_portal_is_filed_once_its_place_is_named_and_survives_a_restart() {
    let (app, _sink) = spawn(Backend::Postgres, |_| {}).await;
    catalogue(&app).await;
    let chat: Value = say(&app, None, "Đèn đường hỏng, tối om cả đoạn").await.json().await.unwrap();
    let (id, secret) = (chat["conversation"].as_str().unwrap().to_owned(), chat["secret"].as_str().unwrap().to_owned());
    assert!(bot_text(&chat).contains("địa điểm"), "the place is asked for: {chat}");
    let chat: Value = say(&app, Some((&id, &secret)), "ở gần Chợ Hàn").await.json().await.unwrap();
    let answer = bot_text(&chat);
    assert!(answer.contains("đã được tiếp nhận"), "{answer}");
    let code = answer.split("mã ").nth(1).unwrap().split('.').next().unwrap().to_owned();
    let t = app.get_json(&app.operator, &format!("/api/v1/tickets/{code}")).await;
    assert!(t["description"].as_str().unwrap().starts_with("Đèn đường hỏng"), "{t}");
    assert_eq!(t["category"], "street-light-broken", "the suggester sorted it: {t}");
    assert!(answer.contains(&format!("#track/{code}/")), "with its tracking link: {answer}");

    // Another instance on the same database reads the same conversation.
    let (b_base, _) = crate::live::second_instance(&app).await;
    let read: Value = reqwest::Client::new()
        .get(format!("{b_base}/api/v1/chat/{id}"))
        .header("x-conversation-secret", &secret)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(read["turns"].as_array().unwrap().len(), 4, "{read}");
}
