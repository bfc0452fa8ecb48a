use std::sync::Arc;

use chrono::Duration;
use serde_json::{Value, json};
use switchboard::app::{Application, Settings};

use super::{ALL_DAY, app, body, slots, tomorrow};
use crate::harness::{Backend, fields};
use crate::on_both_stores;

/// The first day from tomorrow on which the centre's land service has an untouched slot, and
/// that slot's start.
async fn free_slot(app: &crate::harness::TestApp) -> (String, i64) {
    for d in 0..6 {
        let s = slots(app, "DN-HCC", "dat-dai", tomorrow() + Duration::days(d)).await;
        if let Some(last) = s["slots"].as_array().unwrap().last() {
            return (last["starts_at"].as_str().unwrap().to_owned(), last["free"].as_i64().unwrap());
        }
    }
    panic!("no open day in the window");
}

async fn hundreds_of_requests_for_three_places_book_exactly_three(backend: Backend) {
    let app = app(backend).await;
    let (at, free) = free_slot(&app).await;
    assert_eq!(free, 3, "the land service takes three people a slot");
    // On PostGIS a second instance on the same database takes half of the requests.
    let second = if backend == Backend::Postgres {
        let s = Settings { listen: "127.0.0.1:0".parse().unwrap(), ..app.settings.clone() };
        let b = Application::build(s).await.expect("instance B");
        let base = format!("http://127.0.0.1:{}", b.port());
        tokio::spawn(b.run_until_stopped());
        Some(base)
    } else {
        None
    };
    let mut tasks = Vec::new();
    for i in 0..240 {
        let c = app.operator.clone();
        let url = match (&second, i % 2) {
            (Some(b), 1) => format!("{b}/api/v1/bookings"),
            _ => app.url("/api/v1/bookings"),
        };
        let b = body("DN-HCC", "dat-dai", &at, &format!("0905{i:06}"));
        tasks.push(tokio::spawn(async move {
            let r = c.post(url).json(&b).send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }));
    }
    let mut by_status = std::collections::BTreeMap::<u16, usize>::new();
    for t in tasks {
        let (status, v) = t.await.unwrap();
        *by_status.entry(status).or_default() += 1;
        if status == 409 {
            assert_eq!(v["code"], "slot_full");
            assert_eq!(fields(&v), vec!["starts_at"]);
        }
    }
    assert_eq!(by_status.get(&201), Some(&3), "{by_status:?}");
    assert_eq!(by_status.get(&409), Some(&237), "{by_status:?}");
    let day = switchboard::domain::schedule::vietnam_date(at.parse().unwrap());
    let s = slots(&app, "DN-HCC", "dat-dai", day).await;
    let slot = s["slots"].as_array().unwrap().iter().find(|x| x["starts_at"] == at.as_str()).unwrap().clone();
    assert_eq!(slot["free"], 0);
    let from = at.parse().unwrap();
    let held = app.store.office_bookings(&"DN-HCC".parse_office(), from, from + Duration::minutes(1)).await.unwrap();
    assert_eq!(held.len(), 3, "exactly three bookings are stored");
}

trait ParseOffice {
    fn parse_office(&self) -> switchboard::domain::OfficeId;
}
impl ParseOffice for str {
    fn parse_office(&self) -> switchboard::domain::OfficeId {
        switchboard::domain::OfficeId::parse(self, "office").unwrap()
    }
}

