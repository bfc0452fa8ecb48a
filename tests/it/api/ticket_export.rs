//! Ticket lists as CSV and XLSX: the same tickets as the list API (beyond one page), in the
//! role's scope, with Excel's byte-order mark, formulas made inert, the reporter's contact only
//! when asked for and only for the centre; the export streamed page by page gives the same
//! bytes; an analyst's key reads city-wide and nothing personal.

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
    let mut s =
        Box::pin(tickets.export_csv(ListParams::default().parse(tickets.now()).unwrap(), &p, false, 2).unwrap());
    let mut chunks = 0;
    while let Some(b) = s.next().await {
        paged.extend_from_slice(&b.unwrap());
        chunks += 1;
    }
    assert_eq!(chunks, 1 + 3, "the header, then three pages of two");
    assert_eq!(String::from_utf8(paged).unwrap(), all);
}
on_both_stores!(ticket_lists_export_as_csv_within_the_roles_scope);

/// The sheet's rows, header first.
async fn xlsx_rows(app: &TestApp, who: &reqwest::Client, query: &str) -> Vec<Vec<calamine::Data>> {
    use calamine::{Reader, Xlsx};
    let r = who.get(app.url(&format!("/api/v1/tickets/export.xlsx{query}"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains(".xlsx"));
    let bytes = r.bytes().await.unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("Phản ánh").unwrap();
    sheet.rows().map(<[calamine::Data]>::to_vec).collect()
}

fn text(d: &calamine::Data) -> String {
    match d {
        calamine::Data::String(s) => s.clone(),
        calamine::Data::Empty => String::new(),
        other => other.to_string(),
    }
}

async fn ticket_lists_export_as_xlsx_with_contacts_only_for_the_centre(app: TestApp) {
    let (hc, st) = (app.hai_chau.clone(), app.son_tra.clone());
    let mut body = app.ticket_body(&hc, "Nước ngập đường Bạch Đằng");
    body["reporter"] = json!({"name": "Trần Văn Nam", "phone": "0905765432", "email": "nam@example.vn"});
    let r = app.operator.post(app.url("/api/v1/tickets")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let ticket: Value = r.json().await.unwrap();
    app.file(&hc, "=1+1 không phải công thức").await;
    app.file(&st, "Cây đổ ở Sơn Trà").await;

    // The centre with contacts: every ticket, the contact columns filled for the one that has it.
    let rows = xlsx_rows(&app, &app.operator, "?contacts=true").await;
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(header[0], "Mã / Code");
    assert_eq!(&header[header.len() - 3..], ["Người phản ánh / Reporter", "Điện thoại / Phone", "Email"]);
    assert_eq!(rows.len(), 1 + 3);
    let code = ticket["code"].as_str().unwrap();
    let row = rows.iter().find(|r| text(&r[0]) == code).expect("the ticket's row");
    assert_eq!(text(&row[9]), "Hải Châu");
    assert_eq!(
        row[row.len() - 3..].iter().map(text).collect::<Vec<_>>(),
        ["Trần Văn Nam", "0905765432", "nam@example.vn"]
    );
    // Received at: an Excel date-time in Vietnam time (UTC+7).
    let received: chrono::DateTime<chrono::Utc> = ticket["received_at"].as_str().unwrap().parse().unwrap();
    let local = received.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh).naive_local();
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let serial = (local - epoch).num_milliseconds() as f64 / 86_400_000.0;
    match &row[1] {
        calamine::Data::DateTime(d) => assert!((d.as_f64() - serial).abs() < 1e-6, "{d} vs {serial}"),
        other => panic!("received at is not a date-time: {other:?}"),
    }
    // Text stays text: no formula in the sheet.
    assert!(rows.iter().any(|r| text(&r[19]) == "=1+1 không phải công thức"));

    // Without `contacts`, no contact columns and no reporter anywhere.
    let rows = xlsx_rows(&app, &app.operator, "").await;
    assert_eq!(rows[0].len(), header.len() - 3);
    assert!(!rows.iter().flatten().any(|c| text(c).contains("0905765432") || text(c).contains("Trần Văn Nam")));

    // A leader: their areas, and no contacts even when asking.
    let rows = xlsx_rows(&app, &app.leader, "").await;
    assert_eq!(rows.len(), 1 + 2);
    assert!(rows[1..].iter().all(|r| text(&r[9]) == "Hải Châu"));
    for q in ["export.xlsx?contacts=true", "export.csv?contacts=true"] {
        let r = app.leader.get(app.url(&format!("/api/v1/tickets/{q}"))).send().await.unwrap();
        assert_eq!(r.status(), 403, "{q}");
    }
    let r = app.operator.get(app.url("/api/v1/tickets/export.xlsx?contacts=yes")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["errors"][0]["field"], "contacts");

    // An analyst's key: the whole city, read-only, nothing personal.
    let rows = xlsx_rows(&app, &app.analyst, "").await;
    assert_eq!(rows.len(), 1 + 3);
    assert!(!rows.iter().flatten().any(|c| text(c).contains("0905765432")));
    let csv = export(&app, &app.analyst, "").await;
    assert_eq!(self::rows(&csv).len(), 3);
    let r = app.analyst.get(app.url("/api/v1/tickets/export.csv?contacts=true")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let one: Value = app.get_json(&app.analyst, &format!("/api/v1/tickets/{code}")).await;
    assert!(one["reporter"].is_null(), "no contact in an analyst's ticket view: {one}");
    let r = app.analyst.post(app.url("/api/v1/tickets")).json(&app.ticket_body(&hc, "Thử")).send().await.unwrap();
    assert_eq!(r.status(), 403, "an analyst's key files nothing");
    let r = app.analyst.get(app.url("/api/v1/stats?group=area:district")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}
on_both_stores!(ticket_lists_export_as_xlsx_with_contacts_only_for_the_centre);
