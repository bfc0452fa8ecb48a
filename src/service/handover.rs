//! Events a writer of this instance has just committed, handed to the outbox follower so that
//! it applies them without reading them back from the store (the projection's
//! [`super::Projection::handing_over`]).
//!
//! The follower takes handed events only while they follow on from the last `seq` it applied
//! without a gap. Anything else — another instance's events, a write that hands nothing over,
//! a full buffer — it reads from the store as before, so every event is still applied once
//! and in order, and the hand-over only ever saves a read.
//!
//! Two filings committed one after the other may hand over in the other order (their tasks
//! resume as the runtime picks them): when only later events are there and a write is still
//! on its way, the follower waits for it a little ([`HAND_OVER_WAIT`]) before it reads.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::domain::{Ticket, TicketEvent};

/// A committed event handed over, with the ticket as stored when the writer has it (a filing's
/// `created` events: their `data` is left empty, the ticket is here instead of its JSON).
#[derive(Debug)]
pub struct Handed {
    pub event: TicketEvent,
    pub ticket: Option<Ticket>,
}

impl From<TicketEvent> for Handed {
    fn from(event: TicketEvent) -> Self {
        Self { event, ticket: None }
    }
}

/// Most events kept (past it, the follower reads the rest back).
const MAX_KEPT: usize = 4_096;
/// How long the follower waits for a write committed before one that handed over already.
pub const HAND_OVER_WAIT: Duration = Duration::from_millis(5);

/// The handed events of one instance, by `seq`.
#[derive(Default)]
pub struct HandOvers {
    kept: Mutex<BTreeMap<i64, Handed>>,
    /// Writes between their start and their hand-over.
    on_the_way: AtomicUsize,
    /// Told when a hand-over ends.
    handed: tokio::sync::Notify,
}

impl HandOvers {
    /// Starts a write that may hand its events over once committed.
    pub fn start(self: &Arc<Self>) -> HandOver {
        self.on_the_way.fetch_add(1, Ordering::SeqCst);
        HandOver(self.clone())
    }

    /// The handed events that follow `last` without a gap, at most `max`; waits up to
    /// [`HAND_OVER_WAIT`] when only later ones are there and a write is on its way. Empty when
    /// the follower must read from the store.
    pub async fn after(&self, last: i64, max: usize) -> Vec<Handed> {
        let until = tokio::time::Instant::now() + HAND_OVER_WAIT;
        loop {
            let handed = self.handed.notified();
            tokio::pin!(handed);
            handed.as_mut().enable();
            let (events, gap) = self.take_after(last, max);
            if !events.is_empty() || !gap || self.on_the_way.load(Ordering::SeqCst) == 0 {
                return events;
            }
            if tokio::time::timeout_at(until, handed).await.is_err() {
                return Vec::new();
            }
        }
    }

    /// The events that follow `last` without a gap (at most `max`), and whether later ones
    /// are kept without the next; those up to `last` are dropped.
    fn take_after(&self, last: i64, max: usize) -> (Vec<Handed>, bool) {
        let mut kept = self.kept.lock().expect("handed events lock");
        while let Some(first) = kept.first_entry()
            && *first.key() <= last
        {
            first.remove();
        }
        let mut out = Vec::new();
        while out.len() < max
            && let Some(first) = kept.first_entry()
            && *first.key() == last + 1 + out.len() as i64
        {
            out.push(first.remove());
        }
        let gap = out.is_empty() && !kept.is_empty();
        (out, gap)
    }
}

/// A write on its way to handing its committed events over ([`HandOvers::start`]). Dropped
/// without [`Self::written`] (the write failed, or wrote nothing), it hands nothing over.
pub struct HandOver(Arc<HandOvers>);

impl HandOver {
    /// Hands over events just committed; those up to `applied` (the follower read them
    /// already) are left out.
    pub fn written(self, applied: i64, events: impl IntoIterator<Item = impl Into<Handed>>) {
        let mut kept = self.0.kept.lock().expect("handed events lock");
        for handed in events {
            let handed = handed.into();
            if handed.event.seq > applied && kept.len() < MAX_KEPT {
                kept.insert(handed.event.seq, handed);
            }
        }
    }
}

impl Drop for HandOver {
    fn drop(&mut self) {
        self.0.on_the_way.fetch_sub(1, Ordering::SeqCst);
        self.0.handed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::{EventKind, TicketId};

    fn ev(seq: i64) -> TicketEvent {
        TicketEvent {
            seq,
            ticket_id: TicketId::new_v7(),
            kind: EventKind::Created,
            actor: "system".into(),
            at: Utc::now(),
            note: None,
            data: serde_json::Value::Null,
        }
    }

    fn seqs(events: &[Handed]) -> Vec<i64> {
        events.iter().map(|e| e.event.seq).collect()
    }

    #[tokio::test]
    async fn events_that_follow_on_are_taken_in_order_and_at_most_max() {
        let h = Arc::new(HandOvers::default());
        h.start().written(0, [ev(3), ev(1), ev(2), ev(4)]);
        assert_eq!(seqs(&h.after(0, 3).await), [1, 2, 3]);
        assert_eq!(seqs(&h.after(3, 3).await), [4]);
        assert!(h.after(4, 3).await.is_empty(), "nothing more: the follower reads the store");
    }

    #[tokio::test]
    async fn a_gap_is_never_skipped_and_what_was_applied_is_dropped() {
        let h = Arc::new(HandOvers::default());
        h.start().written(0, [ev(5), ev(6)]);
        // Event 4 came from elsewhere (no write on its way): read from the store, not skipped.
        assert!(h.after(3, 10).await.is_empty());
        // The store gave 4 and 5; only 6 is left to take.
        assert_eq!(seqs(&h.after(5, 10).await), [6]);
        // Events up to what the follower applied are not kept.
        h.start().written(7, [ev(7), ev(8)]);
        assert_eq!(seqs(&h.after(7, 10).await), [8]);
    }

    // One thread: the follower runs until it waits, then the earlier write hands over at once;
    // a timeout polls what it waits for first, so however late the thread gets back, the
    // hand-over is seen.
    #[tokio::test]
    async fn the_follower_waits_for_an_earlier_write_still_handing_over() {
        let h = Arc::new(HandOvers::default());
        let (earlier, later) = (h.start(), h.start());
        later.written(0, [ev(3), ev(4)]);
        let follower = {
            let h = h.clone();
            tokio::spawn(async move { seqs(&h.after(0, 10).await) })
        };
        tokio::task::yield_now().await;
        earlier.written(0, [ev(1), ev(2)]);
        assert_eq!(follower.await.unwrap(), [1, 2, 3, 4], "the gap was filled, not read");
    }

    #[tokio::test]
    async fn a_write_that_never_hands_over_costs_the_follower_at_most_the_wait() {
        let h = Arc::new(HandOvers::default());
        let _stuck = h.start();
        h.start().written(0, [ev(2)]);
        let started = tokio::time::Instant::now();
        assert!(h.after(0, 10).await.is_empty(), "event 1 is read from the store");
        assert!(started.elapsed() >= HAND_OVER_WAIT);
    }
}
