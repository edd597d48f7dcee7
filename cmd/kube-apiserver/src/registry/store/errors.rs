//! Storage failures as the `Status` errors upstream's registry answers them with
//! (`storage/errors/storage.go` and the etcd3 store's messages).

use crate::storage::{Revision, StorageError};
use api_types::Resource;
use api_types::meta::v1::{Status, StatusCause, StatusDetails, StatusReason, cause_type};

/// The cause of a 409 on a stale `resourceVersion`, worded as upstream's.
pub(super) const OPTIMISTIC_LOCK_MESSAGE: &str =
    "the object has been modified; please apply your changes to the latest version and try again";

/// The 410 of a list at a revision that compaction discarded.
const LIST_EXPIRED_MESSAGE: &str = "The resourceVersion for the provided list is too old.";

/// How many times an operation re-reads and retries after losing a compare-and-swap race to
/// another writer before it gives up with a 409 (upstream retries without a bound; a bound keeps
/// a pathological hot key from pinning a request forever).
pub(super) const MAX_WRITE_ATTEMPTS: usize = 32;

/// The verb a storage call served, named in upstream's `ServerTimeout` messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Operation {
    Create,
    Get,
    List,
    Update,
    Delete,
    Watch,
}

impl Operation {
    fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Get => "get",
            Operation::List => "list",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::Watch => "watch",
        }
    }
}

/// The `Status` for a storage failure of `operation` on object `name` of kind `R` (`name` is
/// empty for collection operations).
pub(super) fn storage_status<R: Resource>(
    error: StorageError,
    operation: Operation,
    name: &str,
) -> Status {
    match error {
        StorageError::NotFound { .. } => Status::not_found(R::GROUP, R::PLURAL, name),
        StorageError::AlreadyExists { .. } => Status::already_exists(R::GROUP, R::PLURAL, name),
        StorageError::Conflict { .. } => {
            Status::conflict(R::GROUP, R::PLURAL, name, OPTIMISTIC_LOCK_MESSAGE)
        }
        StorageError::Compacted { requested, compacted } => match operation {
            Operation::List => Status::resource_expired(LIST_EXPIRED_MESSAGE),
            _ => too_old_resource_version(requested, compacted),
        },
        StorageError::FutureRevision { requested, current } => {
            too_large_resource_version(requested, current)
        }
        StorageError::InvalidContinue(_) => Status::bad_request(error.to_string()),
        StorageError::Unavailable(_) => {
            Status::server_timeout(R::GROUP, R::PLURAL, operation.as_str(), 2)
        }
        StorageError::Internal(message) => Status::internal_error(message),
    }
}

/// The 410 of a watch from a revision older than the retained history, as clients of a real
/// apiserver meet it: `too old resource version: <requested> (<oldest>)`.
pub(super) fn too_old_resource_version(requested: Revision, oldest: Revision) -> Status {
    Status::too_old_resource_version(requested.max(0) as u64, oldest.max(0) as u64)
}

/// The 504 of a read that asks for a revision the store has not reached yet.
pub(super) fn too_large_resource_version(requested: Revision, current: Revision) -> Status {
    let mut status =
        Status::timeout(format!("Too large resource version: {requested}, current: {current}"), 1);
    if let Some(details) = status.details.as_mut() {
        details.causes = vec![StatusCause::new(
            cause_type::RESOURCE_VERSION_TOO_LARGE,
            "",
            "Too large resource version",
        )];
    }
    status
}

/// The 404 for a subresource this resource does not serve, as upstream's router answers a path
/// it has no route for.
pub(super) fn no_such_subresource() -> Status {
    let mut status =
        Status::failure(StatusReason::NotFound, "the server could not find the requested resource");
    status.details = Some(StatusDetails::default());
    status
}
