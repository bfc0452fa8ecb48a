//! [`Facts`]: one compact row per ticket with what the statistics need — its current state
//! (area, unit, category, channel, priority, status, deadline, resolution, rating) and what
//! only its history tells (how often it was returned, forwarded, reopened, and every time it
//! was settled). Built from the stored tickets and their events, then kept up to date by
//! folding each applied event, in `seq` order, through [`Facts::apply`].
//!
//! Codes are interned ([`Dict`]) so a row is small and a query compares integers.

use hashbrown::HashMap;

use chrono::{DateTime, Utc};

use crate::domain::{AreaCode, CategoryCode, Channel, EventKind, Priority, Status, Ticket, TicketId, UnitCode};

/// "No value" in an interned column.
pub const NONE: u32 = u32::MAX;

/// Codes interned as small integers, in order of first sight.
#[derive(Debug, Clone)]
pub struct Dict<K> {
    codes: Vec<K>,
    ids: HashMap<K, u32>,
}

impl<K> Default for Dict<K> {
    fn default() -> Self {
        Self { codes: Vec::new(), ids: HashMap::new() }
    }
}

impl<K: Clone + Eq + std::hash::Hash> Dict<K> {
    /// The id of `code`, interning it on first sight.
    pub fn intern(&mut self, code: &K) -> u32 {
        if let Some(&id) = self.ids.get(code) {
            return id;
        }
        let id = self.codes.len() as u32;
        self.codes.push(code.clone());
        self.ids.insert(code.clone(), id);
        id
    }

    pub fn id(&self, code: &K) -> Option<u32> {
        self.ids.get(code).copied()
    }

    pub fn code(&self, id: u32) -> Option<&K> {
        self.codes.get(id as usize)
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (u32, &K)> {
        self.codes.iter().enumerate().map(|(i, c)| (i as u32, c))
    }
}

/// How a ticket left the handling at one point of its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Resolved,
    Rejected,
    Duplicate,
}

/// One settlement of a ticket, from its event: when, how, whether after the deadline in force
/// then, and when it was reopened (if it was).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settlement {
    /// Microseconds since the epoch (UTC).
    pub at: i64,
    pub outcome: Outcome,
    /// Resolved after the deadline in force at that moment.
    pub late: bool,
    pub reopened_at: Option<i64>,
}

/// What the statistics know of one ticket. Instants are microseconds since the epoch (UTC).
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub id: TicketId,
    /// The version of the ticket the current-state columns come from.
    pub version: i64,
    /// The last event folded into the history columns.
    pub seq: i64,
    pub received: i64,
    /// The deadline in force (after extensions).
    pub deadline: i64,
    /// When the ticket was resolved, while it stays resolved or closed.
    pub resolved: Option<i64>,
    pub area: u32,
    pub unit: u32,
    pub category: u32,
    pub channel: Channel,
    pub priority: Priority,
    pub status: Status,
    pub rating: Option<u8>,
    /// Times returned to the centre for re-routing.
    pub returned: u16,
    /// Times forwarded from one unit to another.
    pub forwarded: u16,
    /// Times reopened after a resolution.
    pub reopened: u16,
    /// Every settlement, oldest first.
    pub settlements: Vec<Settlement>,
}

impl Fact {
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    /// Resolved (or resolved and closed) now.
    pub fn is_resolved(&self) -> bool {
        self.resolved.is_some() && matches!(self.status, Status::Resolved | Status::Closed)
    }
}

/// Microseconds since the epoch.
pub fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// Every ticket's [`Fact`], with the interned codes.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    rows: Vec<Fact>,
    ids: HashMap<TicketId, u32>,
    pub areas: Dict<AreaCode>,
    pub units: Dict<UnitCode>,
    pub categories: Dict<CategoryCode>,
    /// The earliest and latest instant any row holds.
    span: Option<(i64, i64)>,
}

