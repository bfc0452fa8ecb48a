//! The live WebSocket against a real server: events after a POST, role scopes, resume with
//! `since`, refusal of the public, two instances on one PostGIS database (with the listener's
//! connection killed in between) and the overdue timer racing on two instances and after a restart.

use std::collections::HashSet;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use sqlx::Connection;
use switchboard::app::Application;
use switchboard::app::Settings;
use switchboard::domain::EventKind;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::harness::ws::{Ws, connect, next, port_of, session_cookie, subscribe, try_connect};
use crate::harness::{Backend, TestApp, spawn_app};
use crate::on_both_stores;

/// Files a ticket through `app` as the operator; returns its code.
async fn file(app: &TestApp, district: &str, what: &str) -> String {
    app.file(district, what).await["code"].as_str().unwrap().to_owned()
}

async fn operator_receives_created_events_in_order(app: TestApp) {
    let (mut ws, hello) = connect(&app.base, "t.operator").await;
    assert!(hello["seq"].is_i64() && hello["oldest_seq"].is_i64(), "{hello}");
    let sub = subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets"]})).await;
    assert_eq!(sub["type"], "subscribed", "{sub}");
    let mut codes = Vec::new();
    for i in 0..3 {
        codes.push(file(&app, &app.hai_chau.clone(), &format!("Đèn đường hỏng số {i}")).await);
    }
    let mut last = sub["seq"].as_i64().unwrap();
    for code in &codes {
        let ev = next(&mut ws).await;
        assert_eq!(ev["type"], "event", "{ev}");
        assert_eq!(ev["kind"], "ticket.created");
        assert_eq!(&ev["data"]["code"], code.as_str());
        assert!(ev["seq"].as_i64().unwrap() > last, "in seq order");
        last = ev["seq"].as_i64().unwrap();
        assert!(ev["data"].get("description").is_none() && !ev.to_string().contains("0905123456"), "no personal data");
        assert!(ev["counters"][&app.hai_chau]["open"].as_u64().unwrap() >= 1, "{ev}");
    }
}
on_both_stores!(operator_receives_created_events_in_order);

