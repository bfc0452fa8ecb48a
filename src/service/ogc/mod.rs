//! OGC API – Features (Part 1: Core, GeoJSON) over the city's public data. Each collection is
//! a [`FeatureCollectionSource`]: an id, a title, an extent and its items by query. The HTTP
//! layer (`crate::http::ogc`) only turns requests into [`ItemsQuery`]s and answers into the
//! standard's documents; it knows no collection by name.
//!
//! The collections ([`sources`]):
//! - `areas`: administrative boundaries, every version, timed by their validity.
//! - `planning-{LAYER}`: one per planning layer (each plan its own layer in QGIS, with its own
//!   approving decision and extent), zones timed by their decision's day.
//! - `tickets`: published reports (resolved or closed, as the portal shows them), only their
//!   public fields, timed from receipt to resolution. Nothing of the reporter.
//!
//! - `cameras`: where the cameras are and which way they look; never their source URLs.
//!
//! Adding a collection is one line in [`sources`].

mod areas;
mod cameras;
mod planning;
mod tickets;
pub mod time;

use async_trait::async_trait;

use super::{Cameras, Planning, ServiceResult, Tickets};
use crate::domain::BBox;
pub use time::Interval;

/// The most features one page may hold; a larger `limit` is lowered to it.
pub const MAX_LIMIT: usize = 10_000;
/// Features per page when the client asks for no `limit`.
pub const DEFAULT_LIMIT: usize = 10;

/// What a client asks of a collection's items; already validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemsQuery {
    /// Only features whose geometry intersects this lon/lat box (CRS84).
    pub bbox: Option<BBox>,
    /// Only features whose time intersects this interval.
    pub datetime: Option<Interval>,
    /// At most this many, 1..=[`MAX_LIMIT`].
    pub limit: usize,
    /// Skip this many of the matching features (in the collection's fixed order).
    pub offset: usize,
}

/// One page of a collection's items.
#[derive(Debug, Clone)]
pub struct Items {
    pub features: Vec<geojson::Feature>,
    /// How many features match the query in all (every page).
    pub number_matched: usize,
}

/// Where and when a collection's features are.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Extent {
    pub bbox: Option<BBox>,
    pub interval: Option<Interval>,
}

/// One collection of features.
#[async_trait]
pub trait FeatureCollectionSource: Send + Sync {
    /// Its id in URLs: letters, digits, `-`, `_`, `.`.
    fn id(&self) -> String;
    fn title(&self) -> String;
    fn description(&self) -> String;
    fn extent(&self) -> Extent;
    /// The page of matching features, in a fixed order, with the total.
    async fn items(&self, query: &ItemsQuery) -> ServiceResult<Items>;
    /// One feature by its id, if there is such a feature in the collection.
    async fn item(&self, id: &str) -> ServiceResult<Option<geojson::Feature>>;
}

/// The collections of OGC API – Features, read from the other handles. Cheap to clone.
#[derive(Clone)]
pub struct Ogc {
    tickets: Tickets,
    planning: Planning,
    cameras: Cameras,
}

impl Ogc {
    pub fn new(tickets: Tickets, planning: Planning, cameras: Cameras) -> Self {
        Self { tickets, planning, cameras }
    }

    /// Every collection, in the order the `/collections` document lists them.
    pub async fn sources(&self) -> Vec<Box<dyn FeatureCollectionSource>> {
        let mut out: Vec<Box<dyn FeatureCollectionSource>> =
            vec![Box::new(areas::Areas::new(self.tickets.reference()))];
        out.extend(planning::layers(&self.planning).await);
        out.push(Box::new(tickets::Tickets::new(&self.tickets)));
        match cameras::Cameras::load(&self.cameras).await {
            Ok(c) => out.push(Box::new(c)),
            Err(e) => tracing::error!(error = %e, "OGC: the cameras collection cannot be read; left out"),
        }
        out
    }

    /// The collection with this id.
    pub async fn source(&self, id: &str) -> Option<Box<dyn FeatureCollectionSource>> {
        self.sources().await.into_iter().find(|c| c.id() == id)
    }
}

/// The `[offset, offset + limit)` page of `all` (already in the collection's order), with the
/// total.
pub fn page<T>(all: Vec<T>, query: &ItemsQuery, feature: impl FnMut(T) -> geojson::Feature) -> Items {
    let number_matched = all.len();
    let features = all.into_iter().skip(query.offset).take(query.limit).map(feature).collect();
    Items { features, number_matched }
}

/// The box around `boxes`, if any.
pub(crate) fn union(boxes: impl IntoIterator<Item = BBox>) -> Option<BBox> {
    boxes.into_iter().reduce(|a, b| BBox {
        min_lon: a.min_lon.min(b.min_lon),
        min_lat: a.min_lat.min(b.min_lat),
        max_lon: a.max_lon.max(b.max_lon),
        max_lat: a.max_lat.max(b.max_lat),
    })
}

/// A feature with a string id, a geometry and properties.
pub(crate) fn feature(
    id: String,
    geometry: geojson::Value,
    properties: serde_json::Map<String, serde_json::Value>,
) -> geojson::Feature {
    geojson::Feature {
        bbox: None,
        geometry: Some(geojson::Geometry::new(geometry)),
        id: Some(geojson::feature::Id::String(id)),
        properties: Some(properties),
        foreign_members: None,
    }
}
