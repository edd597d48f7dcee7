//! A test oracle, never run by users: the `Storage` contract kept in memory as plainly as it can be
//! written, so the conformance suite can be run and debugged without etcd or SQLite, and so a
//! failing backend can be compared against an implementation whose behaviour is obvious.
//!
//! Every key keeps its versions (a deletion is a version without a value) and every change goes
//! to a log that watches replay, so reads at past revisions and watch resume fall out of the data
//! layout. Compaction follows etcd: after `compact(r)`, revision `r` is still readable and
//! everything before it is gone. Nothing here is tuned for speed beyond keeping the suite's
//! 100,000-key case quick.

use kube_apiserver::storage::{
    ContinueToken, KeyValue, ListOptions, ListPage, ProgressRequests, Result, Revision, Storage,
    StorageError, WatchEvent, WatchEventKind, WatchStream,
};
use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::{mpsc, watch};

/// How many events a watch may have queued before its feeder waits for the reader.
const WATCH_BUFFER: usize = 128;

/// How many log entries a watch feeder copies per turn, so one slow watch never holds the lock
/// for the whole log.
const REPLAY_BATCH: usize = 1024;

/// The in-memory oracle. Cheap to create: make one per test.
pub struct ReferenceStore {
    state: Arc<Mutex<State>>,
    /// The latest revision, published after every write so that idle watches wake up.
    reached: watch::Sender<Revision>,
}

struct State {
    revision: Revision,
    /// Revisions before this one are gone (0: nothing compacted yet).
    compacted: Revision,
    /// Every key's versions in revision order; a version without a value is a deletion.
    versions: BTreeMap<String, Vec<Version>>,
    /// Every change at or after `compacted`, in revision order, as a watch reports it.
    log: Vec<WatchEvent>,
}

struct Version {
    revision: Revision,
    value: Option<KeyValue>,
}

impl Default for ReferenceStore {
    fn default() -> Self {
        Self::new()
    }
}

impl ReferenceStore {
    /// An empty store at revision 0.
    pub fn new() -> Self {
        let state = State { revision: 0, compacted: 0, versions: BTreeMap::new(), log: Vec::new() };
        ReferenceStore { state: Arc::new(Mutex::new(state)), reached: watch::Sender::new(0) }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("reference store lock poisoned")
    }

    /// Applies one change under the lock and wakes the watches.
    fn write(&self, change: impl FnOnce(&mut State) -> Result<Revision>) -> Result<Revision> {
        let mut state = self.lock();
        let revision = change(&mut state)?;
        self.reached.send_replace(revision);
        Ok(revision)
    }
}

impl State {
    fn current(&self, key: &str) -> Option<&KeyValue> {
        self.versions.get(key)?.last()?.value.as_ref()
    }

    /// The key's value as of `revision`.
    fn value_at(versions: &[Version], revision: Revision) -> Option<&KeyValue> {
        let newer = versions.partition_point(|version| version.revision <= revision);
        versions[..newer].last()?.value.as_ref()
    }

    /// Records a change at the next revision, as `record` builds it from that revision.
    fn commit(
        &mut self,
        key: &str,
        record: impl FnOnce(Revision) -> (Option<KeyValue>, WatchEvent),
    ) -> Revision {
        self.revision += 1;
        let revision = self.revision;
        let (value, event) = record(revision);
        self.versions.entry(key.to_string()).or_default().push(Version { revision, value });
        self.log.push(event);
        revision
    }

    fn check_readable(&self, revision: Revision) -> Result<()> {
        if revision > self.revision {
            return Err(StorageError::FutureRevision {
                requested: revision,
                current: self.revision,
            });
        }
        if revision < self.compacted {
            return Err(StorageError::Compacted { requested: revision, compacted: self.compacted });
        }
        Ok(())
    }

