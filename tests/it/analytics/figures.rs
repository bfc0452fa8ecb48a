//! Every figure of `GET /api/v1/stats` and `/api/v1/stats/trends` equals an independent count
//! over the tickets and events in the store, live and after a restart.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use switchboard::analytics::{Catalogue, Measures, Query, Week};
use switchboard::domain::{HolidayCalendar, Scope, Ticket};
use switchboard::service::Services;
use switchboard::service::stats::{StatsParams, catalogue};

use super::oracle::{self, Event, World};
use crate::harness::TestApp;
use crate::on_both_stores;

/// Files tickets in two districts with several categories and channels, and moves them
/// through assignment, acceptance, forwarding, return, resolution, reopening, extension,
/// rejection and rating.
pub async fn busy_city(app: &TestApp) -> Vec<String> {
    let categories: Vec<String> =
        app.services.reference.current().categories.iter().map(|c| c.code.to_string()).collect();
    let other_unit = app
        .services
        .reference
        .current()
        .units
        .iter()
        .find(|u| u.code.as_str() != app.agency_unit)
        .expect("a second unit")
        .code
        .to_string();
    let mut ids = Vec::new();
    for i in 0..14 {
        let district = if i % 3 == 0 { app.son_tra.clone() } else { app.hai_chau.clone() };
        let mut body = app.ticket_body(&district, &format!("Phản ánh số {i}: rác thải, tiếng ồn"));
        body["category"] = json!(categories[i % categories.len().min(4)]);
        if i % 4 == 1 {
            body["priority"] = json!("high");
        }
        let r = app.operator.post(app.url("/api/v1/tickets")).json(&body).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let t: Value = r.json().await.unwrap();
        ids.push(t["id"].as_str().unwrap().to_owned());
    }
    let unit = app.agency_unit.clone();
    let ok = |r: reqwest::Response| async move {
        let status = r.status();
        assert_eq!(status, StatusCode::OK, "{}", r.text().await.unwrap_or_default());
    };
    for (i, id) in ids.iter().enumerate() {
        match i % 7 {
            0 => {}
            1 => {
                ok(app.act(&app.operator, id, json!({"action": "assign", "unit": unit})).await).await;
                ok(app.act(&app.agency, id, json!({"action": "accept"})).await).await;
                ok(app.act(&app.agency, id, json!({"action": "resolve", "result": "Đã thu gom"})).await).await;
                ok(app.act(&app.operator, id, json!({"action": "rate", "rating": 5})).await).await;
            }
            2 => {
                ok(app.act(&app.operator, id, json!({"action": "assign", "unit": unit})).await).await;
                ok(app.act(&app.agency, id, json!({"action": "return", "reason": "Không thuộc thẩm quyền"})).await)
                    .await;
                ok(app.act(&app.operator, id, json!({"action": "assign", "unit": other_unit})).await).await;
            }
            3 => {
                ok(app.act(&app.operator, id, json!({"action": "assign", "unit": unit})).await).await;
                ok(app.act(&app.agency, id, json!({"action": "accept"})).await).await;
                ok(app.act(&app.agency, id, json!({"action": "resolve", "result": "Xong"})).await).await;
                ok(app.act(&app.operator, id, json!({"action": "reopen", "reason": "Chưa xử lý"})).await).await;
                ok(app.act(&app.agency, id, json!({"action": "accept"})).await).await;
                ok(app.act(&app.agency, id, json!({"action": "resolve", "result": "Xong hẳn"})).await).await;
                ok(app.act(&app.operator, id, json!({"action": "rate", "rating": 2})).await).await;
            }
            4 => {
                ok(app.act(&app.operator, id, json!({"action": "reject", "reason": "Không phải phản ánh"})).await).await
            }
            5 => {
                ok(app.act(&app.operator, id, json!({"action": "assign", "unit": unit})).await).await;
                ok(app.act(&app.operator, id, json!({"action": "forward", "unit": other_unit})).await).await;
                ok(app.act(&app.operator, id, json!({"action": "extend", "days": 3, "reason": "Cần khảo sát"})).await)
                    .await;
            }
            _ => {
                ok(app.act(&app.operator, id, json!({"action": "assign", "unit": unit})).await).await;
                ok(app.act(&app.agency, id, json!({"action": "accept"})).await).await;
                ok(app.act(&app.agency, id, json!({"action": "resolve", "result": "Đã sửa"})).await).await;
                ok(app.act(&app.operator, id, json!({"action": "close"})).await).await;
            }
        }
    }
    ids
}

/// What the store holds, as the oracle reads it.
async fn world_of(app: &TestApp) -> (Vec<Ticket>, Vec<Event>) {
    let tickets = app.store.all_tickets().await.unwrap();
    let events = app
        .store
        .events_after(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| Event { seq: e.seq, kind: e.kind, at: e.at, ticket: serde_json::from_value(e.data).unwrap() })
        .collect();
    (tickets, events)
}

fn measures(v: &Value) -> Measures {
    // The API's measures, read back into the engine's type for an exact comparison.
    let m = &v["measures"];
    let opt_f = |k: &str| m[k].as_f64();
    let opt_u = |k: &str| m[k].as_u64().map(|x| x as u32);
    let u = |k: &str| m[k].as_u64().unwrap_or_else(|| panic!("{k} in {m}"));
    let arr = |k: &str| -> [u64; 5] { std::array::from_fn(|i| m[k][i].as_u64().unwrap()) };
    Measures {
        received: u("received"),
        resolved: u("resolved"),
        rejected: u("rejected"),
        duplicates: u("duplicates"),
        open: u("open"),
        overdue: u("overdue"),
        on_time: u("on_time"),
        late: u("late"),
        on_time_rate: opt_f("on_time_rate"),
        lateness_rate: opt_f("lateness_rate"),
        handling_days_median: opt_u("handling_days_median"),
        handling_days_p90: opt_u("handling_days_p90"),
        handling_hours_median: opt_f("handling_hours_median"),
        handling_hours_p90: opt_f("handling_hours_p90"),
        returned: u("returned"),
        forwarded: u("forwarded"),
        reopened: u("reopened"),
        reopen_rate: opt_f("reopen_rate"),
        rated: u("rated"),
        rating_mean: opt_f("rating_mean"),
        ratings: arr("ratings"),
        rating_response_rate: opt_f("rating_response_rate"),
        backlog: arr("backlog"),
    }
}

