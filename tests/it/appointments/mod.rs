//! Appointments and queue numbers (`docs/appointments.md`), on both stores: the last place of a
//! slot under hundreds of concurrent requests (and two instances on PostGIS), a citizen's booking
//! from making to cancelling, an office's closure moving its bookings, a morning at the counter
//! with the display board, and each new route for each role.

mod bench;
mod booking;
mod chat;
mod import;
mod queue;
mod roles;

use chrono::{Duration, NaiveDate, Utc};
use reqwest::Client;
use serde_json::{Value, json};
use switchboard::domain::Medium;
use switchboard::domain::schedule::vietnam_date;

use crate::harness::{Backend, PASSWORD, TestApp, client, spawn_app_with};

/// An office open every day all day, so the tests do not depend on the hour they run at.
pub const ALL_DAY: &str = "T-ALLDAY";

/// A server whose notifier delivers SMS (to a closed port: messages are enqueued, not sent).
pub async fn app(backend: Backend) -> TestApp {
    let app = spawn_app_with(backend, |s| {
        s.channels.secrets.insert(Medium::Sms, switchboard::config::Secret::new("sms-secret"));
        s.notify.urls.insert(Medium::Sms, "http://127.0.0.1:9/sms".into());
    })
    .await;
    let day: Vec<[&str; 2]> = vec![["00:00", "23:59"]];
    let hours: serde_json::Map<String, Value> =
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].iter().map(|d| ((*d).to_owned(), json!(day))).collect();
    let office = json!({
        "id": ALL_DAY, "name": "Văn phòng thử nghiệm Hải Châu", "address": "1 Bạch Đằng", "lon": 108.2237, "lat": 16.0678,
        "counters": 3, "hours": hours, "days_ahead": 6, "per_person_per_day": 2,
        "services": [{"id": "ho-tich", "name": "Hộ tịch", "procedures": ["1.001193"], "slot_minutes": 60, "capacity": 1}]
    });
    let r = app.admin.put(app.url(&format!("/api/v1/offices/{ALL_DAY}"))).json(&office).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    app
}

/// A signed-in clerk of `office`.
pub async fn clerk(app: &TestApp, name: &str, office: &str) -> Client {
    let r = app
        .admin
        .post(app.url("/api/v1/users"))
        .json(&json!({"name": name, "role": "clerk", "password": PASSWORD, "offices": [office]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let c = client();
    let r = c.post(app.url("/api/v1/session")).json(&json!({"name": name, "password": PASSWORD})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    c
}

/// Tomorrow and the day after, Vietnam dates.
pub fn tomorrow() -> NaiveDate {
    vietnam_date(Utc::now()) + Duration::days(1)
}

/// The free slots of a service on a day.
pub async fn slots(app: &TestApp, office: &str, service: &str, day: NaiveDate) -> Value {
    app.get_json(&app.public, &format!("/api/v1/public/offices/{office}/slots?service={service}&day={day}")).await
}

/// A booking body.
pub fn body(office: &str, service: &str, starts_at: &str, phone: &str) -> Value {
    json!({"office": office, "service": service, "starts_at": starts_at, "name": "Nguyễn Thị Vân Anh", "phone": phone})
}
