//! Every route × every role gives exactly the status declared here (independently of the
//! code's own role constants); an office clerk is checked against a rule (below), and the
//! offices' own routes in `tests/it/appointments/roles.rs`.

use reqwest::{Client, Method};
use serde_json::{Value, json};

use crate::harness::TestApp;
use crate::on_both_stores;

const NO_DIRECTION: &str = "0190f5a4-7c2e-7000-8000-000000000000";
const WHO: [&str; 7] = ["public", "admin", "operator", "leader", "agency", "open311", "analyst"];

async fn every_route_answers_each_role_as_declared(app: TestApp) {
    let hc = app.hai_chau.clone();
    let t = app.file(&hc, "Ma trận quyền").await;
    let id = t["id"].as_str().unwrap().to_owned();
    let unit = app.agency_unit.clone();
    let r = app.act(&app.operator, &id, json!({"action": "assign", "unit": unit})).await;
    assert_eq!(r.status(), 200);
    let (lon, lat) = app.point_in(&hc);
    let ticket_body = app.ticket_body(&hc, "Từ ma trận");

    // (method, path, body, expected status for public, admin, operator, leader, agency, open311,
    // analyst)
    let mut n = 0;
    let user_body = move || {
        n += 1;
        json!({"name": format!("m.user{n}"), "role": "operator", "password": "a long password"})
    };
    let mut k = 0;
    let key_body = move || {
        k += 1;
        json!({"name": format!("m.key{k}"), "role": "open311"})
    };
    let (direction_unit, direction_area) = (unit.clone(), hc.clone());
    let direction_body = move || {
        let due = (chrono::Utc::now() + chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
        json!({"unit": direction_unit, "area": direction_area, "text": "Kiểm tra quyền", "due": due})
    };
    type Row = (Method, String, Option<Box<dyn FnMut() -> Value>>, [u16; 7]);
    let tb = ticket_body.clone();
    let (batch_ticket, mut b) = (ticket_body.clone(), 0);
    let mut rows: Vec<Row> = vec![
        (Method::GET, "/healthz".into(), None, [200; 7]),
        (Method::GET, "/readyz".into(), None, [200; 7]),
        (Method::GET, "/metrics".into(), None, [401, 200, 403, 403, 403, 403, 200]),
        (Method::GET, "/".into(), None, [200; 7]),
        (Method::GET, "/api/v1/openapi.json".into(), None, [200; 7]),
        (Method::GET, "/api/v1/areas".into(), None, [200; 7]),
        (Method::GET, format!("/api/v1/areas/{hc}"), None, [200; 7]),
        (Method::GET, "/api/v1/categories".into(), None, [200; 7]),
        (Method::GET, "/api/v1/units".into(), None, [200; 7]),
        // Anyone files a ticket, except an analyst's read-only key.
        (
            Method::POST,
            "/api/v1/tickets".into(),
            Some(Box::new(move || tb.clone())),
            [201, 201, 201, 201, 201, 201, 403],
        ),
        // Batches are the centre's imports.
        (
            Method::POST,
            "/api/v1/tickets/batch".into(),
            Some(Box::new(move || {
                b += 1;
                json!({"tickets": [{"idempotency_key": format!("import-{b}"), "ticket": batch_ticket.clone()}]})
            })),
            [401, 201, 201, 403, 403, 403, 403],
        ),
        (Method::GET, "/api/v1/tickets".into(), None, [401, 200, 200, 200, 200, 403, 200]),
        (Method::GET, format!("/api/v1/tickets/nearby?lon={lon}&lat={lat}"), None, [401, 200, 200, 200, 200, 403, 403]),
        (Method::GET, "/api/v1/tickets/export.csv".into(), None, [401, 200, 200, 200, 200, 403, 200]),
        (Method::GET, "/api/v1/tickets/export.xlsx".into(), None, [401, 200, 200, 200, 200, 403, 200]),
        // The reporters' contacts: the centre, and agency staff for their own units.
        (Method::GET, "/api/v1/tickets/export.csv?contacts=true".into(), None, [401, 200, 200, 403, 200, 403, 403]),
        (Method::GET, format!("/api/v1/tickets/{id}"), None, [401, 200, 200, 200, 200, 403, 200]),
        (Method::GET, format!("/api/v1/tickets/{id}/events"), None, [401, 200, 200, 200, 200, 403, 403]),
        (
            Method::POST,
            format!("/api/v1/tickets/{id}/transitions"),
            Some(Box::new(|| json!({"action": "extend", "days": 1, "reason": "Kiểm tra quyền"}))),
            // Extending a deadline is the centre's: the unit's staff get a 403 from the rules.
            [401, 200, 200, 403, 403, 403, 403],
        ),
        (Method::GET, "/api/v1/session".into(), None, [401, 200, 200, 200, 200, 403, 403]),
        (Method::GET, "/api/v1/wall/config".into(), None, [401, 200, 200, 200, 200, 403, 403]),
        (Method::GET, "/api/v1/kpis".into(), None, [401, 200, 200, 200, 200, 403, 403]),
        (Method::GET, "/api/v1/map/tickets".into(), None, [401, 200, 200, 200, 200, 403, 403]),
        (Method::GET, "/api/v1/stats?group=area:district".into(), None, [401, 200, 200, 200, 200, 403, 200]),
        (Method::GET, "/api/v1/stats/trends".into(), None, [401, 200, 200, 200, 200, 403, 200]),
        (Method::GET, "/api/v1/stats/export.csv".into(), None, [401, 200, 200, 200, 200, 403, 200]),
        (Method::GET, "/api/v1/stats/export.xlsx".into(), None, [401, 200, 200, 200, 200, 403, 200]),
        (Method::GET, "/api/v1/public/stats".into(), None, [200; 7]),
        (Method::GET, "/api/v1/stats/staffing".into(), None, [401, 200, 200, 200, 403, 403, 200]),
        (Method::GET, "/api/v1/directions".into(), None, [401, 200, 200, 200, 200, 403, 403]),
        (
            Method::POST,
            "/api/v1/directions".into(),
            Some(Box::new(direction_body)),
            [401, 201, 403, 201, 403, 403, 403],
        ),
        (Method::GET, format!("/api/v1/tickets/{id}/directions"), None, [401, 200, 200, 200, 200, 403, 403]),
        // No such direction: the unit's staff and admins pass the role check and find nothing.
        (Method::GET, format!("/api/v1/directions/{NO_DIRECTION}"), None, [401, 404, 404, 404, 404, 403, 403]),
        (
            Method::POST,
            format!("/api/v1/directions/{NO_DIRECTION}/acknowledge"),
            None,
            [401, 404, 403, 403, 404, 403, 403],
        ),
        (
            Method::POST,
            format!("/api/v1/directions/{NO_DIRECTION}/report"),
            Some(Box::new(|| json!({"report": "Đã xử lý"}))),
            [401, 404, 403, 403, 404, 403, 403],
        ),
        (Method::GET, "/api/v1/public/stats.csv".into(), None, [200; 7]),
        // The procedures catalogue is public; importing one is an administrator's (an empty
        // file is refused once the role has passed).
        (Method::GET, "/api/v1/procedures?q=khai%20sinh".into(), None, [200; 7]),
        (Method::GET, "/api/v1/procedures/fields".into(), None, [200; 7]),
        // Press feedback: the centre files it, everyone reads the list, statistics readers the figures.
        (Method::GET, "/api/v1/public/press".into(), None, [200; 7]),
        (Method::GET, "/api/v1/stats/press".into(), None, [401, 200, 200, 200, 200, 403, 200]),
        (
            Method::POST,
            "/api/v1/press".into(),
            Some(Box::new(
                || json!({"newspaper": "Tuổi Trẻ", "published_on": "2026-12-01", "title": "", "ticket": {}}),
            )),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        // The portal's chat window is public (a conversation is read with its secret only);
        // the conversations handed to a person are the call centre's.
        (Method::POST, "/api/v1/chat".into(), Some(Box::new(|| json!({"text": "xin chào"}))), [200; 7]),
        (Method::GET, format!("/api/v1/chat/{NO_DIRECTION}"), None, [422; 7]),
        (Method::GET, "/api/v1/conversations".into(), None, [401, 200, 200, 403, 403, 403, 403]),
        (Method::GET, format!("/api/v1/conversations/{NO_DIRECTION}"), None, [401, 404, 404, 403, 403, 403, 403]),
        (Method::POST, format!("/api/v1/conversations/{NO_DIRECTION}/take"), None, [401, 404, 404, 403, 403, 403, 403]),
        (
            Method::POST,
            format!("/api/v1/conversations/{NO_DIRECTION}/replies"),
            Some(Box::new(|| json!({"text": "Chào anh/chị"}))),
            [401, 404, 404, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            format!("/api/v1/conversations/{NO_DIRECTION}/release"),
            Some(Box::new(|| json!({}))),
            [401, 404, 404, 403, 403, 403, 403],
        ),
        // The hotline desk: personal data, the call centre's only; its figures are counts, for
        // statistics readers. The PBX webhook answers to its signature, not to a role.
        (Method::GET, "/api/v1/desk/extension".into(), None, [401, 200, 200, 403, 403, 403, 403]),
        (
            Method::PUT,
            "/api/v1/desk/extension".into(),
            Some(Box::new(|| json!({"extension": null}))),
            [401, 200, 200, 403, 403, 403, 403],
        ),
        (Method::GET, "/api/v1/desk/calls".into(), None, [401, 200, 200, 403, 403, 403, 403]),
        (
            Method::POST,
            "/api/v1/desk/history".into(),
            Some(Box::new(|| json!({"phone": "0905 000 111"}))),
            [401, 200, 200, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            "/api/v1/inquiries".into(),
            Some(Box::new(|| json!({"outcome": "answered", "topic": ""}))),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        (Method::GET, "/api/v1/inquiries".into(), None, [401, 200, 200, 403, 403, 403, 403]),
        (Method::GET, format!("/api/v1/inquiries/{NO_DIRECTION}"), None, [401, 404, 404, 403, 403, 403, 403]),
        (Method::GET, "/api/v1/callbacks".into(), None, [401, 200, 200, 403, 403, 403, 403]),
        (
            Method::POST,
            format!("/api/v1/callbacks/{NO_DIRECTION}/actions"),
            Some(Box::new(|| json!({"action": "take"}))),
            [401, 404, 404, 403, 403, 403, 403],
        ),
        (Method::GET, "/api/v1/stats/desk".into(), None, [401, 200, 200, 200, 200, 403, 200]),
        (
            Method::POST,
            "/webhooks/pbx".into(),
            Some(Box::new(|| json!({"call_id": "c", "event": "ringing"}))),
            [401; 7],
        ),
        // "Me too": anyone who may file supports an open report (an analyst's key reads only);
        // the supporters' contacts are for those who see reporters' contacts.
        (
            Method::POST,
            format!("/api/v1/tickets/{id}/supporters"),
            Some(Box::new(|| json!({"contact": {"phone": "x"}}))),
            [422, 422, 422, 422, 422, 422, 403],
        ),
        (Method::GET, format!("/api/v1/tickets/{id}/supporters"), None, [401, 200, 200, 403, 200, 403, 403]),
        (Method::GET, format!("/api/v1/public/nearby?lon={lon}&lat={lat}"), None, [200; 7]),
        (Method::GET, "/api/v1/procedures/0.000000".into(), None, [404; 7]),
        (
            Method::POST,
            "/api/v1/procedures/import?format=json".into(),
            Some(Box::new(|| json!([]))),
            [401, 422, 403, 403, 403, 403, 403],
        ),
        (Method::GET, format!("/api/v1/results?near={lon},{lat}"), None, [200; 7]),
        (Method::GET, "/api/v1/track/DN-0001-000001?token=x".into(), None, [404; 7]),
        (Method::GET, "/api/v1/users".into(), None, [401, 200, 403, 403, 403, 403, 403]),
        (Method::POST, "/api/v1/users".into(), Some(Box::new(user_body)), [401, 201, 403, 403, 403, 403, 403]),
        (Method::POST, "/api/v1/apikeys".into(), Some(Box::new(key_body)), [401, 201, 403, 403, 403, 403, 403]),
        // The Friday report and staff contacts: a user's own; an API key has none.
        (Method::GET, "/api/v1/reports".into(), None, [401, 200, 200, 200, 200, 403, 403]),
        (Method::GET, "/api/v1/reports/preview".into(), None, [401, 200, 200, 200, 200, 403, 403]),
        (Method::GET, format!("/api/v1/reports/{NO_DIRECTION}"), None, [401, 404, 404, 404, 404, 403, 403]),
        (Method::GET, format!("/api/v1/reports/{NO_DIRECTION}/report.xlsx"), None, [401, 404, 404, 404, 404, 403, 403]),
        (Method::GET, "/api/v1/me/contact".into(), None, [401, 200, 200, 200, 200, 403, 403]),
        (
            Method::PUT,
            "/api/v1/me/contact".into(),
            Some(Box::new(|| json!({"email": "m.contact@example.vn"}))),
            [401, 200, 200, 200, 200, 403, 403],
        ),
        (Method::GET, format!("/api/v1/users/{NO_DIRECTION}/contact"), None, [401, 200, 403, 403, 403, 403, 403]),
        (
            Method::PUT,
            format!("/api/v1/users/{NO_DIRECTION}/contact"),
            Some(Box::new(|| json!({"phone": "0905123456", "unit_head": true}))),
            [401, 404, 403, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            "/api/v1/track/DN-0001-000001/survey".into(),
            Some(Box::new(|| json!({"token": "x", "fixed": false}))),
            [404; 7],
        ),
        (Method::GET, format!("/api/v1/tickets/{id}/extras"), None, [401, 200, 200, 200, 200, 403, 403]),
        // Open311: every GET is public; POST requests takes an open311 key (here by Bearer).
        (Method::GET, "/open311/v2/discovery.json".into(), None, [200; 7]),
        (Method::GET, "/open311/v2/services.xml".into(), None, [200; 7]),
        (Method::GET, "/open311/v2/services/noise-karaoke.json".into(), None, [200; 7]),
        (Method::GET, "/open311/v2/requests.json".into(), None, [200; 7]),
        (Method::GET, format!("/open311/v2/requests/{}.xml", t["code"].as_str().unwrap()), None, [200; 7]),
        (Method::GET, format!("/open311/v2/tokens/{id}.json"), None, [200; 7]),
        (Method::GET, "/open311/v2/servicerequestupdates.json".into(), None, [200; 7]),
        (
            Method::POST,
            format!("/open311/v2/requests.json?service_code=beach-litter&lat={lat}&long={lon}"),
            None,
            [403, 403, 403, 403, 403, 201, 403],
        ),
        // Webhooks are authenticated by their signature, never by a role: unsigned is a 401 for all.
        (
            Method::POST,
            "/webhooks/sms".into(),
            Some(Box::new(|| json!({"from": "0905123456", "text": "x", "id": "r-1"}))),
            [401; 7],
        ),
        (
            Method::GET,
            "/webhooks/messenger?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1".into(),
            None,
            [403; 7],
        ),
        // Category suggestions are public (the portal's report form).
        (
            Method::POST,
            "/api/v1/categories/suggest".into(),
            Some(Box::new(|| json!({"text": "rác không ai thu gom"}))),
            [200; 7],
        ),
    ];
    rows.extend(super::console::role_rows(&app).await);
    rows.extend(super::tiles_roles::role_rows());
    let clients: [&Client; 7] =
        [&app.public, &app.admin, &app.operator, &app.leader, &app.agency, &app.open311, &app.analyst];
    // An office clerk (signed in, no ticket role) reaches what the public reaches; where the
    // public must sign in, the clerk is refused (a staff contact too: escalations and reports go
    // to the tickets' staff) — but for their own session, and the webhooks, which answer by
    // signature only.
    let clerk = crate::appointments::clerk(&app, "t.clerk", "DN-HCC").await;
    let clerk_expects = |method: &Method, path: &str, public: u16| match (method.as_str(), path) {
        (_, p) if p.starts_with("/webhooks/") => public,
        ("GET", "/api/v1/session") => 200,
        _ if public == 401 => 403,
        _ => public,
    };
    let mut failures = Vec::new();
    for (method, path, body, expected) in rows.iter_mut() {
        for (i, c) in clients.iter().enumerate() {
            let mut req = c.request(method.clone(), app.url(path));
            if let Some(b) = body.as_mut() {
                req = req.json(&b());
            }
            let got = req.send().await.unwrap().status().as_u16();
            if got != expected[i] {
                failures.push(format!("{method} {path} as {}: expected {}, got {got}", WHO[i], expected[i]));
            }
        }
        let mut req = clerk.request(method.clone(), app.url(path));
        if let Some(b) = body.as_mut() {
            req = req.json(&b());
        }
        let (got, want) = (req.send().await.unwrap().status().as_u16(), clerk_expects(method, path, expected[0]));
        if got != want {
            failures.push(format!("{method} {path} as clerk: expected {want}, got {got}"));
        }
    }

    // Photos (multipart bodies, so a loop of their own). The ticket is assigned to the agency's
    // unit, so its staff may add result photos; the public has no tracking token here.
    let png = super::photo_fixtures::small_png([120, 60, 30]);
    let mut photo_hash = String::new();
    for (i, c) in clients.iter().enumerate() {
        let r = super::photo_fixtures::upload(&app, c, &id, "", None, &[("photo", "p.png", "image/png", &png)]).await;
        let expected = [401, 201, 201, 403, 201, 403, 403][i];
        let got = r.status().as_u16();
        if got != expected {
            failures.push(format!("POST /api/v1/tickets/{{id}}/photos as {}: expected {expected}, got {got}", WHO[i]));
        } else if got == 201 {
            photo_hash = r.json::<Value>().await.unwrap()["photos"][0]["hash"].as_str().unwrap_or("").to_owned();
        }
    }
    // An unpublished report photo: staff who see the ticket, a 404 for everyone else.
    let photo_rows: [(Method, String, [u16; 7]); 3] = [
        (Method::GET, format!("/media/{photo_hash}.jpg"), [404, 200, 200, 200, 200, 404, 404]),
        (
            Method::POST,
            format!("/api/v1/tickets/{id}/photos/{photo_hash}/publish"),
            [401, 200, 200, 403, 403, 403, 403],
        ),
        (
            Method::DELETE,
            format!("/api/v1/tickets/{id}/photos/{photo_hash}/publish"),
            [401, 200, 200, 403, 403, 403, 403],
        ),
    ];
    for (method, path, expected) in photo_rows {
        for (i, c) in clients.iter().enumerate() {
            let got = c.request(method.clone(), app.url(&path)).send().await.unwrap().status().as_u16();
            if got != expected[i] {
                failures.push(format!("{method} {path} as {}: expected {}, got {got}", WHO[i], expected[i]));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // A wrong bearer key is a 401 even on public routes; a bad session cookie leaves you public.
    let bad = Client::new();
    let r = bad.get(app.url("/api/v1/categories")).bearer_auth("sbk_wrong").send().await.unwrap();
    assert_eq!(r.status(), 401);
    let r = bad.get(app.url("/api/v1/tickets")).header("cookie", "sb_session=forged").send().await.unwrap();
    assert_eq!(r.status(), 401);
    // Signing out ends the session.
    let r = app.operator.delete(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(app.operator.get(app.url("/api/v1/tickets")).send().await.unwrap().status(), 401);
    let r = bad
        .post(app.url("/api/v1/session"))
        .json(&json!({"name": "t.admin", "password": "wrong password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}
on_both_stores!(every_route_answers_each_role_as_declared);
