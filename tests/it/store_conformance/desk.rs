//! The hotline desk's tables: the callers' key made once, one operator per extension, call
//! events recorded once and merged in whatever order they come, a missed call opening one
//! callback per caller, inquiries with their idempotency key and their PBX call, and callbacks
//! changed only from the version read.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use switchboard::domain::CallRecord;
use switchboard::domain::desk::{
    CallEvent, CallEventKind, Callback, CallbackSource, CallbackState, Inquiry, InquiryOutcome,
};
use switchboard::store::{Store, StoreError};
use uuid::Uuid;

use crate::harness::*;
use crate::on_both_stores;

fn event(call_id: &str, kind: CallEventKind, at: DateTime<Utc>) -> CallEvent {
    CallEvent {
        call_id: call_id.into(),
        kind,
        at,
        caller: None,
        extension: None,
        duration_seconds: None,
        recording_ref: None,
    }
}

fn callback(call_id: &str, phone: &str, now: DateTime<Utc>) -> Callback {
    Callback {
        id: Uuid::now_v7(),
        source: CallbackSource::MissedCall,
        inquiry: None,
        call_id: Some(call_id.into()),
        caller_name: None,
        caller_phone: phone.into(),
        reason: "Cuộc gọi nhỡ".into(),
        due_at: now + Duration::hours(2),
        owner: None,
        state: CallbackState::Open,
        attempts: 0,
        missed_calls: 0,
        note: None,
        created_at: now,
        updated_at: now,
        closed_at: None,
        closed_by: None,
        version: 1,
    }
}

fn inquiry(call_id: Option<&str>, now: DateTime<Utc>) -> Inquiry {
    Inquiry {
        id: Uuid::now_v7(),
        call: CallRecord { started_at: now, duration_seconds: Some(30), recording_ref: None },
        call_id: call_id.map(str::to_owned),
        caller_name: Some("Lê Văn Cường".into()),
        caller_phone: Some("0905333444".into()),
        topic: "Đăng ký thường trú".into(),
        procedure: Some("1.004222".into()),
        field: Some("Đăng ký, quản lý cư trú".into()),
        answer: "Nộp tại Công an phường".into(),
        outcome: InquiryOutcome::Answered,
        transferred_to: None,
        ticket: None,
        operator: "op.lan".into(),
        created_at: now,
    }
}

async fn the_key_is_made_once_and_an_extension_has_one_operator((store, _db): (Arc<dyn Store>, TestDb)) {
    let first = store.desk_key(b"first candidate").await.unwrap();
    assert_eq!(first, b"first candidate");
    assert_eq!(store.desk_key(b"another").await.unwrap(), first, "every instance gets the stored key");

    let now = at(1_800_000_000_000_000_000);
    store.set_extension("op.lan", Some("101"), now).await.unwrap();
    store.set_extension("op.minh", Some("101"), now).await.unwrap();
    assert_eq!(store.operator_at("101").await.unwrap().as_deref(), Some("op.minh"));
    assert_eq!(store.extension_of("op.lan").await.unwrap(), None, "the extension was taken over");
    store.set_extension("op.minh", Some("102"), now).await.unwrap();
    assert_eq!(store.operator_at("101").await.unwrap(), None, "moving frees the old extension");
    store.set_extension("op.minh", None, now).await.unwrap();
    assert_eq!(store.extension_of("op.minh").await.unwrap(), None);
}

async fn call_events_are_recorded_once_and_merged_in_any_order((store, _db): (Arc<dyn Store>, TestDb)) {
    let t = Utc::now() - Duration::minutes(10);
    let mut ended = event("c-1", CallEventKind::Ended, t + Duration::seconds(200));
    ended.duration_seconds = Some(180);
    ended.recording_ref = Some("rec/c-1.wav".into());
    let after_end = store.record_call_event(&ended, None, None, None, t).await.unwrap().unwrap();
    assert_eq!(after_end.state, CallEventKind::Ended);
    let mut answered = event("c-1", CallEventKind::Answered, t + Duration::seconds(20));
    answered.extension = Some("101".into());
    let call = store.record_call_event(&answered, None, Some("op.lan"), None, t).await.unwrap().unwrap();
    let mut ringing = event("c-1", CallEventKind::Ringing, t);
    ringing.caller = Some("0905333444".into());
    ringing.extension = Some("800".into());
    let call2 = store.record_call_event(&ringing, Some(b"k"), None, None, t + Duration::seconds(1)).await.unwrap();
    let call2 = call2.unwrap();
    assert_eq!(call.state, CallEventKind::Ended);
    assert_eq!(
        (call2.extension.as_deref(), call2.operator.as_deref()),
        (Some("101"), Some("op.lan")),
        "the answering extension stays"
    );
    assert_eq!((call2.caller_phone.as_deref(), call2.duration_seconds), (Some("0905333444"), Some(180)));
    assert_eq!(call2.started_at().map(|s| s.timestamp()), Some(t.timestamp()));
    assert!(store.record_call_event(&answered, None, None, None, t).await.unwrap().is_none(), "a redelivery");
    assert_eq!(store.pbx_call("c-1").await.unwrap().unwrap().state, CallEventKind::Ended);
    assert_eq!(store.operator_calls("op.lan", t).await.unwrap().len(), 1);
    assert_eq!(store.pbx_calls_between(t - Duration::seconds(1), t + Duration::seconds(1)).await.unwrap().len(), 1);
}

