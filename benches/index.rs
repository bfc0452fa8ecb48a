//! Spatial index benchmarks: the in-process rstar indexes next to the same queries in PostGIS,
//! on the same data, in one run.
//!
//! ```text
//! cargo bench --bench index                                                       # rstar only
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench index  # + PostGIS
//! ```
//!
//! Data: 1,000,000 tickets at seeded random positions over the Da Nang box (lon 107.9–108.35,
//! lat 15.9–16.2), and the demo areas from `geodata/danang/areas.geojson` (or the file named by
//! `BENCH_AREAS_FILE`; a synthetic ward grid with a warning if the file is missing).
//!
//! Benchmark ids are `{query}/{engine}`: `bulk_load_1m/rstar`, `bbox_100m/rstar`,
//! `bbox_100m/postgis`, …, `knn_10/…`, `point_to_area/…`. Each iteration runs one query,
//! cycling through 256 seeded random query positions. PostGIS times include the round trip over
//! a local TCP socket (one pooled connection, prepared statements) — what the server would pay.
//!
//! With `DATABASE_URL` set, the bench creates a fresh database `sb_bench_<random>`, loads it by
//! COPY, builds GiST indexes, runs `ANALYZE`, and drops the database at the end.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, TimeZone, Utc};
use criterion::{BatchSize, Criterion};
use geo::{LineString, MultiPolygon, Polygon};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sqlx::PgConnection;
use sqlx::postgres::PgPool;
use switchboard::domain::area::Levels;
use switchboard::domain::{Area, AreaCode, BBox, CategoryCode, Location, Priority, Status, TicketId};
use switchboard::spatial::{AreaIndex, Region, TicketEntry, TicketFilter, TicketIndex};
use uuid::Uuid;

#[path = "support/pg.rs"]
mod pg;
use pg::PostGis;

const N_TICKETS: usize = 1_000_000;
const N_QUERIES: usize = 256;
const LON: (f64, f64) = (107.9, 108.35);
const LAT: (f64, f64) = (15.9, 16.2);
/// Metres per degree of latitude (sphere of the domain's Earth radius).
const M_PER_DEG: f64 = 111_195.08;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 3, 0, 0).unwrap()
}

fn tickets(rng: &mut StdRng) -> Vec<TicketEntry> {
    let categories: Vec<CategoryCode> = ["garbage", "noise-karaoke", "pothole", "flooding"]
        .iter()
        .map(|c| CategoryCode::parse(c, "c").unwrap())
        .collect();
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    (0..N_TICKETS)
        .map(|_| {
            let received_at = t0 + chrono::Duration::minutes(rng.random_range(0..60 * 24 * 300));
            TicketEntry {
                id: TicketId(Uuid::from_u128(rng.random())),
                code: switchboard::domain::TicketCode(String::new()),
                location: Location { lon: rng.random_range(LON.0..LON.1), lat: rng.random_range(LAT.0..LAT.1) },
                status: Status::ALL[rng.random_range(0..Status::ALL.len())],
                category: categories[rng.random_range(0..categories.len())].clone(),
                area: None,
                unit: None,
                priority: Priority::Normal,
                received_at,
                deadline: received_at + chrono::Duration::days(9),
                resolved_at: None,
                version: 1,
                supporters: 0,
            }
        })
        .collect()
}

/// Boxes of side about `side_m` metres centred on random points of the Da Nang box.
fn boxes(rng: &mut StdRng, side_m: f64) -> Vec<BBox> {
    (0..N_QUERIES)
        .map(|_| {
            let (lon, lat) = (rng.random_range(LON.0..LON.1), rng.random_range(LAT.0..LAT.1));
            let dlat = side_m / 2.0 / M_PER_DEG;
            let dlon = dlat / lat.to_radians().cos();
            BBox { min_lon: lon - dlon, min_lat: lat - dlat, max_lon: lon + dlon, max_lat: lat + dlat }
        })
        .collect()
}

fn points(rng: &mut StdRng, b: &BBox) -> Vec<Location> {
    (0..N_QUERIES)
        .map(|_| Location { lon: rng.random_range(b.min_lon..b.max_lon), lat: rng.random_range(b.min_lat..b.max_lat) })
        .collect()
}

