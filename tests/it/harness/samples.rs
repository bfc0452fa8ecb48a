//! Sample domain values for the store tests: a ticket by the Dragon Bridge with Vietnamese text
//! and its reporter, a ward with a hole and an island, categories, units, rules and users.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use geo::{LineString, MultiPolygon, Polygon};
use switchboard::domain::{
    Area, AreaCode, Category, CategoryCode, Channel, EventKind, Field, Location, NewTicket, Priority, ReporterContact,
    Role, RoutingRule, Ticket, TicketEvent, TicketId, TrackingToken, Unit, UnitCode, User,
};
use switchboard::store::{NewTicketRecord, NewUser, Store};
use uuid::Uuid;

pub fn area_code(s: &str) -> AreaCode {
    AreaCode::parse(s, "area").unwrap()
}
pub fn category_code(s: &str) -> CategoryCode {
    CategoryCode::parse(s, "category").unwrap()
}
pub fn unit_code(s: &str) -> UnitCode {
    UnitCode::parse(s, "unit").unwrap()
}

/// 2026-11-05 08:30:00 UTC plus `nanos` nanoseconds.
pub fn at(nanos: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 5, 8, 30, 0).unwrap() + chrono::Duration::nanoseconds(nanos)
}

/// A received ticket near the Dragon Bridge in Đà Nẵng, with Vietnamese text.
pub fn sample_ticket() -> Ticket {
    let received = at(123_456_000);
    let new = NewTicket {
        channel: Channel::Hotline,
        category: category_code("garbage"),
        description: "Rác thải tồn đọng nhiều ngày ở đầu hẻm, bốc mùi hôi thối".into(),
        location: Location::parse(108.2275, 16.0612, "").unwrap(),
        address: Some("12 Trần Phú, phường Hải Châu, Đà Nẵng".into()),
        area: Some(area_code("DN-HC-01")),
        priority: Priority::Normal,
    };
    Ticket::received(TicketId::new_v7(), new, received, received + chrono::Duration::days(9))
}

/// The `created` event of `ticket` (its `seq` and `data` are the store's to fill in).
pub fn created_event(ticket: &Ticket) -> TicketEvent {
    TicketEvent {
        seq: 0,
        ticket_id: ticket.id,
        kind: EventKind::Created,
        actor: "public".into(),
        at: ticket.received_at,
        note: None,
        data: serde_json::Value::Null,
    }
}

/// The reporter of [`sample_ticket`].
pub fn sample_contact() -> ReporterContact {
    ReporterContact {
        name: Some("Nguyễn Thị Hương".into()),
        phone: Some("+84 905 123 456".into()),
        email: Some("huong.nguyen@example.vn".into()),
    }
}

/// A [`NewTicketRecord`] for `ticket` under `prefix`, with the sample contact and a token.
pub fn record_for(ticket: Ticket, prefix: &str) -> NewTicketRecord {
    NewTicketRecord {
        event: created_event(&ticket),
        ticket,
        code_prefix: prefix.into(),
        contact: sample_contact(),
        token_hash: TrackingToken::generate().hash(),
        extras: Default::default(),
    }
}

/// A fresh sample ticket (new id) under `prefix`.
pub fn new_record(prefix: &str) -> NewTicketRecord {
    record_for(sample_ticket(), prefix)
}

/// Creates a sample ticket under `prefix` and returns it as stored.
pub async fn create(store: &Arc<dyn Store>, prefix: &str) -> Ticket {
    match store.create_ticket(new_record(prefix), None).await.expect("create_ticket") {
        switchboard::store::Created::New { ticket, .. } => ticket,
        other => panic!("expected a new ticket, got {other:?}"),
    }
}

fn ring(coords: &[(f64, f64)]) -> LineString<f64> {
    LineString::from(coords.to_vec())
}

/// A ward: a square with a hole (a lake) plus a small island, in lon/lat.
pub fn sample_area(code: &str, parent: Option<&str>) -> Area {
    let outer = ring(&[(108.20, 16.04), (108.24, 16.04), (108.24, 16.08), (108.20, 16.08), (108.20, 16.04)]);
    let hole = ring(&[(108.21, 16.05), (108.22, 16.05), (108.22, 16.06), (108.21, 16.06), (108.21, 16.05)]);
    let island = ring(&[(108.30, 16.10), (108.31, 16.10), (108.305, 16.11), (108.30, 16.10)]);
    Area {
        code: area_code(code),
        name: "Phường Hải Châu I".into(),
        name_en: "Hai Chau I Ward".into(),
        level: "ward".into(),
        parent: parent.map(area_code),
        geometry: MultiPolygon(vec![Polygon::new(outer, vec![hole]), Polygon::new(island, vec![])]),
        valid_from: Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap(),
        valid_to: None,
        population: None,
    }
}

pub fn sample_category(code: &str, deadline_days: Option<u32>) -> Category {
    Category {
        code: category_code(code),
        field: Field::Environment,
        name_vi: "Rác thải sinh hoạt".into(),
        name_en: "Household waste".into(),
        deadline_days,
        attributes: vec![],
    }
}

pub fn sample_unit(code: &str, parent: Option<&str>, areas: &[&str]) -> Unit {
    Unit {
        code: unit_code(code),
        name_vi: "Ủy ban nhân dân quận Hải Châu".into(),
        name_en: "Hai Chau District People's Committee".into(),
        parent: parent.map(unit_code),
        kind: "agency".into(),
        areas: areas.iter().map(|a| area_code(a)).collect(),
    }
}

pub fn rule(category: Option<&str>, area: Option<&str>, unit: &str) -> RoutingRule {
    RoutingRule { category: category.map(category_code), area: area.map(area_code), unit: unit_code(unit) }
}

pub fn sample_user(name: &str, role: Role) -> NewUser {
    NewUser {
        user: User {
            id: Uuid::now_v7(),
            name: name.into(),
            display_name: "Trần Văn Đức".into(),
            role,
            areas: vec![area_code("DN-HC"), area_code("DN-ST")],
            units: vec![unit_code("DN-HC-UBND")],
            offices: vec![],
        },
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".into(),
    }
}
