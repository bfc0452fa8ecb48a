//! The leaders' statistics at city scale: the in-memory engine (`switchboard::analytics`) next
//! to the same aggregations in PostgreSQL SQL, on the same tickets, in one run.
//!
//! ```text
//! cargo bench --bench stats                                                       # engine only
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench stats  # + PostGIS
//! ```
//!
//! Data: 1,000,000 tickets received over the year before 2026-11-20 in the demo city's 44 wards
//! (`geodata/danang/areas.geojson`), 86 units, 12 categories in 10 fields; each ticket is
//! resolved (88 %, 6 % of them late), open (9 %), rejected or duplicate, and 4 % were returned,
//! 3 % forwarded, 2 % reopened; ratings on 60 % of the resolved.
//!
//! Benchmark ids are `{query}/{engine}`:
//! - `city_by_district`: the year, grouped by district (every measure);
//! - `district_by_ward`: one district's year, by ward;
//! - `ward_by_unit`: one ward's year, by unit;
//! - `hour_by_weekday`: the year, hour of day × weekday;
//! - `weekly_trend`: 52 weeks of received, resolved, late and backlog from the history (engine
//!   only; the SQL side computes received and resolved per week).
//!
//! The SQL side computes, per group, the counts (received, resolved, open, overdue, on time),
//! the median handling hours (`percentile_disc`) and the mean rating from one table with an
//! index on the receipt time — fewer measures than the engine (no working days, no backlog
//! buckets, no satisfaction index), over a local TCP socket with one pooled connection.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use criterion::Criterion;
use rand::{Rng, SeedableRng, rngs::StdRng};
use sqlx::{AssertSqlSafe, PgConnection};
use switchboard::analytics::{AreaInfo, Basis, Catalogue, Dimension, Facts, Query, micros, run, weekly};
use switchboard::domain::{
    AreaCode, CategoryCode, Channel, EventKind, Field, HolidayCalendar, Location, Priority, Rating, Scope, Status,
    Ticket, TicketCode, TicketId, UnitCode,
};
use uuid::Uuid;

#[path = "support/pg.rs"]
mod pg;
use pg::PostGis;

const N_TICKETS: usize = 1_000_000;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0).unwrap()
}

/// The demo city's areas (code, parent, level) from its GeoJSON.
fn catalogue() -> anyhow::Result<(Catalogue, Vec<AreaCode>)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/danang/areas.geojson");
    let fc: geojson::FeatureCollection = std::fs::read_to_string(path)?.parse()?;
    let mut c = Catalogue::default();
    let mut wards = Vec::new();
    for f in fc.features {
        let prop = |k: &str| f.property(k).and_then(|v| v.as_str()).map(str::to_owned);
        let code = AreaCode::parse(&prop("code").unwrap_or_default(), "code").map_err(|e| anyhow::anyhow!("{e}"))?;
        let level = prop("level").unwrap_or_default();
        if level == "ward" {
            wards.push(code.clone());
        }
        let parent = prop("parent").and_then(|p| AreaCode::parse(&p, "parent").ok());
        let population = f.property("population").and_then(|v| v.as_u64());
        c.areas.insert(code, AreaInfo { parent, level, population });
    }
    for u in 0..86 {
        let code = UnitCode::parse(&format!("U{u:02}"), "unit").unwrap();
        c.unit_parents
            .insert(code.clone(), (u >= 10).then(|| UnitCode::parse(&format!("U{:02}", u % 10), "unit").unwrap()));
        c.unit_areas.insert(code, vec![wards[u % wards.len()].clone()]);
    }
    for (i, f) in Field::ALL.iter().enumerate() {
        for k in 0..(1 + i % 2) {
            c.fields.insert(CategoryCode::parse(&format!("cat-{i}-{k}"), "c").unwrap(), *f);
        }
    }
    Ok((c, wards))
}

