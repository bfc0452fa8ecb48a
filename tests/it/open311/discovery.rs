//! `discovery`, `services`, `services/{code}`, `jurisdiction_id` and unknown resources, in
//! both formats.

use serde::Deserialize;

use super::support::{get, json, json_errors, parse, xml, xml_errors};
use crate::harness::TestApp;
use crate::on_both_stores;

#[derive(Debug, Deserialize)]
struct XDiscovery {
    changeset: String,
    contact: String,
    key_service: String,
    endpoints: XEndpoints,
}
#[derive(Debug, Deserialize)]
struct XEndpoints {
    endpoint: Vec<XEndpoint>,
}
#[derive(Debug, Deserialize)]
struct XEndpoint {
    specification: String,
    url: String,
    #[serde(rename = "type")]
    kind: String,
    formats: XFormats,
}
#[derive(Debug, Deserialize)]
struct XFormats {
    format: Vec<String>,
}

async fn discovery_names_this_endpoint_and_both_formats(app: TestApp) {
    let url = app.url("/open311/v2");
    let d = json(&app, "discovery.json", 200).await;
    let e = &d["endpoints"][0];
    assert_eq!(e["url"], url.as_str(), "{d}");
    assert_eq!(e["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert_eq!(e["type"], "production");
    assert_eq!(e["formats"], serde_json::json!(["text/xml", "application/json"]));
    assert!(d["contact"].as_str().unwrap().contains("1022") && d["key_service"].is_string());

    let (root, text) = xml(&app, "discovery.xml", 200).await;
    assert_eq!(root, "discovery");
    let x: XDiscovery = parse(&text);
    assert_eq!(x.changeset, d["changeset"].as_str().unwrap());
    assert_eq!(x.contact, d["contact"].as_str().unwrap());
    assert!(!x.key_service.is_empty());
    let ep = &x.endpoints.endpoint[0];
    assert_eq!((ep.url.as_str(), ep.kind.as_str()), (url.as_str(), "production"));
    assert_eq!(ep.specification, "http://wiki.open311.org/GeoReport_v2");
    assert_eq!(ep.formats.format, ["text/xml", "application/json"]);
}
on_both_stores!(discovery_names_this_endpoint_and_both_formats);

#[derive(Debug, Deserialize)]
struct XServices {
    service: Vec<XService>,
}
#[derive(Debug, Deserialize)]
struct XService {
    service_code: String,
    service_name: String,
    description: String,
    metadata: bool,
    #[serde(rename = "type")]
    kind: String,
    keywords: String,
    group: String,
}

async fn services_are_the_categories_in_vietnamese(app: TestApp) {
    let list = json(&app, "services.json", 200).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), app.services.reference.current().categories.len());
    let waste = list.iter().find(|s| s["service_code"] == "construction-waste").unwrap();
    assert_eq!(waste["service_name"], "Đổ trộm phế thải xây dựng");
    assert_eq!(waste["metadata"], true, "it has questions");
    assert_eq!(waste["type"], "realtime");
    assert_eq!(waste["group"], "Môi trường & vệ sinh");
    assert!(waste["keywords"].as_str().unwrap().contains("environment"));
    assert!(waste["description"].as_str().unwrap().contains("Dumped construction waste"));
    let plain = list.iter().find(|s| s["service_code"] == "beach-litter").unwrap();
    assert_eq!(plain["metadata"], false);

    let (root, text) = xml(&app, "services.xml", 200).await;
    assert_eq!(root, "services");
    let x: XServices = parse(&text);
    assert_eq!(x.service.len(), list.len());
    let w = x.service.iter().find(|s| s.service_code == "construction-waste").unwrap();
    assert_eq!((w.service_name.as_str(), w.metadata, w.kind.as_str()), ("Đổ trộm phế thải xây dựng", true, "realtime"));
    assert_eq!((w.group.as_str(), w.keywords.is_empty()), ("Môi trường & vệ sinh", false));
    assert!(w.description.contains("Dumped construction waste"));
    assert!(!x.service.iter().find(|s| s.service_code == "beach-litter").unwrap().metadata);
}
on_both_stores!(services_are_the_categories_in_vietnamese);

#[derive(Debug, Deserialize)]
struct XDefinition {
    service_code: String,
    attributes: XAttributes,
}
#[derive(Debug, Deserialize)]
struct XAttributes {
    #[serde(default)]
    attribute: Vec<XAttribute>,
}
#[derive(Debug, Deserialize)]
struct XAttribute {
    variable: bool,
    code: String,
    datatype: String,
    required: bool,
    datatype_description: String,
    order: u32,
    description: String,
    values: Option<XValues>,
}
#[derive(Debug, Deserialize)]
struct XValues {
    value: Vec<XValue>,
}
#[derive(Debug, Deserialize)]
struct XValue {
    key: String,
    name: String,
}

