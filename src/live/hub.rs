//! The live hub: keeps recent events for resume and fans each one out to every subscriber.
//!
//! Each event is serialised once into a text [`Frame`] (a shared `Bytes`); every
//! subscriber gets a clone of the same frame. Subscribers read from a `tokio::sync::broadcast`
//! of [`HubConfig::channel_capacity`] events: one that falls that far behind is told it
//! lagged (the session closes it with [`super::CLOSE_TOO_SLOW`]) and never slows the others or
//! grows memory. The hub knows nothing of sockets, of axum or of the services: it fans out bytes
//! to subscribers with filters.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use tokio::sync::{broadcast, watch};

use crate::domain::{AreaCode, BBox, Location, Scope, UnitCode};

/// One serialised text frame of the live protocol: UTF-8 JSON in a shared buffer, so a clone
/// for each subscriber copies a pointer, not the text. Made only from a `String`, so it is
/// always valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame(Bytes);

impl Frame {
    /// The frame's bytes (shared, not copied).
    pub fn bytes(&self) -> Bytes {
        self.0.clone()
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a frame is made from a String")
    }
}

impl From<String> for Frame {
    fn from(text: String) -> Self {
        Frame(Bytes::from(text))
    }
}

/// The default [`HubConfig::pace`]: at most five writes a second to a screen.
pub const DEFAULT_PACE: Duration = Duration::from_millis(200);

/// How much the hub keeps and buffers.
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// Most events kept for resume (`since`).
    pub retain_events: usize,
    /// Oldest event kept for resume, by its commit time.
    pub retain_for: Duration,
    /// Events a subscriber may fall behind before it is dropped as too slow.
    pub channel_capacity: usize,
    /// Worker threads of the WebSocket sessions' own runtime ([`super::fanout`]); 0 runs
    /// them on the serving runtime.
    pub fanout_threads: usize,
    /// After a session writes to its socket, events for it wait this long and are then written
    /// together (a lone event goes out at once). Fewer, larger writes: each costs a system
    /// call and a TCP segment on the server and a wake-up on the screen, whatever it holds.
    /// The events wait in the channel, where a session is not woken for each; when half the
    /// channel's capacity waits for a subscriber ([`Hub::pressure`]), sessions take what waits
    /// at once, so a burst does not make them lag. Zero writes every event as soon as it comes.
    /// Each wait is drawn between the pace and one and a half times it, so that ten thousand
    /// screens that got the same event do not all write again at the same instant: their
    /// writes spread over the window instead of reaching the kernel's network stack in one burst
    /// (`docs/BENCHMARKS.md`, "Where the filing tail comes from", 2026-12-05).
    pub pace: Duration,
}

impl Default for HubConfig {
    fn default() -> Self {
        Self {
            retain_events: 100_000,
            retain_for: Duration::from_secs(24 * 3600),
            channel_capacity: 1024,
            fanout_threads: super::fanout::threads(),
            pace: DEFAULT_PACE,
        }
    }
}

/// What a frame is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Tickets,
    Areas,
    Kpis,
    /// Camera status changes and edits (`src/live/cameras.rs`).
    Cameras,
}

impl Topic {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "tickets" => Some(Self::Tickets),
            "areas" => Some(Self::Areas),
            "kpis" => Some(Self::Kpis),
            "cameras" => Some(Self::Cameras),
            _ => None,
        }
    }
}

/// One published event: its serialised frame plus what the filters look at.
#[derive(Debug)]
pub struct HubEvent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub location: Location,
    pub area: Option<AreaCode>,
    pub unit: Option<UnitCode>,
    /// The exact text frame every subscriber receives.
    pub frame: Frame,
}

/// Who may see what, and what they asked for. Built per session from the role scope and the
/// `subscribe` message; `None` fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Topics asked for; ticket events go to `tickets` and `areas` subscribers.
    pub topics: Vec<Topic>,
    pub bbox: Option<BBox>,
    /// Areas asked for, already expanded to every area below them.
    pub areas: Option<HashSet<AreaCode>>,
    /// A leader's areas (expanded).
    pub scope_areas: Option<HashSet<AreaCode>>,
    /// An agency's units (expanded).
    pub scope_units: Option<HashSet<UnitCode>>,
}

impl Filter {
    /// Whether a ticket event goes to this subscriber.
    pub fn matches(&self, e: &HubEvent) -> bool {
        self.topics.iter().any(|t| matches!(t, Topic::Tickets | Topic::Areas))
            && self.bbox.as_ref().is_none_or(|b| b.contains(&e.location))
            && self.allows_place(e.area.as_ref(), e.unit.as_ref())
    }

