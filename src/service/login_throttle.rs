//! Slowing down password guessing without locking real users out for long. Failed sign-ins
//! are counted three ways, and each count, past its free allowance, makes the next attempt
//! wait twice as long as the last (1 s, 2 s, 4 s, …) up to a cap:
//!
//! | counted by | free failures | longest wait | stops |
//! |---|---|---|---|
//! | account and address | 5 | 15 min | guessing one account from one place |
//! | address (any accounts) | 20 | 15 min | trying many accounts from one place |
//! | account (any addresses) | 50 | 1 min | guessing one account from many places |
//!
//! The account-wide wait does not apply to an address this account signed in from before
//! (in the last 30 days), so an attacker elsewhere cannot keep a user out of their own desk.
//! A count is forgotten after 15 minutes without a failure; a success clears its account and
//! address count. Refused attempts are answered before the password is hashed, so guessing
//! costs the server nothing; the hashing itself runs a few at a time ([`LoginThrottle::permit`]),
//! so a burst of sign-ins queues instead of slowing every other request. One instance's
//! memory: with several instances each counts what it sees.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use prometheus_client::metrics::counter::Counter;
use tokio::sync::{Semaphore, SemaphorePermit};

const PAIR: Policy = Policy { free: 5, cap: Duration::from_secs(15 * 60) };
const ADDRESS: Policy = Policy { free: 20, cap: Duration::from_secs(15 * 60) };
const ACCOUNT: Policy = Policy { free: 50, cap: Duration::from_secs(60) };
/// A count with no failure for this long starts again from zero.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);
/// How long an address a user signed in from stays theirs.
const KNOWN_FOR: Duration = Duration::from_secs(30 * 24 * 3600);
/// Entries kept per map before the forgotten ones are swept.
const SWEEP_AT: usize = 50_000;

#[derive(Clone, Copy)]
struct Policy {
    free: u32,
    cap: Duration,
}

impl Policy {
    /// How long after the last failure the next attempt must wait, after `failures`.
    fn wait(self, failures: u32) -> Duration {
        if failures < self.free {
            return Duration::ZERO;
        }
        let doublings = (failures - self.free).min(20);
        Duration::from_secs(1u64 << doublings).min(self.cap)
    }
}

#[derive(Clone, Copy)]
struct Strikes {
    failures: u32,
    last: Instant,
}

#[derive(Default)]
struct State {
    pairs: HashMap<(String, IpAddr), Strikes>,
    addresses: HashMap<IpAddr, Strikes>,
    accounts: HashMap<String, Strikes>,
    known: HashMap<(String, IpAddr), Instant>,
}

/// Remaining wait of `policy` for the count at `key`, if any.
fn remaining<K: std::hash::Hash + Eq>(
    map: &HashMap<K, Strikes>,
    key: &K,
    policy: Policy,
    now: Instant,
) -> Option<Duration> {
    let s = map.get(key)?;
    if now.duration_since(s.last) >= FORGET_AFTER {
        return None;
    }
    let until = s.last + policy.wait(s.failures);
    (until > now).then(|| until - now)
}

fn strike<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Strikes>, key: K, now: Instant) -> u32 {
    if map.len() >= SWEEP_AT {
        map.retain(|_, s| now.duration_since(s.last) < FORGET_AFTER);
    }
    let s = map.entry(key).or_insert(Strikes { failures: 0, last: now });
    if now.duration_since(s.last) >= FORGET_AFTER {
        s.failures = 0;
    }
    s.failures += 1;
    s.last = now;
    s.failures
}

/// The sign-in throttle of one instance (see the module docs).
pub struct LoginThrottle {
    state: Mutex<State>,
    hashing: Semaphore,
    /// Failed sign-ins since start (exported by `/metrics`).
    pub failures: Counter,
    /// Sign-ins refused without checking the password since start.
    pub refused: Counter,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self::new(cores.div_ceil(2))
    }
}

impl LoginThrottle {
    /// A throttle that hashes at most `hashing` passwords at once.
    pub fn new(hashing: usize) -> Self {
        Self {
            state: Mutex::default(),
            hashing: Semaphore::new(hashing.max(1)),
            failures: Counter::default(),
            refused: Counter::default(),
        }
    }

