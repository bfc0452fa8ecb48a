//! Fetching and decoding tiles.

use std::collections::BTreeMap;
use std::io::Read as _;

use geozero::mvt::{Message, Tile, tile};
use reqwest::header::HeaderMap;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use switchboard::spatial::tiles::grid::lon_lat_to_world;

use crate::harness::TestApp;

/// The XYZ tile holding a lon/lat position at zoom `z`.
pub fn tile_at(lon: f64, lat: f64, z: u8) -> (u32, u32) {
    let (x, y) = lon_lat_to_world(lon, lat);
    let n = f64::from(1u32 << z);
    ((x * n) as u32, (y * n) as u32)
}

/// A tile fetched with `Accept-Encoding: gzip`: its headers and its decoded content.
pub struct Fetched {
    pub headers: HeaderMap,
    pub tile: Tile,
}

impl Fetched {
    pub fn cache(&self) -> &str {
        self.headers.get("x-tile-cache").and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn etag(&self) -> String {
        self.headers.get("etag").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
    }

    pub fn layer(&self, name: &str) -> Option<&tile::Layer> {
        self.tile.layers.iter().find(|l| l.name == name)
    }

    pub fn layer_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.tile.layers.iter().map(|l| l.name.clone()).collect();
        v.sort();
        v
    }

    /// Every feature's attributes of a layer (empty if the layer is missing).
    pub fn features(&self, layer: &str) -> Vec<BTreeMap<String, Value>> {
        self.layer(layer).map(|l| l.features.iter().map(|f| attributes(l, f)).collect()).unwrap_or_default()
    }
}

/// The ids of a ticket tile's points, sorted.
pub fn ids(t: &Fetched) -> Vec<String> {
    let mut v: Vec<String> =
        t.features("tickets").iter().map(|f| f["id"].as_str().unwrap_or_default().to_owned()).collect();
    v.sort();
    v
}

/// Every ticket a ticket tile shows: its points and the counts of its clusters.
pub fn tally(t: &Fetched) -> u64 {
    let clustered: u64 = t.features("ticket_clusters").iter().map(|c| c["count"].as_u64().expect("a count")).sum();
    t.features("tickets").len() as u64 + clustered
}

pub fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("gzip body");
    out
}

/// GETs a tile, expecting 200 and a gzip body (or an empty one).
pub async fn fetch(app: &TestApp, who: &Client, path: &str) -> Fetched {
    let r = who.get(app.url(path)).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "GET {path}");
    let headers = r.headers().clone();
    let body = r.bytes().await.unwrap();
    let bytes = match headers.get("content-encoding").and_then(|v| v.to_str().ok()) {
        Some("gzip") => gunzip(&body),
        None => body.to_vec(),
        Some(other) => panic!("unexpected Content-Encoding {other}"),
    };
    let tile = Tile::decode(bytes.as_slice()).expect("a Mapbox Vector Tile");
    Fetched { headers, tile }
}

/// The path of the tile of `source` holding (lon, lat) at `z`.
pub fn path_at(source: &str, lon: f64, lat: f64, z: u8) -> String {
    let (x, y) = tile_at(lon, lat, z);
    format!("/tiles/{source}/{z}/{x}/{y}")
}

pub fn attributes(layer: &tile::Layer, f: &tile::Feature) -> BTreeMap<String, Value> {
    f.tags
        .chunks(2)
        .map(|kv| {
            let v = &layer.values[kv[1] as usize];
            let value = if let Some(s) = &v.string_value {
                json!(s)
            } else if let Some(b) = v.bool_value {
                json!(b)
            } else if let Some(d) = v.double_value {
                json!(d)
            } else if let Some(d) = v.float_value {
                json!(d)
            } else {
                json!(v.int_value.or(v.sint_value).or(v.uint_value.map(|u| u as i64)))
            };
            (layer.keys[kv[0] as usize].clone(), value)
        })
        .collect()
}

/// The vertices of a feature's geometry, in tile coordinates.
pub fn vertices(f: &tile::Feature) -> Vec<(i32, i32)> {
    let unzig = |v: u32| ((v >> 1) as i32) ^ -((v & 1) as i32);
    let (mut x, mut y) = (0, 0);
    let mut out = Vec::new();
    let mut i = 0;
    let g = &f.geometry;
    while i < g.len() {
        let (id, count) = (g[i] & 7, g[i] >> 3);
        i += 1;
        if id == 7 {
            continue;
        }
        for _ in 0..count {
            x += unzig(g[i]);
            y += unzig(g[i + 1]);
            out.push((x, y));
            i += 2;
        }
    }
    out
}