/// A ticket row for both engines.
struct Row {
    ticket: Ticket,
    /// (kind, at) of its history events.
    history: Vec<(EventKind, DateTime<Utc>)>,
    district: String,
}

fn tickets(rng: &mut StdRng, cat: &Catalogue, wards: &[AreaCode], calendar: &HolidayCalendar) -> Vec<Row> {
    let categories: Vec<CategoryCode> = cat.fields.keys().cloned().collect();
    let units: Vec<UnitCode> = cat.unit_parents.keys().cloned().collect();
    let t0 = now() - chrono::Duration::days(365);
    (0..N_TICKETS)
        .map(|i| {
            let received = t0 + chrono::Duration::seconds(rng.random_range(0..365 * 86_400));
            let ward = wards[rng.random_range(0..wards.len())].clone();
            let district = cat.areas[&ward].parent.clone().map(|p| p.to_string()).unwrap_or_default();
            let deadline = calendar.deadline(received, 7);
            let mut history = Vec::new();
            let roll: f64 = rng.random();
            let (status, resolved_at) = if roll < 0.88 {
                let late = rng.random_bool(0.06);
                let took = if late { rng.random_range(8..20) } else { rng.random_range(0..6) };
                let at = (received + chrono::Duration::hours(24 * took + rng.random_range(1..20))).min(now());
                history.push((EventKind::Resolved, at));
                (if rng.random_bool(0.7) { Status::Closed } else { Status::Resolved }, Some(at))
            } else if roll < 0.97 {
                (Status::InProgress, None)
            } else if roll < 0.985 {
                history.push((EventKind::Rejected, received + chrono::Duration::hours(2)));
                (Status::Rejected, None)
            } else {
                history.push((EventKind::Duplicate, received + chrono::Duration::hours(1)));
                (Status::Duplicate, None)
            };
            if rng.random_bool(0.04) {
                history.insert(0, (EventKind::Returned, received + chrono::Duration::hours(3)));
            }
            if rng.random_bool(0.03) {
                history.insert(0, (EventKind::Forwarded, received + chrono::Duration::hours(4)));
            }
            if resolved_at.is_some() && rng.random_bool(0.02) {
                history.insert(0, (EventKind::Resolved, received + chrono::Duration::hours(20)));
                history.insert(1, (EventKind::Reopened, received + chrono::Duration::hours(30)));
            }
            let rating = resolved_at.filter(|_| rng.random_bool(0.6)).map(|_| {
                Rating::parse(*[5, 5, 5, 4, 4, 4, 3, 2, 1].get(rng.random_range(0..9)).unwrap(), "r").unwrap()
            });
            let ticket = Ticket {
                id: TicketId(Uuid::from_u128(i as u128 + 1)),
                code: TicketCode(String::new()),
                channel: [Channel::Hotline, Channel::Web, Channel::Zalo, Channel::App][i % 4],
                category: categories[rng.random_range(0..categories.len())].clone(),
                description: String::new(),
                location: Location { lon: 108.2, lat: 16.05 },
                address: None,
                area: Some(ward),
                priority: if rng.random_bool(0.07) { Priority::High } else { Priority::Normal },
                status,
                unit: Some(units[rng.random_range(0..units.len())].clone()),
                received_at: received,
                deadline,
                resolved_at,
                closed_at: None,
                updated_at: received,
                result: None,
                rating,
                rating_comment: None,
                supporters: 0,
                duplicate_of: None,
                version: 2,
            };
            Row { ticket, history, district }
        })
        .collect()
}

fn facts(rows: &[Row]) -> Facts {
    let mut f = Facts::new();
    for r in rows {
        f.upsert(&r.ticket);
    }
    let mut seq = 0;
    for r in rows {
        for (kind, at) in &r.history {
            seq += 1;
            f.apply(seq, *kind, *at, &r.ticket);
        }
    }
    f
}

