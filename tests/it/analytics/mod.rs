//! The leaders' statistics through the real server, on both stores: every figure against the
//! brute-force oracle over what the store holds, the same figures after a restart (facts
//! rebuilt from the store), the role's scope, the CSV export and the errors.

mod deps {
    pub use switchboard::analytics::*;
    pub use switchboard::domain::*;
}
// The oracle serves the unit tests too; not every item is used here.
#[allow(dead_code)]
#[path = "../../../src/analytics/oracle.rs"]
mod oracle;

mod directions;
mod figures;
mod public;
mod scope;
mod staffing;
