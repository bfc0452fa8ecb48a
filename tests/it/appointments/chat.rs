//! Booking in the chat: the chatbot offers the earliest free slots of an office serving the
//! procedure asked about, and "ĐẶT n Họ tên số" books one.

use serde_json::{Value, json};

use crate::harness::{Backend, TestApp};
use crate::on_both_stores;

async fn say(app: &TestApp, conversation: Option<(&str, &str)>, text: &str) -> Value {
    let mut body = json!({"text": text});
    let mut req = app.public.post(app.url("/api/v1/chat"));
    if let Some((id, secret)) = conversation {
        body["conversation"] = json!(id);
        req = req.header("x-conversation-secret", secret);
    }
    let r = req.json(&body).send().await.unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    r.json().await.unwrap()
}

fn last_bot(chat: &Value) -> String {
    chat["turns"].as_array().unwrap().iter().rev().find(|t| t["speaker"] == "bot").unwrap()["text"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn a_citizen_books_in_the_chat(backend: Backend) {
    let app = super::app(backend).await;
    let first = say(&app, None, "Tôi muốn đặt lịch làm thủ tục cấp lại giấy chứng nhận quyền sử dụng đất bị mất").await;
    let (id, secret) =
        (first["conversation"].as_str().unwrap().to_owned(), first["secret"].as_str().unwrap().to_owned());
    let offer = last_bot(&first);
    assert!(offer.contains("1) ") && offer.contains("ĐẶT 1"), "{offer}");
    assert!(offer.contains("Trung tâm Phục vụ hành chính công"), "the centre serves land procedures: {offer}");
    let c = Some((id.as_str(), secret.as_str()));
    let missing = say(&app, c, "ĐẶT 2 Nguyễn Thị Vân Anh").await;
    assert!(last_bot(&missing).contains("số điện thoại"), "the portal's chat has no number: it asks for one");
    let done = say(&app, c, "ĐẶT 2 Nguyễn Thị Vân Anh 0905 123 456").await;
    let reply = last_bot(&done);
    assert!(reply.contains("Đã đặt lịch LH-") && reply.contains("/dat-lich/LH-"), "{reply}");
    let code = reply.split_whitespace().find(|w| w.starts_with("LH-")).unwrap().to_owned();
    let (b, _) = app.store.booking_by_code(&code).await.unwrap().expect("stored");
    assert_eq!(
        (b.name.as_str(), b.channel.as_str(), b.procedure.as_deref()),
        ("Nguyễn Thị Vân Anh", "chatbot", Some("DN-TTHC-011"))
    );
    // Saying it again books nothing more.
    let again = say(&app, c, "ĐẶT 2 Nguyễn Thị Vân Anh 0905 123 456").await;
    assert!(last_bot(&again).contains(&code));
}

on_both_stores!(a_citizen_books_in_the_chat);
