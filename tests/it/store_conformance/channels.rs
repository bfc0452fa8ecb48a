//! Conformance of the chat/SMS intake tables and the notifier's outbox (both backends, through
//! `on_both_stores!`).

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use switchboard::domain::{Location, Medium};
use switchboard::store::{Accepted, DeliveryOutcome, InboundMessage, NewNotification, Store, StoreError};

use crate::harness::*;
use crate::on_both_stores;

fn msg(id: &str, sender: &str, text: Option<&str>, loc: Option<(f64, f64)>, at: DateTime<Utc>) -> InboundMessage {
    InboundMessage {
        medium: Medium::Zalo,
        message_id: id.into(),
        sender: sender.into(),
        text: text.map(str::to_owned),
        location: loc.map(|(lon, lat)| Location { lon, lat }),
        received_at: at,
    }
}

fn new(a: Accepted) -> switchboard::store::ChannelMessage {
    match a {
        Accepted::New(m) => m,
        Accepted::Seen(m) => panic!("expected a new message, got {} seen before", m.message_id),
    }
}

async fn accepts_each_message_once_and_merges_a_senders_draft((store, _db): (Arc<dyn Store>, TestDb)) {
    let t0 = at(0);
    let long_ago = t0 - Duration::minutes(30);
    let m1 = new(store.accept_message(msg("m1", "u1", Some("Rác ở đầu hẻm"), None, t0), long_ago).await.unwrap());
    assert!(!m1.complete && m1.ticket_id.is_none());
    assert_eq!(m1.text.as_deref(), Some("Rác ở đầu hẻm"));
    match store.accept_message(msg("m1", "u1", Some("changed"), None, t0), long_ago).await.unwrap() {
        Accepted::Seen(m) => assert_eq!(m, m1, "a redelivery is answered as stored the first time"),
        other => panic!("expected seen, got {other:?}"),
    }
    // Another sender's draft is apart.
    let other = new(store.accept_message(msg("x1", "u2", None, Some((108.2, 16.0)), t0), long_ago).await.unwrap());
    assert!(!other.complete && other.text.is_none());

    let m2 = new(store.accept_message(msg("m2", "u1", Some("bốc mùi"), None, t0), long_ago).await.unwrap());
    assert!(!m2.complete);
    let m3 = new(store.accept_message(msg("m3", "u1", None, Some((108.2272, 16.0612)), t0), long_ago).await.unwrap());
    assert!(m3.complete, "text then location: complete");
    assert_eq!(m3.text.as_deref(), Some("Rác ở đầu hẻm\nbốc mùi"), "texts joined in order");
    assert_eq!(m3.location, Some(Location { lon: 108.2272, lat: 16.0612 }));

    // The draft was consumed: a new location alone is incomplete again.
    let m4 = new(store.accept_message(msg("m4", "u1", None, Some((108.22, 16.06)), t0), long_ago).await.unwrap());
    assert!(!m4.complete);
    // An old draft is forgotten: text after `draft_since` moved past it stays alone.
    let later = t0 + Duration::hours(1);
    let m5 = new(store
        .accept_message(msg("m5", "u1", Some("Đèn hỏng"), None, later), later - Duration::minutes(30))
        .await
        .unwrap());
    assert!(!m5.complete, "the location of an hour ago does not complete it");

    let ticket = create(&store, "DN-2611").await;
    store.link_message(Medium::Zalo, "m3", ticket.id).await.unwrap();
    // A later message of another sender linked to the same ticket: the first one's sender counts.
    store.accept_message(msg("m6", "u2", Some("Vẫn chưa dọn"), Some((108.22, 16.06)), later), long_ago).await.unwrap();
    store.link_message(Medium::Zalo, "m6", ticket.id).await.unwrap();
    let unlinked = create(&store, "DN-2611").await;
    assert_eq!(
        store.message_senders(&[unlinked.id, ticket.id]).await.unwrap(),
        vec![(ticket.id, (Medium::Zalo, "u1".to_owned()))],
        "one sender per ticket filed from messages, the first message's"
    );
    match store.accept_message(msg("m3", "u1", None, None, later), long_ago).await.unwrap() {
        Accepted::Seen(m) => assert_eq!((m.complete, m.ticket_id), (true, Some(ticket.id))),
        other => panic!("expected seen, got {other:?}"),
    }
    assert!(
        matches!(store.link_message(Medium::Sms, "m3", ticket.id).await, Err(StoreError::NotFound(_))),
        "per medium"
    );
    assert_eq!(store.message_senders(&[create(&store, "DN-2611").await.id]).await.unwrap(), vec![]);
}

async fn concurrent_messages_of_one_sender_merge_into_one_report((store, _db): (Arc<dyn Store>, TestDb)) {
    let t0 = at(0);
    let mut tasks = Vec::new();
    for s in 0..8 {
        for (i, (text, loc)) in [(Some("Ngập"), None), (None, Some((108.2, 16.05)))].into_iter().enumerate() {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let m = msg(&format!("c{s}-{i}"), &format!("s{s}"), text, loc, t0);
                store.accept_message(m, t0 - Duration::minutes(30)).await.unwrap()
            }));
        }
    }
    let mut complete = HashSet::new();
    for t in tasks {
        let m = new(t.await.unwrap());
        if m.complete {
            assert_eq!(m.text.as_deref(), Some("Ngập"));
            assert!(m.location.is_some());
            assert!(complete.insert(m.sender.clone()), "one report per sender");
        }
    }
    assert_eq!(complete.len(), 8, "every sender's text and location met");
}

