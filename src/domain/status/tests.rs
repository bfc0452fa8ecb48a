use chrono::{TimeZone, Utc};

use super::*;
use crate::domain::{CategoryCode, Channel, Location, NewTicket, Priority};

fn ticket(status: Status) -> Ticket {
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 3, 0, 0).unwrap();
    let new = NewTicket {
        channel: Channel::Hotline,
        category: CategoryCode::parse("garbage", "c").unwrap(),
        description: "Rác tồn đọng".into(),
        location: Location { lon: 108.22, lat: 16.06 },
        address: None,
        area: None,
        priority: Priority::Normal,
    };
    let mut t = Ticket::received(TicketId::new_v7(), new, now, HolidayCalendar::default().deadline(now, 7));
    t.status = status;
    t.unit = (status != Status::Received).then(|| UnitCode::parse("DN-HC-UBND", "u").unwrap());
    t
}

fn unit(s: &str) -> UnitCode {
    UnitCode::parse(s, "unit").unwrap()
}

fn run(t: &Ticket, a: Action, actor: Actor) -> Result<Transition, TransitionError> {
    let now = t.received_at + chrono::Duration::hours(5);
    apply(t, &a, actor, now, &HolidayCalendar::default(), 7)
}

#[test]
fn the_happy_path_walks_from_received_to_closed() {
    let t = ticket(Status::Received);
    let t = run(&t, Action::Assign { unit: unit("DN-HC-UBND"), note: None }, Actor::Centre).unwrap().ticket;
    assert_eq!((t.status, t.version), (Status::Assigned, 2));
    let t = run(&t, Action::Accept { note: None }, Actor::Unit).unwrap().ticket;
    let t = run(&t, Action::Start { note: None }, Actor::Unit).unwrap().ticket;
    let tr = run(&t, Action::Progress { note: "Đã cử đội xuống".into() }, Actor::Unit).unwrap();
    assert_eq!(tr.kind, EventKind::Progress);
    let tr = run(&tr.ticket, Action::Resolve { result: "Đã thu gom".into() }, Actor::Unit).unwrap();
    assert_eq!(tr.ticket.status, Status::Resolved);
    assert_eq!(tr.ticket.result.as_deref(), Some("Đã thu gom"));
    assert!(tr.ticket.resolved_at.is_some());
    let t = run(&tr.ticket, Action::Close { note: None }, Actor::Centre).unwrap().ticket;
    assert_eq!(t.status, Status::Closed);
    assert!(t.closed_at.is_some());
    assert_eq!(t.version, 7);
}