/// Batches and single filings committed together (their tasks answered in any order) each
/// reach a viewer once, in `seq` order without a gap, and are all in the listing once answered.
async fn filings_committed_together_reach_the_feed_once_each_in_order(app: TestApp) {
    let (mut ws, _) = connect(&app.base, "t.operator").await;
    let sub = subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets"]})).await;
    let mut last = sub["seq"].as_i64().unwrap();
    let hc = app.hai_chau.clone();
    let batches = (0..4).map(|b| {
        let items: Vec<Value> = (0..25)
            .map(|i| json!({"idempotency_key": format!("together-{b}-{i}"), "ticket": app.ticket_body(&hc, &format!("lô {b} số {i}"))}))
            .collect();
        let request = app.operator.post(app.url("/api/v1/tickets/batch")).json(&json!({ "tickets": items }));
        async move {
            let r = request.send().await.unwrap();
            assert_eq!(r.status(), reqwest::StatusCode::CREATED);
        }
    });
    let singles = (0..20).map(|i| {
        let (app, hc) = (&app, &hc);
        async move { app.file(hc, &format!("lẻ số {i}")).await }
    });
    tokio::join!(futures_util::future::join_all(batches), futures_util::future::join_all(singles));

    let mut ids = HashSet::new();
    while ids.len() < 120 {
        let ev = next(&mut ws).await;
        assert_eq!(ev["kind"], "ticket.created", "{ev}");
        let seq = ev["seq"].as_i64().unwrap();
        assert_eq!(seq, last + 1, "every event once, in order, none skipped");
        last = seq;
        assert!(ids.insert(ev["data"]["id"].as_str().unwrap().to_owned()), "each ticket once: {ev}");
    }
    let listed = app.get_json(&app.operator, "/api/v1/tickets?limit=200").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 120, "the index has every ticket filed");
}
on_both_stores!(filings_committed_together_reach_the_feed_once_each_in_order);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_of_son_tra_does_not_receive_hai_chau_tickets() {
    let app = spawn_app(Backend::Sqlite).await;
    let (mut ws, _) = connect(&app.base, "t.leader2").await;
    subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets", "areas"]})).await;
    file(&app, &app.hai_chau.clone(), "Ngập nước ở Hải Châu").await;
    let son_tra = file(&app, &app.son_tra.clone(), "Ngập nước ở Sơn Trà").await;
    let ev = next(&mut ws).await;
    assert_eq!(ev["data"]["code"], son_tra.as_str(), "the Hải Châu ticket was skipped: {ev}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_areas_filter_includes_the_wards_of_a_district() {
    let app = spawn_app(Backend::Sqlite).await;
    let (mut ws, _) = connect(&app.base, "t.operator").await;
    let hc = app.hai_chau.clone();
    subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets"], "areas": [app.son_tra]})).await;
    file(&app, &hc, "Hải Châu").await;
    let st = file(&app, &app.son_tra.clone(), "Sơn Trà").await;
    let ev = next(&mut ws).await;
    assert_eq!(ev["data"]["code"], st.as_str());
    assert_ne!(ev["data"]["area"], app.son_tra.as_str(), "tickets carry the ward, inside the district");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_with_since_gets_exactly_the_missed_events() {
    let app = spawn_app(Backend::Sqlite).await;
    let hc = app.hai_chau.clone();
    let (mut ws, _) = connect(&app.base, "t.operator").await;
    subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets"]})).await;
    file(&app, &hc, "trước").await;
    let seen = next(&mut ws).await["seq"].as_i64().unwrap();
    ws.close(None).await.unwrap();
    drop(ws);

    let missed = [file(&app, &hc, "lỡ 1").await, file(&app, &hc, "lỡ 2").await];
    let (mut ws, hello) = connect(&app.base, "t.operator").await;
    assert!(hello["oldest_seq"].as_i64().unwrap() <= seen, "{hello}");
    ws.send(Message::text(json!({"type": "subscribe", "topics": ["tickets"], "since": seen}).to_string()))
        .await
        .unwrap();
    for code in &missed {
        let ev = next(&mut ws).await;
        assert_eq!(ev["data"]["code"], code.as_str(), "{ev}");
    }
    let after = file(&app, &hc, "sau").await;
    let ev = next(&mut ws).await;
    assert_eq!(ev["data"]["code"], after.as_str(), "live after the replay, no duplicate: {ev}");

    // A `since` older than what the server keeps asks the client to reload.
    let (mut ws, _) = connect(&app.base, "t.operator").await;
    let r = subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets"], "since": -5})).await;
    assert_eq!(r["type"], "resync", "{r}");
    // So does one above the server's seq (nothing after it would ever come): the review's
    // client got no answer at all.
    let head = r["seq"].as_i64().unwrap();
    let r = subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets"], "since": head + 1000})).await;
    assert_eq!((r["type"].as_str(), r["seq"].as_i64()), (Some("resync"), Some(head)), "{r}");
    let next_code = file(&app, &hc, "tiếp").await;
    assert_eq!(next(&mut ws).await["data"]["code"], next_code.as_str(), "live events follow the resync");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_messages_get_an_error_and_the_session_goes_on() {
    let app = spawn_app(Backend::Sqlite).await;
    let (mut ws, _) = connect(&app.base, "t.operator").await;
    let e = subscribe(&mut ws, json!({"type": "subscribe", "topics": ["weather"]})).await;
    assert_eq!((e["type"].as_str(), e["code"].as_str()), (Some("error"), Some("bad_topic")), "{e}");
    let e = subscribe(&mut ws, json!({"type": "dance"})).await;
    assert_eq!(e["code"], "bad_message", "{e}");
    let e = subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets"], "areas": ["DN-NOWHERE"]})).await;
    assert_eq!(e["code"], "bad_area", "an unknown area is refused, not silently empty: {e}");
    let ok = subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets"]})).await;
    assert_eq!(ok["type"], "subscribed");
}

/// A flood of messages ends with the 4029 close frame every time (the review saw it in 4 of
/// 30 floods; otherwise the connection just dropped).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_flood_is_closed_with_4029_every_time() {
    let app = spawn_app(Backend::Sqlite).await;
    for round in 0..10 {
        let (mut ws, _) = connect(&app.base, "t.operator").await;
        let msg = json!({"type": "subscribe", "topics": ["tickets"]}).to_string();
        for _ in 0..60 {
            if ws.send(Message::text(msg.clone())).await.is_err() {
                break;
            }
        }
        let mut code = None;
        while let Ok(Some(frame)) = tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
            match frame {
                Ok(Message::Close(Some(f))) => {
                    code = Some(u16::from(f.code));
                    break;
                }
                Ok(_) => {}
                Err(e) => panic!("round {round}: the connection failed without a close frame: {e}"),
            }
        }
        assert_eq!(code, Some(4029), "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_is_refused_before_the_upgrade() {
    let app = spawn_app(Backend::Sqlite).await;
    let port = port_of(&app.base);
    match try_connect(port, None).await {
        Err(tungstenite::Error::Http(r)) => assert_eq!(r.status(), 401),
        other => panic!("expected 401, got {:?}", other.map(|_| ())),
    }
    // A foreign Origin is refused too.
    let cookie = session_cookie(&app.base, "t.operator").await;
    let mut req = format!("ws://127.0.0.1:{port}/api/v1/live").into_client_request().unwrap();
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    req.headers_mut().insert("origin", "https://evil.example".parse().unwrap());
    match tokio_tungstenite::connect_async(req).await {
        Err(tungstenite::Error::Http(r)) => assert_eq!(r.status(), 403),
        other => panic!("expected 403, got {:?}", other.map(|_| ())),
    }
}

/// A second instance on the same database as `app`.
pub(crate) async fn second_instance(app: &TestApp) -> (String, switchboard::service::Services) {
    let settings = Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: app.settings.database_url.clone(),
        ..Settings::default()
    };
    let b = Application::build(settings).await.expect("instance B");
    let base = format!("http://127.0.0.1:{}", b.port());
    let services = b.services().clone();
    tokio::spawn(b.run_until_stopped());
    (base, services)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_filed_on_one_instance_reach_another_in_order_even_after_its_listener_is_killed() {
    let a = spawn_app(Backend::Postgres).await;
    let (b_base, _) = second_instance(&a).await;
    let (mut ws, _) = connect(&b_base, "t.operator").await;
    let sub = subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets"]})).await;
    let hc = a.hai_chau.clone();
    let mut last = sub["seq"].as_i64().unwrap();
    let mut expect = |ev: Value, code: &str| {
        assert_eq!(ev["data"]["code"], code, "{ev}");
        let seq = ev["seq"].as_i64().unwrap();
        assert_eq!(seq, last + 1, "no gap: {ev}");
        last = seq;
    };
    let mut codes = Vec::new();
    for i in 0..3 {
        codes.push(file(&a, &hc, &format!("A {i}")).await);
    }
    for c in &codes {
        expect(next(&mut ws).await, c);
    }

    let url = a.settings.database_url.clone().unwrap();
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(!killed.is_empty(), "the listeners' connections were found");
    let mut codes = Vec::new();
    for i in 0..3 {
        codes.push(file(&a, &hc, &format!("A sau {i}")).await);
    }
    for c in &codes {
        expect(next(&mut ws).await, c);
    }
}

/// Two instances' rounds race for the same overdue tickets — and so may each instance's own
/// timer, whose first round runs at start-up: whoever records, each ticket gets one event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_record_one_overdue_event_per_ticket() {
    let a = spawn_app(Backend::Postgres).await;
    let (_, b) = second_instance(&a).await;
    let mut tickets = Vec::new();
    for _ in 0..12 {
        tickets.push(crate::harness::create(&a.store, "DN-X").await); // deadlines passed in 2026-11
    }
    let seq = a.store.last_seq().await.unwrap();
    for s in [&a.services, &b] {
        let mut applied = s.projection.subscribe_applied();
        tokio::time::timeout(Duration::from_secs(10), applied.wait_for(|&x| x >= seq)).await.unwrap().unwrap();
    }
    let (mut done_a, mut done_b) = (HashSet::new(), HashSet::new());
    let (ra, rb) = tokio::join!(a.services.tickets.mark_overdue(&mut done_a), b.tickets.mark_overdue(&mut done_b),);
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert!(ra + rb <= tickets.len(), "at most one event a ticket between the two rounds: {ra} + {rb}");
    let again = b.tickets.mark_overdue(&mut HashSet::new()).await.unwrap();
    assert_eq!(again, 0, "a later round finds every event recorded");
    for t in &tickets {
        let events = a.store.ticket_events(t.id).await.unwrap();
        assert_eq!(events.iter().filter(|e| e.kind == EventKind::Overdue).count(), 1, "{:?}", t.code);
    }
}

/// A restarted instance learns from the event log which overdue tickets already have their
/// event: its first round records the others, each once, and never a second one.
async fn after_a_restart_the_overdue_timer_records_only_the_missing_events(app: TestApp) {
    let tickets = &app.services.tickets;
    let applied = |seq: i64| {
        let mut applied = app.services.projection.subscribe_applied();
        async move {
            tokio::time::timeout(Duration::from_secs(10), applied.wait_for(|&x| x >= seq)).await.unwrap().unwrap();
        }
    };
    let recorded = crate::harness::create(&app.store, "DN-X").await; // its deadline passed in 2026-11
    applied(app.store.last_seq().await.unwrap()).await;
    assert_eq!(tickets.mark_overdue(&mut HashSet::new()).await.unwrap(), 1);
    let missing = crate::harness::create(&app.store, "DN-Y").await;
    applied(app.store.last_seq().await.unwrap()).await;

    let mut done = HashSet::new();
    tickets.overdue_recorded(&mut done).await.unwrap();
    assert!(done.contains(&recorded.id), "the recorded one is known from the log");
    assert!(!done.contains(&missing.id), "the other one is not");
    assert_eq!(tickets.mark_overdue(&mut done).await.unwrap(), 1, "the round records the missing one only");
    for t in [&recorded, &missing] {
        let events = app.store.ticket_events(t.id).await.unwrap();
        assert_eq!(events.iter().filter(|e| e.kind == EventKind::Overdue).count(), 1, "{:?}", t.code);
    }
}
on_both_stores!(after_a_restart_the_overdue_timer_records_only_the_missing_events);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kpis_topic_sends_the_figures_then_fresh_ones_after_changes() {
    let app = spawn_app(Backend::Sqlite).await;
    let (mut ws, _) = connect(&app.base, "t.leader").await;
    let ack = subscribe(&mut ws, json!({"type": "subscribe", "topics": ["kpis"]})).await;
    assert_eq!(ack["type"], "subscribed", "{ack}");
    let first = next(&mut ws).await;
    assert_eq!(first["type"], "kpis", "the figures come at once: {first}");
    assert_eq!(first["total"]["open"], 0);
    file(&app, &app.son_tra.clone(), "Sơn Trà: outside the leader's scope").await;
    file(&app, &app.hai_chau.clone(), "Hải Châu: inside").await;
    // Boards are rebuilt every 2 s; wait for one that includes both tickets (frames only, no events).
    loop {
        let k = next(&mut ws).await;
        assert_eq!(k["type"], "kpis", "a kpis-only subscriber gets no events: {k}");
        if k["seq"].as_i64().unwrap() >= 2 {
            assert_eq!(k["total"]["open"], 1, "only the Hải Châu ticket counts for its leader: {k}");
            assert_eq!(k["total"]["received_today"], 1);
            assert_eq!(k["areas"][&app.hai_chau]["open"], 1);
            assert!(k["areas"].get(&app.son_tra).is_none());
            break;
        }
    }
}

/// A frame of about 64 KiB for event `seq`.
fn big_event(seq: i64) -> switchboard::live::HubEvent {
    padded_event(seq, 64 * 1024)
}

fn padded_event(seq: i64, pad: usize) -> switchboard::live::HubEvent {
    let frame = json!({"type": "event", "seq": seq, "kind": "test.padding", "pad": "x".repeat(pad)}).to_string();
    switchboard::live::HubEvent {
        seq,
        at: chrono::Utc::now(),
        location: switchboard::domain::Location { lon: 108.2, lat: 16.05 },
        area: None,
        unit: None,
        frame: frame.into(),
    }
}

/// The seq of an event frame, or the close code.
async fn event_or_close(ws: &mut Ws) -> Result<i64, u16> {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(30), ws.next()).await.expect("a frame within 30 s");
        match msg {
            Some(Ok(Message::Text(t))) => {
                return Ok(serde_json::from_str::<Value>(&t).unwrap()["seq"].as_i64().unwrap());
            }
            Some(Ok(Message::Close(Some(c)))) => return Err(c.code.into()),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_closed_with_4008_and_resumes_without_gaps() {
    // Unpaced: the reader gets each event at once, so the 400 are published within seconds, well
    // before the stalled session's send timeout (paced, each would wait out the pace).
    let app = crate::harness::spawn_app_with(Backend::Sqlite, |s| {
        s.live.channel_capacity = 16;
        s.live.pace = Duration::ZERO;
    })
    .await;
    let hub = app.services.live.hub.clone();
    let (mut stalled, _) = connect(&app.base, "t.operator").await;
    let (mut reader, _) = connect(&app.base, "t.operator").await;
    let start =
        subscribe(&mut stalled, json!({"type": "subscribe", "topics": ["tickets"]})).await["seq"].as_i64().unwrap();
    subscribe(&mut reader, json!({"type": "subscribe", "topics": ["tickets"]})).await;

    // 400 events of 64 KiB (25 MiB): far more than the socket buffers and the 16-event queue. Each
    // event is published once the reader has the previous one, so the reader is never behind
    // (however loaded the machine), while the other client never reads at all.
    let last = start + 400;
    for seq in start + 1..=last {
        hub.publish(big_event(seq));
        assert_eq!(event_or_close(&mut reader).await, Ok(seq), "the reader gets every event in order");
    }

    // The stalled client reads what was buffered, then the close frame.
    let mut seen = start;
    let code = loop {
        match event_or_close(&mut stalled).await {
            Ok(seq) => {
                assert_eq!(seq, seen + 1, "no gap before the close");
                seen = seq;
            }
            Err(code) => break code,
        }
    };
    assert_eq!(code, switchboard::live::CLOSE_TOO_SLOW);
    assert!(seen < last, "it was closed before the end ({seen} of {last})");

    // Resuming with `since` delivers exactly the rest.
    let (mut again, _) = connect(&app.base, "t.operator").await;
    again
        .send(Message::text(json!({"type": "subscribe", "topics": ["tickets"], "since": seen}).to_string()))
        .await
        .unwrap();
    for seq in seen + 1..=last {
        assert_eq!(event_or_close(&mut again).await, Ok(seq));
    }
}

/// A burst of events within one pace reaches a screen whole and in order: a paced session
/// takes each event from the hub as it comes and holds only its frame, so a burst longer than
/// the hub's queue (here 60 events against 16) does not make it lag and be closed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_within_the_pace_arrives_whole_without_a_close() {
    let app = crate::harness::spawn_app_with(Backend::Sqlite, |s| {
        s.live.channel_capacity = 16;
        s.live.pace = Duration::from_secs(2);
    })
    .await;
    let hub = app.services.live.hub.clone();
    let (mut ws, _) = connect(&app.base, "t.operator").await;
    let start = subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets"]})).await["seq"].as_i64().unwrap();
    // The first event is written at once and starts the pace; the next 60 come within it.
    hub.publish(padded_event(start + 1, 100));
    assert_eq!(event_or_close(&mut ws).await, Ok(start + 1), "a lone event goes out at once");
    for seq in start + 2..=start + 61 {
        hub.publish(padded_event(seq, 100));
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for seq in start + 2..=start + 61 {
        assert_eq!(event_or_close(&mut ws).await, Ok(seq), "every event of the burst, in order, and no close");
    }
}

/// A leader's live `counters` are the public per-area aggregates (what `GET /api/v1/areas`
/// gives everyone), while their `kpis` stay within their areas: the two are documented as
/// such, and here they agree with the REST answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_counters_are_the_public_area_figures_and_kpis_stay_scoped() {
    let app = spawn_app(Backend::Sqlite).await;
    file(&app, &app.son_tra.clone(), "Rác ở Sơn Trà").await;
    let (mut ws, _) = connect(&app.base, "t.leader").await;
    subscribe(&mut ws, json!({"type": "subscribe", "topics": ["tickets"]})).await;
    let code = file(&app, &app.hai_chau.clone(), "Rác ở Hải Châu").await;
    let ev = next(&mut ws).await;
    assert_eq!(ev["data"]["code"], code.as_str(), "{ev}");
    let counters = ev["counters"].as_object().unwrap();
    for (area, live) in counters {
        let public: Value = app.get_json(&app.public, &format!("/api/v1/areas/{area}")).await;
        assert_eq!(live, &public["properties"]["stats"], "{area}: live counters = the public figures");
    }
    // The city-wide total (both tickets) is public; the leader's KPIs count Hải Châu only.
    let city = counters.iter().find(|(a, _)| !a.starts_with(&app.hai_chau)).expect("an area above the district");
    assert_eq!(city.1["total"], 2, "{ev}");
    // (The key figures are rebuilt every 2 s or so: wait for the new ticket to be in them.)
    let mut kpis = Value::Null;
    for _ in 0..100 {
        kpis = app.get_json(&app.leader, "/api/v1/kpis").await;
        if kpis["total"]["open"].as_u64() >= Some(1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(kpis["total"]["open"], 1, "the leader's figures are Hải Châu's only: {kpis}");
}