fn key_of(row: &Value) -> Vec<String> {
    row["key"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| match &k["value"] {
            Value::Null => "-".to_owned(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// The query the server understood from `qs`, for the oracle.
fn query_of(services: &Services, qs: &str) -> Query {
    let params: StatsParams = serde_urlencoded::from_str(qs).unwrap();
    services.analytics.parse(&params).unwrap().query
}

const QUERIES: [&str; 8] = [
    "group=area:district",
    "group=area:ward,unit",
    "group=field,channel",
    "group=category,priority",
    "group=hour,weekday",
    "group=day&period=last_30_days",
    "basis=resolved&period=this_month&group=unit",
    "priority=high,normal&group=week",
];

async fn every_figure_matches_an_independent_count_of_the_store(app: TestApp) {
    busy_city(&app).await;
    let (tickets, events) = world_of(&app).await;
    let cat: Catalogue = catalogue(&app.services.reference.current());
    let calendar = HolidayCalendar::vietnam();
    for qs in QUERIES {
        let got = app.get_json(&app.admin, &format!("/api/v1/stats?{qs}")).await;
        let world = World { tickets: &tickets, events: &events, cat: &cat, calendar: &calendar, now: Utc::now() };
        let q = query_of(&app.services, qs);
        let (groups, total) = oracle::table(&world, &q, &Scope::All);
        let rows: BTreeMap<Vec<String>, Measures> =
            got["rows"].as_array().unwrap().iter().map(|r| (key_of(r), measures(r))).collect();
        assert_eq!(rows, groups, "{qs}");
        assert_eq!(measures(&got["total"]), total, "{qs}");
    }
    assert!(events.iter().any(|e| e.kind == switchboard::domain::EventKind::Reopened), "the history has a reopening");

    let trend = app.get_json(&app.admin, "/api/v1/stats/trends").await;
    let weeks: Vec<Week> = trend["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| Week {
            week: w["week"].as_str().unwrap().parse().unwrap(),
            received: w["received"].as_u64().unwrap(),
            resolved: w["resolved"].as_u64().unwrap(),
            late: w["late"].as_u64().unwrap(),
            backlog: w["backlog"].as_u64().unwrap(),
        })
        .collect();
    let world = World { tickets: &tickets, events: &events, cat: &cat, calendar: &calendar, now: Utc::now() };
    let (from, to) = (trend["from"].as_str().unwrap().parse().unwrap(), trend["to"].as_str().unwrap().parse().unwrap());
    assert_eq!(weeks, oracle::weeks(&world, &Query::default(), &Scope::All, from, to));
    assert_eq!(weeks.len(), 12);
    assert_eq!(weeks.last().unwrap().received, 14, "this week's tickets");
}
on_both_stores!(every_figure_matches_an_independent_count_of_the_store);

async fn a_restart_rebuilds_the_same_figures_from_the_store(app: TestApp) {
    busy_city(&app).await;
    let services = Services::start(app.store.clone(), &app.settings.services()).await.unwrap();
    let admin = switchboard::domain::Principal::ApiKey { name: "t".into(), role: switchboard::domain::Role::Admin };
    let now = Utc::now() + Duration::minutes(1);
    for qs in QUERIES {
        let req = app.services.analytics.parse(&serde_urlencoded::from_str(qs).unwrap()).unwrap();
        let live = app.services.analytics.report_at(&admin, &req, now).unwrap();
        let rebuilt = services.analytics.report_at(&admin, &req, now).unwrap();
        assert_eq!(live, rebuilt, "{qs}");
        let live = app.services.analytics.trends_at(&admin, &req, now).unwrap();
        assert_eq!(live, services.analytics.trends_at(&admin, &req, now).unwrap(), "{qs}");
    }
}
on_both_stores!(a_restart_rebuilds_the_same_figures_from_the_store);

async fn figures_follow_each_change_without_a_reload(app: TestApp) {
    let t = app.file(&app.hai_chau.clone(), "Đèn đường hỏng").await;
    let before = app.get_json(&app.leader, "/api/v1/stats").await;
    assert_eq!(before["total"]["measures"]["open"], 1);
    let id = t["id"].as_str().unwrap();
    assert_eq!(
        app.act(&app.operator, id, json!({"action": "assign", "unit": app.agency_unit})).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.act(&app.agency, id, json!({"action": "accept"})).await.status(), StatusCode::OK);
    assert_eq!(
        app.act(&app.agency, id, json!({"action": "resolve", "result": "Đã thay bóng"})).await.status(),
        StatusCode::OK
    );
    let after = app.get_json(&app.leader, "/api/v1/stats").await;
    assert_eq!(after["total"]["measures"]["open"], 0);
    assert_eq!(after["total"]["measures"]["resolved"], 1);
    assert_eq!(after["total"]["measures"]["on_time"], 1);
    assert_eq!(after["total"]["measures"]["on_time_rate"], 1.0);
}
on_both_stores!(figures_follow_each_change_without_a_reload);
