//! Vector tiles (`/tiles`): the real server on port 0, a fresh database per test, both stores.
//! Tiles are decoded with geozero's protobuf types, as a client would.

mod support;

mod cache;
mod clusters;
mod errors;
mod pmtiles;
mod scoped;
mod sources;
mod tilejson;
