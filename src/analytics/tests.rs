//! The engine against the brute-force oracle (`oracle.rs`) on generated histories: tickets
//! moved between units, returned, extended, reopened, rejected, rated, resolved exactly at
//! their deadline — every measure, every grouping, every filter, the weekly trends.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::domain::status::apply;
use crate::domain::{
    Action, ActionKind, Actor, AreaCode, CategoryCode, Channel, EventKind, Field, HolidayCalendar, Location, NewTicket,
    Priority, Rating, Scope, Ticket, TicketId, UnitCode,
};

mod deps {
    pub use crate::analytics::*;
    pub use crate::domain::*;
}
#[path = "oracle.rs"]
mod oracle;

use oracle::{Event, World};

fn area(s: &str) -> AreaCode {
    AreaCode::parse(s, "area").unwrap()
}
fn unit(s: &str) -> UnitCode {
    UnitCode::parse(s, "unit").unwrap()
}
fn category(s: &str) -> CategoryCode {
    CategoryCode::parse(s, "category").unwrap()
}

/// Đà Nẵng with two districts of two wards, units in two levels, three categories.
fn catalogue() -> Catalogue {
    let mut c = Catalogue::default();
    let info = |parent: Option<&str>, level: &str, population| AreaInfo {
        parent: parent.map(area),
        level: level.into(),
        population,
    };
    c.areas.insert(area("DN"), info(None, "city", None));
    c.areas.insert(area("DN-HC"), info(Some("DN"), "district", Some(200_000)));
    c.areas.insert(area("DN-ST"), info(Some("DN"), "district", None));
    for (w, d, p) in [
        ("DN-HC-01", "DN-HC", None),
        ("DN-HC-02", "DN-HC", None),
        ("DN-ST-01", "DN-ST", Some(60_000)),
        ("DN-ST-02", "DN-ST", Some(90_000)),
    ] {
        c.areas.insert(area(w), info(Some(d), "ward", p));
    }
    for (u, p) in [("UBND-HC", None), ("UBND-ST", None), ("P-HC-01", Some("UBND-HC")), ("SXD", None)] {
        c.unit_parents.insert(unit(u), p.map(unit));
    }
    c.unit_areas.insert(unit("UBND-HC"), vec![area("DN-HC")]);
    c.fields.insert(category("garbage"), Field::Environment);
    c.fields.insert(category("noise"), Field::Noise);
    c.fields.insert(category("pothole"), Field::Infrastructure);
    c
}

const AREAS: [&str; 6] = ["DN-HC-01", "DN-HC-02", "DN-ST-01", "DN-ST-02", "DN-HC", "DN"];
const UNITS: [&str; 4] = ["UBND-HC", "UBND-ST", "P-HC-01", "SXD"];
const CATEGORIES: [&str; 4] = ["garbage", "noise", "pothole", "unknown-category"];

/// One generated ticket: where and what, then a list of (choice, hours later) steps.
#[derive(Debug, Clone)]
struct Plan {
    area: Option<usize>,
    category: usize,
    channel: usize,
    priority: usize,
    /// Minutes before `now` it was received.
    age_minutes: i64,
    steps: Vec<(u8, u16)>,
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        proptest::option::weighted(0.9, 0..AREAS.len()),
        0..CATEGORIES.len(),
        0..3usize,
        0..4usize,
        0..(80 * 24 * 60i64),
        proptest::collection::vec((any::<u8>(), 0..200u16), 0..9),
    )
        .prop_map(|(area, category, channel, priority, age_minutes, steps)| Plan {
            area,
            category,
            channel,
            priority,
            age_minutes,
            steps,
        })
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 8, 15, 0).unwrap()
}

