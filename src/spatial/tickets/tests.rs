//! The index against brute force on seeded random tickets over a Da Nang-sized box.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use uuid::Uuid;

use super::*;
use crate::domain::BBox;

const LON: (f64, f64) = (107.9, 108.35);
const LAT: (f64, f64) = (15.9, 16.2);
const CATEGORIES: [&str; 5] = ["garbage", "noise-karaoke", "pothole", "flooding", "street-light"];
const AREAS: [&str; 6] = ["DN-HC-01", "DN-HC-02", "DN-TK-01", "DN-ST-01", "DN-NHS-01", "DN-LC-01"];
const UNITS: [&str; 3] = ["DN-HC-UBND", "DN-TK-UBND", "DN-DOT"];

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 1, 0, 0).unwrap()
}

fn pick<T: Copy>(rng: &mut StdRng, xs: &[T]) -> T {
    xs[rng.random_range(0..xs.len())]
}

/// A coordinate pair; one in four snapped to a coarse grid so that ties and shared positions
/// (and bbox edges through real points) are common.
fn random_point(rng: &mut StdRng) -> Location {
    if rng.random_bool(0.25) {
        let lon = LON.0 + rng.random_range(0..45) as f64 * 0.01;
        let lat = LAT.0 + rng.random_range(0..30) as f64 * 0.01;
        Location { lon, lat }
    } else {
        Location { lon: rng.random_range(LON.0..LON.1), lat: rng.random_range(LAT.0..LAT.1) }
    }
}

fn random_entry(rng: &mut StdRng, id: TicketId) -> TicketEntry {
    let received_at = t0() + Duration::minutes(rng.random_range(0..60 * 24 * 30));
    let deadline = received_at + Duration::days(rng.random_range(1..10));
    let status = pick(rng, &Status::ALL);
    TicketEntry {
        id,
        code: crate::domain::TicketCode(id.0.to_string()),
        location: random_point(rng),
        status,
        category: CategoryCode::parse(pick(rng, &CATEGORIES), "c").unwrap(),
        area: rng.random_bool(0.9).then(|| AreaCode::parse(pick(rng, &AREAS), "a").unwrap()),
        unit: rng.random_bool(0.7).then(|| UnitCode::parse(pick(rng, &UNITS), "u").unwrap()),
        priority: pick(rng, &[Priority::Low, Priority::Normal, Priority::High, Priority::Urgent]),
        received_at,
        deadline,
        resolved_at: matches!(status, Status::Resolved | Status::Closed).then(|| deadline - Duration::hours(3)),
        version: rng.random_range(1..5),
        supporters: rng.random_range(0..=63),
    }
}

fn random_id(rng: &mut StdRng) -> TicketId {
    TicketId(Uuid::from_u128(rng.random()))
}

/// An entry with a fresh random id.
fn fresh(rng: &mut StdRng) -> TicketEntry {
    let id = random_id(rng);
    random_entry(rng, id)
}

fn random_entries(rng: &mut StdRng, n: usize) -> Vec<TicketEntry> {
    (0..n).map(|_| fresh(rng)).collect()
}

fn random_filter(rng: &mut StdRng) -> TicketFilter {
    let mut f = TicketFilter::default();
    if rng.random_bool(0.3) {
        f.statuses = Some((0..rng.random_range(0..4)).map(|_| pick(rng, &Status::ALL)).collect());
    }
    if rng.random_bool(0.3) {
        f.categories = Some(
            (0..rng.random_range(1..3)).map(|_| CategoryCode::parse(pick(rng, &CATEGORIES), "c").unwrap()).collect(),
        );
    }
    if rng.random_bool(0.3) {
        f.areas = Some((0..rng.random_range(1..4)).map(|_| AreaCode::parse(pick(rng, &AREAS), "a").unwrap()).collect());
    }
    if rng.random_bool(0.2) {
        f.units = Some(HashSet::from([UnitCode::parse(pick(rng, &UNITS), "u").unwrap()]));
    }
    if rng.random_bool(0.2) {
        f.received_from = Some(t0() + Duration::days(rng.random_range(0..20)));
    }
    if rng.random_bool(0.2) {
        f.received_to = Some(t0() + Duration::days(rng.random_range(5..30)));
    }
    if rng.random_bool(0.2) {
        f.overdue_at = Some(t0() + Duration::days(rng.random_range(0..40)));
    }
    f.open_only = rng.random_bool(0.2);
    f
}

