//! The real `switchboard` binary, run against a test database: a command, or the server on a port.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_switchboard");

/// Runs `switchboard ARGS` on the database `db`, expecting success; returns its stdout.
/// `SWITCHBOARD_PASSWORD` is set, so no command prompts.
pub fn cli(db: &str, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", db)
        .env("SWITCHBOARD_PASSWORD", "unused password")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `switchboard ARGS` on the database `db`: whether it succeeded, its stdout and its stderr.
pub fn run(db: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN).args(args).env("DATABASE_URL", db).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A port free on 127.0.0.1 a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts `switchboard serve --listen 127.0.0.1:PORT EXTRA…` on the database `db` and waits
/// (up to 30 s) until `/readyz` answers 200. Kill it with [`Child::kill`] (SIGKILL).
pub async fn serve(db: &str, port: u16, extra: &[&str]) -> Child {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(extra)
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
    panic!("the server did not become ready");
}
