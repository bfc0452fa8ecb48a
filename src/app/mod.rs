//! `Application::build(settings)` opens the store, loads the demo if asked, bulk-loads the
//! index and binds the port; `run_until_stopped` serves until SIGINT/SIGTERM, then drains
//! in-flight requests.

use tokio::net::TcpListener;

pub mod settings;

pub use settings::Settings;

use crate::service::Services;

pub struct Application {
    listener: TcpListener,
    port: u16,
    services: Services,
    state: crate::http::AppState,
    backend: crate::store::Backend,
    /// The background workers (and the demo's camsim), stopped when the application is dropped.
    _workers: crate::workers::Workers,
}

impl Application {
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        let (camsim, camsim_url) = match settings.demo {
            true => crate::demo::cameras::demo_camsim(&mut settings.cameras).await.map(|(s, u)| (s, Some(u)))?,
            false => (None, None),
        };
        let store = crate::store::open(settings.database_url.as_deref()).await?;
        if settings.demo {
            crate::demo::seed::ensure_demo(store.as_ref(), &settings.city(), settings.demo_tickets).await?;
        }
        let services = Services::start(store.clone(), &settings.services()).await?;
        services.photos.media().ensure_dir()?;
        if let Some(url) = &camsim_url {
            let report = crate::demo::cameras::load(&services.cameras, url).await?;
            tracing::info!(cameras = report.imported, camsim = %url, "demo cameras loaded");
        }
        let listener = TcpListener::bind(settings.listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen))?;
        let port = listener.local_addr()?.port();
        let channels = crate::intake::Channels::new(
            services.tickets.clone(),
            store.clone(),
            settings.channels.clone(),
            settings.notify.delivered_media(),
            services.procedures.clone(),
            services.open311.clone(),
        )
        .with_categories(services.categories.clone())
        .with_photos(services.photos.clone())
        .with_appointments(services.appointments.clone());
        let http = crate::http::HttpSettings {
            max_body_bytes: settings.max_body_bytes,
            secure_cookies: settings.secure_cookies,
            limits: settings.limits.clone(),
            media: settings.media.clone(),
            wall: settings.wall.clone(),
        };
        let state = crate::http::AppState::new(&services, channels, http);
        let backend = store.backend();
        let workers = crate::workers::start(
            store,
            &services,
            crate::workers::WorkerSettings {
                cameras: settings.cameras.clone(),
                notify: settings.notify.clone(),
                channels: settings.channels.clone(),
                public_base_url: settings.open311.public_base_url.clone(),
            },
            camsim,
        )
        .await?;
        Ok(Self { listener, port, services, state, backend, _workers: workers })
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
        tracing::info!(%addr, backend = ?self.backend, "switchboard listening");
        let workers = self._workers;
        // With the peer address, which the rate limits key on (`src/http/limits.rs`).
        let app = crate::http::app(self.state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(self.listener, app).with_graceful_shutdown(shutdown_signal()).await?;
        drop(workers);
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

/// Structured logs to stderr; `RUST_LOG` filters, `SWITCHBOARD_LOG_FORMAT=json` for JSON lines;
/// colours only when stderr is a terminal (a log file gets plain text).
///
/// A request only formats its lines: a thread of their own writes them, the lines that queued
/// meanwhile in one `write` (`tracing_appender`; nothing is dropped: a full queue makes the
/// logging thread wait). Keep the returned guard until the end of `main`: dropping it writes
/// what is still queued. With one `write` per line, the access log cost a served tile as much as
/// encoding it.
pub fn init_tracing() -> tracing_appender::non_blocking::WorkerGuard {
    use std::io::IsTerminal as _;
    use tracing_subscriber::EnvFilter;
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("switchboard-log")
        .finish(std::io::BufWriter::with_capacity(64 << 10, std::io::stderr()));
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer);
    if std::env::var("SWITCHBOARD_LOG_FORMAT").as_deref() == Ok("json") {
        let _ = builder.json().try_init();
    } else {
        let _ = builder.with_ansi(std::io::stderr().is_terminal()).try_init();
    }
    guard
}