/// The filter's meaning, written out independently of `TicketFilter::matches`.
fn brute_matches(f: &TicketFilter, e: &TicketEntry) -> bool {
    let open = matches!(
        e.status,
        Status::Received | Status::Assigned | Status::Accepted | Status::InProgress | Status::Returned
    );
    f.statuses.as_ref().is_none_or(|s| s.contains(&e.status))
        && f.categories.as_ref().is_none_or(|s| s.contains(&e.category))
        && f.areas.as_ref().is_none_or(|s| e.area.as_ref().is_some_and(|a| s.contains(a)))
        && f.units.as_ref().is_none_or(|s| e.unit.as_ref().is_some_and(|u| s.contains(u)))
        && f.received_from.is_none_or(|t| e.received_at >= t)
        && f.received_to.is_none_or(|t| e.received_at < t)
        && f.overdue_at.is_none_or(|t| open && e.deadline < t)
        && (!f.open_only || open)
}

fn got(xs: Vec<EntryRef<'_>>) -> Vec<TicketId> {
    let mut v: Vec<TicketId> = xs.into_iter().map(|e| e.id()).collect();
    v.sort();
    v
}

fn ids<'a>(xs: impl IntoIterator<Item = &'a TicketEntry>) -> Vec<TicketId> {
    let mut v: Vec<TicketId> = xs.into_iter().map(|e| e.id).collect();
    v.sort();
    v
}

/// A bbox whose edges often pass exactly through existing points (and sometimes is degenerate).
fn random_bbox(rng: &mut StdRng, entries: &[TicketEntry]) -> BBox {
    let mut coord = |lon: bool| {
        if rng.random_bool(0.5) {
            let e = &entries[rng.random_range(0..entries.len())];
            if lon { e.location.lon } else { e.location.lat }
        } else if lon {
            rng.random_range(LON.0..LON.1)
        } else {
            rng.random_range(LAT.0..LAT.1)
        }
    };
    let (a, b, c, d) = (coord(true), coord(true), coord(false), coord(false));
    BBox { min_lon: a.min(b), max_lon: a.max(b), min_lat: c.min(d), max_lat: c.max(d) }
}

#[test]
fn bbox_queries_equal_brute_force_including_points_on_edges_and_corners() {
    let mut rng = StdRng::seed_from_u64(1022);
    let entries = random_entries(&mut rng, 3_000);
    let index = TicketIndex::bulk_load(entries.clone());
    let mut on_edge_seen = 0;
    for round in 0..400 {
        let b = random_bbox(&mut rng, &entries);
        let f = if round % 2 == 0 { TicketFilter::default() } else { random_filter(&mut rng) };
        let want = ids(entries.iter().filter(|e| b.contains(&e.location) && brute_matches(&f, e)));
        assert_eq!(got(index.query(&Region::BBox(b), &f)), want, "bbox {b:?} filter {f:?}");
        assert_eq!(index.count(&Region::BBox(b), &f), want.len());
        on_edge_seen += entries
            .iter()
            .filter(|e| {
                let p = e.location;
                b.contains(&p) && (p.lon == b.min_lon || p.lon == b.max_lon || p.lat == b.min_lat || p.lat == b.max_lat)
            })
            .count();
    }
    assert!(on_edge_seen > 300, "the test must exercise points on bbox edges ({on_edge_seen})");
}

