//! A PMTiles archive as the `pmtiles` source: built here with the pmtiles crate's writer.

use std::fs::File;

use geozero::mvt::{Message, Tile, tile};
use pmtiles::{Compression, PmTilesWriter, TileCoord, TileType};
use reqwest::StatusCode;
use serde_json::json;

use super::support::{fetch, gunzip};
use crate::harness::{Backend, spawn_app_with};
use crate::on_both_stores;

/// A one-layer MVT tile with one point named `name`.
fn mvt(name: &str) -> Vec<u8> {
    let layer = tile::Layer {
        version: 2,
        name: "places".into(),
        features: vec![tile::Feature { id: Some(1), tags: vec![0, 0], r#type: Some(1), geometry: vec![9, 4096, 4096] }],
        keys: vec!["name".into()],
        values: vec![tile::Value { string_value: Some(name.into()), ..Default::default() }],
        extent: Some(4096),
    };
    Tile { layers: vec![layer] }.encode_to_vec()
}

/// Writes an archive with tiles 0/0/0 and 1/1/0, gzip-compressed, with TileJSON metadata.
fn archive(path: &std::path::Path) {
    let metadata = json!({
        "name": "Bản đồ nền thử / Test basemap",
        "attribution": "© Test",
        "vector_layers": [{"id": "places", "fields": {"name": "String"}}]
    });
    let mut w = PmTilesWriter::new(TileType::Mvt)
        .tile_compression(Compression::Gzip)
        .min_zoom(0)
        .max_zoom(1)
        .bounds(108.0, 15.9, 108.4, 16.2)
        .center(108.2, 16.05)
        .center_zoom(1)
        .metadata(metadata.to_string())
        .create(File::create(path).unwrap())
        .unwrap();
    w.add_tile(TileCoord::new(0, 0, 0).unwrap(), &mvt("Đà Nẵng")).unwrap();
    w.add_tile(TileCoord::new(1, 1, 0).unwrap(), &mvt("Hải Châu")).unwrap();
    w.finalize().unwrap();
}

async fn serves_a_pmtiles_archive(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.pmtiles");
    archive(&path);
    let app = spawn_app_with(backend, |s| s.tiles.basemap_pmtiles = Some(path.clone())).await;

    let tj = app.get_json(&app.public, "/tiles/pmtiles").await;
    assert_eq!(tj["tilejson"], json!("3.0.0"));
    assert_eq!(tj["name"], json!("Bản đồ nền thử / Test basemap"));
    assert_eq!(tj["attribution"], json!("© Test"));
    assert_eq!((tj["minzoom"].clone(), tj["maxzoom"].clone()), (json!(0), json!(1)));
    assert_eq!(tj["bounds"], json!([108.0, 15.9, 108.4, 16.2]));
    assert_eq!(tj["vector_layers"][0]["id"], json!("places"));

    let t = fetch(&app, &app.public, "/tiles/pmtiles/1/1/0").await;
    assert_eq!(t.headers["content-encoding"], "gzip");
    assert_eq!(t.headers["content-type"], "application/vnd.mapbox-vector-tile");
    assert_eq!(t.features("places")[0]["name"], json!("Hải Châu"));
    // The stored gzip is passed through: the body is the archive's bytes.
    let raw = app.public.get(app.url("/tiles/pmtiles/0/0/0")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gunzip(&raw.bytes().await.unwrap()), mvt("Đà Nẵng"));
    // A tile the archive does not have is empty; one beyond its zooms does not exist.
    let r = app.public.get(app.url("/tiles/pmtiles/1/0/0")).send().await.unwrap();
    assert_eq!((r.status(), r.bytes().await.unwrap().len()), (StatusCode::OK, 0));
    let r = app.public.get(app.url("/tiles/pmtiles/2/0/0")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

on_both_stores!(serves_a_pmtiles_archive);
