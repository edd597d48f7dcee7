//! Reads: a pool of read-only WAL connections used from blocking threads, so gets, lists and
//! watch replays never wait for the writer nor block the async runtime. Each read runs in one
//! transaction and so sees one committed snapshot, including the compacted revision it checks.

use super::key_range::KeyRange;
use super::{database_error, schema};
use crate::storage::{
    ContinueToken, KeyValue, ListPage, Revision, StorageError, WatchEvent, WatchEventKind,
};
use rusqlite::{Connection, OptionalExtension, Row};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Connections kept open between reads; more are opened under load and closed afterwards. Sized
/// for 64 concurrent readers: below that, reopening a connection (and re-preparing its
/// statements) per read halved get throughput in the storage benchmark.
const IDLE_CONNECTIONS: usize = 64;

/// Read-only connections to the store's database, handed out one per read.
pub(super) struct ReadPool {
    database: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl ReadPool {
    pub fn new(database: PathBuf) -> Self {
        ReadPool { database, idle: Mutex::new(Vec::new()) }
    }

    /// Runs `read` on a pooled connection on tokio's blocking pool.
    pub async fn run<T, F>(self: &Arc<Self>, read: F) -> Result<T, StorageError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StorageError> + Send + 'static,
    {
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || pool.run_blocking(read))
            .await
            .map_err(|error| StorageError::Internal(format!("read task failed: {error}")))?
    }

    fn run_blocking<T>(
        &self,
        read: impl FnOnce(&mut Connection) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let pooled = self.idle.lock().expect("read pool lock").pop();
        let mut connection = match pooled {
            Some(connection) => connection,
            None => schema::open_reader(&self.database)?,
        };
        let result = read(&mut connection);
        let mut idle = self.idle.lock().expect("read pool lock");
        if idle.len() < IDLE_CONNECTIONS {
            idle.push(connection);
        }
        result
    }
}

/// The key's latest value.
pub(super) fn get(connection: &Connection, key: &str) -> Result<KeyValue, StorageError> {
    latest(connection, key)
        .map_err(database_error)?
        .ok_or_else(|| StorageError::NotFound { key: key.to_string() })
}

/// The key's latest value, or `None` if it was never written or its latest write deleted it.
/// The writer checks preconditions with it inside its transaction.
pub(super) fn latest(connection: &Connection, key: &str) -> rusqlite::Result<Option<KeyValue>> {
    let latest = connection
        .prepare_cached(
            "SELECT value, create_revision, revision, deleted FROM log
             WHERE key = ?1 ORDER BY revision DESC LIMIT 1",
        )?
        .query_row([key.as_bytes()], |row| {
            let deleted: bool = row.get(3)?;
            let live = KeyValue {
                key: key.to_string(),
                value: row.get(0)?,
                create_revision: row.get(1)?,
                mod_revision: row.get(2)?,
            };
            Ok((!deleted).then_some(live))
        })
        .optional()?;
    Ok(latest.flatten())
}

/// What one page of a list asks for; the caller has already resolved the revision.
pub(super) struct PageRequest {
    pub range: KeyRange,
    /// The first key of the page (the range's start, or a continue token's key).
    pub start: Vec<u8>,
    pub revision: Revision,
    /// `None` reads every remaining key.
    pub limit: Option<i64>,
}

/// The live keys in the request's range as they were at its revision. A key is live at a
/// revision when its latest row at or before it is not a delete.
const LIVE_KEYS_AT: &str = "FROM log AS row
     WHERE row.key >= ?1 AND row.key < ?2 AND row.revision <= ?3 AND row.deleted = 0
       AND NOT EXISTS (SELECT 1 FROM log AS later
                       WHERE later.key = row.key
                         AND later.revision > row.revision AND later.revision <= ?3)";

