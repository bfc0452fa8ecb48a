//! What only the PostGIS store has: NOTIFY on every committed event, and geometry columns that
//! GIS clients read in EPSG:4326.

use std::time::Duration;

use sqlx::Row;
use sqlx::postgres::PgListener;
use switchboard::store::postgres::{EVENTS_CHANNEL, PgStore};

use crate::harness::*;

#[tokio::test]
async fn every_committed_event_is_announced_with_its_seq() {
    let db = PgTestDb::new().await;
    let store = PgStore::connect(&db.url).await.unwrap();
    let mut listener = PgListener::connect(&db.url).await.unwrap();
    listener.listen(EVENTS_CHANNEL).await.unwrap();

    let created = store.create_ticket(new_record("DN-2611"), None).await.unwrap();
    let switchboard::store::Created::New { event, .. } = created else { panic!("expected a new ticket") };
    let note = tokio::time::timeout(Duration::from_secs(5), listener.recv())
        .await
        .expect("a notification within 5 s")
        .unwrap();
    assert_eq!(note.channel(), "switchboard_events");
    assert_eq!(note.payload(), event.seq.to_string());
}

#[tokio::test]
async fn gis_clients_see_points_and_polygons_in_epsg_4326() {
    let db = PgTestDb::new().await;
    let store = PgStore::connect(&db.url).await.unwrap();
    let ticket = crate::harness::create(&(std::sync::Arc::new(store.clone()) as _), "DN-2611").await;
    store.upsert_areas(&[sample_area("DN-HC-01", Some("DN-HC"))]).await.unwrap();
    let pool = store.pool();

    let columns: Vec<(String, String, i32, String)> = sqlx::query_as(
        "SELECT f_table_name::text, f_geometry_column::text, srid, type::text FROM geometry_columns \
         ORDER BY f_table_name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(
        columns,
        [
            ("areas".into(), "geom".into(), 4326, "MULTIPOLYGON".into()),
            ("cameras".into(), "geom".into(), 4326, "POINT".into()),
            ("planning_zones".into(), "geom".into(), 4326, "MULTIPOLYGON".into()),
            ("tickets".into(), "geom".into(), 4326, "POINT".into())
        ]
    );
    let gist: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%USING gist (geom)%' AND tablename IN ('areas', 'cameras', 'planning_zones', 'tickets')",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(gist, 4, "every geometry column has a GiST index");

    let point = sqlx::query("SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM tickets WHERE code = $1")
        .bind(ticket.code.as_str())
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!((point.get::<f64, _>("x"), point.get::<f64, _>("y")), (ticket.location.lon, ticket.location.lat));
    let (valid, holes, inside, in_hole): (bool, i32, bool, bool) = sqlx::query_as(
        "SELECT ST_IsValid(geom), ST_NumInteriorRings(ST_GeometryN(geom, 1)), \
         ST_Intersects(geom, ST_SetSRID(ST_MakePoint(108.23, 16.07), 4326)), \
         ST_Intersects(geom, ST_SetSRID(ST_MakePoint(108.215, 16.055), 4326)) FROM areas",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!((valid, holes, inside, in_hole), (true, 1, true, false), "lon/lat order, hole kept");
}
