//! Switchboard: the GIS operations centre behind a city's citizen hotline.
//!
//! Module map (see `../shared/DESIGN.md`):
//! - [`domain`]: pure types and rules (tickets, status machine, deadlines, areas, routing).
//! - [`spatial`]: synchronous indexes (tickets in an R-tree, area polygons).
//! - [`store`]: the store trait with PostGIS and SQLite implementations.
//! - [`service`]: the operations (intake, transitions, queries, auth) between HTTP and store.
//! - [`http`]: axum routers, problem+json errors, auth extractors, OpenAPI.
//! - [`import`]: GeoJSON importers.
//! - [`live`]: the outbox follower, the live hub and the overdue timer.
//! - [`demo`]: the demo city of Đà Nẵng and the demo ticket generator.
//! - [`bench`]: load tools run against a running server (`switchboard bench live`).
//! - [`media`]: photos checked by content, re-encoded without metadata, stored by content hash.
//! - [`intake`]: signed chat/SMS webhooks (Zalo OA, Messenger, SMS) whose messages become tickets.
//! - [`notify`]: the notifier: an outbox of messages to citizens, delivered by webhook or SMTP.
//! - [`cameras`]: the camera proxy's guarded HTTP client, HLS rewriting and the health checker;
//!   [`camsim`] serves synthetic camera feeds for the demo and the tests.
//! - [`app`], [`config`], [`limits`]: start-up, settings and process limits.
//! - [`cli`]: the command line (every subcommand's clap flags and their dispatch); `main.rs`
//!   only parses, starts tracing and calls [`cli::run`].

pub mod app;
pub mod bench;
pub mod cameras;
pub mod camsim;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod http;
pub mod import;
pub mod intake;
pub mod limits;
pub mod live;
pub mod media;
pub mod notify;
pub mod service;
pub mod spatial;
pub mod store;
pub mod workers;

#[cfg(test)]
mod layers;
