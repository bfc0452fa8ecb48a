//! The fuzz targets: every parser that takes outside input, as a function of raw bytes that
//! runs the same code the server or the importer runs on them. Driven by the coverage-guided
//! fuzzer in `tests/fuzz` (`make fuzz`) and, on every `make test`, by `tests/it/fuzz.rs`,
//! which replays the committed corpus and a batch of mutated inputs. A target may return an
//! error for any input; it must never panic, hang or allocate without bound.
//!
//! When a new parser of outside input arrives (a PBX event, a chat message, a booking), it
//! gets a function here, an entry in [`TARGETS`], a seed directory in `tests/fuzz/corpus/` and
//! a file in `tests/fuzz/fuzz_targets/`.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::{TimeZone, Utc};
use serde::de::DeserializeOwned;

use crate::domain::camera::CameraInput;
use crate::domain::staff::StaffContact;
use crate::domain::{Action, Location, privacy};
use crate::http::json::parse_json;
use crate::http::open311::form::Params;
use crate::import::{ImportAreasOptions, ImportPlanningOptions, geometry, gpkg, parse_areas, parse_planning, shp};
use crate::intake::{adapters, signature};
use crate::live::protocol;
use crate::media::{MediaLimits, process};
use crate::service::filing::TicketBatch;
use crate::service::open311::query;
use crate::service::tickets::TicketInput;

/// A fuzz target: runs a parser on raw bytes.
pub type Target = fn(&[u8]);

/// Every target, by the name of its corpus directory and fuzz binary.
pub const TARGETS: &[(&str, Target)] = &[
    ("geojson_areas", geojson_areas),
    ("geojson_planning", geojson_planning),
    ("geojson_cameras", geojson_cameras),
    ("shapefile", shapefile),
    ("gpkg_geometry", gpkg_geometry),
    ("open311_form", open311_form),
    ("api_json", api_json),
    ("webhooks", webhooks),
    ("live_message", live_message),
    ("photo", photo),
    ("redact", redact),
    ("procedures", procedures),
    ("categorizer", categorizer),
    ("pbx", pbx),
    ("appointments", appointments),
];

/// The server's body limit: no parser sees more.
const MAX_INPUT: usize = 1 << 20;

/// At most the server's body limit of `data`.
fn bounded(data: &[u8]) -> &[u8] {
    &data[..data.len().min(MAX_INPUT)]
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(bounded(data)).ok()
}

/// Splits off the first byte (a selector) from the rest.
fn split(data: &[u8]) -> Option<(u8, &[u8])> {
    data.split_first().map(|(a, b)| (*a, b))
}

/// `switchboard import areas` of a GeoJSON file.
pub fn geojson_areas(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let opts =
        ImportAreasOptions { parent_field: Some("parent".into()), ..ImportAreasOptions::new("ward", "code", "name") };
    let _ = parse_areas(text, &opts);
}

/// `switchboard import planning` of a GeoJSON file.
pub fn geojson_planning(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let at = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let _ = parse_planning(text, &ImportPlanningOptions::default(), at);
}

/// `switchboard import cameras` of a GeoJSON file.
pub fn geojson_cameras(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let base = url::Url::parse("http://cameras.example/").ok();
    let _ = crate::import::cameras::parse_cameras(text, base.as_ref());
}

/// A Shapefile: the first two bytes give the `.shp` part's length, the rest is the `.dbf`;
/// every feature then goes through the boundary check the import applies.
pub fn shapefile(data: &[u8]) {
    let Some(head) = data.get(..2) else { return };
    let cut = usize::from(u16::from_le_bytes([head[0], head[1]])).min(data.len() - 2);
    let (shp, dbf) = data[2..].split_at(cut);
    if let Ok(features) = shp::features_from_bytes(shp, dbf) {
        for f in features {
            let _ = geometry::boundary_from_geojson(f["geometry"].clone());
        }
    }
}

/// A GeoPackage geometry blob (the SQLite file around it is SQLite's to parse), then the
/// boundary check.
pub fn gpkg_geometry(data: &[u8]) {
    let _ = geometry::boundary_from_geojson(gpkg::geometry_json(data));
}

