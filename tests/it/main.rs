//! Every integration test of Switchboard, in one test binary (one build, one link of the crate):
//! one module per feature, the real server on port 0, a real PostGIS database and a real SQLite
//! file per test. What the modules share is in [`harness`].
//!
//! Run one feature with a filter on the test path, e.g. `cargo test --test it store_conformance`
//! or `make test ARGS=open311::`.

mod harness;

mod analytics;
mod api;
mod appointments;
mod backup;
mod bench_live;
mod cameras;
mod channels;
mod chat;
mod demo_city;
mod desk;
mod durability;
mod fuzz;
mod import;
mod live;
mod ogc;
mod open311;
mod planning;
mod press;
mod procedures;
mod reports;
mod search;
mod seed;
mod store_conformance;
mod supporters;
mod tiles;
mod web_assets;