#[test]
fn a_point_exactly_on_a_corner_is_inside_every_box_that_touches_it() {
    let mut rng = StdRng::seed_from_u64(5);
    let mut e = fresh(&mut rng);
    e.location = Location { lon: 108.2, lat: 16.05 };
    let index = TicketIndex::bulk_load(vec![e]);
    let all = TicketFilter::default();
    for (min_lon, min_lat, max_lon, max_lat) in [
        (108.2, 16.05, 108.3, 16.1),
        (108.1, 16.0, 108.2, 16.05),
        (108.1, 16.05, 108.2, 16.1),
        (108.2, 16.0, 108.3, 16.05),
        (108.2, 16.05, 108.2, 16.05),
    ] {
        let b = BBox { min_lon, min_lat, max_lon, max_lat };
        assert_eq!(index.count(&Region::BBox(b), &all), 1, "{b:?}");
    }
    let miss = BBox { min_lon: 108.2000001, min_lat: 16.0, max_lon: 108.3, max_lat: 16.1 };
    assert_eq!(index.count(&Region::BBox(miss), &all), 0);
}

#[test]
fn radius_queries_equal_brute_force_haversine() {
    let mut rng = StdRng::seed_from_u64(16);
    let entries = random_entries(&mut rng, 3_000);
    let index = TicketIndex::bulk_load(entries.clone());
    for round in 0..300 {
        let center =
            if round % 3 == 0 { entries[rng.random_range(0..entries.len())].location } else { random_point(&mut rng) };
        let radius_m = match round % 4 {
            0 => rng.random_range(0.0..200.0),
            1 => rng.random_range(200.0..2_000.0),
            2 => rng.random_range(2_000.0..20_000.0),
            // exactly the distance to some entry: the rim is included
            _ => center.distance_m(&entries[rng.random_range(0..entries.len())].location),
        };
        let f = if round % 2 == 0 { TicketFilter::default() } else { random_filter(&mut rng) };
        let want = ids(entries.iter().filter(|e| center.distance_m(&e.location) <= radius_m && brute_matches(&f, e)));
        let region = Region::Near { center, radius_m };
        assert_eq!(got(index.query(&region, &f)), want, "center {center:?} r {radius_m} filter {f:?}");
    }
    let nan = Region::Near { center: entries[0].location, radius_m: f64::NAN };
    assert!(index.query(&nan, &TicketFilter::default()).is_empty());
}

#[test]
fn k_nearest_distances_equal_brute_force_and_are_sorted() {
    let mut rng = StdRng::seed_from_u64(42);
    let entries = random_entries(&mut rng, 2_000);
    let index = TicketIndex::bulk_load(entries.clone());
    for round in 0..300 {
        let center = if round % 5 == 0 {
            // outside the data, so the search must widen a lot
            Location { lon: rng.random_range(107.0..109.0), lat: rng.random_range(15.0..17.0) }
        } else {
            random_point(&mut rng)
        };
        let k = rng.random_range(0..25);
        let f = if round % 2 == 0 { TicketFilter::default() } else { random_filter(&mut rng) };
        let max = (round % 3 == 0).then(|| rng.random_range(100.0..5_000.0));
        let mut want: Vec<f64> = entries
            .iter()
            .filter(|e| brute_matches(&f, e))
            .map(|e| center.distance_m(&e.location))
            .filter(|d| max.is_none_or(|m| *d <= m))
            .collect();
        want.sort_by(f64::total_cmp);
        want.truncate(k);
        let got = index.nearest(center, k, &f, max);
        assert_eq!(got.len(), want.len(), "center {center:?} k {k} max {max:?} filter {f:?}");
        for (i, ((e, d), w)) in got.iter().zip(&want).enumerate() {
            assert!((d - w).abs() <= 1e-6, "#{i}: got {d} want {w}");
            assert_eq!(*d, center.distance_m(&e.location()));
            assert!(brute_matches(&f, &e.to_entry()));
        }
        assert!(got.windows(2).all(|w| w[0].1 <= w[1].1), "sorted by distance");
    }
}

#[test]
fn nearest_in_metres_differs_from_nearest_in_degrees_and_is_right() {
    // At 16°N a degree of longitude is ~4% shorter than one of latitude: a point 0.0100° east
    // is nearer in metres than one 0.0098° north, though further in degrees.
    let mut rng = StdRng::seed_from_u64(3);
    let center = Location { lon: 108.2, lat: 16.05 };
    let mut east = fresh(&mut rng);
    east.location = Location { lon: 108.21, lat: 16.05 };
    let mut north = fresh(&mut rng);
    north.location = Location { lon: 108.2, lat: 16.0598 };
    let index = TicketIndex::bulk_load(vec![north.clone(), east.clone()]);
    let got = index.nearest(center, 1, &TicketFilter::default(), None);
    assert_eq!(got[0].0.id(), east.id);
    assert!(center.distance_m(&east.location) < center.distance_m(&north.location));
}

