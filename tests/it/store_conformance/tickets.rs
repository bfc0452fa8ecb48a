//! Tickets in the store: every field round-trips, codes per prefix, the reporter's contact kept
//! apart, idempotent retries, version conflicts, the event log read by a follower, reopening the
//! database, and the tracking token's hash.

use std::sync::Arc;

use chrono::Duration;
use switchboard::domain::{
    Channel, EventKind, Priority, Rating, Role, Status, Ticket, TicketCode, TicketEvent, TicketId, TrackingToken,
};
use switchboard::store::{Created, IdempotencyKey, Store, StoreError};
use uuid::Uuid;

use crate::harness::*;
use crate::on_both_stores;

fn new_ticket(created: Created) -> (Ticket, TicketEvent) {
    match created {
        Created::New { ticket, event } => (ticket, event),
        Created::Replayed { ticket } => panic!("expected a new ticket, got a replay of {}", ticket.code.as_str()),
    }
}

/// `ticket` moved on by one version, with an event of `kind`.
pub(super) fn changed(ticket: &Ticket, kind: EventKind, f: impl FnOnce(&mut Ticket)) -> (Ticket, TicketEvent) {
    let mut t = ticket.clone();
    t.version += 1;
    t.updated_at += Duration::minutes(5);
    f(&mut t);
    let event = TicketEvent {
        seq: 0,
        ticket_id: t.id,
        kind,
        actor: "user:operator1".into(),
        at: t.updated_at,
        note: Some("Đã chuyển cho UBND phường".into()),
        data: serde_json::Value::Null,
    };
    (t, event)
}

fn idem(key: &str, body: &str) -> IdempotencyKey {
    IdempotencyKey { key: format!("public:{key}"), request_hash: TrackingToken(body.into()).hash() }
}

// ---- tickets ------------------------------------------------------------------------------

async fn creates_and_reads_back_every_field_of_a_ticket((store, _db): (Arc<dyn Store>, TestDb)) {
    let first = create(&store, "DN-2611").await;

    let mut t = sample_ticket();
    t.channel = Channel::Open311;
    t.priority = Priority::Urgent;
    t.status = Status::Duplicate;
    t.unit = Some(unit_code("DN-HC-UBND"));
    t.received_at = at(987_654_321); // nanoseconds: kept to the microsecond
    t.deadline = at(0) + Duration::days(9);
    t.resolved_at = Some(at(1_000_001_999));
    t.closed_at = Some(at(2_000_000_001));
    t.updated_at = at(3_000_000_000);
    t.result = Some("Đã thu gom rác, vệ sinh khu vực — cảm ơn người dân đã phản ánh".into());
    t.rating = Some(Rating::parse(4, "rating").unwrap());
    t.rating_comment = Some("Xử lý nhanh, rất hài lòng 👍".into());
    t.duplicate_of = Some(first.id);
    t.version = 7;
    // Coordinates whose shortest decimal form needs all 17 significant digits.
    t.location = switchboard::domain::Location::parse(108.0 + 1.0 / 3.0, 16.0 + 2f64.sqrt() / 10.0, "").unwrap();
    let (stored, event) = new_ticket(store.create_ticket(record_for(t.clone(), "DN-2611"), None).await.unwrap());

    let mut expected = t.clone();
    expected.code = TicketCode("DN-2611-000002".into());
    expected.received_at = at(987_654_000);
    expected.resolved_at = Some(at(1_000_001_000));
    expected.closed_at = Some(at(2_000_000_000));
    assert_eq!(stored, expected, "create_ticket returns the ticket as stored");
    assert_eq!(store.ticket(t.id).await.unwrap(), Some(expected.clone()));
    assert_eq!(store.ticket_by_code(&expected.code).await.unwrap(), Some(expected.clone()));
    let mut all = store.all_tickets().await.unwrap();
    all.sort_by_key(|t| t.id);
    let mut both = vec![first.clone(), expected.clone()];
    both.sort_by_key(|t| t.id);
    assert_eq!(all, both, "every ticket, in no particular order");
    // The outbox holds the ticket as stored as the event's data (the returned event leaves it
    // empty: the ticket is returned beside it).
    let stored_events = store.ticket_events(t.id).await.unwrap();
    assert_eq!(stored_events.iter().map(|e| e.seq).collect::<Vec<_>>(), [event.seq]);
    assert_eq!(stored_events[0].data, serde_json::to_value(&expected).unwrap());

    // A ticket with every optional field empty round-trips too.
    assert_eq!(first.address.as_deref(), Some("12 Trần Phú, phường Hải Châu, Đà Nẵng"));
    let mut bare = sample_ticket();
    (bare.address, bare.area) = (None, None);
    let (bare_stored, _) = new_ticket(store.create_ticket(record_for(bare.clone(), "DN-2611"), None).await.unwrap());
    assert_eq!(store.ticket(bare.id).await.unwrap(), Some(bare_stored));

    assert_eq!(store.ticket(TicketId::new_v7()).await.unwrap(), None);
    assert_eq!(store.ticket_by_code(&TicketCode("DN-2611-999999".into())).await.unwrap(), None);
}

