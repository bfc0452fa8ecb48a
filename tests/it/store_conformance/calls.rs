//! The console's phone calls: stored apart from the ticket, replaced by a second put, never in
//! an event.

use std::sync::Arc;

use switchboard::domain::{CallRecord, TicketId};
use switchboard::store::{Store, StoreError};

use crate::harness::*;
use crate::on_both_stores;

async fn keeps_a_tickets_call_apart_and_replaces_it((store, db): (Arc<dyn Store>, TestDb)) {
    let ticket = create(&store, "DN-2611").await;
    let seq = store.last_seq().await.unwrap();
    assert_eq!(store.call(ticket.id).await.unwrap(), None, "no call until one is put");

    let call = CallRecord {
        started_at: at(987_654_321), // nanoseconds: kept to the microsecond
        duration_seconds: Some(187),
        recording_ref: Some("pbx://1022/2026/11/05/0830-0905123456.wav".into()),
    };
    store.put_call(ticket.id, &call).await.unwrap();
    let expected = CallRecord { started_at: at(987_654_000), ..call.clone() };
    assert_eq!(store.call(ticket.id).await.unwrap(), Some(expected));

    // A second put replaces the first (a retried intake), with empty optional parts.
    let bare = CallRecord { started_at: at(0), duration_seconds: None, recording_ref: None };
    store.put_call(ticket.id, &bare).await.unwrap();
    assert_eq!(store.call(ticket.id).await.unwrap(), Some(bare.clone()));

    // The ticket and its events do not change, and never carry the call.
    assert_eq!(store.ticket(ticket.id).await.unwrap(), Some(ticket.clone()));
    assert_eq!(store.last_seq().await.unwrap(), seq, "storing a call makes no event");
    let events = serde_json::to_string(&store.ticket_events(ticket.id).await.unwrap()).unwrap();
    assert!(!events.contains("pbx://") && !events.contains("duration_seconds"), "{events}");

    // Another ticket's call is its own.
    let other = create(&store, "DN-2611").await;
    assert_eq!(store.call(other.id).await.unwrap(), None);

    let unknown = TicketId::new_v7();
    assert!(matches!(store.put_call(unknown, &call).await, Err(StoreError::NotFound(_))));
    assert_eq!(store.call(unknown).await.unwrap(), None);

    // The call survives reopening the database.
    drop(store);
    let reopened = switchboard::store::open(Some(db.url())).await.unwrap();
    assert_eq!(reopened.call(ticket.id).await.unwrap(), Some(bare));
}

on_both_stores!(keeps_a_tickets_call_apart_and_replaces_it,);
