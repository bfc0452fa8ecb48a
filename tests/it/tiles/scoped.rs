//! Ticket tiles cut to the reader's scope: a leader's tile holds the tickets of their areas, an
//! agency's those of its units, the centre's everything; each scope's tile is cached, shared by
//! concurrent requests and tagged apart, and a change evicts it for every scope.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use super::support::{fetch, ids, path_at, tally};
use crate::harness::TestApp;
use crate::on_both_stores;

fn id(ticket: &Value) -> String {
    ticket["id"].as_str().unwrap().to_owned()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// The z 8 tile holding Hải Châu holds the whole city, Sơn Trà included.
fn city_tile(app: &TestApp) -> String {
    let (lon, lat) = app.point_in(&app.hai_chau);
    let path = path_at("tickets", lon, lat, 8);
    let (st_lon, st_lat) = app.point_in(&app.son_tra);
    assert_eq!(path, path_at("tickets", st_lon, st_lat, 8), "one z 8 tile holds both districts");
    path
}

async fn each_role_reads_the_tickets_of_its_scope_only(app: TestApp) {
    let in_hc = app.file(&app.hai_chau, "Hải Châu, gọi 0905123456").await;
    let assigned = app.file(&app.hai_chau, "Của đơn vị").await;
    let in_st = app.file(&app.son_tra, "Sơn Trà").await;
    let r = app
        .act(&app.operator, assigned["id"].as_str().unwrap(), json!({"action": "assign", "unit": app.agency_unit}))
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    let path = city_tile(&app);
    let (lon, lat) = app.point_in(&app.hai_chau);
    let deep = path_at("tickets", lon, lat, 16);
    let (st_lon, st_lat) = app.point_in(&app.son_tra);
    let st_deep = path_at("tickets", st_lon, st_lat, 16);

    // The city tile (clusters and points): each role's tickets in all.
    for (who, n, what) in [
        (&app.operator, 3, "the centre sees everything"),
        (&app.admin, 3, "and so does the admin"),
        (&app.leader, 2, "the Hải Châu leader sees Hải Châu's tickets only"),
        (&app.other_leader, 1, "the Sơn Trà leader, Sơn Trà's"),
        (&app.agency, 1, "the agency, its unit's"),
    ] {
        assert_eq!(tally(&fetch(&app, who, &path).await), n, "{what}");
    }
    // Deep zooms, where every ticket is a point: which tickets.
    let hc = sorted(vec![id(&in_hc), id(&assigned)]);
    assert_eq!(ids(&fetch(&app, &app.operator, &deep).await), hc);
    assert_eq!(ids(&fetch(&app, &app.leader, &deep).await), hc);
    assert_eq!(ids(&fetch(&app, &app.agency, &deep).await), vec![id(&assigned)]);
    assert_eq!(ids(&fetch(&app, &app.other_leader, &st_deep).await), vec![id(&in_st)]);
    assert!(fetch(&app, &app.leader, &st_deep).await.tile.layers.is_empty());
    // The Hải Châu tile at z 16 holds nothing for the Sơn Trà leader.
    assert!(fetch(&app, &app.other_leader, &deep).await.tile.layers.is_empty());
    // Scoped tiles carry the same public fields as the centre's, nothing personal.
    let t = fetch(&app, &app.leader, &deep).await;
    for f in t.features("tickets") {
        for personal in ["description", "address", "reporter", "name", "phone", "email"] {
            assert!(!f.contains_key(personal), "no {personal} in a leader's ticket tile: {f:?}");
        }
    }
    // Private to the reader, and never answered from a shared browser cache for someone else.
    assert!(t.headers["cache-control"].to_str().unwrap().starts_with("private, "));
    let vary = t.headers["vary"].to_str().unwrap();
    assert!(vary.contains("Cookie") && vary.contains("Authorization"), "{vary}");

    // The agency resolves its ticket: its tile says so and when, never the result text.
    let id = assigned["id"].as_str().unwrap();
    for action in [json!({"action": "accept"}), json!({"action": "resolve", "result": "Đã xử lý, gọi lại 0905123456"})]
    {
        let r = app.act(&app.agency, id, action).await;
        assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    }
    let t = fetch(&app, &app.agency, &path).await;
    let f = &t.features("tickets")[0];
    assert_eq!(
        (f["id"].clone(), f["status"].clone(), f["open"].clone()),
        (assigned["id"].clone(), json!("resolved"), json!(false))
    );
    assert!(f["resolved_at"].as_i64().unwrap() >= f["received_at"].as_i64().unwrap(), "a resolved ticket says when");
    assert!(f.values().all(|v| !v.to_string().contains("0905123456")), "no result text in a tile: {f:?}");
}
on_both_stores!(each_role_reads_the_tickets_of_its_scope_only);

async fn another_scopes_cached_tile_is_never_served(app: TestApp) {
    let in_hc = app.file(&app.hai_chau, "Hải Châu").await;
    let in_st = app.file(&app.son_tra, "Sơn Trà").await;
    let path = city_tile(&app);
    let get = |who: &'static str| {
        let client: Client = match who {
            "operator" => app.operator.clone(),
            "leader" => app.leader.clone(),
            _ => app.other_leader.clone(),
        };
        let (app, path) = (&app, path.clone());
        async move { fetch(app, &client, &path).await }
    };

    // The centre's tile is cached first; the leaders then still get their own.
    let centre = get("operator").await;
    assert_eq!(centre.cache(), "miss");
    assert_eq!(get("operator").await.cache(), "hit");
    let leader = get("leader").await;
    assert_eq!((leader.cache(), ids(&leader)), ("miss", vec![id(&in_hc)]), "not the centre's cached tile");
    let leader_again = get("leader").await;
    assert_eq!(
        (leader_again.cache(), ids(&leader_again)),
        ("hit", vec![id(&in_hc)]),
        "the leader's own tile is cached"
    );
    let other = get("other").await;
    assert_eq!((other.cache(), ids(&other)), ("miss", vec![id(&in_st)]), "not the first leader's cached tile");
    assert_eq!(tally(&get("operator").await), 2);

    // ETags differ by scope: one reader's validator never earns another a 304.
    let tags = [centre.etag(), leader.etag(), other.etag()];
    assert!(tags[0] != tags[1] && tags[1] != tags[2] && tags[0] != tags[2], "{tags:?}");
    for (who, etag) in [(&app.other_leader, &tags[1]), (&app.leader, &tags[0])] {
        let r = who.get(app.url(&path)).header("if-none-match", etag.as_str()).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "another scope's ETag is not a match");
    }
    let r = app.leader.get(app.url(&path)).header("if-none-match", tags[1].as_str()).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED, "the reader's own ETag is");

    // A change in Hải Châu evicts that tile for every scope, even the one it does not show in.
    let new = app.file(&app.hai_chau, "Mới").await;
    let leader = get("leader").await;
    assert_eq!((leader.cache(), tally(&leader)), ("miss", 2), "{:?} and {:?}", id(&in_hc), id(&new));
    let other = get("other").await;
    assert_eq!((other.cache(), ids(&other)), ("miss", vec![id(&in_st)]));
    let centre = get("operator").await;
    assert_eq!((centre.cache(), tally(&centre)), ("miss", 3));
}
on_both_stores!(another_scopes_cached_tile_is_never_served);