async fn numbers_codes_per_prefix((store, _db): (Arc<dyn Store>, TestDb)) {
    let mut codes = Vec::new();
    for prefix in ["DN-2611", "DN-2611", "DN-2611", "DN-2612", "DN-2611", "HCM-2611", "DN-2612"] {
        codes.push(create(&store, prefix).await.code.0);
    }
    assert_eq!(
        codes,
        [
            "DN-2611-000001",
            "DN-2611-000002",
            "DN-2611-000003",
            "DN-2612-000001",
            "DN-2611-000004",
            "HCM-2611-000001",
            "DN-2612-000002"
        ]
    );
}

async fn keeps_the_contact_apart_from_the_ticket_and_its_events((store, _db): (Arc<dyn Store>, TestDb)) {
    let record = new_record("DN-2611");
    let token_hash = record.token_hash.clone();
    let (ticket, event) = new_ticket(store.create_ticket(record, None).await.unwrap());

    assert_eq!(store.contact(ticket.id).await.unwrap(), Some(sample_contact()));
    assert_eq!(store.token_hash(ticket.id).await.unwrap(), Some(token_hash));
    let stored_events = store.ticket_events(ticket.id).await.unwrap();
    assert_eq!(stored_events, vec![TicketEvent { data: serde_json::to_value(&ticket).unwrap(), ..event.clone() }]);
    let json = serde_json::to_string(&stored_events).unwrap();
    for secret in ["Nguyễn Thị Hương", "905 123 456", "huong.nguyen@example.vn"] {
        assert!(!json.contains(secret), "event data leaks {secret:?}: {json}");
    }

    // No contact given: an empty contact, still apart.
    let mut record = new_record("DN-2611");
    record.contact = Default::default();
    let (bare, _) = new_ticket(store.create_ticket(record, None).await.unwrap());
    assert_eq!(store.contact(bare.id).await.unwrap(), Some(Default::default()));

    let unknown = TicketId::new_v7();
    assert_eq!(store.contact(unknown).await.unwrap(), None);
    assert_eq!(store.token_hash(unknown).await.unwrap(), None);
}

