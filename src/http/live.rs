//! `GET /api/v1/live`: the live WebSocket (protocol in `docs/live-protocol.md`).
//!
//! Staff only (admin, operator, leader, agency), with the API's credentials; checked, with
//! the `Origin`, before the upgrade. A session is a send task and a receive task; whichever
//! ends first ends the other. The send task owns the socket's sink: it forwards hub events
//! that pass the session's filter and answers what the receive task hands it.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use axum::routing::get;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{broadcast, mpsc};

use super::AppState;
use super::auth::{Auth, STAFF};
use super::error::ApiError;
use super::metrics::{LiveSession, Metrics};
use crate::domain::Principal;
use crate::domain::Scope;
use crate::live::protocol::{self, Subscription};
use crate::live::{CLOSE_NO_PONG, CLOSE_RATE_LIMITED, CLOSE_TOO_SLOW, Filter, Frame, HubEvent, Resume, Topic};

/// Largest message a client may send.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;
/// Initial read buffer of a session (it grows up to a message when needed). Clients send a
/// few small messages; tungstenite's default of 128 KiB, reserved for every socket, made
/// 10 000 sessions cost 1.3 GB (`switchboard bench live`, docs/BENCHMARKS.md).
pub const READ_BUFFER_BYTES: usize = 4 * 1024;
/// Client messages allowed per second (sustained) and in a burst.
pub const RATE_PER_SEC: f64 = 5.0;
pub const RATE_BURST: f64 = 20.0;
/// Ping interval, and how long without a pong before the server closes.
pub const PING_EVERY: Duration = Duration::from_secs(20);
pub const PONG_TIMEOUT: Duration = Duration::from_secs(40);
/// A frame the socket has not taken within this time means the client stalled: it is closed
/// with [`CLOSE_TOO_SLOW`] (or dropped, if even the close frame cannot be sent).
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/live", get(live))
}

async fn live(
    State(services): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let p = auth.require(STAFF)?.clone();
    check_origin(&headers)?;
    let reference = services.reference.current();
    let scope = services
        .tickets
        .scope(&p, &reference)
        .ok_or_else(|| ApiError::forbidden("this role cannot follow live events"))?;
    Ok(ws
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .read_buffer_size(READ_BUFFER_BYTES)
        .on_upgrade(move |socket| async move {
            // On the fan-out runtime, apart from the requests (src/live/fanout.rs).
            let fanout = services.live.clone();
            fanout.fanout.spawn(session(services, p, scope, socket));
        }))
}

/// A browser's `Origin` must name the host it connects to; non-browser clients send none.
fn check_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else { return Ok(()) };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.strip_prefix("https://").or_else(|| o.strip_prefix("http://")))
        .unwrap_or("");
    if !host.is_empty() && origin_host.eq_ignore_ascii_case(host) {
        Ok(())
    } else {
        Err(ApiError::forbidden("cross-origin WebSocket connections are refused"))
    }
}