/// Plays the plans through the real status machine, as the centre, the units and citizens
/// would, and returns the final tickets and every event in `seq` order.
fn play(plans: &[Plan], cal: &HolidayCalendar) -> (Vec<Ticket>, Vec<Event>) {
    let now = now();
    let mut tickets = Vec::new();
    let mut events = Vec::new();
    let mut seq = 0;
    for p in plans {
        let received = now - Duration::minutes(p.age_minutes);
        let new = NewTicket {
            channel: [Channel::Hotline, Channel::Web, Channel::Zalo][p.channel],
            category: category(CATEGORIES[p.category]),
            description: "x".into(),
            location: Location { lon: 108.2, lat: 16.05 },
            address: None,
            area: p.area.map(|i| area(AREAS[i])),
            priority: [Priority::Low, Priority::Normal, Priority::High, Priority::Urgent][p.priority],
        };
        let mut t = Ticket::received(TicketId::new_v7(), new, received, cal.deadline(received, 7));
        seq += 1;
        events.push(Event { seq, kind: EventKind::Created, at: received, ticket: t.clone() });
        let mut at = received;
        for &(choice, hours) in &p.steps {
            // Now and then exactly at the deadline, to test the boundary.
            let next = if choice % 11 == 0 { t.deadline } else { at + Duration::minutes(i64::from(hours) * 37) };
            if next > now || next < at {
                break;
            }
            at = next;
            let actor = [Actor::Centre, Actor::Unit, Actor::Citizen][usize::from(choice % 3)];
            let kinds = crate::domain::status::allowed(t.status, actor);
            let Some(&kind) = kinds.get(usize::from(choice / 3) % kinds.len().max(1)) else { continue };
            let u = unit(UNITS[usize::from(choice) % UNITS.len()]);
            let action = match kind {
                ActionKind::Assign => Action::Assign { unit: u, note: None },
                ActionKind::Forward => Action::Forward { unit: u, note: None },
                ActionKind::Accept => Action::Accept { note: None },
                ActionKind::Start => Action::Start { note: None },
                ActionKind::Progress => Action::Progress { note: "p".into() },
                ActionKind::Return => Action::Return { reason: "r".into() },
                ActionKind::Resolve => Action::Resolve { result: "done".into() },
                ActionKind::Close => Action::Close { note: None },
                ActionKind::Reject => Action::Reject { reason: "spam".into() },
                ActionKind::MarkDuplicate => Action::MarkDuplicate { of: TicketId::new_v7(), note: None },
                ActionKind::Reopen => Action::Reopen { reason: "not fixed".into() },
                ActionKind::Extend => Action::Extend { days: u32::from(choice % 4) + 1, reason: "e".into() },
                ActionKind::Rate => {
                    Action::Rate { rating: Rating::parse(i64::from(choice % 5) + 1, "r").unwrap(), comment: None }
                }
            };
            let Ok(tr) = apply(&t, &action, actor, at, cal, 7) else { continue };
            t = tr.ticket;
            seq += 1;
            events.push(Event { seq, kind: tr.kind, at, ticket: t.clone() });
        }
        tickets.push(t);
    }
    events.sort_by_key(|e| e.seq);
    (tickets, events)
}

/// The facts as a server builds them: the stored tickets, then the history events folded in.
fn facts_of(tickets: &[Ticket], events: &[Event]) -> Facts {
    let mut f = Facts::new();
    for t in tickets {
        f.upsert(t);
    }
    for e in events.iter().filter(|e| Facts::HISTORY.contains(&e.kind)) {
        f.apply(e.seq, e.kind, e.at, &e.ticket);
    }
    f
}

