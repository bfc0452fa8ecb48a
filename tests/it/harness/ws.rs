//! The live WebSocket (`/api/v1/live`) as a client sees it: connecting with a session cookie or
//! an API key, reading frames, subscribing.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::PASSWORD;

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The port of a test server's base URL (`http://127.0.0.1:PORT`).
pub fn port_of(base: &str) -> u16 {
    base.rsplit(':').next().unwrap().parse().unwrap()
}

/// The session cookie of user `name` (`sb_session=…`).
pub async fn session_cookie(base: &str, name: &str) -> String {
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"name": name, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "login {name}");
    let set = r.headers().get("set-cookie").expect("a session cookie").to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
}

/// Opens the live socket on `port`, sending the request header `(name, value)` if given (a
/// `cookie`, an `authorization`).
pub async fn try_connect(port: u16, header: Option<(&'static str, &str)>) -> Result<Ws, tungstenite::Error> {
    let mut req = format!("ws://127.0.0.1:{port}/api/v1/live").into_client_request().unwrap();
    if let Some((name, value)) = header {
        req.headers_mut().insert(name, value.parse().unwrap());
    }
    tokio_tungstenite::connect_async(req).await.map(|(ws, _)| ws)
}

/// Connects as `user` (signed in, with the session cookie) and reads the hello.
pub async fn connect(base: &str, user: &str) -> (Ws, Value) {
    let cookie = session_cookie(base, user).await;
    let mut ws = try_connect(port_of(base), Some(("cookie", &cookie))).await.expect("upgrade");
    let hello = next(&mut ws).await;
    assert_eq!(hello["type"], "hello", "{hello}");
    (ws, hello)
}

/// The next text frame (within 15 s), parsed and raw.
pub async fn next_text(ws: &mut Ws) -> (Value, String) {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(15), ws.next())
            .await
            .expect("a frame within 15 s")
            .expect("an open socket")
            .expect("a frame");
        match msg {
            Message::Text(t) => return (serde_json::from_str(&t).expect("JSON"), t.to_string()),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

/// The next JSON text frame (within 15 s).
pub async fn next(ws: &mut Ws) -> Value {
    next_text(ws).await.0
}

/// Sends `msg` and returns the answer.
pub async fn subscribe(ws: &mut Ws, msg: Value) -> Value {
    ws.send(Message::text(msg.to_string())).await.unwrap();
    next(ws).await
}
