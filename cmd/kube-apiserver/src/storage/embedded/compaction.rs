//! Compaction: dropping history no read or watch may ask for any more, on a timer like
//! upstream's apiserver and on demand.
//!
//! Compacting to revision R keeps, for every key, the latest row at or before R unless that row
//! is a delete, and every row after R. So reads at R or later and watches resuming from R or
//! later see exactly what they would have without compaction; older ones get `Compacted`.
//! Because every update and delete points at the row it superseded, the rows to remove when
//! moving the compacted revision from `from` to `to` are found from the rows written in
//! `(from, to]` alone: the rows they point at, and the deletes among them. The cost is
//! proportional to the writes being compacted, not to the size of the store.

use super::schema;
use super::writer::WriterClient;
use crate::storage::{Revision, StorageError};
use rusqlite::{Connection, TransactionBehavior};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use tokio::sync::oneshot;

/// The most revisions compacted in one transaction; the writer serves queued writes between
/// chunks so a large compaction does not stall them.
pub(super) const CHUNK: Revision = 10_000;

/// A compaction the writer is working through, and who waits for it.
pub(super) struct PendingCompaction {
    pub target: Revision,
    pub waiters: Vec<oneshot::Sender<Result<(), StorageError>>>,
}

impl PendingCompaction {
    pub fn new(target: Revision) -> Self {
        PendingCompaction { target, waiters: Vec::new() }
    }
}

/// Moves the compacted revision from `from` to `to` in one transaction.
pub(super) fn compact_range(
    connection: &mut Connection,
    from: Revision,
    to: Revision,
) -> rusqlite::Result<()> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    transaction
        .prepare_cached(
            "DELETE FROM log WHERE revision IN (
                 SELECT prev_revision FROM log
                 WHERE revision > ?1 AND revision <= ?2 AND prev_revision > 0)",
        )?
        .execute([from, to])?;
    transaction
        .prepare_cached("DELETE FROM log WHERE revision > ?1 AND revision <= ?2 AND deleted = 1")?
        .execute([from, to])?;
    schema::set_compacted_revision(&transaction, to)?;
    transaction.commit()
}

/// Compacts every `interval`, as upstream's apiserver does: each tick compacts to the revision
/// the store had at the previous tick, so at least one interval of history stays for watches
/// resuming after a short disconnect, and never past `current - retained_revisions`.
pub(super) fn spawn_timer(
    writer: WriterClient,
    current: Arc<AtomicI64>,
    interval: Duration,
    retained_revisions: Revision,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut seen_at_last_tick = current.load(Ordering::SeqCst);
        loop {
            ticks.tick().await;
            let now = current.load(Ordering::SeqCst);
            let target = seen_at_last_tick.min(now - retained_revisions);
            seen_at_last_tick = now;
            if target <= 0 {
                continue;
            }
            match writer.compact(target).await {
                Ok(()) => tracing::debug!(revision = target, "embedded store: compacted"),
                Err(StorageError::Unavailable(_)) => return,
                Err(error) => tracing::warn!(%error, "embedded store: compaction failed"),
            }
        }
    })
}