    /// Whether tickets of this area and unit are within the areas asked for and the role scope.
    pub fn allows_place(&self, area: Option<&AreaCode>, unit: Option<&UnitCode>) -> bool {
        let in_set = |set: &Option<HashSet<AreaCode>>| set.as_ref().is_none_or(|s| area.is_some_and(|a| s.contains(a)));
        in_set(&self.areas)
            && in_set(&self.scope_areas)
            && self.scope_units.as_ref().is_none_or(|u| unit.is_some_and(|x| u.contains(x)))
    }

    /// Equal for filters that allow the same places (sessions with equal keys share KPI frames).
    pub fn place_key(&self) -> String {
        fn sorted<T: AsRef<str>>(set: Option<impl IntoIterator<Item = T>>) -> String {
            match set {
                None => "*".into(),
                Some(s) => {
                    let mut v: Vec<String> = s.into_iter().map(|x| x.as_ref().to_owned()).collect();
                    v.sort();
                    v.join(",")
                }
            }
        }
        let areas = |s: &Option<HashSet<AreaCode>>| sorted(s.as_ref().map(|s| s.iter().map(|a| a.as_str())));
        let units = sorted(self.scope_units.as_ref().map(|s| s.iter().map(|u| u.as_str())));
        format!("{}|{}|{}", areas(&self.areas), areas(&self.scope_areas), units)
    }

    /// A filter with a role's scope and nothing asked for yet.
    pub fn for_scope(scope: &Scope) -> Self {
        let (scope_areas, scope_units) = match scope {
            Scope::All => (None, None),
            Scope::Areas(a) => (Some(a.clone()), None),
            Scope::Units(u) => (None, Some(u.clone())),
        };
        Filter { scope_areas, scope_units, ..Filter::default() }
    }

    pub fn wants(&self, topic: Topic) -> bool {
        self.topics.contains(&topic)
    }
}

/// The result of subscribing with `since`.
pub enum Resume {
    /// The retained events after `since` (oldest first), then the live receiver. The session
    /// skips live events with `seq <=` the last replayed one, so there is no gap and no duplicate.
    Replay { replay: Vec<Arc<HubEvent>>, rx: broadcast::Receiver<Arc<HubEvent>> },
    /// `since` is older than what is kept: the client must reload, then follow from `seq`.
    Resync { seq: i64, rx: broadcast::Receiver<Arc<HubEvent>> },
}

struct Ring {
    events: VecDeque<Arc<HubEvent>>,
    /// Seq of the last event published (or the start-up seq).
    head: i64,
    /// Events with `seq <= floor` are not retained.
    floor: i64,
}

/// Cheap-to-clone handle to the hub.
#[derive(Clone)]
pub struct Hub(Arc<Inner>);

struct Inner {
    config: HubConfig,
    /// A std mutex: held only to push or copy a few pointers, never across `.await`. Publishing
    /// and subscribing both take it, so a subscriber's replay and its live receiver meet
    /// exactly at the head.
    ring: Mutex<Ring>,
    tx: broadcast::Sender<Arc<HubEvent>>,
    /// Bumped at each event published while a subscriber has half the channel's capacity
    /// waiting: paced sessions stop gathering and take what waits, before it makes them lag.
    pressure: watch::Sender<u64>,
}

impl Hub {
    /// A hub whose history starts after `start_seq` (events up to it are not retained).
    pub fn new(config: HubConfig, start_seq: i64) -> Self {
        let (tx, _) = broadcast::channel(config.channel_capacity.max(1));
        let ring = Ring { events: VecDeque::new(), head: start_seq, floor: start_seq };
        Hub(Arc::new(Inner { config, ring: Mutex::new(ring), tx, pressure: watch::Sender::new(0) }))
    }

    /// Restarts the history after `seq` (at start-up, once the index is loaded).
    pub fn reset(&self, seq: i64) {
        let mut ring = self.0.ring.lock().expect("hub lock");
        ring.events.clear();
        ring.head = seq;
        ring.floor = seq;
    }

    /// `(last seq, oldest retained seq)`; with nothing retained the oldest is `last + 1`.
    pub fn bounds(&self) -> (i64, i64) {
        let ring = self.0.ring.lock().expect("hub lock");
        (ring.head, ring.floor + 1)
    }

