//! The one HTTP client that reaches camera sources: the proxy and the health checker use it.
//!
//! Defences against server-side request forgery, all here:
//! - only `http`/`https` URLs exist ([`SourceUrl`](crate::domain::camera::SourceUrl));
//! - a host given as an address is checked against the [`AddressPolicy`] before connecting;
//! - a host given as a name is resolved by [`GuardedResolver`], which hands reqwest only the
//!   addresses the policy allows: the address checked is the address connected to, so DNS
//!   rebinding (a name that answers public, then private) cannot slip through;
//! - redirects are never followed (a 3xx is an error), no proxy from the environment is used;
//! - the peer actually connected to is checked again on the response;
//! - whole-body reads stop at a byte limit and a time limit.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use futures_util::StreamExt;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Url;

use super::policy::{AddressPolicy, Refusal};

/// Limits of camera fetches.
#[derive(Debug, Clone)]
pub struct CameraLimits {
    /// Connecting (DNS, TCP, TLS).
    pub connect_timeout: Duration,
    /// A whole snapshot or playlist.
    pub fetch_timeout: Duration,
    /// Longest silence of a stream (MJPEG, segments) before it is dropped.
    pub idle_timeout: Duration,
    /// Largest snapshot (JPEG/PNG) read.
    pub max_snapshot_bytes: usize,
    /// Largest HLS playlist read.
    pub max_playlist_bytes: usize,
    /// Largest HLS segment passed through.
    pub max_segment_bytes: usize,
    /// Streams (MJPEG and segments) proxied at once; more get a 503.
    pub max_streams: usize,
}

impl Default for CameraLimits {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            fetch_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(15),
            max_snapshot_bytes: 5 * 1024 * 1024,
            max_playlist_bytes: 256 * 1024,
            max_segment_bytes: 32 * 1024 * 1024,
            max_streams: 64,
        }
    }
}

/// Why a camera source could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The host is, or resolves only to, an address the policy refuses.
    #[error("the camera's address {ip} is {} and not allow-listed", why.as_str())]
    Refused { ip: IpAddr, why: Refusal },
    #[error("the camera answered with a redirect ({0}), which is not followed")]
    Redirect(u16),
    #[error("the camera answered {0}")]
    Status(u16),
    #[error("the camera sent more than {0} bytes")]
    TooLarge(usize),
    #[error("the camera did not answer in time")]
    Timeout,
    #[error("the camera sent {0}, not what its kind serves")]
    BadContent(String),
    #[error("the camera cannot be reached: {0}")]
    Unreachable(String),
}

/// An address the resolver refused, carried through reqwest's error chain.
#[derive(Debug, thiserror::Error)]
#[error("{ip} is {} and not allow-listed", why.as_str())]
struct RefusedAddress {
    ip: IpAddr,
    why: Refusal,
}

/// Resolves names with the system resolver and keeps only the addresses the policy allows.
struct GuardedResolver {
    policy: Arc<AddressPolicy>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut refused = None;
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| match policy.check(a.ip()) {
                    Ok(()) => true,
                    Err(why) => {
                        refused.get_or_insert(RefusedAddress { ip: a.ip(), why });
                        false
                    }
                })
                .collect();
            if allowed.is_empty() {
                let err: Box<dyn std::error::Error + Send + Sync> = match refused {
                    Some(r) => {
                        tracing::warn!(host, ip = %r.ip, why = r.why.as_str(), "camera host refused");
                        Box::new(r)
                    }
                    None => "the camera's host has no address".into(),
                };
                return Err(err);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// The guarded client (cheap to clone).
#[derive(Clone)]
pub struct CameraClient {
    http: reqwest::Client,
    policy: Arc<AddressPolicy>,
    pub limits: CameraLimits,
    streams: Arc<tokio::sync::Semaphore>,
}

impl CameraClient {
    pub fn new(policy: AddressPolicy, limits: CameraLimits) -> anyhow::Result<Self> {
        let policy = Arc::new(policy);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver { policy: policy.clone() }))
            .connect_timeout(limits.connect_timeout)
            .read_timeout(limits.idle_timeout)
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION"), " camera-proxy"))
            .build()?;
        let streams = Arc::new(tokio::sync::Semaphore::new(limits.max_streams));
        Ok(Self { http, policy, limits, streams })
    }

    pub fn policy(&self) -> &AddressPolicy {
        &self.policy
    }

    /// A slot for one proxied stream, or `None` when [`CameraLimits::max_streams`] are open.
    pub fn stream_slot(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        self.streams.clone().try_acquire_owned().ok()
    }

    /// Sends `GET url` and returns the response if it is a 2xx (its body not read yet).
    #[tracing::instrument(skip_all, fields(origin = %url.origin().ascii_serialization()))]
    pub async fn open(&self, url: &Url) -> Result<reqwest::Response, FetchError> {
        if let Some(ip) = literal_ip(url) {
            let port = url.port_or_known_default().unwrap_or(80);
            self.policy.check_socket(ip, port).map_err(|why| FetchError::Refused { ip, why })?;
        }
        let resp = self.http.get(url.clone()).send().await.map_err(classify_error)?;
        if let Some(peer) = resp.remote_addr() {
            self.policy
                .check_socket(peer.ip(), peer.port())
                .map_err(|why| FetchError::Refused { ip: peer.ip(), why })?;
        }
        let status = resp.status();
        if status.is_redirection() {
            return Err(FetchError::Redirect(status.as_u16()));
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        Ok(resp)
    }

    /// `GET url` read whole, within [`CameraLimits::fetch_timeout`] and `max` bytes. Returns the
    /// media type (lower case, without parameters) and the body.
    pub async fn fetch(&self, url: &Url, max: usize) -> Result<(String, Bytes), FetchError> {
        let work = async {
            let resp = self.open(url).await?;
            let media = media_type(&resp);
            if resp.content_length().is_some_and(|n| n > max as u64) {
                return Err(FetchError::TooLarge(max));
            }
            let mut body: Vec<u8> = Vec::new();
            let mut stream = resp.bytes_stream();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(classify_error)?;
                if body.len() + chunk.len() > max {
                    return Err(FetchError::TooLarge(max));
                }
                body.extend_from_slice(&chunk);
            }
            Ok((media, Bytes::from(body)))
        };
        tokio::time::timeout(self.limits.fetch_timeout, work).await.map_err(|_| FetchError::Timeout)?
    }
}

/// The response's media type, lower case, without parameters (`""` when absent).
pub fn media_type(resp: &reqwest::Response) -> String {
    resp.headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(a) => Some(IpAddr::V4(a)),
        url::Host::Ipv6(a) => Some(IpAddr::V6(a)),
        url::Host::Domain(_) => None,
    }
}

/// Maps reqwest's error, finding a refusal of the resolver in its cause chain.
fn classify_error(e: reqwest::Error) -> FetchError {
    // Without the URL: it may carry the camera's credentials, and it is a secret anyway.
    let e = e.without_url();
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(c) = cause {
        if let Some(r) = c.downcast_ref::<RefusedAddress>() {
            return FetchError::Refused { ip: r.ip, why: r.why };
        }
        cause = c.source();
    }
    if e.is_timeout() {
        FetchError::Timeout
    } else {
        let mut text = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            text.push_str(": ");
            text.push_str(&c.to_string());
            cause = c.source();
        }
        FetchError::Unreachable(text)
    }
}