async fn load(conn: &mut PgConnection, rows: &[Row], cat: &Catalogue) -> anyhow::Result<()> {
    let started = Instant::now();
    sqlx::raw_sql(
        "CREATE TABLE bench_stats (id uuid PRIMARY KEY, district text, ward text, unit text, category text,
            field text, status text, received_at timestamptz, deadline timestamptz, resolved_at timestamptz,
            rating smallint, returned int, forwarded int, reopened int);",
    )
    .execute(&mut *conn)
    .await?;
    let mut copy = conn.copy_in_raw("COPY bench_stats FROM STDIN").await?;
    let mut buf = String::with_capacity(1 << 20);
    let opt = |t: Option<DateTime<Utc>>| t.map_or("\\N".to_owned(), |t| t.to_rfc3339());
    for r in rows {
        use std::fmt::Write;
        let t = &r.ticket;
        let count = |k: EventKind| r.history.iter().filter(|(x, _)| *x == k).count();
        let field = serde_json::to_value(cat.fields.get(&t.category).copied().unwrap_or(Field::Other))?;
        writeln!(
            buf,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            t.id,
            r.district,
            t.area.as_ref().map(|a| a.to_string()).unwrap_or_default(),
            t.unit.as_ref().map(|u| u.to_string()).unwrap_or_default(),
            t.category,
            field.as_str().unwrap_or("other"),
            t.status.as_str(),
            t.received_at.to_rfc3339(),
            t.deadline.to_rfc3339(),
            opt(t.resolved_at.filter(|_| matches!(t.status, Status::Resolved | Status::Closed))),
            t.rating.map_or("\\N".to_owned(), |r| r.get().to_string()),
            count(EventKind::Returned),
            count(EventKind::Forwarded),
            count(EventKind::Reopened),
        )?;
        if buf.len() > (1 << 20) - 400 {
            copy.send(buf.as_bytes()).await?;
            buf.clear();
        }
    }
    copy.send(buf.as_bytes()).await?;
    copy.finish().await?;
    sqlx::raw_sql(
        "CREATE INDEX ON bench_stats (received_at); CREATE INDEX ON bench_stats (district, received_at);
         CREATE INDEX ON bench_stats (ward, received_at); ANALYZE bench_stats;",
    )
    .execute(&mut *conn)
    .await?;
    eprintln!("PostgreSQL load: {} rows, indexes and ANALYZE in {:.1?}", rows.len(), started.elapsed());
    Ok(())
}

/// The measures the SQL side computes, for a group column and an optional filter.
fn sql(group: &str, filter: &str) -> String {
    format!(
        "SELECT {group} AS g, count(*) AS received,
            count(*) FILTER (WHERE status IN ('resolved', 'closed')) AS resolved,
            count(*) FILTER (WHERE status IN ('received', 'assigned', 'accepted', 'in_progress', 'returned')) AS open,
            count(*) FILTER (WHERE status IN ('received', 'assigned', 'accepted', 'in_progress', 'returned') AND deadline < $3) AS overdue,
            count(*) FILTER (WHERE status IN ('resolved', 'closed') AND resolved_at <= deadline) AS on_time,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - received_at))
                FILTER (WHERE status IN ('resolved', 'closed')) AS median_seconds,
            avg(rating) AS rating_mean, count(*) FILTER (WHERE reopened > 0) AS reopened
         FROM bench_stats WHERE received_at >= $1 AND received_at < $2 {filter} GROUP BY 1"
    )
}

