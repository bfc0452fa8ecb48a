//! The hotline's staffing figures: logged calls per hour of past working days, the forecast of
//! next week and the operators it needs.

use chrono::{Datelike, Duration, TimeZone, Utc};
use chrono_tz::Asia::Ho_Chi_Minh;
use reqwest::StatusCode;
use switchboard::domain::{CallRecord, HolidayCalendar, TicketId};

use crate::harness::{TestApp, fields, problem};
use crate::on_both_stores;

async fn calls_of_past_working_days_make_the_forecast(app: TestApp) {
    let cal = HolidayCalendar::vietnam();
    let today = Utc::now().with_timezone(&Ho_Chi_Minh).date_naive();
    // The last two working days before today, at 09:10 and 09:40 and 14:05 Vietnam time.
    let days: Vec<_> = (1..20).map(|i| today - Duration::days(i)).filter(|d| cal.is_working_day(*d)).take(2).collect();
    let mut logged = 0;
    for (i, day) in days.iter().enumerate() {
        for (h, m, secs) in [(9, 10, 240u32), (9, 40, 360), (14, 5, 300)] {
            let t = app.file(&app.hai_chau.clone(), &format!("Cuộc gọi {i}-{h}")).await;
            let id = TicketId::parse(t["id"].as_str().unwrap(), "id").unwrap();
            let at = Ho_Chi_Minh.from_local_datetime(&day.and_hms_opt(h, m, 0).unwrap()).unwrap().with_timezone(&Utc);
            let call = CallRecord { started_at: at, duration_seconds: Some(secs), recording_ref: None };
            app.store.put_call(id, &call).await.unwrap();
            logged += 1;
        }
    }
    let r = app.get_json(&app.operator, "/api/v1/stats/staffing?weeks=4&answer_seconds=20&level=0.8").await;
    assert_eq!(r["calls"], logged);
    assert_eq!(r["handle_seconds"], 300.0, "the mean logged length");
    let from: chrono::NaiveDate = r["from"].as_str().unwrap().parse().unwrap();
    let to: chrono::NaiveDate = r["to"].as_str().unwrap().parse().unwrap();
    let working =
        (0..).map(|i| from + Duration::days(i)).take_while(|d| *d <= to).filter(|d| cal.is_working_day(*d)).count()
            as f64;
    let nine =
        r["profile"].as_array().unwrap().iter().find(|h| h["day"] == "working" && h["hour"] == 9).unwrap().clone();
    assert_eq!(nine["calls"].as_f64().unwrap(), ((4.0 / working) * 100.0_f64).round() / 100.0);
    let forecast = r["forecast"].as_array().unwrap();
    assert_eq!(forecast.len(), 7 * 24);
    let monday: chrono::NaiveDate = forecast[0]["date"].as_str().unwrap().parse().unwrap();
    assert_eq!(monday.weekday(), chrono::Weekday::Mon);
    assert!(monday > today);
    for h in forecast {
        let calls = h["calls"].as_f64().unwrap();
        assert_eq!(calls > 0.0, h["operators"].as_u64().unwrap() > 0, "{h}");
        if h["working_day"] == false {
            assert_eq!(calls, 0.0, "no calls were logged on days off: {h}");
        }
    }

    let r = app.operator.get(app.url("/api/v1/stats/staffing?level=1.5&weeks=0")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let f = fields(&problem(r).await);
    assert!(f.contains(&"level".to_owned()) && f.contains(&"weeks".to_owned()), "{f:?}");
    assert_eq!(app.agency.get(app.url("/api/v1/stats/staffing")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
}
on_both_stores!(calls_of_past_working_days_make_the_forecast);