fn queries() -> Vec<(Query, Scope)> {
    let d = |m, dd| NaiveDate::from_ymd_opt(2026, m, dd).unwrap();
    let q = Query::default;
    let dims = [
        vec![Dimension::Area("district".into())],
        vec![Dimension::Area("ward".into()), Dimension::Unit],
        vec![Dimension::Field, Dimension::Channel],
        vec![Dimension::Category, Dimension::Priority],
        vec![Dimension::Hour, Dimension::Weekday],
        vec![Dimension::Day],
        vec![Dimension::Week, Dimension::Month],
        vec![],
    ];
    let mut out: Vec<(Query, Scope)> = dims.into_iter().map(|group| (Query { group, ..q() }, Scope::All)).collect();
    out.push((
        Query {
            basis: Basis::Resolved,
            from: Some(d(10, 1)),
            to: Some(d(11, 15)),
            group: vec![Dimension::Unit],
            ..q()
        },
        Scope::All,
    ));
    out.push((
        Query {
            from: Some(d(11, 2)),
            to: Some(d(11, 8)),
            areas: vec![area("DN-HC")],
            group: vec![Dimension::Area("ward".into())],
            ..q()
        },
        Scope::All,
    ));
    out.push((
        Query { units: vec![unit("UBND-HC")], fields: vec![Field::Environment, Field::Other], ..q() },
        Scope::All,
    ));
    out.push((
        Query {
            channels: vec![Channel::Zalo],
            priorities: vec![Priority::High, Priority::Urgent],
            group: vec![Dimension::Field],
            ..q()
        },
        Scope::All,
    ));
    out.push((Query { categories: vec![category("noise")], group: vec![Dimension::Week], ..q() }, Scope::All));
    let hc: HashSet<AreaCode> = ["DN-HC", "DN-HC-01", "DN-HC-02"].map(area).into();
    out.push((Query { group: vec![Dimension::Area("district".into())], ..q() }, Scope::Areas(hc)));
    let units: HashSet<UnitCode> = ["UBND-HC", "P-HC-01"].map(unit).into();
    out.push((Query { group: vec![Dimension::Unit], ..q() }, Scope::Units(units)));
    out
}