    fn list(&self, prefix: &str, options: &ListOptions) -> Result<ListPage> {
        let (revision, start) = match &options.continue_token {
            Some(token) => {
                if !token.start_key.starts_with(prefix) {
                    return Err(StorageError::InvalidContinue(
                        "key outside the listed prefix".to_string(),
                    ));
                }
                if token.revision <= 0 {
                    return Err(StorageError::InvalidContinue("bad revision".to_string()));
                }
                (token.revision, token.start_key.as_str())
            }
            None => match options.revision {
                Some(revision) if revision > 0 => (revision, prefix),
                _ => (self.revision, prefix),
            },
        };
        self.check_readable(revision)?;
        let limit = match options.limit {
            Some(limit) if limit > 0 => limit as usize,
            _ => usize::MAX,
        };
        let mut matching = self
            .versions
            .range::<str, _>((Bound::Included(start), Bound::Unbounded))
            .take_while(|(key, _)| key.starts_with(prefix))
            .filter_map(|(_, versions)| Self::value_at(versions, revision));
        let items: Vec<KeyValue> = matching.by_ref().take(limit).cloned().collect();
        let (continue_token, remaining) = match matching.next() {
            Some(next) => {
                let token = ContinueToken { revision, start_key: next.key.clone() };
                (Some(token), Some(1 + matching.count() as i64))
            }
            None => (None, None),
        };
        Ok(ListPage { items, revision, continue_token, remaining })
    }

    /// Drops every version and log entry that no read at or after `revision` can see.
    fn compact(&mut self, revision: Revision) {
        self.versions.retain(|_, versions| {
            let visible_from =
                versions.partition_point(|version| version.revision <= revision).saturating_sub(1);
            versions.drain(..visible_from);
            if versions[0].revision <= revision && versions[0].value.is_none() {
                versions.remove(0);
            }
            !versions.is_empty()
        });
        self.log.retain(|event| event.revision >= revision);
        self.compacted = revision;
    }
}

#[async_trait::async_trait]
impl Storage for ReferenceStore {
    async fn create(&self, key: &str, value: Vec<u8>) -> Result<Revision> {
        self.write(|state| {
            if state.current(key).is_some() {
                return Err(StorageError::AlreadyExists { key: key.to_string() });
            }
            Ok(state.commit(key, |revision| {
                let created = KeyValue {
                    key: key.to_string(),
                    value,
                    create_revision: revision,
                    mod_revision: revision,
                };
                let event = WatchEvent {
                    kind: WatchEventKind::Created,
                    revision,
                    object: Some(created.clone()),
                    previous: None,
                };
                (Some(created), event)
            }))
        })
    }

    async fn get(&self, key: &str) -> Result<KeyValue> {
        self.lock()
            .current(key)
            .cloned()
            .ok_or_else(|| StorageError::NotFound { key: key.to_string() })
    }

    async fn list(&self, prefix: &str, options: ListOptions) -> Result<ListPage> {
        self.lock().list(prefix, &options)
    }

    async fn update(
        &self,
        key: &str,
        value: Vec<u8>,
        expected_revision: Revision,
    ) -> Result<Revision> {
        self.write(|state| {
            let old = existing(state, key, Some(expected_revision))?;
            Ok(state.commit(key, |revision| {
                let updated = KeyValue {
                    key: key.to_string(),
                    value,
                    create_revision: old.create_revision,
                    mod_revision: revision,
                };
                let event = WatchEvent {
                    kind: WatchEventKind::Modified,
                    revision,
                    object: Some(updated.clone()),
                    previous: Some(old),
                };
                (Some(updated), event)
            }))
        })
    }

    async fn delete(
        &self,
        key: &str,
        expected_revision: Option<Revision>,
    ) -> Result<(KeyValue, Revision)> {
        let mut deleted = None;
        let revision = self.write(|state| {
            let old = existing(state, key, expected_revision)?;
            deleted = Some(old.clone());
            Ok(state.commit(key, |revision| {
                let event = WatchEvent {
                    kind: WatchEventKind::Deleted,
                    revision,
                    object: Some(old.clone()),
                    previous: Some(old),
                };
                (None, event)
            }))
        })?;
        Ok((deleted.expect("a successful delete saw the old value"), revision))
    }

