//! Watch fan-out: committed events go from the writer to every interested watcher in process,
//! with no polling, and each watch stitches the database's history to those live events.
//!
//! Each watch has a task of its own (the pump). It first replays history after the requested
//! revision from the database until caught up; then subscribes to the hub, replays once more
//! (whatever was committed between the two steps), and from then on forwards live events,
//! skipping any revision it already sent. Because the subscription starts before the last
//! replay reads, no event can fall between them; because of the skip, none arrives twice.
//!
//! Memory is bounded per watcher: the hub queue holds at most `capacity` events and the stream
//! [`STREAM_BUFFER`] more. The writer never waits for a watcher: when a watcher's hub queue is
//! full, the hub drops it, and once the pump has delivered what was queued it ends the stream
//! with [`StorageError::Unavailable`]. The apiserver then starts a new watch from the last
//! revision it saw, which replays the missed events from the database.
//!
//! Progress requests go through the hub too: under the hub's lock, which also orders publishing,
//! it queues a Progress event at the last published revision behind the events already queued
//! for that watcher, so the answer never overtakes an event it covers.

use super::key_range::KeyRange;
use super::reads::{self, ReadPool};
use crate::storage::{
    ProgressRequests, Revision, StorageError, WatchEvent, WatchEventKind, WatchStream,
};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// Events waiting in a watch stream for its reader, beyond the hub queue.
const STREAM_BUFFER: usize = 64;
/// Rows one replay step reads from the database.
const REPLAY_CHUNK: i64 = 500;

type Outbox = mpsc::Sender<Result<WatchEvent, StorageError>>;

/// Delivers each commit's events to the watchers whose keys they touch.
pub(super) struct Hub {
    state: Mutex<HubState>,
}

struct HubState {
    /// Set when the store shuts down; later subscriptions end at once.
    closed: bool,
    /// The revision of the last event published (the store's revision when it opened, before
    /// any): what a progress request reports.
    published: Revision,
    subscribers: Vec<Subscriber>,
}

struct Subscriber {
    range: KeyRange,
    events: mpsc::Sender<Arc<WatchEvent>>,
    overflowed: Arc<AtomicBool>,
}

/// A watcher's side of the hub: live events, and whether the hub gave up on it.
struct Subscription {
    events: mpsc::Receiver<Arc<WatchEvent>>,
    /// The hub's end of `events`, weakly, to queue progress answers behind live events; it
    /// cannot be upgraded once the hub has dropped the watcher.
    queue: mpsc::WeakSender<Arc<WatchEvent>>,
    overflowed: Arc<AtomicBool>,
}

impl Hub {
    /// A hub for a store whose revision is `current`.
    pub fn new(current: Revision) -> Self {
        let state = HubState { closed: false, published: current, subscribers: Vec::new() };
        Hub { state: Mutex::new(state) }
    }

    /// Hands `events` (one commit's, in revision order) to every matching watcher without
    /// waiting: a watcher with no room left is dropped, one whose pump is gone is forgotten.
    pub fn publish(&self, events: &[Arc<WatchEvent>]) {
        let mut state = self.state.lock().expect("watch hub lock");
        if let Some(last) = events.last() {
            state.published = state.published.max(last.revision);
        }
        state.subscribers.retain(|subscriber| {
            for event in events {
                let Some(object) = &event.object else {
                    continue;
                };
                if !subscriber.range.contains(&object.key) {
                    continue;
                }
                match subscriber.events.try_send(Arc::clone(event)) {
                    Ok(()) => {}
                    Err(mpsc::error::TrySendError::Full(_)) => {
                        subscriber.overflowed.store(true, Ordering::SeqCst);
                        return false;
                    }
                    Err(mpsc::error::TrySendError::Closed(_)) => return false,
                }
            }
            true
        });
    }

    /// Ends every live watch (their streams close once drained) and refuses new ones.
    pub fn close(&self) {
        let mut state = self.state.lock().expect("watch hub lock");
        state.closed = true;
        state.subscribers.clear();
    }

    /// How many watches are live, for tests that need a watch subscribed before they write.
    #[cfg(test)]
    pub fn subscribers(&self) -> usize {
        self.state.lock().expect("watch hub lock").subscribers.len()
    }

