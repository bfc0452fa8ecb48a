//! Listing and searching tickets through the R-tree, and live counts per area.
//!
//! Queries run against the in-memory index (so both stores behave the same); the index yields
//! ids and versions, and the tickets themselves are read from the store unless they were read
//! at that version lately ([`super::rows::TicketRows`]).

use std::collections::{HashMap, HashSet};

use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::tickets::TicketView;
use super::{ServiceError, ServiceResult, Tickets};
use crate::domain::Scope;
use crate::domain::{AreaCode, BBox, CategoryCode, Location, Principal, Status, TicketId, UnitCode, ValidationErrors};
use crate::spatial::{Order, Region, TicketFilter};

/// Default and largest page sizes.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 500;
/// Largest radius for `near` queries, in metres.
pub const MAX_RADIUS_M: f64 = 50_000.0;

/// Query parameters of `GET /api/v1/tickets`, as raw strings (parsed by [`ListParams::parse`]).
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `minLon,minLat,maxLon,maxLat` (WGS84 degrees; edges inclusive).
    pub bbox: Option<String>,
    /// `lon,lat`: only tickets within `radius` metres of this point.
    pub near: Option<String>,
    /// Radius in metres for `near` (default 500, at most 50 000).
    pub radius: Option<String>,
    /// Comma-separated area codes (an area includes everything below it).
    pub area: Option<String>,
    /// Comma-separated statuses.
    pub status: Option<String>,
    /// Comma-separated category codes.
    pub category: Option<String>,
    /// Comma-separated unit codes.
    pub unit: Option<String>,
    /// Received at or after this RFC 3339 instant.
    pub received_from: Option<String>,
    /// Received before this RFC 3339 instant.
    pub received_to: Option<String>,
    /// `true`: only tickets open past their deadline now.
    pub overdue: Option<String>,
    /// Page size (default 50, at most 500).
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A parsed listing query.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub region: Region,
    pub filter: TicketFilter,
    /// Area codes asked for (before expansion), to check against a leader's scope.
    pub areas: Vec<AreaCode>,
    pub limit: usize,
    pub after: Option<(i64, TicketId)>,
}

fn list<T>(
    s: &Option<String>,
    field: &str,
    errs: &mut ValidationErrors,
    parse: impl Fn(&str, &str) -> Result<T, ValidationErrors>,
) -> Vec<T> {
    let Some(s) = s else { return Vec::new() };
    s.split(',').map(str::trim).filter(|x| !x.is_empty()).filter_map(|x| errs.take(parse(x, field))).collect()
}

fn instant(s: &Option<String>, field: &str, errs: &mut ValidationErrors) -> Option<DateTime<Utc>> {
    let s = s.as_deref()?;
    match DateTime::parse_from_rfc3339(s) {
        Ok(t) => Some(t.with_timezone(&Utc)),
        Err(_) => {
            errs.push(field, "must be an RFC 3339 instant, e.g. 2026-11-02T08:00:00+07:00");
            None
        }
    }
}

fn number(s: &Option<String>, field: &str, errs: &mut ValidationErrors) -> Option<f64> {
    let s = s.as_deref()?;
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            errs.push(field, "must be a number");
            None
        }
    }
}

fn set<T: std::hash::Hash + Eq>(v: Vec<T>) -> Option<HashSet<T>> {
    (!v.is_empty()).then(|| v.into_iter().collect())
}

/// Encodes a page position: the last item's receipt time (µs) and id.
pub fn encode_cursor(received_at: DateTime<Utc>, id: TicketId) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{}:{}", received_at.timestamp_micros(), id))
}

fn decode_cursor(s: &str) -> Option<(i64, TicketId)> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (micros, id) = text.split_once(':')?;
    Some((micros.parse().ok()?, TicketId::parse(id, "cursor").ok()?))
}

impl ListParams {
    pub fn parse(&self, now: DateTime<Utc>) -> Result<ListQuery, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let bbox = self.bbox.as_deref().and_then(|b| errs.take(BBox::parse(b, "bbox")));
        let near = self.near.as_deref().and_then(|n| {
            let parts: Vec<&str> = n.split(',').collect();
            match parts.as_slice() {
                [lon, lat] => match (lon.trim().parse::<f64>(), lat.trim().parse::<f64>()) {
                    (Ok(lon), Ok(lat)) => errs.take(Location::parse(lon, lat, "near.")),
                    _ => {
                        errs.push("near", "must be lon,lat in degrees");
                        None
                    }
                },
                _ => {
                    errs.push("near", "must be lon,lat in degrees");
                    None
                }
            }
        });
        let radius = number(&self.radius, "radius", &mut errs).unwrap_or(500.0);
        if !(radius > 0.0 && radius <= MAX_RADIUS_M) {
            errs.push("radius", format!("must be more than 0 and at most {MAX_RADIUS_M} metres"));
        }
        if self.radius.is_some() && self.near.is_none() {
            errs.push("radius", "goes with near=lon,lat");
        }
        let region = match (bbox, near) {
            (Some(_), Some(_)) => {
                errs.push("near", "use either bbox or near, not both");
                Region::All
            }
            (Some(b), None) => Region::BBox(b),
            (None, Some(c)) => Region::Near { center: c, radius_m: radius },
            (None, None) => Region::All,
        };
        let areas = list(&self.area, "area", &mut errs, AreaCode::parse);
        let statuses = list(&self.status, "status", &mut errs, Status::parse);
        let categories = list(&self.category, "category", &mut errs, CategoryCode::parse);
        let units = list(&self.unit, "unit", &mut errs, UnitCode::parse);
        let received_from = instant(&self.received_from, "received_from", &mut errs);
        let received_to = instant(&self.received_to, "received_to", &mut errs);
        let overdue = match self.overdue.as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                errs.push("overdue", "must be true or false");
                false
            }
        };
        let limit = match self.limit.as_deref().map(str::parse::<usize>) {
            None => DEFAULT_LIMIT,
            Some(Ok(n)) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(_) => {
                errs.push("limit", format!("must be an integer from 1 to {MAX_LIMIT}"));
                DEFAULT_LIMIT
            }
        };
        let after = match self.cursor.as_deref() {
            None => None,
            Some(c) => {
                let d = decode_cursor(c);
                if d.is_none() {
                    errs.push("cursor", "is not a cursor this server gave out");
                }
                d
            }
        };
        errs.into_result()?;
        let filter = TicketFilter {
            statuses: set(statuses),
            categories: set(categories),
            areas: None,
            units: set(units),
            received_from,
            received_to,
            overdue_at: overdue.then_some(now),
            open_only: false,
        };
        Ok(ListQuery { region, filter, areas, limit, after })
    }
}