/// The demo areas from GeoJSON, or a synthetic grid if the file is missing.
fn load_areas() -> anyhow::Result<(Vec<Area>, String)> {
    let path = std::env::var_os("BENCH_AREAS_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata/danang/areas.geojson"));
    if !path.exists() {
        eprintln!("WARNING: {} not found; point_to_area uses a synthetic grid of wards", path.display());
        return Ok((synthetic_areas(), "synthetic 3×3 districts × 4×4 wards, 200 vertices each".into()));
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let fc = geojson::FeatureCollection::try_from(text.parse::<geojson::GeoJson>()?)?;
    let since = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
    let mut out = Vec::new();
    for f in fc.features {
        let prop = |k: &str| f.property(k).and_then(|v| v.as_str()).map(str::to_owned);
        let code = prop("code").context("feature without a code")?;
        let geometry = f.geometry.as_ref().with_context(|| format!("{code}: no geometry"))?;
        let geometry = match geo::Geometry::<f64>::try_from(geometry.value.clone())? {
            geo::Geometry::MultiPolygon(m) => m,
            geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
            other => anyhow::bail!("{code}: expected a (Multi)Polygon, got {other:?}"),
        };
        out.push(Area {
            code: AreaCode::parse(&code, "code").map_err(|e| anyhow::anyhow!("{e}"))?,
            name: prop("name").unwrap_or_default(),
            name_en: prop("name_en").unwrap_or_default(),
            level: prop("level").context("feature without a level")?,
            parent: prop("parent")
                .map(|p| AreaCode::parse(&p, "parent"))
                .transpose()
                .map_err(|e| anyhow::anyhow!("{e}"))?,
            geometry,
            valid_from: since,
            valid_to: None,
            population: None,
        });
    }
    let vertices: usize = out.iter().map(|a| a.geometry.0.iter().map(|p| p.exterior().0.len()).sum::<usize>()).sum();
    let about = format!("{} ({} areas, {vertices} exterior vertices)", path.display(), out.len());
    Ok((out, about))
}

/// A 3 × 3 grid of districts over the Da Nang box, each split 4 × 4 into wards whose edges are
/// densified to 50 points a side (closer to real boundaries than 4-vertex squares).
fn synthetic_areas() -> Vec<Area> {
    let since = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
    let square = |x0: f64, y0: f64, x1: f64, y1: f64| {
        let mut ring = Vec::new();
        let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)];
        for w in corners.windows(2) {
            for s in 0..50 {
                let t = s as f64 / 50.0;
                ring.push((w[0].0 + t * (w[1].0 - w[0].0), w[0].1 + t * (w[1].1 - w[0].1)));
            }
        }
        ring.push((x0, y0));
        MultiPolygon(vec![Polygon::new(LineString::from(ring), vec![])])
    };
    let area = |code: String, level: &str, parent: Option<String>, geometry| Area {
        code: AreaCode::parse(&code, "code").unwrap(),
        name: code.clone(),
        name_en: code,
        level: level.into(),
        parent: parent.map(|p| AreaCode::parse(&p, "parent").unwrap()),
        geometry,
        valid_from: since,
        valid_to: None,
        population: None,
    };
    let (dx, dy) = ((LON.1 - LON.0) / 12.0, (LAT.1 - LAT.0) / 12.0);
    let mut out = vec![area("DN".into(), "city", None, square(LON.0, LAT.0, LON.1, LAT.1))];
    for i in 0..12 {
        for j in 0..12 {
            let (x, y) = (LON.0 + i as f64 * dx, LAT.0 + j as f64 * dy);
            let d = format!("DN-D{}{}", i / 4, j / 4);
            if i % 4 == 0 && j % 4 == 0 {
                out.push(area(d.clone(), "district", Some("DN".into()), square(x, y, x + 4.0 * dx, y + 4.0 * dy)));
            }
            out.push(area(format!("{d}-W{i:02}{j:02}"), "ward", Some(d), square(x, y, x + dx, y + dy)));
        }
    }
    out
}

