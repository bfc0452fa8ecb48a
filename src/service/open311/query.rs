//! `GET requests` and `GET servicerequestupdates`: their parameters, the defaults of the
//! specification (the last 90 days, at most 1 000 results) and the widely used `page` /
//! `page_size` extension. Listing runs in the R-tree index; the store is read by id.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use super::ServiceRequest;
use crate::domain::w3c::{self, DayEdge};
use crate::domain::{CategoryCode, Status, TicketCode, TicketId, ValidationErrors};
use crate::service::{Open311, ServiceError, ServiceResult};
use crate::spatial::{Order, Region, TicketFilter};

/// Longest span of a date window, and the default window back from now.
pub const MAX_SPAN_DAYS: i64 = 90;
/// Default and largest number of results per response (`page_size`).
pub const MAX_RESULTS: usize = 1000;

/// Query parameters as sent (empty values count as absent, as the specification says).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct RequestParams {
    pub service_request_id: Option<String>,
    pub service_code: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: Option<String>,
    pub page: Option<String>,
    pub page_size: Option<String>,
}

/// A date window, both ends inclusive, and a page of the results.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// From 1.
    pub page: usize,
    pub page_size: usize,
}

impl Window {
    pub fn offset(&self) -> usize {
        (self.page - 1).saturating_mul(self.page_size)
    }
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The date window and page of `p`: without dates, the last 90 days up to `now`; with one
/// end, 90 days from or to it; with both, at most 90 days apart.
pub fn window(p: &RequestParams, now: DateTime<Utc>) -> Result<Window, ValidationErrors> {
    let mut errs = ValidationErrors::new();
    let mut date = |v: &Option<String>, field: &str, edge| {
        let s = given(v)?;
        let t = w3c::parse(s, edge);
        if t.is_none() {
            errs.push(field, format!("{s:?} is not a W3C date-time such as 2026-11-05T00:00:00+07:00"));
        }
        t
    };
    let start = date(&p.start_date, "start_date", DayEdge::Start);
    let end = date(&p.end_date, "end_date", DayEdge::End);
    let span = Duration::days(MAX_SPAN_DAYS);
    let (from, to) = match (start, end) {
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) => (s, s + span),
        (None, Some(e)) => (e - span, e),
        (None, None) => (now - span, now),
    };
    if start.is_some() && end.is_some() {
        if from > to {
            errs.push("end_date", "must not be before start_date");
        } else if to - from > span {
            errs.push("end_date", format!("start_date and end_date may not span more than {MAX_SPAN_DAYS} days"));
        }
    }
    let mut number = |v: &Option<String>, field: &str, max: usize, default: usize| match given(v) {
        None => default,
        Some(s) => match s.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                errs.push(field, format!("must be a whole number from 1 to {max}"));
                default
            }
        },
    };
    let page = number(&p.page, "page", 1_000_000, 1);
    let page_size = number(&p.page_size, "page_size", MAX_RESULTS, MAX_RESULTS);
    errs.into_result().map(|_| Window { from, to, page, page_size })
}

/// A `service_request_id` as a ticket code (any case), if it can be one.
pub fn request_code(raw: &str) -> Option<TicketCode> {
    let s = raw.trim();
    let ok = (1..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    ok.then(|| TicketCode(s.to_ascii_uppercase()))
}

/// A comma-separated list, without empty items.
fn items(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty())
}

