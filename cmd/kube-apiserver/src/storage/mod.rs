//! The storage layer: one [`Storage`] trait over a revisioned key-value store, and its backends.
//!
//! Every object lives under a key (see [`keys`]) whose value is the object's JSON. The store keeps
//! one global revision counter that every write advances; an object's `metadata.resourceVersion`
//! is the revision that last modified it. Optimistic concurrency (update as compare-and-swap on
//! that revision), list-then-watch without gaps, and watch resume all rest on it, exactly as they
//! rest on etcd's revisions upstream. Backends: `etcd3` (a real etcd) and `embedded` (a local,
//! crash-safe database for single-machine clusters). Both pass one conformance suite.

mod continue_token;
pub mod embedded;
mod error;
pub mod etcd3;
mod flags;
pub mod keys;
mod watch;

pub use continue_token::ContinueToken;
pub use error::StorageError;
pub use flags::{BackendKind, StorageFlags};
pub use watch::{ProgressRequester, ProgressRequests, WatchEvent, WatchEventKind, WatchStream};

use async_trait::async_trait;

/// A position in the store's history. Revisions are global and strictly increasing; 0 means
/// "none" (never written, or "the current revision" where an option allows it).
pub type Revision = i64;

/// Shorthand for results of storage operations.
pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// One stored key with its value and the revisions that created and last modified it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    /// The object's JSON, as written.
    pub value: Vec<u8>,
    /// The revision that created this key (kept across updates; reset by delete + create).
    pub create_revision: Revision,
    /// The revision of the last write to this key: the object's `resourceVersion`.
    pub mod_revision: Revision,
}

/// What a `list` returns: one page of keys, the revision it was read at, and how to go on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListPage {
    /// Matching keys in ascending key order.
    pub items: Vec<KeyValue>,
    /// The revision the page was read at; every later page of the same list reads at it too.
    pub revision: Revision,
    /// Set when more keys follow: pass it back as [`ListOptions::continue_token`].
    pub continue_token: Option<ContinueToken>,
    /// How many keys follow this page, when the backend knows (upstream's `remainingItemCount`).
    pub remaining: Option<i64>,
}

/// How to read a list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// Read at this revision instead of the current one (fails with
    /// [`StorageError::Compacted`] if that history is gone, or [`StorageError::FutureRevision`]
    /// if it is ahead of the store). Ignored when `continue_token` is set: the token carries it.
    pub revision: Option<Revision>,
    /// At most this many keys in the page; `None` or 0 means all.
    pub limit: Option<i64>,
    /// Resume a paged list where its previous page stopped.
    pub continue_token: Option<ContinueToken>,
}

/// A revisioned key-value store holding the cluster's objects.
///
/// All keys an operation touches are full keys (`/registry/pods/default/web`); prefixes used by
/// `list` and `watch` end with `/` so that `/registry/pods/default/` never matches
/// `/registry/pods/default-2/...`.
#[async_trait]
pub trait Storage: Send + Sync + 'static {
    /// Stores `value` under a new key; fails with [`StorageError::AlreadyExists`] if the key
    /// exists. Returns the revision of the write.
    async fn create(&self, key: &str, value: Vec<u8>) -> Result<Revision>;

    /// The key's current value; [`StorageError::NotFound`] if absent.
    async fn get(&self, key: &str) -> Result<KeyValue>;

    /// Keys under `prefix`, in key order, at the current or a given revision, one page at a time.
    async fn list(&self, prefix: &str, options: ListOptions) -> Result<ListPage>;

    /// Replaces the value of an existing key if its `mod_revision` still equals
    /// `expected_revision` (compare-and-swap); otherwise [`StorageError::Conflict`], or
    /// [`StorageError::NotFound`] if the key is gone. Returns the revision of the write.
    async fn update(
        &self,
        key: &str,
        value: Vec<u8>,
        expected_revision: Revision,
    ) -> Result<Revision>;

    /// Deletes a key, only if its `mod_revision` equals `expected_revision` when one is given.
    /// Returns the deleted value (as it was) and the revision of the delete.
    async fn delete(
        &self,
        key: &str,
        expected_revision: Option<Revision>,
    ) -> Result<(KeyValue, Revision)>;

    /// Streams every change to `key` (or to every key under it, when `prefix`) made after
    /// `after_revision`, in revision order. Fails, immediately or as the stream's first item, with
    /// [`StorageError::Compacted`] if that history is gone. Dropping the stream ends the watch.
    /// Backends answer [`WatchStream::request_progress`] with a Progress event.
    async fn watch(&self, key: &str, prefix: bool, after_revision: Revision)
    -> Result<WatchStream>;

    /// The store's current revision: that of the latest write.
    async fn current_revision(&self) -> Result<Revision>;

    /// Discards history older than `revision`: a list at `revision` and a watch with
    /// `after_revision >= revision - 1` still work, anything older fails with
    /// [`StorageError::Compacted`] (etcd's semantics). Current values are never discarded.
    async fn compact(&self, revision: Revision) -> Result<()>;
}
