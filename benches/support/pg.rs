//! A throwaway PostgreSQL database for a benchmark's SQL side: created on the server in
//! `DATABASE_URL` as `sb_bench_<random>`, loaded by the benchmark, dropped when this is dropped.

use rand::Rng;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

pub struct PostGis {
    /// The runtime the benchmark drives its queries on (`b.to_async(&pg.rt)`).
    pub rt: tokio::runtime::Runtime,
    admin_url: String,
    name: String,
    pool: Option<PgPool>,
}

impl PostGis {
    /// Creates the database, runs `load` on a connection to it, then opens a pool of one
    /// connection (what one server request would use).
    pub fn setup<F>(admin_url: &str, load: F) -> anyhow::Result<Self>
    where
        F: AsyncFnOnce(&mut PgConnection) -> anyhow::Result<()>,
    {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let name = format!("sb_bench_{:016x}", rand::rng().random::<u64>());
        let mut me = Self { rt, admin_url: admin_url.to_owned(), name, pool: None };
        let url = db_url(admin_url, &me.name);
        let name = me.name.clone();
        let pool = me.rt.block_on(async {
            let mut admin = PgConnection::connect(admin_url).await?;
            // `name` is our own `sb_bench_<hex>`: safe to splice.
            sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await?;
            admin.close().await?;
            let mut conn = PgConnection::connect(&url).await?;
            load(&mut conn).await?;
            conn.close().await?;
            Ok::<_, anyhow::Error>(PgPoolOptions::new().max_connections(1).connect(&url).await?)
        });
        me.pool = Some(pool?);
        Ok(me)
    }

    pub fn pool(&self) -> &PgPool {
        self.pool.as_ref().expect("pool is set after setup")
    }
}

impl Drop for PostGis {
    fn drop(&mut self) {
        let pool = self.pool.take();
        let res = self.rt.block_on(async {
            if let Some(p) = pool {
                p.close().await;
            }
            let mut admin = PgConnection::connect(&self.admin_url).await?;
            sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)))
                .execute(&mut admin)
                .await?;
            Ok::<_, sqlx::Error>(())
        });
        match res {
            Ok(()) => eprintln!("dropped database {}", self.name),
            Err(e) => eprintln!("WARNING: could not drop database {}: {e}", self.name),
        }
    }
}

/// `url` with its database name replaced by `db`.
fn db_url(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority_start..].find('/') {
        Some(i) => &base[..authority_start + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{db}?{q}"),
        None => format!("{root}/{db}"),
    }
}