    /// Events published but not yet taken by every subscriber (the fan-out's queue), and the
    /// number of subscribers.
    pub fn fanout(&self) -> (usize, usize) {
        (self.0.tx.len(), self.0.tx.receiver_count())
    }

    /// How long a session lets events gather after a write ([`HubConfig::pace`]).
    pub fn pace(&self) -> Duration {
        self.0.config.pace
    }

    /// How long a session lets events gather after this write: the pace to one and a half
    /// times it, drawn afresh each time ([`HubConfig::pace`]).
    pub fn gather_for(&self) -> Duration {
        self.0.config.pace.mul_f64(1.0 + rand::random::<f64>() * 0.5)
    }

    /// Events kept for clients resuming with `since`.
    pub fn retained(&self) -> usize {
        self.0.ring.lock().expect("hub lock").events.len()
    }

    /// Publishes an event; events at or below the head are ignored (already published).
    pub fn publish(&self, event: HubEvent) {
        let cfg = &self.0.config;
        let mut ring = self.0.ring.lock().expect("hub lock");
        if event.seq <= ring.head {
            return;
        }
        ring.head = event.seq;
        let event = Arc::new(event);
        ring.events.push_back(event.clone());
        let cutoff = event.at - chrono::Duration::from_std(cfg.retain_for).unwrap_or(chrono::Duration::MAX);
        while ring.events.len() > cfg.retain_events || ring.events.front().is_some_and(|e| e.at < cutoff) {
            if let Some(old) = ring.events.pop_front() {
                ring.floor = old.seq;
            }
        }
        // No receivers is fine.
        let _ = self.0.tx.send(event);
        if self.0.tx.len() * 2 >= cfg.channel_capacity.max(1) {
            self.0.pressure.send_modify(|n| *n += 1);
        }
    }

    /// Changes when a subscriber has half the channel's capacity waiting (see
    /// [`HubConfig::pace`]).
    pub fn pressure(&self) -> watch::Receiver<u64> {
        self.0.pressure.subscribe()
    }

    /// Subscribes to live events from now on.
    pub fn subscribe(&self) -> (i64, broadcast::Receiver<Arc<HubEvent>>) {
        let ring = self.0.ring.lock().expect("hub lock");
        (ring.head, self.0.tx.subscribe())
    }

