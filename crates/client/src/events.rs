//! [`EventRecorder`]: how components tell users what they did to an object (`kubectl describe`
//! shows it), as client-go's `tools/record` does for core/v1 Events.
//!
//! Recording never blocks or fails the caller: events go to a background writer, which first
//! correlates them so a component stuck in a loop cannot flood the apiserver:
//!
//! - a spam filter allows each source a burst of 25 events per object, refilled one per 5 minutes;
//! - once 10 events about one object differ only in their message within 10 minutes, further
//!   ones are folded into one "(combined from similar events)" Event;
//! - an event identical to one already written (same object, type, reason, message, source)
//!   bumps that Event's `count` and `lastTimestamp` with a PATCH instead of creating another.

use crate::api::Api;
use crate::client::Client;
use crate::error::Error;
use crate::token_bucket::TokenBucket;
use api_types::api::core::v1::{Event, EventSource, ObjectReference};
use api_types::meta::v1::{CreateOptions, ObjectMeta, PatchOptions, PatchType, Time};
use api_types::resource::Resource;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

/// Events waiting for the writer beyond this are dropped (with a warning), never waited for.
const QUEUE_LENGTH: usize = 1000;
/// How many sources+objects, aggregation groups and written events the correlator remembers.
const CACHE_ENTRIES: usize = 4096;
/// The spam filter's burst per source and object.
const SPAM_BURST: u32 = 25;
/// The spam filter's refill rate: one event every five minutes.
const SPAM_QPS: f64 = 1.0 / 300.0;
/// How many events differing only in message are written before they are combined.
const AGGREGATE_MAX_EVENTS: usize = 10;
/// How long a group of similar events is remembered after its last member.
const AGGREGATE_INTERVAL: Duration = Duration::from_secs(600);
/// How often a write that failed in transport is tried, and how long apart.
const MAX_TRIES: u32 = 12;
const RETRY_INTERVAL: Duration = Duration::from_secs(10);
/// Event writes under way at once (events of different objects and reasons go in parallel).
const CONCURRENT_WRITES: usize = 16;
/// The namespace of events about cluster-scoped objects.
const DEFAULT_NAMESPACE: &str = "default";

/// Whether an event is routine or needs attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    /// The wire value of `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// A reference to `object` for [`EventRecorder::record`].
pub fn object_reference<K: Resource>(object: &K) -> ObjectReference {
    let metadata = object.metadata();
    ObjectReference {
        kind: K::KIND.to_string(),
        api_version: K::API_VERSION.to_string(),
        namespace: metadata.namespace.clone(),
        name: metadata.name.clone(),
        uid: metadata.uid.clone(),
        resource_version: metadata.resource_version.clone(),
        ..Default::default()
    }
}

/// Records events for one source (component and, for node agents, host); cheap to clone, clones
/// share one background writer.
#[derive(Clone)]
pub struct EventRecorder {
    source: EventSource,
    commands: mpsc::Sender<Command>,
    /// The last name suffix handed out, so names stay unique within this process.
    last_suffix: Arc<AtomicI64>,
}

enum Command {
    Write(Box<Event>),
    Flush(oneshot::Sender<()>),
}

impl EventRecorder {
    /// A recorder writing through `client` as `source`; starts the writer, so it needs a tokio
    /// runtime. The writer stops once every clone is dropped.
    pub fn new(client: Client, source: EventSource) -> Self {
        let (commands, queue) = mpsc::channel(QUEUE_LENGTH);
        tokio::spawn(write_events(client, queue));
        EventRecorder { source, commands, last_suffix: Arc::default() }
    }

