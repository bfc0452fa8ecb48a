//! Which addresses the camera proxy and the health checker may connect to.
//!
//! Refused unless allow-listed (`serve --camera-allow CIDR`): loopback, private (RFC 1918),
//! link-local (which holds the cloud metadata address 169.254.169.254), carrier-grade NAT
//! (100.64.0.0/10), unique-local IPv6 (fc00::/7, which holds AWS's fd00:ec2::254),
//! unspecified, multicast, broadcast and reserved ranges, and the same addresses hidden
//! inside IPv6 (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64
//! `64:ff9b::/96` and 6to4 `2002::/16`). The metadata addresses are named as such.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

/// Why an address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Loopback,
    Private,
    LinkLocal,
    /// A cloud provider's instance metadata service.
    Metadata,
    SharedCgnat,
    UniqueLocal,
    Unspecified,
    Multicast,
    Reserved,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Loopback => "loopback",
            Self::Private => "private",
            Self::LinkLocal => "link-local",
            Self::Metadata => "cloud metadata",
            Self::SharedCgnat => "carrier-grade NAT",
            Self::UniqueLocal => "unique-local",
            Self::Unspecified => "unspecified",
            Self::Multicast => "multicast",
            Self::Reserved => "reserved",
        }
    }
}

/// The class that makes `ip` unsafe to reach from the server, or `None` for a public address.
pub fn classify(ip: IpAddr) -> Option<Refusal> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(a: Ipv4Addr) -> Option<Refusal> {
    let [o1, o2, o3, _] = a.octets();
    if a == Ipv4Addr::new(169, 254, 169, 254) || a == Ipv4Addr::new(169, 254, 170, 2) {
        Some(Refusal::Metadata)
    } else if a.is_loopback() {
        Some(Refusal::Loopback)
    } else if a.is_private() {
        Some(Refusal::Private)
    } else if a.is_link_local() {
        Some(Refusal::LinkLocal)
    } else if o1 == 100 && (64..128).contains(&o2) {
        Some(Refusal::SharedCgnat)
    } else if o1 == 0 {
        Some(Refusal::Unspecified)
    } else if a.is_multicast() {
        Some(Refusal::Multicast)
    } else if o1 >= 240 || (o1 == 192 && o2 == 0 && o3 == 0) || (o1 == 198 && (o2 & 0xfe) == 18) {
        // 240/4 (incl. broadcast), IETF protocol assignments 192.0.0/24, benchmarking 198.18/15.
        Some(Refusal::Reserved)
    } else {
        None
    }
}

fn classify_v6(a: Ipv6Addr) -> Option<Refusal> {
    let s = a.segments();
    if a == Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x254) {
        return Some(Refusal::Metadata);
    }
    if a.is_loopback() {
        return Some(Refusal::Loopback);
    }
    if a.is_unspecified() {
        return Some(Refusal::Unspecified);
    }
    if let Some(v4) = embedded_v4(a) {
        if let Some(r) = classify_v4(v4) {
            return Some(r);
        }
        // IPv4-compatible (::a.b.c.d) addresses are deprecated: refused whatever they hold.
        return (s[..6] == [0; 6]).then_some(Refusal::Reserved);
    }
    match s[0] {
        x if x & 0xffc0 == 0xfe80 => Some(Refusal::LinkLocal),
        x if x & 0xffc0 == 0xfec0 => Some(Refusal::Reserved), // deprecated site-local
        x if x & 0xfe00 == 0xfc00 => Some(Refusal::UniqueLocal),
        x if x & 0xff00 == 0xff00 => Some(Refusal::Multicast),
        // Discard-only 100::/64 and documentation 2001:db8::/32.
        0x0100 if s[1..4] == [0, 0, 0] => Some(Refusal::Reserved),
        0x2001 if s[1] == 0x0db8 => Some(Refusal::Reserved),
        _ => None,
    }
}

/// The IPv4 address an IPv6 address carries: IPv4-mapped, IPv4-compatible, NAT64 (well-known
/// prefix) or 6to4.
fn embedded_v4(a: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = a.segments();
    let tail = || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] | [0, 0, 0, 0, 0, 0, _, _] => Some(tail()),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(tail()),
        [0x2002, hi, lo, ..] => Some(Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8)),
        _ => None,
    }
}

/// The addresses cameras may be reached at: public ones, plus the allow-listed networks, plus
/// single allow-listed sockets (an address and one port: the demo's camsim).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AddressPolicy {
    /// Networks allowed whatever their class (`--camera-allow`), e.g. the cameras' VLAN.
    pub allow: Vec<IpNet>,
    /// Address and port pairs allowed whatever the address's class, on that port only.
    pub sockets: Vec<std::net::SocketAddr>,
}

impl AddressPolicy {
    pub fn new(allow: Vec<IpNet>, sockets: Vec<std::net::SocketAddr>) -> Self {
        Self { allow, sockets }
    }

    /// `Ok` if `ip` may be connected to on `port`: an allowed address, or an allow-listed
    /// socket. Names are resolved under [`AddressPolicy::check`], which knows no port, so a
    /// socket entry only ever lets through a URL that names its address literally.
    pub fn check_socket(&self, ip: IpAddr, port: u16) -> Result<(), Refusal> {
        let plain = |a: IpAddr| match a {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(a, IpAddr::V4),
            v4 => v4,
        };
        if self.sockets.iter().any(|s| plain(s.ip()) == plain(ip) && s.port() == port) {
            return Ok(());
        }
        self.check(ip)
    }

