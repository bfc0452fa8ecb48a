//! Camera tests: the registry and its roles, the proxy (MJPEG, snapshots, HLS) against a real
//! camsim, the SSRF defences, and the health checker's live events — on SQLite and PostGIS.

#[path = "../common/mod.rs"]
mod common;
#[path = "../api/helpers.rs"]
#[allow(dead_code)] // the API tests' helpers; these tests use a part of them
mod helpers;

mod support;

mod health;
mod import;
mod proxy;
mod registry;
mod roles;
mod ssrf;
mod store;
