//! ETags, 304, gzip, and exact invalidation: a change evicts the tiles it touches and no others.

use reqwest::StatusCode;
use serde_json::json;

use super::support::{fetch, gunzip, path_at};
use crate::harness::TestApp;
use crate::on_both_stores;

async fn etags_answer_304_and_gzip_is_sent_when_accepted(app: TestApp) {
    let path = path_at("areas", 108.22, 16.06, 13);
    let first = fetch(&app, &app.public, &path).await;
    assert_eq!(first.cache(), "miss");
    assert_eq!(first.headers["content-encoding"], "gzip");
    assert_eq!(first.headers["content-type"], "application/vnd.mapbox-vector-tile");
    assert!(first.headers["cache-control"].to_str().unwrap().starts_with("public, max-age="));
    let etag = first.etag();
    assert!(etag.starts_with("W/\""), "{etag}");
    let second = fetch(&app, &app.public, &path).await;
    assert_eq!((second.cache(), second.etag()), ("hit", etag.clone()));
    let r = app.public.get(app.url(&path)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(r.headers()["etag"], etag.as_str());
    let r = app.public.get(app.url(&path)).header("if-none-match", "W/\"something-else\"").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Without Accept-Encoding: the same tile, plain.
    let r = app.public.get(app.url(&path)).send().await.unwrap();
    assert!(r.headers().get("content-encoding").is_none());
    let plain = r.bytes().await.unwrap();
    let zipped =
        app.public.get(app.url(&path)).header("accept-encoding", "gzip").send().await.unwrap().bytes().await.unwrap();
    assert_eq!(plain.to_vec(), gunzip(&zipped));
    // Ticket tiles are private to the caller.
    let t = fetch(&app, &app.operator, &path_at("tickets", 108.22, 16.06, 13)).await;
    assert!(t.headers["cache-control"].to_str().unwrap().starts_with("private, max-age="));
}
on_both_stores!(etags_answer_304_and_gzip_is_sent_when_accepted);

async fn a_new_ticket_evicts_only_the_tiles_that_hold_it(app: TestApp) {
    let (lon, lat) = app.point_in(&app.hai_chau);
    let (far_lon, far_lat) = app.point_in(&app.son_tra);
    let here = [path_at("tickets", lon, lat, 16), path_at("tickets", lon, lat, 13), path_at("tickets", lon, lat, 10)];
    let far = path_at("tickets", far_lon, far_lat, 16);
    assert_ne!(here[0], far);
    let areas = path_at("areas", lon, lat, 16);
    for p in here.iter().chain([&far, &areas]) {
        assert_eq!(fetch(&app, &app.operator, p).await.cache(), "miss", "{p}");
        assert_eq!(fetch(&app, &app.operator, p).await.cache(), "hit", "{p}");
    }
    let far_etag = fetch(&app, &app.operator, &far).await.etag();
    let before = app.services.tiles.encoded();

    let ticket = app.file(&app.hai_chau, "Rác thải chưa thu gom").await;
    for p in &here {
        let t = fetch(&app, &app.operator, p).await;
        assert_eq!(t.cache(), "miss", "the tile holding the new ticket is encoded again: {p}");
        assert!(t.features("tickets").iter().any(|f| f["id"] == ticket["id"]), "{p} shows the new ticket");
    }
    let t = fetch(&app, &app.operator, &far).await;
    assert_eq!((t.cache(), t.etag()), ("hit", far_etag), "an unrelated ticket tile stays cached");
    assert_eq!(fetch(&app, &app.operator, &areas).await.cache(), "hit", "area tiles stay cached");
    assert_eq!(app.services.tiles.encoded() - before, 3, "exactly the three touched tiles were encoded again");

    // A transition (same place) evicts the same tiles again, and the tile shows the new status.
    let id = ticket["id"].as_str().unwrap();
    let r = app.act(&app.operator, id, json!({"action": "reject", "reason": "Trùng lặp"})).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let t = fetch(&app, &app.operator, &here[0]).await;
    assert_eq!(t.cache(), "miss");
    let f = t.features("tickets").into_iter().find(|f| f["id"] == ticket["id"]).unwrap();
    assert_eq!((f["status"].clone(), f["open"].clone()), (json!("rejected"), json!(false)));
    assert_eq!(fetch(&app, &app.operator, &far).await.cache(), "hit");
}
on_both_stores!(a_new_ticket_evicts_only_the_tiles_that_hold_it);

async fn a_changed_area_evicts_the_area_tiles_over_it_only(app: TestApp) {
    let reference = app.services.reference.current();
    let now = chrono::Utc::now();
    let ward = reference
        .areas
        .all(now)
        .into_iter()
        .find(|a| a.parent.as_ref().map(|p| p.as_str()) == Some(app.son_tra.as_str()))
        .unwrap()
        .clone();
    let (lon, lat) = app.point_in(&app.son_tra);
    let (hc_lon, hc_lat) = (108.15, 16.20); // Liên Chiểu's hills, far from Sơn Trà
    let over = path_at("areas", lon, lat, 14);
    let away = path_at("areas", hc_lon, hc_lat, 14);
    for p in [&over, &away] {
        fetch(&app, &app.public, p).await;
        assert_eq!(fetch(&app, &app.public, p).await.cache(), "hit");
    }
    let renamed = switchboard::domain::Area { name: format!("{} (mới)", ward.name), ..ward.clone() };
    app.store.upsert_areas(std::slice::from_ref(&renamed)).await.unwrap();
    app.services.reload_reference().await.unwrap();
    let t = fetch(&app, &app.public, &over).await;
    assert_eq!(t.cache(), "miss");
    assert!(t.features("areas").iter().any(|f| f["name"] == json!(renamed.name)), "the new name is in the tile");
    assert_eq!(fetch(&app, &app.public, &away).await.cache(), "hit", "a tile away from the changed ward stays cached");
}
on_both_stores!(a_changed_area_evicts_the_area_tiles_over_it_only);
