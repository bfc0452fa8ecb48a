//! Abuse limits on public submission: per client address and per phone number on
//! `POST /api/v1/tickets` by the public, per sender on the chat/SMS webhooks, per client address
//! on the portal's chatbot. Over the limit
//! is a `429 rate_limited` problem with `Retry-After` (seconds).
//!
//! Limits are GCRA buckets (`governor`): a burst, then a steady rate per hour, kept in memory
//! per instance. The client address is the TCP peer, unless the peer is a trusted proxy
//! (`--trusted-proxy CIDR`): then it is the right-most address of `X-Forwarded-For` that is not
//! itself a trusted proxy (addresses further left can be forged by the client). IPv6 clients
//! are limited per /64, the block one subscriber usually holds.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;

use super::auth::Auth;
use super::error::ApiError;
use crate::domain::{Medium, Principal};

/// A burst, then `per_hour` more spread evenly over each hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub per_hour: u32,
}

impl Rate {
    /// Parses `BURST,PER_HOUR`, e.g. `20,60`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let (b, h) = s.split_once(',').ok_or("expected BURST,PER_HOUR, e.g. 20,60")?;
        let burst = b.trim().parse::<u32>().map_err(|_| "BURST must be a whole number")?;
        let per_hour = h.trim().parse::<u32>().map_err(|_| "PER_HOUR must be a whole number")?;
        if burst == 0 || per_hour == 0 {
            return Err("BURST and PER_HOUR must be at least 1".into());
        }
        Ok(Self { burst, per_hour })
    }

    fn quota(self) -> Quota {
        let period = Duration::from_secs(3600) / self.per_hour.max(1);
        Quota::with_period(period.max(Duration::from_millis(1)))
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(self.burst.max(1)).expect("non-zero"))
    }
}

/// The limits (`--limit-ip`, `--limit-phone`, `--limit-sender`, `--trusted-proxy`).
#[derive(Debug, Clone, PartialEq)]
pub struct LimitSettings {
    /// Public reports per client address.
    pub ip: Rate,
    /// Public reports naming one phone number (`reporter.phone`).
    pub phone: Rate,
    /// Webhook messages per sender (phone number or chat user id).
    pub sender: Rate,
    /// Category suggestions asked by the public, per client address (asked as one types).
    pub suggest: Rate,
    /// Messages to the portal's chatbot per client address.
    pub chat: Rate,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            ip: Rate { burst: 20, per_hour: 60 },
            phone: Rate { burst: 10, per_hour: 30 },
            sender: Rate { burst: 10, per_hour: 60 },
            suggest: Rate { burst: 30, per_hour: 600 },
            chat: Rate { burst: 30, per_hour: 300 },
            trusted_proxies: Vec::new(),
        }
    }
}

/// The rate limiters of one instance.
pub struct Limits {
    ip: DefaultKeyedRateLimiter<IpAddr>,
    phone: DefaultKeyedRateLimiter<String>,
    sender: DefaultKeyedRateLimiter<(Medium, String)>,
    suggest: DefaultKeyedRateLimiter<IpAddr>,
    chat: DefaultKeyedRateLimiter<IpAddr>,
    trusted: Vec<IpNet>,
    /// Checks since start; every 4096th forgets buckets that are full again.
    checks: AtomicU64,
}

impl Limits {
    pub fn new(s: &LimitSettings) -> Arc<Self> {
        Arc::new(Self {
            ip: RateLimiter::keyed(s.ip.quota()),
            phone: RateLimiter::keyed(s.phone.quota()),
            sender: RateLimiter::keyed(s.sender.quota()),
            suggest: RateLimiter::keyed(s.suggest.quota()),
            chat: RateLimiter::keyed(s.chat.quota()),
            trusted: s.trusted_proxies.clone(),
            checks: AtomicU64::new(0),
        })
    }

    fn housekeeping(&self) {
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            self.ip.retain_recent();
            self.phone.retain_recent();
            self.sender.retain_recent();
            self.suggest.retain_recent();
            self.chat.retain_recent();
        }
    }

    fn check<K: std::hash::Hash + Eq + Clone>(&self, l: &DefaultKeyedRateLimiter<K>, key: &K) -> Result<(), Duration> {
        self.housekeeping();
        l.check_key(key).map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// One public report from `ip`; `Err(wait)` when over the limit.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Duration> {
        self.check(&self.ip, &ip_key(ip))
    }

    /// One public report naming `phone` (compared by its digits, `+84…` as `0…`).
    pub fn check_phone(&self, phone: &str) -> Result<(), Duration> {
        self.check(&self.phone, &phone_key(phone))
    }

    /// One message to the portal's chatbot from `ip`.
    pub fn check_chat(&self, ip: IpAddr) -> Result<(), Duration> {
        self.check(&self.chat, &ip_key(ip))
    }

    /// One webhook message from `sender`.
    pub fn check_sender(&self, medium: Medium, sender: &str) -> Result<(), Duration> {
        let sender = if medium == Medium::Sms { phone_key(sender) } else { sender.to_owned() };
        self.check(&self.sender, &(medium, sender))
    }

    /// One category suggestion asked by the public from `ip`.
    pub fn check_suggest(&self, ip: IpAddr) -> Result<(), Duration> {
        self.check(&self.suggest, &ip_key(ip))
    }

    /// The client's address (see the module docs).
    pub fn client_ip(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        client_ip(peer, headers, &self.trusted)
    }
}

/// IPv4 as is (IPv4-mapped IPv6 too); IPv6 by its /64.
fn ip_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        },
    }
}