/// Open311 `POST requests` and `GET requests`: the query string up to the first newline, then
/// the form body; the submission, the listing window and the request id are read from them.
pub fn open311_form(data: &[u8]) {
    let (query, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };
    let Ok(query) = std::str::from_utf8(query) else { return };
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
    let Ok(params) = Params::from_query(Some(query)).with_form(&headers, &Bytes::copy_from_slice(body)) else {
        return;
    };
    let submission = params.submission();
    for text in [&submission.description, &submission.address_string].into_iter().flatten() {
        let _ = privacy::redact(text);
    }
    let request = params.request_params();
    let _ = query::window(&request, Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
    if let Some(id) = &request.service_request_id {
        let _ = query::request_code(id);
    }
}

fn body<T: DeserializeOwned>(data: &[u8]) -> Option<T> {
    parse_json(bounded(data)).ok()
}

/// The API's JSON bodies, as `ApiJson` reads them (the first byte picks the type), with the
/// checks that need no database.
pub fn api_json(data: &[u8]) {
    let Some((which, data)) = split(data) else { return };
    match which % 9 {
        0 => {
            if let Some(t) = body::<TicketInput>(data) {
                let _ = Location::parse(t.location.lon, t.location.lat, "location.");
                let _ = privacy::redact(&t.description);
            }
        }
        1 => {
            let _ = body::<Action>(data);
        }
        2 => {
            if let Some(c) = body::<CameraInput>(data) {
                let _ = c.parse();
            }
        }
        3 => {
            if let Some(c) = body::<StaffContact>(data) {
                let _ = c.validated();
            }
        }
        4 => {
            let _ = body::<crate::service::console::CallInput>(data);
        }
        5 => {
            let _ = body::<crate::service::directions::NewDirection>(data);
        }
        6 => {
            let _ = body::<crate::service::auth::NewUserInput>(data);
        }
        7 => {
            let _ = body::<crate::http::public::SurveyInput>(data);
        }
        _ => {
            if let Some(b) = body::<TicketBatch>(data) {
                for item in &b.tickets {
                    let _ = Location::parse(item.ticket.location.lon, item.ticket.location.lat, "location.");
                    let _ = privacy::redact(&item.ticket.description);
                }
            }
        }
    }
}

/// The chat/SMS webhooks: Zalo, Messenger, SMS as JSON or as a form (the first byte picks),
/// and the signature headers they are checked with.
pub fn webhooks(data: &[u8]) {
    let Some((which, data)) = split(data) else { return };
    let data = bounded(data);
    match which % 5 {
        0 | 1 => {
            if let Ok(v) = serde_json::from_slice(data) {
                let _ = if which % 5 == 0 { adapters::zalo(&v) } else { adapters::messenger(&v) };
            }
        }
        2 => {
            let _ = adapters::sms(data, false);
        }
        3 => {
            let _ = adapters::sms(data, true);
        }
        _ => {
            if let Some(header) = text(data) {
                let _ = signature::verify_hub(header, b"secret", b"{}");
                let _ = signature::verify_switchboard(header, b"secret", b"{}", 1_790_000_000, 300);
            }
        }
    }
}

/// A live WebSocket client's message.
pub fn live_message(data: &[u8]) {
    if let Some(text) = text(data) {
        let _ = protocol::parse_subscribe(text);
    }
}

/// A photo upload: sniffed, its declared size checked, decoded, flattened, re-encoded.
/// Limited to 4 megapixels here so that each run stays fast; the code is the server's.
pub fn photo(data: &[u8]) {
    let limits = MediaLimits { max_pixels: 4_000_000, ..MediaLimits::default() };
    let _ = process(&data[..data.len().min(limits.max_file_bytes)], &limits);
}

/// The redaction every public surface applies to free text.
pub fn redact(data: &[u8]) {
    if let Some(text) = text(data) {
        let _ = privacy::redact(text);
    }
}

/// A procedures catalogue file as `POST /api/v1/procedures/import` and `switchboard import
/// procedures` read it: the first byte picks JSON, CSV or XLSX.
pub fn procedures(data: &[u8]) {
    use crate::service::procedures::parse::{Format, parse};
    let Some((pick, rest)) = split(data) else { return };
    let format = [Format::Json, Format::Csv, Format::Xlsx][usize::from(pick % 3)];
    let _ = parse(bounded(rest), format);
}

/// The body of `POST /api/v1/categories/suggest` as the server reads it, then the text through
/// the shipped model's features and weights (any text must be answered, never a panic).
pub fn categorizer(data: &[u8]) {
    use std::sync::OnceLock;
    static MODEL: OnceLock<Option<crate::classify::Model>> = OnceLock::new();
    let Ok(body) = parse_json::<crate::http::categories::SuggestRequest>(bounded(data)) else { return };
    let text = body.text.as_str();
    if let Some(model) = MODEL.get_or_init(|| crate::classify::Model::from_bytes(crate::classify::SHIPPED).ok()) {
        let s = model.suggest(text);
        assert!(s.iter().all(|x| x.confidence.is_finite()));
    }
}

/// The body of `POST /webhooks/pbx` once its signature has passed, as the server parses it:
/// every event it accepts must be one the desk can record (a call id and an extension are
/// visible ASCII, a number is in the national form).
pub fn pbx(data: &[u8]) {
    let now = chrono::Utc::now();
    if let Ok(events) = crate::intake::pbx::parse(bounded(data), now) {
        assert!(!events.is_empty() && events.len() <= crate::intake::pbx::MAX_EVENTS);
        for e in events {
            assert!(!e.call_id.is_empty() && e.call_id.bytes().all(|b| b.is_ascii_graphic()));
            assert!(e.extension.iter().all(|x| x.bytes().all(|b| b.is_ascii_graphic())));
            assert!(e.caller.iter().all(|c| crate::domain::desk::normalise_phone(c).as_ref() == Some(c)));
        }
    }
}

/// The offices' inputs: an office as admins send it (validated, then its slots over a week of
/// the calendar), a booking body, a booking code typed or read from a QR code, and a chat
/// message read as a booking ask.
pub fn appointments(data: &[u8]) {
    use crate::domain::appointment::parse_booking_code;
    use crate::domain::office::Office;
    use crate::service::appointments::booking::BookingInput;
    let Some((which, data)) = split(data) else { return };
    match which % 4 {
        0 => {
            if let Some(o) = body::<Office>(data)
                && let Ok(o) = o.validate()
            {
                let calendar = crate::domain::HolidayCalendar::vietnam();
                let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("a date");
                for s in &o.services {
                    for d in 0..7 {
                        if let Ok(slots) = o.slots_on(s, day + chrono::Duration::days(d), &calendar) {
                            assert!(slots.len() <= 24 * 60 / 5, "at most one slot per 5 minutes");
                            assert!(slots.windows(2).all(|w| w[0].ends_at <= w[1].starts_at));
                        }
                    }
                }
            }
        }
        1 => {
            let _ = body::<BookingInput>(data);
        }
        2 => {
            if let Some(t) = text(data)
                && let Some(code) = parse_booking_code(t)
            {
                assert_eq!(parse_booking_code(&code).as_deref(), Some(code.as_str()), "a code reads back as itself");
            }
        }
        _ => {
            if let Some(t) = text(data) {
                let _ = crate::intake::chatbot::booking::ask(t);
            }
        }
    }
}