async fn a_service_definition_lists_its_questions_in_order(app: TestApp) {
    let d = json(&app, "services/noise-karaoke.json", 200).await;
    assert_eq!(d["service_code"], "noise-karaoke");
    let attrs = d["attributes"].as_array().unwrap();
    assert_eq!(attrs.len(), 2);
    let time = &attrs[0];
    assert_eq!((time["code"].as_str(), time["order"].as_u64()), (Some("time_of_day"), Some(1)));
    assert_eq!((time["datatype"].as_str(), time["required"].as_bool()), (Some("singlevaluelist"), Some(true)));
    assert_eq!(time["variable"], true);
    assert_eq!(time["description"], "Tiếng ồn xảy ra vào lúc nào?");
    assert_eq!(time["datatype_description"], "When does the noise happen?");
    let keys: Vec<&str> = time["values"].as_array().unwrap().iter().map(|v| v["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["afternoon", "evening", "night"]);
    assert_eq!(time["values"][2]["name"], "Ban đêm (22–6 giờ)");
    let waste = json(&app, "services/construction-waste.json", 200).await;
    assert_eq!(waste["attributes"][0]["datatype"], "number");
    assert!(waste["attributes"][0].get("values").is_none(), "only lists have values");
    let none = json(&app, "services/beach-litter.json", 200).await;
    assert_eq!(none["attributes"], serde_json::json!([]));

    let (root, text) = xml(&app, "services/noise-karaoke.xml", 200).await;
    assert_eq!(root, "service_definition");
    let x: XDefinition = parse(&text);
    assert_eq!(x.service_code, "noise-karaoke");
    let a = &x.attributes.attribute[0];
    assert!(a.variable && a.required);
    assert_eq!((a.code.as_str(), a.datatype.as_str(), a.order), ("time_of_day", "singlevaluelist", 1));
    assert_eq!(
        (a.description.as_str(), a.datatype_description.as_str()),
        ("Tiếng ồn xảy ra vào lúc nào?", "When does the noise happen?")
    );
    let v = &a.values.as_ref().unwrap().value[1];
    assert_eq!((v.key.as_str(), v.name.as_str()), ("evening", "Buổi tối (18–22 giờ)"));
    let (_, text) = xml(&app, "services/beach-litter.xml", 200).await;
    assert!(parse::<XDefinition>(&text).attributes.attribute.is_empty());

    // An unknown service is a 404 with the error array, in both formats.
    let e = json_errors(get(&app, "services/no-such-service.json").await).await;
    assert_eq!(e[0].0, 404);
    assert!(e[0].1.contains("no-such-service"), "{e:?}");
    let r = get(&app, "services/no-such-service.xml").await;
    assert_eq!(r.status(), 404);
    assert_eq!(xml_errors(r).await[0].0, 404);
}
on_both_stores!(a_service_definition_lists_its_questions_in_order);

async fn jurisdiction_formats_and_unknown_resources_follow_the_spec(app: TestApp) {
    // The configured jurisdiction (any case) or none; another one is a 404 naming it.
    json(&app, "services.json?jurisdiction_id=danang.gov.vn", 200).await;
    json(&app, "services.json?jurisdiction_id=DaNang.gov.vn&", 200).await;
    json(&app, "services.json?jurisdiction_id=", 200).await;
    for path in
        ["services.json", "services/pothole.json", "requests.json", "discovery.json", "servicerequestupdates.json"]
    {
        let sep = if path.contains('?') { '&' } else { '?' };
        let r = get(&app, &format!("{path}{sep}jurisdiction_id=hanoi.gov.vn")).await;
        assert_eq!(r.status(), 404, "{path}");
        let e = json_errors(r).await;
        assert!(e[0].1.contains("hanoi.gov.vn"), "{e:?}");
    }
    let r = get(&app, "requests.xml?jurisdiction_id=hanoi.gov.vn").await;
    assert_eq!(r.status(), 404);
    assert_eq!(xml_errors(r).await[0].0, 404);

    // Without an extension: JSON, or XML when asked for.
    let r = get(&app, "services").await;
    assert_eq!(
        (r.status().as_u16(), crate::harness::content_type(&r).as_str()),
        (200, "application/json; charset=utf-8")
    );
    let r =
        reqwest::Client::new().get(app.url("/open311/v2/services")).header("accept", "text/xml").send().await.unwrap();
    assert_eq!(crate::harness::content_type(&r), "text/xml; charset=utf-8");

    // Unknown formats and resources are 404s in the spec's format.
    for path in ["services.csv", "nothing.json", "requests/x/y.json"] {
        let r = get(&app, path).await;
        assert_eq!(r.status(), 404, "{path}");
        assert_eq!(json_errors(r).await[0].0, 404);
    }
    // A wrong api_key is refused even where none is needed.
    let r = get(&app, "services.json?api_key=sbk_wrong").await;
    assert_eq!(r.status(), 403);
    assert_eq!(json_errors(r).await[0].0, 403);
}
on_both_stores!(jurisdiction_formats_and_unknown_resources_follow_the_spec);
