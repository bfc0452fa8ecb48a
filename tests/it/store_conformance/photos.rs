//! Photos of tickets: positions, one row per (ticket, hash), the per-ticket limit under
//! concurrency, publishing.

use std::sync::Arc;

use switchboard::domain::{EventKind, PhotoHash, PhotoKind, Role, TicketEvent, TicketId, TicketPhoto};
use switchboard::store::{AddedPhotos, NewTicketPhoto, Store, StoreError, StoreResult};

use crate::harness::*;
use crate::on_both_stores;

fn hash(n: u8) -> PhotoHash {
    PhotoHash::parse(&format!("{n:02x}").repeat(32), "hash").unwrap()
}

fn photo(n: u8, kind: PhotoKind, uploaded_by: Option<uuid::Uuid>) -> NewTicketPhoto {
    NewTicketPhoto {
        hash: hash(n),
        kind,
        width: 2560,
        height: 1920 + u32::from(n),
        bytes: 400_000 + u64::from(n),
        uploaded_by,
        created_at: at(5_000_000_999), // nanoseconds: kept to the microsecond
    }
}

/// Adds photos with the `photo_added` event the service would give.
async fn add(
    store: &Arc<dyn Store>,
    ticket: TicketId,
    photos: &[NewTicketPhoto],
    max: usize,
) -> StoreResult<AddedPhotos> {
    let event = TicketEvent {
        seq: 0,
        ticket_id: ticket,
        kind: EventKind::PhotoAdded,
        actor: "public".into(),
        at: at(5_000_000_000),
        note: Some(format!("{} report", photos.len())),
        data: serde_json::Value::Null,
    };
    store.add_ticket_photos(ticket, photos, max, event).await
}

fn added(r: AddedPhotos) -> Vec<TicketPhoto> {
    match r {
        AddedPhotos::Added { photos, .. } => photos,
        other => panic!("expected the photos to be added, got {other:?}"),
    }
}

async fn adds_photos_by_position_once_per_ticket((store, _db): (Arc<dyn Store>, TestDb)) {
    let ticket = create(&store, "DN-2611").await;
    let other = create(&store, "DN-2611").await;
    let staff = sample_user("can-bo", Role::Agency);
    store.create_user(staff.clone()).await.unwrap();

    let first = added(
        add(
            &store,
            ticket.id,
            &[photo(1, PhotoKind::Report, None), photo(2, PhotoKind::Result, Some(staff.user.id))],
            20,
        )
        .await
        .unwrap(),
    );
    let expected = |n: u8, kind, by, position| TicketPhoto {
        ticket_id: ticket.id,
        hash: hash(n),
        kind,
        width: 2560,
        height: 1920 + u32::from(n),
        bytes: 400_000 + u64::from(n),
        uploaded_by: by,
        public: false,
        created_at: at(5_000_000_000),
        position,
    };
    let one = expected(1, PhotoKind::Report, None, 1);
    let two = expected(2, PhotoKind::Result, Some(staff.user.id), 2);
    assert_eq!(first, vec![one.clone(), two.clone()], "returned as stored");

    // A hash the ticket has, or one sent twice, is not added again.
    let again = added(
        add(
            &store,
            ticket.id,
            &[photo(2, PhotoKind::Report, None), photo(3, PhotoKind::Report, None), photo(3, PhotoKind::Report, None)],
            20,
        )
        .await
        .unwrap(),
    );
    let three = expected(3, PhotoKind::Report, None, 3);
    assert_eq!(again, vec![two.clone(), three.clone(), three.clone()]);
    assert_eq!(store.ticket_photos(ticket.id).await.unwrap(), vec![one.clone(), two.clone(), three]);

    // New photos write one event with the ticket as it is; photos it already has write none.
    let events = store.ticket_events(ticket.id).await.unwrap();
    let photo_events: Vec<_> = events.iter().filter(|e| e.kind == EventKind::PhotoAdded).collect();
    assert_eq!(photo_events.len(), 2, "one per call that added something: {events:?}");
    assert_eq!(photo_events[0].data["version"], 1, "the ticket is unchanged");
    let r = add(&store, ticket.id, &[photo(1, PhotoKind::Report, None)], 20).await.unwrap();
    assert!(matches!(r, AddedPhotos::Added { event: None, .. }), "{r:?}");

    // The same file on another ticket is that ticket's first photo.
    let shared = added(add(&store, other.id, &[photo(1, PhotoKind::Report, None)], 20).await.unwrap());
    assert_eq!(shared[0].position, 1);
    assert_eq!(shared[0].ticket_id, other.id);
    let with_hash = store.photos_with_hash(&hash(1)).await.unwrap();
    let mut tickets: Vec<TicketId> = with_hash.iter().map(|p| p.ticket_id).collect();
    tickets.sort_by_key(|t| t.0);
    let mut both = vec![ticket.id, other.id];
    both.sort_by_key(|t| t.0);
    assert_eq!(tickets, both);
    assert_eq!(store.photos_with_hash(&hash(9)).await.unwrap(), vec![]);

    let unknown = TicketId::new_v7();
    let r = add(&store, unknown, &[photo(4, PhotoKind::Report, None)], 20).await;
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
    assert_eq!(store.ticket_photos(unknown).await.unwrap(), vec![]);
}

