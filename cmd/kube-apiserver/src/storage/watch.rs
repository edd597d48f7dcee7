//! The stream a watch delivers: changes in revision order, ending when either side drops it.

use super::{KeyValue, Revision, StorageError};
use tokio::sync::mpsc;

/// What happened to a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchEventKind {
    /// The key was created (upstream ADDED).
    Created,
    /// An existing key got a new value (upstream MODIFIED).
    Modified,
    /// The key was deleted (upstream DELETED); the event carries the value before deletion.
    Deleted,
    /// No change: the store has reached `revision` with nothing more for this watch (etcd's
    /// progress notification), so a client can advance its resume point (upstream BOOKMARK).
    Progress,
}

/// One change seen by a watch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchEvent {
    pub kind: WatchEventKind,
    /// The revision of the change (for Progress: the revision the store has reached).
    pub revision: Revision,
    /// The key's value after the change; for a delete, the value it had before (with its
    /// revisions as they were); for Progress, `None`.
    pub object: Option<KeyValue>,
    /// The value before the change, for Modified and Deleted when the backend provides it.
    pub previous: Option<KeyValue>,
}

/// Changes to the watched key or prefix. Dropping it stops the backend's watch.
pub struct WatchStream {
    events: mpsc::Receiver<Result<WatchEvent, StorageError>>,
}

impl WatchStream {
    /// A stream and the sender a backend feeds it through. `capacity` bounds how far a slow
    /// reader may fall behind before the backend waits (or ends the watch) rather than buffering
    /// without limit.
    pub fn channel(capacity: usize) -> (mpsc::Sender<Result<WatchEvent, StorageError>>, Self) {
        let (sender, events) = mpsc::channel(capacity);
        (sender, WatchStream { events })
    }

    /// The next change, an error that ended the watch, or `None` when the backend closed it.
    pub async fn next(&mut self) -> Option<Result<WatchEvent, StorageError>> {
        self.events.recv().await
    }
}
