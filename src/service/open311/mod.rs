//! Open311 GeoReport v2 (`docs/open311.md`): the city's categories as services, tickets as
//! service requests, their public events as request updates. Only public data leaves here:
//! never a reporter's name, phone or email, and contact details typed into free text are
//! hidden ([`crate::domain::privacy`]).
//!
//! Ids: a request's `service_request_id` is its ticket code (`DN-2611-000123`), the number
//! citizens read out on the phone; a service's `service_code` is the category code.

pub mod intake;
pub mod query;
pub mod updates;

use std::collections::HashMap;

use serde::Serialize;

use std::sync::Arc;

use super::{Reference, ServiceError, ServiceResult, Tickets};
use crate::config::Open311Config;
use crate::domain::privacy::redact;
use crate::domain::{Category, CategoryCode, Datatype, Status, Ticket, TicketExtras, TicketId, UnitCode, w3c};

/// Open311 GeoReport v2 over the tickets: services, requests, updates. Cheap to clone.
#[derive(Clone)]
pub struct Open311 {
    tickets: Tickets,
    config: Arc<Open311Config>,
    /// Requests under `other` take the best suggestion above the threshold.
    categories: Option<crate::service::categorizer::Categories>,
}

impl Open311 {
    pub fn new(tickets: Tickets, config: Open311Config) -> Self {
        Self { tickets, config: Arc::new(config), categories: None }
    }

    /// Requests filed under `other` are sorted by `categories` (or left in triage).
    pub fn with_categories(mut self, categories: crate::service::categorizer::Categories) -> Self {
        self.categories = Some(categories);
        self
    }

    /// The endpoint's settings (jurisdiction, public base URL, limits).
    pub fn config(&self) -> &Open311Config {
        &self.config
    }
}

/// Open311's status of a ticket: `open` while it waits to be settled, `closed` after
/// (resolved, closed, rejected, duplicate).
pub fn public_status(s: Status) -> &'static str {
    if s.is_open() { "open" } else { "closed" }
}

/// One service in `GET services`.
#[derive(Debug, Serialize)]
pub struct ServiceInfo {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    pub metadata: bool,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub keywords: String,
    pub group: String,
}

/// `GET services/{code}`.
#[derive(Debug, Serialize)]
pub struct ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<AttributeInfo>,
}

#[derive(Debug, Serialize)]
pub struct AttributeInfo {
    pub variable: bool,
    pub code: String,
    pub datatype: Datatype,
    pub required: bool,
    /// The question in English (the `description` is Vietnamese).
    pub datatype_description: Option<String>,
    pub order: u32,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueInfo>,
}

#[derive(Debug, Serialize)]
pub struct ValueInfo {
    pub key: String,
    pub name: String,
}

/// One service request as Open311 shows it.
#[derive(Debug, Serialize)]
pub struct ServiceRequest {
    pub service_request_id: String,
    pub status: &'static str,
    pub status_notes: Option<String>,
    pub service_name: Option<String>,
    pub service_code: String,
    pub description: Option<String>,
    pub agency_responsible: Option<String>,
    pub service_notice: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    pub expected_datetime: Option<String>,
    pub address: Option<String>,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: f64,
    pub long: f64,
    pub media_url: Option<String>,
}

/// `GET tokens/{token}`.
#[derive(Debug, Serialize)]
pub struct TokenInfo {
    pub service_request_id: String,
    pub token: String,
}

/// "Settled within N working days", in Vietnamese and English.
pub fn service_notice(days: u32) -> String {
    format!("Thời hạn xử lý: {days} ngày làm việc / To be settled within {days} working days")
}

fn service_info(c: &Category) -> ServiceInfo {
    let (field_vi, field_en) = c.field.names();
    let field_code = serde_json::to_value(c.field).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    ServiceInfo {
        service_code: c.code.to_string(),
        service_name: c.name_vi.clone(),
        description: format!("{} — {field_en}", c.name_en),
        metadata: !c.attributes.is_empty(),
        kind: "realtime",
        keywords: [field_vi, field_en, field_code.as_str(), c.name_en.as_str()].join(", "),
        group: field_vi.to_owned(),
    }
}

/// What a ticket's status means, in Vietnamese then English, with the result or the original
/// of a duplicate where there is one.
fn status_notes(t: &Ticket, r: &Reference, duplicate_code: Option<&str>) -> String {
    let unit = |vi: bool| {
        t.unit.as_ref().and_then(|u| r.unit(u)).map(|u| if vi { u.name_vi.clone() } else { u.name_en.clone() })
    };
    let (vi, en) = match t.status {
        Status::Received => ("Đã tiếp nhận, đang chờ chuyển đơn vị xử lý".into(), "Received, to be forwarded".into()),
        Status::Assigned => (
            format!("Đã chuyển đến {}", unit(true).unwrap_or_else(|| "đơn vị xử lý".into())),
            format!("Forwarded to {}", unit(false).unwrap_or_else(|| "the responsible unit".into())),
        ),
        Status::Accepted => ("Đơn vị xử lý đã tiếp nhận".into(), "Accepted by the responsible unit".into()),
        Status::InProgress => ("Đang xử lý".into(), "In progress".into()),
        Status::Returned => ("Đang chuyển lại đơn vị phù hợp".into(), "Being re-routed to the right unit".into()),
        Status::Resolved => ("Đã xử lý xong".into(), "Resolved".into()),
        Status::Closed => ("Đã hoàn thành".into(), "Closed".into()),
        Status::Rejected => ("Không thuộc phạm vi tiếp nhận".into(), "Rejected".into()),
        Status::Duplicate => match duplicate_code {
            Some(code) => (format!("Trùng với phản ánh {code}"), format!("Duplicate of {code}")),
            None => ("Trùng với một phản ánh khác".into(), "Duplicate of another report".into()),
        },
    };
    match t.result.as_deref().filter(|_| matches!(t.status, Status::Resolved | Status::Closed)) {
        Some(result) => format!("{vi}: {} / {en}", redact(result)),
        None => format!("{vi} / {en}"),
    }
}

