use chrono::{Duration, Utc};
use serde_json::{Value, json};
use switchboard::domain::appointment::BookingStatus;
use switchboard::domain::schedule::vietnam_date;

use switchboard::store::appointments::{Booking, NewBooking};

use super::{ALL_DAY, app, clerk};
use crate::harness::Backend;
use crate::on_both_stores;

/// A booking of the test office starting `minutes` from now (or as long ago, near midnight, so
/// that it is today's), written straight into the store (the public may only book slots to come).
async fn booking_today(app: &crate::harness::TestApp, code: &str, minutes: i64) {
    let now = Utc::now();
    let ahead = Duration::minutes(minutes);
    let at = if vietnam_date(now + ahead) == vietnam_date(now) { now + ahead } else { now - ahead };
    let b = Booking {
        id: uuid::Uuid::now_v7(),
        code: code.into(),
        office: switchboard::domain::OfficeId::parse(ALL_DAY, "o").unwrap(),
        service: "ho-tich".into(),
        procedure: None,
        starts_at: at,
        ends_at: at + Duration::minutes(60),
        status: BookingStatus::Booked,
        name: "Lê Văn Tám".into(),
        phone: "0905777888".into(),
        email: None,
        medium: switchboard::domain::Medium::Sms,
        recipient: "0905777888".into(),
        lang: "vi".into(),
        channel: "portal".into(),
        created_by: "public".into(),
        moved_from: None,
        checked_in_at: None,
        finished_at: None,
        created_at: now,
    };
    assert_eq!(vietnam_date(b.starts_at), vietnam_date(now), "check-in takes today's bookings only");
    let new = NewBooking {
        booking: b,
        person_key: vec![1; 32],
        token_hash: vec![0; 32],
        idem_key: None,
        capacity: 5,
        per_person: 5,
    };
    assert!(matches!(app.store.book(&new).await.unwrap(), switchboard::store::appointments::Taken::Booked(_)));
}