    /// Records that `reason` (a short CamelCase cause) happened to `object`, explained by
    /// `message`. Returns at once; the write happens in the background and its errors are
    /// logged.
    pub fn record(
        &self,
        object: &ObjectReference,
        type_: EventType,
        reason: &str,
        message: impl Into<String>,
    ) {
        let event = self.make_event(object, type_, reason, message.into());
        match self.commands.try_send(Command::Write(Box::new(event))) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::warn!(reason, object = %object.name, "event queue is full, dropping event");
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {
                tracing::warn!(reason, object = %object.name, "event writer stopped, dropping event");
            }
        }
    }

    /// Waits until every event recorded before this call has been written (or given up on):
    /// for a component about to exit, and for tests.
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.commands.send(Command::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }

    fn make_event(
        &self,
        object: &ObjectReference,
        type_: EventType,
        reason: &str,
        message: String,
    ) -> Event {
        let now = Time::now();
        let namespace =
            if object.namespace.is_empty() { DEFAULT_NAMESPACE } else { &object.namespace };
        Event {
            metadata: ObjectMeta {
                name: format!("{}.{:x}", object.name, self.next_suffix()),
                namespace: namespace.to_string(),
                ..Default::default()
            },
            involved_object: object.clone(),
            reason: reason.to_string(),
            message,
            source: self.source.clone(),
            first_timestamp: Some(now),
            last_timestamp: Some(now),
            count: 1,
            type_: type_.as_str().to_string(),
            reporting_component: self.source.component.clone(),
            reporting_instance: self.source.host.clone(),
            ..Default::default()
        }
    }

    /// The current time in nanoseconds, made strictly increasing.
    fn next_suffix(&self) -> i64 {
        let now = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0);
        let previous = self
            .last_suffix
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| Some(now.max(last + 1)))
            .expect("the update always succeeds");
        now.max(previous + 1)
    }
}

/// The background writer: correlates each event in order, then writes it, up to
/// [`CONCURRENT_WRITES`] at once; writes of one correlation key (an event and its repeats) stay
/// in order, one at a time, so a repeat's patch always finds the Event its first write created.
async fn write_events(client: Client, mut queue: mpsc::Receiver<Command>) {
    let mut correlator = Correlator::default();
    let mut writes = Writes::default();
    while let Some(command) = queue.recv().await {
        match command {
            Command::Write(event) => {
                let Some(correlated) = correlator.correlate(*event, Instant::now()) else {
                    continue;
                };
                while writes.busy.contains(&correlated.key)
                    || writes.in_flight.len() >= CONCURRENT_WRITES
                {
                    writes.settle_one(&mut correlator).await;
                }
                writes.start(client.clone(), correlated);
            }
            Command::Flush(done) => {
                while !writes.in_flight.is_empty() {
                    writes.settle_one(&mut correlator).await;
                }
                let _ = done.send(());
            }
        }
    }
    while !writes.in_flight.is_empty() {
        writes.settle_one(&mut correlator).await;
    }
}

/// The writes under way and the correlation keys they hold.
#[derive(Default)]
struct Writes {
    in_flight: tokio::task::JoinSet<Option<Event>>,
    /// The key each write task holds.
    keys: HashMap<tokio::task::Id, String>,
    busy: HashSet<String>,
}

impl Writes {
    fn start(&mut self, client: Client, correlated: Correlated) {
        let key = correlated.key.clone();
        let task = self.in_flight.spawn(async move { write_event(&client, &correlated).await });
        self.keys.insert(task.id(), key.clone());
        self.busy.insert(key);
    }

    /// Waits for one write to finish and records what the server stored.
    async fn settle_one(&mut self, correlator: &mut Correlator) {
        let (id, written) = match self.in_flight.join_next_with_id().await {
            Some(Ok((id, written))) => (id, written),
            Some(Err(error)) => {
                tracing::error!(%error, "an event write failed to run");
                (error.id(), None)
            }
            None => return,
        };
        if let Some(key) = self.keys.remove(&id) {
            if let Some(written) = written {
                correlator.written(&key, &written);
            }
            self.busy.remove(&key);
        }
    }
}

