//! Switchboard: the GIS operations centre behind a city's citizen hotline.
//!
//! Module map, by layer from the bottom (`docs/ARCHITECTURE.md`; each module uses only its own
//! layer and those below, checked by the tests in `layers.rs`):
//! 0. [`domain`]: pure types and rules (tickets, status machine, deadlines, areas, routing,
//!    scopes); [`config`]: setting values shared by several layers; [`limits`]: process limits.
//! 1. [`spatial`]: synchronous indexes (tickets in an R-tree, per-area counters, area polygons,
//!    planning zones, MVT encoding); [`analytics`]: the leaders' statistics over every ticket's
//!    facts, in memory.
//! 2. [`store`]: the store traits by aggregate, written once in SQL for PostGIS and SQLite.
//! 3. [`live`]: the live hub (frames fanned out to subscribers with filters); [`media`]: photo
//!    files; [`cameras`]: the guarded camera client and HLS rewriting; [`camsim`]: synthetic
//!    camera feeds.
//! 4. [`service`]: the operations as narrow handles (tickets, the projection of events,
//!    accounts, photos, cameras, planning, tiles, KPIs, Open311, OGC); [`intake`]: signed
//!    chat/SMS webhooks whose messages become tickets.
//! 5. [`notify`]: the notifier (an outbox of messages to citizens, by webhook or SMTP);
//!    [`workers`]: the background tasks (outbox follower, timers, camera feed and health).
//! 6. [`http`]: axum routers, `AppState`, problem+json errors, auth extractors, OpenAPI.
//! 7. [`import`]: importers (GeoJSON, Shapefile, GeoPackage); [`demo`]: the demo city of Đà
//!    Nẵng and its ticket generator; [`fuzzing`]: every parser of outside input as a fuzz target.
//! 8. [`app`]: start-up (`Application::build`) and the composed `Settings`.
//! 9. [`cli`]: the command line (clap flags and dispatch; `main.rs` only calls [`cli::run`]);
//!    [`bench`]: load tools run against a running server.

pub mod analytics;
pub mod app;
pub mod bench;
pub mod cameras;
pub mod camsim;
pub mod classify;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod fuzzing;
pub mod http;
pub mod import;
pub mod intake;
pub mod limits;
pub mod live;
pub mod media;
pub mod notify;
pub mod search;
pub mod service;
pub mod spatial;
pub mod store;
pub mod workers;

#[cfg(test)]
mod layers;
