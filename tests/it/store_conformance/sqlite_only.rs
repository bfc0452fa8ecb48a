//! What only the SQLite store has: the file and its durable settings, and a committed ticket
//! surviving SIGKILL of the process.

use std::time::Duration;

use switchboard::domain::TicketId;
use switchboard::store::sqlite::SqliteStore;
use tokio::io::AsyncBufReadExt;

use crate::harness::*;

#[tokio::test]
async fn open_creates_the_file_in_a_new_directory_with_durable_settings() {
    let (dir, url) = fresh_sqlite_url();
    let store = SqliteStore::open(&url).await.unwrap();
    assert!(dir.path().join("data").join("switchboard.db").is_file());
    let pool = store.pool();
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(pool).await.unwrap();
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(pool).await.unwrap();
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(pool).await.unwrap();
    assert_eq!((journal.as_str(), synchronous, foreign_keys), ("wal", 2, 1), "WAL, synchronous=FULL, FKs on");
}

const CHILD_URL: &str = "SWITCHBOARD_TEST_SIGKILL_CHILD_URL";

/// Re-runs this test binary as a child that creates a ticket, reports it and waits; the
/// parent kills it with SIGKILL and reopens the file: the reported ticket must be there.
#[tokio::test]
async fn a_created_ticket_survives_sigkill_of_the_process() {
    if let Ok(url) = std::env::var(CHILD_URL) {
        let store = SqliteStore::open(&url).await.unwrap();
        let ticket = create(&(std::sync::Arc::new(store) as _), "DN-2611").await;
        println!("COMMITTED {}", ticket.id);
        tokio::time::sleep(Duration::from_secs(60)).await;
        return;
    }
    let (_dir, url) = fresh_sqlite_url();
    // This test's name as the test harness knows it: its module path without the crate's name.
    let module = module_path!().split_once("::").expect("a module inside the test crate").1;
    let name = format!("{module}::a_created_ticket_survives_sigkill_of_the_process");
    let mut child = tokio::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", &name, "--nocapture"])
        .env(CHILD_URL, &url)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let id = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(id) = line.strip_prefix("COMMITTED ") {
                return TicketId::parse(id, "id").unwrap();
            }
        }
        panic!("the child exited without creating a ticket")
    })
    .await
    .expect("the child reports its ticket within 60 s");
    child.kill().await.unwrap(); // SIGKILL: no destructors, no checkpoint

    let store = SqliteStore::open(&url).await.unwrap();
    let ticket = store.ticket(id).await.unwrap().expect("the reported ticket survived SIGKILL");
    assert_eq!(ticket.code.as_str(), "DN-2611-000001");
    assert_eq!(store.last_seq().await.unwrap(), 1);
}