async fn replays_an_idempotent_retry_and_refuses_a_changed_one((store, _db): (Arc<dyn Store>, TestDb)) {
    let key = idem("k-1", r#"{"description":"rác"}"#);
    let (ticket, _) = new_ticket(store.create_ticket(new_record("DN-2611"), Some(key.clone())).await.unwrap());

    // A retry carries a new ticket id (the server makes one per request): still the first ticket.
    match store.create_ticket(new_record("DN-2611"), Some(key.clone())).await.unwrap() {
        Created::Replayed { ticket: replayed } => assert_eq!(replayed, ticket),
        Created::New { ticket, .. } => panic!("a retry made a second ticket {}", ticket.code.as_str()),
    }
    let changed_body = idem("k-1", r#"{"description":"ồn"}"#);
    match store.create_ticket(new_record("DN-2611"), Some(changed_body)).await {
        Err(StoreError::IdempotencyMismatch) => {}
        other => panic!("expected IdempotencyMismatch, got {other:?}"),
    }
    assert_eq!(store.all_tickets().await.unwrap().len(), 1);
    assert_eq!(store.last_seq().await.unwrap(), 1, "a replay writes no event");

    // Another key makes another ticket, and the replays did not use up a code.
    let (second, _) = new_ticket(store.create_ticket(new_record("DN-2611"), Some(idem("k-2", "{}"))).await.unwrap());
    assert_eq!(second.code.as_str(), "DN-2611-000002");
}

async fn concurrent_retries_with_one_key_make_one_ticket((store, _db): (Arc<dyn Store>, TestDb)) {
    let key = idem("racing", r#"{"description":"đèn đường hỏng"}"#);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (store, key) = (store.clone(), key.clone());
            tokio::spawn(async move { store.create_ticket(new_record("DN-2611"), Some(key)).await })
        })
        .collect();
    let mut new_ids = Vec::new();
    let mut replayed_ids = Vec::new();
    for task in tasks {
        match task.await.unwrap().expect("no retry fails") {
            Created::New { ticket, .. } => new_ids.push(ticket.id),
            Created::Replayed { ticket } => replayed_ids.push(ticket.id),
        }
    }
    assert_eq!(new_ids.len(), 1, "exactly one retry creates the ticket");
    assert_eq!(replayed_ids, vec![new_ids[0]; 7]);
    let all = store.all_tickets().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].code.as_str(), "DN-2611-000001");
    assert_eq!(store.last_seq().await.unwrap(), 1);
}

async fn refuses_a_stale_update_with_a_version_conflict((store, _db): (Arc<dyn Store>, TestDb)) {
    let ticket = create(&store, "DN-2611").await;
    let (assigned, event) = changed(&ticket, EventKind::Assigned, |t| {
        t.status = Status::Assigned;
        t.unit = Some(unit_code("DN-HC-UBND"));
        t.updated_at += Duration::nanoseconds(999);
    });
    let stored_event = store.update_ticket(&assigned, ticket.version, event).await.unwrap();
    assert_eq!(stored_event.kind, EventKind::Assigned);
    assert_eq!(stored_event.note.as_deref(), Some("Đã chuyển cho UBND phường"));
    assert!(stored_event.seq > 1);
    let now = store.ticket(ticket.id).await.unwrap().unwrap();
    assert_eq!((now.status, now.version, now.unit.clone()), (Status::Assigned, 2, Some(unit_code("DN-HC-UBND"))));
    assert_eq!(stored_event.data, serde_json::to_value(&now).unwrap(), "event data is the ticket as stored");

    // Someone else, still holding version 1, tries to reject it.
    let (rejected, event) = changed(&ticket, EventKind::Rejected, |t| t.status = Status::Rejected);
    match store.update_ticket(&rejected, ticket.version, event).await {
        Err(StoreError::VersionConflict(id)) => assert_eq!(id, ticket.id),
        other => panic!("expected VersionConflict, got {other:?}"),
    }
    assert_eq!(store.ticket(ticket.id).await.unwrap().unwrap(), now, "the loser changed nothing");
    assert_eq!(store.ticket_events(ticket.id).await.unwrap().len(), 2, "and wrote no event");

    let ghost = sample_ticket();
    let (ghost2, event) = changed(&ghost, EventKind::Assigned, |_| {});
    assert!(matches!(store.update_ticket(&ghost2, 1, event).await, Err(StoreError::NotFound(_))));
    let (skipped, event) = changed(&now, EventKind::Accepted, |t| t.version += 1);
    assert!(matches!(store.update_ticket(&skipped, now.version, event).await, Err(StoreError::Invalid(_))));
}