async fn a_missed_call_opens_one_callback_per_caller((store, _db): (Arc<dyn Store>, TestDb)) {
    let now = Utc::now();
    let mut missed = event("m-1", CallEventKind::Missed, now);
    missed.caller = Some("02363822123".into());
    let cb = callback("m-1", "02363822123", now);
    let call = store.record_call_event(&missed, Some(b"key-a"), None, Some(&cb), now).await.unwrap().unwrap();
    assert_eq!(call.state, CallEventKind::Missed);
    let mut again = event("m-2", CallEventKind::Missed, now);
    again.caller = missed.caller.clone();
    store
        .record_call_event(&again, Some(b"key-a"), None, Some(&callback("m-2", "02363822123", now)), now)
        .await
        .unwrap();
    let open = store.callbacks(CallbackState::Open, 10).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].id, open[0].missed_calls, open[0].version), (cb.id, 1, 2));
    assert_eq!(store.callbacks_of_caller(b"key-a").await.unwrap().len(), 1);
    // A "missed" for a call that was answered opens nothing.
    store.record_call_event(&event("a-1", CallEventKind::Answered, now), None, None, None, now).await.unwrap();
    let late = event("a-1", CallEventKind::Missed, now);
    let call = store.record_call_event(&late, Some(b"key-b"), None, Some(&callback("a-1", "0905", now)), now).await;
    assert_eq!(call.unwrap().unwrap().state, CallEventKind::Answered);
    assert_eq!(store.callbacks(CallbackState::Open, 10).await.unwrap().len(), 1);

    // Changed only from the version read.
    let mut taken = open[0].clone();
    taken.owner = Some("op.lan".into());
    taken.version += 1;
    assert!(store.update_callback(&taken).await.unwrap());
    assert!(!store.update_callback(&taken).await.unwrap(), "the same version twice");
    let stored = store.callback(cb.id).await.unwrap().unwrap();
    assert_eq!((stored.owner.as_deref(), stored.version), (Some("op.lan"), 3));
    assert_eq!(store.callbacks_between(now - Duration::seconds(1), now + Duration::seconds(1)).await.unwrap().len(), 1);
}

async fn an_inquiry_is_stored_once_per_key_and_per_call((store, _db): (Arc<dyn Store>, TestDb)) {
    let now = Utc::now() - Duration::minutes(5);
    let mut ended = event("q-1", CallEventKind::Ended, now);
    ended.duration_seconds = Some(95);
    store.record_call_event(&ended, None, None, None, now).await.unwrap();
    let q = inquiry(Some("q-1"), now);
    let (stored, replayed) = store.insert_inquiry(&q, Some(b"caller"), Some("key-1"), None).await.unwrap();
    assert!(!replayed);
    assert_eq!(stored.call.duration_seconds, Some(95), "the ended call's length");
    assert_eq!(stored.call.started_at.timestamp_micros(), now.timestamp_micros());
    let (again, replayed) = store.insert_inquiry(&inquiry(Some("q-1"), now), None, Some("key-1"), None).await.unwrap();
    assert!(replayed);
    assert_eq!(again.id, q.id);
    let other = store.insert_inquiry(&inquiry(Some("q-1"), now), None, Some("key-2"), None).await.unwrap_err();
    assert!(matches!(other, StoreError::AlreadyExists(_)), "{other}");
    // One that opens a callback, both in one go.
    let mut cbq = inquiry(None, now);
    cbq.outcome = InquiryOutcome::Callback;
    let mut cb = callback("", "0905333444", now);
    (cb.call_id, cb.source, cb.inquiry) = (None, CallbackSource::Inquiry, Some(cbq.id));
    store.insert_inquiry(&cbq, Some(b"caller"), None, Some(&cb)).await.unwrap();
    assert_eq!(store.callback_of_inquiry(cbq.id).await.unwrap().map(|c| c.id), Some(cb.id));
    assert_eq!(store.inquiries_of_caller(b"caller", 10).await.unwrap().len(), 2);
    assert_eq!(store.inquiries(None, 10).await.unwrap().len(), 2);
    assert_eq!(store.inquiries(Some(now), 10).await.unwrap().len(), 0);
    assert_eq!(store.inquiries_between(now, now + Duration::seconds(1)).await.unwrap().len(), 2);
    assert_eq!(store.inquiry(q.id).await.unwrap().unwrap().field.as_deref(), Some("Đăng ký, quản lý cư trú"));
}

on_both_stores!(
    the_key_is_made_once_and_an_extension_has_one_operator,
    call_events_are_recorded_once_and_merged_in_any_order,
    a_missed_call_opens_one_callback_per_caller,
    an_inquiry_is_stored_once_per_key_and_per_call,
);
