//! One conformance suite for every [`Store`]: each test below runs against a fresh PostgreSQL
//! + PostGIS database and a fresh SQLite file (see the `conformance!` macro at the bottom).
//!
//! PostgreSQL needs `DATABASE_URL`, e.g.
//! `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo test --test store_conformance`.

mod common;

#[path = "store_conformance/open311.rs"]
mod open311_cases;
use open311_cases::*;

use std::sync::Arc;

use chrono::{Duration, Utc};
use common::*;
use switchboard::domain::{
    Channel, EventKind, Priority, Rating, Role, Status, Ticket, TicketCode, TicketEvent, TicketId, TrackingToken,
};
use switchboard::store::{ApiKey, Created, IdempotencyKey, Store, StoreError};
use uuid::Uuid;

fn new_ticket(created: Created) -> (Ticket, TicketEvent) {
    match created {
        Created::New { ticket, event } => (ticket, event),
        Created::Replayed { ticket } => panic!("expected a new ticket, got a replay of {}", ticket.code.as_str()),
    }
}

/// `ticket` moved on by one version, with an event of `kind`.
fn changed(ticket: &Ticket, kind: EventKind, f: impl FnOnce(&mut Ticket)) -> (Ticket, TicketEvent) {
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

async fn creates_and_reads_back_every_field_of_a_ticket(store: Arc<dyn Store>, _url: String) {
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
    assert_eq!(store.all_tickets().await.unwrap(), vec![first.clone(), expected.clone()]);
    assert_eq!(event.data, serde_json::to_value(&expected).unwrap());

    // A ticket with every optional field empty round-trips too.
    assert_eq!(first.address.as_deref(), Some("12 Trần Phú, phường Hải Châu, Đà Nẵng"));
    let mut bare = sample_ticket();
    (bare.address, bare.area) = (None, None);
    let (bare_stored, _) = new_ticket(store.create_ticket(record_for(bare.clone(), "DN-2611"), None).await.unwrap());
    assert_eq!(store.ticket(bare.id).await.unwrap(), Some(bare_stored));

    assert_eq!(store.ticket(TicketId::new_v7()).await.unwrap(), None);
    assert_eq!(store.ticket_by_code(&TicketCode("DN-2611-999999".into())).await.unwrap(), None);
}

async fn numbers_codes_per_prefix(store: Arc<dyn Store>, _url: String) {
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

async fn keeps_the_contact_apart_from_the_ticket_and_its_events(store: Arc<dyn Store>, _url: String) {
    let record = new_record("DN-2611");
    let token_hash = record.token_hash.clone();
    let (ticket, event) = new_ticket(store.create_ticket(record, None).await.unwrap());

    assert_eq!(store.contact(ticket.id).await.unwrap(), Some(sample_contact()));
    assert_eq!(store.token_hash(ticket.id).await.unwrap(), Some(token_hash));
    let stored_events = store.ticket_events(ticket.id).await.unwrap();
    assert_eq!(stored_events, vec![event.clone()]);
    for json in [event.data.to_string(), serde_json::to_string(&stored_events).unwrap()] {
        for secret in ["Nguyễn Thị Hương", "905 123 456", "huong.nguyen@example.vn"] {
            assert!(!json.contains(secret), "event data leaks {secret:?}: {json}");
        }
    }
    assert_eq!(event.data, serde_json::to_value(&ticket).unwrap());

    // No contact given: an empty contact, still apart.
    let mut record = new_record("DN-2611");
    record.contact = Default::default();
    let (bare, _) = new_ticket(store.create_ticket(record, None).await.unwrap());
    assert_eq!(store.contact(bare.id).await.unwrap(), Some(Default::default()));

    let unknown = TicketId::new_v7();
    assert_eq!(store.contact(unknown).await.unwrap(), None);
    assert_eq!(store.token_hash(unknown).await.unwrap(), None);
}

async fn replays_an_idempotent_retry_and_refuses_a_changed_one(store: Arc<dyn Store>, _url: String) {
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

async fn concurrent_retries_with_one_key_make_one_ticket(store: Arc<dyn Store>, _url: String) {
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

async fn refuses_a_stale_update_with_a_version_conflict(store: Arc<dyn Store>, _url: String) {
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

async fn events_have_increasing_seqs_and_page(store: Arc<dyn Store>, _url: String) {
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
async fn a_polling_follower_sees_every_event_while_writers_commit(store: Arc<dyn Store>, _url: String) {
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

async fn tickets_by_ids_keeps_the_order_asked_for(store: Arc<dyn Store>, _url: String) {
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

// ---- reference data -----------------------------------------------------------------------

async fn areas_round_trip_with_holes_and_versions(store: Arc<dyn Store>, _url: String) {
    let mut old = sample_area("DN-HC-01", Some("DN-HC"));
    old.valid_to = Some(Utc::now().date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc());
    let mut current = sample_area("DN-HC-01", Some("DN-HC"));
    current.valid_from = old.valid_to.unwrap();
    current.name = "Phường Hải Châu".into();
    // Coordinates whose shortest decimal form needs all 17 significant digits.
    current.geometry.0[1].exterior_mut(|r| r.0[1].x = 108.0 + 1.0 / 3.0);
    let mut district = sample_area("DN-HC", Some("DN"));
    district.level = "district".into();
    store.upsert_areas(&[current.clone(), old.clone(), district.clone()]).await.unwrap();
    assert_eq!(store.areas().await.unwrap(), vec![district.clone(), old.clone(), current.clone()]);
    assert_eq!(current.geometry.0[0].interiors().len(), 1, "the sample has a hole");

    // Same (code, valid_from) replaces; a new valid_from adds a version.
    let mut renamed = district.clone();
    renamed.name = "Quận Hải Châu".into();
    renamed.valid_to = Some(renamed.valid_from + Duration::days(3650));
    store.upsert_areas(&[renamed.clone()]).await.unwrap();
    assert_eq!(store.areas().await.unwrap(), vec![renamed, old, current]);
}

async fn categories_units_and_rules_round_trip(store: Arc<dyn Store>, _url: String) {
    let garbage = sample_category("garbage", Some(5));
    let mut noise = sample_category("noise-karaoke", None);
    noise.field = switchboard::domain::Field::Noise;
    noise.name_vi = "Tiếng ồn karaoke".into();
    store.upsert_categories(&[noise.clone(), garbage.clone()]).await.unwrap();
    assert_eq!(store.categories().await.unwrap(), vec![garbage.clone(), noise.clone()]);
    let mut garbage2 = garbage.clone();
    garbage2.deadline_days = None;
    store.upsert_categories(&[garbage2.clone()]).await.unwrap();
    assert_eq!(store.categories().await.unwrap(), vec![garbage2, noise]);

    let district = sample_unit("DN-HC-UBND", None, &["DN-HC"]);
    let station = sample_unit("DN-HC-01-TRAM", Some("DN-HC-UBND"), &["DN-HC-01", "DN-HC-02"]);
    let city = sample_unit("DN-URENCO", None, &[]);
    store.upsert_units(&[district.clone(), station.clone(), city.clone()]).await.unwrap();
    assert_eq!(store.units().await.unwrap(), vec![station.clone(), district.clone(), city.clone()]);
    let mut moved = station.clone();
    moved.areas = vec![area_code("DN-HC-03")];
    store.upsert_units(&[moved.clone()]).await.unwrap();
    assert_eq!(store.units().await.unwrap(), vec![moved, district, city]);

    let rules = vec![
        rule(None, None, "DN-UBND"),
        rule(Some("garbage"), Some("DN-HC"), "DN-URENCO"),
        rule(None, Some("DN-HC"), "DN-HC-UBND"),
        rule(Some("garbage"), None, "DN-URENCO"),
    ];
    store.replace_routing_rules(&rules).await.unwrap();
    assert_eq!(store.routing_rules().await.unwrap(), rules);
    let fewer = vec![rules[3].clone(), rules[0].clone()];
    store.replace_routing_rules(&fewer).await.unwrap();
    assert_eq!(store.routing_rules().await.unwrap(), fewer, "replace drops the old list and keeps the new order");
    store.replace_routing_rules(&[]).await.unwrap();
    assert!(store.routing_rules().await.unwrap().is_empty());
}

// ---- users, sessions, API keys ------------------------------------------------------------

async fn users_sessions_and_api_keys(store: Arc<dyn Store>, _url: String) {
    let admin = sample_user("admin", Role::Admin);
    let mut leader = sample_user("lanh-dao", Role::Leader);
    leader.user.units.clear();
    store.create_user(admin.clone()).await.unwrap();
    store.create_user(leader.clone()).await.unwrap();
    let mut again = sample_user("admin", Role::Operator);
    again.password_hash = "other".into();
    match store.create_user(again).await {
        Err(StoreError::AlreadyExists(what)) => assert!(what.contains("admin"), "{what}"),
        other => panic!("expected AlreadyExists, got {other:?}"),
    }
    assert_eq!(store.user_by_name("admin").await.unwrap(), Some((admin.user.clone(), admin.password_hash.clone())));
    assert_eq!(store.user_by_name("nobody").await.unwrap(), None);
    assert_eq!(store.users().await.unwrap(), vec![admin.user.clone(), leader.user.clone()]);

    let now = Utc::now();
    let (live, stale) = (TrackingToken::generate().hash(), TrackingToken::generate().hash());
    store.create_session(&live, leader.user.id, now + Duration::hours(8)).await.unwrap();
    store.create_session(&stale, admin.user.id, now - Duration::seconds(1)).await.unwrap();
    assert_eq!(store.session_user(&live, now).await.unwrap(), Some(leader.user.clone()));
    assert_eq!(store.session_user(&stale, now).await.unwrap(), None, "an expired session is not returned");
    assert_eq!(store.session_user(&live, now + Duration::hours(9)).await.unwrap(), None);
    assert_eq!(store.session_user(b"unknown", now).await.unwrap(), None);
    store.delete_session(&live).await.unwrap();
    assert_eq!(store.session_user(&live, now).await.unwrap(), None);

    let key = ApiKey { id: Uuid::now_v7(), name: "open311-zalo".into(), role: Role::Open311, created_at: at(1_500) };
    let hash = TrackingToken::generate().hash();
    store.create_api_key(&key, &hash).await.unwrap();
    let mut expected = key.clone();
    expected.created_at = at(1_000);
    assert_eq!(store.api_key(&hash).await.unwrap(), Some(expected));
    assert_eq!(store.api_key(b"nope").await.unwrap(), None);
    let dup = ApiKey { id: Uuid::now_v7(), ..key.clone() };
    assert!(matches!(
        store.create_api_key(&dup, &TrackingToken::generate().hash()).await,
        Err(StoreError::AlreadyExists(_))
    ));
    let same_secret = ApiKey { id: Uuid::now_v7(), name: "other".into(), ..key };
    assert!(matches!(store.create_api_key(&same_secret, &hash).await, Err(StoreError::AlreadyExists(_))));
}

// ---- durability ---------------------------------------------------------------------------

async fn data_survives_reopening_the_database(store: Arc<dyn Store>, url: String) {
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

    let reopened = switchboard::store::open(Some(&url)).await.expect("reopening the same database");
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

async fn replaces_the_tracking_token_hash(store: Arc<dyn Store>, _url: String) {
    let ticket = create(&store, "DN-2611").await;
    let fresh = vec![7u8; 32];
    store.replace_token_hash(ticket.id, &fresh).await.unwrap();
    assert_eq!(store.token_hash(ticket.id).await.unwrap(), Some(fresh));
    let unknown = switchboard::domain::TicketId::new_v7();
    assert!(matches!(store.replace_token_hash(unknown, &[1u8; 32]).await, Err(StoreError::NotFound(_))));
}

// ---- photos (tests/store_conformance/photos.rs) -------------------------------------------

#[path = "store_conformance/photos.rs"]
mod photos;
use photos::*;

// ---- the two backends ---------------------------------------------------------------------

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod pg {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = crate::common::PgTestDb::new().await;
                    let store = switchboard::store::open(Some(&db.url)).await.expect("opening PgStore");
                    assert_eq!(store.backend(), switchboard::store::Backend::Postgres);
                    super::$name(store, db.url.clone()).await;
                }
            )*
        }
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (_dir, url) = crate::common::fresh_sqlite_url();
                    let store = switchboard::store::open(Some(&url)).await.expect("opening SqliteStore");
                    assert_eq!(store.backend(), switchboard::store::Backend::Sqlite);
                    super::$name(store, url).await;
                }
            )*
        }
    };
}

conformance!(
    creates_and_reads_back_every_field_of_a_ticket,
    numbers_codes_per_prefix,
    keeps_the_contact_apart_from_the_ticket_and_its_events,
    replays_an_idempotent_retry_and_refuses_a_changed_one,
    concurrent_retries_with_one_key_make_one_ticket,
    refuses_a_stale_update_with_a_version_conflict,
    events_have_increasing_seqs_and_page,
    a_polling_follower_sees_every_event_while_writers_commit,
    tickets_by_ids_keeps_the_order_asked_for,
    areas_round_trip_with_holes_and_versions,
    categories_units_and_rules_round_trip,
    users_sessions_and_api_keys,
    data_survives_reopening_the_database,
    replaces_the_tracking_token_hash,
    category_attributes_round_trip,
    ticket_extras_are_stored_with_the_ticket,
    events_between_reads_the_outbox_by_time,
    adds_photos_by_position_once_per_ticket,
    refuses_photos_past_the_limit_and_adds_none,
    concurrent_uploads_to_one_ticket_keep_the_limit,
    publishes_and_withdraws_a_photo,
    keeps_a_tickets_call_apart_and_replaces_it,
);

// ---- what only one backend has ------------------------------------------------------------

mod pg_only {
    use std::time::Duration;

    use sqlx::Row;
    use sqlx::postgres::PgListener;
    use switchboard::store::Store;
    use switchboard::store::postgres::{EVENTS_CHANNEL, PgStore};

    use crate::common::*;

    #[tokio::test]
    async fn every_committed_event_is_announced_with_its_seq() {
        let db = PgTestDb::new().await;
        let store = PgStore::connect(&db.url).await.unwrap();
        let mut listener = PgListener::connect(&db.url).await.unwrap();
        listener.listen(EVENTS_CHANNEL).await.unwrap();

        let created = store.create_ticket(new_record("DN-2611"), None).await.unwrap();
        let switchboard::store::Created::New { event, .. } = created else { panic!("expected a new ticket") };
        let note = tokio::time::timeout(Duration::from_secs(5), listener.recv())
            .await
            .expect("a notification within 5 s")
            .unwrap();
        assert_eq!(note.channel(), "switchboard_events");
        assert_eq!(note.payload(), event.seq.to_string());
    }

    #[tokio::test]
    async fn gis_clients_see_points_and_polygons_in_epsg_4326() {
        let db = PgTestDb::new().await;
        let store = PgStore::connect(&db.url).await.unwrap();
        let ticket = crate::common::create(&(std::sync::Arc::new(store.clone()) as _), "DN-2611").await;
        store.upsert_areas(&[sample_area("DN-HC-01", Some("DN-HC"))]).await.unwrap();
        let pool = store.pool();

        let columns: Vec<(String, String, i32, String)> = sqlx::query_as(
            "SELECT f_table_name::text, f_geometry_column::text, srid, type::text FROM geometry_columns \
             ORDER BY f_table_name",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        assert_eq!(
            columns,
            [
                ("areas".into(), "geom".into(), 4326, "MULTIPOLYGON".into()),
                ("cameras".into(), "geom".into(), 4326, "POINT".into()),
                ("planning_zones".into(), "geom".into(), 4326, "MULTIPOLYGON".into()),
                ("tickets".into(), "geom".into(), 4326, "POINT".into())
            ]
        );
        let gist: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%USING gist (geom)%' AND tablename IN ('areas', 'cameras', 'planning_zones', 'tickets')",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(gist, 4, "every geometry column has a GiST index");

        let point = sqlx::query("SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM tickets WHERE code = $1")
            .bind(ticket.code.as_str())
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!((point.get::<f64, _>("x"), point.get::<f64, _>("y")), (ticket.location.lon, ticket.location.lat));
        let (valid, holes, inside, in_hole): (bool, i32, bool, bool) = sqlx::query_as(
            "SELECT ST_IsValid(geom), ST_NumInteriorRings(ST_GeometryN(geom, 1)), \
             ST_Intersects(geom, ST_SetSRID(ST_MakePoint(108.23, 16.07), 4326)), \
             ST_Intersects(geom, ST_SetSRID(ST_MakePoint(108.215, 16.055), 4326)) FROM areas",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!((valid, holes, inside, in_hole), (true, 1, true, false), "lon/lat order, hole kept");
    }
}

mod sqlite_only {
    use std::time::Duration;

    use switchboard::domain::TicketId;
    use switchboard::store::Store;
    use switchboard::store::sqlite::SqliteStore;
    use tokio::io::AsyncBufReadExt;

    use crate::common::*;

    #[tokio::test]
    async fn open_creates_the_file_in_a_new_directory_with_durable_settings() {
        let (dir, url) = fresh_sqlite_url();
        let store = SqliteStore::open(&url).await.unwrap();
        assert!(dir.path().join("data").join("switchboard.db").is_file());
        let pool = store.pool();
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(pool).await.unwrap();
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(pool).await.unwrap();
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(pool).await.unwrap();
        assert_eq!((journal.as_str(), synchronous, foreign_keys), ("wal", 2, 1), "WAL, synchronous=FULL, FKs on");
    }

    const CHILD_URL: &str = "SWITCHBOARD_TEST_SIGKILL_CHILD_URL";

    /// Re-runs this test binary as a child that creates a ticket, reports it and waits; the
    /// parent kills it with SIGKILL and reopens the file: the reported ticket must be there.
    #[tokio::test]
    async fn a_created_ticket_survives_sigkill_of_the_process() {
        if let Ok(url) = std::env::var(CHILD_URL) {
            let store = SqliteStore::open(&url).await.unwrap();
            let ticket = create(&(std::sync::Arc::new(store) as _), "DN-2611").await;
            println!("COMMITTED {}", ticket.id);
            tokio::time::sleep(Duration::from_secs(60)).await;
            return;
        }
        let (_dir, url) = fresh_sqlite_url();
        let mut child = tokio::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "sqlite_only::a_created_ticket_survives_sigkill_of_the_process", "--nocapture"])
            .env(CHILD_URL, &url)
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let id = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(id) = line.strip_prefix("COMMITTED ") {
                    return TicketId::parse(id, "id").unwrap();
                }
            }
            panic!("the child exited without creating a ticket")
        })
        .await
        .expect("the child reports its ticket within 60 s");
        child.kill().await.unwrap(); // SIGKILL: no destructors, no checkpoint

        let store = SqliteStore::open(&url).await.unwrap();
        let ticket = store.ticket(id).await.unwrap().expect("the reported ticket survived SIGKILL");
        assert_eq!(ticket.code.as_str(), "DN-2611-000001");
        assert_eq!(store.last_seq().await.unwrap(), 1);
    }
}

// ---- channels and notifications -----------------------------------------------------------

#[path = "store_conformance/channels.rs"]
mod channels;
// ---- the console's phone calls ------------------------------------------------------------

#[path = "store_conformance/calls.rs"]
mod calls;
use calls::*;