/// What the receive task hands the send task.
enum Command {
    Subscribe(Box<Filter>, Option<i64>),
    Send(String),
    Close(u16, &'static str),
}

async fn session(services: AppState, _p: Principal, scope: Scope, socket: WebSocket) {
    let _open = LiveSession::open(&services.metrics);
    let (sink, stream) = socket.split();
    let (tx, rx) = mpsc::channel(16);
    let last_pong = Arc::new(AtomicI64::new(0));
    let started = Instant::now();
    let mut send = tokio::spawn(send_task(services.clone(), sink, rx, last_pong.clone(), started));
    let mut recv = tokio::spawn(recv_task(services, scope, stream, tx, last_pong, started));
    tokio::select! {
        _ = &mut send => recv.abort(),
        _ = &mut recv => {
            // The client closed, or went over its message rate: the send task sends what it
            // was handed (the 4029 close frame) and ends when the channel is empty.
            if tokio::time::timeout(SEND_TIMEOUT, &mut send).await.is_err() {
                send.abort();
            }
        }
    }
}

fn millis_since(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

async fn recv_task(
    services: AppState,
    scope: Scope,
    mut stream: SplitStream<WebSocket>,
    tx: mpsc::Sender<Command>,
    last_pong: Arc<AtomicI64>,
    started: Instant,
) {
    let mut tokens = RATE_BURST;
    let mut refilled = Instant::now();
    while let Some(Ok(msg)) = stream.next().await {
        let text = match msg {
            Message::Text(t) => t,
            Message::Pong(_) => {
                last_pong.store(millis_since(started), Ordering::Relaxed);
                continue;
            }
            Message::Ping(_) => continue,
            Message::Close(_) => break,
            Message::Binary(_) => {
                let _ = tx.send(Command::Send(protocol::error("bad_message", "send JSON text frames"))).await;
                continue;
            }
        };
        tokens = (tokens + refilled.elapsed().as_secs_f64() * RATE_PER_SEC).min(RATE_BURST);
        refilled = Instant::now();
        if tokens < 1.0 {
            let _ = tx.send(Command::Close(CLOSE_RATE_LIMITED, "too many messages")).await;
            // Read on (and drop) what the client still sends until it answers the close: a
            // socket closed with unread data is reset, and the reset can discard the close
            // frame before the client reads it.
            let drain = async {
                while let Some(Ok(m)) = stream.next().await
                    && !matches!(m, Message::Close(_))
                {}
            };
            let _ = tokio::time::timeout(SEND_TIMEOUT, drain).await;
            break;
        }
        tokens -= 1.0;
        let cmd = match parse(&services, &scope, &text) {
            Ok((filter, since)) => Command::Subscribe(Box::new(filter), since),
            Err((code, message)) => Command::Send(protocol::error(code, &message)),
        };
        if tx.send(cmd).await.is_err() {
            break;
        }
    }
}

/// Parses a client message into a filter (with the role scope applied) and `since`.
fn parse(services: &AppState, scope: &Scope, text: &str) -> Result<(Filter, Option<i64>), (&'static str, String)> {
    let Subscription { topics, bbox, areas, since } = protocol::parse_subscribe(text)?;
    let reference = services.reference.current();
    let areas = match areas {
        None => None,
        Some(parsed) => {
            if let Some(unknown) = parsed.iter().find(|a| !reference.areas.versions().iter().any(|v| &v.code == *a)) {
                return Err(("bad_area", format!("no area {unknown}; see GET /api/v1/areas")));
            }
            Some(reference.area_descendants(&parsed).into_iter().collect::<HashSet<_>>())
        }
    };
    Ok((Filter { topics, bbox, areas, ..Filter::for_scope(scope) }, since))
}

type Sink = SplitSink<WebSocket, Message>;

/// Sends a frame; false when the session must end (the socket failed or stalled, in which
/// case it is closed with [`CLOSE_TOO_SLOW`]).
async fn send_text(metrics: &Metrics, sink: &mut Sink, text: impl Into<Utf8Bytes>) -> bool {
    match tokio::time::timeout(SEND_TIMEOUT, sink.send(Message::Text(text.into()))).await {
        Ok(r) => r.is_ok(),
        Err(_) => {
            close(metrics, sink, CLOSE_TOO_SLOW, "stalled, resume with since").await;
            false
        }
    }
}

/// Most frames written to a socket before a flush.
const MAX_UNFLUSHED: usize = 256;

/// Writes a frame without flushing (see [`flush`]); false as for [`send_text`].
async fn feed_text(metrics: &Metrics, sink: &mut Sink, text: Utf8Bytes) -> bool {
    match tokio::time::timeout(SEND_TIMEOUT, sink.feed(Message::Text(text))).await {
        Ok(r) => r.is_ok(),
        Err(_) => {
            close(metrics, sink, CLOSE_TOO_SLOW, "stalled, resume with since").await;
            false
        }
    }
}

/// Flushes the frames written with [`feed_text`]; false as for [`send_text`].
async fn flush(metrics: &Metrics, sink: &mut Sink) -> bool {
    match tokio::time::timeout(SEND_TIMEOUT, sink.flush()).await {
        Ok(r) => r.is_ok(),
        Err(_) => {
            close(metrics, sink, CLOSE_TOO_SLOW, "stalled, resume with since").await;
            false
        }
    }
}

/// A hub frame as a WebSocket text message. The frame's bytes are shared, not copied; the
/// UTF-8 check axum asks for is a fast pass over bytes already known to be UTF-8.
fn text(frame: &Frame) -> Utf8Bytes {
    Utf8Bytes::try_from(frame.bytes()).expect("a frame is made from a String")
}

async fn close(metrics: &Metrics, sink: &mut Sink, code: u16, reason: &'static str) {
    metrics.live_closed(code);
    let frame = Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) }));
    let _ = tokio::time::timeout(SEND_TIMEOUT, sink.send(frame)).await;
}

/// The subscription in force: its filter, its receiver and the last seq sent (live events at
/// or below it were already replayed).
struct Sub {
    filter: Filter,
    rx: broadcast::Receiver<Arc<HubEvent>>,
    last: i64,
}

