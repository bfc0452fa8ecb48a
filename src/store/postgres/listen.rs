//! The wake-up source of the outbox follower on PostgreSQL: `LISTEN` on [`EVENTS_CHANNEL`].

use std::time::Duration;

use sqlx::postgres::{PgListener, PgPool};

use super::EVENTS_CHANNEL;
use crate::store::EventWake;

/// Wait before reconnecting a lost listener.
const RECONNECT: Duration = Duration::from_millis(500);

/// Listens on a connection of its own (the pool's settings); calls `wake` on every
/// notification and after every (re)connect, since notifications sent while disconnected are
/// lost. Runs until its task is aborted.
pub(super) async fn watch_events(pool: PgPool, wake: EventWake) {
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "outbox listener: cannot connect; retrying");
                tokio::time::sleep(RECONNECT).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(EVENTS_CHANNEL).await {
            tracing::warn!(error = %e, "outbox listener: LISTEN failed; retrying");
            tokio::time::sleep(RECONNECT).await;
            continue;
        }
        tracing::debug!("outbox listener connected");
        wake();
        loop {
            match listener.try_recv().await {
                Ok(Some(_)) => wake(),
                Ok(None) => {
                    tracing::info!("outbox listener: connection lost; reconnecting");
                    break;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "outbox listener failed; reconnecting");
                    break;
                }
            }
        }
        tokio::time::sleep(RECONNECT).await;
    }
}