    /// Subscribes and replays what was retained after `since`.
    pub fn resume(&self, since: i64) -> Resume {
        let ring = self.0.ring.lock().expect("hub lock");
        let rx = self.0.tx.subscribe();
        // Too old to replay, or ahead of this server (a seq from another database, or a
        // client's own mistake): either way the client must reload and go on from `head`.
        if since < ring.floor || since > ring.head {
            return Resume::Resync { seq: ring.head, rx };
        }
        let replay = ring.events.iter().filter(|e| e.seq > since).cloned().collect();
        Resume::Replay { replay, rx }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::broadcast::error::TryRecvError;

    fn ev(seq: i64, lon: f64, area: &str) -> HubEvent {
        HubEvent {
            seq,
            at: Utc::now(),
            location: Location { lon, lat: 16.0 },
            area: Some(AreaCode::parse(area, "area").unwrap()),
            unit: None,
            frame: Frame::from(format!("{{\"seq\":{seq}}}")),
        }
    }

    fn tickets() -> Filter {
        Filter { topics: vec![Topic::Tickets], ..Filter::default() }
    }

    #[test]
    fn subscribers_get_events_in_seq_order_sharing_one_frame() {
        let hub = Hub::new(HubConfig::default(), 0);
        let (_, mut a) = hub.subscribe();
        let (_, mut b) = hub.subscribe();
        for s in 1..=3 {
            hub.publish(ev(s, 108.2, "A"));
        }
        hub.publish(ev(2, 108.2, "A")); // already published: ignored
        let got: Vec<_> = (0..3).map(|_| a.try_recv().unwrap()).collect();
        assert_eq!(got.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert!(matches!(a.try_recv(), Err(TryRecvError::Empty)));
        let first_b = b.try_recv().unwrap();
        assert_eq!(first_b.frame.bytes().as_ptr(), got[0].frame.bytes().as_ptr(), "the same bytes, not a copy");
    }

    #[test]
    fn filters_by_bbox_area_scope_and_topic() {
        let e = ev(1, 108.2, "W1");
        assert!(tickets().matches(&e));
        assert!(!Filter { topics: vec![Topic::Kpis], ..Filter::default() }.matches(&e));
        let bbox = BBox::parse("108.1,15.9,108.3,16.1", "bbox").unwrap();
        assert!(Filter { bbox: Some(bbox), ..tickets() }.matches(&e));
        let far = BBox::parse("105,10,106,11", "bbox").unwrap();
        assert!(!Filter { bbox: Some(far), ..tickets() }.matches(&e));
        let set = |c: &str| Some(HashSet::from([AreaCode::parse(c, "area").unwrap()]));
        assert!(Filter { areas: set("W1"), ..tickets() }.matches(&e));
        assert!(!Filter { areas: set("W2"), ..tickets() }.matches(&e));
        assert!(!Filter { scope_areas: set("W2"), ..tickets() }.matches(&e));
        assert!(
            !Filter { scope_units: Some(HashSet::from([UnitCode::parse("U", "unit").unwrap()])), ..tickets() }
                .matches(&e)
        );
    }

    #[test]
    fn a_slow_subscriber_lags_without_holding_others_back() {
        let hub = Hub::new(HubConfig { channel_capacity: 4, ..HubConfig::default() }, 0);
        let (_, mut slow) = hub.subscribe();
        for s in 1..=10 {
            let (_, mut fresh) = hub.subscribe();
            hub.publish(ev(s, 108.2, "A"));
            assert_eq!(fresh.try_recv().unwrap().seq, s);
        }
        assert!(matches!(slow.try_recv(), Err(TryRecvError::Lagged(6))));
    }

    #[test]
    fn pressure_changes_once_half_the_channel_waits_for_a_subscriber() {
        let hub = Hub::new(HubConfig { channel_capacity: 8, ..HubConfig::default() }, 0);
        let (_, mut rx) = hub.subscribe();
        let pressure = hub.pressure();
        for s in 1..=3 {
            hub.publish(ev(s, 108.2, "A"));
        }
        assert!(!pressure.has_changed().unwrap(), "3 of 8 waiting");
        hub.publish(ev(4, 108.2, "A"));
        assert!(pressure.has_changed().unwrap(), "4 of 8 waiting");
        while rx.try_recv().is_ok() {}
        let pressure = hub.pressure();
        hub.publish(ev(5, 108.2, "A"));
        assert!(!pressure.has_changed().unwrap(), "taken: 1 of 8 waiting");
    }

    #[test]
    fn resume_replays_exactly_the_retained_events_after_since() {
        let hub = Hub::new(HubConfig { retain_events: 3, ..HubConfig::default() }, 0);
        for s in 1..=5 {
            hub.publish(ev(s, 108.2, "A"));
        }
        assert_eq!(hub.bounds(), (5, 3));
        let Resume::Replay { replay, mut rx } = hub.resume(3) else { panic!("expected a replay") };
        assert_eq!(replay.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![4, 5]);
        hub.publish(ev(6, 108.2, "A"));
        assert_eq!(rx.try_recv().unwrap().seq, 6);
        // Now 4..=6 are kept: since = oldest - 1 is still complete, anything older is not.
        assert_eq!(hub.bounds(), (6, 4));
        assert!(matches!(hub.resume(3), Resume::Replay { .. }));
        assert!(matches!(hub.resume(2), Resume::Resync { seq: 6, .. }));
    }

    #[test]
    fn sessions_gather_for_the_pace_to_one_and_a_half_times_it_not_all_alike() {
        let hub = Hub::new(HubConfig { pace: Duration::from_millis(200), ..HubConfig::default() }, 0);
        let waits: Vec<Duration> = (0..1000).map(|_| hub.gather_for()).collect();
        assert!(waits.iter().all(|w| (Duration::from_millis(200)..=Duration::from_millis(300)).contains(w)));
        let (min, max) = (waits.iter().min().unwrap(), waits.iter().max().unwrap());
        assert!(*max - *min > Duration::from_millis(40), "spread over the window: {min:?}..{max:?}");
        let unpaced = Hub::new(HubConfig { pace: Duration::ZERO, ..HubConfig::default() }, 0);
        assert_eq!(unpaced.gather_for(), Duration::ZERO);
    }

    #[test]
    fn old_events_expire_by_age() {
        let hub = Hub::new(HubConfig { retain_for: Duration::from_secs(60), ..HubConfig::default() }, 0);
        let mut old = ev(1, 108.2, "A");
        old.at = Utc::now() - chrono::Duration::hours(2);
        hub.publish(old);
        hub.publish(ev(2, 108.2, "A"));
        assert_eq!(hub.bounds(), (2, 2));
        assert!(matches!(hub.resume(0), Resume::Resync { .. }));
    }
}
