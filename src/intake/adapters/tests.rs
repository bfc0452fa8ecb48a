use serde_json::json;

use super::*;

fn fields(e: ValidationErrors) -> Vec<String> {
    e.0.into_iter().map(|f| f.field).collect()
}

#[test]
fn zalo_text_and_location_events_become_messages() {
    let text = json!({"app_id": "1", "event_name": "user_send_text", "timestamp": "1700000000000",
        "sender": {"id": "246813579"}, "recipient": {"id": "oa"},
        "message": {"msg_id": "m-1", "text": " Rác ở đầu hẻm "}});
    let b = zalo(&text).unwrap();
    assert_eq!(
        b.messages,
        vec![Parsed {
            message_id: "m-1".into(),
            sender: "246813579".into(),
            text: Some("Rác ở đầu hẻm".into()),
            location: None,
            sent_at_ms: Some(1_700_000_000_000),
            photos: vec![],
        }]
    );
    let loc = json!({"event_name": "user_send_location", "timestamp": 1700000000000u64, "sender": {"id": 246813579},
        "message": {"msg_id": "m-2", "attachments": [{"type": "location",
            "payload": {"coordinates": {"latitude": "16.0612", "longitude": "108.2272"}}}]}});
    let m = &zalo(&loc).unwrap().messages[0];
    assert_eq!(m.location, Some(Location { lon: 108.2272, lat: 16.0612 }));
    assert_eq!((m.sender.as_str(), m.text.as_deref()), ("246813579", None));
}

#[test]
fn zalo_other_events_are_ignored_and_bad_ones_name_the_field() {
    let follow = json!({"event_name": "follow", "timestamp": "1", "follower": {"id": "1"}});
    assert_eq!(zalo(&follow).unwrap(), Batch { messages: vec![], ignored: 1 });
    let bad = json!({"event_name": "user_send_location", "timestamp": "1", "sender": {"id": "1"},
        "message": {"msg_id": "m", "attachments": [{"type": "location", "payload": {"coordinates": {"latitude": "95", "longitude": "108"}}}]}});
    assert_eq!(fields(zalo(&bad).unwrap_err()), ["message.attachments[0].payload.coordinates.lat"]);
    let no_id = json!({"event_name": "user_send_text", "timestamp": "1", "message": {"text": "x"}});
    assert_eq!(fields(zalo(&no_id).unwrap_err()), ["sender.id", "message.msg_id"]);
}

#[test]
fn messenger_batches_skip_echoes_and_receipts() {
    let body = json!({"object": "page", "entry": [{"id": "p", "time": 1700000000000u64, "messaging": [
        {"sender": {"id": "psid-1"}, "recipient": {"id": "p"}, "timestamp": 1700000000001u64,
         "message": {"mid": "mid.1", "text": "Đèn đường hỏng", "attachments": [{"type": "location",
            "payload": {"coordinates": {"lat": 16.0612, "long": 108.2272}}}]}},
        {"sender": {"id": "p"}, "recipient": {"id": "psid-1"}, "timestamp": 1, "message": {"mid": "mid.2", "is_echo": true, "text": "hi"}},
        {"sender": {"id": "psid-1"}, "recipient": {"id": "p"}, "timestamp": 1, "delivery": {"mids": ["mid.2"]}}
    ]}]});
    let b = messenger(&body).unwrap();
    assert_eq!(b.ignored, 2);
    assert_eq!(b.messages.len(), 1);
    let m = &b.messages[0];
    assert_eq!((m.message_id.as_str(), m.sender.as_str()), ("mid.1", "psid-1"));
    assert_eq!(m.location, Some(Location { lon: 108.2272, lat: 16.0612 }));
    assert_eq!(m.sent_at_ms, Some(1_700_000_000_001));
    assert_eq!(fields(messenger(&json!({"object": "user"})).unwrap_err()), ["object"]);
    let no_mid = json!({"object": "page", "entry": [{"time": 1, "messaging": [{"sender": {"id": "a"}, "message": {"text": "x"}}]}]});
    assert_eq!(fields(messenger(&no_mid).unwrap_err()), ["entry[0].messaging[0].message.mid"]);
}

#[test]
fn sms_comes_as_a_form_or_json_from_a_phone_number() {
    let b =
        sms("from=%2B84905123456&text=Ng%E1%BA%ADp+%E1%BB%9F+Ch%E1%BB%A3+H%C3%A0n&id=sms-1".as_bytes(), true).unwrap();
    assert_eq!(b.messages[0].sender, "+84905123456");
    assert_eq!(b.messages[0].text.as_deref(), Some("Ngập ở Chợ Hàn"));
    let b = sms(br#"{"from": "0905 123 456", "text": "x", "message_id": "sms-2"}"#, false).unwrap();
    assert_eq!(b.messages[0].message_id, "sms-2");
    assert_eq!(fields(sms(br#"{"from": "VIETTEL", "text": "x"}"#, false).unwrap_err()), ["from", "id"]);
    assert_eq!(fields(sms(b"{", false).unwrap_err()), ["body"]);
}

#[test]
fn images_from_zalo_and_messenger_are_taken_with_their_captions() {
    let img = json!({"event_name": "user_send_image", "timestamp": 1700000000000u64, "sender": {"id": "246813579"},
        "message": {"msg_id": "m-3", "text": "Cống bị tắc", "attachments": [
            {"type": "image", "payload": {"url": "https://s120-ava-talk.zadn.vn/a/b/photo.jpg", "thumbnail": "x"}}]}});
    let m = &zalo(&img).unwrap().messages[0];
    assert_eq!(m.photos, ["https://s120-ava-talk.zadn.vn/a/b/photo.jpg"]);
    assert_eq!(m.text.as_deref(), Some("Cống bị tắc"));
    let bad = json!({"event_name": "user_send_image", "timestamp": 1, "sender": {"id": "1"},
        "message": {"msg_id": "m", "attachments": [{"type": "image", "payload": {"url": "file:///etc/passwd"}}]}});
    assert_eq!(fields(zalo(&bad).unwrap_err()), ["message.attachments[0].payload.url"]);
    let fb = json!({"object": "page", "entry": [{"time": 1700000000000u64, "messaging": [{"sender": {"id": "psid-1"},
        "timestamp": 1700000000000u64, "message": {"mid": "mid.9", "attachments": [
            {"type": "image", "payload": {"url": "https://scontent.xx.fbcdn.net/v/t1.15752-9/p.jpg"}},
            {"type": "image", "payload": {"url": "https://scontent.xx.fbcdn.net/v/t1.15752-9/q.jpg"}}]}}]}]});
    let m = &messenger(&fb).unwrap().messages[0];
    assert_eq!(m.photos.len(), 2);
    assert_eq!((m.text.as_deref(), m.location), (None, None));
}
