//! Open311 GeoReport v2 conformance tests: every endpoint of `/open311/v2` in JSON and XML
//! (the XML parsed with quick-xml's serde reader, so element names are checked), the filters
//! and defaults of `GET requests`, `api_key` rules, attribute validation, errors and the
//! absence of personal data. The real server on port 0, SQLite and PostGIS (`on_both_stores!`).

pub(crate) mod support;

mod discovery;
mod post;
mod privacy;
mod requests;
mod updates;
