//! The embedded floor: the statements our writer and readers run, on the same schema, pragmas
//! and sync mode, from a plain rusqlite loop with nothing of ours in between (no writer thread,
//! no queues, no blocking pool).
//!
//! At one client every write is its own transaction, as our writer commits a lone write. At
//! more clients the floor is perfect group commit: one transaction per `clients` writes, which
//! is the most a store can batch when that many callers each wait for their write. Gets run on
//! one thread per core, each with its own connection, the most the machine can read in parallel.

use super::single_key::{Workload, owned_by};
use kube_apiserver::storage::Revision;
use kube_apiserver::storage::embedded::SyncMode;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The log table and its key index as the embedded store creates them (`schema.rs`).
const SCHEMA: &str = "
CREATE TABLE log (
    revision        INTEGER PRIMARY KEY,
    key             BLOB    NOT NULL,
    create_revision INTEGER NOT NULL,
    prev_revision   INTEGER NOT NULL,
    deleted         INTEGER NOT NULL,
    value           BLOB    NOT NULL
);
CREATE UNIQUE INDEX log_by_key ON log (key, revision);
";

/// The precondition read our writer runs before every write, and our get.
const LATEST: &str = "SELECT value, create_revision, revision, deleted FROM log
                      WHERE key = ?1 ORDER BY revision DESC LIMIT 1";

const INSERT: &str =
    "INSERT INTO log (revision, key, create_revision, prev_revision, deleted, value)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/// A key's latest row: (value, create_revision, revision, deleted).
type LatestRow = (Vec<u8>, Revision, Revision, bool);

/// A database of its own in a temporary directory on the same file system as ours.
pub struct BareSqlite {
    _dir: tempfile::TempDir,
    path: PathBuf,
    writer: Connection,
    current: Revision,
}

impl BareSqlite {
    pub fn open(sync_mode: SyncMode) -> BareSqlite {
        let dir = tempfile::Builder::new()
            .prefix("bench-sqlite-floor-")
            .tempdir()
            .expect("create the floor's directory");
        let path = dir.path().join("floor.db");
        let writer = Connection::open(&path).expect("open the floor's database");
        writer.pragma_update(None, "journal_mode", "WAL").expect("WAL mode");
        let synchronous = match sync_mode {
            SyncMode::Full => "FULL",
            SyncMode::Normal => "NORMAL",
        };
        writer.pragma_update(None, "synchronous", synchronous).expect("set synchronous");
        writer.execute_batch(SCHEMA).expect("create the floor's schema");
        BareSqlite { _dir: dir, path, writer, current: 0 }
    }

    /// Runs `write` for each of `count` items, `batch` to a transaction.
    fn write_in_batches(
        &mut self,
        count: usize,
        batch: usize,
        mut write: impl FnMut(&Transaction<'_>, usize, Revision),
    ) -> Duration {
        let started = Instant::now();
        let mut next = 0;
        while next < count {
            let transaction = self
                .writer
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .expect("begin a write transaction");
            for item in next..(next + batch).min(count) {
                self.current += 1;
                write(&transaction, item, self.current);
            }
            transaction.commit().expect("commit");
            next += batch;
        }
        started.elapsed()
    }
}

impl Workload for BareSqlite {
    fn create_all(
        &mut self,
        clients: usize,
        keys: &[String],
        value: &[u8],
    ) -> (Duration, Vec<Revision>) {
        let mut revisions = vec![0; keys.len()];
        let elapsed = self.write_in_batches(keys.len(), clients, |transaction, index, revision| {
            let key = &keys[index];
            assert!(latest(transaction, key).is_none(), "{key} exists");
            insert(transaction, key, revision, revision, 0, value);
            revisions[index] = revision;
        });
        (elapsed, revisions)
    }

    fn update_many(
        &mut self,
        clients: usize,
        keys: &[(String, Revision)],
        count: usize,
        value: &[u8],
    ) -> Duration {
        let mut keys = keys.to_vec();
        let key_count = keys.len();
        self.write_in_batches(count, clients, |transaction, turn, revision| {
            let (key, expected) = &mut keys[turn % key_count];
            let (_, create_revision, current, _) =
                latest(transaction, key).unwrap_or_else(|| panic!("{key} is absent"));
            assert_eq!(current, *expected, "{key} changed under the floor");
            insert(transaction, key, revision, create_revision, current, value);
            *expected = revision;
        })
    }

    fn get_many(&mut self, clients: usize, keys: &[String], count: usize) -> Duration {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let threads = clients.min(cores);
        let readers: Vec<Connection> = (0..threads).map(|_| open_reader(&self.path)).collect();
        let started = Instant::now();
        std::thread::scope(|scope| {
            for (thread, reader) in readers.into_iter().enumerate() {
                scope.spawn(move || {
                    for turn in owned_by(thread, threads, count) {
                        let key = &keys[turn % keys.len()];
                        assert!(latest(&reader, key).is_some(), "{key} is absent");
                    }
                });
            }
        });
        started.elapsed()
    }
}

/// A read-only connection opened as our read pool opens them.
fn open_reader(path: &std::path::Path) -> Connection {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(path, flags).expect("open a floor reader")
}

fn latest(connection: &Connection, key: &str) -> Option<LatestRow> {
    connection
        .prepare_cached(LATEST)
        .and_then(|mut statement| {
            statement
                .query_row([key.as_bytes()], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .optional()
        })
        .expect("read the latest row")
        .filter(|row: &LatestRow| !row.3)
}

fn insert(
    transaction: &Transaction<'_>,
    key: &str,
    revision: Revision,
    create_revision: Revision,
    prev_revision: Revision,
    value: &[u8],
) {
    transaction
        .prepare_cached(INSERT)
        .and_then(|mut statement| {
            statement.execute(rusqlite::params![
                revision,
                key.as_bytes(),
                create_revision,
                prev_revision,
                false,
                value
            ])
        })
        .expect("insert a row");
}