/// The page a brute force gives: every match of `model` in `region`, ordered, after `after`.
fn brute_page(
    model: &HashMap<TicketId, TicketEntry>,
    region: &Region,
    f: &TicketFilter,
    after: Option<(i64, TicketId)>,
    limit: usize,
    order: Order,
) -> Vec<TicketId> {
    let inside = |e: &TicketEntry| match region {
        Region::All => true,
        Region::BBox(b) => b.contains(&e.location),
        Region::Near { center, radius_m } => center.distance_m(&e.location) <= *radius_m,
    };
    let key = |e: &TicketEntry| (e.received_at.timestamp_micros(), e.id);
    let mut hits: Vec<&TicketEntry> = model
        .values()
        .filter(|e| inside(e) && brute_matches(f, e))
        .filter(|e| after.is_none_or(|a| if order == Order::NewestFirst { key(e) < a } else { key(e) > a }))
        .collect();
    hits.sort_by_key(|e| key(e));
    if order == Order::NewestFirst {
        hits.reverse();
    }
    hits.into_iter().take(limit).map(|e| e.id).collect()
}

/// Everything the index answers, checked against the model.
fn assert_model(index: &TicketIndex, model: &HashMap<TicketId, TicketEntry>, rng: &mut StdRng) {
    assert_eq!(index.len(), model.len());
    for (id, e) in model {
        assert_eq!(index.get(*id).map(|x| x.to_entry()).as_ref(), Some(e), "get {id}");
    }
    let entries: Vec<TicketEntry> = model.values().cloned().collect();
    for round in 0..40 {
        let region = match round % 4 {
            0 => Region::All,
            1 if !entries.is_empty() => Region::BBox(random_bbox(rng, &entries)),
            2 => Region::Near { center: random_point(rng), radius_m: rng.random_range(100.0..30_000.0) },
            _ => Region::BBox(BBox { min_lon: LON.0, min_lat: LAT.0, max_lon: LON.1, max_lat: LAT.1 }),
        };
        let f = if round % 3 == 0 { TicketFilter::default() } else { random_filter(rng) };
        let order = if rng.random_bool(0.5) { Order::NewestFirst } else { Order::OldestFirst };
        let limit = rng.random_range(1..60);
        // Walk every page; each must equal the brute force's page after the same key.
        let mut after = None;
        for _ in 0..model.len() / limit + 2 {
            // Both plans: candidates from the tree, and from the time-ordered lists.
            let via = |tree_cap, list_try| -> Vec<TicketId> {
                let plan = pages::Plan { tree_cap, list_try };
                index.page_planned(&region, &f, after, limit, order, plan).iter().map(|e| e.id()).collect()
            };
            let page = via(usize::MAX, 0);
            assert_eq!(
                page,
                brute_page(model, &region, &f, after, limit, order),
                "{region:?} {f:?} {order:?} after {after:?}"
            );
            assert_eq!(via(0, 0), page, "the lists give the tree's page");
            assert_eq!(via(usize::MAX, limit / 2), page, "a first try on the lists that ends early");
            let Some(last) = page.last() else { break };
            after = Some((model[last].received_at.timestamp_micros(), *last));
        }
    }
}

