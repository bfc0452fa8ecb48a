//! Camera tests: the registry and its roles, the proxy (MJPEG, snapshots, HLS) against a real
//! camsim, the SSRF defences, and the health checker's live events — on SQLite and PostGIS.

mod support;

mod health;
mod import;
mod proxy;
mod registry;
mod roles;
mod ssrf;
mod store;
