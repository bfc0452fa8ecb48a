//! The `areas` collection: every version of every administrative boundary, id
//! `{code}@{valid_from}` (`DN-HC@20200101T000000Z`), timed by its validity `[valid_from,
//! valid_to)` (open while in force), ordered by level, code and version.

use std::sync::Arc;

use async_trait::async_trait;
use geo::BoundingRect;
use serde_json::{Map, Value};

use super::{Extent, FeatureCollectionSource, Interval, Items, ItemsQuery, feature, page, union};
use crate::domain::{Area, BBox};
use crate::service::{Reference, ServiceResult};

pub(super) struct Areas {
    reference: Arc<Reference>,
}

impl Areas {
    pub fn new(reference: Arc<Reference>) -> Self {
        Self { reference }
    }

    /// Every version, top level first, then by code and `valid_from`.
    fn sorted(&self) -> Vec<&Area> {
        let levels = self.reference.areas.levels();
        let mut all: Vec<&Area> = self.reference.areas.versions().iter().collect();
        all.sort_by(|a, b| {
            (levels.rank(&a.level), &a.code, a.valid_from).cmp(&(levels.rank(&b.level), &b.code, b.valid_from))
        });
        all
    }
}

fn id(a: &Area) -> String {
    format!("{}@{}", a.code, a.valid_from.format("%Y%m%dT%H%M%SZ"))
}

fn validity(a: &Area) -> Interval {
    // `valid_to` is exclusive; the interval's end is the last microsecond in force.
    Interval::between(Some(a.valid_from), a.valid_to.map(|t| t - chrono::Duration::microseconds(1)))
}

fn bbox(a: &Area) -> Option<BBox> {
    a.geometry.bounding_rect().map(|r| BBox {
        min_lon: r.min().x,
        min_lat: r.min().y,
        max_lon: r.max().x,
        max_lat: r.max().y,
    })
}

fn to_feature(a: &Area) -> geojson::Feature {
    let mut p = Map::new();
    p.insert("code".into(), a.code.as_str().into());
    p.insert("name".into(), a.name.clone().into());
    p.insert("name_en".into(), a.name_en.clone().into());
    p.insert("level".into(), a.level.clone().into());
    p.insert("parent".into(), a.parent.as_ref().map_or(Value::Null, |c| c.as_str().into()));
    p.insert("valid_from".into(), super::time::rfc3339(a.valid_from).into());
    p.insert("valid_to".into(), a.valid_to.map_or(Value::Null, |t| super::time::rfc3339(t).into()));
    feature(id(a), geojson::Value::from(&a.geometry), p)
}

#[async_trait]
impl FeatureCollectionSource for Areas {
    fn id(&self) -> String {
        "areas".into()
    }

    fn title(&self) -> String {
        "Địa giới hành chính / Administrative areas".into()
    }

    fn description(&self) -> String {
        "Ranh giới thành phố, quận, phường (mọi phiên bản, theo thời gian hiệu lực). City, district and ward \
         boundaries, every version, timed by when they are in force."
            .into()
    }

    fn extent(&self) -> Extent {
        let all = self.reference.areas.versions();
        let start = all.iter().map(|a| a.valid_from).min();
        let open = all.iter().any(|a| a.valid_to.is_none());
        let end = if open { None } else { all.iter().filter_map(|a| a.valid_to).max() };
        Extent { bbox: union(all.iter().filter_map(bbox)), interval: start.map(|s| Interval::between(Some(s), end)) }
    }

    async fn items(&self, q: &ItemsQuery) -> ServiceResult<Items> {
        let rect = q.bbox.map(|b| geo::Rect::new((b.min_lon, b.min_lat), (b.max_lon, b.max_lat)));
        let matching: Vec<&Area> = self
            .sorted()
            .into_iter()
            .filter(|a| q.datetime.is_none_or(|t| validity(a).intersects(&t)))
            .filter(|a| rect.is_none_or(|r| geo::Intersects::intersects(&a.geometry, &r)))
            .collect();
        Ok(page(matching, q, to_feature))
    }

    async fn item(&self, fid: &str) -> ServiceResult<Option<geojson::Feature>> {
        Ok(self.reference.areas.versions().iter().find(|a| id(a) == fid).map(to_feature))
    }
}
