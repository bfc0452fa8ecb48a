//! The leaders' statistics, computed in memory: every ticket as a compact [`Fact`] (its
//! current state and what its history tells), kept up to date by the projection of each
//! event, and queried in one pass with any filters and one or two dimensions. Synchronous and
//! free of I/O, like `spatial`; the definitions, with their formulas, are in `docs/metrics.md`.
//!
//! - [`Facts`]: the rows, built from the stored tickets and their events ([`Facts::upsert`],
//!   [`Facts::apply`]).
//! - [`Query`] / [`run`]: filters (period, areas, units, fields, categories, channels,
//!   priorities, the role's scope) and grouping, giving [`Measures`] per group.
//! - [`weekly`]: weekly trends from the history.
//! - [`satisfaction`]: the satisfaction index and its components.
//! - [`Catalogue`]: the reference data the statistics need (hierarchies, fields, populations).
//! - [`staffing`]: the hotline's hourly load, next week's forecast and Erlang C staffing.

pub mod calendar;
mod catalogue;
mod facts;
mod measures;
mod query;
mod satisfaction;
pub mod staffing;
mod trends;

pub use catalogue::{AreaInfo, Catalogue};
pub use facts::{Fact, Facts, Outcome, Settlement, micros};
pub use measures::{BACKLOG_LABELS, Measures, percentile, ratio};
pub use query::{Basis, Dimension, Key, Query, Row, Table, run};
pub use satisfaction::{Satisfaction, Weights, satisfaction};
pub use trends::{Week, last_weeks, weekly};

#[cfg(test)]
mod tests;