/// Writes one correlated event, retrying transport failures; a server's refusal is final.
/// Returns the server's copy when it was written.
async fn write_event(client: &Client, correlated: &Correlated) -> Option<Event> {
    let events: Api<Event> = Api::namespaced(client.clone(), &correlated.event.metadata.namespace);
    for attempt in 1..=MAX_TRIES {
        match send(&events, correlated).await {
            Ok(written) => return Some(written),
            Err(error @ Error::Api(_)) => {
                if !error.is_already_exists() {
                    tracing::error!(%error, event = %correlated.event.metadata.name,
                        "server rejected event (will not retry)");
                }
                return None;
            }
            Err(error) => {
                tracing::warn!(%error, attempt, event = %correlated.event.metadata.name,
                    "unable to write event, will retry");
            }
        }
        // The first retry waits a random share of the interval, so many recorders that lost
        // the apiserver together do not come back together.
        let wait =
            if attempt == 1 { RETRY_INTERVAL.mul_f64(fastrand::f64()) } else { RETRY_INTERVAL };
        tokio::time::sleep(wait).await;
    }
    tracing::error!(event = %correlated.event.metadata.name, "unable to write event, giving up");
    None
}

/// PATCHes a repeat onto its Event (creating it again if it is gone), or creates a new one.
async fn send(events: &Api<Event>, correlated: &Correlated) -> Result<Event, Error> {
    if let Some(patch) = &correlated.patch {
        let name = &correlated.event.metadata.name;
        let options = PatchOptions::default();
        match events.patch(name, PatchType::StrategicMerge, patch, &options).await {
            Err(error) if error.is_not_found() => {}
            other => return other,
        }
    }
    let mut event = correlated.event.clone();
    event.metadata.resource_version.clear();
    events.create(&event, &CreateOptions::default()).await
}

/// An event ready to write, and how.
struct Correlated {
    event: Event,
    /// The cache key its outcome is remembered under.
    key: String,
    /// For a repeat: the strategic merge patch onto the existing Event.
    patch: Option<Value>,
}

/// What the recorder remembers about written events, upstream's `EventCorrelator`.
#[derive(Default)]
struct Correlator {
    spam: BoundedCache<TokenBucket>,
    similar: BoundedCache<SimilarEvents>,
    written: BoundedCache<Written>,
}

/// The distinct messages of a group of otherwise equal events.
struct SimilarEvents {
    messages: HashSet<String>,
    last_seen: Instant,
}

/// A written Event, so repeats can be folded into it.
#[derive(Clone)]
struct Written {
    name: String,
    count: i32,
    first_timestamp: Option<Time>,
    resource_version: String,
}

impl Correlator {
    /// Filters, aggregates and deduplicates `event`; `None` when the spam filter drops it.
    fn correlate(&mut self, event: Event, now: Instant) -> Option<Correlated> {
        let spam = self
            .spam
            .get_or_insert_with(spam_key(&event), || TokenBucket::new(SPAM_QPS, SPAM_BURST, now));
        if !spam.try_take(now) {
            tracing::debug!(event = %event.metadata.name, reason = %event.reason,
                "event dropped by the spam filter");
            return None;
        }
        let (event, key) = self.aggregate(event, now);
        Some(self.deduplicate(event, key))
    }

    /// Past the limit of distinct messages, replaces `event` by the group's combined event.
    fn aggregate(&mut self, event: Event, now: Instant) -> (Event, String) {
        let group_key = similar_key(&event);
        let group = self.similar.get_or_insert_with(group_key.clone(), || SimilarEvents {
            messages: HashSet::new(),
            last_seen: now,
        });
        if now.saturating_duration_since(group.last_seen) > AGGREGATE_INTERVAL {
            group.messages.clear();
        }
        group.messages.insert(event.message.clone());
        group.last_seen = now;
        if group.messages.len() < AGGREGATE_MAX_EVENTS {
            let key = event_key(&event);
            return (event, key);
        }
        // Keep the set at the limit, so later new messages are combined too.
        let evicted = group.messages.iter().next().cloned();
        if let Some(evicted) = evicted {
            group.messages.remove(&evicted);
        }
        let combined = Event {
            metadata: ObjectMeta {
                name: event.metadata.name.clone(),
                namespace: event.metadata.namespace.clone(),
                ..Default::default()
            },
            message: format!("(combined from similar events): {}", event.message),
            count: 1,
            ..event
        };
        (combined, group_key)
    }

