//! What the tiles hold: areas, tickets, the basemap and a generic polygon source, at z 10, 13, 16.

use std::sync::Arc;

use geo::{CoordsIter, Geometry, polygon};
use geozero::mvt::TileValue;
use reqwest::StatusCode;
use serde_json::json;
use switchboard::service::tiles::FeatureSource;
use switchboard::spatial::tiles::{BUFFER, EXTENT};

use super::support::{fetch, path_at, vertices};
use crate::harness::{TestApp, problem};
use crate::on_both_stores;

const ZOOMS: [u8; 3] = [10, 13, 16];

async fn area_tiles_hold_the_areas_with_their_names_clipped_and_simplified(app: TestApp) {
    let (lon, lat) = app.point_in(&app.hai_chau);
    let reference = app.services.reference.current();
    let city_code = switchboard::domain::AreaCode::parse("DN", "code").unwrap();
    let city_vertices = reference.areas.get(&city_code, chrono::Utc::now()).unwrap().geometry.coords_count();
    for z in ZOOMS {
        let t = fetch(&app, &app.public, &path_at("areas", lon, lat, z)).await;
        assert_eq!(t.layer_names(), ["area_labels", "areas"], "z{z}");
        let areas = t.features("areas");
        let mine =
            areas.iter().find(|a| a["code"] == json!(app.hai_chau)).unwrap_or_else(|| panic!("Hải Châu at z{z}"));
        assert_eq!(mine["name"], json!("Hải Châu"));
        assert_eq!(mine["name_en"], json!("Hai Chau"));
        assert_eq!(mine["level"], json!("district"));
        assert_eq!(mine["parent"], json!("DN"));
        assert!(areas.iter().any(|a| a["level"] == json!("ward")), "wards at z{z}");
        assert_eq!(t.layer("areas").unwrap().extent, Some(EXTENT));
        // Every vertex within the tile and its buffer.
        let lim = (-(BUFFER as i32), (EXTENT + BUFFER) as i32);
        for f in &t.layer("areas").unwrap().features {
            assert!(
                vertices(f).iter().all(|&(x, y)| lim.0 <= x && x <= lim.1 && lim.0 <= y && y <= lim.1),
                "clipped at z{z}"
            );
        }
        if z == 10 {
            // The whole city fits in a couple of z10 tiles; its boundary is simplified there.
            let layer = t.layer("areas").unwrap();
            let city =
                layer.features.iter().find(|f| super::support::attributes(layer, f)["level"] == json!("city")).unwrap();
            let n = vertices(city).len();
            assert!(n < city_vertices, "the city at z10 has {n} vertices, fewer than its {city_vertices}");
        }
        let labels = t.features("area_labels");
        assert!(
            labels.iter().any(|a| a["code"] == json!(app.hai_chau)) || z == 16,
            "a label point for Hải Châu at z{z}"
        );
    }
}
on_both_stores!(area_tiles_hold_the_areas_with_their_names_clipped_and_simplified);

async fn ticket_tiles_hold_public_fields_only_and_are_for_staff(app: TestApp) {
    let ticket = app.file(&app.hai_chau, "Đèn đường hỏng, gọi 0905123456").await;
    let (lon, lat) = (ticket["location"]["lon"].as_f64().unwrap(), ticket["location"]["lat"].as_f64().unwrap());
    for z in ZOOMS {
        let path = path_at("tickets", lon, lat, z);
        let t = fetch(&app, &app.operator, &path).await;
        assert_eq!(t.layer_names(), ["tickets"]);
        let features = t.features("tickets");
        let f = features.iter().find(|f| f["id"] == ticket["id"]).unwrap_or_else(|| panic!("the ticket at z{z}"));
        assert_eq!(f["status"], json!("received"));
        // Only what the wall draws by; the rest (code, category, area…) comes from the API on a click.
        let mut keys: Vec<&str> = f.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["deadline", "id", "open", "overdue", "received_at", "status", "supporters"], "z{z}");
        assert_eq!(f["supporters"], json!(0), "a count of \"me too\", never who");
        assert_eq!(f["open"], json!(true));
        assert_eq!(f["overdue"], json!(false));
        assert!(f.get("resolved_at").is_none(), "an open ticket has no resolved_at");
        assert!(f["deadline"].as_i64().unwrap() > f["received_at"].as_i64().unwrap());
        let keys: Vec<&String> = f.keys().collect();
        for personal in ["description", "address", "reporter", "name", "phone", "email"] {
            assert!(!keys.iter().any(|k| k.as_str() == personal), "no {personal} in ticket tiles: {keys:?}");
        }
        // Admin, leaders and agencies read them too (cut to their scope: `scoped.rs`); the
        // public, Open311 clients and analysts do not.
        for who in [&app.admin, &app.leader, &app.agency] {
            assert_eq!(who.get(app.url(&path)).send().await.unwrap().status(), StatusCode::OK);
        }
        let r = app.public.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(problem(r).await["code"], json!("unauthenticated"));
        for who in [&app.open311, &app.analyst] {
            let r = who.get(app.url(&path)).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
            assert_eq!(problem(r).await["code"], json!("forbidden"));
        }
    }
}
on_both_stores!(ticket_tiles_hold_public_fields_only_and_are_for_staff);

