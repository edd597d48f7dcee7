//! The stream a watch delivers: changes in revision order, ending when either side drops it, and
//! the way back to the backend to ask how far the store has got (progress requests).

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
    progress: Option<ProgressRequester>,
}

/// Asks a watch's backend for a [`WatchEventKind::Progress`] event (upstream's
/// `RequestWatchProgress`). A watch cache needs it to learn that it has seen everything up to a
/// revision when its own keys did not change: only then can it serve a consistent read. Cloneable
/// so that a wrapper around a backend's stream can pass requests on to it.
#[derive(Clone, Debug)]
pub struct ProgressRequester(mpsc::Sender<()>);

/// The backend's side of [`ProgressRequester`]: the requests its watch must answer.
#[derive(Debug)]
pub struct ProgressRequests(mpsc::Receiver<()>);

impl ProgressRequests {
    /// The next request; `None` once the reader dropped the stream.
    pub async fn next(&mut self) -> Option<()> {
        self.0.recv().await
    }
}

impl WatchStream {
    /// A stream and the sender a backend feeds it through. `capacity` bounds how far a slow
    /// reader may fall behind before the backend waits (or ends the watch) rather than buffering
    /// without limit. The stream answers no progress requests; see [`WatchStream::with_progress`].
    pub fn channel(capacity: usize) -> (mpsc::Sender<Result<WatchEvent, StorageError>>, Self) {
        let (sender, events) = mpsc::channel(capacity);
        (sender, WatchStream { events, progress: None })
    }

    /// Like [`WatchStream::channel`], for a backend that answers progress requests: it reads
    /// them from the returned [`ProgressRequests`] and answers each with a Progress event.
    pub fn with_progress(
        capacity: usize,
    ) -> (mpsc::Sender<Result<WatchEvent, StorageError>>, ProgressRequests, Self) {
        let (sender, mut stream) = WatchStream::channel(capacity);
        // One pending request is enough: its answer also answers any asked meanwhile.
        let (requester, requests) = mpsc::channel(1);
        stream.progress = Some(ProgressRequester(requester));
        (sender, ProgressRequests(requests), stream)
    }

    /// This stream with its progress requests sent to `requester` (another stream's, taken with
    /// [`WatchStream::progress_requester`]): how a wrapper keeps the backend's support.
    pub fn forwarding_progress_to(mut self, requester: Option<ProgressRequester>) -> Self {
        self.progress = requester;
        self
    }

    /// Where this stream's progress requests go, if its backend answers them.
    pub fn progress_requester(&self) -> Option<ProgressRequester> {
        self.progress.clone()
    }

    /// The next change, an error that ended the watch, or `None` when the backend closed it.
    pub async fn next(&mut self) -> Option<Result<WatchEvent, StorageError>> {
        self.events.recv().await
    }

    /// Asks the backend for a Progress event. Its revision is at least the store's revision at
    /// the time of the request, and it comes after every event of this watch up to that
    /// revision, so that a reader who sees it has seen everything up to it. Requests made while
    /// one is pending are answered together. Never waits. Fails with
    /// [`StorageError::Internal`] when the backend cannot answer progress requests, and with
    /// [`StorageError::Unavailable`] when the watch has ended.
    pub fn request_progress(&self) -> Result<(), StorageError> {
        let Some(ProgressRequester(requester)) = &self.progress else {
            return Err(StorageError::Internal(
                "this watch cannot report progress on request".to_string(),
            ));
        };
        match requester.try_send(()) {
            Ok(()) | Err(mpsc::error::TrySendError::Full(())) => Ok(()),
            Err(mpsc::error::TrySendError::Closed(())) => {
                Err(StorageError::Unavailable("the watch has ended".to_string()))
            }
        }
    }
}
