//! The queue of pods waiting for a node (book 6.4.2's `PodQueue`, with today's backoff): new
//! pods are tried in arrival order; a pod that could not be placed waits out a backoff (1 s
//! doubling to 10 s) before it is tried again, or is retried at once when the cluster changes
//! in a way that may let it fit (a node added or changed).
//!
//! A pod is in the queue from the moment it is seen unscheduled until it is bound or deleted:
//! while it is being scheduled or bound it is *in flight* and not handed out again, and updates
//! to it (such as our own `PodScheduled` condition) only refresh the object kept.

use api_types::api::core::v1::Pod;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;

/// The first retry's wait.
pub const INITIAL_BACKOFF: Duration = Duration::from_secs(1);
/// The longest wait between retries.
pub const MAX_BACKOFF: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    /// Waiting its turn.
    Active,
    /// Being scheduled or bound.
    InFlight,
    /// Failed; tried again at this instant (or sooner, when the cluster changes).
    Backoff(Instant),
}

struct Entry {
    pod: Arc<Pod>,
    state: State,
    attempts: u32,
}

#[derive(Default)]
struct Inner {
    /// Keys in arrival order; a key whose entry is not `Active` any more is skipped.
    order: VecDeque<String>,
    entries: HashMap<String, Entry>,
    closed: bool,
}

/// Pods waiting to be scheduled; see the module documentation.
#[derive(Default)]
pub struct SchedulingQueue {
    inner: Mutex<Inner>,
    ready: Notify,
}

/// A pod handed out by [`SchedulingQueue::pop`], with how often it failed before.
#[derive(Clone, Debug)]
pub struct Popped {
    pub key: String,
    pub pod: Arc<Pod>,
    pub attempts: u32,
}

/// The wait after `attempts` failures.
pub fn backoff(attempts: u32) -> Duration {
    let doublings = attempts.saturating_sub(1).min(16);
    (INITIAL_BACKOFF * 2u32.pow(doublings)).min(MAX_BACKOFF)
}

/// `namespace/name`.
pub fn pod_key(pod: &Pod) -> String {
    format!("{}/{}", pod.metadata.namespace, pod.metadata.name)
}

impl SchedulingQueue {
    /// An empty queue.
    pub fn new() -> SchedulingQueue {
        SchedulingQueue::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A pod seen without a node: queued if new, else its object refreshed where it is.
    pub fn add(&self, pod: Arc<Pod>) {
        let key = pod_key(&pod);
        let mut inner = self.lock();
        match inner.entries.get_mut(&key) {
            Some(entry) => entry.pod = pod,
            None => {
                inner.entries.insert(key.clone(), Entry { pod, state: State::Active, attempts: 0 });
                inner.order.push_back(key);
                drop(inner);
                self.ready.notify_one();
            }
        }
    }

    /// A pod bound (by us or anyone) or deleted: no longer waiting.
    pub fn remove(&self, key: &str) {
        self.lock().entries.remove(key);
    }

    /// The next pod to schedule, in flight until [`done`](Self::done) or
    /// [`failed`](Self::failed); `None` once shut down.
    pub async fn pop(&self) -> Option<Popped> {
        loop {
            let notified = self.ready.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut inner = self.lock();
                if inner.closed {
                    return None;
                }
                while let Some(key) = inner.order.pop_front() {
                    if let Some(entry) = inner.entries.get_mut(&key)
                        && entry.state == State::Active
                    {
                        entry.state = State::InFlight;
                        let popped =
                            Popped { pod: entry.pod.clone(), attempts: entry.attempts, key };
                        return Some(popped);
                    }
                }
            }
            notified.await;
        }
    }

    /// The pod was bound: it leaves the queue.
    pub fn done(&self, key: &str) {
        self.remove(key);
    }

    /// The pod could not be scheduled or bound: it waits out its backoff. A pod deleted or
    /// bound meanwhile stays gone.
    pub fn failed(&self, key: &str) {
        let mut inner = self.lock();
        if let Some(entry) = inner.entries.get_mut(key) {
            entry.attempts += 1;
            entry.state = State::Backoff(Instant::now() + backoff(entry.attempts));
        }
    }

    /// Queues every pod whose backoff has passed; returns how many.
    pub fn flush_backoff(&self) -> usize {
        let now = Instant::now();
        self.activate(|until| until <= now)
    }

    /// Queues every backing-off pod at once (something changed that may let them fit).
    pub fn move_all_to_active(&self) -> usize {
        self.activate(|_| true)
    }

    fn activate(&self, due: impl Fn(Instant) -> bool) -> usize {
        let mut inner = self.lock();
        let Inner { order, entries, .. } = &mut *inner;
        let mut moved = 0;
        for (key, entry) in entries.iter_mut() {
            if let State::Backoff(until) = entry.state
                && due(until)
            {
                entry.state = State::Active;
                order.push_back(key.clone());
                moved += 1;
            }
        }
        drop(inner);
        if moved > 0 {
            self.ready.notify_waiters();
            self.ready.notify_one();
        }
        moved
    }

    /// Pods waiting for a node, in any state.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether no pod is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Ends [`pop`](Self::pop) for every caller.
    pub fn shut_down(&self) {
        self.lock().closed = true;
        self.ready.notify_waiters();
        self.ready.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str) -> Arc<Pod> {
        Arc::new(
            serde_json::from_value(json!({"metadata": {"name": name, "namespace": "ns"}})).unwrap(),
        )
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        assert_eq!(backoff(1), Duration::from_secs(1));
        assert_eq!(backoff(3), Duration::from_secs(4));
        assert_eq!(backoff(5), MAX_BACKOFF);
        assert_eq!(backoff(100), MAX_BACKOFF);
    }

    #[tokio::test]
    async fn pods_come_out_in_order_once_until_they_fail_or_are_done() {
        let queue = SchedulingQueue::new();
        queue.add(pod("a"));
        queue.add(pod("b"));
        queue.add(pod("a"));
        let first = queue.pop().await.unwrap();
        assert_eq!((first.key.as_str(), first.attempts), ("ns/a", 0));
        queue.add(pod("a")); // an update while in flight is not a second entry
        assert_eq!(queue.pop().await.unwrap().key, "ns/b");
        queue.done("ns/b");
        queue.failed("ns/a");
        assert_eq!(queue.len(), 1);
        assert_eq!(queue.flush_backoff(), 0, "still backing off");
        assert_eq!(queue.move_all_to_active(), 1);
        let again = queue.pop().await.unwrap();
        assert_eq!((again.key.as_str(), again.attempts), ("ns/a", 1));
        queue.remove("ns/a");
        queue.failed("ns/a");
        assert!(queue.is_empty(), "a deleted pod is not brought back");
    }

    #[tokio::test]
    async fn backoff_expires_and_shutdown_wakes_waiters() {
        let queue = Arc::new(SchedulingQueue::new());
        queue.add(pod("a"));
        let popped = queue.pop().await.unwrap();
        queue.failed(&popped.key);
        tokio::time::sleep(INITIAL_BACKOFF + Duration::from_millis(20)).await;
        assert_eq!(queue.flush_backoff(), 1);
        assert_eq!(queue.pop().await.unwrap().attempts, 1);
        let waiter = tokio::spawn({
            let queue = queue.clone();
            async move { queue.pop().await.is_none() }
        });
        tokio::task::yield_now().await;
        queue.shut_down();
        assert!(waiter.await.unwrap());
    }
}
