//! Filing many tickets in one transaction (`TicketStore::create_tickets`): numbered in order,
//! every row written, keys seen before replayed, a key used for another request refusing the
//! whole filing, and concurrent filings with the same keys making each ticket once; the
//! start-up read of every ticket in batches.

use std::sync::Arc;

use switchboard::domain::TrackingToken;
use switchboard::store::{Created, IdempotencyKey, NewTicketItem, Store, StoreError, TICKET_BATCH};

use crate::harness::*;
use crate::on_both_stores;

fn idem(key: &str, body: &str) -> Option<IdempotencyKey> {
    Some(IdempotencyKey { key: format!("user:import:{key}"), request_hash: TrackingToken(body.into()).hash() })
}

fn item(key: Option<&str>) -> NewTicketItem {
    NewTicketItem { record: new_record("DN-2612"), idem: key.and_then(|k| idem(k, k)) }
}

fn codes(created: &[Created]) -> Vec<String> {
    created
        .iter()
        .map(|c| match c {
            Created::New { ticket, .. } | Created::Replayed { ticket } => ticket.code.as_str().to_owned(),
        })
        .collect()
}

async fn files_many_tickets_in_one_go_numbered_in_order((store, _db): (Arc<dyn Store>, TestDb)) {
    let items: Vec<_> = (0..70).map(|i| item((i % 3 == 0).then(|| format!("k{i}")).as_deref())).collect();
    let contact = items[0].record.contact.clone();
    let created = store.create_tickets(items.clone()).await.unwrap();
    assert_eq!(created.len(), 70);
    let expected: Vec<String> = (1..=70).map(|n| format!("DN-2612-{n:06}")).collect();
    assert_eq!(codes(&created), expected, "numbered in the order of the items");
    let mut last = 0;
    for (c, it) in created.iter().zip(&items) {
        let Created::New { ticket, event } = c else { panic!("a fresh key replayed: {c:?}") };
        assert_eq!(ticket.id, it.record.ticket.id);
        assert_eq!(event.ticket_id, ticket.id);
        assert!(event.seq > last, "events in the order of the items");
        last = event.seq;
        assert_eq!(event.data, serde_json::Value::Null, "the ticket is beside the event, not copied into it");
        assert_eq!(store.token_hash(ticket.id).await.unwrap(), Some(it.record.token_hash.clone()));
    }
    // What the outbox holds as each event's data is the ticket as stored.
    let stored = store.events_after(0, 1000).await.unwrap();
    assert_eq!(stored.len(), 70);
    for (ev, c) in stored.iter().zip(&created) {
        let Created::New { ticket, event } = c else { unreachable!() };
        assert_eq!((ev.seq, ev.ticket_id), (event.seq, ticket.id));
        assert_eq!(ev.data, serde_json::to_value(ticket).unwrap(), "event data is the ticket as stored");
    }
    let Created::New { ticket: first, .. } = &created[0] else { unreachable!() };
    assert_eq!(store.contact(first.id).await.unwrap(), Some(contact));
    assert_eq!(store.all_tickets().await.unwrap().len(), 70);
    assert_eq!(store.last_seq().await.unwrap(), last);
    // The counter went on from where the filing left it.
    assert_eq!(create(&store, "DN-2612").await.code.as_str(), "DN-2612-000071");
}

async fn replays_keys_seen_before_and_refuses_a_changed_one_writing_nothing((store, _db): (Arc<dyn Store>, TestDb)) {
    let first = store.create_tickets(vec![item(Some("a"))]).await.unwrap();
    let Created::New { ticket: a, .. } = &first[0] else { panic!("{first:?}") };

    let again = store.create_tickets(vec![item(Some("a")), item(Some("b")), item(None)]).await.unwrap();
    match &again[..] {
        [Created::Replayed { ticket }, Created::New { .. }, Created::New { .. }] => assert_eq!(ticket.id, a.id),
        other => panic!("expected a replay then two new tickets, got {other:?}"),
    }
    assert_eq!(codes(&again), ["DN-2612-000001", "DN-2612-000002", "DN-2612-000003"]);

    // "a" again with another request: nothing of the filing is written, and the item is named.
    let changed = NewTicketItem { record: new_record("DN-2612"), idem: idem("a", "another body") };
    match store.create_tickets(vec![item(Some("c")), changed]).await {
        Err(StoreError::IdempotencyMismatchAt(1)) => {}
        other => panic!("expected IdempotencyMismatchAt(1), got {other:?}"),
    }
    assert_eq!(store.all_tickets().await.unwrap().len(), 3);
    assert_eq!(store.last_seq().await.unwrap(), 3, "nothing of the refused filing");
    // "c" was not claimed by the refused filing.
    let c = store.create_tickets(vec![item(Some("c"))]).await.unwrap();
    assert!(matches!(c[0], Created::New { .. }), "{c:?}");

    match store.create_tickets(vec![item(Some("d")), item(Some("d"))]).await {
        Err(StoreError::Invalid(_)) => {}
        other => panic!("a key twice in one filing is the caller's bug, got {other:?}"),
    }
    assert!(store.create_tickets(Vec::new()).await.unwrap().is_empty());
}

async fn concurrent_filings_with_the_same_keys_make_each_ticket_once((store, _db): (Arc<dyn Store>, TestDb)) {
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let store = store.clone();
            // The shared keys in another order each time, and one key of the task's own.
            let mut keys = vec!["x".to_owned(), "y".to_owned(), "z".to_owned()];
            keys.rotate_left(i % 3);
            keys.push(format!("own{i}"));
            tokio::spawn(async move {
                let items = keys.iter().map(|k| item(Some(k))).collect();
                store.create_tickets(items).await.expect("no concurrent filing fails")
            })
        })
        .collect();
    let mut new = 0;
    for t in tasks {
        new += t.await.unwrap().iter().filter(|c| matches!(c, Created::New { .. })).count();
    }
    assert_eq!(new, 3 + 6, "x, y and z once, and each task's own key");
    assert_eq!(store.all_tickets().await.unwrap().len(), 9);
}

/// The start-up read: more tickets than two batches (and both halves of the table) come back
/// each exactly once, in batches no bigger than promised, and the count says how many there are.
async fn reads_every_ticket_once_in_batches((store, _db): (Arc<dyn Store>, TestDb)) {
    let n = 2 * TICKET_BATCH + 3;
    let mut filed = Vec::new();
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        let created = store.create_tickets(chunk.iter().map(|_| item(None)).collect()).await.unwrap();
        filed.extend(created.iter().map(|c| match c {
            Created::New { ticket, .. } | Created::Replayed { ticket } => ticket.id,
        }));
    }
    assert_eq!(store.ticket_count().await.unwrap(), n as i64);
    let (tx, mut rx) = tokio::sync::mpsc::channel(2);
    let reading = tokio::spawn({
        let store = store.clone();
        async move { store.ticket_batches(tx).await }
    });
    let mut read = Vec::new();
    while let Some(batch) = rx.recv().await {
        assert!(!batch.is_empty() && batch.len() <= TICKET_BATCH, "a batch of {}", batch.len());
        read.extend(batch.into_iter().map(|t| t.id));
    }
    reading.await.unwrap().unwrap();
    read.sort();
    filed.sort();
    assert_eq!(read, filed, "every ticket once");
}

on_both_stores!(
    reads_every_ticket_once_in_batches,
    files_many_tickets_in_one_go_numbered_in_order,
    replays_keys_seen_before_and_refuses_a_changed_one_writing_nothing,
    concurrent_filings_with_the_same_keys_make_each_ticket_once,
);
