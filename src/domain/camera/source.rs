//! [`SourceUrl`]: where a camera's feed comes from. Only `http` and `https` parse; the URL is
//! a secret (it may carry credentials), so `Debug` shows only its scheme and host.

use std::net::IpAddr;

use url::{Host, Url};

use crate::domain::ValidationErrors;

/// Longest source URL accepted, in bytes.
pub const MAX_SOURCE_LEN: usize = 2048;

/// An `http(s)://host…` URL, parsed by the WHATWG rules browsers and reqwest use (so
/// `http://2130706433/` is the IPv4 address 127.0.0.1 here too). Fragments are dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct SourceUrl(Url);

impl SourceUrl {
    /// Parses a source URL; the error names `field`. `file:`, `gopher:`, `ftp:` and every
    /// other scheme are refused, and so are URLs without a host.
    pub fn parse(s: &str, field: &str) -> Result<Self, ValidationErrors> {
        let s = s.trim();
        if s.len() > MAX_SOURCE_LEN {
            return Err(ValidationErrors::single(field, format!("source must be at most {MAX_SOURCE_LEN} bytes")));
        }
        let mut url = Url::parse(s)
            .map_err(|e| ValidationErrors::single(field, format!("source must be an http(s) URL ({e})")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ValidationErrors::single(
                field,
                format!("source must be an http:// or https:// URL, not {}:", url.scheme()),
            ));
        }
        if url.host().is_none() {
            return Err(ValidationErrors::single(field, "source must name a host"));
        }
        url.set_fragment(None);
        Ok(Self(url))
    }

    pub fn url(&self) -> &Url {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The host's address when the URL names one literally (`http://10.0.0.7/…`,
    /// `http://[::1]/…`), which no DNS lookup will be asked about.
    pub fn literal_ip(&self) -> Option<IpAddr> {
        match self.0.host()? {
            Host::Ipv4(a) => Some(IpAddr::V4(a)),
            Host::Ipv6(a) => Some(IpAddr::V6(a)),
            Host::Domain(_) => None,
        }
    }

    /// `scheme://host[:port]`, without credentials or path: safe to log.
    pub fn origin(&self) -> String {
        self.0.origin().ascii_serialization()
    }
}

impl std::fmt::Debug for SourceUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SourceUrl({}/…)", self.origin())
    }
}
