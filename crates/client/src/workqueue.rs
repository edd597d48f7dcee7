//! [`WorkQueue`]: the queue of keys (`namespace/name`) between a controller's event handlers and
//! its workers. Handlers add a key whenever something about its object changes; workers take
//! keys, sync the object, and mark them done. The queue makes that safe and cheap, as client-go's
//! `util/workqueue` does:
//!
//! - a key added many times before a worker takes it is processed once;
//! - a key is never processed by two workers at once: added again while being processed, it is
//!   handed out again only after [`WorkQueue::done`];
//! - failed keys come back later ([`WorkQueue::add_rate_limited`]), each after its own
//!   exponential backoff combined with an overall rate limit, until [`WorkQueue::forget`];
//! - [`WorkQueue::shut_down`] lets workers drain what is queued and then see `None`.

use crate::token_bucket::TokenBucket;
use prometheus::{IntCounterVec, IntGaugeVec, Opts, Registry};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;

/// Upstream's per-key backoff of the default controller rate limiter: the first retry waits
/// this long, and every further failure doubles it.
pub const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(5);
/// The longest per-key backoff of the default controller rate limiter.
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(1000);
/// The overall retry rate of the default controller rate limiter, across all keys.
pub const DEFAULT_QPS: f64 = 10.0;
/// How many retries the overall limit lets through at once.
pub const DEFAULT_BURST: u32 = 100;

/// Decides how long a failed key waits before it is retried.
pub trait RateLimiter<K>: Send + Sync {
    /// The wait before `key`'s next retry; counts as one more failure of it.
    fn when(&self, key: &K) -> Duration;
    /// Clears `key`'s failure history (it synced successfully, or was given up on).
    fn forget(&self, key: &K);
    /// How many times `key` has been retried since it was last forgotten.
    fn num_requeues(&self, key: &K) -> u32;
}

/// Per-key exponential backoff: `base * 2^failures`, at most `max` (upstream's
/// `ItemExponentialFailureRateLimiter`).
pub struct ItemExponentialBackoff<K> {
    base: Duration,
    max: Duration,
    failures: Mutex<HashMap<K, u32>>,
}

impl<K: Eq + Hash> ItemExponentialBackoff<K> {
    /// Backoff from `base` doubling to `max`.
    pub fn new(base: Duration, max: Duration) -> Self {
        ItemExponentialBackoff { base, max, failures: Mutex::new(HashMap::new()) }
    }
}

impl<K: Eq + Hash + Clone + Send> RateLimiter<K> for ItemExponentialBackoff<K> {
    fn when(&self, key: &K) -> Duration {
        let mut failures = self.failures.lock().expect("backoff lock");
        let count = failures.entry(key.clone()).or_insert(0);
        let exponent = *count;
        *count = count.saturating_add(1);
        let factor = 2f64.powi(exponent.min(1024) as i32);
        let delay = self.base.as_secs_f64() * factor;
        if delay >= self.max.as_secs_f64() { self.max } else { Duration::from_secs_f64(delay) }
    }

    fn forget(&self, key: &K) {
        self.failures.lock().expect("backoff lock").remove(key);
    }

    fn num_requeues(&self, key: &K) -> u32 {
        self.failures.lock().expect("backoff lock").get(key).copied().unwrap_or(0)
    }
}

/// One token bucket for all keys, so a storm of failures cannot retry faster than `qps` overall
/// (upstream's `BucketRateLimiter`).
pub struct OverallRateLimiter {
    bucket: Mutex<TokenBucket>,
}

impl OverallRateLimiter {
    /// At most `qps` retries a second after an initial `burst`.
    pub fn new(qps: f64, burst: u32) -> Self {
        OverallRateLimiter { bucket: Mutex::new(TokenBucket::new(qps, burst, Instant::now())) }
    }
}

impl<K> RateLimiter<K> for OverallRateLimiter {
    fn when(&self, _key: &K) -> Duration {
        self.bucket.lock().expect("bucket lock").reserve(Instant::now())
    }

