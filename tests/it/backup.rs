//! `switchboard backup` while reports stream in, then `switchboard restore` into a new store:
//! every ticket acknowledged before the backup began is in it, nothing that was never
//! acknowledged is, the copy passes its integrity check, and a server runs on it — on SQLite
//! (VACUUM INTO) and on PostGIS (pg_dump / pg_restore).

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::harness::bin::{cli, free_port, run, serve};
use crate::harness::{PgTestDb, TestDb, fresh_sqlite_url};
use crate::on_both_stores;

async fn file(base: &str, key: &str, category: &str, n: usize, label: &str) -> Vec<String> {
    let client = reqwest::Client::new();
    let mut ids = Vec::new();
    for i in 0..n {
        let body = json!({"category": category, "description": format!("Sao lưu {label} #{i}"), "location": {"lon": 108.2208, "lat": 16.0678}});
        let r = client.post(format!("{base}/api/v1/tickets")).bearer_auth(key).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 201);
        ids.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    ids
}

async fn ids_served(base: &str, key: &str) -> HashSet<String> {
    let page: Value = reqwest::Client::new()
        .get(format!("{base}/api/v1/tickets?limit=200"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    page["items"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect()
}

async fn a_backup_taken_under_load_restores_what_was_acknowledged(db: TestDb) {
    cli(&db, &["seed", "--demo", "--tickets", "0"]);
    let key = cli(&db, &["apikeys", "create", "backup", "--role", "operator"]).trim().to_owned();
    let port = free_port();
    let mut server = serve(&db, port, &[]).await;
    let base = format!("http://127.0.0.1:{port}");
    let cats: Value = reqwest::get(format!("{base}/api/v1/categories")).await.unwrap().json().await.unwrap();
    let category = cats["categories"][0]["code"].as_str().unwrap().to_owned();
    let before = file(&base, &key, &category, 10, "trước").await;

    // Reports keep coming while the backup runs.
    let during = tokio::spawn({
        let (base, key, category) = (base.clone(), key.clone(), category.clone());
        async move { file(&base, &key, &category, 30, "trong lúc").await }
    });
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("switchboard.backup");
    let out_arg = out.to_str().unwrap().to_owned();
    let db_url = db.url().to_owned();
    let printed = tokio::task::spawn_blocking({
        let out_arg = out_arg.clone();
        move || cli(&db_url, &["backup", &out_arg])
    })
    .await
    .unwrap();
    assert!(printed.starts_with("backup written to"), "{printed}");
    let during = during.await.unwrap();
    let (ok, _, err) = run(db.url(), &["backup", &out_arg]);
    assert!(!ok && err.contains("already exists"), "a backup is never overwritten: {err}");
    if db.url().starts_with("sqlite") {
        let (ok, _, err) = run(db.url(), &["restore", &out_arg, "--replace"]);
        assert!(!ok && err.contains("in use"), "a database the server has open is not replaced: {err}");
    }
    server.kill().unwrap();
    server.wait().unwrap();

    // Restore into a new store of the same kind.
    let (_pg, _dir, restored) = if db.url().starts_with("postgres") {
        let pg = PgTestDb::new().await;
        let url = pg.url.clone();
        (Some(pg), None, url)
    } else {
        let (dir, url) = fresh_sqlite_url();
        (None, Some(dir), url)
    };
    let said = cli(&restored, &["restore", &out_arg]);
    let count: usize = said.split(": ").nth(1).and_then(|s| s.split(' ').next()).unwrap().parse().unwrap();
    let (ok, _, err) = run(&restored, &["restore", &out_arg]);
    assert!(!ok, "restoring over a store that holds data is refused: {err}");

    let port = free_port();
    let mut server = serve(&restored, port, &[]).await;
    let base = format!("http://127.0.0.1:{port}");
    let held = ids_served(&base, &key).await;
    assert_eq!(held.len(), count, "the restore reported what the server now serves");
    for id in &before {
        assert!(held.contains(id), "ticket {id}, acknowledged before the backup, is restored");
    }
    let acknowledged: HashSet<_> = before.iter().chain(&during).cloned().collect();
    assert!(held.is_subset(&acknowledged), "nothing unacknowledged appears");
    // The restored store takes new reports.
    assert_eq!(file(&base, &key, &category, 1, "sau").await.len(), 1);
    server.kill().unwrap();
    server.wait().unwrap();
}

on_both_stores!(a_backup_taken_under_load_restores_what_was_acknowledged);