async fn send_task(
    services: AppState,
    mut sink: Sink,
    mut rx: mpsc::Receiver<Command>,
    last_pong: Arc<AtomicI64>,
    started: Instant,
) {
    let hub = &services.live.hub;
    let (seq, oldest) = hub.bounds();
    if !send_text(&services.metrics, &mut sink, protocol::hello(seq, oldest)).await {
        return;
    }
    let mut sub: Option<Sub> = None;
    let mut kpis = services.kpis.subscribe();
    let mut cameras = services.live.cameras.tx.subscribe();
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    // After a write, events wait out the hub's pace and then go in one write (`HubConfig::pace`).
    let pace = hub.pace();
    let gather = tokio::time::sleep(Duration::ZERO);
    tokio::pin!(gather);
    let mut gathering = false;
    let mut pressure = hub.pressure();
    loop {
        tokio::select! {
            () = &mut gather, if gathering => gathering = false,
            // Half the channel waits for someone: stop gathering before this session lags.
            Ok(()) = pressure.changed(), if gathering => gathering = false,
            cmd = rx.recv() => match cmd {
                None => return,
                Some(Command::Send(text)) => if !send_text(&services.metrics, &mut sink, text).await { return },
                Some(Command::Close(code, reason)) => return close(&services.metrics, &mut sink, code, reason).await,
                Some(Command::Subscribe(filter, since)) => {
                    let filter = *filter;
                    // Camera frames from now on (none queued while the topic was not wanted).
                    cameras = services.live.cameras.tx.subscribe();
                    // The figures follow the acknowledgement (or the replay) at once.
                    let figures = filter.wants(Topic::Kpis).then(|| {
                        kpis.mark_unchanged();
                        services.kpis.board().frame(&filter, &services.reference.current())
                    });
                    match since {
                        None => {
                            let (head, rx) = hub.subscribe();
                            if !send_text(&services.metrics, &mut sink, protocol::subscribed(head)).await { return }
                            sub = Some(Sub { filter, rx, last: head });
                        }
                        Some(since) => match hub.resume(since) {
                            Resume::Resync { seq, rx } => {
                                if !send_text(&services.metrics, &mut sink, protocol::resync(seq)).await { return }
                                sub = Some(Sub { filter, rx, last: seq });
                            }
                            Resume::Replay { replay, rx } => {
                                let mut last = since;
                                for e in replay {
                                    last = e.seq;
                                    if filter.matches(&e) && !send_text(&services.metrics, &mut sink, text(&e.frame)).await { return }
                                }
                                sub = Some(Sub { filter, rx, last });
                            }
                        },
                    }
                    if let Some(f) = figures && !send_text(&services.metrics, &mut sink, text(&f)).await { return }
                }
            },
            ev = async { sub.as_mut().expect("guarded").rx.recv().await }, if sub.is_some() && !gathering => {
                let s = sub.as_mut().expect("guarded");
                match ev {
                    Ok(e) => {
                        // This event and every one already waiting, written with one flush.
                        let mut next = Some(e);
                        let mut written = 0;
                        while let Some(e) = next.take() {
                            if e.seq > s.last {
                                s.last = e.seq;
                                if s.filter.matches(&e) {
                                    if !feed_text(&services.metrics, &mut sink, text(&e.frame)).await { return }
                                    written += 1;
                                }
                            }
                            if written < MAX_UNFLUSHED {
                                match s.rx.try_recv() {
                                    Ok(e) => next = Some(e),
                                    Err(broadcast::error::TryRecvError::Lagged(_)) => {
                                        return close(&services.metrics, &mut sink, CLOSE_TOO_SLOW, "too slow, resume with since").await;
                                    }
                                    Err(_) => {}
                                }
                            }
                        }
                        if written > 0 {
                            if !flush(&services.metrics, &mut sink).await { return }
                            if !pace.is_zero() {
                                gather.as_mut().reset(tokio::time::Instant::now() + hub.gather_for());
                                gathering = true;
                                pressure.borrow_and_update();
                            }
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        return close(&services.metrics, &mut sink, CLOSE_TOO_SLOW, "too slow, resume with since").await;
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
            Ok(()) = kpis.changed(), if sub.as_ref().is_some_and(|s| s.filter.wants(Topic::Kpis)) => {
                let board = kpis.borrow_and_update().clone();
                let s = sub.as_ref().expect("guarded");
                if let Some(board) = board
                    && !send_text(&services.metrics, &mut sink, text(&board.frame(&s.filter, &services.reference.current()))).await
                {
                    return;
                }
            }
            cam = cameras.recv(), if sub.as_ref().is_some_and(|s| s.filter.wants(Topic::Cameras)) => match cam {
                Ok(frame) => if !send_text(&services.metrics, &mut sink, text(&frame)).await { return },
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    return close(&services.metrics, &mut sink, CLOSE_TOO_SLOW, "too slow, resume with since").await;
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = ping.tick() => {
                let silent = millis_since(started) - last_pong.load(Ordering::Relaxed);
                if silent > i64::try_from(PONG_TIMEOUT.as_millis()).unwrap_or(i64::MAX) {
                    return close(&services.metrics, &mut sink, CLOSE_NO_PONG, "no pong").await;
                }
                if sink.send(Message::Ping(Default::default())).await.is_err() { return }
            }
        }
    }
}
