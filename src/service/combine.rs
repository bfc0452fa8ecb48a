//! Concurrent calls combined into one: callers queue their items, and whoever's turn it is runs
//! everything queued at once (up to a bound), while the others wait for their answer. Filing
//! uses it to write the tickets that arrive together in one transaction of a few statements,
//! instead of one transaction of many statements each (see [`super::Tickets::create_ticket`]).
//!
//! - A run takes queued items in order up to a bound on their total weight (always at least
//!   one): filing weighs a caller by its tickets, so a batch of a hundred counts as a hundred.
//! - Turns are taken in arrival order (a fair lock); a caller whose item was answered while it
//!   waited returns at once, without taking a turn.
//! - A run happens on a task of its own, holding the turn until it has answered its items, so a
//!   caller that goes away (a cancelled request) stops neither its own item nor the others'.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

/// A queue of items waiting to be run together. `T` carries the sender its answer goes to.
#[derive(Debug)]
pub struct Combiner<T> {
    /// Items not taken by a run yet. A std lock: held only to push or take, never across
    /// `.await`.
    queue: Mutex<VecDeque<T>>,
    /// Held by the run in progress (and by whoever is taking the next batch).
    turn: Arc<tokio::sync::Mutex<()>>,
    /// Most weight one run takes (at least one item).
    max: usize,
    /// An item's weight.
    weight: fn(&T) -> usize,
}

impl<T: Send + 'static> Combiner<T> {
    /// At most `max` of `weight` a run, and at least one item.
    pub fn new(max: usize, weight: fn(&T) -> usize) -> Self {
        Self { queue: Mutex::default(), turn: Arc::default(), max: max.max(1), weight }
    }

    /// Queues `item` (whose answer comes on `answer`) and waits for the answer. When it is this
    /// caller's turn and its item is still queued, it takes what is queued (in order, up to
    /// `max` of weight) and runs `run` on it; `run` must answer every item it is given. `None` if the
    /// item was dropped unanswered (its run panicked).
    pub async fn submit<R, F, Fut>(&self, item: T, mut answer: oneshot::Receiver<R>, run: F) -> Option<R>
    where
        F: Fn(Vec<T>) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.queue.lock().expect("combiner queue").push_back(item);
        loop {
            let turn = tokio::select! {
                biased;
                r = &mut answer => return r.ok(),
                turn = self.turn.clone().lock_owned() => turn,
            };
            match answer.try_recv() {
                Ok(r) => return Some(r),
                Err(oneshot::error::TryRecvError::Closed) => return None,
                Err(oneshot::error::TryRecvError::Empty) => {}
            }
            let batch: Vec<T> = {
                let mut queue = self.queue.lock().expect("combiner queue");
                let mut total = 0;
                let n = queue
                    .iter()
                    .take_while(|item| {
                        total += (self.weight)(item);
                        total <= self.max
                    })
                    .count()
                    .max(1)
                    .min(queue.len());
                queue.drain(..n).collect()
            };
            if batch.is_empty() {
                // Taken by a run that ended without answering it.
                return None;
            }
            let job = run(batch);
            // The turn goes with the run: the next caller waits until it has answered.
            let _ = tokio::spawn(async move {
                job.await;
                drop(turn);
            })
            .await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    type Item = (u32, oneshot::Sender<u32>);

    /// Doubles every item; counts runs and the largest batch.
    fn runner(
        runs: Arc<AtomicUsize>,
        largest: Arc<AtomicUsize>,
    ) -> impl Fn(Vec<Item>) -> futures_util::future::BoxFuture<'static, ()> {
        move |batch: Vec<Item>| {
            let (runs, largest) = (runs.clone(), largest.clone());
            Box::pin(async move {
                runs.fetch_add(1, Ordering::SeqCst);
                largest.fetch_max(batch.len(), Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(5)).await;
                for (x, tx) in batch {
                    let _ = tx.send(x * 2);
                }
            })
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn calls_that_arrive_together_share_runs_and_each_gets_its_own_answer() {
        let combiner = Arc::new(Combiner::new(16, |_| 1));
        let (runs, largest) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let tasks: Vec<_> = (0..200u32)
            .map(|x| {
                let (combiner, run) = (combiner.clone(), runner(runs.clone(), largest.clone()));
                tokio::spawn(async move {
                    let (tx, rx) = oneshot::channel();
                    (x, combiner.submit((x, tx), rx, run).await)
                })
            })
            .collect();
        for t in tasks {
            let (x, answer) = t.await.unwrap();
            assert_eq!(answer, Some(x * 2));
        }
        let runs = runs.load(Ordering::SeqCst);
        assert!(runs < 200, "calls were combined ({runs} runs for 200 calls)");
        assert!(largest.load(Ordering::SeqCst) <= 16, "no run takes more than the bound");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_run_takes_items_up_to_the_bound_on_their_weight_and_never_none() {
        // Items weigh their value: 40 + 50 fit in 100, the next 30 waits; 150 alone goes alone.
        let combiner = Combiner::<Item>::new(100, |(x, _)| *x as usize);
        let (runs, largest) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let mut waiting = Vec::new();
        for x in [40u32, 50, 30, 150] {
            let (tx, rx) = oneshot::channel();
            combiner.queue.lock().unwrap().push_back((x, tx));
            waiting.push((x, rx));
        }
        // The queued four are run by this caller's turns, in order: [40, 50], [30], [150], then its own.
        let (tx, rx) = oneshot::channel();
        assert_eq!(combiner.submit((0, tx), rx, runner(runs.clone(), largest.clone())).await, Some(0));
        for (x, rx) in waiting {
            assert_eq!(rx.await.unwrap(), x * 2);
        }
        assert_eq!(runs.load(Ordering::SeqCst), 4, "runs: [40, 50], [30], [150], [0]");
        assert_eq!(largest.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_caller_that_goes_away_does_not_stop_the_run_that_holds_the_others() {
        let combiner = Arc::new(Combiner::new(16, |_| 1));
        let (runs, largest) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        // The first caller takes the turn, then is cancelled while its run is under way.
        let (tx, rx) = oneshot::channel();
        let first = {
            let (combiner, run) = (combiner.clone(), runner(runs.clone(), largest.clone()));
            tokio::spawn(async move { combiner.submit((1, tx), rx, run).await })
        };
        tokio::time::sleep(Duration::from_millis(1)).await;
        let (tx2, rx2) = oneshot::channel();
        let second = {
            let (combiner, run) = (combiner.clone(), runner(runs.clone(), largest.clone()));
            tokio::spawn(async move { combiner.submit((2, tx2), rx2, run).await })
        };
        first.abort();
        assert_eq!(second.await.unwrap(), Some(4));
        assert!(combiner.queue.lock().unwrap().is_empty());
    }
}