async fn the_basemap_has_water_and_named_roads_with_minor_roads_from_z12(app: TestApp) {
    // Central Đà Nẵng, on the west bank of the Hàn river.
    let (lon, lat) = (108.2245, 16.068);
    let names = |t: &super::support::Fetched, layer: &str| -> Vec<String> {
        t.features(layer).iter().filter_map(|f| f["name"].as_str().map(str::to_owned)).collect()
    };
    for z in ZOOMS {
        let t = fetch(&app, &app.public, &path_at("basemap", lon, lat, z)).await;
        assert_eq!(t.layer_names(), ["roads", "water"], "z{z}");
        assert!(names(&t, "water").contains(&"Sông Hàn".to_owned()), "the Hàn river at z{z}");
        let roads = names(&t, "roads");
        assert!(
            roads.contains(&"Đường Bạch Đằng".to_owned()) == (z >= 12),
            "Bạch Đằng (secondary) only from z12, z{z}: {roads:?}"
        );
        assert!(
            t.features("roads")
                .iter()
                .all(|f| ["primary", "secondary", "bridge"].contains(&f["kind"].as_str().unwrap()))
        );
    }
    let z10 = fetch(&app, &app.public, &path_at("basemap", lon, lat, 10)).await;
    assert!(z10.features("water").iter().any(|f| f["kind"] == json!("sea") && f["name"] == json!("Biển Đông")));
    assert!(z10.features("roads").iter().any(|f| f["name"] == json!("Đường Nguyễn Văn Linh")));
}
on_both_stores!(the_basemap_has_water_and_named_roads_with_minor_roads_from_z12);

async fn a_polygon_feature_source_registers_in_one_line(app: TestApp) {
    let (lon, lat) = (108.2200, 16.0600);
    let d = 0.003;
    let zone = polygon![(x: lon, y: lat), (x: lon + d, y: lat), (x: lon + d, y: lat + d), (x: lon, y: lat + d)];
    let rows = vec![(
        42,
        Geometry::Polygon(zone),
        vec![
            ("zone".to_owned(), TileValue::Str("HC-R1".into())),
            ("land_use".to_owned(), TileValue::Str("Đất ở đô thị".into())),
            ("max_height_m".to_owned(), TileValue::Double(45.0)),
        ],
    )];
    app.services.tiles.register(Arc::new(FeatureSource::polygons(
        "planning",
        "Quy hoạch / Planning",
        "Khu quy hoạch",
        rows,
    )));
    for z in ZOOMS {
        let t = fetch(&app, &app.public, &path_at("planning", lon + d / 2.0, lat + d / 2.0, z)).await;
        let layer = t.layer("planning").unwrap_or_else(|| panic!("planning layer at z{z}"));
        assert_eq!(layer.features.len(), 1);
        assert_eq!(layer.features[0].id, Some(42));
        let f = &t.features("planning")[0];
        assert_eq!(
            (f["zone"].clone(), f["land_use"].clone(), f["max_height_m"].clone()),
            (json!("HC-R1"), json!("Đất ở đô thị"), json!(45.0))
        );
    }
    // Far away: an empty tile.
    let t = fetch(&app, &app.public, &path_at("planning", 108.0, 16.2, 13)).await;
    assert!(t.tile.layers.is_empty());
    let tj = app.get_json(&app.public, "/tiles/planning").await;
    assert_eq!(tj["vector_layers"][0]["fields"]["max_height_m"], json!("Number"));
}
on_both_stores!(a_polygon_feature_source_registers_in_one_line);