impl Open311 {
    /// `GET requests`: `service_request_id` (a comma list) overrides every other parameter and
    /// answers those found, in the order asked; otherwise the tickets received in the window,
    /// of the `service_code`s and `status`es asked, newest first, one page.
    pub async fn open311_requests(&self, p: &RequestParams) -> ServiceResult<Vec<ServiceRequest>> {
        if let Some(ids) = given(&p.service_request_id) {
            let codes: Vec<&str> = items(ids).collect();
            if codes.len() > MAX_RESULTS {
                let msg = format!("at most {MAX_RESULTS} ids at once");
                return Err(ValidationErrors::single("service_request_id", msg).into());
            }
            let mut tickets = Vec::new();
            for code in codes.iter().filter_map(|c| request_code(c)) {
                if let Some(t) = self.tickets.store.ticket_by_code(&code).await?
                    && !tickets.iter().any(|x: &crate::domain::Ticket| x.id == t.id)
                {
                    tickets.push(t);
                }
            }
            return self.service_requests(tickets).await;
        }
        let reference = self.tickets.reference();
        let mut errs = ValidationErrors::new();
        let w = errs.take(window(p, self.tickets.now()));
        let mut categories = HashSet::new();
        for c in given(&p.service_code).map(items).into_iter().flatten() {
            match CategoryCode::parse(c, "service_code").ok().filter(|c| reference.category(c).is_some()) {
                Some(code) => {
                    categories.insert(code);
                }
                None => errs.push("service_code", format!("{c:?} is not a service; see services.json")),
            }
        }
        let mut statuses = HashSet::new();
        for s in given(&p.status).map(items).into_iter().flatten() {
            match s.to_ascii_lowercase().as_str() {
                "open" => statuses.extend(Status::ALL.into_iter().filter(|s| s.is_open())),
                "closed" => statuses.extend(Status::ALL.into_iter().filter(|s| !s.is_open())),
                _ => errs.push("status", format!("{s:?} is not a status: use open or closed")),
            }
        }
        errs.into_result()?;
        let w = w.expect("validated");
        let filter = TicketFilter {
            statuses: (!statuses.is_empty()).then_some(statuses),
            categories: (!categories.is_empty()).then_some(categories),
            received_from: Some(w.from),
            // The filter's end is exclusive; times are kept to the microsecond.
            received_to: Some(w.to + Duration::microseconds(1)),
            ..TicketFilter::default()
        };
        let ids: Vec<TicketId> = {
            let index = self.tickets.index.read().expect("index lock");
            let hits = index.page(&Region::All, &filter, None, w.offset() + w.page_size, Order::NewestFirst);
            hits.into_iter().skip(w.offset()).map(|e| e.id()).collect()
        };
        let tickets = self.tickets.store.tickets_by_ids(&ids).await?;
        self.service_requests(tickets).await
    }

    /// `GET requests/{id}`: one request by its `service_request_id`.
    pub async fn open311_request(&self, id: &str) -> ServiceResult<ServiceRequest> {
        let not_found = || ServiceError::NotFound(format!("service_request_id {id:?}"));
        let code = request_code(id).ok_or_else(not_found)?;
        let t = self.tickets.store.ticket_by_code(&code).await?.ok_or_else(not_found)?;
        self.service_requests(vec![t]).await?.pop().ok_or_else(not_found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(start: Option<&str>, end: Option<&str>) -> RequestParams {
        RequestParams {
            start_date: start.map(str::to_owned),
            end_date: end.map(str::to_owned),
            ..RequestParams::default()
        }
    }

    #[test]
    fn the_window_defaults_to_the_last_90_days_and_1000_results() {
        let now = w3c::parse("2026-11-20T12:00:00Z", DayEdge::Start).unwrap();
        let w = window(&params(None, Some("")), now).unwrap();
        assert_eq!((w.from, w.to, w.page, w.page_size), (now - Duration::days(90), now, 1, 1000));
        let start = w3c::parse("2026-01-01T00:00:00Z", DayEdge::Start).unwrap();
        let w = window(&params(Some("2026-01-01T00:00:00Z"), None), now).unwrap();
        assert_eq!((w.from, w.to), (start, start + Duration::days(90)));
        let w = window(&params(None, Some("2026-01-01T00:00:00Z")), now).unwrap();
        assert_eq!((w.from, w.to), (start - Duration::days(90), start));
    }

    #[test]
    fn a_window_over_90_days_or_backwards_is_refused() {
        let now = Utc::now();
        let err = window(&params(Some("2026-01-01T00:00:00Z"), Some("2026-06-01T00:00:00Z")), now).unwrap_err();
        assert_eq!(err.0[0].field, "end_date");
        assert!(window(&params(Some("2026-02-01"), Some("2026-01-01")), now).is_err());
        assert!(window(&params(Some("2026-01-01"), Some("2026-03-31")), now).is_ok());
        let err = window(&params(Some("hôm qua"), None), now).unwrap_err();
        assert_eq!(err.0[0].field, "start_date");
        let bad_page = RequestParams { page: Some("0".into()), page_size: Some("1001".into()), ..params(None, None) };
        let fields: Vec<_> = window(&bad_page, now).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["page", "page_size"]);
    }

    #[test]
    fn request_ids_are_codes_in_any_case() {
        assert_eq!(request_code(" dn-2611-000123 ").unwrap().0, "DN-2611-000123");
        assert!(request_code("DN 2611").is_none());
        assert!(request_code("").is_none());
    }
}
