//! Conformance cases for what Open311 stores: category attributes, ticket extras (media URL
//! and attribute answers, written with the ticket) and the outbox read by time.

use std::sync::Arc;

use chrono::Duration;
use switchboard::domain::{Answer, AttributeValue, Datatype, EventKind, ServiceAttribute, TicketEvent, TicketExtras};
use switchboard::store::{Created, Store};

use crate::harness::*;
use crate::on_both_stores;

async fn category_attributes_round_trip((store, _db): (Arc<dyn Store>, TestDb)) {
    let mut noise = sample_category("noise-karaoke", Some(3));
    noise.attributes = vec![ServiceAttribute {
        code: "time_of_day".into(),
        datatype: Datatype::Singlevaluelist,
        required: true,
        order: 1,
        description: "Tiếng ồn xảy ra vào lúc nào?".into(),
        description_en: "When does the noise happen?".into(),
        values: vec![AttributeValue {
            key: "night".into(),
            name: "Ban đêm (22–6 giờ)".into(),
            name_en: "Night".into(),
        }],
    }];
    let plain = sample_category("garbage", None);
    store.upsert_categories(&[noise.clone(), plain.clone()]).await.unwrap();
    assert_eq!(store.categories().await.unwrap(), vec![plain.clone(), noise.clone()]);
    // Replacing a category replaces its attributes.
    noise.attributes.clear();
    store.upsert_categories(&[noise.clone()]).await.unwrap();
    assert_eq!(store.categories().await.unwrap(), vec![plain, noise]);
}

async fn ticket_extras_are_stored_with_the_ticket((store, _db): (Arc<dyn Store>, TestDb)) {
    let mut with = new_record("DN-2611");
    with.extras = TicketExtras {
        media_url: Some("https://anh.example.vn/p/1.jpg".into()),
        attributes: [
            ("volume_m3".to_owned(), Answer::Number(2.5)),
            ("waste_type".to_owned(), Answer::Text("concrete".into())),
            ("machinery".to_owned(), Answer::List(vec!["drill".into(), "trucks".into()])),
        ]
        .into(),
    };
    let extras = with.extras.clone();
    let Created::New { ticket: a, .. } = store.create_ticket(with, None).await.unwrap() else { panic!("new") };
    let stored = serde_json::to_string(&store.ticket_events(a.id).await.unwrap()).unwrap();
    assert!(
        stored.contains(a.code.as_str()) && !stored.contains("anh.example.vn"),
        "extras are not in the event: {stored}"
    );
    let b = create(&store, "DN-2611").await; // no extras
    let mut only_url = new_record("DN-2611");
    only_url.extras.media_url = Some("http://x.vn/v.mp4".into());
    let Created::New { ticket: c, .. } = store.create_ticket(only_url, None).await.unwrap() else { panic!("new") };
    let got = store.ticket_extras(&[c.id, b.id, a.id]).await.unwrap();
    assert_eq!(got.len(), 2, "a ticket without extras has none");
    assert_eq!((got[0].0, got[1].0), (c.id, a.id), "in the order asked");
    assert_eq!(got[1].1, extras);
    assert_eq!(got[0].1, TicketExtras { media_url: Some("http://x.vn/v.mp4".into()), attributes: Default::default() });
    assert!(store.ticket_extras(&[]).await.unwrap().is_empty());
}

async fn events_between_reads_the_outbox_by_time((store, _db): (Arc<dyn Store>, TestDb)) {
    let t = create(&store, "DN-2611").await; // created at at(123_456_000)
    let mut moved = t.clone();
    let mut events = Vec::new();
    for (i, kind) in [EventKind::Assigned, EventKind::Rated, EventKind::Accepted].into_iter().enumerate() {
        let mut next = moved.clone();
        next.version += 1;
        next.updated_at = t.received_at + Duration::hours(i as i64 + 1);
        let ev = TicketEvent {
            seq: 0,
            ticket_id: t.id,
            kind,
            actor: "user:operator1".into(),
            at: next.updated_at,
            note: None,
            data: serde_json::Value::Null,
        };
        events.push(store.update_ticket(&next, moved.version, ev).await.unwrap());
        moved = next;
    }
    let public = [EventKind::Created, EventKind::Assigned, EventKind::Accepted];
    let all = store.events_between(t.received_at, t.received_at + Duration::days(1), &public, 0, 100).await.unwrap();
    let kinds: Vec<EventKind> = all.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Created, EventKind::Assigned, EventKind::Accepted], "kinds filter, seq order");
    assert_eq!(all[1], events[0]);
    // Both ends are inclusive; offset and limit page.
    let window = store.events_between(at(123_456_000), events[0].at, &public, 0, 100).await.unwrap();
    assert_eq!(window.len(), 2);
    let page = store.events_between(t.received_at, events[2].at, &public, 1, 1).await.unwrap();
    assert_eq!(page, vec![events[0].clone()]);
    let later =
        store.events_between(events[2].at + Duration::microseconds(1), events[2].at + Duration::days(1), &public, 0, 9);
    assert!(later.await.unwrap().is_empty());
    assert!(store.events_between(t.received_at, events[2].at, &[], 0, 9).await.unwrap().is_empty());
}

on_both_stores!(
    category_attributes_round_trip,
    ticket_extras_are_stored_with_the_ticket,
    events_between_reads_the_outbox_by_time,
);
