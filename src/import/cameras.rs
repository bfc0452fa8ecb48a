//! Cameras from a GeoJSON FeatureCollection of Points (`switchboard import cameras FILE`).
//!
//! Each feature's properties: `code`, `name`, `name_en` (optional), `heading` (degrees from
//! north), `fov` (degrees), `range_m` (optional, metres), `kind` (`mjpeg`, `hls`, `snapshot`)
//! and `source`: an http(s) URL, or a path resolved against the import's source base (the
//! demo's cameras name camsim paths such as `cam/3/mjpeg`). A bad feature is reported by its
//! index and code and skipped; the others are imported.

use std::fmt;

use serde_json::Value;
use url::Url;

use super::ImportError;
use crate::domain::camera::{CameraInput, CameraSpec};
use crate::service::Cameras;

/// One feature that was not imported, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct CameraFeatureError {
    /// 0-based position in `features`.
    pub index: usize,
    pub code: Option<String>,
    pub problem: String,
}

impl fmt::Display for CameraFeatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(c) => write!(f, "feature #{} (code {c}): {}", self.index, self.problem),
            None => write!(f, "feature #{}: {}", self.index, self.problem),
        }
    }
}

/// The cameras of a file, and the features refused.
#[derive(Debug, Default)]
pub struct ParsedCameras {
    pub cameras: Vec<CameraSpec>,
    pub errors: Vec<CameraFeatureError>,
}

/// Parses a camera FeatureCollection; `source_base` resolves relative sources.
pub fn parse_cameras(text: &str, source_base: Option<&Url>) -> Result<ParsedCameras, ImportError> {
    let features = super::areas::read_features(text)?;
    let mut out = ParsedCameras::default();
    let mut seen = std::collections::HashSet::new();
    for (index, feature) in features.iter().enumerate() {
        let code = feature.pointer("/properties/code").and_then(Value::as_str).map(str::to_owned);
        match parse_feature(feature, source_base) {
            Ok(spec) if !seen.insert(spec.code.clone()) => out.errors.push(CameraFeatureError {
                index,
                code,
                problem: "the code appears twice in the file".into(),
            }),
            Ok(spec) => out.cameras.push(spec),
            Err(problem) => out.errors.push(CameraFeatureError { index, code, problem }),
        }
    }
    Ok(out)
}

fn parse_feature(feature: &Value, source_base: Option<&Url>) -> Result<CameraSpec, String> {
    let coords = feature
        .pointer("/geometry/coordinates")
        .and_then(Value::as_array)
        .filter(|_| feature.pointer("/geometry/type").and_then(Value::as_str) == Some("Point"))
        .ok_or("the geometry must be a Point")?;
    let (Some(lon), Some(lat)) = (coords.first().and_then(Value::as_f64), coords.get(1).and_then(Value::as_f64)) else {
        return Err("the Point needs [lon, lat] numbers".into());
    };
    let all = feature.get("properties").and_then(Value::as_object).ok_or("the feature has no properties")?;
    // Only the camera's own properties: a city's GIS file may carry others.
    let mut props: serde_json::Map<String, Value> = all
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "code" | "name" | "name_en" | "heading" | "fov" | "range_m" | "kind"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let source = all.get("source").and_then(Value::as_str).ok_or("source: missing")?.to_owned();
    let source = if source.contains("://") {
        source
    } else {
        let base = source_base.ok_or("source: a relative source needs a source base (--source-base URL)")?;
        base.join(&source).map_err(|e| format!("source: {e}"))?.to_string()
    };
    props.insert("source".into(), Value::String(source));
    props.insert("location".into(), serde_json::json!({"lon": lon, "lat": lat}));
    let input: CameraInput = serde_json::from_value(Value::Object(props)).map_err(|e| e.to_string())?;
    input.parse().map_err(|e| e.0.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; "))
}

/// What an import did.
#[derive(Debug, Default)]
pub struct CameraImportReport {
    pub imported: usize,
    pub errors: Vec<CameraFeatureError>,
}

/// Parses `text` and saves every good camera (created or replaced by code, one
/// `camera.updated` event each).
pub async fn import_cameras(
    cameras: &Cameras,
    text: &str,
    source_base: Option<&Url>,
) -> anyhow::Result<CameraImportReport> {
    let parsed = parse_cameras(text, source_base)?;
    let mut report = CameraImportReport { imported: 0, errors: parsed.errors };
    for spec in parsed.cameras {
        let code = spec.code.clone();
        cameras.import_camera(spec).await.map_err(|e| anyhow::anyhow!("saving camera {code}: {e}"))?;
        report.imported += 1;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","geometry":{"type":"Point","coordinates":[108.2272,16.0610]},
       "properties":{"code":"C1","name":"Cầu Rồng","heading":90,"fov":60,"kind":"mjpeg","source":"cam/1/mjpeg"}},
      {"type":"Feature","geometry":{"type":"Point","coordinates":[108.25,16.07]},
       "properties":{"code":"C2","name":"Biển","heading":10,"fov":70,"kind":"snapshot","source":"gopher://x/1"}},
      {"type":"Feature","geometry":{"type":"LineString","coordinates":[[108,16],[108.1,16.1]]},
       "properties":{"code":"C3","name":"x","heading":0,"fov":60,"kind":"mjpeg","source":"http://cam/x"}},
      {"type":"Feature","geometry":{"type":"Point","coordinates":[108.2272,16.0610]},
       "properties":{"code":"C1","name":"again","heading":90,"fov":60,"kind":"mjpeg","source":"http://cam/1"}}
    ]}"#;

    #[test]
    fn good_features_import_and_bad_ones_are_named() {
        let base = Url::parse("http://127.0.0.1:8554/").unwrap();
        let parsed = parse_cameras(FILE, Some(&base)).unwrap();
        assert_eq!(parsed.cameras.len(), 1);
        assert_eq!(parsed.cameras[0].source.as_str(), "http://127.0.0.1:8554/cam/1/mjpeg");
        let errs: Vec<String> = parsed.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs[0].starts_with("feature #1 (code C2): ") && errs[0].contains("http://"), "{}", errs[0]);
        assert!(errs[1].contains("Point"), "{}", errs[1]);
        assert!(errs[2].contains("twice"), "{}", errs[2]);
        let without_base = parse_cameras(FILE, None).unwrap();
        assert!(without_base.errors[0].problem.contains("source base"));
    }
}
