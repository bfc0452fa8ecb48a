//! TileJSON 3.0.0 for a source and the `/tiles` catalog.

use std::collections::BTreeMap;

use serde::Serialize;
use tilejson::{Bounds, Center, TileJSON, VectorLayer};

use super::source::{TileFormat, TileSource};

/// The TileJSON of `source`, its tile URL under `base` (e.g. `https://1022.danang.gov.vn`).
pub fn tilejson(source: &dyn TileSource, base: &str) -> TileJSON {
    let info = source.info();
    let url = format!("{}/tiles/{}/{{z}}/{{x}}/{{y}}", base.trim_end_matches('/'), source.id());
    let mut tj = tilejson::tilejson! { tiles: vec![url] };
    tj.tilejson = "3.0.0".into();
    tj.name = Some(info.name.clone());
    tj.description = Some(info.description.clone());
    tj.attribution = info.attribution.clone();
    tj.minzoom = Some(info.minzoom);
    tj.maxzoom = Some(info.maxzoom);
    tj.bounds = info.bounds.map(|b| Bounds::new(b[0], b[1], b[2], b[3]));
    tj.center = info.center.map(|c| Center::new(c[0], c[1], c[2].round().clamp(0.0, 22.0) as u8));
    tj.scheme = Some("xyz".into());
    if info.format == TileFormat::Mvt {
        tj.vector_layers = Some(
            info.layers
                .iter()
                .map(|l| {
                    let mut v = VectorLayer::new(l.id.clone(), l.fields.clone());
                    v.description = Some(l.description.clone()).filter(|d| !d.is_empty());
                    v.minzoom = Some(info.minzoom);
                    v.maxzoom = Some(info.maxzoom);
                    v
                })
                .collect(),
        );
    }
    tj.other.insert("format".into(), info.format.extension().into());
    tj
}

/// One source in the catalog (Martin's `/catalog` shape).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogEntry {
    pub content_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<&'static str>,
    pub name: String,
    pub description: String,
    /// Where its TileJSON is.
    pub tilejson: String,
    /// `public`, or the roles that may read it.
    pub access: Vec<&'static str>,
}

/// `{"tiles": {id: entry}}` for the sources in `sources`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Catalog {
    pub tiles: BTreeMap<String, CatalogEntry>,
}

pub fn catalog(sources: &[std::sync::Arc<dyn TileSource>], base: &str) -> Catalog {
    let tiles = sources
        .iter()
        .map(|s| {
            let info = s.info();
            let entry = CatalogEntry {
                content_type: info.format.content_type(),
                content_encoding: (info.format == TileFormat::Mvt).then_some("gzip"),
                name: info.name.clone(),
                description: info.description.clone(),
                tilejson: format!("{}/tiles/{}", base.trim_end_matches('/'), s.id()),
                access: match info.access.roles() {
                    None => vec!["public"],
                    Some(r) => r.iter().map(|r| r.as_str()).collect(),
                },
            };
            (s.id().to_owned(), entry)
        })
        .collect();
    Catalog { tiles }
}