#[test]
fn an_illegal_transition_is_refused_with_the_allowed_actions() {
    let t = ticket(Status::Received);
    let err = run(&t, Action::Close { note: None }, Actor::Centre).unwrap_err();
    match err {
        TransitionError::NotAllowed { status, action, allowed } => {
            assert_eq!(status, Status::Received);
            assert_eq!(action, ActionKind::Close);
            assert_eq!(
                allowed,
                vec![ActionKind::Assign, ActionKind::Reject, ActionKind::MarkDuplicate, ActionKind::Extend]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_result_is_rated_once_and_a_reopened_ticket_can_be_rated_again() {
    let resolved = ticket(Status::Resolved);
    let rate = |n| Action::Rate { rating: Rating::parse(n, "r").unwrap(), comment: Some("Chưa sạch".into()) };
    let rated = run(&resolved, rate(1), Actor::Citizen).unwrap().ticket;
    match run(&rated, rate(5), Actor::Citizen).unwrap_err() {
        TransitionError::Invalid(v) => assert_eq!(v.0[0].field, "rating"),
        other => panic!("{other:?}"),
    }
    let reopened = run(&rated, Action::Reopen { reason: "Người dân không hài lòng".into() }, Actor::Citizen).unwrap();
    assert_eq!(reopened.ticket.rating, None);
    assert!(reopened.ticket.status.is_open());
}

#[test]
fn a_unit_may_not_reject_and_a_citizen_may_only_rate_or_reopen() {
    let t = ticket(Status::Received);
    let r = run(&t, Action::Reject { reason: "spam".into() }, Actor::Unit);
    assert_eq!(r.unwrap_err(), TransitionError::Forbidden { action: ActionKind::Reject });
    let r = run(&t, Action::Assign { unit: unit("X"), note: None }, Actor::Citizen);
    assert!(matches!(r, Err(TransitionError::Forbidden { .. })));
    let resolved = ticket(Status::Resolved);
    let rated = run(&resolved, Action::Rate { rating: Rating::parse(2, "r").unwrap(), comment: None }, Actor::Citizen);
    assert_eq!(rated.unwrap().ticket.rating.map(Rating::get), Some(2));
}

#[test]
fn reasons_are_required_where_the_rules_say_so() {
    let t = ticket(Status::Received);
    let err = run(&t, Action::Reject { reason: "   ".into() }, Actor::Centre).unwrap_err();
    match err {
        TransitionError::Invalid(v) => assert_eq!(v.0[0].field, "reason"),
        other => panic!("{other:?}"),
    }
    let assigned = ticket(Status::Assigned);
    assert!(run(&assigned, Action::Return { reason: String::new() }, Actor::Unit).is_err());
    let ok = run(&assigned, Action::Return { reason: "Không thuộc thẩm quyền".into() }, Actor::Unit).unwrap();
    assert_eq!(ok.ticket.status, Status::Returned);
    assert_eq!(ok.ticket.unit, None, "a returned ticket goes back to the centre");
}

#[test]
fn reopen_gives_a_fresh_deadline_and_keeps_the_unit() {
    let mut t = ticket(Status::Resolved);
    t.resolved_at = Some(t.received_at);
    let now = t.received_at + chrono::Duration::days(20);
    let tr =
        apply(&t, &Action::Reopen { reason: "Chưa xử lý".into() }, Actor::Centre, now, &HolidayCalendar::default(), 7)
            .unwrap();
    assert_eq!(tr.ticket.status, Status::Assigned);
    assert_eq!(tr.ticket.resolved_at, None);
    assert!(tr.ticket.deadline > now);
}

#[test]
fn extend_moves_the_deadline_by_working_days_and_is_bounded() {
    let t = ticket(Status::InProgress);
    let tr = run(&t, Action::Extend { days: 3, reason: "Chờ vật tư".into() }, Actor::Centre).unwrap();
    assert_eq!(tr.ticket.deadline, HolidayCalendar::default().deadline(t.deadline, 3));
    assert_eq!(tr.ticket.status, Status::InProgress);
    assert!(run(&t, Action::Extend { days: 0, reason: "x".into() }, Actor::Centre).is_err());
    assert!(run(&t, Action::Extend { days: 61, reason: "x".into() }, Actor::Centre).is_err());
}

#[test]
fn duplicate_of_itself_is_refused() {
    let t = ticket(Status::Received);
    let err = run(&t, Action::MarkDuplicate { of: t.id, note: None }, Actor::Centre).unwrap_err();
    assert!(matches!(err, TransitionError::Invalid(_)));
    let other = TicketId::new_v7();
    let tr = run(&t, Action::MarkDuplicate { of: other, note: None }, Actor::Centre).unwrap();
    assert_eq!((tr.ticket.status, tr.ticket.duplicate_of), (Status::Duplicate, Some(other)));
}

#[test]
fn forwarding_to_the_same_unit_is_refused() {
    let t = ticket(Status::Assigned);
    let same = t.unit.clone().unwrap();
    assert!(matches!(
        run(&t, Action::Forward { unit: same, note: None }, Actor::Centre),
        Err(TransitionError::Invalid(_))
    ));
    let tr = run(&t, Action::Forward { unit: unit("DN-STC"), note: None }, Actor::Centre).unwrap();
    assert_eq!(tr.kind, EventKind::Forwarded);
}

#[test]
fn no_action_leads_out_of_a_final_status_except_reopen_and_rate() {
    for s in [Status::Rejected, Status::Duplicate] {
        assert!(allowed(s, Actor::Centre).is_empty(), "{s:?}");
        assert!(allowed(s, Actor::Unit).is_empty(), "{s:?}");
    }
    assert_eq!(allowed(Status::Closed, Actor::Centre), vec![ActionKind::Reopen, ActionKind::Rate]);
}