    async fn watch(
        &self,
        key: &str,
        prefix: bool,
        after_revision: Revision,
    ) -> Result<WatchStream> {
        let filter = WatchFilter { key: key.to_string(), prefix };
        check_replayable(&self.lock(), after_revision)?;
        let (sender, progress, stream) = WatchStream::with_progress(WATCH_BUFFER);
        tokio::spawn(feed_watch(
            Arc::clone(&self.state),
            self.reached.subscribe(),
            filter,
            after_revision,
            sender,
            progress,
        ));
        Ok(stream)
    }

    async fn current_revision(&self) -> Result<Revision> {
        Ok(self.lock().revision)
    }

    async fn compact(&self, revision: Revision) -> Result<()> {
        let mut state = self.lock();
        if revision > state.revision {
            return Err(StorageError::FutureRevision {
                requested: revision,
                current: state.revision,
            });
        }
        if revision > state.compacted {
            state.compact(revision);
        }
        Ok(())
    }
}

/// The key's current value, if it exists and (when a revision is expected) is unchanged.
fn existing(state: &State, key: &str, expected_revision: Option<Revision>) -> Result<KeyValue> {
    let current =
        state.current(key).ok_or_else(|| StorageError::NotFound { key: key.to_string() })?;
    match expected_revision {
        Some(expected) if expected != current.mod_revision => Err(StorageError::Conflict {
            key: key.to_string(),
            expected,
            actual: current.mod_revision,
        }),
        _ => Ok(current.clone()),
    }
}

/// Whether the changes after `position` are all still in the log.
fn check_replayable(state: &State, position: Revision) -> Result<()> {
    if position + 1 < state.compacted {
        return Err(StorageError::Compacted {
            requested: position + 1,
            compacted: state.compacted,
        });
    }
    Ok(())
}

/// Which keys a watch reports.
struct WatchFilter {
    key: String,
    prefix: bool,
}

impl WatchFilter {
    fn matches(&self, event: &WatchEvent) -> bool {
        let key = event.object.as_ref().map_or("", |object| object.key.as_str());
        if self.prefix { key.starts_with(&self.key) } else { key == self.key }
    }
}

/// Sends a watch every logged change after `position` that it selects, then follows new writes,
/// until the reader drops the stream or the store goes away. A progress request is answered once
/// the feed has caught up with the log, at the revision the log had then.
async fn feed_watch(
    state: Arc<Mutex<State>>,
    mut reached: watch::Receiver<Revision>,
    filter: WatchFilter,
    mut position: Revision,
    sender: mpsc::Sender<Result<WatchEvent, StorageError>>,
    mut progress: ProgressRequests,
) {
    let mut progress_asked = false;
    loop {
        // Mark the current revision as seen before reading the log, so a write that lands after
        // the read wakes the wait below.
        reached.borrow_and_update();
        let batch = {
            let state = state.lock().expect("reference store lock poisoned");
            check_replayable(&state, position).map(|()| {
                let start = state.log.partition_point(|event| event.revision <= position);
                let scanned = &state.log[start..(start + REPLAY_BATCH).min(state.log.len())];
                let scanned_to = scanned.last().map(|event| event.revision);
                let selected: Vec<WatchEvent> =
                    scanned.iter().filter(|event| filter.matches(event)).cloned().collect();
                (selected, scanned_to, state.revision)
            })
        };
        match batch {
            Err(compacted) => {
                let _ = sender.send(Err(compacted)).await;
                return;
            }
            Ok((selected, Some(scanned_to), _)) => {
                for event in selected {
                    if sender.send(Ok(event)).await.is_err() {
                        return;
                    }
                }
                position = scanned_to;
            }
            Ok((_, None, revision)) => {
                if std::mem::take(&mut progress_asked) {
                    let answer = WatchEvent {
                        kind: WatchEventKind::Progress,
                        revision: revision.max(position),
                        object: None,
                        previous: None,
                    };
                    if sender.send(Ok(answer)).await.is_err() {
                        return;
                    }
                    continue;
                }
                tokio::select! {
                    changed = reached.changed() => {
                        if changed.is_err() {
                            return;
                        }
                    }
                    Some(()) = progress.next() => progress_asked = true,
                    () = sender.closed() => return,
                }
            }
        }
    }
}
