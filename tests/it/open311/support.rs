//! Talking Open311 to the test server: form posts with an `api_key`, both formats, and the
//! XML read back with quick-xml.

use reqwest::{Client, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::harness::{TestApp, content_type};

/// An Open311 API key (role `open311`) made for the test.
pub async fn api_key(app: &TestApp, name: &str) -> String {
    app.services.accounts.create_api_key(name, "open311").await.expect("an open311 key").1
}

pub async fn get(app: &TestApp, path: &str) -> Response {
    Client::new().get(app.url(&format!("/open311/v2/{path}"))).send().await.unwrap()
}

/// GETs a JSON resource, expecting `status` and `application/json; charset=utf-8`.
pub async fn json(app: &TestApp, path: &str, status: u16) -> Value {
    let r = get(app, path).await;
    assert_eq!(r.status().as_u16(), status, "GET {path}");
    assert_eq!(content_type(&r), "application/json; charset=utf-8", "GET {path}");
    r.json().await.unwrap()
}

/// GETs an XML resource, expecting `status`, `text/xml; charset=utf-8` and the XML
/// declaration with UTF-8; returns the root element's name and the document.
pub async fn xml(app: &TestApp, path: &str, status: u16) -> (String, String) {
    let r = get(app, path).await;
    assert_eq!(r.status().as_u16(), status, "GET {path}");
    assert_eq!(content_type(&r), "text/xml; charset=utf-8", "GET {path}");
    let text = r.text().await.unwrap();
    assert!(text.starts_with(r#"<?xml version="1.0" encoding="utf-8"?>"#), "{text}");
    (root(&text), text)
}

/// The name of the document's root element.
pub fn root(xml: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                return e.name().as_ref().to_owned();
            }
            quick_xml::events::Event::Eof => panic!("no root element in {xml}"),
            _ => {}
        }
    }
}

/// Parses XML with quick-xml's serde reader (fields are matched by element name).
pub fn parse<T: DeserializeOwned>(xml: &str) -> T {
    quick_xml::de::from_str(xml).unwrap_or_else(|e| panic!("{e}: {xml}"))
}

/// POSTs a form to `requests.{format}` with these fields.
pub async fn post(app: &TestApp, format: &str, fields: &[(&str, &str)]) -> Response {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    Client::new()
        .post(app.url(&format!("/open311/v2/requests.{format}")))
        .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// The errors of an error response in JSON: `(code, description)`.
pub async fn json_errors(r: Response) -> Vec<(u64, String)> {
    assert_eq!(content_type(&r), "application/json; charset=utf-8");
    let v: Value = r.json().await.unwrap();
    v.as_array()
        .unwrap_or_else(|| panic!("an error array: {v}"))
        .iter()
        .map(|e| (e["code"].as_u64().unwrap(), e["description"].as_str().unwrap().to_owned()))
        .collect()
}

#[derive(Debug, serde::Deserialize)]
pub struct XmlErrors {
    pub error: Vec<XmlError>,
}

#[derive(Debug, serde::Deserialize)]
pub struct XmlError {
    pub code: u16,
    pub description: String,
}

/// The errors of an error response in XML (root `errors`, items `error`).
pub async fn xml_errors(r: Response) -> Vec<(u16, String)> {
    assert_eq!(content_type(&r), "text/xml; charset=utf-8");
    let text = r.text().await.unwrap();
    assert_eq!(root(&text), "errors", "{text}");
    parse::<XmlErrors>(&text).error.into_iter().map(|e| (e.code, e.description)).collect()
}

/// A point inside Hải Châu, as `(lat, long)` strings.
pub fn hai_chau(app: &TestApp) -> (String, String) {
    let (lon, lat) = app.point_in(&app.hai_chau);
    (lat.to_string(), lon.to_string())
}
