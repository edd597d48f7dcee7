//! The one writer: a dedicated thread owning the write connection, committing queued operations
//! in groups.
//!
//! Operations arrive on a queue. The thread takes everything queued (up to [`MAX_BATCH`]),
//! applies it in one transaction — each operation with its own revision and its own precondition
//! check, so one refused operation does not affect the others — and commits. Only after the
//! commit does it advance the visible revision, publish the events to watchers and acknowledge
//! the callers. While a commit waits for the disk, new operations queue up and share the next
//! commit: that is the group commit. Compaction runs on this thread too, a chunk at a time
//! between batches, so it never races a write.

use super::compaction::{self, PendingCompaction};
use super::fanout::Hub;
use super::schema::OpenedStore;
use super::{database_error, reads};
use crate::storage::{KeyValue, Revision, StorageError, WatchEvent, WatchEventKind};
use rusqlite::{Connection, Transaction, TransactionBehavior};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// The most operations committed in one transaction; bounds how long one commit holds the
/// writer and how much a failed commit takes down with it.
const MAX_BATCH: usize = 512;

/// A change the writer applies, with its precondition.
pub(super) enum WriteOp {
    Create { key: String, value: Vec<u8> },
    Update { key: String, value: Vec<u8>, expected: Revision },
    Delete { key: String, expected: Option<Revision> },
}

/// What a caller learns once its write is durable.
pub(super) struct Applied {
    pub revision: Revision,
    /// The value a delete removed.
    pub deleted: Option<KeyValue>,
}

type Reply<T> = oneshot::Sender<Result<T, StorageError>>;

enum Request {
    Write { op: WriteOp, reply: Reply<Applied> },
    Compact { revision: Revision, reply: Reply<()> },
    Shutdown,
}

/// Queues operations for the writer thread and waits for their acknowledgement.
#[derive(Clone)]
pub(super) struct WriterClient {
    requests: mpsc::Sender<Request>,
}

impl WriterClient {
    /// Applies `op`; returns once it is committed, or why it was refused.
    pub async fn write(&self, op: WriteOp) -> Result<Applied, StorageError> {
        let (reply, acknowledged) = oneshot::channel();
        self.send(Request::Write { op, reply })?;
        acknowledged.await.map_err(|_| store_closed())?
    }

    /// Compacts history up to `revision`; returns once it is done.
    pub async fn compact(&self, revision: Revision) -> Result<(), StorageError> {
        let (reply, done) = oneshot::channel();
        self.send(Request::Compact { revision, reply })?;
        done.await.map_err(|_| store_closed())?
    }

    fn send(&self, request: Request) -> Result<(), StorageError> {
        self.requests.send(request).map_err(|_| store_closed())
    }
}