#[test]
fn lookups_and_pages_equal_a_model_after_random_upserts_and_removes() {
    let mut rng = StdRng::seed_from_u64(7);
    let initial = random_entries(&mut rng, 500);
    let mut index = TicketIndex::bulk_load(initial.clone());
    let mut model: HashMap<TicketId, TicketEntry> = initial.into_iter().map(|e| (e.id, e)).collect();
    let mut known: Vec<TicketId> = model.keys().copied().collect();
    known.sort();
    assert_model(&index, &model, &mut rng);
    // The index's clock for overdue pages: queries (random instants over 40 days) fall before
    // and after it.
    let mut clock = t0();
    for step in 0..6_000 {
        match rng.random_range(0..12) {
            11 => {
                clock += Duration::hours(rng.random_range(0..48));
                index.advance(clock);
                let at = t0() + Duration::days(rng.random_range(0..40));
                let mut due: Vec<TicketId> = index.due_before(at).into_iter().map(|e| e.id()).collect();
                due.sort();
                let open = TicketFilter { overdue_at: Some(at), ..TicketFilter::default() };
                let mut brute: Vec<TicketId> =
                    model.values().filter(|e| brute_matches(&open, e)).map(|e| e.id).collect();
                brute.sort();
                assert_eq!(due, brute, "open tickets due before {at} with the clock at {clock}");
            }
            // a change to a known ticket: new status / area / position, version up, down or equal
            0..=5 => {
                let id = known[rng.random_range(0..known.len())];
                let mut e = random_entry(&mut rng, id);
                if let (Some(old), true) = (model.get(&id), rng.random_bool(0.5)) {
                    e.location = old.location; // keep the position: the in-place path
                    e.version = old.version + rng.random_range(-1..2);
                }
                let applies = model.get(&id).is_none_or(|old| e.version >= old.version);
                assert_eq!(index.upsert(e.clone()).applied(), applies, "step {step}");
                if applies {
                    model.insert(id, e);
                }
            }
            // the most common change: a status transition, same place, same deadline
            6 => {
                let id = known[rng.random_range(0..known.len())];
                if let Some(old) = model.get(&id) {
                    let mut e = old.clone();
                    e.status = pick(&mut rng, &Status::ALL);
                    e.version += 1;
                    assert!(index.upsert(e.clone()).applied());
                    model.insert(id, e);
                }
            }
            7 => {
                let id = random_id(&mut rng);
                let e = random_entry(&mut rng, id);
                assert!(index.upsert(e.clone()).applied());
                model.insert(id, e);
                known.push(id);
            }
            _ => {
                let id = known[rng.random_range(0..known.len())];
                assert_eq!(index.remove(id).map(|e| e.id), model.remove(&id).map(|e| e.id));
            }
        }
        if step % 500 == 0 {
            assert_model(&index, &model, &mut rng);
        }
    }
    assert_model(&index, &model, &mut rng);
    for id in &known {
        assert_eq!(index.get(*id).map(|e| e.to_entry()).as_ref(), model.get(id), "get {id}");
    }
    assert_eq!(got(index.query(&Region::All, &TicketFilter::default())), ids(model.values()));
    let b = BBox { min_lon: LON.0, min_lat: LAT.0, max_lon: LON.1, max_lat: LAT.1 };
    assert_eq!(index.count(&Region::BBox(b), &TicketFilter::default()), model.len());
}

#[test]
fn deadlines_within_the_clocks_own_second_are_overdue_to_the_microsecond() {
    // The queue of open tickets orders by whole seconds; the answers must not.
    let mut rng = StdRng::seed_from_u64(21);
    let second = t0() + Duration::days(3);
    let at = |ms: i64| second + Duration::milliseconds(ms);
    let entry = |rng: &mut StdRng, deadline_ms: i64| {
        let mut e = fresh(rng);
        (e.status, e.resolved_at, e.deadline) = (Status::Received, None, at(deadline_ms));
        e.received_at = second - Duration::days(1);
        e
    };
    let (early, late) = (entry(&mut rng, 300), entry(&mut rng, 900));
    let mut index = TicketIndex::bulk_load(vec![early.clone(), late.clone()]);
    index.advance(at(700));
    // Filed after the clock moved, due earlier in the clock's second.
    let added = entry(&mut rng, 200);
    index.upsert(added.clone());
    let overdue = |index: &TicketIndex, ms: i64| {
        let f = TicketFilter { overdue_at: Some(at(ms)), ..TicketFilter::default() };
        let page = got(index.page(&Region::All, &f, None, 10, Order::NewestFirst));
        let due = got(index.due_before(at(ms)));
        assert_eq!(page, due, "a page and the due list agree at {ms} ms");
        page
    };
    assert_eq!(overdue(&index, 700), ids([&early, &added]));
    assert_eq!(overdue(&index, 250), ids([&added]), "before the clock");
    assert_eq!(overdue(&index, 900), ids([&early, &added]), "due at 900 ms is not overdue at 900 ms");
    assert_eq!(overdue(&index, 901), ids([&early, &late, &added]));
    index.advance(at(1_500));
    assert_eq!(overdue(&index, 1_500), ids([&early, &late, &added]), "the next second moves them all");
    let mut resolved = early.clone();
    (resolved.status, resolved.version) = (Status::Resolved, early.version + 1);
    index.upsert(resolved);
    assert_eq!(overdue(&index, 1_500), ids([&late, &added]));
}

