//! Conversations: one open per sender and channel (also when two messages come at once), turns
//! numbered in order, a redelivered message recognised, moves only from the states named,
//! closing, idle conversations replaced, and the per-sender count.

use std::sync::Arc;

use switchboard::domain::conversation::{ChatChannel, ConversationState, Speaker};
use switchboard::store::{Store, StoreError};

use crate::harness::*;
use crate::on_both_stores;

async fn one_open_conversation_per_sender_with_its_turns_in_order((store, _db): (Arc<dyn Store>, TestDb)) {
    let (t0, t1) = (at(1_000_000_000), at(2_000_000_000));
    let long_ago = at(0);
    let (a, b) = tokio::join!(
        store.open_conversation(ChatChannel::Zalo, "z-1", None, t0, long_ago),
        store.open_conversation(ChatChannel::Zalo, "z-1", None, t0, long_ago),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.id, b.id, "two messages at once share one conversation");
    assert_eq!(a.state, ConversationState::Bot);
    let other = store.open_conversation(ChatChannel::Sms, "z-1", None, t0, long_ago).await.unwrap();
    assert_ne!(other.id, a.id, "another channel is another conversation");

    let first = store.add_turn(a.id, Speaker::Citizen, "cấp lại sổ đỏ", None, Some("m-1"), t0).await.unwrap();
    let second = store.add_turn(a.id, Speaker::Bot, "Thủ tục …", None, None, t1).await.unwrap();
    assert_eq!((first.n, second.n), (1, 2));
    let again = store.add_turn(a.id, Speaker::Citizen, "cấp lại sổ đỏ", None, Some("m-1"), t1).await.unwrap_err();
    assert!(matches!(again, StoreError::AlreadyExists(_)), "{again}");
    assert_eq!(store.message_was_report(a.id, "m-1").await.unwrap(), Some(false));
    store.mark_report(a.id, 1).await.unwrap();
    assert_eq!(store.message_was_report(a.id, "m-1").await.unwrap(), Some(true));
    assert_eq!(store.message_was_report(a.id, "m-9").await.unwrap(), None);
    let turns = store.turns(a.id, 0).await.unwrap();
    assert_eq!(turns.iter().map(|t| (t.n, t.speaker)).collect::<Vec<_>>(), [(1, Speaker::Citizen), (2, Speaker::Bot)]);
    assert_eq!(store.turns(a.id, 1).await.unwrap().len(), 1);
    assert_eq!(store.citizen_turns_since(ChatChannel::Zalo, "z-1", t0).await.unwrap(), 1);
    assert_eq!(store.citizen_turns_since(ChatChannel::Zalo, "z-1", t1).await.unwrap(), 0);

    // Handed over, then taken by one operator only.
    let waiting = store
        .move_conversation(a.id, &[ConversationState::Bot], ConversationState::Waiting, None, Some("asked"), t1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((waiting.state, waiting.handover_reason.as_deref()), (ConversationState::Waiting, Some("asked")));
    let queue = store.conversations_in(&[ConversationState::Waiting]).await.unwrap();
    assert_eq!(queue.iter().map(|c| c.id).collect::<Vec<_>>(), [a.id]);
    let taken = store
        .move_conversation(a.id, &[ConversationState::Waiting], ConversationState::Human, Some("lan"), None, t1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((taken.operator.as_deref(), taken.handover_reason.as_deref()), (Some("lan"), Some("asked")));
    let late = store
        .move_conversation(a.id, &[ConversationState::Waiting], ConversationState::Human, Some("minh"), None, t1)
        .await
        .unwrap();
    assert!(late.is_none(), "a second operator cannot take it");

    store.set_draft(a.id, Some("đèn hỏng")).await.unwrap();
    assert_eq!(store.conversation(a.id).await.unwrap().unwrap().draft.as_deref(), Some("đèn hỏng"));

    // Closed: the next message opens a new one; an idle one is replaced too.
    assert!(store.close_conversation(a.id, t1).await.unwrap());
    assert!(!store.close_conversation(a.id, t1).await.unwrap());
    assert!(matches!(store.add_turn(a.id, Speaker::Bot, "x", None, None, t1).await, Err(StoreError::NotFound(_))));
    let fresh = store.open_conversation(ChatChannel::Zalo, "z-1", None, t1, long_ago).await.unwrap();
    assert_ne!(fresh.id, a.id);
    let after_idle =
        store.open_conversation(ChatChannel::Zalo, "z-1", None, at(9_000_000_000), at(8_000_000_000)).await.unwrap();
    assert_ne!(after_idle.id, fresh.id, "idle since before the cut: replaced");

    // A portal conversation keeps its secret's hash.
    let portal = store.open_conversation(ChatChannel::Portal, "portal:x", Some(b"hash"), t0, long_ago).await.unwrap();
    assert_eq!(store.conversation_secret(portal.id).await.unwrap().as_deref(), Some(&b"hash"[..]));
}
on_both_stores!(one_open_conversation_per_sender_with_its_turns_in_order);
