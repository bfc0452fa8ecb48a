//! The documents of OGC API – Features Part 1 (OGC 17-069r4): landing page, conformance
//! declaration, collections, one collection, and the links on items. Plain JSON values.

use serde_json::{Value, json};

use crate::service::ogc::{Extent, FeatureCollectionSource};

pub const GEOJSON: &str = "application/geo+json";
pub const JSON: &str = "application/json";
pub const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";
pub const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
const GREGORIAN: &str = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian";

/// The conformance classes implemented: Core, GeoJSON, and OpenAPI 3.0 (the API is described at
/// `/ogc/api`).
pub const CONFORMANCE: [&str; 3] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
];

pub fn link(href: String, rel: &str, kind: &str, title: &str) -> Value {
    json!({"href": href, "rel": rel, "type": kind, "title": title})
}

/// `GET /ogc`: where everything is.
pub fn landing(base: &str) -> Value {
    json!({
        "title": "Switchboard — Tổng đài 1022 · OGC API – Features",
        "description": "Dữ liệu công khai của thành phố: địa giới hành chính, quy hoạch sử dụng đất, phản ánh đã xử lý. \
                        The city's public data: administrative areas, land-use plans, published citizens' reports.",
        "links": [
            link(base.to_owned(), "self", JSON, "This document"),
            link(format!("{base}/api"), "service-desc", OPENAPI, "The API definition (OpenAPI 3.0)"),
            link(format!("{base}/conformance"), "conformance", JSON, "Conformance classes implemented"),
            link(format!("{base}/collections"), "data", JSON, "The feature collections"),
        ]
    })
}

/// `GET /ogc/conformance`.
pub fn conformance(base: &str) -> Value {
    json!({
        "conformsTo": CONFORMANCE,
        "links": [link(format!("{base}/conformance"), "self", JSON, "This document")]
    })
}

fn extent(e: Extent) -> Value {
    let mut out = serde_json::Map::new();
    if let Some(b) = e.bbox {
        out.insert("spatial".into(), json!({"bbox": [[b.min_lon, b.min_lat, b.max_lon, b.max_lat]], "crs": CRS84}));
    }
    if let Some(i) = e.interval {
        out.insert("temporal".into(), json!({"interval": [i.to_json()], "trs": GREGORIAN}));
    }
    Value::Object(out)
}

/// One collection's description (in `/collections` and at `/collections/{id}`).
pub fn collection(base: &str, c: &dyn FeatureCollectionSource) -> Value {
    let id = c.id();
    let href = format!("{base}/collections/{id}");
    json!({
        "id": id,
        "title": c.title(),
        "description": c.description(),
        "links": [
            link(href.clone(), "self", JSON, "This collection"),
            link(format!("{href}/items"), "items", GEOJSON, "Its features"),
        ],
        "extent": extent(c.extent()),
        "itemType": "feature",
        "crs": [CRS84],
    })
}

/// `GET /ogc/collections`.
pub fn collections(base: &str, sources: &[Box<dyn FeatureCollectionSource>]) -> Value {
    json!({
        "links": [link(format!("{base}/collections"), "self", JSON, "This document")],
        "collections": sources.iter().map(|c| collection(base, c.as_ref())).collect::<Vec<_>>(),
    })
}