async fn events_have_increasing_seqs_and_page((store, _db): (Arc<dyn Store>, TestDb)) {
    assert_eq!(store.last_seq().await.unwrap(), 0);
    assert!(store.events_after(0, 10).await.unwrap().is_empty());
    let a = create(&store, "DN-2611").await;
    let b = create(&store, "DN-2611").await;
    let (a2, e) = changed(&a, EventKind::Assigned, |t| t.status = Status::Assigned);
    store.update_ticket(&a2, 1, e).await.unwrap();
    let c = create(&store, "DN-2611").await;
    let (a3, e) = changed(&a2, EventKind::Accepted, |t| t.status = Status::Accepted);
    store.update_ticket(&a3, 2, e).await.unwrap();

    let all = store.events_after(0, 100).await.unwrap();
    let tickets: Vec<TicketId> = all.iter().map(|e| e.ticket_id).collect();
    assert_eq!(tickets, [a.id, b.id, a.id, c.id, a.id]);
    let kinds: Vec<EventKind> = all.iter().map(|e| e.kind).collect();
    use EventKind::*;
    assert_eq!(kinds, [Created, Created, Assigned, Created, Accepted]);
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq), "seq strictly increases: {all:?}");
    assert_eq!(store.last_seq().await.unwrap(), all[4].seq);

    let page1 = store.events_after(0, 2).await.unwrap();
    let page2 = store.events_after(page1[1].seq, 2).await.unwrap();
    let page3 = store.events_after(page2[1].seq, 2).await.unwrap();
    assert_eq!([page1, page2, page3].concat(), all);
    assert!(store.events_after(all[4].seq, 10).await.unwrap().is_empty());
    assert!(store.events_after(0, 0).await.unwrap().is_empty());

    let history = store.ticket_events(a.id).await.unwrap();
    assert_eq!(history, vec![all[0].clone(), all[2].clone(), all[4].clone()]);
    assert_eq!(history[2].data["status"], "accepted");
    assert!(store.ticket_events(TicketId::new_v7()).await.unwrap().is_empty());
}

/// The live hub's follower reads `events_after(last)` while writers commit: it must never skip
/// an event (which happens if a smaller `seq` can commit after a larger one was read).
async fn a_polling_follower_sees_every_event_while_writers_commit((store, _db): (Arc<dyn Store>, TestDb)) {
    let writers: Vec<_> = (0..6)
        .map(|w| {
            let store = store.clone();
            // One prefix per writer, so the code counter does not serialise them.
            tokio::spawn(async move {
                for _ in 0..25 {
                    let t = create(&store, &format!("W{w}-2611")).await;
                    let (t2, e) = changed(&t, EventKind::Assigned, |t| t.status = Status::Assigned);
                    store.update_ticket(&t2, 1, e).await.unwrap();
                }
            })
        })
        .collect();
    let writers_done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let follower = {
        let (store, writers_done) = (store.clone(), writers_done.clone());
        tokio::spawn(async move {
            let (mut last, mut seen) = (0, Vec::new());
            loop {
                // Read the flag first: once it is set, everything is committed, so a read that
                // then comes back empty means the follower has seen all it ever will.
                let done = writers_done.load(std::sync::atomic::Ordering::SeqCst);
                let batch = store.events_after(last, 50).await.unwrap();
                if done && batch.is_empty() {
                    return seen;
                }
                for e in batch {
                    last = e.seq;
                    seen.push(e.seq);
                }
                tokio::task::yield_now().await;
            }
        })
    };
    for w in writers {
        w.await.unwrap();
    }
    writers_done.store(true, std::sync::atomic::Ordering::SeqCst);
    let seen = follower.await.unwrap();
    let all: Vec<i64> = store.events_after(0, 1000).await.unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(all.len(), 300);
    assert_eq!(seen, all, "the follower saw every event, in order");
}

