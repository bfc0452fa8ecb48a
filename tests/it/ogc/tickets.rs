//! The `tickets` collection: published reports only, and nothing of their reporters.

use serde_json::json;

use super::support::{GEOJSON, assert_valid, get, refused};
use crate::harness::TestApp;
use crate::on_both_stores;

async fn only_published_reports_appear_and_without_personal_data(app: TestApp) {
    let open = app.file(&app.hai_chau, "Ông Trần Văn Bình, 0912345678, báo đèn đường hỏng").await;
    let done = app.file(&app.hai_chau, "Bà Lê Thị Hoa, 0987654321, báo rác tồn đọng").await;
    let id = done["id"].as_str().unwrap();
    let unit = app.agency_unit.clone();
    for (who, action) in [
        (&app.operator, json!({"action": "assign", "unit": unit})),
        (&app.agency, json!({"action": "accept"})),
        (&app.agency, json!({"action": "resolve", "result": "Đã thu gom rác"})),
    ] {
        assert_eq!(app.act(who, id, action).await.status(), 200);
    }

    let r = app.public.get(app.url("/ogc/collections/tickets/items?limit=100")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    let page: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_valid("featureCollectionGeoJSON", &page);
    let codes: Vec<&str> = page["features"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(codes, [done["code"].as_str().unwrap()], "only the resolved report");
    let f = &page["features"][0];
    assert_eq!(f["geometry"]["type"], "Point");
    assert_eq!(f["properties"]["result"], "Đã thu gom rác");
    assert_eq!(f["properties"]["status"], "resolved");
    for secret in ["Lê Thị Hoa", "0987654321", "báo rác", "Nguyễn Văn An", "0905123456", "reporter", "description"]
    {
        assert!(!text.contains(secret), "{secret:?} leaked: {text}");
    }

    let one = get(&app, &format!("/ogc/collections/tickets/items/{}", done["code"].as_str().unwrap()), GEOJSON).await;
    assert_valid("featureGeoJSON", &one);
    refused(&app, &format!("/ogc/collections/tickets/items/{}", open["code"].as_str().unwrap()), 404, None).await;

    // Its time runs from receipt to resolution.
    let when = get(&app, "/ogc/collections/tickets/items?datetime=2000-01-01T00:00:00Z/..", GEOJSON).await;
    assert_eq!(when["numberMatched"], 1);
    let old = get(&app, "/ogc/collections/tickets/items?datetime=../2000-01-01T00:00:00Z", GEOJSON).await;
    assert_eq!(old["numberMatched"], 0);
}
on_both_stores!(only_published_reports_appear_and_without_personal_data);