/// One page of a list, read in a single snapshot.
pub(super) fn list(
    connection: &mut Connection,
    request: &PageRequest,
) -> Result<ListPage, StorageError> {
    let snapshot = connection.transaction().map_err(database_error)?;
    let compacted = schema::compacted_revision(&snapshot)?;
    if request.revision < compacted {
        return Err(StorageError::Compacted { requested: request.revision, compacted });
    }
    // One row past the limit tells whether another page follows.
    let fetch = request.limit.map_or(-1, |limit| limit.saturating_add(1));
    let mut items = snapshot
        .prepare_cached(&format!(
            "SELECT row.key, row.value, row.create_revision, row.revision {LIVE_KEYS_AT}
             ORDER BY row.key LIMIT ?4"
        ))
        .and_then(|mut statement| {
            statement
                .query_map(
                    rusqlite::params![request.start, request.range.end, request.revision, fetch],
                    key_value,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(database_error)?;
    let has_more = request.limit.is_some_and(|limit| items.len() as i64 > limit);
    if !has_more {
        return Ok(ListPage {
            items: items.into_iter().collect::<Result<_, _>>()?,
            revision: request.revision,
            continue_token: None,
            remaining: None,
        });
    }
    let next = items.pop().expect("a row past the limit")?;
    let remaining: i64 = snapshot
        .prepare_cached(&format!("SELECT COUNT(*) {LIVE_KEYS_AT}"))
        .and_then(|mut statement| {
            statement.query_row(
                rusqlite::params![next.key.as_bytes(), request.range.end, request.revision],
                |row| row.get(0),
            )
        })
        .map_err(database_error)?;
    Ok(ListPage {
        items: items.into_iter().collect::<Result<_, _>>()?,
        revision: request.revision,
        continue_token: Some(ContinueToken { revision: request.revision, start_key: next.key }),
        remaining: Some(remaining),
    })
}

/// Up to `limit` changes in `range` after revision `after`, oldest first, with the values they
/// replaced: the history a watch replays before it goes live.
pub(super) fn history(
    connection: &mut Connection,
    range: &KeyRange,
    after: Revision,
    limit: i64,
) -> Result<Vec<WatchEvent>, StorageError> {
    let snapshot = connection.transaction().map_err(database_error)?;
    let compacted = schema::compacted_revision(&snapshot)?;
    if after < compacted {
        return Err(StorageError::Compacted { requested: after, compacted });
    }
    let rows = snapshot
        .prepare_cached(
            "SELECT row.revision, row.key, row.value, row.create_revision, row.deleted,
                    row.prev_revision, prev.value, prev.create_revision
             FROM log AS row LEFT JOIN log AS prev ON prev.revision = row.prev_revision
             WHERE row.revision > ?1 AND row.key >= ?2 AND row.key < ?3
             ORDER BY row.revision LIMIT ?4",
        )
        .and_then(|mut statement| {
            statement
                .query_map(rusqlite::params![after, range.start, range.end, limit], history_event)?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(database_error)?;
    rows.into_iter().collect()
}

/// The compacted revision right now.
pub(super) fn compacted_revision(connection: &mut Connection) -> Result<Revision, StorageError> {
    schema::compacted_revision(connection)
}

/// A `(key, value, create_revision, revision)` row; a key that is not UTF-8 is corruption.
fn key_value(row: &Row<'_>) -> rusqlite::Result<Result<KeyValue, StorageError>> {
    let key: Vec<u8> = row.get(0)?;
    let value: Vec<u8> = row.get(1)?;
    let create_revision = row.get(2)?;
    let mod_revision = row.get(3)?;
    Ok(utf8_key(key).map(|key| KeyValue { key, value, create_revision, mod_revision }))
}

fn history_event(row: &Row<'_>) -> rusqlite::Result<Result<WatchEvent, StorageError>> {
    let revision: Revision = row.get(0)?;
    let key = match utf8_key(row.get(1)?) {
        Ok(key) => key,
        Err(error) => return Ok(Err(error)),
    };
    let deleted: bool = row.get(4)?;
    let prev_revision: Revision = row.get(5)?;
    let previous = match row.get::<_, Option<Vec<u8>>>(6)? {
        Some(value) if prev_revision > 0 => Some(KeyValue {
            key: key.clone(),
            value,
            create_revision: row.get(7)?,
            mod_revision: prev_revision,
        }),
        _ => None,
    };
    let event = if deleted {
        let Some(previous) = previous else {
            return Ok(Err(StorageError::Internal(format!(
                "delete at revision {revision} lost the row it superseded"
            ))));
        };
        WatchEvent {
            kind: WatchEventKind::Deleted,
            revision,
            object: Some(previous.clone()),
            previous: Some(previous),
        }
    } else {
        let object = KeyValue {
            key,
            value: row.get(2)?,
            create_revision: row.get(3)?,
            mod_revision: revision,
        };
        WatchEvent {
            kind: if prev_revision > 0 {
                WatchEventKind::Modified
            } else {
                WatchEventKind::Created
            },
            revision,
            object: Some(object),
            previous,
        }
    };
    Ok(Ok(event))
}

fn utf8_key(key: Vec<u8>) -> Result<String, StorageError> {
    String::from_utf8(key)
        .map_err(|_| StorageError::Internal("stored key is not UTF-8".to_string()))
}
