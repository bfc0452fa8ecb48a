use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;
use rand::SeedableRng;

use super::*;

#[test]
fn booking_codes_read_back_however_they_are_typed() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for _ in 0..100 {
        let c = new_booking_code(&mut rng);
        assert_eq!(parse_booking_code(&c).as_deref(), Some(c.as_str()));
        assert_eq!(parse_booking_code(&c.to_lowercase().replace('-', " ")).as_deref(), Some(c.as_str()));
    }
    assert_eq!(parse_booking_code("LH-0O1IL2"), None, "ambiguous characters are never in a code");
    assert_eq!(parse_booking_code("LH-ABC"), None);
}

#[test]
fn labels_carry_the_kind_and_three_digits() {
    assert_eq!(QueueKind::Normal.label(12), "A012");
    assert_eq!(QueueKind::Priority.label(4), "U004");
    assert_eq!(QueueKind::Appointment.label(1234), "H1234");
}

fn w(kind: QueueKind, issued_min: i64, slot_min: Option<i64>, to: Option<i32>) -> Waiting {
    let t0 = Utc.with_ymd_and_hms(2026, 12, 7, 1, 0, 0).unwrap();
    Waiting {
        id: Uuid::new_v4(),
        kind,
        issued_at: t0 + Duration::minutes(issued_min),
        slot_at: slot_min.map(|m| t0 + Duration::minutes(m)),
        to_counter: to,
    }
}

#[test]
fn a_counter_calls_transfers_then_due_appointments_then_priority_then_the_rest() {
    let t0 = Utc.with_ymd_and_hms(2026, 12, 7, 1, 0, 0).unwrap();
    let now = t0 + Duration::minutes(30);
    let normal_old = w(QueueKind::Normal, 0, None, None);
    let priority = w(QueueKind::Priority, 20, None, None);
    let due = w(QueueKind::Appointment, 25, Some(40), None);
    let early = w(QueueKind::Appointment, 1, Some(120), None);
    let mine = w(QueueKind::Normal, 28, None, Some(3));
    let theirs = w(QueueKind::Normal, -5, None, Some(4));
    let all = [normal_old.clone(), priority.clone(), due.clone(), early.clone(), mine.clone(), theirs.clone()];
    let order = call_order(&all, 3, now);
    assert_eq!(order, vec![mine.id, due.id, priority.id, normal_old.id, early.id]);
    assert!(!order.contains(&theirs.id), "sent to counter 4, not called at 3");
}

#[test]
fn the_wait_is_the_people_ahead_shared_by_the_counters() {
    assert_eq!(estimated_wait(0, 10.0, 2), 0);
    assert_eq!(estimated_wait(5, 10.0, 2), 25);
    assert_eq!(estimated_wait(1, 0.0, 0), 1);
}

#[test]
fn survey_scores_are_one_to_five() {
    let ok = SurveyScores { access: 5, procedure: 4, staff: 3, timeliness: 2, overall: 1 };
    assert!(ok.validate().is_ok());
    let e = SurveyScores { staff: 6, ..ok }.validate().unwrap_err();
    assert_eq!(e.0[0].field, "scores.staff");
}

proptest! {
    /// Every number that may be called here is called exactly once in the order, and a
    /// priority number never comes after a normal one.
    #[test]
    fn the_call_order_is_a_permutation_with_priority_before_normal(
        items in prop::collection::vec((0u8..3, 0i64..300, 0i64..300, prop::option::of(1i32..4)), 0..40),
        now_min in 0i64..300,
    ) {
        let t0 = Utc.with_ymd_and_hms(2026, 12, 7, 1, 0, 0).unwrap();
        let all: Vec<Waiting> = items.iter().map(|(k, i, s, to)| {
            let kind = [QueueKind::Appointment, QueueKind::Priority, QueueKind::Normal][*k as usize];
            w(kind, *i, (kind == QueueKind::Appointment).then_some(*s), *to)
        }).collect();
        let order = call_order(&all, 1, t0 + Duration::minutes(now_min));
        let eligible: Vec<&Waiting> = all.iter().filter(|x| x.to_counter.is_none_or(|c| c == 1)).collect();
        prop_assert_eq!(order.len(), eligible.len());
        let pos = |id: Uuid| order.iter().position(|x| *x == id).unwrap();
        for a in &eligible {
            for b in &eligible {
                if a.to_counter.is_none() && b.to_counter.is_none() && a.kind == QueueKind::Priority && b.kind == QueueKind::Normal {
                    prop_assert!(pos(a.id) < pos(b.id));
                }
            }
        }
    }
}
