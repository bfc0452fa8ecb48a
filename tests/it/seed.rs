//! The demo generator produces what a real 1022 centre sees: more reports from the dense
//! centre, garbage and urban order dominating, office hours busier than the night, and a mix of
//! statuses that includes overdue, late, returned-and-rerouted, rejected and duplicate tickets.

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
        assert!(t.received_at <= now && t.received_at > now - chrono::Duration::days(62));
    }
    assert!(by_district["Hải Châu"] > 2 * by_district["Hòa Vang"], "{by_district:?}");
    let top = by_field.iter().max_by_key(|(_, n)| **n).unwrap().0;
    assert_eq!(*top, Field::Environment, "{by_field:?}");
    assert!(by_field[&Field::Environment] > 3 * by_field.get(&Field::SecurityOrder).copied().unwrap_or(0));
    assert!(office > 10 * small_hours, "office hours {office}, 1-5 am {small_hours}");

    let count = |s: Status| tickets.iter().filter(|t| t.status == s).count();
    let overdue = tickets.iter().filter(|t| t.is_overdue(now)).count();
    let late = tickets.iter().filter(|t| t.is_late()).count();
    let resolved_on_time = tickets.iter().filter(|t| t.resolved_at.is_some() && !t.is_late()).count();
    assert!(count(Status::Closed) > 300, "most old tickets are closed");
    assert!(overdue > 20, "some open tickets are past their deadline: {overdue}");
    // About a fifth of the handling runs late (the generator's 18 %, plus waits for office
    // hours), so on time must be well ahead; the exact ratio moves with the hour and the
    // holidays around the day it is seeded (563 on time for 188 late was seen on 2 Dec).
    assert!(late > 50 && resolved_on_time > 2 * late, "late {late}, on time {resolved_on_time}");
    for s in
        [Status::Received, Status::Assigned, Status::InProgress, Status::Resolved, Status::Rejected, Status::Duplicate]
    {
        assert!(count(s) > 0, "{s:?}");
    }
    let rated = tickets.iter().filter(|t| t.rating.is_some()).count();
    assert!(rated > 100, "{rated}");
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
