//! `POST requests`: the `api_key` rules, locations, attributes and errors, in both formats.

use reqwest::Client;
use serde::Deserialize;
use switchboard::domain::{Answer, TicketId};

use super::support::{api_key, hai_chau, json, json_errors, parse, post, root, xml_errors};
use crate::harness::TestApp;
use crate::on_both_stores;

#[derive(Debug, Deserialize)]
struct XCreated {
    request: Vec<XCreatedRequest>,
}
#[derive(Debug, Deserialize)]
struct XCreatedRequest {
    service_request_id: String,
    service_notice: String,
    account_id: Option<String>,
}

async fn a_request_is_filed_with_its_attributes_and_answered_with_its_id(app: TestApp) {
    let key = api_key(&app, "zalo-311").await;
    let (lat, long) = hai_chau(&app);
    let r = post(
        &app,
        "json",
        &[
            ("api_key", &key),
            ("jurisdiction_id", "danang.gov.vn"),
            ("service_code", "construction-waste"),
            ("lat", &lat),
            ("long", &long),
            ("address_string", "Kiệt 12 Trần Phú, Hải Châu"),
            ("description", "Xe ba gác đổ trộm xà bần ra đầu kiệt lúc nửa đêm"),
            ("attribute[volume_m3]", "2,5"),
            ("attribute[waste_type]", "concrete"),
            ("media_url", "https://anh.example.vn/p/123.jpg"),
            ("first_name", "An"),
            ("last_name", "Nguyễn Văn"),
            ("phone", "0905123456"),
            ("email", "an@example.vn"),
            ("account_id", "zalo-778899"),
            ("device_id", "android-42"),
        ],
    )
    .await;
    assert_eq!(r.status(), 201);
    let body: serde_json::Value = r.json().await.unwrap();
    let created = &body[0];
    let id = created["service_request_id"].as_str().expect("the id is a string");
    assert!(id.starts_with("DN-"), "{id}");
    assert_eq!(created["account_id"], "zalo-778899");
    assert!(created["service_notice"].as_str().unwrap().contains("ngày làm việc"));

    // Filed through the common intake: an Open311 ticket with the reporter's contact
    // (Vietnamese name order) for the centre, and the answers and the photo stored with it.
    let staff = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(staff["channel"], "open311");
    assert_eq!(staff["category"], "construction-waste");
    assert_eq!(staff["reporter"]["name"], "Nguyễn Văn An");
    assert_eq!(staff["reporter"]["phone"], "0905123456");
    assert_eq!(staff["address"], "Kiệt 12 Trần Phú, Hải Châu");
    let tid = TicketId::parse(staff["id"].as_str().unwrap(), "id").unwrap();
    let extras = app.store.ticket_extras(&[tid]).await.unwrap();
    let e = &extras[0].1;
    assert_eq!(e.media_url.as_deref(), Some("https://anh.example.vn/p/123.jpg"));
    assert_eq!(e.attributes["volume_m3"], Answer::Number(2.5));
    assert_eq!(e.attributes["waste_type"], Answer::Text("concrete".into()));

    // Staff handling it see the answers and the photo; a leader of another district does not.
    let seen = app.get_json(&app.operator, &format!("/api/v1/tickets/{id}/extras")).await;
    assert_eq!(seen["media_url"], "https://anh.example.vn/p/123.jpg");
    assert_eq!(seen["attributes"], serde_json::json!({"volume_m3": 2.5, "waste_type": "concrete"}));
    let r = app.other_leader.get(app.url(&format!("/api/v1/tickets/{id}/extras"))).send().await.unwrap();
    assert_eq!(r.status(), 403);

    // The request reads back at once.
    let got = json(&app, &format!("requests/{id}.json"), 200).await;
    assert_eq!(got[0]["service_request_id"], id);
    assert_eq!(got[0]["status"], "open");
    assert_eq!(got[0]["media_url"], "https://anh.example.vn/p/123.jpg");

    // The same in XML, with a list attribute sent as attribute[code][]; the key by Bearer.
    let bearer = Client::new()
        .post(app.url("/open311/v2/requests.xml"))
        .bearer_auth(&key)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "service_code=noise-construction-night&lat={lat}&long={long}\
             &attribute%5Bmachinery%5D%5B%5D=drill&attribute[machinery][]=trucks&attribute[started_at]=2026-11-05T22:30:00%2B07:00"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), 201);
    let text = bearer.text().await.unwrap();
    assert_eq!(root(&text), "service_requests");
    let x: XCreated = parse(&text);
    let xid = &x.request[0].service_request_id;
    assert!(xid.starts_with("DN-") && xid != id, "{text}");
    assert!(x.request[0].service_notice.contains("working days"));
    assert_eq!(x.request[0].account_id.as_deref(), Some(""), "no account_id: an empty element");
    let staff = app.get_json(&app.operator, &format!("/api/v1/tickets/{xid}")).await;
    assert_eq!(staff["description"], "Thi công gây ồn vào ban đêm", "no description: the service's name");
    let tid = TicketId::parse(staff["id"].as_str().unwrap(), "id").unwrap();
    let e = &app.store.ticket_extras(&[tid]).await.unwrap()[0].1;
    assert_eq!(e.attributes["machinery"], Answer::List(vec!["drill".into(), "trucks".into()]));
    assert_eq!(e.attributes["started_at"], Answer::Text("2026-11-05T15:30:00Z".into()));
}
on_both_stores!(a_request_is_filed_with_its_attributes_and_answered_with_its_id);

