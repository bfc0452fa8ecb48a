use chrono::{Datelike, NaiveDate, TimeZone, Utc, Weekday};
use proptest::prelude::*;

use super::*;
use crate::domain::schedule::vietnam_instant;

fn office() -> Office {
    let hours = serde_json::json!({
        "mon": [["07:30", "11:30"], ["13:30", "17:00"]], "tue": [["07:30", "11:30"], ["13:30", "17:00"]],
        "wed": [["07:30", "11:30"], ["13:30", "17:00"]], "thu": [["07:30", "11:30"], ["13:30", "17:00"]],
        "fri": [["07:30", "11:30"], ["13:30", "17:00"]], "sat": [["07:30", "11:30"]]
    });
    Office {
        id: OfficeId::parse("DN-HCC", "id").unwrap(),
        name: "Trung tâm Phục vụ hành chính công".into(),
        name_en: None,
        address: "24 Trần Phú".into(),
        lon: 108.222,
        lat: 16.0775,
        area: None,
        counters: 4,
        hours: serde_json::from_value(hours).unwrap(),
        days_ahead: 6,
        per_person_per_day: 2,
        services: vec![OfficeService {
            id: "dat-dai".into(),
            name: "Đất đai".into(),
            name_en: None,
            procedures: vec![],
            slot_minutes: 15,
            capacity: 3,
        }],
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(day: NaiveDate, h: u32, m: u32) -> chrono::DateTime<Utc> {
    vietnam_instant(day, chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap())
}

#[test]
fn a_weekday_has_its_morning_and_afternoon_slots() {
    let o = office();
    let slots = o.slots_on(&o.services[0], d(2026, 12, 7), &HolidayCalendar::vietnam()).unwrap();
    // 07:30–11:30 is 16 slots of 15 minutes, 13:30–17:00 is 14.
    assert_eq!(slots.len(), 30);
    assert_eq!(slots[0].starts_at, at(d(2026, 12, 7), 7, 30));
    assert_eq!(slots[16].starts_at, at(d(2026, 12, 7), 13, 30));
    assert_eq!(slots[29].ends_at, at(d(2026, 12, 7), 17, 0));
}

#[test]
fn a_holiday_is_closed_and_a_sunday_has_no_hours() {
    let o = office();
    let cal = HolidayCalendar::vietnam();
    // 2 September is National Day.
    assert_eq!(o.slots_on(&o.services[0], d(2026, 9, 2), &cal), Err(ClosedReason::Holiday));
    assert_eq!(o.slots_on(&o.services[0], d(2026, 12, 6), &cal), Err(ClosedReason::Closed));
}

#[test]
fn a_make_up_saturday_keeps_mondays_hours() {
    let cal = HolidayCalendar::vietnam();
    let Some((sat, _)) = cal.working_saturdays().next() else { return };
    let o = office();
    assert_eq!(o.slots_on(&o.services[0], sat, &cal).unwrap().len(), 30, "{sat} keeps Monday's 30 slots");
}

#[test]
fn a_closure_removes_the_slots_it_overlaps_and_says_so_when_it_takes_the_day() {
    let o = office();
    let cal = HolidayCalendar::vietnam();
    let day = d(2026, 12, 8);
    let now = at(d(2026, 12, 7), 8, 0);
    let morning = Closure { from: at(day, 7, 0), to: at(day, 12, 0), reason: "Mất điện".into() };
    let left = o.bookable_slots(&o.services[0], day, &cal, std::slice::from_ref(&morning), now).unwrap();
    assert_eq!(left.len(), 14);
    assert!(left.iter().all(|s| s.starts_at >= at(day, 13, 30)));
    let whole = Closure { from: at(day, 0, 0), to: at(day + chrono::Duration::days(1), 0, 0), reason: "Bão".into() };
    assert_eq!(o.bookable_slots(&o.services[0], day, &cal, &[whole], now), Err(ClosedReason::Closure));
}

#[test]
fn the_window_is_today_and_days_ahead_and_past_slots_are_left_out() {
    let o = office();
    let cal = HolidayCalendar::vietnam();
    let now = at(d(2026, 12, 7), 10, 5);
    let today = o.bookable_slots(&o.services[0], d(2026, 12, 7), &cal, &[], now).unwrap();
    assert_eq!(today[0].starts_at, at(d(2026, 12, 7), 10, 15));
    assert_eq!(o.bookable_slots(&o.services[0], d(2026, 12, 14), &cal, &[], now), Err(ClosedReason::OutsideWindow));
    assert_eq!(o.bookable_slots(&o.services[0], d(2026, 12, 6), &cal, &[], now), Err(ClosedReason::OutsideWindow));
    assert!(o.bookable(&o.services[0], at(d(2026, 12, 8), 7, 40), &cal, &[], now).is_err(), "not a slot start");
    assert!(o.bookable(&o.services[0], at(d(2026, 12, 8), 7, 45), &cal, &[], now).is_ok());
}

#[test]
fn validation_names_each_field_at_fault() {
    let mut o = office();
    o.counters = 0;
    o.services[0].slot_minutes = 3;
    o.services.push(o.services[0].clone());
    o.hours.0.insert("funday".into(), vec![]);
    o.hours.0.insert("tue".into(), vec![["11:00".into(), "09:00".into()]]);
    let e = o.validate().unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    for want in ["counters", "services[0].slot_minutes", "services[1].id", "hours.funday", "hours.tue[0]"] {
        assert!(fields.contains(&want), "{want} in {fields:?}");
    }
    assert!(OfficeId::parse("dn-hcc", "id").is_err());
}

proptest! {
    /// Whatever the day, slot length and closure: slots lie inside the opening spans, never on a
    /// holiday or a plain weekend day, never overlap one another, never overlap the closure,
    /// and are all of the service's length.
    #[test]
    fn slots_respect_hours_calendar_and_closures(
        offset in 0i64..800, minutes in 5u16..=240, close_from in 0i64..(24 * 60), close_len in 0i64..(36 * 60),
    ) {
        let cal = HolidayCalendar::vietnam();
        let mut o = office();
        o.days_ahead = 60;
        o.services[0].slot_minutes = minutes;
        let day = d(2025, 6, 1) + chrono::Duration::days(offset);
        let closure = Closure {
            from: at(day, 0, 0) + chrono::Duration::minutes(close_from),
            to: at(day, 0, 0) + chrono::Duration::minutes(close_from + close_len),
            reason: "x".into(),
        };
        let now = at(day, 0, 0) - chrono::Duration::days(1);
        match o.bookable_slots(&o.services[0], day, &cal, std::slice::from_ref(&closure), now) {
            Ok(slots) => {
                prop_assert!(cal.holiday(day).is_none());
                if day.weekday() == Weekday::Sun { prop_assert!(cal.is_working_day(day)); }
                let spans = o.spans_on(day, &cal).unwrap();
                for w in slots.windows(2) { prop_assert!(w[0].ends_at <= w[1].starts_at); }
                for s in &slots {
                    prop_assert_eq!(s.ends_at - s.starts_at, chrono::Duration::minutes(i64::from(minutes)));
                    prop_assert!(!(closure.from < s.ends_at && s.starts_at < closure.to));
                    prop_assert!(spans.iter().any(|(a, b)| at(day, 0, 0) + (*a - chrono::NaiveTime::MIN) <= s.starts_at
                        && s.ends_at <= at(day, 0, 0) + (*b - chrono::NaiveTime::MIN)));
                }
            }
            Err(ClosedReason::Holiday) => prop_assert!(cal.holiday(day).is_some()),
            Err(ClosedReason::Closed) => prop_assert!(day.weekday() == Weekday::Sun || o.slots_on(&o.services[0], day, &cal).map(|v| v.is_empty()).unwrap_or(true)),
            Err(ClosedReason::Closure) => prop_assert!(!o.slots_on(&o.services[0], day, &cal).unwrap().is_empty()),
            Err(ClosedReason::OutsideWindow) => prop_assert!(false, "inside the window"),
        }
    }

    /// Every slot of a booked day is found bookable at its start, and no other instant is.
    #[test]
    fn bookable_accepts_exactly_the_slot_starts(offset in 0i64..60, minute in 0i64..(24 * 60)) {
        let cal = HolidayCalendar::vietnam();
        let o = office();
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 0, 0, 0).unwrap();
        let day = d(2026, 12, 6) + chrono::Duration::days(offset % 7);
        let t = at(day, 0, 0) + chrono::Duration::minutes(minute);
        let starts: Vec<_> = o.bookable_slots(&o.services[0], day, &cal, &[], now).unwrap_or_default()
            .into_iter().map(|s| s.starts_at).collect();
        prop_assert_eq!(o.bookable(&o.services[0], t, &cal, &[], now).is_ok(), starts.contains(&t));
    }
}
