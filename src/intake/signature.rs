//! Webhook signatures, checked over the raw body before anything in it is acted on.
//!
//! - Switchboard style (every medium): `X-Switchboard-Signature: t=<unix seconds>,v1=<hex>`,
//!   the HMAC-SHA256 of `"{t}." + body` under the medium's secret (several `v1=` are allowed,
//!   e.g. while rotating secrets). `t` must be within the replay window of now.
//! - Messenger: `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the body under the
//!   app secret. The replay window applies to the `time` of each entry (inside the signed body).
//! - Zalo OA: `X-ZEvent-Signature: mac=<hex>`, the plain SHA-256 of
//!   `app_id + body + timestamp + OA secret key` (Zalo's scheme), `timestamp` being the body's
//!   field (milliseconds), which must be within the window.
//!
//! Comparisons are constant-time (`hmac`'s `verify_slice`, `subtle` for Zalo's digest).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// The header of the Switchboard style.
pub const SWITCHBOARD_HEADER: &str = "x-switchboard-signature";
/// Messenger's header.
pub const HUB_HEADER: &str = "x-hub-signature-256";
/// Zalo OA's header.
pub const ZALO_HEADER: &str = "x-zevent-signature";

/// Why a signature was refused. Every variant is a 401; the message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no signature: send X-Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.\" + body>")]
    Missing,
    #[error("malformed signature header: {0}")]
    Malformed(&'static str),
    #[error("the signature does not match the body")]
    Mismatch,
    #[error("the signed timestamp is {0} s away from the server's clock; the window is ±{1} s")]
    Stale(i64, i64),
    #[error("no secret is configured for the {0} webhook")]
    NotConfigured(&'static str),
}

fn mac(secret: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(secret).expect("HMAC takes a key of any length")
}

/// The Switchboard-style header value for `body` signed at `t` (unix seconds). The notifier
/// signs its webhook calls with it too.
pub fn sign(secret: &[u8], t: i64, body: &[u8]) -> String {
    let mut m = mac(secret);
    m.update(format!("{t}.").as_bytes());
    m.update(body);
    format!("t={t},v1={}", hex::encode(m.finalize().into_bytes()))
}

/// Refuses `t` (unix seconds) further than `tolerance` seconds from `now`.
pub fn check_window(t: i64, now: i64, tolerance: i64) -> Result<(), SignatureError> {
    let skew = now.saturating_sub(t);
    if skew.abs() > tolerance { Err(SignatureError::Stale(skew, tolerance)) } else { Ok(()) }
}

/// Checks a Switchboard-style header: the MAC first, then the window (so an unsigned caller
/// learns nothing about the clock).
pub fn verify_switchboard(
    header: &str,
    secret: &[u8],
    body: &[u8],
    now: i64,
    tolerance: i64,
) -> Result<(), SignatureError> {
    let mut t = None;
    let mut macs = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => {
                t = Some(v.parse::<i64>().map_err(|_| SignatureError::Malformed("t must be unix seconds"))?)
            }
            Some(("v1", v)) => macs.push(hex::decode(v).map_err(|_| SignatureError::Malformed("v1 must be hex"))?),
            Some(_) => {} // other schemes, ignored as in Stripe's format
            None => return Err(SignatureError::Malformed("expected t=<unix>,v1=<hex>")),
        }
    }
    let t = t.ok_or(SignatureError::Malformed("t= is missing"))?;
    if macs.is_empty() {
        return Err(SignatureError::Malformed("v1= is missing"));
    }
    let mut m = mac(secret);
    m.update(format!("{t}.").as_bytes());
    m.update(body);
    if !macs.iter().any(|sig| m.clone().verify_slice(sig).is_ok()) {
        return Err(SignatureError::Mismatch);
    }
    check_window(t, now, tolerance)
}

/// Checks Messenger's `sha256=<hex>` header over the body.
pub fn verify_hub(header: &str, secret: &[u8], body: &[u8]) -> Result<(), SignatureError> {
    let hex_mac = header.trim().strip_prefix("sha256=").ok_or(SignatureError::Malformed("expected sha256=<hex>"))?;
    let sig = hex::decode(hex_mac).map_err(|_| SignatureError::Malformed("sha256= must be hex"))?;
    let mut m = mac(secret);
    m.update(body);
    m.verify_slice(&sig).map_err(|_| SignatureError::Mismatch)
}