    /// Turns a repeat of a written event into a patch of its count and last timestamp.
    fn deduplicate(&mut self, mut event: Event, key: String) -> Correlated {
        let mut patch = None;
        if let Some(previous) = self.written.get(&key).filter(|previous| previous.count > 0) {
            event.metadata.name = previous.name.clone();
            event.metadata.resource_version = previous.resource_version.clone();
            event.first_timestamp = previous.first_timestamp;
            event.count = previous.count + 1;
            patch = Some(json!({
                "count": event.count,
                "lastTimestamp": event.last_timestamp,
                "message": event.message,
            }));
        }
        self.written.insert(key.clone(), Written::of(&event));
        Correlated { event, key, patch }
    }

    /// Remembers the server's copy of a written event.
    /// A repeat correlated while this write was under way has already counted past it; its
    /// entry stays (the server's copy of the older write must not bring the count back).
    fn written(&mut self, key: &str, event: &Event) {
        let newer = self.written.get(key).is_some_and(|known| known.count > event.count);
        if !newer {
            self.written.insert(key.to_string(), Written::of(event));
        }
    }
}

impl Written {
    fn of(event: &Event) -> Self {
        Written {
            name: event.metadata.name.clone(),
            count: event.count,
            first_timestamp: event.first_timestamp,
            resource_version: event.metadata.resource_version.clone(),
        }
    }
}

/// Source and object: the unit the spam filter limits.
fn spam_key(event: &Event) -> String {
    let object = &event.involved_object;
    [
        &event.source.component,
        &event.source.host,
        &object.kind,
        &object.namespace,
        &object.name,
        &object.uid,
        &object.api_version,
    ]
    .map(String::as_str)
    .join("\u{0}")
}

/// Everything but the message: events equal under this key are "similar".
fn similar_key(event: &Event) -> String {
    [
        spam_key(event).as_str(),
        &event.type_,
        &event.reason,
        &event.reporting_component,
        &event.reporting_instance,
    ]
    .join("\u{0}")
}

/// Everything that makes two events the same event.
fn event_key(event: &Event) -> String {
    [
        spam_key(event).as_str(),
        &event.involved_object.field_path,
        &event.type_,
        &event.reason,
        &event.message,
    ]
    .join("\u{0}")
}

/// A map that forgets its least recently used entry beyond [`CACHE_ENTRIES`], so a long-lived
/// recorder's memory stays bounded.
struct BoundedCache<V> {
    entries: HashMap<String, (V, u64)>,
    clock: u64,
    capacity: usize,
}

impl<V> Default for BoundedCache<V> {
    fn default() -> Self {
        BoundedCache { entries: HashMap::new(), clock: 0, capacity: CACHE_ENTRIES }
    }
}

impl<V> BoundedCache<V> {
    fn get(&mut self, key: &str) -> Option<&V> {
        self.clock += 1;
        let clock = self.clock;
        self.entries.get_mut(key).map(|(value, used)| {
            *used = clock;
            &*value
        })
    }

    fn get_or_insert_with(&mut self, key: String, make: impl FnOnce() -> V) -> &mut V {
        if !self.entries.contains_key(&key) {
            self.make_room();
            self.entries.insert(key.clone(), (make(), 0));
        }
        self.clock += 1;
        let entry = self.entries.get_mut(&key).expect("just ensured");
        entry.1 = self.clock;
        &mut entry.0
    }

    fn insert(&mut self, key: String, value: V) {
        if !self.entries.contains_key(&key) {
            self.make_room();
        }
        self.clock += 1;
        self.entries.insert(key, (value, self.clock));
    }