impl Facts {
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for `n` tickets made at once (the start-up load knows how many there are).
    pub fn with_capacity(n: usize) -> Self {
        Self { rows: Vec::with_capacity(n), ids: HashMap::with_capacity(n), ..Self::default() }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn rows(&self) -> &[Fact] {
        &self.rows
    }

    /// The earliest and latest instant (µs) any row holds: receipts, deadlines, settlements.
    pub fn span(&self) -> Option<(i64, i64)> {
        self.span
    }

    fn see(&mut self, t: i64) {
        self.span = Some(self.span.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))));
    }

    pub fn get(&self, id: TicketId) -> Option<&Fact> {
        self.ids.get(&id).map(|&i| &self.rows[i as usize])
    }

    /// Takes the current state of `t` (unless an equal or newer version is already here).
    pub fn upsert(&mut self, t: &Ticket) {
        let area = t.area.as_ref().map_or(NONE, |a| self.areas.intern(a));
        let unit = t.unit.as_ref().map_or(NONE, |u| self.units.intern(u));
        let category = self.categories.intern(&t.category);
        let resolved = t.resolved_at.filter(|_| matches!(t.status, Status::Resolved | Status::Closed)).map(micros);
        self.see(micros(t.received_at));
        self.see(micros(t.deadline));
        if let Some(r) = resolved {
            self.see(r);
        }
        let fresh = Fact {
            id: t.id,
            version: t.version,
            seq: 0,
            received: micros(t.received_at),
            deadline: micros(t.deadline),
            resolved,
            area,
            unit,
            category,
            channel: t.channel,
            priority: t.priority,
            status: t.status,
            rating: t.rating.map(|r| r.get()),
            returned: 0,
            forwarded: 0,
            reopened: 0,
            settlements: Vec::new(),
        };
        match self.ids.get(&t.id) {
            Some(&i) => {
                let row = &mut self.rows[i as usize];
                if t.version > row.version {
                    let settlements = std::mem::take(&mut row.settlements);
                    let (seq, returned, forwarded, reopened) = (row.seq, row.returned, row.forwarded, row.reopened);
                    *row = Fact { seq, returned, forwarded, reopened, settlements, ..fresh };
                }
            }
            None => {
                self.ids.insert(t.id, self.rows.len() as u32);
                self.rows.push(fresh);
            }
        }
    }

    /// Folds one committed event, `t` being the ticket as the event left it: the history
    /// columns take the event once (events at or below the row's `seq` were folded already),
    /// the current-state columns take `t` if it is newer.
    pub fn apply(&mut self, seq: i64, kind: EventKind, at: DateTime<Utc>, t: &Ticket) {
        self.upsert(t);
        let Some(&i) = self.ids.get(&t.id) else { return };
        if seq <= self.rows[i as usize].seq {
            return;
        }
        self.rows[i as usize].seq = seq;
        let at = micros(at);
        self.see(at);
        let row = &mut self.rows[i as usize];
        let settle = |outcome| Settlement { at, outcome, late: false, reopened_at: None };
        match kind {
            EventKind::Returned => row.returned = row.returned.saturating_add(1),
            EventKind::Forwarded => row.forwarded = row.forwarded.saturating_add(1),
            EventKind::Reopened => {
                row.reopened = row.reopened.saturating_add(1);
                if let Some(last) = row.settlements.last_mut().filter(|s| s.reopened_at.is_none()) {
                    last.reopened_at = Some(at);
                }
            }
            EventKind::Resolved => {
                row.settlements.push(Settlement { late: at > micros(t.deadline), ..settle(Outcome::Resolved) })
            }
            EventKind::Rejected => row.settlements.push(settle(Outcome::Rejected)),
            EventKind::Duplicate => row.settlements.push(settle(Outcome::Duplicate)),
            _ => {}
        }
    }

    /// The events whose kind [`Facts::apply`] folds into the history columns (the others only
    /// carry a newer state, which the stored tickets already have).
    pub const HISTORY: [EventKind; 6] = [
        EventKind::Returned,
        EventKind::Forwarded,
        EventKind::Reopened,
        EventKind::Resolved,
        EventKind::Rejected,
        EventKind::Duplicate,
    ];
}
