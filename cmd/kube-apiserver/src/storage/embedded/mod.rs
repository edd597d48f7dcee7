//! The embedded backend: the store in a local SQLite database, for clusters that run without
//! etcd. See `docs/storage.md` for why SQLite and how the pieces fit.
//!
//! - `schema`: the tables, opening the database, the data directory's lock;
//! - `writer`: the one writer thread and its group commit;
//! - `reads`: the pool of read connections, gets, lists and history;
//! - `fanout`: delivering committed events to watches;
//! - `compaction`: dropping old history, on a timer and on demand.

mod compaction;
mod fanout;
mod key_range;
mod reads;
mod schema;
mod writer;

#[cfg(test)]
mod tests;

use super::{KeyValue, ListOptions, ListPage, Revision, Storage, StorageError, WatchStream};
use async_trait::async_trait;
use fanout::Hub;
use key_range::KeyRange;
use reads::{PageRequest, ReadPool};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use writer::{WriteOp, WriterClient, WriterThread};

/// How hard each commit pushes data to disk: the trade between write latency and what a power
/// loss may take.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SyncMode {
    /// Every commit is fsynced before it is acknowledged: acknowledged writes survive a power
    /// loss or kernel crash, as with etcd. SQLite's `synchronous=FULL`.
    #[default]
    Full,
    /// Commits reach the operating system but are fsynced only at checkpoints: acknowledged
    /// writes survive the process being killed, but a power loss may lose the latest ones
    /// (never corrupting the store). SQLite's `synchronous=NORMAL`.
    Normal,
}

/// How an [`EmbeddedStorage`] keeps its history and its promises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbeddedOptions {
    /// How often history is compacted in the background; `None` leaves it to
    /// [`Storage::compact`]. Each run compacts to the revision of the run before, like
    /// upstream's `--etcd-compaction-interval` (default 5 minutes).
    pub compaction_interval: Option<Duration>,
    /// Revisions always kept behind the current one, however much time passed, so watches can
    /// resume after a short disconnect even under a burst of writes.
    pub retained_revisions: Revision,
    /// Whether acknowledged writes must also survive a power loss (the default) or only the
    /// process dying.
    pub sync_mode: SyncMode,
    /// How many events a watcher may fall behind before it is ended with an error (and
    /// restarted by its client from its last revision).
    pub watch_buffer: usize,
}

impl Default for EmbeddedOptions {
    fn default() -> Self {
        EmbeddedOptions {
            compaction_interval: Some(Duration::from_secs(5 * 60)),
            retained_revisions: 1000,
            sync_mode: SyncMode::default(),
            watch_buffer: 1024,
        }
    }
}

/// The cluster's state in a SQLite database under one directory: the store for single-machine
/// clusters, with etcd's revision semantics and no etcd to run.
pub struct EmbeddedStorage {
    writer: WriterClient,
    reads: Arc<ReadPool>,
    hub: Arc<Hub>,
    /// The revision of the last commit, advanced by the writer after each.
    current: Arc<AtomicI64>,
    watch_buffer: usize,
    compactor: Option<tokio::task::JoinHandle<()>>,
    /// Last field, so it drops last: joining the writer closes the database.
    _writer_thread: WriterThread,
}

impl EmbeddedStorage {
    /// Opens the store in `data_dir` (creating it if missing), recovering from a crash if the
    /// last process died mid-write. Async because the opening work runs off the runtime and the
    /// compaction timer is a tokio task; call it inside a tokio runtime. Fails with
    /// [`StorageError::Unavailable`] if another store has the directory open.
    pub async fn open(data_dir: &Path, options: EmbeddedOptions) -> Result<Self, StorageError> {
        let dir = data_dir.to_path_buf();
        let sync_mode = options.sync_mode;
        let opened = tokio::task::spawn_blocking(move || schema::open_store(&dir, sync_mode))
            .await
            .map_err(|error| StorageError::Internal(format!("open task failed: {error}")))??;
        let reads = Arc::new(ReadPool::new(opened.database.clone()));
        let hub = Arc::new(Hub::new(opened.current_revision));
        let current = Arc::new(AtomicI64::new(opened.current_revision));
        let (writer, writer_thread) =
            writer::spawn_writer(opened, Arc::clone(&hub), Arc::clone(&current))?;
        let compactor = options.compaction_interval.map(|interval| {
            compaction::spawn_timer(
                writer.clone(),
                Arc::clone(&current),
                interval,
                options.retained_revisions,
            )
        });
        Ok(EmbeddedStorage {
            writer,
            reads,
            hub,
            current,
            watch_buffer: options.watch_buffer,
            compactor,
            _writer_thread: writer_thread,
        })
    }

