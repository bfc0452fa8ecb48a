//! A server with the webhooks enabled, a recording HTTP endpoint for notifications, an SMTP
//! sink, and signing helpers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use reqwest::RequestBuilder;
use serde_json::Value;
use switchboard::app::Settings;
use switchboard::config::Secret;
use switchboard::domain::Medium;
use switchboard::intake::signature;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::harness::{Backend, Fixture, TestApp, spawn_app_with};

pub const ZALO_SECRET: &str = "zalo-oa-secret-key-0001";
pub const MESSENGER_SECRET: &str = "messenger-app-secret-0002";
pub const SMS_SECRET: &str = "sms-gateway-secret-0003";
pub const ZALO_APP_ID: &str = "360846524940903967";
pub const VERIFY_TOKEN: &str = "verify-me-please";

pub fn secret(m: Medium) -> &'static str {
    match m {
        Medium::Zalo => ZALO_SECRET,
        Medium::Messenger => MESSENGER_SECRET,
        _ => SMS_SECRET,
    }
}

/// Webhooks on, notifications to `sink` (chat/SMS) with quick retries.
pub fn enable(s: &mut Settings, sink: &str) {
    for m in Medium::INBOUND {
        s.channels.secrets.insert(m, Secret::new(secret(m)));
        s.notify.urls.insert(m, format!("{sink}/{m}"));
    }
    s.channels.zalo_app_id = Some(ZALO_APP_ID.into());
    s.channels.messenger_verify_token = Some(Secret::new(VERIFY_TOKEN));
    s.notify.backoff = Duration::from_millis(100);
    s.notify.max_backoff = Duration::from_millis(400);
    s.notify.poll = Duration::from_millis(50);
    s.notify.max_attempts = 4;
}

/// One call the notification endpoint received.
#[derive(Debug, Clone)]
pub struct Call {
    pub path: String,
    pub body: Value,
    /// Whether its X-Switchboard-Signature verified with the medium's secret.
    pub signed: bool,
}

/// A recording HTTP endpoint that answers `fail_status` to the first `fail_first` calls.
#[derive(Clone)]
pub struct Sink {
    pub url: String,
    pub calls: Arc<Mutex<Vec<Call>>>,
    pub fail_first: Arc<AtomicUsize>,
    pub fail_status: u16,
}

impl Sink {
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// Calls answered with success, whose body's `template` is `template`.
    pub fn delivered(&self, template: &str) -> Vec<Call> {
        self.calls().into_iter().filter(|c| c.body["template"] == template).collect()
    }
}

pub async fn sink(fail_first: usize, fail_status: u16) -> Sink {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let s = Sink { url, calls: Arc::default(), fail_first: Arc::new(AtomicUsize::new(fail_first)), fail_status };
    let state = s.clone();
    let app = axum::Router::new().route(
        "/{medium}",
        axum::routing::post(
            move |axum::extract::Path(m): axum::extract::Path<String>, headers: HeaderMap, body: Bytes| {
                let state = state.clone();
                async move {
                    let left = state.fail_first.load(Ordering::SeqCst);
                    if left > 0 {
                        state.fail_first.store(left - 1, Ordering::SeqCst);
                        return StatusCode::from_u16(state.fail_status).unwrap();
                    }
                    let medium = Medium::parse(&m).unwrap();
                    let header = headers.get(signature::SWITCHBOARD_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
                    let now = chrono::Utc::now().timestamp();
                    let signed =
                        signature::verify_switchboard(header, secret(medium).as_bytes(), &body, now, 300).is_ok();
                    let body: Value = serde_json::from_slice(&body).unwrap();
                    state.calls.lock().unwrap().push(Call { path: m, body, signed });
                    StatusCode::OK
                }
            },
        ),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    s
}

/// A server with the webhooks on and notifications going to a fresh [`sink`].
pub async fn spawn(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> (TestApp, Sink) {
    spawn_with(backend, sink(0, 503).await, tweak).await
}

/// For `on_both_stores!`: a server with the webhooks on and its fresh [`sink`].
impl Fixture for (TestApp, Sink) {
    async fn on(backend: Backend) -> Self {
        spawn(backend, |_| {}).await
    }
}

/// [`spawn`] with notifications going to `sink`.
pub async fn spawn_with(backend: Backend, sink: Sink, tweak: impl FnOnce(&mut Settings)) -> (TestApp, Sink) {
    let url = sink.url.clone();
    let app = spawn_app_with(backend, move |s| {
        enable(s, &url);
        tweak(s);
    })
    .await;
    (app, sink)
}

/// A POST to `/webhooks/{medium}` signed the Switchboard way at `t` (unix seconds).
pub fn signed_at(app: &TestApp, medium: Medium, body: &str, content_type: &str, t: i64) -> RequestBuilder {
    let sig = signature::sign(secret(medium).as_bytes(), t, body.as_bytes());
    reqwest::Client::new()
        .post(app.url(&format!("/webhooks/{medium}")))
        .header("content-type", content_type)
        .header("x-switchboard-signature", sig)
        .body(body.to_owned())
}

/// An SMS from `from`, signed now.
pub fn sms(app: &TestApp, id: &str, from: &str, text: &str) -> RequestBuilder {
    let body = serde_json::json!({"from": from, "text": text, "id": id}).to_string();
    signed_at(app, Medium::Sms, &body, "application/json", chrono::Utc::now().timestamp())
}

/// Waits until `f` holds (within 15 s).
pub async fn eventually<F: Fn() -> bool>(what: &str, f: F) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !f() {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// One email the SMTP sink accepted.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    /// Headers and body as sent (transfer-encoded).
    pub data: String,
}

/// A minimal SMTP server that accepts every message (enough for lettre's client).
pub async fn smtp_sink() -> (String, Arc<Mutex<Vec<Mail>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let mails: Arc<Mutex<Vec<Mail>>> = Arc::default();
    let store = mails.clone();
    tokio::spawn(async move {
        loop {
            let (sock, _) = listener.accept().await.unwrap();
            let store = store.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let (mut to, mut data, mut in_data) = (String::new(), String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            store.lock().unwrap().push(Mail { to: to.clone(), data: std::mem::take(&mut data) });
                            w.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            data.push_str(line.strip_prefix('.').unwrap_or(&line));
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        to = line[8..].trim().trim_matches(|c| c == '<' || c == '>').to_owned();
                        b"250 ok\r\n"
                    } else if upper == "DATA" {
                        in_data = true;
                        b"354 go on\r\n"
                    } else if upper == "QUIT" {
                        w.write_all(b"221 bye\r\n").await.ok();
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (url, mails)
}

/// The text body of a mail, undoing quoted-printable or base64.
pub fn mail_text(data: &str) -> String {
    let (head, body) = data.split_once("\n\n").unwrap_or((data, ""));
    let head = head.to_ascii_lowercase();
    if head.contains("content-transfer-encoding: base64") {
        use base64::Engine;
        let b64: String = body.split_whitespace().collect();
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).unwrap()
    } else if head.contains("content-transfer-encoding: quoted-printable") {
        let joined = body.replace("=\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() {
                out.push(u8::from_str_radix(&joined[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    } else {
        body.to_owned()
    }
}
