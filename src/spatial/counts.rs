//! Per-status ticket counts, kept up to date by [`super::TicketIndex`] for the map wall.

use serde::{Deserialize, Serialize};

use crate::domain::Status;

/// How many tickets are in each [`Status`], plus their `total`.
///
/// Serialises as `{ "received": n, "assigned": n, …, "duplicate": n, "total": n }` (the wire
/// names of [`Status::as_str`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusCounts {
    pub received: u64,
    pub assigned: u64,
    pub accepted: u64,
    pub in_progress: u64,
    pub returned: u64,
    pub resolved: u64,
    pub closed: u64,
    pub rejected: u64,
    pub duplicate: u64,
    /// Sum of all the per-status counts.
    pub total: u64,
}

impl StatusCounts {
    /// The count for one status.
    pub fn get(&self, status: Status) -> u64 {
        *self.slot_ref(status)
    }

    /// Tickets in any open status ([`Status::is_open`]).
    pub fn open(&self) -> u64 {
        Status::ALL.into_iter().filter(|s| s.is_open()).map(|s| self.get(s)).sum()
    }

    /// Counts one more ticket in `status`.
    pub fn add(&mut self, status: Status) {
        *self.slot(status) += 1;
        self.total += 1;
    }

    /// Counts one ticket fewer in `status` (saturating: never below zero).
    pub fn sub(&mut self, status: Status) {
        let slot = self.slot(status);
        if *slot > 0 {
            *slot -= 1;
            self.total -= 1;
        }
    }

    fn slot(&mut self, status: Status) -> &mut u64 {
        match status {
            Status::Received => &mut self.received,
            Status::Assigned => &mut self.assigned,
            Status::Accepted => &mut self.accepted,
            Status::InProgress => &mut self.in_progress,
            Status::Returned => &mut self.returned,
            Status::Resolved => &mut self.resolved,
            Status::Closed => &mut self.closed,
            Status::Rejected => &mut self.rejected,
            Status::Duplicate => &mut self.duplicate,
        }
    }

    fn slot_ref(&self, status: Status) -> &u64 {
        match status {
            Status::Received => &self.received,
            Status::Assigned => &self.assigned,
            Status::Accepted => &self.accepted,
            Status::InProgress => &self.in_progress,
            Status::Returned => &self.returned,
            Status::Resolved => &self.resolved,
            Status::Closed => &self.closed,
            Status::Rejected => &self.rejected,
            Status::Duplicate => &self.duplicate,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_with_status_wire_names_and_total() {
        let mut c = StatusCounts::default();
        c.add(Status::InProgress);
        c.add(Status::InProgress);
        c.add(Status::Closed);
        let v = serde_json::to_value(c).unwrap();
        for s in Status::ALL {
            assert_eq!(v[s.as_str()], serde_json::json!(c.get(s)), "{}", s.as_str());
        }
        assert_eq!(v["in_progress"], 2);
        assert_eq!(v["total"], 3);
        assert_eq!(c.open(), 2);
    }

    #[test]
    fn sub_never_goes_below_zero_and_keeps_total_consistent() {
        let mut c = StatusCounts::default();
        c.add(Status::Received);
        c.sub(Status::Closed);
        assert_eq!((c.received, c.closed, c.total), (1, 0, 1));
        c.sub(Status::Received);
        assert_eq!(c, StatusCounts::default());
    }
}
