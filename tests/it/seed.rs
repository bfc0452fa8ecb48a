//! The demo generator produces what a real 1022 centre sees: a year of reports, more from the
//! dense centre, garbage and urban order dominating, office hours busier than the night, the bar
//! street loud at night, hardly anything during Tết; lateness of a few per cent that differs by
//! district (so the wall shows green, amber and red), ratings mostly 4–5; and a mix of statuses
//! that includes overdue, late, returned-and-rerouted, rejected and duplicate tickets.

use std::collections::HashMap;

use chrono::{Timelike, Utc};
use switchboard::app::Settings;
use switchboard::demo::DemoCity;
use switchboard::domain::{EventKind, Field, Status};

#[tokio::test]
async fn the_demo_generator_is_skewed_like_a_real_city() {
    let (_dir, url) = crate::harness::fresh_sqlite_url();
    let store = switchboard::store::open(Some(&url)).await.unwrap();
    let settings = Settings::default();
    let report = switchboard::demo::seed::seed(store.as_ref(), &settings.city(), 1200, 7).await.unwrap();
    assert_eq!(report.tickets, 1200);
    let tickets = store.all_tickets().await.unwrap();
    assert_eq!(tickets.len(), 1200);
    let city = DemoCity::embedded().unwrap();
    let district_of = |ward: &str| {
        let a = city.areas.iter().find(|a| a.code.as_str() == ward).unwrap();
        let d = city.areas.iter().find(|d| Some(&d.code) == a.parent.as_ref()).unwrap();
        d.name.clone()
    };
    let mut by_district: HashMap<String, usize> = HashMap::new();
    let mut by_field: HashMap<Field, usize> = HashMap::new();
    let (mut office, mut small_hours) = (0, 0);
    let now = Utc::now();
    for t in &tickets {
        *by_district.entry(district_of(t.area.as_ref().unwrap().as_str())).or_default() += 1;
        let field = city.categories.iter().find(|c| c.code == t.category).unwrap().field;
        *by_field.entry(field).or_default() += 1;
        let hour = t.received_at.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).hour();
        if (8..17).contains(&hour) {
            office += 1;
        }
        if (1..5).contains(&hour) {
            small_hours += 1;
        }
        assert!(t.received_at <= now && t.received_at > now - chrono::Duration::days(366));
    }
    let older = tickets.iter().filter(|t| t.received_at < now - chrono::Duration::days(60)).count();
    assert!(older > 200, "a year of history, most of it recent: {older} older than 60 days");
    assert!(by_district["Hải Châu"] > 2 * by_district["Hòa Vang"], "{by_district:?}");
    let top = by_field.iter().max_by_key(|(_, n)| **n).unwrap().0;
    assert_eq!(*top, Field::Environment, "{by_field:?}");
    assert!(by_field[&Field::Environment] > 3 * by_field.get(&Field::SecurityOrder).copied().unwrap_or(0));
    assert!(office > 10 * small_hours, "office hours {office}, 1-5 am {small_hours}");

    let count = |s: Status| tickets.iter().filter(|t| t.status == s).count();
    let overdue = tickets.iter().filter(|t| t.is_overdue(now)).count();
    let late = tickets.iter().filter(|t| t.is_late()).count();
    let resolved = tickets.iter().filter(|t| t.resolved_at.is_some()).count();
    assert!(count(Status::Closed) > 300, "most old tickets are closed");
    assert!(overdue > 5, "some open tickets are past their deadline: {overdue}");
    let lateness = late as f64 / resolved as f64;
    assert!((0.01..0.09).contains(&lateness), "city lateness a few per cent: {late} of {resolved}");
    // By district: the quick and the slow differ, late and overdue.
    let mut by: HashMap<String, [usize; 4]> = HashMap::new(); // resolved, late, open, overdue
    for t in &tickets {
        let e = by.entry(district_of(t.area.as_ref().unwrap().as_str())).or_default();
        e[0] += usize::from(t.resolved_at.is_some());
        e[1] += usize::from(t.is_late());
        e[2] += usize::from(t.status.is_open());
        e[3] += usize::from(t.is_overdue(now));
    }
    let rate = |d: &str, i: usize, of: usize| by[d][i] as f64 / by[d][of].max(1) as f64;
    assert!(rate("Sơn Trà", 1, 0) > 2.0 * rate("Cẩm Lệ", 1, 0), "Sơn Trà's units are slower: {by:?}");
    let slow = rate("Sơn Trà", 3, 2).max(rate("Hòa Vang", 3, 2));
    assert!(slow > 0.12, "a slow district has many overdue (red): {by:?}");
    assert!(rate("Cẩm Lệ", 3, 2) * 2.0 < slow, "Cẩm Lệ's open tickets are mostly on time: {by:?}");
    assert!(by["Hải Châu"][3] > 0, "the demo leader's district has overdue tickets to direct: {by:?}");
    // … received in the last 30 days (the leader's default period), whatever the day.
    let recent_overdue = tickets
        .iter()
        .filter(|t| t.is_overdue(now) && t.received_at > now - chrono::Duration::days(30))
        .filter(|t| t.area.as_ref().is_some_and(|a| a.as_str().starts_with("DN-HC")))
        .count();
    assert!(recent_overdue >= 3, "{recent_overdue} overdue in Hải Châu from the last 30 days");
    for s in
        [Status::Received, Status::Assigned, Status::InProgress, Status::Resolved, Status::Rejected, Status::Duplicate]
    {
        assert!(count(s) > 0, "{s:?}");
    }
    let rated = tickets.iter().filter(|t| t.rating.is_some()).count();
    assert!(rated > 100, "{rated}");
    let stars =
        |lo: u8, hi: u8| tickets.iter().filter(|t| t.rating.is_some_and(|r| (lo..=hi).contains(&r.get()))).count();
    assert!(stars(4, 5) * 10 > rated * 6 && stars(1, 2) > 0, "mostly 4–5, some 1–2: {} of {rated}", stars(4, 5));

    // The bar street (Mỹ An) is loud at night, and otherwise a ward like any other.
    type T = switchboard::domain::Ticket;
    let night = |t: &&T| !(3..20).contains(&t.received_at.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).hour());
    let is_noise = |t: &&T| city.categories.iter().find(|c| c.code == t.category).unwrap().field == Field::Noise;
    let in_bar = |t: &&T| t.area.as_ref().unwrap().as_str() == "DN-NHS-MYAN";
    let night_noise: Vec<&T> = tickets.iter().filter(night).filter(is_noise).collect();
    let bar_night = night_noise.iter().filter(|t| in_bar(t)).count();
    let bar_other = tickets.iter().filter(|t| !is_noise(t)).filter(in_bar).count();
    let others = tickets.iter().filter(|t| !is_noise(t)).count();
    assert!(
        bar_night * 4 > night_noise.len() && bar_other * 20 < others,
        "the bar street has {bar_night} of {} night noise reports, {bar_other} of {others} others",
        night_noise.len()
    );

    // Tết: hardly a report during the last Tết holidays, against the four weeks either side.
    let calendar = switchboard::domain::HolidayCalendar::vietnam();
    let today = now.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).date_naive();
    let (lo, hi) = (today - chrono::Duration::days(330), today - chrono::Duration::days(35));
    let tet: Vec<chrono::NaiveDate> = calendar
        .holidays()
        .filter(|(d, h)| h.name_vi.contains("Tết") && (lo..hi).contains(d))
        .map(|(d, _)| d)
        .collect();
    assert!(tet.len() >= 5, "the holiday calendar covers a Tết in the last year (it runs to 2027)");
    let local = |t: &T| t.received_at.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).date_naive();
    let (first, last) = (tet[0], *tet.last().unwrap());
    let during = tickets.iter().filter(|t| (first..=last).contains(&local(t))).count() as f64;
    let days = (last - first).num_days() as f64 + 1.0;
    let before = first - chrono::Duration::days(28)..first;
    let after = last + chrono::Duration::days(1)..last + chrono::Duration::days(29);
    let around = tickets.iter().filter(|t| before.contains(&local(t)) || after.contains(&local(t))).count() as f64;
    assert!(during / days < around / 56.0 / 2.0, "Tết: {during} in {days} days, {around} in the 56 days around");
    // Some tickets went back to the centre and were rerouted.
    let events = store.events_after(0, 1_000_000).await.unwrap();
    assert!(events.iter().filter(|e| e.kind == EventKind::Returned).count() > 10);
    assert_eq!(events.iter().filter(|e| e.kind == EventKind::Created).count(), 1200);
    // Every event's time is ordered within its ticket and within the ticket's life.
    let by_ticket = events.iter().fold(HashMap::<_, Vec<_>>::new(), |mut m, e| {
        m.entry(e.ticket_id).or_default().push(e.at);
        m
    });
    assert!(by_ticket.values().all(|ts| ts.windows(2).all(|w| w[0] <= w[1])));
}
