//! `GET requests` (filters, defaults, `page`/`page_size`), `GET requests/{id}` and `GET
//! tokens/{token}`, in both formats.

use chrono::{Duration, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard::domain::{Channel, Location, NewTicket, Priority, Ticket, TicketEvent, TicketId, TrackingToken};
use switchboard::store::{Created, NewTicketRecord};

use super::support::{get, json as get_json, json_errors, parse, xml, xml_errors};
use crate::harness::TestApp;
use crate::on_both_stores;

fn codes(xs: &[&String]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|r| r["service_request_id"].as_str().unwrap().to_owned()).collect()
}

/// Files a ticket as the operator in `category` and returns its code.
async fn file(app: &TestApp, category: &str, description: &str) -> String {
    let mut body = app.ticket_body(&app.hai_chau, description);
    body["category"] = json!(category);
    let r = app.operator.post(app.url("/api/v1/tickets")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["code"].as_str().unwrap().to_owned()
}

/// Stores a ticket received `days` ago straight into the store (not yet the index).
async fn store_days_ago(app: &TestApp, days: i64) -> Ticket {
    let (lon, lat) = app.point_in(&app.hai_chau);
    let at = Utc::now() - Duration::days(days);
    let new = NewTicket {
        channel: Channel::Hotline,
        category: switchboard::domain::CategoryCode::parse("pothole", "c").unwrap(),
        description: "Ổ gà cũ".into(),
        location: Location { lon, lat },
        address: None,
        area: None,
        priority: Priority::Normal,
    };
    let ticket = Ticket::received(TicketId::new_v7(), new, at, at + Duration::days(9));
    let event = TicketEvent {
        seq: 0,
        ticket_id: ticket.id,
        kind: switchboard::domain::EventKind::Created,
        actor: "system".into(),
        at,
        note: None,
        data: Value::Null,
    };
    let record = NewTicketRecord {
        code_prefix: "DN-OLD".into(),
        ticket,
        contact: Default::default(),
        token_hash: TrackingToken::generate().hash(),
        event,
        extras: Default::default(),
    };
    match app.store.create_ticket(record, None).await.unwrap() {
        Created::New { ticket, .. } => ticket,
        Created::Replayed { .. } => panic!("a new ticket"),
    }
}

/// Stores a ticket received `days` ago and waits until the index has it.
async fn file_days_ago(app: &TestApp, days: i64) -> String {
    let ticket = store_days_ago(app, days).await;
    let seq = app.store.last_seq().await.unwrap();
    app.services.projection.committed(seq).await;
    ticket.code.0
}

async fn filters_and_defaults_follow_the_spec(app: TestApp) {
    let pothole = file(&app, "pothole", "Ổ gà trước số 12").await;
    let litter = file(&app, "beach-litter", "Rác trên bãi biển").await;
    let rejected = file(&app, "pothole", "Phản ánh trùng lặp").await;
    let r = app.act(&app.operator, &rejected, json!({"action": "reject", "reason": "Không đủ thông tin"})).await;
    assert_eq!(r.status(), 200);
    let old = file_days_ago(&app, 100).await;

    // Default: the last 90 days, newest first.
    assert_eq!(ids(&get_json(&app, "requests.json", 200).await), codes(&[&rejected, &litter, &pothole]));
    // Filters combine; lists are comma-separated; empty values are absent.
    assert_eq!(ids(&get_json(&app, "requests.json?status=open", 200).await), codes(&[&litter, &pothole]));
    assert_eq!(ids(&get_json(&app, "requests.json?status=closed&service_code=", 200).await), codes(&[&rejected]));
    assert_eq!(
        ids(&get_json(&app, "requests.json?status=open,closed&service_code=pothole", 200).await),
        codes(&[&rejected, &pothole])
    );
    assert_eq!(
        ids(&get_json(&app, "requests.json?service_code=beach-litter,pothole&status=open", 200).await),
        codes(&[&litter, &pothole])
    );
    // service_request_id overrides every other parameter, in the order asked, in any case.
    let q = format!(
        "requests.json?service_request_id={},{old},nope&status=closed&start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z&page_size=1",
        litter.to_lowercase()
    );
    assert_eq!(ids(&get_json(&app, &q, 200).await), codes(&[&litter, &old]));
    // Dates: the old ticket is inside a window that covers it; a window over 90 days is refused.
    let day = |d: i64| (Utc::now() - Duration::days(d)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let q = format!("requests.json?start_date={}&end_date={}", day(110), day(30));
    assert_eq!(ids(&get_json(&app, &q, 200).await), codes(&[&old]));
    assert_eq!(ids(&get_json(&app, &format!("requests.json?end_date={}", day(50)), 200).await), codes(&[&old]));
    assert_eq!(ids(&get_json(&app, &format!("requests.json?start_date={}", day(1)), 200).await).len(), 3);
    let r = get(&app, &format!("requests.json?start_date={}&end_date={}", day(200), day(1))).await;
    assert_eq!(r.status(), 400);
    assert!(json_errors(r).await[0].1.contains("90 days"));
    for bad in ["status=pending", "service_code=no-such", "start_date=h%C3%B4m+qua", "page=0", "page_size=1001"] {
        let r = get(&app, &format!("requests.json?{bad}")).await;
        assert_eq!(r.status(), 400, "{bad}");
        assert_eq!(json_errors(r).await[0].0, 400);
    }
    let r = get(&app, "requests.xml?status=pending").await;
    assert_eq!(xml_errors(r).await[0].0, 400);
    // page / page_size.
    assert_eq!(ids(&get_json(&app, "requests.json?page_size=2", 200).await), codes(&[&rejected, &litter]));
    assert_eq!(ids(&get_json(&app, "requests.json?page_size=2&page=2", 200).await), codes(&[&pothole]));
    assert!(ids(&get_json(&app, "requests.json?page_size=2&page=3", 200).await).is_empty());
}
on_both_stores!(filters_and_defaults_follow_the_spec);

async fn at_most_1000_requests_come_back_by_default(app: TestApp) {
    for i in 0..1005 {
        store_days_ago(&app, i % 80).await;
    }
    app.services.projection.rebuild().await.unwrap();
    let all = get_json(&app, "requests.json", 200).await;
    assert_eq!(all.as_array().unwrap().len(), 1000);
    let rest = get_json(&app, "requests.json?page=2", 200).await;
    assert_eq!(rest.as_array().unwrap().len(), 5, "the rest on the next page of 1000");
    let first = ids(&all);
    assert!(ids(&rest).iter().all(|id| !first.contains(id)), "pages do not overlap");
}
on_both_stores!(at_most_1000_requests_come_back_by_default);

#[derive(Debug, Deserialize)]
struct XRequests {
    #[serde(default)]
    request: Vec<XRequest>,
}
#[derive(Debug, Deserialize)]
struct XRequest {
    service_request_id: String,
    status: String,
    status_notes: String,
    service_name: String,
    service_code: String,
    description: String,
    agency_responsible: Option<String>,
    service_notice: String,
    requested_datetime: String,
    updated_datetime: String,
    expected_datetime: String,
    address: Option<String>,
    address_id: Option<String>,
    zipcode: Option<String>,
    lat: f64,
    long: f64,
    media_url: Option<String>,
}

async fn a_request_reads_the_same_in_json_and_xml(app: TestApp) {
    let code = file(&app, "pothole", "Ổ gà sâu giữa đường").await;
    let unit = app.agency_unit.clone();
    let r = app.act(&app.operator, &code, json!({"action": "assign", "unit": unit})).await;
    assert_eq!(r.status(), 200);
    let j = get_json(&app, &format!("requests/{code}.json"), 200).await;
    assert_eq!(j.as_array().unwrap().len(), 1);
    let j = &j[0];
    let unit_name =
        app.services.reference.current().units.iter().find(|u| u.code.as_str() == unit).unwrap().name_vi.clone();
    assert_eq!(j["status"], "open");
    assert_eq!(j["agency_responsible"], unit_name.as_str());
    assert!(j["status_notes"].as_str().unwrap().starts_with(&format!("Đã chuyển đến {unit_name}")), "{j}");
    assert_eq!(j["service_name"], "Mặt đường hư hỏng, ổ gà");
    assert_eq!((j["address_id"].is_null(), j["zipcode"].is_null(), j["media_url"].is_null()), (true, true, true));
    assert!(j["requested_datetime"].as_str().unwrap().ends_with("+07:00"));
    assert!(j["lat"].is_f64() && j["long"].is_f64());

    let (root, text) = xml(&app, &format!("requests/{}.xml", code.to_lowercase()), 200).await;
    assert_eq!(root, "service_requests");
    let x: XRequests = parse(&text);
    let x = &x.request[0];
    assert_eq!((x.service_request_id.as_str(), x.status.as_str()), (code.as_str(), "open"));
    assert_eq!((x.service_code.as_str(), x.service_name.as_str()), ("pothole", "Mặt đường hư hỏng, ổ gà"));
    assert_eq!(x.description, "Ổ gà sâu giữa đường");
    assert_eq!(x.agency_responsible.as_deref(), Some(unit_name.as_str()));
    assert_eq!(x.status_notes, j["status_notes"].as_str().unwrap());
    assert_eq!(x.service_notice, j["service_notice"].as_str().unwrap());
    assert_eq!(
        (x.requested_datetime.as_str(), x.updated_datetime.as_str()),
        (j["requested_datetime"].as_str().unwrap(), j["updated_datetime"].as_str().unwrap())
    );
    assert_eq!(x.expected_datetime, j["expected_datetime"].as_str().unwrap());
    assert_eq!((x.lat, x.long), (j["lat"].as_f64().unwrap(), j["long"].as_f64().unwrap()));
    // null in JSON, an empty element in XML.
    assert_eq!((x.address_id.as_deref(), x.zipcode.as_deref(), x.media_url.as_deref()), (Some(""), Some(""), Some("")));
    assert_eq!(x.address.as_deref(), Some(""));
    let (_, list) = xml(&app, "requests.xml?status=open", 200).await;
    assert_eq!(parse::<XRequests>(&list).request[0].service_request_id, code);
    let (_, empty) = xml(&app, "requests.xml?status=closed", 200).await;
    assert!(parse::<XRequests>(&empty).request.is_empty());

    // Closed requests: closed, with the result, updated when closed.
    for action in [json!({"action": "accept"}), json!({"action": "resolve", "result": "Đã vá ổ gà"})] {
        assert_eq!(app.act(&app.agency, &code, action).await.status(), 200);
    }
    let j = get_json(&app, &format!("requests/{code}.json"), 200).await;
    assert_eq!(j[0]["status"], "closed");
    assert_eq!(j[0]["status_notes"], "Đã xử lý xong: Đã vá ổ gà / Resolved");

    // Unknown ids are 404s.
    for path in ["requests/DN-0000-999999.json", "requests/not%20an%20id.json"] {
        let r = get(&app, path).await;
        assert_eq!(r.status(), 404, "{path}");
        assert_eq!(json_errors(r).await[0].0, 404);
    }
    let r = get(&app, "requests/DN-0000-999999.xml").await;
    assert_eq!(xml_errors(r).await[0].0, 404);
}
on_both_stores!(a_request_reads_the_same_in_json_and_xml);

#[derive(Debug, Deserialize)]
struct XTokens {
    request: Vec<XToken>,
}
#[derive(Debug, Deserialize)]
struct XToken {
    service_request_id: String,
    token: String,
}

async fn tokens_map_to_request_ids(app: TestApp) {
    let code = file(&app, "pothole", "Ổ gà").await;
    let uuid = app.get_json(&app.operator, &format!("/api/v1/tickets/{code}")).await["id"].as_str().unwrap().to_owned();
    for token in [uuid.as_str(), code.as_str()] {
        let j = get_json(&app, &format!("tokens/{token}.json"), 200).await;
        assert_eq!(j, json!([{"service_request_id": code, "token": token}]));
        let (root, text) = xml(&app, &format!("tokens/{token}.xml"), 200).await;
        assert_eq!(root, "service_requests");
        let x: XTokens = parse(&text);
        assert_eq!((x.request[0].service_request_id.as_str(), x.request[0].token.as_str()), (code.as_str(), token));
    }
    let unknown = uuid::Uuid::now_v7().to_string();
    let r = get(&app, &format!("tokens/{unknown}.json")).await;
    assert_eq!(r.status(), 404);
    assert!(json_errors(r).await[0].1.contains(&unknown));
    let r = get(&app, "tokens/x%20y.xml").await;
    assert_eq!(xml_errors(r).await[0].0, 404);
}
on_both_stores!(tokens_map_to_request_ids);
