//! `Application::build(settings)` opens the store, loads the demo if asked, bulk-loads the
//! index and binds the port; `run_until_stopped` serves until SIGINT/SIGTERM, then drains
//! in-flight requests.

use tokio::net::TcpListener;

use crate::config::Settings;
use crate::service::Services;

pub struct Application {
    listener: TcpListener,
    port: u16,
    services: Services,
    /// The outbox follower and the overdue timer, stopped when the application is dropped.
    _live: crate::live::LiveTasks,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let store = crate::store::open(settings.database_url.as_deref()).await?;
        if settings.demo {
            crate::demo::seed::ensure_demo(store.as_ref(), &settings).await?;
        }
        let services = Services::start(store, settings.clone()).await?;
        services.media.ensure_dir()?;
        let listener = TcpListener::bind(settings.listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen))?;
        let port = listener.local_addr()?.port();
        let live = crate::live::start(&services);
        Ok(Self { listener, port, services, _live: live })
    }

    /// The bound port (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let addr = self.listener.local_addr()?;
        tracing::info!(%addr, backend = ?self.services.store.backend(), "switchboard listening");
        let live = self._live;
        axum::serve(self.listener, crate::http::app(self.services)).with_graceful_shutdown(shutdown_signal()).await?;
        drop(live);
        tracing::info!("stopped");
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// Structured logs to stderr; `RUST_LOG` filters, `SWITCHBOARD_LOG_FORMAT=json` for JSON lines.
pub fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::env::var("SWITCHBOARD_LOG_FORMAT").as_deref() == Ok("json") {
        let _ = builder.json().try_init();
    } else {
        let _ = builder.try_init();
    }
}
