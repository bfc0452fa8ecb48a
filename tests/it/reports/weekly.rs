//! The Friday report: composed for each subscribed leader within their areas, kept once per
//! tick and recipient, sent once on SMS (two segments at most) and by email with its XLSX,
//! with two instances racing; a tick missed by a downtime is sent when the server is back,
//! once; a longer downtime skips it.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{Datelike, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use switchboard::domain::schedule::vietnam_date;
use switchboard::domain::{WeeklySchedule, sms};
use switchboard::notify::reports::send_due;

use super::{notifier, second_instance};
use crate::channels::support::{eventually, smtp_sink, spawn};
use crate::harness::Backend;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_friday_report_goes_out_once_with_two_instances_and_once_after_a_downtime() {
    let (smtp, mails) = smtp_sink().await;
    // The report goes out at the coming midnight (Vietnam time), so today — whatever the day
    // and hour the test runs — is in the week it reports (a Friday 17:00 report run on a Friday
    // evening would cover the days from tomorrow).
    let tomorrow = vietnam_date(Utc::now()).succ_opt().unwrap();
    let schedule = WeeklySchedule { weekday: tomorrow.weekday(), at: chrono::NaiveTime::MIN };
    let (app, sink) = spawn(Backend::Postgres, move |s| {
        s.notify.smtp_url = Some(switchboard::config::Secret::new(smtp));
        s.notify.smtp_from = Some("Tổng đài 1022 <noreply@1022.example.vn>".into());
        s.notify.report_schedule = schedule;
        // The servers' own timers never catch up: the test drives the clock.
        s.notify.report_catch_up = Duration::ZERO;
    })
    .await;
    let r = app
        .leader
        .put(app.url("/api/v1/me/contact"))
        .json(&json!({"phone": "0905 111 222", "email": "lanhdao.haichau@example.vn", "weekly_report": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    // The Sơn Trà leader subscribes too, to unaccented SMS only.
    let r = app
        .other_leader
        .put(app.url("/api/v1/me/contact"))
        .json(&json!({"phone": "0905333444", "weekly_report": true, "unaccented_sms": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    for i in 0..3 {
        app.file(&app.hai_chau.clone(), &format!("Rác thải ở kiệt {i} Hải Châu")).await;
    }
    for i in 0..2 {
        app.file(&app.son_tra.clone(), &format!("Đèn đường hỏng ở Sơn Trà {i}")).await;
    }
    let b = second_instance(&app).await;
    let week = Duration::from_secs(3 * 24 * 3600);
    let (na, nb) = (notifier(&app, &app.services, week), notifier(&app, &b, week));
    // A test clock just after the coming tick, so today's tickets are in its week.
    let tick = schedule.next_tick(Utc::now());
    let now = tick + chrono::Duration::seconds(30);
    // Besides the two leaders here, the demo city's own leader is subscribed (by email).
    let staff = app.store.staff().await.unwrap();
    let subscribed: Vec<_> = staff.iter().filter(|m| m.contact.weekly_report).collect();
    let messages: usize =
        subscribed.iter().map(|m| m.contact.phone.iter().count() + m.contact.email.iter().count()).sum();
    assert_eq!(subscribed.len(), 3);
    let (ra, rb) = tokio::join!(send_due(&na, &app.services.reports, now), send_due(&nb, &b.reports, now));
    assert_eq!(ra.unwrap() + rb.unwrap(), messages as u64, "Hải Châu's leader: SMS and email; Sơn Trà's: SMS");
    assert_eq!(send_due(&nb, &b.reports, now + chrono::Duration::minutes(1)).await.unwrap(), 0);
    assert_eq!(app.store.weekly_reports(None, 100).await.unwrap().len(), 3, "one report per leader and tick");

    eventually("the SMS", || sink.delivered("weekly_report").len() >= 2).await;
    let to_hc = |m: &crate::channels::support::Mail| m.to == "lanhdao.haichau@example.vn";
    eventually("the email", || mails.lock().unwrap().iter().any(to_hc)).await;
    tokio::time::sleep(Duration::from_millis(800)).await; // time for a duplicate to show up
    let smses = sink.delivered("weekly_report");
    assert_eq!(smses.len(), 2, "{smses:#?}");
    let hc = smses.iter().find(|c| c.body["recipient"] == "0905111222").expect("Hải Châu's SMS");
    let hc_text = hc.body["text"].as_str().unwrap();
    assert!(hc_text.starts_with("1022 Hải Châu "), "{hc_text}");
    assert!(hc_text.contains("nhận 3"), "Hải Châu's three tickets, none of Sơn Trà's: {hc_text}");
    assert!(sms::segments(hc_text) <= 2, "{hc_text}");
    let st = smses.iter().find(|c| c.body["recipient"] == "0905333444").expect("Sơn Trà's SMS");
    let st_text = st.body["text"].as_str().unwrap();
    assert!(st_text.starts_with("1022 Son Tra ") && st_text.contains("nhan 2"), "{st_text}");
    assert!(st_text.is_ascii() && sms::segments(st_text) <= 2, "{st_text}");
    let mails: Vec<_> = mails.lock().unwrap().iter().filter(|m| to_hc(m)).cloned().collect();
    assert_eq!(mails.len(), 1, "one email to Hải Châu's leader");
    assert!(mails[0].data.contains("bao-cao-tuan-"), "the XLSX is attached");
    assert!(mails[0].data.to_ascii_lowercase().contains("multipart/mixed"));

    // The leader lists the report and reads its workbook back; the other leader cannot.
    let list: Value = app.get_json(&app.leader, "/api/v1/reports").await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let report = &list[0];
    assert_eq!(report["figures"]["total"]["measures"]["received"], 3);
    assert!(report["email_text"].as_str().unwrap().contains("Tiếp nhận / Received: 3"));
    assert!(!report.to_string().contains("Sơn Trà"), "nothing of Sơn Trà in Hải Châu's report");
    let id = report["id"].as_str().unwrap();
    let r = app.leader.get(app.url(&format!("/api/v1/reports/{id}/report.xlsx"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap().to_vec();
    {
        use calamine::{Data, Reader, Xlsx};
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("Thống kê").unwrap();
        let last = sheet.height() as u32 - 1;
        assert_eq!(sheet.get_value((last, 1)), Some(&Data::String("Tổng cộng / Total".into())));
        assert_eq!(sheet.get_value((last, 2)), Some(&Data::Float(3.0)));
    }
    let r = app.other_leader.get(app.url(&format!("/api/v1/reports/{id}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "another leader's report is not theirs to read");
    assert_eq!(app.admin.get(app.url(&format!("/api/v1/reports/{id}"))).send().await.unwrap().status(), 200);
    let everyone: Value = app.get_json(&app.admin, "/api/v1/reports").await;
    assert_eq!(everyone.as_array().unwrap().len(), 3);

    // Down over the next Friday at 17:00, back on Sunday: sent then, once.
    let next = schedule.next_tick(now);
    let sunday = next + chrono::Duration::days(2);
    let (ra, rb) = tokio::join!(send_due(&na, &app.services.reports, sunday), send_due(&nb, &b.reports, sunday));
    assert_eq!(ra.unwrap() + rb.unwrap(), messages as u64);
    assert_eq!(send_due(&na, &app.services.reports, sunday + chrono::Duration::hours(1)).await.unwrap(), 0);
    let ticks: HashSet<_> = app.store.weekly_reports(None, 100).await.unwrap().iter().map(|r| r.tick).collect();
    assert_eq!(ticks, HashSet::from([tick, next]));
    // Down for longer than the catch-up window: that week is skipped, not sent late.
    let late = schedule.next_tick(next) + chrono::Duration::days(4);
    assert_eq!(send_due(&na, &app.services.reports, late).await.unwrap(), 0);
    assert_eq!(app.store.weekly_reports(None, 100).await.unwrap().len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_shows_the_next_report_and_contacts_are_checked() {
    let app = crate::harness::spawn_app(Backend::Sqlite).await;
    app.file(&app.hai_chau.clone(), "Nước ngập sau mưa ở Hải Châu").await;
    let r = app
        .leader
        .put(app.url("/api/v1/me/contact"))
        .json(&json!({"phone": "12ab", "email": "not-an-address", "weekly_report": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p = crate::harness::problem(r).await;
    assert_eq!(crate::harness::fields(&p), ["phone", "email", "weekly_report"], "{p}");
    // A leader may not make themselves a unit head; an admin may.
    let r = app
        .leader
        .put(app.url("/api/v1/me/contact"))
        .json(&json!({"email": "ld@example.vn", "weekly_report": true, "unit_head": true, "fields": ["environment"]}))
        .send()
        .await
        .unwrap();
    let c: Value = r.json().await.unwrap();
    assert_eq!((c["unit_head"].as_bool(), c["fields"].clone()), (Some(false), json!(["environment"])));
    let preview: Value = app.get_json(&app.leader, "/api/v1/reports/preview").await;
    assert!(preview["id"].is_null());
    assert!(preview["sms"].as_str().unwrap().starts_with("1022 Hải Châu – Môi trường"), "{preview}");
    assert!(preview["sms_segments"].as_u64().unwrap() <= 2);
    assert!(preview["sms_unaccented_segments"].as_u64().unwrap() <= 2);
    assert!(preview["email_subject"].as_str().unwrap().starts_with("[1022] Báo cáo tuần"));
    let tick: chrono::DateTime<Utc> = preview["tick"].as_str().unwrap().parse().unwrap();
    assert_eq!(tick, WeeklySchedule::default().next_tick(Utc::now()));
    assert_eq!(app.public.get(app.url("/api/v1/reports/preview")).send().await.unwrap().status(), 401);
    let r = app.leader.get(app.url("/api/v1/reports/preview?user=t.leader2")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "only admins preview others' reports");
    assert_eq!(app.get_json(&app.leader, "/api/v1/reports").await, json!([]));
}