/// One page of tickets, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TicketPage {
    pub items: Vec<TicketView>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// An open ticket near a point, with its distance.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NearbyTicket {
    #[serde(flatten)]
    pub view: TicketView,
    /// Great-circle distance from the point asked about, in metres.
    pub distance_m: f64,
}

impl Tickets {
    /// Lists tickets `p` may see, newest first, one page at a time.
    pub async fn list_tickets(&self, mut q: ListQuery, p: &Principal) -> ServiceResult<TicketPage> {
        let reference = self.reference();
        let scope = self.narrow(&mut q, p, &reference)?;
        let (ids, next) = {
            let index = self.index.read().expect("index lock");
            let page = index.page(&q.region, &q.filter, q.after, q.limit + 1, Order::NewestFirst);
            let next = (page.len() > q.limit).then(|| {
                let last = page[q.limit - 1];
                encode_cursor(last.received_at(), last.id())
            });
            (page.iter().take(q.limit).map(|e| (e.id(), e.version())).collect::<Vec<_>>(), next)
        };
        let tickets = self.rows.read(&*self.store, &ids).await?;
        let items =
            tickets.into_iter().filter(|t| scope.allows(t)).map(|t| self.view(t, p, &reference, None)).collect();
        Ok(TicketPage { items, next_cursor: next })
    }

    /// Narrows `q` to what `p` may see (a leader's areas, an agency's units) and returns that
    /// scope; a leader asking for areas outside theirs is refused.
    pub(super) fn narrow(
        &self,
        q: &mut ListQuery,
        p: &Principal,
        reference: &super::Reference,
    ) -> ServiceResult<Scope> {
        let scope = self.scope(p, reference).ok_or_else(|| ServiceError::Forbidden("staff only".into()))?;
        if !q.areas.is_empty() {
            let asked = reference.area_descendants(&q.areas);
            if let Scope::Areas(allowed) = &scope
                && !asked.is_subset(allowed)
            {
                return Err(ServiceError::OutOfScope("you may only list tickets of your own areas".into()));
            }
            q.filter.areas = Some(asked);
        }
        match &scope {
            Scope::All => {}
            Scope::Areas(a) => {
                q.filter.areas = Some(q.filter.areas.take().map_or_else(|| a.clone(), |x| &x & a));
            }
            Scope::Units(u) => {
                q.filter.units = Some(q.filter.units.take().map_or_else(|| u.clone(), |x| &x & u));
            }
        }
        Ok(scope)
    }

    /// Open tickets within `radius_m` of `center` received in the last `days` days, nearest
    /// first (the duplicate check while taking a call).
    pub async fn nearby(
        &self,
        center: Location,
        radius_m: f64,
        category: Option<CategoryCode>,
        days: u32,
        limit: usize,
        p: &Principal,
    ) -> ServiceResult<Vec<NearbyTicket>> {
        let reference = self.reference();
        let scope = self.scope(p, &reference).ok_or_else(|| ServiceError::Forbidden("staff only".into()))?;
        let filter = TicketFilter {
            categories: category.map(|c| HashSet::from([c])),
            received_from: Some(self.now() - chrono::Duration::days(days as i64)),
            open_only: true,
            ..TicketFilter::default()
        };
        let hits: Vec<((TicketId, i64), f64)> = {
            let index = self.index.read().expect("index lock");
            let near = index.nearest(center, limit, &filter, Some(radius_m));
            near.into_iter().map(|(e, d)| ((e.id(), e.version()), d)).collect()
        };
        let ids: Vec<(TicketId, i64)> = hits.iter().map(|h| h.0).collect();
        let distance: HashMap<TicketId, f64> = hits.into_iter().map(|((id, _), d)| (id, d)).collect();
        let tickets = self.rows.read(&*self.store, &ids).await?;
        Ok(tickets
            .into_iter()
            .filter(|t| scope.allows(t))
            .map(|t| {
                let distance_m = distance[&t.id];
                NearbyTicket { view: self.view(t, p, &reference, None), distance_m }
            })
            .collect())
    }
}