impl Open311 {
    /// Checks `jurisdiction_id`: optional (one jurisdiction is served), but if given it must be
    /// the configured one.
    pub fn check_jurisdiction(&self, jurisdiction_id: Option<&str>) -> ServiceResult<()> {
        match jurisdiction_id.map(str::trim).filter(|j| !j.is_empty()) {
            Some(j) if !j.eq_ignore_ascii_case(&self.config.jurisdiction_id) => {
                Err(ServiceError::NotFound(format!("jurisdiction_id {j:?}")))
            }
            _ => Ok(()),
        }
    }

    /// Every category as an Open311 service, by code.
    pub fn open311_services(&self) -> Vec<ServiceInfo> {
        self.tickets.reference().categories.iter().map(service_info).collect()
    }

    /// A category's questions (an empty list for a category without any).
    pub fn open311_service_definition(&self, code: &str) -> ServiceResult<ServiceDefinition> {
        let reference = self.tickets.reference();
        let not_found = || ServiceError::NotFound(format!("service_code {code:?}"));
        let code = CategoryCode::parse(code, "service_code").map_err(|_| not_found())?;
        let c = reference.category(&code).ok_or_else(not_found)?;
        let mut attrs: Vec<_> = c.attributes.iter().collect();
        attrs.sort_by_key(|a| a.order);
        let attributes = attrs
            .into_iter()
            .map(|a| AttributeInfo {
                variable: true,
                code: a.code.clone(),
                datatype: a.datatype,
                required: a.required,
                datatype_description: Some(a.description_en.clone()),
                order: a.order,
                description: a.description.clone(),
                values: a.values.iter().map(|v| ValueInfo { key: v.key.clone(), name: v.name.clone() }).collect(),
            })
            .collect();
        Ok(ServiceDefinition { service_code: code.to_string(), attributes })
    }

    /// The Open311 views of `tickets`, in their order: public fields only, the media URL from
    /// the ticket's extras, the unit's Vietnamese name as the agency.
    pub async fn service_requests(&self, tickets: Vec<Ticket>) -> ServiceResult<Vec<ServiceRequest>> {
        let reference = self.tickets.reference();
        let ids: Vec<TicketId> = tickets.iter().map(|t| t.id).collect();
        let extras: HashMap<TicketId, TicketExtras> =
            self.tickets.store.ticket_extras(&ids).await?.into_iter().collect();
        let originals: Vec<TicketId> = tickets.iter().filter_map(|t| t.duplicate_of).collect();
        let codes: HashMap<TicketId, String> =
            self.tickets.store.tickets_by_ids(&originals).await?.into_iter().map(|t| (t.id, t.code.0)).collect();
        let default_days = self.tickets.rules.default_deadline_days;
        Ok(tickets
            .into_iter()
            .map(|t| {
                let category = reference.category(&t.category);
                let agency = t.unit.as_ref().and_then(|u: &UnitCode| reference.unit(u)).map(|u| u.name_vi.clone());
                let duplicate = t.duplicate_of.and_then(|d| codes.get(&d)).map(String::as_str);
                let updated = t.closed_at.or(t.resolved_at).filter(|_| !t.status.is_open()).unwrap_or(t.updated_at);
                ServiceRequest {
                    service_request_id: t.code.0.clone(),
                    status: public_status(t.status),
                    status_notes: Some(status_notes(&t, &reference, duplicate)),
                    service_name: category.map(|c| c.name_vi.clone()),
                    service_code: t.category.to_string(),
                    description: Some(redact(&t.description).into_owned()),
                    agency_responsible: agency,
                    service_notice: Some(service_notice(reference.deadline_days(&t.category, default_days))),
                    requested_datetime: w3c::format(t.received_at),
                    updated_datetime: w3c::format(updated),
                    expected_datetime: Some(w3c::format(t.deadline)),
                    address: t.address.as_deref().map(|a| redact(a).into_owned()),
                    address_id: None,
                    zipcode: None,
                    lat: t.location.lat,
                    long: t.location.lon,
                    media_url: extras.get(&t.id).and_then(|e| e.media_url.clone()),
                }
            })
            .collect())
    }

    /// `GET tokens/{token}`: our services are `realtime`, so a request is answered with its id
    /// at once; a token is still resolved per the specification, as the ticket's internal id
    /// (the UUID of `/api/v1`) or its `service_request_id`.
    pub async fn open311_token(&self, token: &str) -> ServiceResult<TokenInfo> {
        let token = token.trim();
        let ticket = match TicketId::parse(token, "token") {
            Ok(id) => self.tickets.store.ticket(id).await?,
            Err(_) => match query::request_code(token) {
                Some(code) => self.tickets.store.ticket_by_code(&code).await?,
                None => None,
            },
        };
        let t = ticket.ok_or_else(|| ServiceError::NotFound(format!("token {token:?}")))?;
        Ok(TokenInfo { service_request_id: t.code.0, token: token.to_owned() })
    }
}