    fn current(&self) -> Revision {
        self.current.load(Ordering::SeqCst)
    }
}

impl Drop for EmbeddedStorage {
    /// Stops the compaction timer; the writer thread then finishes its batch and closes the
    /// database before the drop returns (a short block), ending every watch.
    fn drop(&mut self) {
        if let Some(compactor) = &self.compactor {
            compactor.abort();
        }
    }
}

#[async_trait]
impl Storage for EmbeddedStorage {
    async fn create(&self, key: &str, value: Vec<u8>) -> Result<Revision, StorageError> {
        let op = WriteOp::Create { key: key.to_string(), value };
        Ok(self.writer.write(op).await?.revision)
    }

    async fn get(&self, key: &str) -> Result<KeyValue, StorageError> {
        let key = key.to_string();
        self.reads.run(move |connection| reads::get(connection, &key)).await
    }

    async fn list(&self, prefix: &str, options: ListOptions) -> Result<ListPage, StorageError> {
        let range = KeyRange::prefix(prefix);
        let current = self.current();
        let (revision, start) = match options.continue_token {
            Some(token) => {
                token.check(prefix)?;
                (token.revision, token.start_key.into_bytes())
            }
            None => {
                let revision = options.revision.filter(|&revision| revision > 0);
                (revision.unwrap_or(current), range.start.clone())
            }
        };
        if revision > current {
            return Err(StorageError::FutureRevision { requested: revision, current });
        }
        let request =
            PageRequest { range, start, revision, limit: options.limit.filter(|&limit| limit > 0) };
        self.reads.run(move |connection| reads::list(connection, &request)).await
    }

    async fn update(
        &self,
        key: &str,
        value: Vec<u8>,
        expected_revision: Revision,
    ) -> Result<Revision, StorageError> {
        let op = WriteOp::Update { key: key.to_string(), value, expected: expected_revision };
        Ok(self.writer.write(op).await?.revision)
    }

    async fn delete(
        &self,
        key: &str,
        expected_revision: Option<Revision>,
    ) -> Result<(KeyValue, Revision), StorageError> {
        let op = WriteOp::Delete { key: key.to_string(), expected: expected_revision };
        let applied = self.writer.write(op).await?;
        let deleted = applied.deleted.ok_or_else(|| {
            StorageError::Internal("the writer did not return the deleted value".to_string())
        })?;
        Ok((deleted, applied.revision))
    }

    async fn watch(
        &self,
        key: &str,
        prefix: bool,
        after_revision: Revision,
    ) -> Result<WatchStream, StorageError> {
        let range = if prefix { KeyRange::prefix(key) } else { KeyRange::single(key) };
        let after = after_revision.max(0);
        let compacted = self.reads.run(reads::compacted_revision).await?;
        if after < compacted {
            return Err(StorageError::Compacted { requested: after, compacted });
        }
        Ok(fanout::start_watch(
            Arc::clone(&self.reads),
            Arc::clone(&self.hub),
            range,
            after,
            self.watch_buffer,
        ))
    }

    async fn current_revision(&self) -> Result<Revision, StorageError> {
        Ok(self.current())
    }

    async fn compact(&self, revision: Revision) -> Result<(), StorageError> {
        self.writer.compact(revision).await
    }
}

/// A database failure as the storage layer reports it: busy means retry later, anything else is
/// internal.
fn database_error(error: rusqlite::Error) -> StorageError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            StorageError::Unavailable(format!("sqlite: {error}"))
        }
        _ => StorageError::Internal(format!("sqlite: {error}")),
    }
}
