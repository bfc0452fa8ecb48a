//! One conformance suite for every [`Store`](switchboard::store::Store): each test runs against
//! a fresh PostgreSQL+PostGIS database and a fresh SQLite file (`on_both_stores!`, which opens
//! the store on an empty database and drops the database after the test), then what only one
//! backend has. `cargo test --test it store_conformance` runs it (PostgreSQL needs `DATABASE_URL`).

mod accounts;
mod calls;
mod channels;
mod conversations;
mod desk;
mod filing;
mod open311;
mod photos;
pub mod procedures;
mod reference;
mod tickets;

mod pg_only;
mod sqlite_only;