    /// Queues a Progress event at the last published revision for one watcher, behind the
    /// events already queued for it. A watcher whose queue is full gets none: it is about to be
    /// dropped, or its reader asks again.
    fn request_progress(&self, subscription: &Subscription) {
        let state = self.state.lock().expect("watch hub lock");
        if let Some(queue) = subscription.queue.upgrade() {
            let progress = WatchEvent {
                kind: WatchEventKind::Progress,
                revision: state.published,
                object: None,
                previous: None,
            };
            let _full_or_gone = queue.try_send(Arc::new(progress));
        }
    }

    fn subscribe(&self, range: KeyRange, capacity: usize) -> Subscription {
        let (sender, events) = mpsc::channel(capacity.max(1));
        let queue = sender.downgrade();
        let overflowed = Arc::new(AtomicBool::new(false));
        let mut state = self.state.lock().expect("watch hub lock");
        if !state.closed {
            state.subscribers.push(Subscriber {
                range,
                events: sender,
                overflowed: Arc::clone(&overflowed),
            });
        }
        Subscription { events, queue, overflowed }
    }
}

/// Starts a watch of `range` from after revision `after`; the caller has checked that this
/// history is not compacted (the pump reports it if compaction wins a race).
pub(super) fn start_watch(
    reads: Arc<ReadPool>,
    hub: Arc<Hub>,
    range: KeyRange,
    after: Revision,
    capacity: usize,
) -> WatchStream {
    let (outbox, progress, stream) = WatchStream::with_progress(STREAM_BUFFER);
    tokio::spawn(pump(reads, hub, range, after, capacity, outbox, progress));
    stream
}

async fn pump(
    reads: Arc<ReadPool>,
    hub: Arc<Hub>,
    range: KeyRange,
    mut last_sent: Revision,
    capacity: usize,
    outbox: Outbox,
    mut progress: ProgressRequests,
) {
    // Catch up before subscribing, so a long replay cannot overflow the hub queue.
    if replay(&reads, &range, &mut last_sent, &outbox).await.is_break() {
        return;
    }
    let mut live = hub.subscribe(range.clone(), capacity);
    if replay(&reads, &range, &mut last_sent, &outbox).await.is_break() {
        return;
    }
    loop {
        let event = tokio::select! {
            _ = outbox.closed() => return,
            Some(()) = progress.next() => {
                hub.request_progress(&live);
                continue;
            }
            event = live.events.recv() => event,
        };
        match event {
            Some(event) if event.kind == WatchEventKind::Progress => {
                // Replay may have got ahead of the live queue; never report less than was sent.
                last_sent = last_sent.max(event.revision);
                let progress = WatchEvent { revision: last_sent, ..WatchEvent::clone(&event) };
                if outbox.send(Ok(progress)).await.is_err() {
                    return;
                }
            }
            Some(event) if event.revision > last_sent => {
                last_sent = event.revision;
                if outbox.send(Ok(WatchEvent::clone(&event))).await.is_err() {
                    return;
                }
            }
            Some(_already_replayed) => {}
            None => {
                if live.overflowed.load(Ordering::SeqCst) {
                    let error = StorageError::Unavailable(format!(
                        "watcher fell more than {capacity} events behind after revision \
                         {last_sent}; watch again from there"
                    ));
                    let _ = outbox.send(Err(error)).await;
                }
                return;
            }
        }
    }
}

/// Sends every stored change in `range` after `last_sent`, advancing it. Breaks when the
/// watch is over: its reader left, or the history could not be read (the error is sent).
async fn replay(
    reads: &Arc<ReadPool>,
    range: &KeyRange,
    last_sent: &mut Revision,
    outbox: &Outbox,
) -> ControlFlow<()> {
    loop {
        let (chunk_range, after) = (range.clone(), *last_sent);
        let chunk = reads
            .run(move |connection| reads::history(connection, &chunk_range, after, REPLAY_CHUNK))
            .await;
        let events = match chunk {
            Ok(events) => events,
            Err(error) => {
                let _ = outbox.send(Err(error)).await;
                return ControlFlow::Break(());
            }
        };
        let caught_up = (events.len() as i64) < REPLAY_CHUNK;
        for event in events {
            *last_sent = event.revision;
            if outbox.send(Ok(event)).await.is_err() {
                return ControlFlow::Break(());
            }
        }
        if caught_up {
            return ControlFlow::Continue(());
        }
    }
}