async fn a_citizen_books_sees_moves_and_cancels_with_the_link(backend: Backend) {
    let app = app(backend).await;
    let day = tomorrow();
    let s = slots(&app, ALL_DAY, "ho-tich", day).await;
    let list = s["slots"].as_array().unwrap();
    let (first, second) = (list[9]["starts_at"].as_str().unwrap(), list[10]["starts_at"].as_str().unwrap());
    let mut b = body(ALL_DAY, "ho-tich", first, "+84 905 111 222");
    b["procedure"] = json!("1.001193");
    let r = app
        .public
        .post(app.url("/api/v1/public/bookings"))
        .header("Idempotency-Key", "k-1")
        .json(&b)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let made: Value = r.json().await.unwrap();
    let (code, token) = (made["code"].as_str().unwrap().to_owned(), made["token"].as_str().unwrap().to_owned());
    assert!(code.starts_with("LH-"));
    assert!(!made["documents"].as_array().unwrap().is_empty(), "the documents to bring come from the catalogue");
    // The same key answers the same booking; the slot is not taken twice.
    let again = app
        .public
        .post(app.url("/api/v1/public/bookings"))
        .header("Idempotency-Key", "k-1")
        .json(&b)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap()["code"], code.as_str());
    // The same person, written another way, may hold two a day at this office, not three.
    let r = app
        .public
        .post(app.url("/api/v1/public/bookings"))
        .json(&body(ALL_DAY, "ho-tich", second, "0905111222"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let third = list[11]["starts_at"].as_str().unwrap();
    let r = app
        .public
        .post(app.url("/api/v1/public/bookings"))
        .json(&body(ALL_DAY, "ho-tich", third, "0905 111 222"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let v: Value = r.json().await.unwrap();
    assert_eq!((v["code"].as_str(), fields(&v)), (Some("person_limit"), vec!["phone".to_owned()]));
    // A time that is not a slot, and a taken slot, are refused with their field.
    let off = (first.parse::<chrono::DateTime<chrono::Utc>>().unwrap() + Duration::minutes(7)).to_rfc3339();
    let r = app
        .public
        .post(app.url("/api/v1/public/bookings"))
        .json(&body(ALL_DAY, "ho-tich", &off, "0905000001"))
        .send()
        .await
        .unwrap();
    assert_eq!((r.status().as_u16(), fields(&r.json().await.unwrap())), (422, vec!["starts_at".to_owned()]));
    // Seen with the link; a wrong token finds nothing.
    let seen = app.get_json(&app.public, &format!("/api/v1/public/bookings/{code}?token={token}")).await;
    assert_eq!(seen["name"], "Nguyễn Thị Vân Anh");
    let r = app.public.get(app.url(&format!("/api/v1/public/bookings/{code}?token=nope"))).send().await.unwrap();
    assert_eq!(r.status(), 404);
    // Moved to a free slot, then cancelled: both places are free again.
    let later = list[12]["starts_at"].as_str().unwrap();
    let r = app
        .public
        .post(app.url(&format!("/api/v1/public/bookings/{code}/reschedule")))
        .json(&json!({"token": token, "starts_at": later}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let after = slots(&app, ALL_DAY, "ho-tich", day).await;
    let free_at = |v: &Value, t: &str| {
        v["slots"].as_array().unwrap().iter().find(|x| x["starts_at"] == t).unwrap()["free"].clone()
    };
    assert_eq!((free_at(&after, first), free_at(&after, later)), (json!(1), json!(0)));
    let r = app
        .public
        .post(app.url(&format!("/api/v1/public/bookings/{code}/cancel")))
        .json(&json!({"token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "cancelled");
    assert_eq!(free_at(&slots(&app, ALL_DAY, "ho-tich", day).await, later), json!(1));
    // The confirmation went to the number as the citizen wrote it, with the manage link.
    let sent = app.store.recipient_notifications(switchboard::domain::Medium::Sms, "+84 905 111 222").await.unwrap();
    let templates: Vec<&str> = sent.iter().map(|n| n.template.as_str()).collect();
    assert_eq!(templates, vec!["booking_confirmed", "booking_rescheduled", "booking_cancelled"]);
    assert!(sent[0].payload["text_vi"].as_str().unwrap().contains(&format!("/dat-lich/{code}?token={token}")));
}

async fn closing_an_office_moves_every_booking_and_tells_each_person(backend: Backend) {
    let app = app(backend).await;
    let day = tomorrow();
    let list = slots(&app, ALL_DAY, "ho-tich", day).await["slots"].as_array().unwrap().clone();
    let mut codes = Vec::new();
    for (i, at) in [(8, &list[8]), (9, &list[9])] {
        let r = app
            .operator
            .post(app.url("/api/v1/bookings"))
            .json(&body(ALL_DAY, "ho-tich", at["starts_at"].as_str().unwrap(), &format!("0914{i:06}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        codes.push(r.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_owned());
    }
    let from = switchboard::domain::schedule::vietnam_instant(day, chrono::NaiveTime::MIN);
    let r = app
        .admin
        .post(app.url(&format!("/api/v1/offices/{ALL_DAY}/closures")))
        .json(&json!({"from": from, "to": from + Duration::days(1), "reason": "Bão số 13"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let res: Value = r.json().await.unwrap();
    assert_eq!(res["affected"], 2);
    assert_eq!(res["unplaced"], json!([]));
    // The nearest free slots are the first hours after the closure (capacity one each).
    let end = from + Duration::days(1);
    for (i, (m, code)) in res["moved"].as_array().unwrap().iter().zip(&codes).enumerate() {
        assert_eq!(m["code"], code.as_str());
        let to: chrono::DateTime<chrono::Utc> = m["to"].as_str().unwrap().parse().unwrap();
        assert_eq!(to, end + Duration::hours(i as i64), "{m}");
    }
    // The closed day offers nothing and says why; each holder was told.
    assert_eq!(slots(&app, ALL_DAY, "ho-tich", day).await["reason"], "closure");
    for i in [8, 9] {
        let sent =
            app.store.recipient_notifications(switchboard::domain::Medium::Sms, &format!("0914{i:06}")).await.unwrap();
        let moved: Vec<_> = sent.iter().filter(|n| n.template == "booking_moved").collect();
        assert_eq!(moved.len(), 1);
        assert!(moved[0].payload["text_vi"].as_str().unwrap().contains("Bão số 13"));
    }
}

async fn reminders_go_out_once_the_day_before_and_the_hour_before(backend: Backend) {
    let app = app(backend).await;
    let list = slots(&app, ALL_DAY, "ho-tich", tomorrow()).await["slots"].as_array().unwrap().clone();
    let at = list[10]["starts_at"].as_str().unwrap();
    let r = app
        .public
        .post(app.url("/api/v1/public/bookings"))
        .json(&body(ALL_DAY, "ho-tich", at, "0935000111"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let at: chrono::DateTime<chrono::Utc> = at.parse().unwrap();
    let eve = switchboard::domain::schedule::vietnam_instant(
        switchboard::domain::schedule::vietnam_date(at) - Duration::days(1),
        chrono::NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
    );
    let a = Arc::new(app.services.appointments.clone());
    // The server's own worker may have sent it already (after 17:00 in Vietnam): once either way.
    assert!(a.send_reminders(eve).await.unwrap() <= 1);
    assert_eq!(a.send_reminders(eve).await.unwrap(), 0, "once");
    assert_eq!(a.send_reminders(at - Duration::minutes(50)).await.unwrap(), 1);
    let sent = app.store.recipient_notifications(switchboard::domain::Medium::Sms, "0935000111").await.unwrap();
    let t: Vec<&str> = sent.iter().map(|n| n.template.as_str()).collect();
    assert_eq!(t, vec!["booking_confirmed", "booking_reminder_day", "booking_reminder_hour"]);
}

on_both_stores!(
    hundreds_of_requests_for_three_places_book_exactly_three,
    a_citizen_books_sees_moves_and_cancels_with_the_link,
    closing_an_office_moves_every_booking_and_tells_each_person,
    reminders_go_out_once_the_day_before_and_the_hour_before,
);