async fn refuses_photos_past_the_limit_and_adds_none((store, _db): (Arc<dyn Store>, TestDb)) {
    let ticket = create(&store, "DN-2611").await;
    let two = [photo(1, PhotoKind::Report, None), photo(2, PhotoKind::Report, None)];
    added(add(&store, ticket.id, &two, 3).await.unwrap());
    let over = [photo(3, PhotoKind::Report, None), photo(4, PhotoKind::Report, None)];
    assert_eq!(add(&store, ticket.id, &over, 3).await.unwrap(), AddedPhotos::TooMany { existing: 2 });
    assert_eq!(store.ticket_photos(ticket.id).await.unwrap().len(), 2, "nothing of the refused batch was added");
    // A photo already there does not count again.
    let fits = [photo(1, PhotoKind::Report, None), photo(3, PhotoKind::Report, None)];
    let stored = added(add(&store, ticket.id, &fits, 3).await.unwrap());
    assert_eq!(stored.iter().map(|p| p.position).collect::<Vec<_>>(), [1, 3]);
}

async fn concurrent_uploads_to_one_ticket_keep_the_limit((store, _db): (Arc<dyn Store>, TestDb)) {
    let ticket = create(&store, "DN-2611").await;
    let tasks: Vec<_> = (1..=8u8)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move { add(&store, ticket.id, &[photo(n, PhotoKind::Report, None)], 5).await })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap().unwrap() {
            AddedPhotos::Added { .. } => ok += 1,
            AddedPhotos::TooMany { existing } => assert_eq!(existing, 5),
        }
    }
    assert_eq!(ok, 5);
    let positions: Vec<i64> = store.ticket_photos(ticket.id).await.unwrap().iter().map(|p| p.position).collect();
    assert_eq!(positions, [1, 2, 3, 4, 5]);
}

async fn publishes_and_withdraws_a_photo((store, _db): (Arc<dyn Store>, TestDb)) {
    let ticket = create(&store, "DN-2611").await;
    added(add(&store, ticket.id, &[photo(7, PhotoKind::Report, None)], 20).await.unwrap());
    let published = store.set_photo_public(ticket.id, &hash(7), true).await.unwrap();
    assert!(published.public);
    assert_eq!(store.ticket_photos(ticket.id).await.unwrap(), vec![published.clone()]);
    assert_eq!(store.photos_with_hash(&hash(7)).await.unwrap(), vec![published]);
    assert!(!store.set_photo_public(ticket.id, &hash(7), false).await.unwrap().public);
    let r = store.set_photo_public(ticket.id, &hash(8), true).await;
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
    let r = store.set_photo_public(TicketId::new_v7(), &hash(7), true).await;
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
}

on_both_stores!(
    adds_photos_by_position_once_per_ticket,
    refuses_photos_past_the_limit_and_adds_none,
    concurrent_uploads_to_one_ticket_keep_the_limit,
    publishes_and_withdraws_a_photo,
);