/// The digits of a phone number, Vietnam's `84` country code written as the trunk `0`.
pub fn phone_key(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("84") {
        Some(rest) if phone.trim_start().starts_with('+') || digits.len() >= 11 => format!("0{rest}"),
        _ => digits,
    }
}

/// The peer, or behind trusted proxies the right-most untrusted `X-Forwarded-For` hop.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let mut hops = Vec::new();
    for v in headers.get_all("x-forwarded-for") {
        let Ok(v) = v.to_str() else { return Some(peer) };
        for part in v.split(',') {
            match part.trim().parse::<IpAddr>() {
                Ok(ip) => hops.push(ip),
                // A malformed list cannot be trusted past this proxy.
                Err(_) => return Some(peer),
            }
        }
    }
    let mut client = peer;
    for ip in hops.into_iter().rev() {
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    Some(client)
}

/// `429 rate_limited` with `Retry-After` (whole seconds, at least 1).
pub fn too_many(wait: Duration, detail: String) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let secs = secs.max(1);
    let mut resp = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "Too many requests",
        Some(format!("{detail}; try again in {secs} s")),
    )
    .into_response();
    resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    resp
}

/// The route the public files reports on.
const PUBLIC_INTAKE: &str = "/api/v1/tickets";

/// The route the public asks category suggestions on (limited apart, by address).
const PUBLIC_SUGGEST: &str = "/api/v1/categories/suggest";

/// Middleware: limits the public's `POST /api/v1/tickets` by client address, then by the
/// reporter's phone number in the body. Staff and API keys are not limited here.
pub async fn limit_public_intake(
    State((limits, max_body)): State<(Arc<Limits>, usize)>,
    req: Request,
    next: Next,
) -> Response {
    let public = matches!(req.extensions().get::<Auth>(), Some(Auth(Principal::Public)));
    if public && req.method() == Method::POST && req.uri().path() == PUBLIC_SUGGEST {
        let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        if let Some(ip) = limits.client_ip(peer, req.headers())
            && let Err(wait) = limits.check_suggest(ip)
        {
            return too_many(wait, "too many category suggestions asked from your address".into());
        }
        return next.run(req).await;
    }
    // "Me too", bookings and queue numbers count against the same budget as reports from the
    // address.
    let path = req.uri().path();
    let counted = (path.starts_with("/api/v1/tickets/") && path.ends_with("/supporters"))
        || path == "/api/v1/public/bookings"
        || (path.starts_with("/api/v1/public/offices/") && path.ends_with("/queue"));
    if public && req.method() == Method::POST && counted {
        let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        if let Some(ip) = limits.client_ip(peer, req.headers())
            && let Err(wait) = limits.check_ip(ip)
        {
            return too_many(wait, "too many reports from your address".into());
        }
        return next.run(req).await;
    }
    if !(public && req.method() == Method::POST && req.uri().path() == PUBLIC_INTAKE) {
        return next.run(req).await;
    }
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let Some(ip) = limits.client_ip(peer, req.headers())
        && let Err(wait) = limits.check_ip(ip)
    {
        return too_many(wait, "too many reports from your address".into());
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, max_body).await else {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "Payload too large",
            Some("the request body is larger than this endpoint accepts".into()),
        )
        .into_response();
    };
    let phone = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.pointer("/reporter/phone").and_then(|p| p.as_str()).map(phone_key))
        .filter(|p| !p.is_empty());
    if let Some(phone) = phone
        && let Err(wait) = limits.check_phone(&phone)
    {
        return too_many(wait, "too many reports for this phone number".into());
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let h = xff("203.0.113.9, 198.51.100.7");
        assert_eq!(client_ip(Some(proxy), &h, &[]), Some(proxy), "no trusted proxy: the peer");
        assert_eq!(
            client_ip(Some(proxy), &h, &trusted),
            Some("198.51.100.7".parse().unwrap()),
            "the last untrusted hop"
        );
        let direct: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(client_ip(Some(direct), &h, &trusted), Some(direct), "a client's own header is ignored");
        let chain = xff("198.51.100.7, 10.0.0.9");
        assert_eq!(
            client_ip(Some(proxy), &chain, &trusted),
            Some("198.51.100.7".parse().unwrap()),
            "proxies are skipped"
        );
        assert_eq!(client_ip(Some(proxy), &xff("bogus, 1.2.3.4"), &trusted), Some(proxy));
        assert_eq!(client_ip(Some(proxy), &HeaderMap::new(), &trusted), Some(proxy));
    }

    #[test]
    fn phone_numbers_compare_by_digits_and_ipv6_by_64() {
        assert_eq!(phone_key("+84 905 123 456"), "0905123456");
        assert_eq!(phone_key("0905.123.456"), "0905123456");
        assert_eq!(phone_key("84905123456"), "0905123456");
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(ip_key(a), ip_key(b));
        assert_ne!(ip_key(a), ip_key("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(ip_key("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn a_burst_then_a_wait() {
        let l = Limits::new(&LimitSettings { ip: Rate { burst: 3, per_hour: 60 }, ..LimitSettings::default() });
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(l.check_ip(ip), Ok(()));
        }
        let wait = l.check_ip(ip).unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60), "{wait:?}");
        assert_eq!(l.check_ip("192.0.2.2".parse().unwrap()), Ok(()), "another address has its own bucket");
        assert_eq!(Rate::parse("20,60"), Ok(Rate { burst: 20, per_hour: 60 }));
        assert!(Rate::parse("0,60").is_err() && Rate::parse("20").is_err());
    }
}
