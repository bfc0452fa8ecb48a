//! Chat/SMS webhooks, the notifier and the abuse limits against the real server: signed and
//! forged calls for each adapter, replays, duplicates, drafts, delivery with retries to a
//! local HTTP endpoint and an SMTP sink, two instances on one PostGIS, 429s.

#[path = "../common/mod.rs"]
mod common;
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

/// Runs a test body against SQLite and PostGIS with the webhooks on:
/// `both_backends!(name)` expects `async fn name(app: TestApp, sink: Sink)`.
macro_rules! both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let (app, sink) = $crate::support::spawn($crate::helpers::Backend::Sqlite, |_| {}).await;
                super::$name(app, sink).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgis() {
                let (app, sink) = $crate::support::spawn($crate::helpers::Backend::Postgres, |_| {}).await;
                super::$name(app, sink).await
            }
        }
    };
}

mod limits;
mod notifier;
mod support;
mod webhooks;