async fn a_morning_at_the_counter(backend: Backend) {
    let app = app(backend).await;
    let desk = clerk(&app, "t.clerk", ALL_DAY).await;
    let elsewhere = clerk(&app, "t.clerk2", "DN-HCC").await;
    let take = |priority: Option<&str>, phone: Option<&str>| {
        let mut b = json!({"service": "ho-tich"});
        if let Some(p) = priority {
            b["priority"] = json!(p);
        }
        if let Some(p) = phone {
            b["phone"] = json!(p);
        }
        let (c, url) = (app.public.clone(), app.url(&format!("/api/v1/public/offices/{ALL_DAY}/queue")));
        async move {
            let r = c.post(url).json(&b).send().await.unwrap();
            assert_eq!(r.status(), 201);
            r.json::<Value>().await.unwrap()
        }
    };
    let a1 = take(None, None).await;
    let a2 = take(None, Some("0905123123")).await;
    let u1 = take(Some("elderly"), None).await;
    let a3 = take(None, Some("0905999000")).await;
    assert_eq!(
        (a1["label"].as_str(), a2["label"].as_str(), u1["label"].as_str()),
        (Some("A001"), Some("A002"), Some("U001"))
    );
    assert_eq!(a3["position"], 3, "the elderly are called first: three before A003");
    // A booking of this hour is checked in by its code, typed loosely.
    let code = "LH-7K2M9Q";
    // Only the public's own booking is a question here: codes are unique, this one is made up.
    booking_today(&app, code, 5).await;
    let r = desk
        .post(app.url(&format!("/api/v1/offices/{ALL_DAY}/checkin")))
        .json(&json!({"code": "lh 7k2m9q"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let checked: Value = r.json().await.unwrap();
    assert_eq!(checked["number"]["label"], "H001");
    assert_eq!(checked["booking"]["status"], "checked_in");
    // The clerk of another office may not work here.
    let r = elsewhere.post(app.url(&format!("/api/v1/offices/{ALL_DAY}/counters/1/next"))).send().await.unwrap();
    assert_eq!(r.status(), 403);
    // Calls: the appointment due, then the priority number, then the oldest.
    let mut called = Vec::new();
    for _ in 0..3 {
        let r = desk.post(app.url(&format!("/api/v1/offices/{ALL_DAY}/counters/2/next"))).send().await.unwrap();
        assert_eq!(r.status(), 200);
        called.push(r.json::<Value>().await.unwrap()["label"].as_str().unwrap().to_owned());
    }
    assert_eq!(called, vec!["H001", "U001", "A001"]);
    // The board shows labels and counters, never a name or a number.
    let board = app.get_json(&app.public, &format!("/api/v1/public/offices/{ALL_DAY}/display")).await;
    assert_eq!(
        board["serving"],
        json!([{"counter": 2, "label": "A001", "called_at": board["serving"][0]["called_at"]}])
    );
    assert_eq!(board["recent"].as_array().unwrap().len(), 3);
    let text = board.to_string();
    assert!(!text.contains("Lê Văn Tám") && !text.contains("0905"), "{text}");
    // A long poll with the board's version waits for the next call, and sees it.
    let v = board["version"].as_i64().unwrap();
    let (c, url) = (app.public.clone(), app.url(&format!("/api/v1/public/offices/{ALL_DAY}/display?since={v}")));
    let poll = tokio::spawn(async move { c.get(url).send().await.unwrap().json::<Value>().await.unwrap() });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let r = desk.post(app.url(&format!("/api/v1/offices/{ALL_DAY}/counters/3/next"))).send().await.unwrap();
    let a2_called: Value = r.json().await.unwrap();
    assert_eq!(a2_called["label"], "A002");
    let moved = poll.await.unwrap();
    assert!(moved["version"].as_i64().unwrap() > v);
    assert!(moved["serving"].as_array().unwrap().iter().any(|c| c["label"] == "A002" && c["counter"] == 3));
    // A002 goes to counter 1; A003's holder, now first, was told once.
    let id = a2_called["id"].as_str().unwrap();
    let r = desk
        .post(app.url(&format!("/api/v1/offices/{ALL_DAY}/queue/{id}/finish")))
        .json(&json!({"outcome": "transferred", "to_counter": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let sent = switchboard::store::NotificationStore::recipient_notifications(
        app.store.as_ref(),
        switchboard::domain::Medium::Sms,
        "0905999000",
    )
    .await
    .unwrap();
    assert_eq!(sent.iter().filter(|n| n.template == "queue_near").count(), 1);
    let r = desk.post(app.url(&format!("/api/v1/offices/{ALL_DAY}/counters/1/next"))).send().await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["label"], "A002", "a transfer is called first at its counter");
    // The holder follows their number with its token; the H001 visit is served and rated once.
    let mine = app
        .get_json(
            &app.public,
            &format!("/api/v1/public/queue/{}?token={}", a3["id"].as_str().unwrap(), a3["token"].as_str().unwrap()),
        )
        .await;
    assert_eq!(mine["position"], 0);
    let queue = app.get_json(&desk, &format!("/api/v1/offices/{ALL_DAY}/queue")).await;
    let h = queue.as_array().unwrap().iter().find(|n| n["label"] == "H001").unwrap();
    assert_eq!(h["name"], "Lê Văn Tám", "the clerk sees who booked");
    assert_eq!(h["status"], "served", "calling the next marked it served");
    let figures = app.get_json(&app.leader, &format!("/api/v1/stats/appointments?office={ALL_DAY}")).await;
    assert_eq!(figures["total"]["numbers"], 5);
    assert_eq!(figures["total"]["served"], 1);
    assert!(!figures.to_string().contains("Lê Văn Tám"));
}

on_both_stores!(a_morning_at_the_counter);

/// The kiosk is the office's device: signed in as its clerk, it gives more numbers than one
/// address may take, and they are the kiosk's; the public's `kiosk: true` is not believed.
async fn the_kiosk_signed_in_as_the_clerk_is_not_held_to_one_address(backend: Backend) {
    let app = app(backend).await;
    let kiosk = clerk(&app, "t.kiosk", ALL_DAY).await;
    let url = app.url(&format!("/api/v1/public/offices/{ALL_DAY}/queue"));
    for i in 0..30 {
        let r = kiosk.post(&url).json(&json!({"service": "ho-tich", "kiosk": true})).send().await.unwrap();
        assert_eq!(r.status(), 201, "number {i}");
    }
    let r = app.public.post(&url).json(&json!({"service": "ho-tich", "kiosk": true})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let day = vietnam_date(Utc::now());
    let office = switchboard::domain::OfficeId::parse(ALL_DAY, "o").unwrap();
    let numbers = app.store.day_numbers(&office, day).await.unwrap();
    let kiosk_count = numbers.iter().filter(|n| n.channel == "kiosk").count();
    assert_eq!((numbers.len(), kiosk_count), (31, 30), "the public's number is an online one");
    // The public from one address is held to its budget (20 at once, shared with reports).
    let mut refused = 0;
    for _ in 0..25 {
        if app.public.post(&url).json(&json!({"service": "ho-tich"})).send().await.unwrap().status() == 429 {
            refused += 1;
        }
    }
    assert!(refused > 0, "one address cannot take numbers without end");
}

on_both_stores!(the_kiosk_signed_in_as_the_clerk_is_not_held_to_one_address);