    /// `Err(wait)` if `account` may not try again from `from` yet.
    pub fn check(&self, account: &str, from: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        let account = account.to_lowercase();
        let state = self.state.lock().expect("throttle lock");
        let mut waits = Vec::with_capacity(3);
        if let Some(ip) = from {
            waits.push(remaining(&state.pairs, &(account.clone(), ip), PAIR, now));
            waits.push(remaining(&state.addresses, &ip, ADDRESS, now));
        }
        let known = from.is_some_and(|ip| {
            state.known.get(&(account.clone(), ip)).is_some_and(|at| now.duration_since(*at) < KNOWN_FOR)
        });
        if !known {
            waits.push(remaining(&state.accounts, &account, ACCOUNT, now));
        }
        match waits.into_iter().flatten().max() {
            Some(wait) => {
                self.refused.inc();
                Err(wait)
            }
            None => Ok(()),
        }
    }

    /// Counts a wrong password (or an unknown account) for `account` from `from`.
    pub fn failed(&self, account: &str, from: Option<IpAddr>, now: Instant) {
        let account = account.to_lowercase();
        self.failures.inc();
        let mut state = self.state.lock().expect("throttle lock");
        let n = strike(&mut state.accounts, account.clone(), now);
        if let Some(ip) = from {
            strike(&mut state.pairs, (account.clone(), ip), now);
            strike(&mut state.addresses, ip, now);
        }
        tracing::warn!(account = %account, from = ?from, failures = n, "sign-in failed");
    }

    /// Clears the count of `account` from `from` and remembers the address as the user's.
    pub fn succeeded(&self, account: &str, from: Option<IpAddr>, now: Instant) {
        let account = account.to_lowercase();
        let mut state = self.state.lock().expect("throttle lock");
        if let Some(ip) = from {
            state.pairs.remove(&(account.clone(), ip));
            if state.known.len() >= SWEEP_AT {
                state.known.retain(|_, at| now.duration_since(*at) < KNOWN_FOR);
            }
            state.known.insert((account, ip), now);
        }
    }

    /// A turn to hash a password; `None` if none came free within `patience` (the server is
    /// busy hashing: answer 503).
    pub async fn permit(&self, patience: Duration) -> Option<SemaphorePermit<'_>> {
        tokio::time::timeout(patience, self.hashing.acquire()).await.ok().and_then(Result::ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn one_address_guessing_one_account_waits_longer_and_longer() {
        let t = LoginThrottle::new(1);
        let t0 = Instant::now();
        let me = ip("203.0.113.9");
        for _ in 0..5 {
            assert!(t.check("lan", me, t0).is_ok());
            t.failed("lan", me, t0);
        }
        // The sixth attempt waits 1 s, then each failure doubles the wait.
        assert_eq!(t.check("LAN", me, t0), Err(Duration::from_secs(1)));
        let t1 = t0 + Duration::from_secs(1);
        assert!(t.check("lan", me, t1).is_ok());
        t.failed("lan", me, t1);
        assert_eq!(t.check("lan", me, t1), Err(Duration::from_secs(2)));
        // Another address is not held up by this one's failures.
        assert!(t.check("lan", ip("198.51.100.7"), t1).is_ok());
        // The wait is capped at 15 minutes, and forgotten after 15 quiet minutes.
        for i in 0..30 {
            t.failed("lan", me, t1 + Duration::from_millis(i));
        }
        assert_eq!(t.check("lan", me, t1 + Duration::from_millis(29)), Err(Duration::from_secs(15 * 60)));
        assert!(t.check("lan", me, t1 + Duration::from_secs(15 * 60 + 1)).is_ok());
        assert_eq!(t.failures.get(), 36);
    }

    #[test]
    fn spraying_from_one_address_and_guessing_from_many_are_slowed_too() {
        let t = LoginThrottle::new(1);
        let now = Instant::now();
        let attacker = ip("203.0.113.66");
        for i in 0..20 {
            t.failed(&format!("user{i}"), attacker, now);
        }
        assert!(t.check("someone.else", attacker, now).is_err(), "many accounts from one address");
        assert!(t.check("someone.else", ip("198.51.100.1"), now).is_ok());

        // 50 failures on one account from 50 addresses: a new address waits, at most a minute,
        // but the user's own desk does not.
        let t = LoginThrottle::new(1);
        t.succeeded("minh", ip("10.0.0.5"), now);
        for i in 0..60u8 {
            t.failed("minh", Some(IpAddr::from([100, 64, 0, i])), now);
        }
        let wait = t.check("minh", ip("100.64.1.1"), now).unwrap_err();
        assert!(wait <= Duration::from_secs(60) && wait > Duration::ZERO, "{wait:?}");
        assert!(t.check("minh", ip("10.0.0.5"), now).is_ok(), "the user's known address is not locked out");
        assert_eq!(t.refused.get(), 1);
    }
}
