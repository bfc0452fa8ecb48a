//! Who sees which figures, the CSV export, and bad queries.

use reqwest::StatusCode;
use serde_json::Value;

use super::figures::busy_city;
use crate::harness::{TestApp, fields, problem};
use crate::on_both_stores;

fn codes(report: &Value) -> Vec<String> {
    report["rows"].as_array().unwrap().iter().map(|r| r["key"][0]["value"].as_str().unwrap_or("-").to_owned()).collect()
}

async fn a_hai_chau_leader_sees_nothing_of_son_tra(app: TestApp) {
    busy_city(&app).await;
    let all = app.get_json(&app.admin, "/api/v1/stats?group=area:district").await;
    assert_eq!(codes(&all), vec![app.hai_chau.clone(), app.son_tra.clone()]);
    let hc_row =
        all["rows"].as_array().unwrap().iter().find(|r| r["key"][0]["value"] == app.hai_chau.as_str()).unwrap().clone();

    let mine = app.get_json(&app.leader, "/api/v1/stats?group=area:district").await;
    assert_eq!(codes(&mine), vec![app.hai_chau.clone()]);
    assert_eq!(mine["rows"][0]["measures"], hc_row["measures"]);
    assert_eq!(mine["total"]["measures"], hc_row["measures"], "the leader's total is Hải Châu's");
    assert_eq!(mine["rows"][0]["key"][0]["name"], "Hải Châu");

    // Asking for Sơn Trà gives zeros, in the breakdown, the trend and the export.
    let theirs = app.get_json(&app.leader, &format!("/api/v1/stats?area={}&group=area:ward", app.son_tra)).await;
    assert_eq!(theirs["total"]["measures"]["received"], 0);
    assert!(theirs["rows"].as_array().unwrap().is_empty());
    let trend = app.get_json(&app.leader, &format!("/api/v1/stats/trends?area={}", app.son_tra)).await;
    assert!(trend["weeks"].as_array().unwrap().iter().all(|w| w["received"] == 0 && w["backlog"] == 0), "{trend}");
    let csv = app
        .leader
        .get(app.url("/api/v1/stats/export.csv?group=area:district"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Hải Châu") && !csv.contains("Sơn Trà"), "{csv}");

    // Agency staff count the tickets of their unit only.
    let unit = app.get_json(&app.agency, "/api/v1/stats?group=unit").await;
    assert_eq!(codes(&unit), vec![app.agency_unit.clone()]);
}
on_both_stores!(a_hai_chau_leader_sees_nothing_of_son_tra);

async fn the_csv_export_opens_in_excel_with_its_diacritics(app: TestApp) {
    busy_city(&app).await;
    let r =
        app.admin.get(app.url("/api/v1/stats/export.csv?group=area:district&period=this_month")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    assert!(header.iter().any(|h| h.starts_with("Tiếp nhận")));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "two districts and the total");
    assert_eq!(&rows[0][1], "Hải Châu");
    assert_eq!(&rows[1][1], "Sơn Trà");
    assert_eq!(&rows[2][1], "Tổng cộng / Total");
    let received: u64 = rows[..2].iter().map(|r| r[2].parse::<u64>().unwrap()).sum();
    assert_eq!(rows[2][2].parse::<u64>().unwrap(), received);
    assert_eq!(received, 14);
}
on_both_stores!(the_csv_export_opens_in_excel_with_its_diacritics);

async fn bad_queries_name_the_parameter_and_strangers_are_refused(app: TestApp) {
    for (qs, field) in [
        ("group=area:galaxy", "group"),
        ("group=unit,field,channel", "group"),
        ("from=2026-02-30", "from"),
        ("from=2026-11-30&to=2026-11-01", "to"),
        ("period=someday", "period"),
        ("area=NOWHERE", "area"),
        ("channel=pigeon", "channel"),
        ("basis=filed", "basis"),
        ("compare=true", "compare"),
    ] {
        let r = app.admin.get(app.url(&format!("/api/v1/stats?{qs}"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{qs}");
        assert!(fields(&problem(r).await).contains(&field.to_owned()), "{qs} names {field}");
    }
    for path in ["/api/v1/stats", "/api/v1/stats/trends", "/api/v1/stats/export.csv"] {
        assert_eq!(app.public.get(app.url(path)).send().await.unwrap().status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(app.open311.get(app.url(path)).send().await.unwrap().status(), StatusCode::FORBIDDEN, "{path}");
    }
    let compared = app.get_json(&app.operator, "/api/v1/stats?period=last_week&compare=true").await;
    assert!(compared["previous"]["from"].is_string() && compared["previous"]["total"]["measures"].is_object());
}
on_both_stores!(bad_queries_name_the_parameter_and_strangers_are_refused);

async fn the_xlsx_export_reads_back_with_the_same_figures(app: TestApp) {
    use calamine::{Data, Reader, Xlsx};
    busy_city(&app).await;
    let json = app.get_json(&app.admin, "/api/v1/stats?group=area:district").await;
    let r = app.admin.get(app.url("/api/v1/stats/export.xlsx?group=area:district")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["Thống kê".to_owned(), "Điều kiện".to_owned()]);
    let sheet = book.worksheet_range("Thống kê").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 2), Data::String("Tiếp nhận / Received".into()));
    for (i, row) in json["rows"].as_array().unwrap().iter().enumerate() {
        let r = i as u32 + 1;
        assert_eq!(cell(r, 0), Data::String(row["key"][0]["value"].as_str().unwrap().into()));
        assert_eq!(cell(r, 1), Data::String(row["key"][0]["name"].as_str().unwrap().into()));
        assert_eq!(cell(r, 2), Data::Float(row["measures"]["received"].as_f64().unwrap()));
        // Rates are numbers formatted as percentages, not text.
        match (&row["measures"]["on_time_rate"], cell(r, 10)) {
            (Value::Null, Data::Empty) => {}
            (v, Data::Float(x)) => assert!((v.as_f64().unwrap() - x).abs() < 1e-9),
            (v, other) => panic!("on-time rate {v} read back as {other:?}"),
        }
    }
    let total = json["rows"].as_array().unwrap().len() as u32 + 1;
    assert_eq!(cell(total, 1), Data::String("Tổng cộng / Total".into()));
    assert_eq!(cell(total, 2), Data::Float(14.0));
}
on_both_stores!(the_xlsx_export_reads_back_with_the_same_figures);
