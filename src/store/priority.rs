//! Intake first: writes made by background jobs (the notifier, the overdue and escalation
//! timers, digests, camera checks) give way to the writes of requests.
//!
//! A background job runs inside [`background`] (its task carries a task-local mark, see
//! [`spawn_background`]). A store whose writes queue for one writer (SQLite) lets such a
//! write start only when no request's write is waiting or in progress, or after
//! [`MAX_YIELD`] at the most, so that a steady stream of reports cannot starve the jobs.
//! PostgreSQL writes do not queue for one writer (row locks, MVCC): there the mark changes
//! nothing.

use std::future::Future;
use std::time::Duration;

use tokio::task::JoinHandle;

/// The longest a background write waits for the requests' writes to pause.
pub const MAX_YIELD: Duration = Duration::from_secs(1);

tokio::task_local! {
    static BACKGROUND: ();
}

/// Runs `f` as background work: its writes yield to the requests'.
pub async fn background<F: Future>(f: F) -> F::Output {
    BACKGROUND.scope((), f).await
}

/// Spawns a background job (see [`background`]).
pub fn spawn_background<F>(f: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::spawn(background(f))
}

/// Whether the current task is background work.
pub fn is_background() -> bool {
    BACKGROUND.try_with(|_| ()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_mark_holds_inside_background_work_only() {
        assert!(!is_background());
        assert!(background(async { is_background() }).await);
        assert!(spawn_background(async { is_background() }).await.unwrap());
        assert!(!tokio::spawn(async { is_background() }).await.unwrap());
    }
}
