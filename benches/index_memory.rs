//! How many bytes the ticket index takes per ticket at a million tickets, counted by the global
//! allocator (every live heap byte the index owns, after loading and after 100 000 changes).
//!
//! ```text
//! cargo bench --bench index_memory
//! ```
//!
//! Data: 1,000,000 tickets like the demo city's: seeded random points over Đà Nẵng, 52 ward
//! codes, 20 categories, 30 units, codes `DN-YYMM-NNNNNN`, half of them open.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use switchboard::domain::{AreaCode, CategoryCode, Location, Priority, Status, TicketCode, TicketId, UnitCode};
use switchboard::spatial::{TicketEntry, TicketIndex};
use uuid::Uuid;

/// Counts live heap bytes.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const N: usize = 1_000_000;

fn entry(rng: &mut StdRng, n: usize, codes: &Codes) -> TicketEntry {
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let received_at = t0 + Duration::seconds(rng.random_range(0..330 * 86_400));
    let open = rng.random_bool(0.5);
    let status = if open { Status::ALL[rng.random_range(0..5)] } else { Status::ALL[rng.random_range(5..9)] };
    TicketEntry {
        id: TicketId(Uuid::from_u128(rng.random())),
        code: TicketCode::compose(&format!("DN-26{:02}", 1 + n % 11), (n / 11) as i64 + 1),
        location: Location { lon: rng.random_range(107.9..108.35), lat: rng.random_range(15.9..16.2) },
        status,
        category: codes.categories[rng.random_range(0..codes.categories.len())].clone(),
        area: Some(codes.areas[rng.random_range(0..codes.areas.len())].clone()),
        unit: rng.random_bool(0.8).then(|| codes.units[rng.random_range(0..codes.units.len())].clone()),
        priority: Priority::Normal,
        received_at,
        deadline: received_at + Duration::days(7),
        resolved_at: (!open).then(|| received_at + Duration::days(3)),
        version: rng.random_range(1..6),
        supporters: 0,
    }
}

struct Codes {
    categories: Vec<CategoryCode>,
    areas: Vec<AreaCode>,
    units: Vec<UnitCode>,
}

fn main() {
    let codes = Codes {
        categories: (0..20).map(|i| CategoryCode::parse(&format!("category-{i}"), "c").unwrap()).collect(),
        areas: (0..52).map(|i| AreaCode::parse(&format!("DN-D{}-W{i:02}", i % 8), "a").unwrap()).collect(),
        units: (0..30).map(|i| UnitCode::parse(&format!("DN-UNIT-{i:02}"), "u").unwrap()).collect(),
    };
    let mut rng = StdRng::seed_from_u64(13);
    // The entries handed in are consumed by the load: what is live after it is the index.
    let before = LIVE.load(Ordering::Relaxed);
    let entries: Vec<TicketEntry> = (0..N).map(|n| entry(&mut rng, n, &codes)).collect();
    let started = Instant::now();
    let mut index = TicketIndex::bulk_load(entries);
    let load = started.elapsed();
    let after_load = LIVE.load(Ordering::Relaxed) - before;
    let bytes = |live: isize| live as f64 / N as f64;
    println!("bulk load of {N} tickets: {load:.2?}");
    println!("index after the load: {:.0} MB, {:.1} bytes a ticket", after_load as f64 / 1e6, bytes(after_load));
    // The server sets the index's clock right after loading: the overdue list and the map wall's
    // cells are built then.
    index.advance(Utc.with_ymd_and_hms(2026, 11, 27, 0, 0, 0).unwrap());
    let after_clock = LIVE.load(Ordering::Relaxed) - before;
    println!(
        "index with its clock set (overdue list, the wall's cells): {:.0} MB, {:.1} bytes a ticket",
        after_clock as f64 / 1e6,
        bytes(after_clock)
    );
    // 100 000 changes: status moves, new tickets, a few moves on the map.
    let ids: Vec<TicketId> = index.entries().map(|e| e.id()).take(100_000).collect();
    for (i, id) in ids.iter().enumerate() {
        let mut e = index.get(*id).expect("indexed").to_entry();
        e.version += 1;
        e.status = Status::ALL[i % 9];
        if i % 10 == 0 {
            e.location.lon += 0.001;
        }
        index.upsert(e);
    }
    drop(ids);
    let after_changes = LIVE.load(Ordering::Relaxed) - before;
    println!(
        "index after 100 000 changes: {:.0} MB, {:.1} bytes a ticket",
        after_changes as f64 / 1e6,
        bytes(after_changes)
    );
}
