//! What the integration tests share: throwaway databases ([`db`]), a running server with a
//! signed-in client per role ([`app`]), reading responses ([`http`]), the live WebSocket
//! ([`ws`]), the real binary ([`bin`]), sample domain values ([`samples`]), and
//! [`on_both_stores!`], which runs a test on PostGIS and on SQLite.

pub mod app;
pub mod bin;
pub mod db;
pub mod http;
pub mod samples;
pub mod ws;

use std::future::Future;
use std::sync::Arc;

use switchboard::store::Store;

pub use app::*;
pub use db::*;
pub use http::*;
pub use samples::*;

/// Runs each named test on PostGIS and on SQLite.
///
/// `on_both_stores!(name, …)` turns each `async fn name(fixture: F)` of the module into two
/// tests, `name::on_postgres` and `name::on_sqlite`, so a failure names its store and
/// `cargo test on_sqlite` picks one store. `F` is what the test starts from, made afresh for
/// each run ([`Fixture`]): the [`Backend`] itself, an empty [`TestDb`], an open store with its
/// database (`(Arc<dyn Store>, TestDb)`), a running [`TestApp`], or a feature's own fixture.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                $crate::harness::run(super::$name, $crate::harness::Backend::Postgres).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                $crate::harness::run(super::$name, $crate::harness::Backend::Sqlite).await
            }
        }
    )+};
}

/// The store a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A fresh PostgreSQL+PostGIS database on the server in `DATABASE_URL`.
    Postgres,
    /// A fresh SQLite file in a temporary directory.
    Sqlite,
}

/// What a test of [`on_both_stores!`] starts from, made for one [`Backend`].
pub trait Fixture: Sized {
    fn on(backend: Backend) -> impl Future<Output = Self>;
}

/// Makes `test`'s fixture on `backend` and runs it.
pub async fn run<F: Fixture, T: Future<Output = ()>>(test: impl FnOnce(F) -> T, backend: Backend) {
    test(F::on(backend).await).await
}

/// Nothing made: the test builds what it needs on this backend.
impl Fixture for Backend {
    async fn on(backend: Backend) -> Self {
        backend
    }
}

/// An empty database (no migrations run), dropped after the test.
impl Fixture for TestDb {
    async fn on(backend: Backend) -> Self {
        TestDb::new(backend).await
    }
}

/// The store opened (and migrated) on an empty database; the database is dropped after the test.
impl Fixture for (Arc<dyn Store>, TestDb) {
    async fn on(backend: Backend) -> Self {
        let db = TestDb::new(backend).await;
        let store =
            switchboard::store::open(Some(db.url())).await.unwrap_or_else(|e| panic!("opening {backend:?}: {e}"));
        let expected = match backend {
            Backend::Postgres => switchboard::store::Backend::Postgres,
            Backend::Sqlite => switchboard::store::Backend::Sqlite,
        };
        assert_eq!(store.backend(), expected);
        (store, db)
    }
}

/// The server with the demo city's reference data and a user per role ([`spawn_app`]).
impl Fixture for TestApp {
    async fn on(backend: Backend) -> Self {
        spawn_app(backend).await
    }
}
