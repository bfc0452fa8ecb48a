//! The landing page, conformance, collections and one collection, and the errors of core.

use super::support::{GEOJSON, JSON, PLANNING, assert_valid, get, link, path, refused};
use crate::harness::TestApp;
use crate::on_both_stores;

async fn a_gis_client_finds_the_api_its_conformance_and_its_collections(app: TestApp) {
    let landing = get(&app, "/ogc", JSON).await;
    assert_valid("landingPage", &landing);
    for rel in ["self", "service-desc", "conformance", "data"] {
        let href = link(&landing, rel).unwrap_or_else(|| panic!("a {rel} link: {landing}"));
        assert!(href.starts_with(&app.base), "absolute link {href}");
    }

    let conformance = get(&app, &path(&app, link(&landing, "conformance").unwrap()), JSON).await;
    assert_valid("confClasses", &conformance);
    let classes: Vec<&str> = conformance["conformsTo"].as_array().unwrap().iter().filter_map(|c| c.as_str()).collect();
    for c in ["core", "geojson", "oas30"] {
        assert!(
            classes.contains(&format!("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{c}").as_str()),
            "{c}"
        );
    }

    let api =
        get(&app, &path(&app, link(&landing, "service-desc").unwrap()), "application/vnd.oai.openapi+json;version=3.0")
            .await;
    assert_eq!(api["openapi"], "3.0.3");
    assert!(api["paths"]["/collections/{collectionId}/items"]["get"].is_object());

    let collections = get(&app, &path(&app, link(&landing, "data").unwrap()), JSON).await;
    assert_valid("collections", &collections);
    let ids: Vec<&str> =
        collections["collections"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["areas", PLANNING, "tickets", "cameras"]);

    for id in ids {
        let c = get(&app, &format!("/ogc/collections/{id}"), JSON).await;
        assert_valid("collection", &c);
        assert_eq!(c["id"], id);
        let items = c["links"].as_array().unwrap().iter().find(|l| l["rel"] == "items").expect("an items link");
        assert_eq!(items["type"], GEOJSON);
        assert_eq!(c["crs"][0], "http://www.opengis.net/def/crs/OGC/1.3/CRS84");
    }
    let plan = get(&app, &format!("/ogc/collections/{PLANNING}"), JSON).await;
    let bbox = plan["extent"]["spatial"]["bbox"][0].as_array().unwrap();
    let b: Vec<f64> = bbox.iter().map(|x| x.as_f64().unwrap()).collect();
    assert!(b[0] > 108.1 && b[2] < 108.4 && b[1] > 15.8 && b[3] < 16.2, "the plan lies in central Đà Nẵng: {b:?}");
    assert_eq!(plan["extent"]["temporal"]["interval"][0][0], "2023-04-14T00:00:00Z", "from the first decision's day");
    assert!(plan["description"].as_str().unwrap().contains("1287/QĐ-UBND"));
}
on_both_stores!(a_gis_client_finds_the_api_its_conformance_and_its_collections);

async fn unknown_things_are_404_and_unknown_parameters_400(app: TestApp) {
    refused(&app, "/ogc/collections/roads", 404, None).await;
    refused(&app, "/ogc/collections/roads/items", 404, None).await;
    refused(&app, "/ogc/collections/areas/items/NOWHERE", 404, None).await;
    refused(&app, &format!("/ogc/collections/{PLANNING}/items/XX-999"), 404, None).await;
    refused(&app, "/ogc?color=red", 400, Some("color")).await;
    refused(&app, "/ogc/collections?f=html", 400, Some("f")).await;
    refused(&app, "/ogc/collections/areas/items?bbox-crs=EPSG:3857", 400, Some("bbox-crs")).await;
    // `f=json` is the one format, and harmless.
    get(&app, "/ogc/conformance?f=json", JSON).await;
}
on_both_stores!(unknown_things_are_404_and_unknown_parameters_400);

/// The schemas are no rubber stamp: they refuse what the standard refuses.
#[test]
fn the_schemas_refuse_documents_the_standard_does_not_allow() {
    use serde_json::json;

    use super::support::is_valid;
    assert!(!is_valid("landingPage", &json!({"title": "no links"})));
    assert!(!is_valid("landingPage", &json!({"links": [{"rel": "self"}]})), "a link needs an href");
    assert!(!is_valid("confClasses", &json!({"conformsTo": "core"})));
    assert!(!is_valid("collection", &json!({"id": "x", "links": [], "extent": {"spatial": {"bbox": [[1, 2, 3]]}}})));
    assert!(!is_valid(
        "collection",
        &json!({"id": "x", "links": [], "extent": {"temporal": {"interval": [["yesterday", null]]}}})
    ));
    let point =
        json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [108.2, 16.0]}, "properties": {}});
    assert!(is_valid("featureGeoJSON", &point));
    assert!(!is_valid("featureGeoJSON", &json!({"type": "Feature", "properties": {}})), "geometry is required");
    assert!(!is_valid(
        "featureGeoJSON",
        &json!({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}, "properties": {}})
    ));
    let fc = |extra: serde_json::Value| {
        let mut v = json!({"type": "FeatureCollection", "features": [point.clone()]});
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    assert!(is_valid(
        "featureCollectionGeoJSON",
        &fc(json!({"numberMatched": 1, "timeStamp": "2026-11-05T08:30:00Z"}))
    ));
    assert!(!is_valid("featureCollectionGeoJSON", &fc(json!({"numberMatched": -1}))));
    assert!(!is_valid("featureCollectionGeoJSON", &fc(json!({"timeStamp": "now"}))));
}