    fn forget(&self, _key: &K) {}

    fn num_requeues(&self, _key: &K) -> u32 {
        0
    }
}

/// The longest wait any of several limiters asks for (upstream's `MaxOfRateLimiter`).
pub struct MaxOf<K> {
    limiters: Vec<Box<dyn RateLimiter<K>>>,
}

impl<K> MaxOf<K> {
    /// Combines `limiters`; each sees every failure.
    pub fn new(limiters: Vec<Box<dyn RateLimiter<K>>>) -> Self {
        MaxOf { limiters }
    }
}

impl<K> RateLimiter<K> for MaxOf<K> {
    fn when(&self, key: &K) -> Duration {
        self.limiters.iter().map(|limiter| limiter.when(key)).max().unwrap_or_default()
    }

    fn forget(&self, key: &K) {
        self.limiters.iter().for_each(|limiter| limiter.forget(key));
    }

    fn num_requeues(&self, key: &K) -> u32 {
        self.limiters.iter().map(|limiter| limiter.num_requeues(key)).max().unwrap_or(0)
    }
}

/// Upstream's `DefaultControllerRateLimiter`: per-key backoff from 5 ms doubling to 1000 s, and
/// overall 10 retries a second with bursts of 100, whichever waits longer.
pub fn default_rate_limiter<K: Eq + Hash + Clone + Send + 'static>() -> MaxOf<K> {
    MaxOf::new(vec![
        Box::new(ItemExponentialBackoff::new(DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY)),
        Box::new(OverallRateLimiter::new(DEFAULT_QPS, DEFAULT_BURST)),
    ])
}

/// Queue metrics under upstream's names (`workqueue_depth`, `workqueue_adds_total`,
/// `workqueue_retries_total`), labelled by queue name, so a component's `/metrics` shows how its
/// controllers keep up.
#[derive(Clone)]
pub struct QueueMetrics {
    depth: IntGaugeVec,
    adds: IntCounterVec,
    retries: IntCounterVec,
}

impl QueueMetrics {
    /// Creates the metrics and registers them in `registry` (once per registry).
    pub fn register(registry: &Registry) -> prometheus::Result<Self> {
        let depth = IntGaugeVec::new(
            Opts::new("workqueue_depth", "Current depth of workqueue"),
            &["name"],
        )?;
        let adds = IntCounterVec::new(
            Opts::new("workqueue_adds_total", "Total number of adds handled by workqueue"),
            &["name"],
        )?;
        let retries = IntCounterVec::new(
            Opts::new("workqueue_retries_total", "Total number of retries handled by workqueue"),
            &["name"],
        )?;
        registry.register(Box::new(depth.clone()))?;
        registry.register(Box::new(adds.clone()))?;
        registry.register(Box::new(retries.clone()))?;
        Ok(QueueMetrics { depth, adds, retries })
    }
}

/// One queue's series of [`QueueMetrics`].
struct NamedMetrics {
    depth: prometheus::IntGauge,
    adds: prometheus::IntCounter,
    retries: prometheus::IntCounter,
}

/// A rate-limited, deduplicating queue of keys shared by a controller's handlers and workers;
/// cheap to clone, all clones are the same queue.
pub struct WorkQueue<K> {
    shared: Arc<Shared<K>>,
}

impl<K> Clone for WorkQueue<K> {
    fn clone(&self) -> Self {
        WorkQueue { shared: self.shared.clone() }
    }
}

struct Shared<K> {
    state: Mutex<State<K>>,
    /// Woken when a key becomes available, and (all waiters) on shut-down.
    ready: Notify,
    /// Woken when no key is being processed any more.
    idle: Notify,
    /// Wakes the delayed-add task: a new delayed key, shut-down, or the queue being dropped.
    delayed_changed: Arc<Notify>,
    rate_limiter: Box<dyn RateLimiter<K>>,
    metrics: Option<NamedMetrics>,
}

