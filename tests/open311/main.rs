//! Open311 GeoReport v2 conformance tests: every endpoint of `/open311/v2` in JSON and XML
//! (the XML parsed with quick-xml's serde reader, so element names are checked), the filters
//! and defaults of `GET requests`, `api_key` rules, attribute validation, errors and the
//! absence of personal data. The real server on port 0, SQLite and PostGIS (`both!`).

#[path = "../common/mod.rs"]
mod common;

#[path = "../api/helpers.rs"]
#[allow(dead_code)] // shared with tests/api, which uses all of it
mod helpers;

mod support;

mod discovery;
mod post;
mod privacy;
mod requests;
mod updates;
