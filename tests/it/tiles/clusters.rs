//! Ticket tiles draw the city's zoom with few features: grid clusters with their counts below
//! zoom 13, points deeper. What a user of the wall would notice: the counts of the clusters on
//! screen are the tickets of the reader's scope there, a leader's clusters count only their
//! areas, and zooming in turns the clusters into the tickets they counted.

use serde_json::{Value, json};

use super::support::{fetch, ids, path_at, tally};
use crate::harness::TestApp;
use crate::on_both_stores;

fn id(ticket: &Value) -> String {
    ticket["id"].as_str().unwrap().to_owned()
}

async fn cluster_counts_are_the_tickets_of_the_scope_in_the_cell(app: TestApp) {
    let mut hc = Vec::new();
    for i in 0..4 {
        hc.push(id(&app.file(&app.hai_chau, &format!("Hải Châu {i}")).await));
    }
    let st = [id(&app.file(&app.son_tra, "Sơn Trà 1").await), id(&app.file(&app.son_tra, "Sơn Trà 2").await)];
    hc.sort();
    let (lon, lat) = app.point_in(&app.hai_chau);
    let (st_lon, st_lat) = app.point_in(&app.son_tra);

    for z in [8, 10, 12] {
        let path = path_at("tickets", lon, lat, z);
        let centre = fetch(&app, &app.operator, &path).await;
        let clusters = centre.features("ticket_clusters");
        // The four Hải Châu tickets sit at one point: one cell, one cluster counting them all.
        let here =
            clusters.iter().find(|c| c["count"].as_u64() >= Some(4)).unwrap_or_else(|| panic!("a cluster at z{z}"));
        assert_eq!(here["open"], here["count"], "every ticket is open");
        assert_eq!(here["overdue"], json!(0), "none is overdue");
        assert!(ids(&centre).iter().all(|i| !hc.contains(i)), "a clustered ticket is not a point as well");
        // The leader of Hải Châu: only theirs; of Sơn Trà: none of them.
        let leader = fetch(&app, &app.leader, &path).await;
        let theirs = leader.features("ticket_clusters");
        assert_eq!(
            (theirs.len(), theirs[0]["count"].clone()),
            (1, json!(4)),
            "z{z}: the leader's cluster counts their areas"
        );
        let other = fetch(&app, &app.other_leader, &path).await;
        assert!(other.features("ticket_clusters").iter().all(|c| c["count"].as_u64() < Some(4)));
        let st_path = path_at("tickets", st_lon, st_lat, z);
        assert_eq!(tally(&fetch(&app, &app.other_leader, &st_path).await), 2, "z{z}: Sơn Trà's two");
        if st_path == path {
            assert_eq!(tally(&centre), 6, "z{z}: one tile holds both districts: six in all");
            assert_eq!(tally(&other), 2);
        }
    }
    // From zoom 13 a cell of a few tickets is drawn as its tickets.
    for z in [13, 16] {
        let path = path_at("tickets", lon, lat, z);
        let t = fetch(&app, &app.operator, &path).await;
        assert!(t.layer("ticket_clusters").is_none(), "z{z}: no cluster");
        let shown = ids(&t);
        assert!(hc.iter().all(|i| shown.contains(i)), "z{z}: the four tickets are points");
        assert!(shown.iter().all(|i| hc.contains(i) || st.contains(i)), "z{z}: and nothing else");
        assert_eq!(ids(&fetch(&app, &app.leader, &path).await), hc, "z{z}: the leader's are theirs only");
        assert!(ids(&fetch(&app, &app.other_leader, &path).await).iter().all(|i| st.contains(i)));
    }
    // A ticket moved on by its handling leaves neither the count nor the map while it is recent.
    let r = app.act(&app.operator, &hc[0], json!({"action": "reject", "reason": "Trùng lặp"})).await;
    assert_eq!(r.status(), reqwest::StatusCode::OK, "{}", r.text().await.unwrap());
    // (The leader's tile: at z 10 the centre's cell may hold Sơn Trà's two as well.)
    let t = fetch(&app, &app.leader, &path_at("tickets", lon, lat, 10)).await;
    let c = t.features("ticket_clusters").into_iter().find(|c| c["count"].as_u64() >= Some(4)).unwrap();
    assert_eq!(
        (c["count"].as_u64(), c["open"].as_u64()),
        (Some(4), Some(3)),
        "closed today: still counted, not as open"
    );
    // The centre's clusters (counted from the figures the index keeps per cell) follow the same
    // change at every cluster zoom, and still add up to every ticket on the wall.
    for z in [3, 8, 10, 12] {
        let centre = fetch(&app, &app.operator, &path_at("tickets", lon, lat, z)).await;
        let c = centre.features("ticket_clusters").into_iter().find(|c| c["count"].as_u64() >= Some(4)).unwrap();
        assert_eq!(c["open"].as_u64(), c["count"].as_u64().map(|n| n - 1), "z{z}: the rejected one is not open");
        if z == 3 {
            assert_eq!(tally(&centre), 6, "z3: one tile holds the city: six in all");
        }
    }
}
on_both_stores!(cluster_counts_are_the_tickets_of_the_scope_in_the_cell);