    /// `Ok` if the address may be connected to; else why not.
    pub fn check(&self, ip: IpAddr) -> Result<(), Refusal> {
        let mapped = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4),
            IpAddr::V4(_) => None,
        };
        let allowed = |a: IpAddr| self.allow.iter().any(|n| n.contains(&a));
        if allowed(ip) || mapped.is_some_and(allowed) {
            return Ok(());
        }
        classify(ip).map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> Option<Refusal> {
        classify(s.parse().unwrap())
    }

    #[test]
    fn ipv4_classes() {
        assert_eq!(class("127.0.0.1"), Some(Refusal::Loopback));
        assert_eq!(class("127.255.1.2"), Some(Refusal::Loopback));
        assert_eq!(class("10.1.2.3"), Some(Refusal::Private));
        assert_eq!(class("172.16.0.1"), Some(Refusal::Private));
        assert_eq!(class("172.31.255.255"), Some(Refusal::Private));
        assert_eq!(class("192.168.1.10"), Some(Refusal::Private));
        assert_eq!(class("169.254.169.254"), Some(Refusal::Metadata));
        assert_eq!(class("169.254.1.1"), Some(Refusal::LinkLocal));
        assert_eq!(class("100.64.0.1"), Some(Refusal::SharedCgnat));
        assert_eq!(class("100.127.255.255"), Some(Refusal::SharedCgnat));
        assert_eq!(class("0.0.0.0"), Some(Refusal::Unspecified));
        assert_eq!(class("224.0.0.1"), Some(Refusal::Multicast));
        assert_eq!(class("255.255.255.255"), Some(Refusal::Reserved));
        assert_eq!(class("198.18.0.1"), Some(Refusal::Reserved));
        for public in ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "113.160.1.1", "172.15.255.255"] {
            assert_eq!(class(public), None, "{public}");
        }
    }

    #[test]
    fn ipv6_classes() {
        assert_eq!(class("::1"), Some(Refusal::Loopback));
        assert_eq!(class("::"), Some(Refusal::Unspecified));
        assert_eq!(class("fe80::1"), Some(Refusal::LinkLocal));
        assert_eq!(class("fd00:ec2::254"), Some(Refusal::Metadata));
        assert_eq!(class("fd12:3456::1"), Some(Refusal::UniqueLocal));
        assert_eq!(class("fc00::1"), Some(Refusal::UniqueLocal));
        assert_eq!(class("ff02::1"), Some(Refusal::Multicast));
        assert_eq!(class("fec0::1"), Some(Refusal::Reserved));
        assert_eq!(class("2001:db8::1"), Some(Refusal::Reserved));
        assert_eq!(class("2001:4860:4860::8888"), None);
        assert_eq!(class("2402:800::1"), None);
    }

    #[test]
    fn ipv4_inside_ipv6_is_classified_as_ipv4() {
        assert_eq!(class("::ffff:127.0.0.1"), Some(Refusal::Loopback));
        assert_eq!(class("::ffff:10.0.0.1"), Some(Refusal::Private));
        assert_eq!(class("::ffff:169.254.169.254"), Some(Refusal::Metadata));
        assert_eq!(class("::ffff:8.8.8.8"), None);
        assert_eq!(class("64:ff9b::7f00:1"), Some(Refusal::Loopback));
        assert_eq!(class("64:ff9b::808:808"), None);
        assert_eq!(class("2002:7f00:1::"), Some(Refusal::Loopback));
        assert_eq!(class("2002:a00:1::1"), Some(Refusal::Private));
        assert_eq!(class("::127.0.0.1"), Some(Refusal::Loopback));
        assert_eq!(class("::8.8.8.8"), Some(Refusal::Reserved), "IPv4-compatible addresses are deprecated");
    }

    #[test]
    fn the_allow_list_lets_named_networks_through() {
        let policy =
            AddressPolicy::new(vec!["127.0.0.1/32".parse().unwrap(), "10.20.0.0/16".parse().unwrap()], Vec::new());
        assert_eq!(policy.check("127.0.0.1".parse().unwrap()), Ok(()));
        assert_eq!(policy.check("::ffff:127.0.0.1".parse().unwrap()), Ok(()));
        assert_eq!(policy.check("127.0.0.2".parse().unwrap()), Err(Refusal::Loopback));
        assert_eq!(policy.check("10.20.3.4".parse().unwrap()), Ok(()));
        assert_eq!(policy.check("10.21.0.1".parse().unwrap()), Err(Refusal::Private));
        assert_eq!(policy.check("::1".parse().unwrap()), Err(Refusal::Loopback));
        assert_eq!(AddressPolicy::default().check("8.8.8.8".parse().unwrap()), Ok(()));
    }

    #[test]
    fn a_socket_entry_allows_its_port_only() {
        let policy = AddressPolicy::new(Vec::new(), vec!["127.0.0.1:8554".parse().unwrap()]);
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(policy.check_socket(lo, 8554), Ok(()));
        assert_eq!(policy.check_socket("::ffff:127.0.0.1".parse().unwrap(), 8554), Ok(()));
        for port in [6379, 5432, 8080, 8555] {
            assert_eq!(policy.check_socket(lo, port), Err(Refusal::Loopback), "{port}");
        }
        assert_eq!(policy.check(lo), Err(Refusal::Loopback), "a name resolving to it is refused");
    }
}
