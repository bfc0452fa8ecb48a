use chrono::TimeZone;

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 5, 2, 0, 0).unwrap()
}

fn callback(owner: Option<&str>) -> Callback {
    Callback {
        id: Uuid::nil(),
        source: CallbackSource::MissedCall,
        inquiry: None,
        call_id: Some("1733389200.42".into()),
        caller_name: None,
        caller_phone: "0905123456".into(),
        reason: "Cuộc gọi nhỡ".into(),
        due_at: now() + Duration::hours(2),
        owner: owner.map(str::to_owned),
        state: CallbackState::Open,
        attempts: 0,
        missed_calls: 0,
        note: None,
        created_at: now(),
        updated_at: now(),
        closed_at: None,
        closed_by: None,
        version: 1,
    }
}

#[test]
fn every_way_of_writing_a_vietnamese_number_is_one_number() {
    for n in ["0905123456", "+84 905 123 456", "84905123456", "0905.123.456", "(0905) 123-456", "+84905123456"] {
        assert_eq!(normalise_phone(n).as_deref(), Some("0905123456"), "{n}");
    }
    assert_eq!(normalise_phone("02363822123").as_deref(), Some("02363822123"), "a landline keeps its area code");
    assert_eq!(normalise_phone("1022").as_deref(), Some("1022"), "a short number stays");
    assert_eq!(normalise_phone("+1 415 555 0100").as_deref(), Some("+14155550100"), "a foreign number keeps its plus");
    for bad in ["", "12", "0905abc456", "0905123456789012345", "090 512; DROP"] {
        assert_eq!(normalise_phone(bad), None, "{bad:?}");
    }
}

#[test]
fn the_caller_key_is_the_same_for_one_number_and_depends_on_the_key() {
    let a = caller_key(b"desk key", "0905 123 456").unwrap();
    assert_eq!(a, caller_key(b"desk key", "+84905123456").unwrap());
    assert_ne!(a, caller_key(b"desk key", "0905123457").unwrap());
    assert_ne!(a, caller_key(b"another key", "0905123456").unwrap());
    assert_eq!(a.len(), 32);
    assert!(caller_key(b"desk key", "no number").is_none());
}

#[test]
fn events_in_any_order_leave_the_call_in_its_furthest_state() {
    use CallEventKind::*;
    assert_eq!(call_state(false, false, false), Ringing);
    assert_eq!(call_state(true, false, false), Answered);
    assert_eq!(call_state(true, true, false), Ended);
    assert_eq!(call_state(false, false, true), Missed);
    assert_eq!(call_state(true, false, true), Answered, "an answered call is not missed");
    assert_eq!(call_state(false, true, false), Ended, "an end heard before the answer");
}

#[test]
fn an_operator_takes_tries_and_settles_a_callback() {
    let c = callback(None);
    let taken = c.apply(&CallbackAction::Take, "op.lan", now()).unwrap();
    assert_eq!((taken.owner.as_deref(), taken.version), (Some("op.lan"), 2));
    let again = taken
        .apply(&CallbackAction::Attempt { note: Some(" không nghe máy ".into()), due_at: None }, "op.lan", now())
        .unwrap();
    assert_eq!(again.attempts, 1);
    assert_eq!(again.due_at, now() + Duration::hours(1), "tried again in an hour by default");
    assert_eq!(again.note.as_deref(), Some("không nghe máy"));
    let done = again.apply(&CallbackAction::Done { note: None }, "op.lan", now()).unwrap();
    assert_eq!(done.state, CallbackState::Done);
    assert_eq!(done.note.as_deref(), Some("không nghe máy"), "the last note stays");
    assert_eq!((done.closed_by.as_deref(), done.closed_at), (Some("op.lan"), Some(now())));
    assert_eq!(done.apply(&CallbackAction::Take, "op.lan", now()), Err(CallbackError::Closed(CallbackState::Done)));
}

#[test]
fn another_operators_callback_is_not_taken_from_them_but_anyone_may_settle_it() {
    let c = callback(Some("op.lan"));
    assert_eq!(c.apply(&CallbackAction::Take, "op.minh", now()), Err(CallbackError::TakenBy("op.lan".into())));
    assert!(matches!(c.apply(&CallbackAction::Release, "op.minh", now()), Err(CallbackError::TakenBy(_))));
    let done = c.apply(&CallbackAction::Done { note: Some("Đã gọi lại".into()) }, "op.minh", now()).unwrap();
    assert_eq!((done.owner.as_deref(), done.closed_by.as_deref()), (Some("op.lan"), Some("op.minh")));
}

#[test]
fn a_cancel_needs_a_reason_and_a_retry_a_sensible_time() {
    let c = callback(None);
    let Err(CallbackError::Invalid(e)) = c.apply(&CallbackAction::Cancel { note: "  ".into() }, "op", now()) else {
        panic!("a cancel without a note was accepted")
    };
    assert_eq!(e.0[0].field, "note");
    let past = CallbackAction::Attempt { note: None, due_at: Some(now() - Duration::hours(1)) };
    let Err(CallbackError::Invalid(e)) = c.apply(&past, "op", now()) else { panic!("a retry in the past") };
    assert_eq!(e.0[0].field, "due_at");
    assert!(c.is_overdue(now() + Duration::hours(3)) && !c.is_overdue(now()));
}

#[test]
fn tokens_and_texts_are_checked_and_trimmed() {
    let mut errs = ValidationErrors::new();
    assert_eq!(token(Some(" 101 "), "extension", MAX_EXTENSION_CHARS, true, &mut errs).as_deref(), Some("101"));
    assert_eq!(token(Some("1 01"), "extension", MAX_EXTENSION_CHARS, true, &mut errs), None);
    assert_eq!(token(None, "call_id", MAX_CALL_ID_CHARS, true, &mut errs), None);
    assert_eq!(text(Some("a\u{0}b"), "topic", 10, true, &mut errs), None);
    assert_eq!(phone(Some("số của tôi"), "caller_phone", false, &mut errs), None);
    let fields: Vec<_> = errs.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["extension", "call_id", "topic", "caller_phone"]);
}
