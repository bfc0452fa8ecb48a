//! The public figures: open to everyone, aggregates only, groups under 5 tickets suppressed,
//! and nothing personal in them.

use reqwest::StatusCode;
use serde_json::Value;

use super::figures::busy_city;
use crate::harness::TestApp;
use crate::on_both_stores;

async fn public_figures_hide_small_groups_and_people(app: TestApp) {
    busy_city(&app).await;
    let r = app.public.get(app.url("/api/v1/public/stats")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    for personal in ["Nguyễn Văn An", "0905123456", "reporter", "phone", "Phản ánh số"] {
        assert!(!text.contains(personal), "{personal} in the public figures");
    }
    let s: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(s["city"]["received"], 14);
    let districts = s["districts"].as_array().unwrap();
    let by_code = |code: &str| districts.iter().find(|d| d["code"] == code).unwrap().clone();
    let (hc, st) = (by_code(&app.hai_chau), by_code(&app.son_tra));
    assert_eq!(hc["name"], "Hải Châu");
    assert_eq!((hc["suppressed"].as_bool(), hc["received"].as_u64()), (Some(false), Some(9)));
    assert_eq!((st["suppressed"].as_bool(), st["received"].as_u64()), (Some(false), Some(5)));
    // Every group under 5 tickets shows no figures at all.
    for table in ["districts", "units", "fields"] {
        for row in s[table].as_array().unwrap() {
            if row["suppressed"] == true {
                for k in ["received", "resolved", "on_time_rate", "rating_mean", "satisfaction_index"] {
                    assert!(row[k].is_null(), "{table} {row}");
                }
            } else {
                assert!(row["received"].as_u64().unwrap() >= 5, "{table} {row}");
            }
        }
    }
    assert!(s["fields"].as_array().unwrap().iter().any(|f| f["suppressed"] == true), "some field has fewer than 5");

    let csv = app.public.get(app.url("/api/v1/public/stats.csv")).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let bytes = csv.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.contains("Hải Châu") && !text.contains("0905123456"));

    let bad = app.public.get(app.url("/api/v1/public/stats?from=yesterday")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
on_both_stores!(public_figures_hide_small_groups_and_people);
