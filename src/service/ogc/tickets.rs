//! The `tickets` collection: published reports, the ones the portal shows as results (resolved
//! or closed), with only their public fields: code, category, status, area, when received and
//! resolved, and the published result. Never the description (citizens write names and phone
//! numbers into it), the address, the reporter or staff notes. Id the ticket code, point
//! geometry, timed from receipt to resolution, ordered by receipt.

use std::collections::HashSet;
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::{Map, Value};

use super::{Extent, FeatureCollectionSource, Interval, Items, ItemsQuery, feature, union};
use crate::domain::{BBox, Status, Ticket, TicketCode, TicketId};
use crate::service::{Reference, ServiceResult};
use crate::spatial::{EntryRef, Region, TicketFilter};

pub(super) struct Tickets {
    tickets: crate::service::Tickets,
    reference: Arc<Reference>,
}

impl Tickets {
    pub fn new(tickets: &crate::service::Tickets) -> Self {
        Self { tickets: tickets.clone(), reference: tickets.reference() }
    }

    fn published() -> TicketFilter {
        TicketFilter { statuses: Some(HashSet::from([Status::Resolved, Status::Closed])), ..TicketFilter::default() }
    }

    fn to_feature(&self, t: &Ticket) -> geojson::Feature {
        let category = self.reference.category(&t.category);
        let now = chrono::Utc::now();
        let area = t.area.as_ref().and_then(|a| self.reference.areas.get(a, now));
        let text = |s: Option<&String>| s.map_or(Value::Null, |s| s.clone().into());
        let mut p = Map::new();
        p.insert("code".into(), t.code.as_str().into());
        p.insert("category".into(), t.category.as_str().into());
        p.insert("category_name".into(), text(category.map(|c| &c.name_vi)));
        p.insert("category_name_en".into(), text(category.map(|c| &c.name_en)));
        p.insert("status".into(), crate::store::codec::enum_str(&t.status).into());
        p.insert("area".into(), t.area.as_ref().map_or(Value::Null, |a| a.as_str().into()));
        p.insert("area_name".into(), text(area.map(|a| &a.name)));
        p.insert("received_at".into(), super::time::rfc3339(t.received_at).into());
        p.insert("resolved_at".into(), t.resolved_at.map_or(Value::Null, |r| super::time::rfc3339(r).into()));
        let result = t.result.as_deref().map(|r| crate::domain::privacy::redact(r).into_owned());
        p.insert("result".into(), text(result.as_ref()));
        let point = geojson::Value::Point(vec![t.location.lon, t.location.lat]);
        feature(t.code.as_str().to_owned(), point, p)
    }
}

fn timing(e: &EntryRef<'_>) -> Interval {
    Interval::between(Some(e.received_at()), Some(e.resolved_at().unwrap_or(e.received_at())))
}

#[async_trait]
impl FeatureCollectionSource for Tickets {
    fn id(&self) -> String {
        "tickets".into()
    }

    fn title(&self) -> String {
        "Phản ánh đã xử lý / Published reports".into()
    }

    fn description(&self) -> String {
        "Phản ánh của người dân đã có kết quả xử lý công khai (không có thông tin cá nhân). Citizens' reports \
         with a published result: category, status, area, dates and result; no personal data."
            .into()
    }

    fn extent(&self) -> Extent {
        let index = self.tickets.index.read().expect("index lock");
        let entries = index.query(&Region::All, &Self::published());
        let point = |e: &EntryRef<'_>| BBox {
            min_lon: e.location().lon,
            min_lat: e.location().lat,
            max_lon: e.location().lon,
            max_lat: e.location().lat,
        };
        let start = entries.iter().map(|e| e.received_at()).min();
        let end = entries.iter().filter_map(|e| e.resolved_at()).max();
        Extent {
            bbox: union(entries.iter().map(point)),
            interval: start.map(|s| Interval::between(Some(s), end.or(Some(s)))),
        }
    }

    async fn items(&self, q: &ItemsQuery) -> ServiceResult<Items> {
        let (ids, number_matched): (Vec<TicketId>, usize) = {
            let index = self.tickets.index.read().expect("index lock");
            let region = q.bbox.map_or(Region::All, Region::BBox);
            let mut hits: Vec<EntryRef<'_>> = index
                .query(&region, &Self::published())
                .into_iter()
                .filter(|e| q.datetime.is_none_or(|t| timing(e).intersects(&t)))
                .collect();
            hits.sort_unstable_by_key(|e| (e.received_at(), e.id()));
            let ids = hits.iter().skip(q.offset).take(q.limit).map(|e| e.id()).collect();
            (ids, hits.len())
        };
        let tickets = self.tickets.store.tickets_by_ids(&ids).await?;
        // A ticket reopened since the index was read is no longer published.
        let features = tickets
            .iter()
            .filter(|t| matches!(t.status, Status::Resolved | Status::Closed))
            .map(|t| self.to_feature(t))
            .collect();
        Ok(Items { features, number_matched })
    }

    async fn item(&self, id: &str) -> ServiceResult<Option<geojson::Feature>> {
        if id.len() > 32 {
            return Ok(None);
        }
        let t = self.tickets.store.ticket_by_code(&TicketCode(id.to_owned())).await?;
        Ok(t.filter(|t| matches!(t.status, Status::Resolved | Status::Closed)).map(|t| self.to_feature(&t)))
    }
}
