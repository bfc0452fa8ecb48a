//! Open311 parameters: the query string and, for `POST requests`, the
//! `application/x-www-form-urlencoded` body (which wins over the query string), read with
//! repeated keys kept (`attribute[noise][]=a&attribute[noise][]=b`). An empty value counts as
//! absent, as the specification says of optional arguments.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::http::{HeaderMap, header};

use super::format::Failure;
use crate::service::open311::intake::Submission;
use crate::service::open311::query::RequestParams;

/// Every parameter of a request, in order.
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn from_query(query: Option<&str>) -> Self {
        Self(form_urlencoded::parse(query.unwrap_or("").as_bytes()).into_owned().collect())
    }

    /// The query string plus a form body; `Err` when the body is not a form.
    pub fn with_form(mut self, headers: &HeaderMap, body: &Bytes) -> Result<Self, Failure> {
        let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if !(mime.is_empty() || mime == "application/x-www-form-urlencoded") {
            return Err(Failure::bad_request(format!(
                "send the request as application/x-www-form-urlencoded, not {mime}"
            )));
        }
        if std::str::from_utf8(body).is_err() {
            return Err(Failure::bad_request("the form is not UTF-8"));
        }
        let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
        self.0.retain(|(k, _)| !form.iter().any(|(f, _)| f == k));
        self.0.extend(form);
        Ok(self)
    }

    /// The first non-empty value of `name`.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.clone())
    }

    pub fn request_params(&self) -> RequestParams {
        RequestParams {
            service_request_id: self.get("service_request_id"),
            service_code: self.get("service_code"),
            start_date: self.get("start_date"),
            end_date: self.get("end_date"),
            status: self.get("status"),
            page: self.get("page"),
            page_size: self.get("page_size"),
        }
    }

    /// The fields of `POST requests`. `attribute[code]=v` and `attribute[code][]=v` both give
    /// `code` a value; the list form may repeat.
    pub fn submission(&self) -> Submission {
        let mut attributes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in &self.0 {
            let Some(rest) = k.strip_prefix("attribute[") else { continue };
            let code = rest.strip_suffix("][]").or_else(|| rest.strip_suffix(']'));
            if let Some(code) = code.filter(|c| !c.is_empty() && !c.contains(['[', ']'])) {
                attributes.entry(code.to_owned()).or_default().push(v.clone());
            }
        }
        Submission {
            service_code: self.get("service_code"),
            lat: self.get("lat"),
            long: self.get("long"),
            address_string: self.get("address_string"),
            address_id: self.get("address_id"),
            email: self.get("email"),
            device_id: self.get("device_id"),
            account_id: self.get("account_id"),
            first_name: self.get("first_name"),
            last_name: self.get("last_name"),
            phone: self.get("phone"),
            description: self.get("description"),
            media_url: self.get("media_url"),
            attributes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_keep_repeated_values_and_the_body_wins() {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, "application/x-www-form-urlencoded; charset=utf-8".parse().unwrap());
        let body = Bytes::from(
            "service_code=noise-karaoke&attribute%5Btime%5D=night&attribute[days][]=mon&attribute[days][]=tue\
             &description=H%C3%A1t+karaoke&lat=",
        );
        let p = Params::from_query(Some("api_key=k&service_code=old")).with_form(&h, &body).unwrap();
        let s = p.submission();
        assert_eq!(s.service_code.as_deref(), Some("noise-karaoke"));
        assert_eq!(s.description.as_deref(), Some("Hát karaoke"));
        assert_eq!(s.lat, None, "an empty value is absent");
        assert_eq!(s.attributes["time"], ["night"]);
        assert_eq!(s.attributes["days"], ["mon", "tue"]);
        assert_eq!(p.get("api_key").as_deref(), Some("k"));
        h.insert(header::CONTENT_TYPE, "application/json".parse().unwrap());
        assert!(Params::default().with_form(&h, &Bytes::from("{}")).is_err());
    }
}
