//! Escalation: a ticket going overdue tells its unit's head and its area's leader (not
//! another district's), once with two instances; the warning before the deadline and the
//! 07:30 digest go out once per ticket and deadline, and once per day.

use std::collections::HashSet;
use std::time::Duration;

use chrono::NaiveTime;
use reqwest::StatusCode;
use serde_json::{Value, json};
use switchboard::domain::schedule::{vietnam_date, vietnam_instant};
use switchboard::domain::{EventKind, TicketEvent, TicketId};
use switchboard::notify::escalation::{digest, warn};

use super::{notifier, second_instance};
use crate::channels::support::{Sink, eventually, spawn};
use crate::harness::{Backend, TestApp};

/// Gives `name` a phone (and makes them a unit head with `head`), as the admin.
async fn contact(app: &TestApp, name: &str, phone: &str, head: bool) {
    let users: Value = app.get_json(&app.admin, "/api/v1/users").await;
    let id = users.as_array().unwrap().iter().find(|u| u["name"] == name).unwrap()["id"].as_str().unwrap().to_owned();
    let r = app
        .admin
        .put(app.url(&format!("/api/v1/users/{id}/contact")))
        .json(&json!({"phone": phone, "unit_head": head}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
}

/// A Hải Châu ticket forwarded to the agency's unit.
async fn forwarded(app: &TestApp) -> TicketId {
    let t = app.file(&app.hai_chau.clone(), "Cống thoát nước bị tắc ở Hải Châu").await;
    let id = t["id"].as_str().unwrap().to_owned();
    let r = app.act(&app.operator, &id, json!({"action": "assign", "unit": app.agency_unit})).await;
    assert_eq!(r.status(), 200);
    TicketId::parse(&id, "id").unwrap()
}

fn to(sink: &Sink, template: &str) -> Vec<String> {
    let mut v: Vec<String> =
        sink.delivered(template).iter().map(|c| c.body["recipient"].as_str().unwrap().to_owned()).collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overdue_ticket_tells_the_unit_head_and_the_area_leader_once() {
    let (app, sink) = spawn(Backend::Postgres, |_| {}).await;
    contact(&app, "t.agency", "0905000001", true).await;
    contact(&app, "t.leader", "0905000002", false).await;
    contact(&app, "t.leader2", "0905000003", false).await;
    let id = forwarded(&app).await;
    let b = second_instance(&app).await;
    // Its deadline passes: moved back by the store (a test clock for one ticket).
    let t = app.store.ticket(id).await.unwrap().unwrap();
    let mut next = t.clone();
    next.deadline = chrono::Utc::now() - chrono::Duration::hours(1);
    next.version += 1;
    let ev = TicketEvent {
        seq: 0,
        ticket_id: id,
        kind: EventKind::Progress,
        actor: "test".into(),
        at: chrono::Utc::now(),
        note: Some("hạn lùi lại để thử".into()),
        data: Value::Null,
    };
    let seq = app.store.update_ticket(&next, t.version, ev).await.unwrap().seq;
    for s in [&app.services, &b] {
        let mut applied = s.projection.subscribe_applied();
        tokio::time::timeout(Duration::from_secs(10), applied.wait_for(|&x| x >= seq)).await.unwrap().unwrap();
    }
    let (mut da, mut db) = (HashSet::new(), HashSet::new());
    let (ra, rb) = tokio::join!(app.services.tickets.mark_overdue(&mut da), b.tickets.mark_overdue(&mut db));
    // The server's own overdue timer may have got there first: between it and the two
    // instances, the ticket is marked overdue exactly once.
    assert!(ra.unwrap() + rb.unwrap() <= 1);
    let overdue_marks =
        || async { app.store.ticket_events(id).await.unwrap().iter().filter(|e| e.kind == EventKind::Overdue).count() };
    for _ in 0..50 {
        if overdue_marks().await >= 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(overdue_marks().await, 1);
    eventually("the overdue notices", || sink.delivered("overdue").len() >= 2).await;
    tokio::time::sleep(Duration::from_millis(1500)).await; // time for a duplicate to show up
    assert_eq!(to(&sink, "overdue"), ["0905000001", "0905000002"], "the head and Hải Châu's leader, once each");
    let text = sink.delivered("overdue")[0].body["text"].as_str().unwrap().to_owned();
    assert!(text.contains("QUÁ HẠN") && text.contains(&t.code.0), "{text}");
    let kinds: Vec<String> =
        app.store.ticket_notifications(id).await.unwrap().into_iter().map(|n| n.template).collect();
    assert_eq!(kinds.iter().filter(|k| *k == "overdue").count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_warning_and_the_digest_go_out_once_whatever_the_instances() {
    let (app, sink) = spawn(Backend::Postgres, |_| {}).await;
    contact(&app, "t.agency", "0905000001", false).await;
    contact(&app, "t.leader", "0905000002", false).await;
    let id = forwarded(&app).await;
    let b = second_instance(&app).await;
    let deadline = app.store.ticket(id).await.unwrap().unwrap().deadline;
    let calendar = app.services.tickets.calendar();
    let (na, nb) = (notifier(&app, &app.services, Duration::ZERO), notifier(&app, &b, Duration::ZERO));

    // Six days before the deadline: no warning yet; twenty hours before: one, to the unit.
    let early = deadline - chrono::Duration::days(6);
    assert_eq!(warn(&na, &app.services.tickets, &calendar, early, &mut HashSet::new()).await.unwrap(), 0);
    let now = deadline - chrono::Duration::hours(20);
    let (mut da, mut db) = (HashSet::new(), HashSet::new());
    let (ra, rb) = tokio::join!(
        warn(&na, &app.services.tickets, &calendar, now, &mut da),
        warn(&nb, &b.tickets, &calendar, now, &mut db)
    );
    assert_eq!(ra.unwrap() + rb.unwrap(), 1);
    assert_eq!(warn(&nb, &b.tickets, &calendar, now, &mut HashSet::new()).await.unwrap(), 0);
    eventually("the warning", || !sink.delivered("warn").is_empty()).await;
    assert_eq!(to(&sink, "warn"), ["0905000001"], "the unit's staff, not the leader");

    // The digest of the deadline's day, at 08:00 (after 07:30), from both instances.
    let day = vietnam_date(deadline);
    let morning = vietnam_instant(day, NaiveTime::from_hms_opt(8, 0, 0).unwrap());
    let before = vietnam_instant(day, NaiveTime::from_hms_opt(7, 0, 0).unwrap());
    assert_eq!(digest(&na, &app.services.tickets, &calendar, before).await.unwrap(), 0, "not before 07:30");
    let (ra, rb) = tokio::join!(
        digest(&na, &app.services.tickets, &calendar, morning),
        digest(&nb, &b.tickets, &calendar, morning)
    );
    assert_eq!(ra.unwrap() + rb.unwrap(), 1);
    let marker = day.format("%d/%m").to_string();
    eventually("the digest", || {
        sink.delivered("digest").iter().any(|c| c.body["text"].as_str().unwrap().contains(&marker))
    })
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let digests: Vec<_> =
        sink.delivered("digest").into_iter().filter(|c| c.body["text"].as_str().unwrap().contains(&marker)).collect();
    assert_eq!(digests.len(), 1, "{digests:#?}");
    assert_eq!(digests[0].body["recipient"], "0905000001");
    assert!(digests[0].body["text"].as_str().unwrap().contains("0 phản ánh quá hạn, 1 sắp đến hạn"));
}
