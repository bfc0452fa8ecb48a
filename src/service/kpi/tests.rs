use chrono::TimeZone;
use uuid::Uuid;

use super::*;
use crate::domain::{CategoryCode, Location, Priority, Status, TicketId};
use crate::spatial::{TicketEntry, TicketIndex};

/// 2026-11-20 10:00 in Vietnam.
fn now() -> DateTime<Utc> {
    Ho_Chi_Minh.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap().with_timezone(&Utc)
}

fn code(s: &str) -> AreaCode {
    AreaCode::parse(s, "area").unwrap()
}

fn entry(n: u128, area: &str, unit: &str, status: Status, received_h_ago: i64, deadline_h: i64) -> TicketEntry {
    let received_at = now() - Duration::hours(received_h_ago);
    TicketEntry {
        id: TicketId(Uuid::from_u128(n)),
        code: crate::domain::TicketCode(format!("DN-2601-{n:06}")),
        location: Location { lon: 108.2, lat: 16.05 },
        status,
        category: CategoryCode::parse("RAC", "category").unwrap(),
        area: Some(code(area)),
        unit: Some(UnitCode::parse(unit, "unit").unwrap()),
        priority: Priority::Normal,
        received_at,
        deadline: received_at + Duration::hours(deadline_h),
        resolved_at: None,
        version: 1,
        supporters: 0,
    }
}

fn resolved(mut e: TicketEntry, hours_after_receipt: i64) -> TicketEntry {
    e.resolved_at = Some(e.received_at + Duration::hours(hours_after_receipt));
    e
}

fn sample() -> Vec<TicketEntry> {
    vec![
        // Received today (after 00:00 Vietnam time), open, not yet due.
        entry(1, "W1", "U1", Status::Received, 2, 48),
        // Received yesterday evening in Vietnam: not today even though it is the same UTC day.
        entry(2, "W1", "U1", Status::InProgress, 12, 4),
        // Resolved today on time (3 h), and resolved 5 days ago late (10 h vs 5 h deadline).
        resolved(entry(3, "W2", "U2", Status::Resolved, 5, 24), 3),
        resolved(entry(4, "W2", "U1", Status::Closed, 24 * 5, 5), 10),
        // Resolved 40 days ago: outside the window.
        resolved(entry(5, "W2", "U2", Status::Closed, 24 * 40, 24), 1),
    ]
}

fn all(_: Option<&AreaCode>, _: Option<&UnitCode>) -> bool {
    true
}

#[test]
fn figures_follow_the_vietnamese_day_and_the_30_day_window() {
    let cube = KpiCube::build(TicketIndex::bulk_load(sample()).entries(), now());
    let k = cube.total(all);
    assert_eq!(k.received_today, 2, "tickets 1 and 3: 2 h and 5 h ago are after midnight in Vietnam");
    assert_eq!(k.resolved_today, 1);
    assert_eq!(k.open, 2);
    assert_eq!(k.overdue, 1, "ticket 2 was due 8 hours ago");
    assert_eq!(k.resolved_30d, 2);
    assert_eq!(k.on_time_rate, Some(0.5));
    let median = k.median_handling_hours.unwrap();
    // Two values (3 h and 10 h): the histogram's median is the lower one, to within 1 %.
    assert!((median - 3.0).abs() < 0.05, "median {median}");
}

#[test]
fn cells_split_by_area_and_unit_and_roll_up_to_ancestors() {
    let cube = KpiCube::build(TicketIndex::bulk_load(sample()).entries(), now());
    let unit1 = cube.total(|_, u| u.is_some_and(|u| u.as_str() == "U1"));
    assert_eq!((unit1.open, unit1.resolved_30d), (2, 1));
    let by_area = cube.by_area(|a| vec![a.clone(), code("D1")], all);
    assert_eq!(by_area["W1"].open, 2);
    assert_eq!(by_area["W2"].resolved_30d, 2);
    assert_eq!(by_area["D1"], cube.total(all), "the district holds both of its wards");
    let only_w2 = cube.by_area(|a| vec![a.clone(), code("D1")], |a, _| a.is_some_and(|a| a.as_str() == "W2"));
    assert!(!only_w2.contains_key("W1"));
    assert_eq!(only_w2["D1"].open, 0);
}

#[test]
fn nothing_resolved_means_no_rate_and_no_median() {
    let cube = KpiCube::build(std::iter::empty(), now());
    let k = cube.total(all);
    assert_eq!((k.open, k.on_time_rate, k.median_handling_hours), (0, None, None));
}
