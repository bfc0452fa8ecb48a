//! OGC API – Features conformance tests: every response of `/ogc` checked against JSON Schemas
//! written from the standard (tests/it/ogc/schemas), plus the behaviour the schemas can't see:
//! links, paging, `bbox`, `datetime`, `limit`, errors, media types, and the absence of personal
//! data in the tickets collection. The real server on port 0, SQLite and PostGIS (`on_both_stores!`).

mod support;

mod cameras;
mod core;
mod items;
mod tickets;