fn compare(tickets: &[Ticket], events: &[Event]) {
    let cal = HolidayCalendar::vietnam();
    let cat = catalogue();
    let facts = facts_of(tickets, events);
    let now = now();
    let world = World { tickets, events, cat: &cat, calendar: &cal, now };
    for (q, scope) in queries() {
        let table = run(&facts, &cat, &cal, &q, &scope, micros(now));
        let split = super::query::run_split(&facts, &cat, &cal, &q, &scope, micros(now), 1);
        assert_eq!(split, table, "the rows split between threads add up to the same table");
        let (groups, total) = oracle::table(&world, &q, &scope);
        let got: BTreeMap<Vec<String>, Measures> =
            table.rows.iter().map(|r| (r.key.iter().map(oracle::key_text).collect(), r.measures.clone())).collect();
        assert_eq!(got, groups, "groups of {q:?} in {scope:?}");
        assert_eq!(table.total, total, "total of {q:?} in {scope:?}");
        let (from, to) = (NaiveDate::from_ymd_opt(2026, 9, 20).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
        assert_eq!(
            weekly(&facts, &cat, &q, &scope, from, to, micros(now)),
            oracle::weeks(&world, &q, &scope, from, to),
            "weeks of {q:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_figure_matches_a_brute_force_count(plans in proptest::collection::vec(plan(), 1..40)) {
        let (tickets, events) = play(&plans, &HolidayCalendar::vietnam());
        compare(&tickets, &events);
    }

    #[test]
    fn folding_events_live_gives_the_same_facts_as_a_rebuild(plans in proptest::collection::vec(plan(), 1..20)) {
        let (tickets, events) = play(&plans, &HolidayCalendar::vietnam());
        // Live: every event in seq order, each carrying its ticket; some delivered twice.
        let mut live = Facts::new();
        for e in &events {
            live.apply(e.seq, e.kind, e.at, &e.ticket);
            if e.seq % 3 == 0 {
                live.apply(e.seq, e.kind, e.at, &e.ticket);
            }
        }
        let rebuilt = facts_of(&tickets, &events);
        // The same rows, but for `seq` (bookkeeping: the last event folded, which a rebuild
        // reads only among the history kinds).
        // Interned ids depend on the order codes were first seen: compare the codes.
        let row = |f: &Facts, id| {
            f.get(id).cloned().map(|r| {
                let codes = (f.areas.code(r.area).cloned(), f.units.code(r.unit).cloned(), f.categories.code(r.category).cloned());
                (Fact { seq: 0, area: 0, unit: 0, category: 0, ..r }, codes)
            })
        };
        for t in &tickets {
            prop_assert_eq!(row(&live, t.id), row(&rebuilt, t.id));
        }
    }
}

#[test]
fn a_history_with_every_kind_of_turn_is_counted_as_a_person_would() {
    let cal = HolidayCalendar::vietnam();
    // One fixed plan for a dozen tickets of every area, category, channel and priority.
    let steps = [(0u8, 3u16), (4, 5), (7, 9), (0, 2), (1, 2), (13, 199), (2, 3), (1, 2), (2, 7)];
    let plans: Vec<Plan> = (0..12)
        .map(|i| Plan {
            area: Some(i % AREAS.len()),
            category: i % 4,
            channel: i % 3,
            priority: i % 4,
            age_minutes: 20_000 + 9_000 * i as i64,
            steps: steps.to_vec(),
        })
        .collect();
    let (tickets, events) = play(&plans, &cal);
    assert!(events.len() > tickets.len() * 3, "the plans move the tickets: {} events", events.len());
    compare(&tickets, &events);
}

#[test]
fn percentiles_are_nearest_rank() {
    assert_eq!(percentile(&mut [4, 1, 3, 2], 50), Some(2));
    assert_eq!(percentile(&mut [5, 1, 4, 2, 3], 50), Some(3));
    assert_eq!(percentile(&mut (1..=10).collect::<Vec<_>>(), 90), Some(9));
    assert_eq!(percentile::<u32>(&mut [], 50), None);
    assert_eq!(percentile(&mut [7], 90), Some(7));
}

#[test]
fn the_satisfaction_index_is_the_weighted_mean_of_what_can_be_computed() {
    let cal = HolidayCalendar::vietnam();
    let m = run(&Facts::new(), &Catalogue::default(), &cal, &Query::default(), &Scope::All, 0).total;
    assert_eq!(satisfaction(&m, None, None, &Weights::default()).index, None, "nothing to go on");
    let m = Measures { received: 40, rating_mean: Some(4.0), on_time_rate: Some(0.9), reopen_rate: Some(0.1), ..m };
    // 20 000 residents, 40 reports: 20 per 10 000 against a city rate of 10 → volume 0.5.
    let s = satisfaction(&m, Some(20_000), Some(10.0), &Weights::default());
    assert_eq!(
        (s.ratings, s.on_time, s.reopen, s.volume, s.per_10k),
        (Some(0.75), Some(0.9), Some(0.9), Some(0.5), Some(20.0))
    );
    let expected = 100.0 * (0.4 * 0.75 + 0.3 * 0.9 + 0.15 * 0.9 + 0.15 * 0.5);
    assert_eq!(s.index, Some((expected * 10.0_f64).round() / 10.0));
    // Without a population the volume drops out and the rest is re-weighted.
    let s = satisfaction(&m, None, Some(10.0), &Weights::default());
    let expected = 100.0 * (0.4 * 0.75 + 0.3 * 0.9 + 0.15 * 0.9) / 0.85;
    assert_eq!(s.index, Some((expected * 10.0_f64).round() / 10.0));
    assert!(Weights::parse("ratings=1,volume=0").is_ok());
    assert!(Weights::parse("ratings=-1").unwrap_err().contains("0 or more"));
    assert!(Weights::parse("mood=1").unwrap_err().contains("unknown"));
    assert!(Weights::parse("ratings=0,on_time=0,reopen=0,volume=0").is_err());
}

#[test]
fn populations_add_up_from_the_wards_and_units_serve_their_areas() {
    let c = catalogue();
    assert_eq!(c.population(&area("DN-HC")), Some(200_000), "its own figure");
    assert_eq!(c.population(&area("DN-ST")), Some(150_000), "the sum of its wards");
    assert_eq!(c.city_population(), Some(350_000));
    assert_eq!(
        c.top_population(&[area("DN-HC"), area("DN-HC-01")]),
        Some(200_000),
        "a ward inside its district counts once"
    );
    assert_eq!(c.unit_population(&unit("UBND-HC")), Some(200_000));
    assert_eq!(c.unit_population(&unit("SXD")), Some(350_000), "city-wide");
}
