//! The incremental counters against a brute-force count over every entry, through random
//! inserts, moves between areas, status changes, removals and a clock that moves forward.

use std::collections::HashMap;

use chrono::{Duration, TimeZone, Utc};
use geo::{LineString, MultiPolygon, Polygon};
use rand::{Rng, SeedableRng, rngs::StdRng};
use uuid::Uuid;

use super::*;
use crate::domain::area::Levels;
use crate::domain::{Area, CategoryCode, Location, Priority, TicketCode};
use crate::spatial::TicketIndex;

fn code(s: &str) -> AreaCode {
    AreaCode::parse(s, "code").unwrap()
}

fn square() -> MultiPolygon<f64> {
    let ring = LineString::from(vec![(108.0, 16.0), (108.1, 16.0), (108.1, 16.1), (108.0, 16.1), (108.0, 16.0)]);
    MultiPolygon(vec![Polygon::new(ring, vec![])])
}

/// A city, two districts, two wards in each (the geometry plays no part here).
fn areas() -> AreaIndex {
    let since = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap();
    let area = |c: &str, level: &str, parent: Option<&str>| Area {
        code: code(c),
        name: c.into(),
        name_en: c.into(),
        level: level.into(),
        parent: parent.map(code),
        geometry: square(),
        valid_from: since,
        valid_to: None,
        population: None,
    };
    let all = vec![
        area("DN", "city", None),
        area("DN-A", "district", Some("DN")),
        area("DN-B", "district", Some("DN")),
        area("DN-A-1", "ward", Some("DN-A")),
        area("DN-A-2", "ward", Some("DN-A")),
        area("DN-B-1", "ward", Some("DN-B")),
        area("DN-B-2", "ward", Some("DN-B")),
    ];
    AreaIndex::new(&all, &Levels::default())
}

const PLACES: [&str; 6] = ["DN-A-1", "DN-A-2", "DN-B-1", "DN-B-2", "DN-A", "DN"];

fn entry(rng: &mut StdRng, id: TicketId, now: DateTime<Utc>) -> TicketEntry {
    let status = Status::ALL[rng.random_range(0..Status::ALL.len())];
    let received_at = now - Duration::hours(rng.random_range(0..200));
    TicketEntry {
        id,
        code: TicketCode(id.0.to_string()),
        location: Location { lon: 108.05, lat: 16.05 },
        status,
        category: CategoryCode::parse("noise", "c").unwrap(),
        area: rng.random_bool(0.9).then(|| code(PLACES[rng.random_range(0..PLACES.len())])),
        unit: None,
        priority: Priority::Normal,
        received_at,
        deadline: now + Duration::hours(rng.random_range(-48..48)),
        resolved_at: None,
        version: 1,
        supporters: 0,
    }
}

/// What `area_stats` computed before the counters existed: every entry, every ancestor.
fn brute_force(
    entries: &HashMap<TicketId, TicketEntry>,
    areas: &AreaIndex,
    now: DateTime<Utc>,
) -> HashMap<AreaCode, AreaStats> {
    let mut out: HashMap<AreaCode, AreaStats> = HashMap::new();
    for e in entries.values() {
        let Some(area) = &e.area else { continue };
        for c in areas.ancestors(area) {
            let s = out.entry(c).or_default();
            *s.counts.entry(e.status.as_str().to_owned()).or_default() += 1;
            s.total += 1;
            s.open += u64::from(e.status.is_open());
            s.overdue += u64::from(e.is_overdue(now));
        }
    }
    out
}

#[test]
fn incremental_counts_equal_a_full_recount_after_every_change() {
    let areas = areas();
    let mut rng = StdRng::seed_from_u64(7);
    let mut now = Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap();
    let mut entries: HashMap<TicketId, TicketEntry> = HashMap::new();
    for _ in 0..50 {
        let id = TicketId(Uuid::from_u128(rng.random()));
        entries.insert(id, entry(&mut rng, id, now));
    }
    let mut counters =
        AreaCounters::build(TicketIndex::bulk_load(entries.values().cloned().collect()).entries(), &areas, now);
    assert_eq!(counters.all(), brute_force(&entries, &areas, now), "after build");
    for step in 0..2000 {
        let ids: Vec<TicketId> = entries.keys().copied().collect();
        match rng.random_range(0..10) {
            0..=1 => {
                let id = TicketId(Uuid::from_u128(rng.random()));
                let e = entry(&mut rng, id, now);
                counters.apply(None, Some(&e), &areas);
                entries.insert(id, e);
            }
            2..=6 if !ids.is_empty() => {
                let id = ids[rng.random_range(0..ids.len())];
                let next = entry(&mut rng, id, now);
                let old = entries.insert(id, next.clone());
                counters.apply(old.as_ref(), Some(&next), &areas);
            }
            7 if !ids.is_empty() => {
                let id = ids[rng.random_range(0..ids.len())];
                let old = entries.remove(&id);
                counters.apply(old.as_ref(), None, &areas);
            }
            _ => {
                now += Duration::minutes(rng.random_range(0..600));
                counters.advance(now, &areas);
            }
        }
        assert_eq!(counters.all(), brute_force(&entries, &areas, now), "step {step}");
    }
}

#[test]
fn a_ticket_becomes_overdue_in_every_area_above_it_when_the_clock_passes_its_deadline() {
    let areas = areas();
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap();
    let mut rng = StdRng::seed_from_u64(1);
    let mut e = entry(&mut rng, TicketId(Uuid::from_u128(1)), now);
    e.status = Status::Assigned;
    e.area = Some(code("DN-B-2"));
    e.deadline = now + Duration::hours(1);
    let mut counters = AreaCounters::build(TicketIndex::bulk_load(vec![e.clone()]).entries(), &areas, now);
    for c in ["DN", "DN-B", "DN-B-2"] {
        assert_eq!((counters.stats(&code(c)).open, counters.stats(&code(c)).overdue), (1, 0), "{c}");
    }
    assert_eq!(counters.stats(&code("DN-A")), AreaStats::default(), "another district counts nothing");
    counters.advance(now + Duration::hours(2), &areas);
    for c in ["DN", "DN-B", "DN-B-2"] {
        assert_eq!(counters.stats(&code(c)).overdue, 1, "{c}");
    }
    let mut resolved = e.clone();
    resolved.status = Status::Resolved;
    counters.apply(Some(&e), Some(&resolved), &areas);
    for c in ["DN", "DN-B", "DN-B-2"] {
        let s = counters.stats(&code(c));
        assert_eq!((s.open, s.overdue, s.counts.get("resolved").copied()), (0, 0, Some(1)), "{c}");
    }
}
