//! A ticket that got a 201 is still there after the server is killed with SIGKILL and
//! restarted — on SQLite and on PostGIS. Drives the real `switchboard` binary.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_switchboard");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn cli(db: &str, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", db)
        .env("SWITCHBOARD_PASSWORD", "unused password")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

async fn start(db: &str, port: u16) -> Child {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/readyz");
    for _ in 0..300 {
        if reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    panic!("server did not become ready");
}

async fn survives_sigkill(db: String) {
    cli(&db, &["seed", "--demo", "--tickets", "0"]);
    let key = cli(&db, &["apikeys", "create", "durability", "--role", "operator"]).trim().to_owned();
    let port = free_port();
    let mut server = start(&db, port).await;
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let cats: Value = client.get(format!("{base}/api/v1/categories")).send().await.unwrap().json().await.unwrap();
    let category = cats["categories"][0]["code"].as_str().unwrap().to_owned();
    let mut ids = Vec::new();
    for i in 0..20 {
        let body = json!({"category": category, "description": format!("Bền vững #{i}"), "location": {"lon": 108.2208, "lat": 16.0678}});
        let r = client.post(format!("{base}/api/v1/tickets")).bearer_auth(&key).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 201);
        ids.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    server.kill().unwrap(); // SIGKILL: no graceful shutdown, no flush
    server.wait().unwrap();

    let mut server = start(&db, port).await;
    for id in &ids {
        let r = client.get(format!("{base}/api/v1/tickets/{id}")).bearer_auth(&key).send().await.unwrap();
        assert_eq!(r.status(), 200, "ticket {id} lost after SIGKILL");
    }
    let page: Value = client
        .get(format!("{base}/api/v1/tickets?limit=100"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 20, "the index is rebuilt from the store at start-up");
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test]
async fn a_committed_ticket_survives_sigkill_on_sqlite() {
    let (_dir, url) = common::fresh_sqlite_url();
    survives_sigkill(url).await;
}

#[tokio::test]
async fn a_committed_ticket_survives_sigkill_on_postgis() {
    survives_sigkill(common::fresh_pg_url().await).await;
}