    fn make_room(&mut self) {
        if self.entries.len() < self.capacity {
            return;
        }
        let oldest = self.entries.iter().min_by_key(|(_, (_, used))| *used).map(|(k, _)| k);
        if let Some(oldest) = oldest.cloned() {
            self.entries.remove(&oldest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, reason: &str, message: &str) -> Event {
        let object =
            ObjectReference { kind: "Pod".into(), name: name.into(), ..Default::default() };
        Event {
            metadata: ObjectMeta { name: format!("{name}.1"), ..Default::default() },
            involved_object: object,
            reason: reason.into(),
            message: message.into(),
            source: EventSource { component: "kubelet".into(), host: "node-1".into() },
            count: 1,
            type_: "Normal".into(),
            ..Default::default()
        }
    }

    #[tokio::test(start_paused = true)]
    async fn repeats_become_patches_of_the_first_event() {
        let mut correlator = Correlator::default();
        let now = Instant::now();
        let first = correlator.correlate(event("web", "Pulled", "pulled"), now).unwrap();
        assert!(first.patch.is_none());
        let mut server_copy = first.event.clone();
        server_copy.metadata.resource_version = "7".into();
        correlator.written(&first.key, &server_copy);
        let mut again = event("web", "Pulled", "pulled");
        again.metadata.name = "web.2".into();
        let repeat = correlator.correlate(again, now).unwrap();
        assert_eq!(repeat.event.metadata.name, "web.1");
        assert_eq!(repeat.event.count, 2);
        assert_eq!(repeat.patch.unwrap()["count"], 2);
        let other = correlator.correlate(event("web", "Pulled", "other"), now).unwrap();
        assert!(other.patch.is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn the_tenth_distinct_message_is_combined() {
        let mut correlator = Correlator::default();
        let now = Instant::now();
        for index in 0..9 {
            let correlated =
                correlator.correlate(event("web", "BackOff", &format!("m{index}")), now).unwrap();
            assert!(!correlated.event.message.starts_with("(combined"));
        }
        let tenth = correlator.correlate(event("web", "BackOff", "m9"), now).unwrap();
        assert_eq!(tenth.event.message, "(combined from similar events): m9");
        assert!(tenth.patch.is_none());
        let eleventh = correlator.correlate(event("web", "BackOff", "m10"), now).unwrap();
        assert_eq!(eleventh.event.count, 2);
        assert_eq!(eleventh.patch.unwrap()["message"], "(combined from similar events): m10");
        // After ten quiet minutes the group starts over.
        let later = now + AGGREGATE_INTERVAL + Duration::from_secs(1);
        let fresh = correlator.correlate(event("web", "BackOff", "m11"), later).unwrap();
        assert_eq!(fresh.event.message, "m11");
    }

    #[tokio::test(start_paused = true)]
    async fn the_spam_filter_refills_one_event_per_five_minutes() {
        let mut correlator = Correlator::default();
        let now = Instant::now();
        let passed = (0..40)
            .filter(|_| correlator.correlate(event("web", "Pulled", "x"), now).is_some())
            .count();
        assert_eq!(passed, 25);
        assert!(correlator.correlate(event("db", "Pulled", "x"), now).is_some(), "per object");
        let later = now + Duration::from_secs(300);
        assert!(correlator.correlate(event("web", "Pulled", "x"), later).is_some());
        assert!(correlator.correlate(event("web", "Pulled", "x"), later).is_none());
    }

    #[test]
    fn the_cache_forgets_the_least_recently_used_entry() {
        let mut cache = BoundedCache { capacity: 2, ..BoundedCache::default() };
        cache.insert("a".into(), 1);
        cache.insert("b".into(), 2);
        assert_eq!(cache.get("a"), Some(&1));
        cache.insert("c".into(), 3);
        assert_eq!(cache.get("b"), None);
        assert_eq!(cache.get("a"), Some(&1));
        assert_eq!(cache.get("c"), Some(&3));
    }
}