/// A scratch PostGIS database holding the same data; dropped on `Drop`.
async fn load(conn: &mut PgConnection, entries: &[TicketEntry], areas: &[Area], levels: &Levels) -> anyhow::Result<()> {
    let started = Instant::now();
    sqlx::raw_sql(
        "CREATE EXTENSION postgis;
         CREATE TABLE bench_tickets (id uuid PRIMARY KEY, geom geometry(Point, 4326) NOT NULL);
         CREATE TABLE bench_areas (code text, level_rank int, geom geometry(MultiPolygon, 4326));",
    )
    .execute(&mut *conn)
    .await?;
    let mut copy = conn.copy_in_raw("COPY bench_tickets (id, geom) FROM STDIN").await?;
    let mut buf = String::with_capacity(1 << 20);
    for e in entries {
        use std::fmt::Write;
        writeln!(buf, "{}\tSRID=4326;POINT({} {})", e.id, e.location.lon, e.location.lat)?;
        if buf.len() > (1 << 20) - 200 {
            copy.send(buf.as_bytes()).await?;
            buf.clear();
        }
    }
    copy.send(buf.as_bytes()).await?;
    copy.finish().await?;
    let copied = started.elapsed();
    sqlx::query("CREATE INDEX bench_tickets_geom ON bench_tickets USING gist (geom)").execute(&mut *conn).await?;
    let indexed = started.elapsed();
    for a in areas {
        let gj = geojson::Geometry::new(geojson::Value::from(&a.geometry)).to_string();
        sqlx::query("INSERT INTO bench_areas VALUES ($1, $2, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)))")
            .bind(a.code.as_str())
            .bind(levels.rank(&a.level) as i32)
            .bind(gj)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::raw_sql("CREATE INDEX bench_areas_geom ON bench_areas USING gist (geom); ANALYZE;")
        .execute(&mut *conn)
        .await?;
    eprintln!(
        "PostGIS load: COPY {} rows {:.1?}, GiST index {:.1?}, total with areas + ANALYZE {:.1?}",
        entries.len(),
        copied,
        indexed - copied,
        started.elapsed()
    );
    Ok(())
}

const SQL_BBOX: &str =
    "SELECT count(*) FROM bench_tickets WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))";
const SQL_KNN: &str = "SELECT id FROM bench_tickets ORDER BY geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT 10";
const SQL_AREA: &str = "SELECT code FROM bench_areas WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))
     ORDER BY level_rank DESC, code LIMIT 1";

async fn pg_bbox(pool: &PgPool, b: &BBox) -> i64 {
    sqlx::query_scalar(SQL_BBOX)
        .bind(b.min_lon)
        .bind(b.min_lat)
        .bind(b.max_lon)
        .bind(b.max_lat)
        .fetch_one(pool)
        .await
        .expect("bbox query")
}

async fn pg_knn(pool: &PgPool, p: Location) -> Vec<Uuid> {
    sqlx::query_scalar(SQL_KNN).bind(p.lon).bind(p.lat).fetch_all(pool).await.expect("knn query")
}

async fn pg_area(pool: &PgPool, p: Location) -> Option<String> {
    sqlx::query_scalar(SQL_AREA).bind(p.lon).bind(p.lat).fetch_optional(pool).await.expect("area query")
}

/// The next query of a cycle (shared by the sync and async closures).
fn next<'a, T>(xs: &'a [T], i: &AtomicUsize) -> &'a T {
    &xs[i.fetch_add(1, Ordering::Relaxed) % xs.len()]
}

