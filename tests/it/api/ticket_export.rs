//! Ticket lists as CSV: the same tickets as the list API (beyond one page), in the role's
//! scope, with Excel's byte-order mark, formulas made inert, no reporter's contact; and the
//! export streamed page by page gives the same bytes.

use futures_util::StreamExt;
use serde_json::{Value, json};
use switchboard::domain::Principal;
use switchboard::service::query::ListParams;

use crate::harness::TestApp;
use crate::on_both_stores;

/// The CSV's data rows (header dropped) as fields.
fn rows(csv: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect()
}

async fn export(app: &TestApp, who: &reqwest::Client, query: &str) -> String {
    let r = who.get(app.url(&format!("/api/v1/tickets/export.csv{query}"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    r.text().await.unwrap()
}

async fn ticket_lists_export_as_csv_within_the_roles_scope(app: TestApp) {
    let (hc, st) = (app.hai_chau.clone(), app.son_tra.clone());
    for i in 0..3 {
        let mut body = app.ticket_body(&hc, &format!("Rác ở kiệt {i} Hải Châu"));
        body["reporter"] = json!({"name": "Lê Thị Hoa", "phone": "0905123456"});
        let r = app.operator.post(app.url("/api/v1/tickets")).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 201);
    }
    app.file(&hc, "=HYPERLINK(\"http://evil.example\",\"bấm vào đây\")").await;
    for i in 0..2 {
        app.file(&st, &format!("Đèn hỏng ở Sơn Trà {i}")).await;
    }
    let all = export(&app, &app.admin, "").await;
    assert!(all.starts_with('\u{feff}'), "a byte-order mark for Excel");
    assert!(all.lines().next().unwrap().contains("Mã / Code"));
    let got = rows(&all);
    let list: Value = app.get_json(&app.admin, "/api/v1/tickets?limit=100").await;
    let codes: Vec<&str> = list["items"].as_array().unwrap().iter().map(|t| t["code"].as_str().unwrap()).collect();
    assert_eq!(got.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), codes, "the list's tickets, newest first");
    assert!(got.iter().any(|r| r[9] == "Hải Châu") && got.iter().any(|r| r[9] == "Sơn Trà"), "{all}");
    assert!(got.iter().any(|r| r[19].starts_with("'=HYPERLINK")), "a formula is made inert: {all}");
    assert!(!all.contains("0905123456") && !all.contains("Lê Thị Hoa"), "no reporter's contact");

    // The list's filters apply; a leader gets their areas only, and nothing else.
    let hc_only = rows(&export(&app, &app.admin, &format!("?area={hc}")).await);
    assert_eq!(hc_only.len(), 4);
    let leader = rows(&export(&app, &app.leader, "").await);
    assert_eq!(leader.len(), 4);
    assert!(leader.iter().all(|r| r[9] == "Hải Châu"), "nothing of Sơn Trà for Hải Châu's leader");
    let r = app.leader.get(app.url(&format!("/api/v1/tickets/export.csv?area={st}"))).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = app.admin.get(app.url("/api/v1/tickets/export.csv?status=nonsense")).send().await.unwrap();
    assert_eq!(r.status(), 422);

    // Streamed two tickets a page: the same bytes as in one go.
    let (user, _) = app.store.user_by_name("t.admin").await.unwrap().unwrap();
    let p = Principal::User(user);
    let tickets = &app.services.tickets;
    let mut paged = Vec::new();
    let mut s = Box::pin(tickets.export_csv(ListParams::default().parse(tickets.now()).unwrap(), &p, 2).unwrap());
    let mut chunks = 0;
    while let Some(b) = s.next().await {
        paged.extend_from_slice(&b.unwrap());
        chunks += 1;
    }
    assert_eq!(chunks, 1 + 3, "the header, then three pages of two");
    assert_eq!(String::from_utf8(paged).unwrap(), all);
}
on_both_stores!(ticket_lists_export_as_csv_within_the_roles_scope);
