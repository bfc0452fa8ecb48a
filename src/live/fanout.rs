//! The fan-out runtime: where the WebSocket sessions run, apart from the runtime that serves
//! requests and commits writes.
//!
//! Ten thousand sessions each woken for every event keep a runtime's run queues full; a request
//! that files a ticket, sharing those queues, waits behind them at every `.await` (the body, the
//! writer, the commit, the index). On a runtime of their own, on threads the kernel runs only
//! when nothing else wants the CPU (Linux `SCHED_IDLE`; elsewhere, or where it is refused, nice
//! [`NICE`]), the sessions take the CPU the request path leaves: a request thread that wakes
//! preempts a session thread at once, and a session only delays events, never loses them (the
//! hub buffers them per subscriber up to its channel capacity). Niceness alone was not enough:
//! a niced thread keeps its core for its time slice, a few milliseconds, which is a POST's whole
//! budget (`docs/BENCHMARKS.md`, intake under ten thousand viewers).
//!
//! The sockets stay registered with the serving runtime's I/O driver (they were accepted
//! there); a session on the fan-out runtime writes to its socket directly and is woken by that
//! driver when a full socket drains. `threads = 0` keeps the sessions on the serving runtime.

use std::future::Future;

use tokio::runtime::{Builder, Handle, Runtime};

/// The niceness of the fan-out threads where `SCHED_IDLE` is not available (0 is normal, 19
/// the lowest priority).
pub const NICE: i32 = 10;

/// The fan-out runtime, if the instance has one (shut down when dropped, without waiting for
/// its sessions: their sockets close with the server).
#[derive(Debug)]
pub struct Fanout {
    runtime: Option<Runtime>,
}

impl Fanout {
    /// A runtime of `threads` workers at a lower priority; `0`: none (sessions run where they
    /// are spawned).
    pub fn new(threads: usize) -> std::io::Result<Self> {
        if threads == 0 {
            return Ok(Self { runtime: None });
        }
        let runtime = Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("fanout")
            .on_thread_start(lower_priority)
            .enable_all()
            .build()?;
        Ok(Self { runtime: Some(runtime) })
    }

    /// Runs a session on the fan-out runtime (or on the current one without it).
    pub fn spawn<F>(&self, session: F) -> tokio::task::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match &self.runtime {
            Some(rt) => rt.spawn(session),
            None => Handle::current().spawn(session),
        }
    }

    /// Where [`Self::spawn`] runs a task: the fan-out runtime, or the current one without it.
    pub fn handle(&self) -> Handle {
        self.runtime.as_ref().map_or_else(Handle::current, |rt| rt.handle().clone())
    }

    /// Whether sessions run on a runtime of their own.
    pub fn is_separate(&self) -> bool {
        self.runtime.is_some()
    }
}

impl Drop for Fanout {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which an async context forbids.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// The default number of fan-out threads: one per CPU.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Puts the calling thread in Linux's `SCHED_IDLE` class (per thread), or, where that is
/// refused, lowers its priority to [`NICE`]. Best effort: where both are refused, the thread
/// keeps the normal priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid, sched_setscheduler and setpriority take plain integers and a pointer to a
    // local that outlives the call.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        if libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0 {
            libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, NICE);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the calling thread is in `SCHED_IDLE`.
    fn idle_class() -> bool {
        #[cfg(target_os = "linux")]
        // SAFETY: a plain integer in and out.
        return unsafe { libc::sched_getscheduler(0) } == libc::SCHED_IDLE;
        #[cfg(not(target_os = "linux"))]
        false
    }

    #[tokio::test]
    async fn sessions_run_on_idle_priority_threads_of_their_own() {
        let fanout = Fanout::new(1).unwrap();
        assert!(fanout.is_separate());
        let (name, idle) =
            fanout.spawn(async { (std::thread::current().name().map(str::to_owned), idle_class()) }).await.unwrap();
        assert_eq!(name.as_deref(), Some("fanout"));
        if cfg!(target_os = "linux") {
            assert!(idle, "a session thread runs only when nothing else wants the CPU");
            assert!(!idle_class(), "the caller's own thread is untouched");
        }
        let here = Fanout::new(0).unwrap();
        assert!(!here.is_separate());
        assert_ne!(
            here.spawn(async { std::thread::current().name().map(str::to_owned) }).await.unwrap().as_deref(),
            Some("fanout")
        );
    }
}
