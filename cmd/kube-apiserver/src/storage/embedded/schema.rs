//! The database's layout and how connections to it are opened.
//!
//! `log` holds one row per revision: the key written, the revision that created it, the row it
//! superseded (`prev_revision`, 0 for a create), whether the write was a delete, and the value
//! written (empty for a delete, whose old value is the superseded row's). The index on
//! `(key, revision)` finds a key's latest row at or before any revision and walks a prefix in key
//! order. `meta` holds the schema version and the compacted revision.

use super::{SyncMode, database_error};
use crate::storage::{Revision, StorageError};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database inside the data directory (with its `-wal` and `-shm` companions).
pub(super) const DATABASE_FILE: &str = "state.db";
const LOCK_FILE: &str = "state.lock";
const SCHEMA_VERSION: i64 = 1;
/// How long a connection retries when SQLite reports the database busy (a checkpoint, another
/// connection opening it) before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS log (
    revision        INTEGER PRIMARY KEY,
    key             BLOB    NOT NULL,
    create_revision INTEGER NOT NULL,
    prev_revision   INTEGER NOT NULL,
    deleted         INTEGER NOT NULL,
    value           BLOB    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS log_by_key ON log (key, revision);
CREATE TABLE IF NOT EXISTS meta (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (name, value) VALUES ('schema_version', 1), ('compacted_revision', 0);
";

/// The writer's side of an opened store: its connection, the lock that keeps other processes
/// out, and where the revision counter stands.
pub(super) struct OpenedStore {
    pub writer: Connection,
    pub lock: Connection,
    pub database: PathBuf,
    pub current_revision: Revision,
    pub compacted_revision: Revision,
}

/// Opens (creating if needed) the store in `data_dir`, recovering from a crash if the last run
/// ended in one: SQLite replays or discards the WAL's tail as it opens.
pub(super) fn open_store(
    data_dir: &Path,
    sync_mode: SyncMode,
) -> Result<OpenedStore, StorageError> {
    std::fs::create_dir_all(data_dir).map_err(|error| {
        StorageError::Internal(format!("creating {}: {error}", data_dir.display()))
    })?;
    let lock = lock_data_dir(data_dir)?;
    let database = data_dir.join(DATABASE_FILE);
    let writer = Connection::open(&database).map_err(database_error)?;
    configure_writer(&writer, sync_mode)?;
    writer.execute_batch(&format!("BEGIN IMMEDIATE; {SCHEMA} COMMIT;")).map_err(database_error)?;
    let version = read_meta(&writer, "schema_version")?;
    if version != SCHEMA_VERSION {
        return Err(StorageError::Internal(format!(
            "{} has schema version {version}; this build reads version {SCHEMA_VERSION}",
            database.display()
        )));
    }
    let compacted_revision = read_meta(&writer, "compacted_revision")?;
    let newest_row: Option<Revision> = writer
        .query_row("SELECT MAX(revision) FROM log", [], |row| row.get(0))
        .map_err(database_error)?;
    // Compaction may have removed the newest rows (tombstones), but never rows above the
    // compacted revision, so the larger of the two is the last revision ever handed out.
    let current_revision = newest_row.unwrap_or(0).max(compacted_revision);
    Ok(OpenedStore { writer, lock, database, current_revision, compacted_revision })
}

/// A read-only connection for the read pool. In WAL mode it reads a consistent snapshot per
/// transaction without waiting for the writer.
pub(super) fn open_reader(database: &Path) -> Result<Connection, StorageError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let reader = Connection::open_with_flags(database, flags).map_err(database_error)?;
    reader.busy_timeout(BUSY_TIMEOUT).map_err(database_error)?;
    Ok(reader)
}

/// The compacted revision as the transaction `connection` is in sees it.
pub(super) fn compacted_revision(connection: &Connection) -> Result<Revision, StorageError> {
    read_meta(connection, "compacted_revision")
}

/// Records a new compacted revision; called inside the compaction's transaction.
pub(super) fn set_compacted_revision(
    connection: &Connection,
    revision: Revision,
) -> rusqlite::Result<()> {
    connection
        .prepare_cached("UPDATE meta SET value = ?1 WHERE name = 'compacted_revision'")?
        .execute([revision])?;
    Ok(())
}

fn read_meta(connection: &Connection, name: &str) -> Result<i64, StorageError> {
    connection
        .prepare_cached("SELECT value FROM meta WHERE name = ?1")
        .and_then(|mut statement| statement.query_row([name], |row| row.get(0)).optional())
        .map_err(database_error)?
        .ok_or_else(|| StorageError::Internal(format!("meta row {name:?} is missing")))
}

fn configure_writer(writer: &Connection, sync_mode: SyncMode) -> Result<(), StorageError> {
    writer.busy_timeout(BUSY_TIMEOUT).map_err(database_error)?;
    let journal_mode: String = writer
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(database_error)?;
    if !journal_mode.eq_ignore_ascii_case("wal") {
        return Err(StorageError::Internal(format!(
            "journal_mode stayed {journal_mode}; the store needs WAL"
        )));
    }
    let synchronous = match sync_mode {
        SyncMode::Full => "FULL",
        SyncMode::Normal => "NORMAL",
    };
    writer.pragma_update(None, "synchronous", synchronous).map_err(database_error)
}

/// Holds an exclusive SQLite lock on a side file for as long as the returned connection lives,
/// so a second store (in this process or another) cannot open the same directory and hand out
/// the same revisions. The operating system drops the lock when the process dies.
fn lock_data_dir(data_dir: &Path) -> Result<Connection, StorageError> {
    let path = data_dir.join(LOCK_FILE);
    let lock = Connection::open(&path).map_err(database_error)?;
    // Another holder is not going away: report it at once rather than retrying.
    lock.busy_timeout(Duration::ZERO).map_err(database_error)?;
    lock.pragma_update(None, "locking_mode", "EXCLUSIVE").map_err(database_error)?;
    match lock.execute_batch("BEGIN EXCLUSIVE; COMMIT;") {
        Ok(()) => Ok(lock),
        Err(error) if error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) => Err(
            StorageError::Unavailable(format!("{} is in use by another store", data_dir.display())),
        ),
        Err(error) => Err(database_error(error)),
    }
}