/// Checks Zalo OA's `mac=<hex>` header: SHA-256 of app id, body, the body's timestamp field
/// and the OA secret key, concatenated.
pub fn verify_zalo(
    header: &str,
    app_id: &str,
    secret: &[u8],
    body: &[u8],
    timestamp: &str,
) -> Result<(), SignatureError> {
    let hex_mac = header.trim().strip_prefix("mac=").unwrap_or(header.trim());
    let sig = hex::decode(hex_mac).map_err(|_| SignatureError::Malformed("mac= must be hex"))?;
    let digest = zalo_mac(app_id, secret, body, timestamp);
    if sig.len() == digest.len() && bool::from(sig.as_slice().ct_eq(digest.as_slice())) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Zalo's MAC (used by [`verify_zalo`] and by tests that play Zalo).
pub fn zalo_mac(app_id: &str, secret: &[u8], body: &[u8], timestamp: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(app_id.as_bytes());
    h.update(body);
    h.update(timestamp.as_bytes());
    h.update(secret);
    h.finalize().to_vec()
}

/// Messenger's header value for `body` (for tests that play Messenger).
pub fn hub_signature(secret: &[u8], body: &[u8]) -> String {
    let mut m = mac(secret);
    m.update(body);
    format!("sha256={}", hex::encode(m.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"whsec_test";
    const BODY: &[u8] = r#"{"from":"+84905123456","text":"Ngập ở Chợ Hàn"}"#.as_bytes();

    #[test]
    fn a_signature_made_by_sign_verifies_within_the_window_only() {
        let h = sign(KEY, 1_700_000_000, BODY);
        assert_eq!(verify_switchboard(&h, KEY, BODY, 1_700_000_100, 300), Ok(()));
        assert_eq!(verify_switchboard(&h, KEY, BODY, 1_700_000_301, 300), Err(SignatureError::Stale(301, 300)));
        assert_eq!(verify_switchboard(&h, KEY, BODY, 1_699_999_000, 300), Err(SignatureError::Stale(-1000, 300)));
    }

    #[test]
    fn another_body_key_or_timestamp_is_a_mismatch() {
        let h = sign(KEY, 1_700_000_000, BODY);
        assert_eq!(verify_switchboard(&h, KEY, b"{}", 1_700_000_000, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify_switchboard(&h, b"other", BODY, 1_700_000_000, 300), Err(SignatureError::Mismatch));
        // Moving the timestamp (to dodge the window) breaks the MAC.
        let moved = h.replace("t=1700000000", "t=1700000500");
        assert_eq!(verify_switchboard(&moved, KEY, BODY, 1_700_000_500, 300), Err(SignatureError::Mismatch));
    }

    #[test]
    fn any_of_several_v1_signatures_may_match() {
        let good = sign(KEY, 10, BODY);
        let v1 = good.split_once(",v1=").unwrap().1;
        let h = format!("t=10,v1={},v1={v1}", "00".repeat(32));
        assert_eq!(verify_switchboard(&h, KEY, BODY, 10, 300), Ok(()));
    }

    #[test]
    fn malformed_headers_say_what_is_wrong() {
        for h in ["", "v1=abcd", "t=10", "t=x,v1=00", "t=10,v1=zz", "garbage"] {
            assert!(matches!(verify_switchboard(h, KEY, BODY, 10, 300), Err(SignatureError::Malformed(_))), "{h}");
        }
    }

    #[test]
    fn messenger_and_zalo_styles_verify_and_refuse_forgeries() {
        let h = hub_signature(KEY, BODY);
        assert_eq!(verify_hub(&h, KEY, BODY), Ok(()));
        assert_eq!(verify_hub(&h, KEY, b"{}"), Err(SignatureError::Mismatch));
        assert!(matches!(verify_hub("md5=00", KEY, BODY), Err(SignatureError::Malformed(_))));

        let mac = hex::encode(zalo_mac("app1", KEY, BODY, "1700000000000"));
        assert_eq!(verify_zalo(&format!("mac={mac}"), "app1", KEY, BODY, "1700000000000"), Ok(()));
        assert_eq!(
            verify_zalo(&format!("mac={mac}"), "app1", KEY, BODY, "1700000000001"),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(verify_zalo("mac=00", "app1", KEY, BODY, "1700000000000"), Err(SignatureError::Mismatch));
    }
}
