//! Vector tiles (`/tiles`): the real server on port 0, a fresh database per test, both stores.
//! Tiles are decoded with geozero's protobuf types, as a client would.

#[path = "../common/mod.rs"]
mod common;

// The API tests' `spawn_app` (a user per role, the demo city); not every helper is used here.
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

mod support;

mod cache;
mod errors;
mod pmtiles;
mod sources;
mod tilejson;
