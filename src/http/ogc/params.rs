//! Query parameters of `/ogc` requests. The standard asks for a 400 on any parameter it does
//! not define (`/req/core/query-param-unknown`) and on invalid values
//! (`/req/core/query-param-invalid`); both answer problem+json naming the parameter.

use axum::http::StatusCode;

use crate::domain::{BBox, ValidationErrors};
use crate::http::error::ApiError;
use crate::service::ogc::{DEFAULT_LIMIT, Interval, ItemsQuery, MAX_LIMIT};

/// A 400 naming the fields at fault.
pub fn bad_request(v: ValidationErrors) -> ApiError {
    let mut e = ApiError::validation(v);
    e.status = StatusCode::BAD_REQUEST;
    e
}

/// The raw query's pairs, refusing names outside `allowed` and repeated names.
pub fn pairs(raw: Option<&str>, allowed: &[&str]) -> Result<Vec<(String, String)>, ApiError> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut errs = ValidationErrors::new();
    for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        if !allowed.contains(&k.as_ref()) {
            errs.push(k.to_string(), format!("unknown parameter; this resource takes {}", list(allowed)));
        } else if out.iter().any(|(x, _)| x == &k) {
            errs.push(k.to_string(), "given more than once");
        } else if k == "f" && !matches!(v.as_ref(), "json" | "geojson") {
            errs.push("f", "only json is served");
        } else {
            out.push((k.into_owned(), v.into_owned()));
        }
    }
    errs.into_result().map_err(bad_request)?;
    Ok(out)
}

fn list(allowed: &[&str]) -> String {
    if allowed.is_empty() { "none".into() } else { allowed.join(", ") }
}

/// The items query, and the pairs to repeat in paging links (everything but `offset`).
pub fn items(raw: Option<&str>) -> Result<(ItemsQuery, Vec<(String, String)>), ApiError> {
    let given = pairs(raw, &["limit", "offset", "bbox", "datetime", "f"])?;
    let get = |k: &str| given.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str());
    let mut errs = ValidationErrors::new();
    let limit = match get("limit").map(|l| l.trim().parse::<i64>()) {
        None => DEFAULT_LIMIT,
        Some(Ok(n)) if n >= 1 => usize::try_from(n).unwrap_or(MAX_LIMIT).min(MAX_LIMIT),
        Some(_) => {
            errs.push("limit", "must be a whole number of at least 1");
            DEFAULT_LIMIT
        }
    };
    let offset = match get("offset").map(|o| o.trim().parse::<usize>()) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            errs.push("offset", "must be a whole number of at least 0");
            0
        }
    };
    let bbox = get("bbox").and_then(|b| errs.take(parse_bbox(b)));
    let datetime = get("datetime").and_then(|d| errs.take(Interval::parse(d, "datetime")));
    errs.into_result().map_err(bad_request)?;
    let keep = given.iter().filter(|(k, _)| k != "offset" && k != "limit").cloned().collect();
    Ok((ItemsQuery { bbox, datetime, limit, offset }, keep))
}

/// `minLon,minLat,maxLon,maxLat`, or with heights `minLon,minLat,minH,maxLon,maxLat,maxH`.
fn parse_bbox(s: &str) -> Result<BBox, ValidationErrors> {
    let bad = || ValidationErrors::single("bbox", "4 numbers minLon,minLat,maxLon,maxLat (or 6 with heights)");
    let v: Vec<f64> = s.split(',').map(|x| x.trim().parse::<f64>()).collect::<Result<_, _>>().map_err(|_| bad())?;
    match v[..] {
        [a, b, c, d] => BBox::new(a, b, c, d, "bbox"),
        [a, b, _, d, e, _] => BBox::new(a, b, d, e, "bbox"),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: ApiError) -> Vec<String> {
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        e.errors.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn defaults_and_clamping() {
        let (q, keep) = items(None).unwrap();
        assert_eq!((q.limit, q.offset, q.bbox, q.datetime), (10, 0, None, None));
        assert!(keep.is_empty());
        let (q, _) = items(Some("limit=50000&offset=20")).unwrap();
        assert_eq!((q.limit, q.offset), (MAX_LIMIT, 20));
    }

    #[test]
    fn bbox_takes_four_or_six_numbers_and_paging_keeps_the_filters() {
        let (q, keep) = items(Some("bbox=108.1,16.0,108.3,16.1&datetime=2026-01-01T00:00:00Z/..&offset=10")).unwrap();
        let b = q.bbox.unwrap();
        assert_eq!((b.min_lon, b.max_lat), (108.1, 16.1));
        assert_eq!(keep.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["bbox", "datetime"]);
        let (q, _) = items(Some("bbox=108.1,16.0,0,108.3,16.1,100")).unwrap();
        assert_eq!(q.bbox.unwrap().max_lon, 108.3);
    }

    #[test]
    fn bad_values_unknown_and_repeated_parameters_are_400_naming_them() {
        assert_eq!(fields(items(Some("limit=0")).unwrap_err()), ["limit"]);
        assert_eq!(fields(items(Some("limit=ten&offset=-1")).unwrap_err()), ["limit", "offset"]);
        assert_eq!(fields(items(Some("bbox=1,2,3")).unwrap_err()), ["bbox"]);
        assert_eq!(fields(items(Some("bbox=108.3,16,108.1,16.1")).unwrap_err()), ["bbox"]);
        assert_eq!(fields(items(Some("datetime=soon")).unwrap_err()), ["datetime"]);
        assert_eq!(fields(items(Some("color=red")).unwrap_err()), ["color"]);
        assert_eq!(fields(items(Some("limit=1&limit=2")).unwrap_err()), ["limit"]);
        assert_eq!(fields(items(Some("f=html")).unwrap_err()), ["f"]);
        assert!(items(Some("f=json")).is_ok());
    }
}