async fn the_api_key_is_required_and_must_be_an_open311_key(app: TestApp) {
    let (lat, long) = hai_chau(&app);
    let fields = |key: &'static str| {
        let (lat, long) = (lat.clone(), long.clone());
        move || {
            let mut v = vec![
                ("service_code".to_owned(), "beach-litter".to_owned()),
                ("lat".to_owned(), lat.clone()),
                ("long".to_owned(), long.clone()),
            ];
            if !key.is_empty() {
                v.push(("api_key".to_owned(), key.to_owned()));
            }
            v
        }
    };
    let send = |format: &'static str, f: Vec<(String, String)>| {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        Client::new()
            .post(app.url(&format!("/open311/v2/requests.{format}")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let r = send("json", fields("")()).await.unwrap();
    assert_eq!(r.status(), 403);
    let e = json_errors(r).await;
    assert_eq!(e[0].0, 403);
    assert!(e[0].1.contains("api_key"), "{e:?}");
    let r = send("xml", fields("sbk_not-a-key")()).await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(xml_errors(r).await[0], (403, "Invalid api_key received".to_owned()));
    // A key of another role (an operator's integration key) is not an Open311 key.
    let (_, admin_key) = app.services.accounts.create_api_key("crm-sync", "operator").await.unwrap();
    let mut f = fields("")();
    f.push(("api_key".into(), admin_key));
    let r = send("json", f).await.unwrap();
    assert_eq!(r.status(), 403);
    // A signed-in operator without a key is refused too (Open311 is for keys).
    let r = app
        .operator
        .post(app.url("/open311/v2/requests.json"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("service_code=beach-litter&lat={lat}&long={long}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Nothing was filed by any of these.
    assert!(app.services.projection.indexed() == 0);
}
on_both_stores!(the_api_key_is_required_and_must_be_an_open311_key);

async fn bad_submissions_are_refused_naming_the_parameter(app: TestApp) {
    let key = api_key(&app, "web-311").await;
    let (lat, long) = hai_chau(&app);
    let base = |code: &'static str| vec![("api_key", key.clone()), ("service_code", code.to_owned())];
    let with = |mut v: Vec<(&'static str, String)>, more: &[(&'static str, &str)]| {
        v.extend(more.iter().map(|(k, x)| (*k, x.to_string())));
        v
    };
    let loc = [("lat", lat.as_str()), ("long", long.as_str())];
    // (fields, status, words the one error must contain)
    type Case = (Vec<(&'static str, String)>, u16, &'static str);
    let cases: Vec<Case> = vec![
        (vec![("api_key", key.clone())], 400, "service_code"),
        (with(base("no-such-service"), &loc), 404, "no-such-service"),
        (with(base("beach-litter"), &[("lat", lat.as_str())]), 400, "long"),
        (base("beach-litter"), 400, "lat/long"),
        (with(base("beach-litter"), &[("address_id", "545483")]), 400, "address_id"),
        (with(base("beach-litter"), &[("address_string", "nhà tôi, cuối hẻm")]), 400, "address_string"),
        (with(base("beach-litter"), &[("lat", "16.06"), ("long", "phía đông")]), 400, "long"),
        (with(base("beach-litter"), &[("lat", "21.03"), ("long", "105.85")]), 400, "lat/long"),
        (with(base("construction-waste"), &loc), 400, "attribute[volume_m3]"),
        (
            with(base("noise-karaoke"), &[loc[0], loc[1], ("attribute[time_of_day]", "midnight")]),
            400,
            "attribute[time_of_day]",
        ),
        (with(base("beach-litter"), &[loc[0], loc[1], ("attribute[colour]", "red")]), 400, "attribute[colour]"),
        (with(base("beach-litter"), &[loc[0], loc[1], ("phone", "gọi tôi")]), 400, "phone"),
        (with(base("beach-litter"), &[loc[0], loc[1], ("email", "not-an-email")]), 400, "email"),
        (with(base("beach-litter"), &[loc[0], loc[1], ("media_url", "file:///etc/passwd")]), 400, "media_url"),
    ];
    for (fields, status, words) in cases {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = post(&app, "json", &pairs).await;
        assert_eq!(r.status().as_u16(), status, "{fields:?}");
        let e = json_errors(r).await;
        assert!(e.iter().all(|(c, _)| *c == status as u64), "{e:?}");
        assert!(e.iter().any(|(_, d)| d.contains(words)), "{words} in {e:?}");
    }
    // Several faults, several errors; in XML too.
    let pairs = [("api_key", key.as_str()), ("service_code", "noise-karaoke"), ("lat", "abc"), ("long", "1")];
    let r = post(&app, "xml", &pairs).await;
    assert_eq!(r.status(), 400);
    let e = xml_errors(r).await;
    assert!(e.len() >= 2 && e.iter().all(|(c, _)| *c == 400), "{e:?}");
    // A JSON body is not a form.
    let r = Client::new()
        .post(app.url("/open311/v2/requests.json"))
        .header("content-type", "application/json")
        .body(r#"{"service_code":"beach-litter"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(json_errors(r).await[0].1.contains("x-www-form-urlencoded"));
    assert!(app.services.projection.indexed() == 0, "nothing was filed");

    // An address naming a known place is enough: it is located there.
    let r = post(
        &app,
        "json",
        &[("api_key", &key), ("service_code", "beach-litter"), ("address_string", "Chân cầu Rồng, phía Sơn Trà")],
    )
    .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<serde_json::Value>().await.unwrap()[0]["service_request_id"].as_str().unwrap().to_owned();
    let got = json(&app, &format!("requests/{id}.json"), 200).await;
    assert_eq!((got[0]["lat"].as_f64(), got[0]["long"].as_f64()), (Some(16.0612), Some(108.2272)));
    assert_eq!(got[0]["address"], "Chân cầu Rồng, phía Sơn Trà");
}
on_both_stores!(bad_submissions_are_refused_naming_the_parameter);
