use chrono::TimeZone;
use chrono_tz::Asia::Ho_Chi_Minh;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;
use crate::domain::{CategoryCode, Location, Priority, TicketCode};
use crate::service::kpi::Kpis;
use crate::spatial::TicketIndex;

/// 2026-11-20 22:30 in Vietnam: a day boundary falls within the clock moves below.
fn start() -> DateTime<Utc> {
    Ho_Chi_Minh.with_ymd_and_hms(2026, 11, 20, 22, 30, 0).unwrap().with_timezone(&Utc)
}

#[derive(Debug, Clone)]
enum Op {
    /// Ticket n gets area, unit, status, receipt (minutes before the clock), deadline (minutes
    /// after receipt) and maybe a resolution (minutes after receipt).
    Put {
        n: u8,
        area: u8,
        unit: u8,
        status: u8,
        received_ago: i64,
        due_after: i64,
        resolved_after: Option<i64>,
    },
    Remove {
        n: u8,
    },
    /// The clock moves on by this many minutes.
    Tick {
        minutes: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u8..24, 0u8..4, 0u8..3, 0u8..Status::ALL.len() as u8, -120i64..60 * 24 * 40, 0i64..60 * 24 * 9,
              proptest::option::of(0i64..60 * 24 * 12))
            .prop_map(|(n, area, unit, status, received_ago, due_after, resolved_after)| Op::Put {
                n, area, unit, status, received_ago, due_after, resolved_after
            }),
        1 => (0u8..24).prop_map(|n| Op::Remove { n }),
        2 => prop_oneof![0i64..90, 60i64 * 20..60 * 24 * 3].prop_map(|minutes| Op::Tick { minutes }),
    ]
}

fn area(i: u8) -> Option<AreaCode> {
    (i > 0).then(|| AreaCode::parse(&format!("W{i}"), "area").unwrap())
}

fn entry(now: DateTime<Utc>, version: i64, op: &Op) -> Option<TicketEntry> {
    let Op::Put { n, area: a, unit, status, received_ago, due_after, resolved_after } = *op else { return None };
    let received_at = now - Duration::minutes(received_ago);
    Some(TicketEntry {
        id: TicketId(Uuid::from_u128(u128::from(n) + 1)),
        code: TicketCode(format!("DN-2611-{n:06}")),
        location: Location { lon: 108.2, lat: 16.05 },
        status: Status::ALL[status as usize],
        category: CategoryCode::parse("RAC", "category").unwrap(),
        area: area(a),
        unit: (unit > 0).then(|| UnitCode::parse(&format!("U{unit}"), "unit").unwrap()),
        priority: Priority::Normal,
        received_at,
        deadline: received_at + Duration::minutes(due_after),
        resolved_at: resolved_after.map(|m| received_at + Duration::minutes(m)),
        version,
        supporters: 0,
    })
}

/// Wards W1–W3 roll up to district D1.
fn ancestors(a: &AreaCode) -> Vec<AreaCode> {
    vec![a.clone(), AreaCode::parse("D1", "area").unwrap()]
}

fn figures(cube: &KpiCube) -> (Kpis, Kpis, BTreeMap<String, Kpis>) {
    let all = cube.total(|_, _| true);
    let unit1 = cube.total(|_, u| u.is_some_and(|u| u.as_str() == "U1"));
    (all, unit1, cube.by_area(ancestors, |_, _| true))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// After any changes and clock moves, the ledger gives what one pass over the tickets gives.
    #[test]
    fn the_ledger_matches_a_pass_over_every_ticket(
        before in proptest::collection::vec(op(), 0..30),
        ops in proptest::collection::vec(op(), 1..60),
    ) {
        let mut now = start();
        let mut index = TicketIndex::bulk_load(before.iter().enumerate().filter_map(|(i, o)| entry(now, i as i64, o)).collect());
        let mut ledger = KpiLedger::build(index.entries(), now, 0);
        let mut applied = 0;
        for (seq, op) in ops.iter().enumerate() {
            let seq = seq as i64 + 1;
            if !matches!(op, Op::Tick { .. }) {
                applied = seq;
            }
            match op {
                Op::Tick { minutes } => now += Duration::minutes(*minutes),
                Op::Remove { n } => {
                    let old = index.remove(TicketId(Uuid::from_u128(u128::from(*n) + 1)));
                    ledger.apply(old.as_ref(), None, seq);
                }
                Op::Put { .. } => {
                    let new = entry(now, 100 + seq, op).unwrap();
                    let upserted = index.upsert(new.clone());
                    ledger.apply(upserted.replaced(), Some(&new), seq);
                }
            }
            prop_assert_eq!(ledger.seq, applied);
            prop_assert_eq!(figures(&ledger.cube(now)), figures(&KpiCube::build(index.entries(), now)), "after {:?}", op);
        }
    }
}

#[test]
fn a_ticket_leaves_the_window_and_becomes_overdue_with_the_clock_alone() {
    let now = start();
    let put = |status: u8, resolved_after| Op::Put {
        n: 1,
        area: 1,
        unit: 1,
        status,
        received_ago: 60,
        due_after: 120,
        resolved_after,
    };
    let open = entry(now, 1, &put(0, None)).unwrap();
    let mut ledger = KpiLedger::build(TicketIndex::bulk_load(vec![open.clone()]).entries(), now, 7);
    assert_eq!(ledger.cube(now).total(|_, _| true).overdue, 0);
    assert_eq!(ledger.cube(now + Duration::minutes(61)).total(|_, _| true).overdue, 1, "due an hour after the start");

    let settled = Status::ALL.iter().position(|s| !s.is_open()).unwrap() as u8;
    let resolved = entry(now, 2, &put(settled, Some(30))).unwrap();
    ledger.apply(Some(&open), Some(&resolved), 8);
    let later = now + Duration::minutes(61);
    let k = ledger.cube(later).total(|_, _| true);
    assert_eq!((k.open, k.overdue, k.resolved_30d, k.on_time_rate), (0, 0, 1, Some(1.0)));
    let k = ledger.cube(later + Duration::days(KPI_WINDOW_DAYS)).total(|_, _| true);
    assert_eq!(
        (k.resolved_30d, k.on_time_rate, k.median_handling_hours),
        (0, None, None),
        "30 days later it has left the window"
    );
    assert_eq!(ledger.seq, 8);
}
