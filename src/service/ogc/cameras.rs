//! The `cameras` collection: where the city's cameras are and which way they look, as anyone
//! may know from the street: code, names, heading, field of view, kind, status and area, at the
//! camera's point. Never the source URL (a secret) or anything that reaches the feed. Id the
//! camera code, timed by the last change of its record, ordered by code.

use async_trait::async_trait;
use serde_json::{Map, Value};

use super::{Extent, FeatureCollectionSource, Interval, Items, ItemsQuery, feature, page, union};
use crate::domain::{BBox, Camera, CameraCode};
use crate::service::ServiceResult;
use crate::store::codec::enum_str;

pub(super) struct Cameras {
    /// The registry as read for this request, by code.
    all: Vec<Camera>,
}

impl Cameras {
    pub async fn load(cameras: &crate::service::Cameras) -> ServiceResult<Self> {
        let mut all = cameras.cameras().await?;
        all.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(Self { all })
    }
}

fn to_feature(c: &Camera) -> geojson::Feature {
    let v = c.view();
    let mut p = Map::new();
    p.insert("code".into(), v.code.as_str().into());
    p.insert("name".into(), v.name.into());
    p.insert("name_en".into(), v.name_en.into());
    p.insert("heading".into(), v.heading.into());
    p.insert("fov".into(), v.fov.into());
    p.insert("kind".into(), enum_str(&v.kind).into());
    p.insert("status".into(), enum_str(&v.status).into());
    p.insert("area".into(), v.area.as_ref().map_or(Value::Null, |a| a.as_str().into()));
    p.insert("updated_at".into(), super::time::rfc3339(v.updated_at).into());
    feature(v.code.as_str().to_owned(), geojson::Value::Point(vec![v.location.lon, v.location.lat]), p)
}

#[async_trait]
impl FeatureCollectionSource for Cameras {
    fn id(&self) -> String {
        "cameras".into()
    }

    fn title(&self) -> String {
        "Camera giám sát / Cameras".into()
    }

    fn description(&self) -> String {
        "Vị trí, hướng và góc quan sát của camera giám sát của thành phố (không có nguồn phát). Where the \
         city's cameras are and which way they look; not their feeds."
            .into()
    }

    fn extent(&self) -> Extent {
        let point = |c: &Camera| {
            let l = c.location;
            BBox { min_lon: l.lon, min_lat: l.lat, max_lon: l.lon, max_lat: l.lat }
        };
        let start = self.all.iter().map(|c| c.updated_at).min();
        let end = self.all.iter().map(|c| c.updated_at).max();
        Extent { bbox: union(self.all.iter().map(point)), interval: start.map(|s| Interval::between(Some(s), end)) }
    }

    async fn items(&self, q: &ItemsQuery) -> ServiceResult<Items> {
        let hits: Vec<&Camera> = self
            .all
            .iter()
            .filter(|c| q.bbox.is_none_or(|b| b.contains(&c.location)))
            .filter(|c| q.datetime.is_none_or(|t| Interval::instant(c.updated_at).intersects(&t)))
            .collect();
        Ok(page(hits, q, to_feature))
    }

    async fn item(&self, id: &str) -> ServiceResult<Option<geojson::Feature>> {
        let Ok(code) = CameraCode::parse(id, "id") else { return Ok(None) };
        Ok(self.all.iter().find(|c| c.code == code).map(to_feature))
    }
}