struct State<K> {
    /// Keys waiting for a worker, in order.
    queue: VecDeque<K>,
    /// Keys that need processing: queued, or added again while being processed.
    dirty: HashSet<K>,
    /// Keys a worker holds.
    processing: HashSet<K>,
    shutting_down: bool,
    /// Keys added with a delay, by when they are due (with a sequence number for ties).
    delayed: BTreeMap<(Instant, u64), K>,
    delayed_due: HashMap<K, (Instant, u64)>,
    next_sequence: u64,
    delayed_task_started: bool,
}

impl<K: Eq + Hash + Clone + Send + Sync + 'static> Default for WorkQueue<K> {
    fn default() -> Self {
        WorkQueue::new(default_rate_limiter())
    }
}

impl<K: Eq + Hash + Clone + Send + Sync + 'static> WorkQueue<K> {
    /// A queue whose retries `rate_limiter` paces ([`default_rate_limiter`] for controllers).
    pub fn new(rate_limiter: impl RateLimiter<K> + 'static) -> Self {
        WorkQueue::build(Box::new(rate_limiter), None)
    }

    /// A queue reporting its depth, adds and retries as `name` in `metrics`.
    pub fn with_metrics(
        name: &str,
        rate_limiter: impl RateLimiter<K> + 'static,
        metrics: &QueueMetrics,
    ) -> Self {
        let named = NamedMetrics {
            depth: metrics.depth.with_label_values(&[name]),
            adds: metrics.adds.with_label_values(&[name]),
            retries: metrics.retries.with_label_values(&[name]),
        };
        WorkQueue::build(Box::new(rate_limiter), Some(named))
    }

    fn build(rate_limiter: Box<dyn RateLimiter<K>>, metrics: Option<NamedMetrics>) -> Self {
        let state = State {
            queue: VecDeque::new(),
            dirty: HashSet::new(),
            processing: HashSet::new(),
            shutting_down: false,
            delayed: BTreeMap::new(),
            delayed_due: HashMap::new(),
            next_sequence: 0,
            delayed_task_started: false,
        };
        WorkQueue {
            shared: Arc::new(Shared {
                state: Mutex::new(state),
                ready: Notify::new(),
                idle: Notify::new(),
                delayed_changed: Arc::new(Notify::new()),
                rate_limiter,
                metrics,
            }),
        }
    }

    /// Marks `key` as needing processing. Does nothing after shut-down, or when `key` is
    /// already waiting; a key being processed is handed out again after its `done`.
    pub fn add(&self, key: K) {
        let mut state = self.shared.lock();
        if self.shared.enqueue(&mut state, key) {
            drop(state);
            self.shared.ready.notify_one();
        }
    }

    /// Adds `key` once `delay` has passed (at once for a zero delay). A key already waiting for
    /// a later time is moved to the earlier one. Needs a tokio runtime.
    pub fn add_after(&self, key: K, delay: Duration) {
        if delay.is_zero() {
            return self.add(key);
        }
        let due = Instant::now() + delay;
        let mut state = self.shared.lock();
        if state.shutting_down {
            return;
        }
        if let Some(&(existing, sequence)) = state.delayed_due.get(&key) {
            if existing <= due {
                return;
            }
            state.delayed.remove(&(existing, sequence));
        }
        let sequence = state.next_sequence;
        state.next_sequence += 1;
        state.delayed.insert((due, sequence), key.clone());
        state.delayed_due.insert(key, (due, sequence));
        if !state.delayed_task_started {
            state.delayed_task_started = true;
            tokio::spawn(add_when_due(Arc::downgrade(&self.shared), self.delayed_changed()));
        }
        drop(state);
        self.shared.delayed_changed.notify_one();
    }

    /// Adds `key` after the rate limiter's wait for it: its own backoff, which grows with every
    /// call until [`WorkQueue::forget`], or the overall limit, whichever is longer.
    pub fn add_rate_limited(&self, key: K) {
        let delay = self.shared.rate_limiter.when(&key);
        if let Some(metrics) = &self.shared.metrics {
            metrics.retries.inc();
        }
        self.add_after(key, delay);
    }

    /// Clears `key`'s backoff; call it when the key synced (or will not be retried).
    pub fn forget(&self, key: &K) {
        self.shared.rate_limiter.forget(key);
    }

    /// How many times `key` has been rate-limited since it was last forgotten.
    pub fn num_requeues(&self, key: &K) -> u32 {
        self.shared.rate_limiter.num_requeues(key)
    }

    /// Waits for a key to process and hands it to this caller alone, until its
    /// [`WorkQueue::done`]. `None` once the queue is shut down and drained.
    pub async fn get(&self) -> Option<K> {
        loop {
            let notified = self.shared.ready.notified();
            tokio::pin!(notified);
            {
                let mut state = self.shared.lock();
                if let Some(key) = state.queue.pop_front() {
                    state.dirty.remove(&key);
                    state.processing.insert(key.clone());
                    self.shared.record_depth(&state);
                    return Some(key);
                }
                if state.shutting_down {
                    return None;
                }
                // Registered before the lock is released, so an add in between still wakes us.
                notified.as_mut().enable();
            }
            notified.await;
        }
    }

    /// Marks `key` processed; if it was added again meanwhile, it is queued again now.
    pub fn done(&self, key: &K) {
        let mut state = self.shared.lock();
        state.processing.remove(key);
        if state.dirty.contains(key) {
            state.queue.push_back(key.clone());
            self.shared.record_depth(&state);
            drop(state);
            self.shared.ready.notify_one();
        } else if state.processing.is_empty() {
            drop(state);
            self.shared.idle.notify_waiters();
        }
    }

    /// How many keys wait for a worker (not counting delayed keys or keys being processed).
    pub fn len(&self) -> usize {
        self.shared.lock().queue.len()
    }

    /// Whether no key waits for a worker.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Stops accepting keys and drops delayed ones; workers still get what is queued, then
    /// `None`.
    pub fn shut_down(&self) {
        let mut state = self.shared.lock();
        state.shutting_down = true;
        state.delayed.clear();
        state.delayed_due.clear();
        drop(state);
        self.shared.ready.notify_waiters();
        self.shared.delayed_changed.notify_one();
    }

    /// Shuts down, then waits until no key is being processed.
    pub async fn shut_down_with_drain(&self) {
        self.shut_down();
        loop {
            let idle = self.shared.idle.notified();
            tokio::pin!(idle);
            {
                let state = self.shared.lock();
                if state.processing.is_empty() {
                    return;
                }
                idle.as_mut().enable();
            }
            idle.await;
        }
    }

    /// Whether [`WorkQueue::shut_down`] was called.
    pub fn is_shutting_down(&self) -> bool {
        self.shared.lock().shutting_down
    }

    fn delayed_changed(&self) -> Arc<Notify> {
        self.shared.delayed_changed.clone()
    }
}