#[test]
fn bulk_load_keeps_the_highest_version_of_a_repeated_id() {
    let mut rng = StdRng::seed_from_u64(9);
    let id = random_id(&mut rng);
    let mut v1 = random_entry(&mut rng, id);
    v1.version = 1;
    let mut v3 = random_entry(&mut rng, id);
    v3.version = 3;
    let mut v2 = random_entry(&mut rng, id);
    v2.version = 2;
    let index = TicketIndex::bulk_load(vec![v1, v3.clone(), v2]);
    assert_eq!(index.len(), 1);
    assert_eq!(index.get(id).map(|e| e.to_entry()), Some(v3));
    assert_eq!(index.count(&Region::All, &TicketFilter::default()), 1);
    assert_eq!(index.page(&Region::All, &TicketFilter::default(), None, 10, Order::NewestFirst).len(), 1);
}

#[test]
fn a_stale_update_is_ignored_and_a_move_is_found_at_its_new_place() {
    let mut rng = StdRng::seed_from_u64(11);
    let id = random_id(&mut rng);
    let mut e = random_entry(&mut rng, id);
    e.version = 5;
    e.location = Location { lon: 108.2, lat: 16.05 };
    let mut index = TicketIndex::new();
    assert_eq!(index.upsert(e.clone()), Upserted::New);
    let mut stale = e.clone();
    stale.version = 4;
    stale.location = Location { lon: 108.3, lat: 16.1 };
    assert_eq!(index.upsert(stale), Upserted::Stale);
    assert_eq!(index.get(id).map(|x| x.to_entry()), Some(e.clone()));
    let mut moved = e.clone();
    moved.version = 6;
    moved.location = Location { lon: 108.3, lat: 16.1 };
    assert_eq!(index.upsert(moved.clone()), Upserted::Replaced(e.clone()), "the move returns what it replaced");
    let near_old = Region::Near { center: e.location, radius_m: 10.0 };
    let near_new = Region::Near { center: moved.location, radius_m: 10.0 };
    assert!(index.query(&near_old, &TicketFilter::default()).is_empty());
    assert_eq!(got(index.query(&near_new, &TicketFilter::default())), vec![id]);
    assert_eq!(index.remove(id), Some(moved));
    assert!(index.remove(id).is_none());
    assert!(index.is_empty());
    assert!(index.page(&Region::All, &TicketFilter::default(), None, 10, Order::OldestFirst).is_empty());
}

#[test]
fn nearest_breaks_distance_ties_by_id_even_at_the_kth_place() {
    let mut rng = StdRng::seed_from_u64(12);
    let spot = Location { lon: 108.223_41, lat: 16.071_23 }; // off the snapping grid
    let mut entries = random_entries(&mut rng, 200);
    let mut stacked: Vec<TicketEntry> = (0..20).map(|_| fresh(&mut rng)).collect();
    for e in &mut stacked {
        e.location = spot; // twenty reports geocoded to the same address
    }
    entries.extend(stacked.iter().cloned());
    let index = TicketIndex::bulk_load(entries);
    let got: Vec<TicketId> =
        index.nearest(spot, 5, &TicketFilter::default(), None).iter().map(|(e, _)| e.id()).collect();
    let mut want: Vec<TicketId> = stacked.iter().map(|e| e.id).collect();
    want.sort();
    want.truncate(5);
    assert_eq!(got, want);
}