fn main() -> anyhow::Result<()> {
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let mut rng = StdRng::seed_from_u64(1022);
    let entries = tickets(&mut rng);
    let (areas, areas_source) = load_areas()?;
    let levels = Levels::default();
    eprintln!("areas: {areas_source}");

    let pg = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            Some(PostGis::setup(&url, async |conn| load(conn, &entries, &areas, &levels).await)?)
        }
        _ => {
            eprintln!("DATABASE_URL not set (postgres://…): PostGIS benchmarks skipped, rstar only");
            None
        }
    };

    let mut g = c.benchmark_group("bulk_load_1m");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.bench_function("rstar", |b| b.iter_batched(|| entries.clone(), TicketIndex::bulk_load, BatchSize::PerIteration));
    g.finish();

    let index = TicketIndex::bulk_load(entries.clone());
    let all = TicketFilter::default();
    let city = BBox { min_lon: LON.0, min_lat: LAT.0, max_lon: LON.1, max_lat: LAT.1 };
    let sizes: [(&str, Vec<BBox>); 4] = [
        ("bbox_100m", boxes(&mut rng, 100.0)),
        ("bbox_1km", boxes(&mut rng, 1_000.0)),
        ("bbox_5km", boxes(&mut rng, 5_000.0)),
        ("bbox_city", vec![city]),
    ];
    for (name, qs) in &sizes {
        let mean = qs.iter().map(|b| index.count(&Region::BBox(*b), &all)).sum::<usize>() as f64 / qs.len() as f64;
        eprintln!("{name}: mean {mean:.1} tickets per query");
        let mut g = c.benchmark_group(*name);
        if *name == "bbox_city" {
            g.sample_size(10).measurement_time(Duration::from_secs(5));
        }
        let i = AtomicUsize::new(0);
        g.bench_function("rstar", |b| b.iter(|| index.count(&Region::BBox(*next(qs, &i)), black_box(&all))));
        if let Some(pg) = &pg {
            let mismatches = qs
                .iter()
                .filter(|b| pg.rt.block_on(pg_bbox(pg.pool(), b)) as usize != index.count(&Region::BBox(**b), &all))
                .count();
            eprintln!("{name}: PostGIS and rstar counts differ on {mismatches} of {} boxes", qs.len());
            g.bench_function("postgis", |b| b.to_async(&pg.rt).iter(|| pg_bbox(pg.pool(), next(qs, &i))));
        }
        g.finish();
    }

    let centres = points(&mut rng, &city);
    let mut g = c.benchmark_group("knn_10");
    let i = AtomicUsize::new(0);
    g.bench_function("rstar", |b| b.iter(|| index.nearest(*next(&centres, &i), 10, black_box(&all), None).len()));
    if let Some(pg) = &pg {
        // PostGIS `<->` on geometry orders by planar distance in degrees; rstar here orders by
        // haversine metres, so the two sets can differ near the tenth place.
        let differing: usize = centres
            .iter()
            .map(|p| {
                let theirs = pg.rt.block_on(pg_knn(pg.pool(), *p));
                index.nearest(*p, 10, &all, None).iter().filter(|(e, _)| !theirs.contains(&e.id().0)).count()
            })
            .sum();
        eprintln!(
            "knn_10: {differing} of {} neighbours differ between PostGIS (degrees) and rstar (metres)",
            10 * N_QUERIES
        );
        g.bench_function("postgis", |b| b.to_async(&pg.rt).iter(|| pg_knn(pg.pool(), *next(&centres, &i))));
    }
    g.finish();

    let area_index = AreaIndex::new(&areas, &levels);
    let at = now();
    let extent =
        areas.iter().filter_map(|a| geo::BoundingRect::bounding_rect(&a.geometry)).fold(None::<BBox>, |acc, r| {
            Some(match acc {
                None => BBox { min_lon: r.min().x, min_lat: r.min().y, max_lon: r.max().x, max_lat: r.max().y },
                Some(b) => BBox {
                    min_lon: b.min_lon.min(r.min().x),
                    min_lat: b.min_lat.min(r.min().y),
                    max_lon: b.max_lon.max(r.max().x),
                    max_lat: b.max_lat.max(r.max().y),
                },
            })
        });
    let probes = points(&mut rng, &extent.unwrap_or(city));
    let located = probes.iter().filter(|p| area_index.locate(**p, at).is_some()).count();
    eprintln!("point_to_area: {located} of {} probe points fall in an area", probes.len());
    let mut g = c.benchmark_group("point_to_area");
    let i = AtomicUsize::new(0);
    g.bench_function("rstar", |b| b.iter(|| area_index.locate(*next(&probes, &i), black_box(at)).is_some()));
    if let Some(pg) = &pg {
        let differ = probes
            .iter()
            .filter(|p| {
                pg.rt.block_on(pg_area(pg.pool(), **p)).as_deref() != area_index.locate(**p, at).map(|c| c.as_str())
            })
            .count();
        eprintln!("point_to_area: PostGIS and rstar answers differ on {differ} of {} points", probes.len());
        g.bench_function("postgis", |b| b.to_async(&pg.rt).iter(|| pg_area(pg.pool(), *next(&probes, &i))));
    }
    g.finish();

    c.final_summary();
    drop(pg);
    Ok(())
}
