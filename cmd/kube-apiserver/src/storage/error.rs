//! Storage failures, each distinct because the apiserver maps each to its own status code.

use super::Revision;

/// Why a storage operation failed. The apiserver maps these to upstream's statuses: NotFound →
/// 404, AlreadyExists → 409, Conflict → 409, Compacted → 410 Gone ("too old resource version"),
/// FutureRevision → 504 Timeout ("Too large resource version"), InvalidContinue → 400,
/// Unavailable → 503 or 504, Internal → 500.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum StorageError {
    #[error("key {key:?} not found")]
    NotFound { key: String },
    #[error("key {key:?} already exists")]
    AlreadyExists { key: String },
    /// A compare-and-swap precondition failed: the key was modified since `expected` was read.
    #[error("key {key:?} was modified: expected revision {expected}, found {actual}")]
    Conflict { key: String, expected: Revision, actual: Revision },
    /// The requested revision's history was discarded by compaction.
    #[error("required revision {requested} has been compacted (compacted revision {compacted})")]
    Compacted { requested: Revision, compacted: Revision },
    /// The requested revision is ahead of the store.
    #[error("revision {requested} is newer than the current revision {current}")]
    FutureRevision { requested: Revision, current: Revision },
    #[error("invalid continue token: {0}")]
    InvalidContinue(String),
    /// The backend cannot be reached now (etcd down, connection lost); retrying may succeed.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    #[error("storage error: {0}")]
    Internal(String),
}
