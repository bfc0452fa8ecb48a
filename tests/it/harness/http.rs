//! Reading responses: problem+json bodies and media types.

use reqwest::Response;
use serde_json::Value;

/// Reads a problem+json body, checking its media type.
pub async fn problem(r: Response) -> Value {
    let ct = content_type(&r);
    assert_eq!(ct, "application/problem+json", "status {}", r.status());
    r.json().await.unwrap()
}

/// The fields a problem names.
pub fn fields(p: &Value) -> Vec<String> {
    p["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["field"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

/// The response's `Content-Type` (empty if it has none).
pub fn content_type(r: &Response) -> String {
    r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}
