//! `POST requests`: an Open311 submission checked against its service's definition, located
//! (coordinates, or a named place in `address_string`), and filed through the common intake
//! ([`Services::intake`]: routing, areas, deadline, one transaction with its event).

use std::collections::BTreeMap;

use serde::Serialize;

use super::service_notice;
use crate::domain::attribute::{answer, parse_media_url};
use crate::domain::{CategoryCode, Location, Principal, ReporterContact, TicketExtras, ValidationErrors};
use crate::service::gazetteer::Gazetteer;
use crate::service::tickets::TicketInput;
use crate::service::{Open311, ServiceError, ServiceResult};

/// Longest `device_id` / `account_id` accepted.
const MAX_ID_CHARS: usize = 200;

/// The form fields of `POST requests`, as sent (empty values count as absent).
#[derive(Debug, Default, Clone)]
pub struct Submission {
    pub service_code: Option<String>,
    pub lat: Option<String>,
    pub long: Option<String>,
    pub address_string: Option<String>,
    pub address_id: Option<String>,
    pub email: Option<String>,
    pub device_id: Option<String>,
    pub account_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub description: Option<String>,
    pub media_url: Option<String>,
    /// `attribute[code]` and `attribute[code][]` values, by code.
    pub attributes: BTreeMap<String, Vec<String>>,
}

/// The answer to `POST requests`.
#[derive(Debug, Serialize)]
pub struct Submitted {
    pub service_request_id: String,
    pub service_notice: String,
    pub account_id: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The Open311 parameter behind a field of the common intake.
fn open311_field(field: &str) -> &str {
    match field {
        "category" => "service_code",
        "location.lon" => "long",
        "location.lat" => "lat",
        "location" => "lat/long",
        "address" => "address_string",
        "reporter.name" => "first_name/last_name",
        "reporter.phone" => "phone",
        "reporter.email" => "email",
        other => other,
    }
}

fn number(v: Option<&str>, field: &str, errs: &mut ValidationErrors) -> Option<f64> {
    let s = v?;
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            errs.push(field, format!("{s:?} is not a number"));
            None
        }
    }
}

impl Open311 {
    /// Files an Open311 submission by `p` (an `open311` API key). An unknown `service_code`
    /// is a [`ServiceError::NotFound`]; bad fields are a validation error naming the Open311
    /// parameters (`long`, `attribute[volume_m3]`, …). `device_id` and `account_id` are
    /// checked but not kept (the reporter's contact is name, phone and email).
    pub async fn open311_submit(&self, s: Submission, p: &Principal) -> ServiceResult<Submitted> {
        let reference = self.tickets.reference();
        let Some(code) = given(&s.service_code) else {
            return Err(ValidationErrors::single("service_code", "is required; see services.json").into());
        };
        let not_found = || ServiceError::NotFound(format!("service_code {code:?}"));
        let code = CategoryCode::parse(code, "service_code").map_err(|_| not_found())?;
        let category = reference.category(&code).ok_or_else(not_found)?.clone();

        let mut errs = ValidationErrors::new();
        let (lat, long) = (given(&s.lat), given(&s.long));
        let address = given(&s.address_string).map(str::to_owned);
        let location = match (lat, long) {
            (Some(_), Some(_)) => {
                let (lat, long) = (number(lat, "lat", &mut errs), number(long, "long", &mut errs));
                match (lat, long) {
                    (Some(lat), Some(lon)) => Some(Location { lon, lat }),
                    _ => None,
                }
            }
            (Some(_), None) | (None, Some(_)) => {
                errs.push(if lat.is_some() { "long" } else { "lat" }, "lat and long go together");
                None
            }
            (None, None) => match (address.as_deref(), given(&s.address_id)) {
                (Some(a), _) => match Gazetteer::embedded().locate(a) {
                    Some(place) => Some(place.location),
                    None => {
                        errs.push(
                            "address_string",
                            "names no place we know; send lat and long (WGS84) with the address",
                        );
                        None
                    }
                },
                (None, Some(_)) => {
                    errs.push("address_id", "address ids are not used here; send lat and long, or an address_string");
                    None
                }
                (None, None) => {
                    errs.push("lat/long", "a location is required: lat and long, or an address_string naming a place");
                    None
                }
            },
        };
        let media_url = errs.take(parse_media_url(s.media_url.as_deref().unwrap_or(""), "media_url")).flatten();
        let attributes = errs.take(answer(&category.attributes, &s.attributes)).unwrap_or_default();
        for (v, field) in [(&s.device_id, "device_id"), (&s.account_id, "account_id")] {
            if given(v).is_some_and(|x| x.chars().count() > MAX_ID_CHARS || x.chars().any(char::is_control)) {
                errs.push(field, format!("must be one line of at most {MAX_ID_CHARS} characters"));
            }
        }
        let Some(location) = location.filter(|_| errs.is_empty()) else {
            return Err(errs.into_result().err().unwrap_or_default().into());
        };
        // Vietnamese names put the family name first: "Nguyễn Văn" + "An".
        let name = [given(&s.last_name), given(&s.first_name)].into_iter().flatten().collect::<Vec<_>>().join(" ");
        let input = TicketInput {
            category: code.to_string(),
            description: given(&s.description).map_or_else(|| category.name_vi.clone(), str::to_owned),
            location,
            address,
            channel: None,
            priority: None,
            reporter: Some(ReporterContact {
                name: (!name.is_empty()).then_some(name),
                phone: given(&s.phone).map(str::to_owned),
                email: given(&s.email).map(str::to_owned),
            }),
            // The Open311 client collected the contact under its own terms of use.
            consent: None,
        };
        let extras = TicketExtras { media_url, attributes };
        // A request under the triage category is sorted by the suggester when it is confident.
        let mut input = input;
        let triage = match &self.categories {
            Some(c) if code.as_str() == crate::service::categorizer::TRIAGE => c.triage(&input.description),
            _ => None,
        };
        if let Some(t) = &triage {
            input.category = t.category.to_string();
        }
        let note = triage.map(|t| t.note);
        let created = self.tickets.intake_noted(input, p, None, extras, note).await.map_err(|e| match e {
            ServiceError::Validation(v) => ServiceError::Validation(ValidationErrors(
                v.0.into_iter()
                    .map(|mut f| {
                        f.field = open311_field(&f.field).to_owned();
                        f
                    })
                    .collect(),
            )),
            other => other,
        })?;
        let days = reference.deadline_days(&created.view.ticket.category, self.tickets.rules.default_deadline_days);
        Ok(Submitted {
            service_request_id: created.view.ticket.code.0,
            service_notice: service_notice(days),
            account_id: given(&s.account_id).map(str::to_owned),
        })
    }
}