async fn tickets_by_ids_keeps_the_order_asked_for((store, _db): (Arc<dyn Store>, TestDb)) {
    let mut made = Vec::new();
    for _ in 0..5 {
        made.push(create(&store, "DN-2611").await);
    }
    let missing = TicketId::new_v7();
    let ids = [made[3].id, missing, made[0].id, made[4].id, made[1].id];
    let got: Vec<TicketId> = store.tickets_by_ids(&ids).await.unwrap().iter().map(|t| t.id).collect();
    assert_eq!(got, [made[3].id, made[0].id, made[4].id, made[1].id]);
    assert!(store.tickets_by_ids(&[]).await.unwrap().is_empty());

    // Thousands of ids (beyond SQLite's bound-parameter limit), the real ones scattered.
    let mut many: Vec<TicketId> = (0..40_000).map(|_| TicketId(Uuid::new_v4())).collect();
    many[39_999] = made[2].id;
    many[17] = made[4].id;
    many[20_000] = made[0].id;
    let got: Vec<Ticket> = store.tickets_by_ids(&many).await.unwrap();
    assert_eq!(got, vec![made[4].clone(), made[0].clone(), made[2].clone()]);
}

// ---- durability ---------------------------------------------------------------------------

async fn data_survives_reopening_the_database((store, db): (Arc<dyn Store>, TestDb)) {
    store.ping().await.unwrap();
    let backend = store.backend();
    let first = create(&store, "DN-2611").await;
    let (assigned, e) = changed(&first, EventKind::Assigned, |t| t.status = Status::Assigned);
    store.update_ticket(&assigned, 1, e).await.unwrap();
    let area = sample_area("DN-HC-01", Some("DN-HC"));
    store.upsert_areas(std::slice::from_ref(&area)).await.unwrap();
    let user = sample_user("operator1", Role::Operator);
    store.create_user(user.clone()).await.unwrap();
    let events = store.events_after(0, 10).await.unwrap();
    drop(store);

    let reopened = switchboard::store::open(Some(db.url())).await.expect("reopening the same database");
    assert_eq!(reopened.backend(), backend);
    let stored = reopened.ticket(first.id).await.unwrap().expect("the ticket survived");
    assert_eq!((stored.status, stored.version), (Status::Assigned, 2));
    assert_eq!(reopened.contact(first.id).await.unwrap(), Some(sample_contact()));
    assert_eq!(reopened.events_after(0, 10).await.unwrap(), events);
    assert_eq!(reopened.areas().await.unwrap(), vec![area]);
    assert_eq!(reopened.users().await.unwrap(), vec![user.user]);

    // Numbering and the outbox carry on where they were.
    let second = create(&reopened, "DN-2611").await;
    assert_eq!(second.code.as_str(), "DN-2611-000002");
    assert_eq!(reopened.last_seq().await.unwrap(), events[1].seq + 1);
}

async fn replaces_the_tracking_token_hash((store, _db): (Arc<dyn Store>, TestDb)) {
    let ticket = create(&store, "DN-2611").await;
    let fresh = vec![7u8; 32];
    store.replace_token_hash(ticket.id, &fresh).await.unwrap();
    assert_eq!(store.token_hash(ticket.id).await.unwrap(), Some(fresh));
    let unknown = switchboard::domain::TicketId::new_v7();
    assert!(matches!(store.replace_token_hash(unknown, &[1u8; 32]).await, Err(StoreError::NotFound(_))));
}

on_both_stores!(
    creates_and_reads_back_every_field_of_a_ticket,
    numbers_codes_per_prefix,
    keeps_the_contact_apart_from_the_ticket_and_its_events,
    replays_an_idempotent_retry_and_refuses_a_changed_one,
    concurrent_retries_with_one_key_make_one_ticket,
    refuses_a_stale_update_with_a_version_conflict,
    events_have_increasing_seqs_and_page,
    a_polling_follower_sees_every_event_while_writers_commit,
    tickets_by_ids_keeps_the_order_asked_for,
    data_survives_reopening_the_database,
    replaces_the_tracking_token_hash,
);
