//! Talking to `/ogc`: GETs that check status and media type, and the standard's schemas.

use std::sync::OnceLock;

use jsonschema::{Retrieve, Uri, Validator};
use serde_json::Value;

use crate::harness::{TestApp, content_type};

const SCHEMAS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/ogc/schemas");

/// Serves `…/schemas/{name}` from tests/it/ogc/schemas (no network).
struct LocalSchemas;

impl Retrieve for LocalSchemas {
    fn retrieve(&self, uri: &Uri<String>) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.path().as_str().rsplit('/').next().unwrap_or_default().to_owned();
        let text = std::fs::read_to_string(format!("{SCHEMAS}/{name}"))?;
        Ok(serde_json::from_str(&text)?)
    }
}

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{SCHEMAS}/{name}.json")).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn validator(name: &'static str) -> &'static Validator {
    static CACHE: OnceLock<std::sync::Mutex<Vec<(&'static str, &'static Validator)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap();
    if let Some((_, v)) = cache.iter().find(|(n, _)| *n == name) {
        return v;
    }
    let v = jsonschema::options()
        .with_retriever(LocalSchemas)
        .should_validate_formats(true)
        .build(&load(name))
        .unwrap_or_else(|e| panic!("schema {name}: {e}"));
    let v: &'static Validator = Box::leak(Box::new(v));
    cache.push((name, v));
    v
}

/// Fails with every schema error of `doc` against the named schema.
pub fn assert_valid(schema: &'static str, doc: &Value) {
    let errors: Vec<String> =
        validator(schema).iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "not a valid {schema}: {errors:#?}\n{doc:#}");
}

/// GETs `path`, expecting 200 and `media`; returns the JSON.
pub async fn get(app: &TestApp, path: &str, media: &str) -> Value {
    let r = app.public.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "GET {path}");
    assert_eq!(content_type(&r), media, "GET {path}");
    r.json().await.unwrap()
}

/// GETs `path`, expecting `status` and a problem naming `field` (if given).
pub async fn refused(app: &TestApp, path: &str, status: u16, field: Option<&str>) {
    let r = app.public.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), status, "GET {path}");
    let p = crate::harness::problem(r).await;
    if let Some(field) = field {
        assert_eq!(crate::harness::fields(&p), [field], "GET {path}: {p}");
    }
}

/// The `href` of the link with `rel`, if any.
pub fn link<'a>(doc: &'a Value, rel: &str) -> Option<&'a str> {
    doc["links"].as_array()?.iter().find(|l| l["rel"] == rel).and_then(|l| l["href"].as_str())
}

/// `href` as a path on the test server.
pub fn path(app: &TestApp, href: &str) -> String {
    href.strip_prefix(&app.base).unwrap_or_else(|| panic!("{href} is not on {}", app.base)).to_owned()
}

pub const GEOJSON: &str = "application/geo+json";
pub const JSON: &str = "application/json";
pub const PLANNING: &str = "planning-DN-QHPK-TT";

/// Whether `doc` is valid against the named schema.
pub fn is_valid(schema: &'static str, doc: &Value) -> bool {
    validator(schema).is_valid(doc)
}