impl<K: Eq + Hash + Clone> Shared<K> {
    fn lock(&self) -> std::sync::MutexGuard<'_, State<K>> {
        self.state.lock().expect("workqueue lock")
    }

    /// Marks `key` dirty and queues it unless it is already dirty or being processed; says
    /// whether it was queued (so a worker should be woken).
    fn enqueue(&self, state: &mut State<K>, key: K) -> bool {
        if state.shutting_down || state.dirty.contains(&key) {
            return false;
        }
        if let Some(metrics) = &self.metrics {
            metrics.adds.inc();
        }
        state.dirty.insert(key.clone());
        if state.processing.contains(&key) {
            return false;
        }
        state.queue.push_back(key);
        self.record_depth(state);
        true
    }

    fn record_depth(&self, state: &State<K>) {
        if let Some(metrics) = &self.metrics {
            metrics.depth.set(state.queue.len() as i64);
        }
    }
}

impl<K> Drop for Shared<K> {
    fn drop(&mut self) {
        // Lets the delayed-add task see the queue is gone.
        self.delayed_changed.notify_one();
    }
}

/// Moves delayed keys into the queue as they fall due. Holds the queue weakly, so dropping every
/// handle ends it; shut-down ends it too.
async fn add_when_due<K: Eq + Hash + Clone>(queue: Weak<Shared<K>>, changed: Arc<Notify>) {
    loop {
        let next_due = {
            let Some(shared) = queue.upgrade() else { return };
            let mut state = shared.lock();
            if state.shutting_down {
                return;
            }
            let now = Instant::now();
            let mut woke = 0;
            while let Some(entry) = state.delayed.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                let key = entry.remove();
                state.delayed_due.remove(&key);
                if shared.enqueue(&mut state, key) {
                    woke += 1;
                }
            }
            let next_due = state.delayed.keys().next().map(|(due, _)| *due);
            drop(state);
            for _ in 0..woke {
                shared.ready.notify_one();
            }
            next_due
        };
        match next_due {
            Some(due) => {
                tokio::select! {
                    _ = tokio::time::sleep_until(due) => {}
                    _ = changed.notified() => {}
                }
            }
            None => changed.notified().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn queue() -> WorkQueue<String> {
        WorkQueue::default()
    }

    async fn next(queue: &WorkQueue<String>) -> String {
        tokio::time::timeout(Duration::from_secs(5), queue.get())
            .await
            .expect("a key within 5s")
            .expect("queue not shut down")
    }

    #[tokio::test]
    async fn keys_added_before_processing_are_processed_once() {
        let queue = queue();
        for key in ["default/a", "default/b", "default/a", "default/a", "default/b"] {
            queue.add(key.to_string());
        }
        assert_eq!(queue.len(), 2);
        assert_eq!(next(&queue).await, "default/a");
        assert_eq!(next(&queue).await, "default/b");
        assert!(queue.is_empty());
        queue.done(&"default/a".to_string());
        queue.done(&"default/b".to_string());
        assert!(queue.is_empty(), "done requeues only keys added again");
    }

    #[tokio::test]
    async fn a_key_added_while_processing_waits_for_done() {
        let queue = queue();
        queue.add("a".to_string());
        let key = next(&queue).await;
        queue.add("a".to_string());
        queue.add("a".to_string());
        assert_eq!(queue.len(), 0, "not handed to a second worker while held");
        queue.done(&key);
        assert_eq!(queue.len(), 1);
        assert_eq!(next(&queue).await, "a");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_key_is_ever_held_by_two_workers() {
        let queue = queue();
        let held: Arc<Mutex<HashSet<String>>> = Arc::default();
        let processed = Arc::new(AtomicUsize::new(0));
        let mut workers = Vec::new();
        for _ in 0..8 {
            let (queue, held, processed) = (queue.clone(), held.clone(), processed.clone());
            workers.push(tokio::spawn(async move {
                while let Some(key) = queue.get().await {
                    assert!(held.lock().unwrap().insert(key.clone()), "{key} held twice");
                    tokio::task::yield_now().await;
                    tokio::time::sleep(Duration::from_micros(200)).await;
                    held.lock().unwrap().remove(&key);
                    processed.fetch_add(1, Ordering::SeqCst);
                    queue.done(&key);
                }
            }));
        }
        for round in 0..200 {
            queue.add(format!("key-{}", round % 5));
            if round % 10 == 0 {
                tokio::task::yield_now().await;
            }
        }
        // Wait until everything added has been processed, then stop the workers.
        tokio::time::timeout(Duration::from_secs(10), async {
            while !(queue.is_empty() && queue.shared.lock().processing.is_empty()) {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await
        .unwrap();
        queue.shut_down_with_drain().await;
        for worker in workers {
            worker.await.unwrap();
        }
        let processed = processed.load(Ordering::SeqCst);
        assert!((5..=200).contains(&processed), "{processed}");
    }

    #[tokio::test(start_paused = true)]
    async fn backoff_doubles_per_failure_until_forgotten() {
        let queue = queue();
        let key = "default/web".to_string();
        let mut waits = Vec::new();
        for _ in 0..4 {
            let start = Instant::now();
            queue.add_rate_limited(key.clone());
            assert_eq!(next(&queue).await, key);
            waits.push(start.elapsed());
            queue.done(&key);
        }
        assert_eq!(waits, [5, 10, 20, 40].map(Duration::from_millis));
        assert_eq!(queue.num_requeues(&key), 4);
        queue.forget(&key);
        assert_eq!(queue.num_requeues(&key), 0);
        let start = Instant::now();
        queue.add_rate_limited(key.clone());
        assert_eq!(next(&queue).await, key);
        assert_eq!(start.elapsed(), Duration::from_millis(5));

        let backoff = ItemExponentialBackoff::new(DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY);
        let last = (0..40).map(|_| backoff.when(&"k")).last().unwrap();
        assert_eq!(last, DEFAULT_MAX_DELAY);
    }

    #[tokio::test(start_paused = true)]
    async fn the_overall_limit_applies_once_the_burst_is_spent() {
        let limiter = default_rate_limiter::<String>();
        // 100 distinct first failures pass at the per-key 5 ms; the 101st waits for a token.
        for index in 0..100 {
            assert_eq!(limiter.when(&format!("k{index}")), Duration::from_millis(5));
        }
        assert_eq!(limiter.when(&"k100".to_string()), Duration::from_millis(100));
        assert_eq!(limiter.when(&"k101".to_string()), Duration::from_millis(200));
    }

    #[tokio::test(start_paused = true)]
    async fn delayed_keys_come_in_due_order_and_the_earliest_delay_wins() {
        let queue = queue();
        let start = Instant::now();
        queue.add_after("late".to_string(), Duration::from_secs(3));
        queue.add_after("early".to_string(), Duration::from_secs(1));
        queue.add_after("moved".to_string(), Duration::from_secs(10));
        queue.add_after("moved".to_string(), Duration::from_secs(2));
        queue.add_after("moved".to_string(), Duration::from_secs(5));
        assert!(queue.is_empty());
        for (key, at) in [("early", 1), ("moved", 2), ("late", 3)] {
            assert_eq!(next(&queue).await, key);
            assert_eq!(start.elapsed(), Duration::from_secs(at));
            queue.done(&key.to_string());
        }
        tokio::time::sleep(Duration::from_secs(20)).await;
        assert!(queue.is_empty(), "a moved key is added once");
    }

    #[tokio::test(start_paused = true)]
    async fn shut_down_drains_then_ends_every_worker() {
        let queue = queue();
        queue.add("a".to_string());
        queue.add("b".to_string());
        queue.add_after("delayed".to_string(), Duration::from_secs(1));
        let waiting = {
            let queue = queue.clone();
            tokio::spawn(async move { (queue.get().await, queue.get().await, queue.get().await) })
        };
        tokio::task::yield_now().await;
        queue.shut_down();
        queue.add("after".to_string());
        let (first, second, third) = waiting.await.unwrap();
        assert_eq!((first.as_deref(), second.as_deref(), third), (Some("a"), Some("b"), None));
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert!(queue.get().await.is_none(), "delayed keys are dropped at shut-down");
    }

    #[tokio::test]
    async fn metrics_follow_depth_adds_and_retries() {
        let registry = Registry::new();
        let metrics = QueueMetrics::register(&registry).unwrap();
        let queue = WorkQueue::with_metrics("deployment", default_rate_limiter(), &metrics);
        queue.add("a".to_string());
        queue.add("a".to_string());
        queue.add("b".to_string());
        assert_eq!(metrics.depth.with_label_values(&["deployment"]).get(), 2);
        assert_eq!(metrics.adds.with_label_values(&["deployment"]).get(), 2);
        let key = next(&queue).await;
        assert_eq!(metrics.depth.with_label_values(&["deployment"]).get(), 1);
        queue.done(&key);
        queue.add_rate_limited(key);
        assert_eq!(metrics.retries.with_label_values(&["deployment"]).get(), 1);
    }
}
