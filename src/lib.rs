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
//! - [`app`], [`config`]: start-up and settings; `main.rs` is a thin CLI over them.
//! - [`intake`]: signed chat/SMS webhooks (Zalo OA, Messenger, SMS) whose messages become tickets.
//! - [`notify`]: the notifier: an outbox of messages to citizens, delivered by webhook or SMTP.

pub mod app;
pub mod config;
pub mod demo;
pub mod domain;
pub mod http;
pub mod import;
pub mod intake;
pub mod live;
pub mod notify;
pub mod service;
pub mod spatial;
pub mod store;