fn note(key: &str, recipient: &str, ticket: Option<switchboard::domain::TicketId>) -> NewNotification {
    NewNotification {
        dedup_key: key.into(),
        ticket_id: ticket,
        seq: Some(7),
        medium: Medium::Sms,
        recipient: recipient.into(),
        template: "created".into(),
        payload: json!({"text_vi": "Phản ánh DN-2611-000001 đã được tiếp nhận.", "code": "DN-2611-000001"}),
    }
}

async fn notifications_are_enqueued_once_and_claimed_by_one_claimer((store, _db): (Arc<dyn Store>, TestDb)) {
    let ticket = create(&store, "DN-2611").await;
    let now = at(0);
    let items: Vec<_> = (0..6).map(|i| note(&format!("k{i}"), &format!("090512345{i}"), Some(ticket.id))).collect();
    assert_eq!(store.enqueue_notifications(&items, now).await.unwrap(), 6);
    assert_eq!(store.enqueue_notifications(&items, now).await.unwrap(), 0, "the same keys again: nothing");
    let stored = store.ticket_notifications(ticket.id).await.unwrap();
    assert_eq!(stored.len(), 6);
    assert_eq!(stored[0].payload, items[0].payload);
    assert_eq!((stored[0].attempts, stored[0].next_attempt_at, stored[0].sent_at), (0, Some(now), None));

    // Two claimers at once share the rows without overlap.
    let lease = now + Duration::minutes(2);
    let (a, b) = tokio::join!(store.claim_notifications(now, lease, 4), store.claim_notifications(now, lease, 4));
    let (a, b) = (a.unwrap(), b.unwrap());
    let ids: HashSet<_> = a.iter().chain(&b).map(|n| n.id).collect();
    assert_eq!((a.len() + b.len(), ids.len()), (6, 6), "each row claimed once");
    assert!(a.iter().chain(&b).all(|n| n.attempts == 1 && n.next_attempt_at == Some(lease)));
    assert!(store.claim_notifications(now, lease, 10).await.unwrap().is_empty(), "leased");

    let all: Vec<_> = a.into_iter().chain(b).collect();
    store.finish_notification(all[0].id, DeliveryOutcome::Sent { at: now }).await.unwrap();
    let retry_at = now + Duration::seconds(30);
    store
        .finish_notification(all[1].id, DeliveryOutcome::Retry { at: retry_at, error: "HTTP 503".into() })
        .await
        .unwrap();
    store.finish_notification(all[2].id, DeliveryOutcome::GiveUp { error: "HTTP 400".into() }).await.unwrap();
    let due = store.claim_notifications(retry_at, retry_at + Duration::minutes(2), 10).await.unwrap();
    assert_eq!(
        due.iter().map(|n| n.id).collect::<Vec<_>>(),
        [all[1].id],
        "only the retry is due before the lease ends"
    );
    assert_eq!((due[0].attempts, due[0].last_error.as_deref()), (2, Some("HTTP 503")));
    // When the lease of a dead claimer runs out, its rows are due again.
    let expired = store.claim_notifications(lease, lease + Duration::minutes(2), 10).await.unwrap();
    assert_eq!(expired.len(), 3, "the three never finished");

    let stored = store.ticket_notifications(ticket.id).await.unwrap();
    let by_id = |id| stored.iter().find(|n| n.id == id).unwrap().clone();
    let sent = by_id(all[0].id);
    assert_eq!((sent.sent_at, sent.next_attempt_at, sent.gave_up()), (Some(now), None, false));
    let dead = by_id(all[2].id);
    assert!(dead.gave_up() && dead.last_error.as_deref() == Some("HTTP 400"));
    assert!(matches!(
        store.finish_notification(uuid::Uuid::now_v7(), DeliveryOutcome::Sent { at: now }).await,
        Err(StoreError::NotFound(_))
    ));

    // Replies without a ticket, by recipient.
    store.enqueue_notifications(&[note("reply:zalo:m1", "0905123450", None)], now).await.unwrap();
    let to = store.recipient_notifications(Medium::Sms, "0905123450").await.unwrap();
    assert_eq!(to.iter().map(|n| n.dedup_key.as_str()).collect::<Vec<_>>(), ["k0", "reply:zalo:m1"]);
    assert_eq!(to[1].ticket_id, None);
}

async fn the_notify_cursor_only_moves_forward((store, _db): (Arc<dyn Store>, TestDb)) {
    assert_eq!(store.notify_cursor().await.unwrap(), 0, "a fresh store starts at its last event");
    store.advance_notify_cursor(5).await.unwrap();
    store.advance_notify_cursor(3).await.unwrap();
    assert_eq!(store.notify_cursor().await.unwrap(), 5);
}

on_both_stores!(
    accepts_each_message_once_and_merges_a_senders_draft,
    concurrent_messages_of_one_sender_merge_into_one_report,
    notifications_are_enqueued_once_and_claimed_by_one_claimer,
    the_notify_cursor_only_moves_forward,
);
