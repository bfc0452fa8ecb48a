//! API tests: the real server on port 0, a fresh database per test, both stores.

mod areas;
mod batch;
mod errors;
mod idempotency;
mod login;
mod media;
mod media_access;
mod metrics;
pub mod photo_fixtures;
mod public;
mod roles;
mod scope;
mod ticket_export;
mod tickets;
mod transitions;
mod wall;

mod console;
mod csrf;
mod tiles_roles;