fn main() -> anyhow::Result<()> {
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    let calendar = HolidayCalendar::vietnam();
    let (cat, wards) = catalogue()?;
    let mut rng = StdRng::seed_from_u64(1022);
    let started = Instant::now();
    let rows = tickets(&mut rng, &cat, &wards, &calendar);
    eprintln!("generated {} tickets in {:.1?}", rows.len(), started.elapsed());
    let started = Instant::now();
    let f = facts(&rows);
    eprintln!("facts of {} tickets built in {:.1?}", f.len(), started.elapsed());
    let pg = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            Some(PostGis::setup(&url, async |conn| load(conn, &rows, &cat).await)?)
        }
        _ => {
            eprintln!("DATABASE_URL not set (postgres://…): PostgreSQL benchmarks skipped, engine only");
            None
        }
    };

    let at = micros(now());
    let to = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let from = to - chrono::Duration::days(364);
    let year = Query { basis: Basis::Received, from: Some(from), to: Some(to), ..Query::default() };
    let district = AreaCode::parse("DN-HC", "area").unwrap();
    let ward = wards.iter().find(|w| cat.areas[*w].parent.as_ref() == Some(&district)).unwrap().clone();
    let cases: Vec<(&str, Query, String, String)> = vec![
        (
            "city_by_district",
            Query { group: vec![Dimension::Area("district".into())], ..year.clone() },
            sql("district", ""),
            String::new(),
        ),
        (
            "district_by_ward",
            Query { areas: vec![district.clone()], group: vec![Dimension::Area("ward".into())], ..year.clone() },
            sql("ward", "AND district = $4"),
            district.to_string(),
        ),
        (
            "ward_by_unit",
            Query { areas: vec![ward.clone()], group: vec![Dimension::Unit], ..year.clone() },
            sql("unit", "AND ward = $4"),
            ward.to_string(),
        ),
        (
            "hour_by_weekday",
            Query { group: vec![Dimension::Hour, Dimension::Weekday], ..year.clone() },
            sql(
                "(extract(hour FROM received_at AT TIME ZONE 'Asia/Ho_Chi_Minh') * 10 + extract(isodow FROM received_at AT TIME ZONE 'Asia/Ho_Chi_Minh'))",
                "",
            ),
            String::new(),
        ),
    ];
    let lo = chrono::TimeZone::from_local_datetime(&chrono_tz::Asia::Ho_Chi_Minh, &from.and_hms_opt(0, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let hi = lo + chrono::Duration::days(365);
    for (name, q, text, arg) in &cases {
        let table = run(&f, &cat, &calendar, q, &Scope::All, at);
        eprintln!("{name}: {} groups, {} tickets", table.rows.len(), table.total.received);
        let mut g = c.benchmark_group(*name);
        g.bench_function("engine", |b| b.iter(|| run(black_box(&f), &cat, &calendar, q, &Scope::All, at).rows.len()));
        if let Some(pg) = &pg {
            let query = || {
                let mut q = sqlx::query(AssertSqlSafe(text.clone())).bind(lo).bind(hi).bind(now());
                if !arg.is_empty() {
                    q = q.bind(arg.clone());
                }
                q.fetch_all(pg.pool())
            };
            let groups: usize = pg.rt.block_on(query())?.len();
            let engine_groups: HashMap<_, _> =
                table.rows.iter().map(|r| (format!("{:?}", r.key), r.measures.received)).collect();
            eprintln!("{name}: PostgreSQL returns {groups} groups, the engine {}", engine_groups.len());
            g.bench_function("postgres", |b| {
                b.to_async(&pg.rt).iter(|| async { query().await.map(|r| r.len()).unwrap_or(0) })
            });
        }
        g.finish();
    }

    let mut g = c.benchmark_group("weekly_trend");
    g.bench_function("engine", |b| {
        b.iter(|| weekly(black_box(&f), &cat, &Query::default(), &Scope::All, from, to, at).len())
    });
    if let Some(pg) = &pg {
        let text = "SELECT date_trunc('week', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS w, count(*),
                count(*) FILTER (WHERE resolved_at IS NOT NULL)
             FROM bench_stats WHERE received_at >= $1 AND received_at < $2 GROUP BY 1";
        g.bench_function("postgres", |b| {
            b.to_async(&pg.rt).iter(|| async {
                sqlx::query(text).bind(lo).bind(hi).fetch_all(pg.pool()).await.map(|r| r.len()).unwrap_or(0)
            })
        });
    }
    g.finish();
    c.final_summary();
    Ok(())
}