/// Owns the writer thread. Dropping it lets the thread finish the batch in hand, close the
/// database and release the data directory's lock before the drop returns, so the directory can
/// be reopened right away.
pub(super) struct WriterThread {
    requests: mpsc::Sender<Request>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for WriterThread {
    fn drop(&mut self) {
        // The thread may already be gone (it panicked); joining then just reports that.
        let _ = self.requests.send(Request::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts the writer thread on an opened store. `visible_revision` is advanced after each
/// commit; `hub` receives each commit's events.
pub(super) fn spawn_writer(
    store: OpenedStore,
    hub: Arc<Hub>,
    visible_revision: Arc<AtomicI64>,
) -> Result<(WriterClient, WriterThread), StorageError> {
    let (requests, queue) = mpsc::channel();
    let writer = Writer {
        connection: store.writer,
        _lock: store.lock,
        queue,
        hub,
        visible_revision,
        current: store.current_revision,
        compacted: store.compacted_revision,
        compaction: None,
    };
    let thread = std::thread::Builder::new()
        .name("embedded-writer".to_string())
        .spawn(move || writer.run())
        .map_err(|error| StorageError::Internal(format!("starting the writer: {error}")))?;
    Ok((
        WriterClient { requests: requests.clone() },
        WriterThread { requests, thread: Some(thread) },
    ))
}

struct Writer {
    connection: Connection,
    /// Held, never used: its lifetime is the data directory's lock.
    _lock: Connection,
    queue: mpsc::Receiver<Request>,
    hub: Arc<Hub>,
    visible_revision: Arc<AtomicI64>,
    current: Revision,
    compacted: Revision,
    compaction: Option<PendingCompaction>,
}

impl Writer {
    fn run(mut self) {
        loop {
            // With compaction in progress, go back to it when nothing is queued.
            let first = if self.compaction.is_some() {
                match self.queue.try_recv() {
                    Ok(request) => Some(request),
                    Err(mpsc::TryRecvError::Empty) => None,
                    Err(mpsc::TryRecvError::Disconnected) => break,
                }
            } else {
                match self.queue.recv() {
                    Ok(request) => Some(request),
                    Err(mpsc::RecvError) => break,
                }
            };
            let mut batch = Vec::new();
            let mut shutdown = false;
            let mut next = first;
            while let Some(request) = next {
                match request {
                    Request::Write { op, reply } => batch.push((op, reply)),
                    Request::Compact { revision, reply } => {
                        self.schedule_compaction(revision, reply)
                    }
                    Request::Shutdown => {
                        shutdown = true;
                        break;
                    }
                }
                if batch.len() >= MAX_BATCH {
                    break;
                }
                next = self.queue.try_recv().ok();
            }
            if !batch.is_empty() {
                self.commit(batch);
            }
            if shutdown {
                break;
            }
            self.compact_one_chunk();
        }
        self.hub.close();
    }

    fn commit(&mut self, batch: Vec<(WriteOp, Reply<Applied>)>) {
        let (ops, replies): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
        match apply_batch(&mut self.connection, self.current, ops) {
            Ok(outcome) => {
                self.current = outcome.last_revision;
                self.visible_revision.store(self.current, Ordering::SeqCst);
                self.hub.publish(&outcome.events);
                for (reply, result) in replies.into_iter().zip(outcome.results) {
                    let _ = reply.send(result);
                }
            }
            Err(error) => {
                // Nothing of the batch was committed, so its revisions are free again.
                let error = database_error(error);
                tracing::error!(%error, "embedded store: write batch failed");
                for reply in replies {
                    let _ = reply.send(Err(error.clone()));
                }
            }
        }
    }

    fn schedule_compaction(&mut self, revision: Revision, reply: Reply<()>) {
        if revision > self.current {
            let _ = reply.send(Err(StorageError::FutureRevision {
                requested: revision,
                current: self.current,
            }));
        } else if revision <= self.compacted {
            let _ = reply.send(Ok(()));
        } else {
            let pending = self.compaction.get_or_insert_with(|| PendingCompaction::new(revision));
            pending.target = pending.target.max(revision);
            pending.waiters.push(reply);
        }
    }

    fn compact_one_chunk(&mut self) {
        let Some(pending) = &self.compaction else {
            return;
        };
        let step = pending.target.min(self.compacted + compaction::CHUNK);
        let result = compaction::compact_range(&mut self.connection, self.compacted, step);
        let outcome = match result {
            Ok(()) => {
                self.compacted = step;
                if step < pending.target {
                    return;
                }
                Ok(())
            }
            Err(error) => {
                let error = database_error(error);
                tracing::error!(%error, "embedded store: compaction failed");
                Err(error)
            }
        };
        if let Some(finished) = self.compaction.take() {
            for waiter in finished.waiters {
                let _ = waiter.send(outcome.clone());
            }
        }
    }
}

struct BatchOutcome {
    last_revision: Revision,
    /// One per operation, in queue order.
    results: Vec<Result<Applied, StorageError>>,
    events: Vec<Arc<WatchEvent>>,
}

/// Applies `ops` in one transaction, numbering the accepted ones from `current + 1`. A refused
/// precondition is that operation's result; a database error aborts the whole batch.
fn apply_batch(
    connection: &mut Connection,
    current: Revision,
    ops: Vec<WriteOp>,
) -> rusqlite::Result<BatchOutcome> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut outcome = BatchOutcome {
        last_revision: current,
        results: Vec::with_capacity(ops.len()),
        events: Vec::with_capacity(ops.len()),
    };
    for op in ops {
        let revision = outcome.last_revision + 1;
        match apply(&transaction, op, revision)? {
            Ok((applied, event)) => {
                outcome.last_revision = revision;
                outcome.results.push(Ok(applied));
                outcome.events.push(Arc::new(event));
            }
            Err(refused) => outcome.results.push(Err(refused)),
        }
    }
    transaction.commit()?;
    Ok(outcome)
}

/// Checks `op`'s precondition against the key's latest row (which sees earlier operations of
/// the same batch) and, if it holds, appends the row for `revision`.
fn apply(
    transaction: &Transaction<'_>,
    op: WriteOp,
    revision: Revision,
) -> rusqlite::Result<Result<(Applied, WatchEvent), StorageError>> {
    match op {
        WriteOp::Create { key, value } => {
            if reads::latest(transaction, &key)?.is_some() {
                return Ok(Err(StorageError::AlreadyExists { key }));
            }
            let row = NewRow {
                key: &key,
                revision,
                create_revision: revision,
                prev_revision: 0,
                deleted: false,
                value: &value,
            };
            row.insert(transaction)?;
            let object = KeyValue { key, value, create_revision: revision, mod_revision: revision };
            let event = WatchEvent {
                kind: WatchEventKind::Created,
                revision,
                object: Some(object),
                previous: None,
            };
            Ok(Ok((Applied { revision, deleted: None }, event)))
        }
        WriteOp::Update { key, value, expected } => {
            let Some(current) = reads::latest(transaction, &key)? else {
                return Ok(Err(StorageError::NotFound { key }));
            };
            if current.mod_revision != expected {
                return Ok(Err(conflict(key, expected, &current)));
            }
            let row = NewRow {
                key: &key,
                revision,
                create_revision: current.create_revision,
                prev_revision: current.mod_revision,
                deleted: false,
                value: &value,
            };
            row.insert(transaction)?;
            let object = KeyValue {
                key,
                value,
                create_revision: current.create_revision,
                mod_revision: revision,
            };
            let event = WatchEvent {
                kind: WatchEventKind::Modified,
                revision,
                object: Some(object),
                previous: Some(current),
            };
            Ok(Ok((Applied { revision, deleted: None }, event)))
        }
        WriteOp::Delete { key, expected } => {
            let Some(current) = reads::latest(transaction, &key)? else {
                return Ok(Err(StorageError::NotFound { key }));
            };
            if let Some(expected) = expected.filter(|&e| e != current.mod_revision) {
                return Ok(Err(conflict(key, expected, &current)));
            }
            let row = NewRow {
                key: &key,
                revision,
                create_revision: current.create_revision,
                prev_revision: current.mod_revision,
                deleted: true,
                value: &[],
            };
            row.insert(transaction)?;
            let event = WatchEvent {
                kind: WatchEventKind::Deleted,
                revision,
                object: Some(current.clone()),
                previous: Some(current.clone()),
            };
            Ok(Ok((Applied { revision, deleted: Some(current) }, event)))
        }
    }
}

fn conflict(key: String, expected: Revision, current: &KeyValue) -> StorageError {
    StorageError::Conflict { key, expected, actual: current.mod_revision }
}

/// One row of the log, as the writer appends it.
struct NewRow<'a> {
    key: &'a str,
    revision: Revision,
    create_revision: Revision,
    /// The row this one supersedes; 0 for a create.
    prev_revision: Revision,
    deleted: bool,
    value: &'a [u8],
}

impl NewRow<'_> {
    fn insert(&self, transaction: &Transaction<'_>) -> rusqlite::Result<()> {
        transaction
            .prepare_cached(
                "INSERT INTO log (revision, key, create_revision, prev_revision, deleted, value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(rusqlite::params![
                self.revision,
                self.key.as_bytes(),
                self.create_revision,
                self.prev_revision,
                self.deleted,
                self.value,
            ])?;
        Ok(())
    }
}

fn store_closed() -> StorageError {
    StorageError::Unavailable("the embedded store is closed".to_string())
}
