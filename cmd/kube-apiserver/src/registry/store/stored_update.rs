//! Writes that bypass the kind's update strategy: upstream's bare `Storage.GuaranteedUpdate`,
//! which subresources such as `binding` use to change what an ordinary update may not (a pod's
//! `spec.nodeName`), under the same optimistic concurrency.

use super::GenericStore;
use super::convert::{decode_stored, encode_for_storage, same_stored_form};
use super::errors::{MAX_WRITE_ATTEMPTS, OPTIMISTIC_LOCK_MESSAGE, Operation, storage_status};
use crate::registry::Strategy;
use crate::storage::StorageError;
use api_types::meta::v1::{Preconditions, Status};

impl<T: Strategy> GenericStore<T> {
    /// Applies `change` to the stored object and compare-and-swaps the result, re-reading and
    /// re-applying after losing a race. No defaulting, preparation, generation bump or
    /// validation runs: `change` alone decides what is written, and may refuse with any
    /// `Status`. `preconditions` (uid, resourceVersion) must hold for the stored object, else
    /// 409. Returns the object as written (as stored when `change` changed nothing; as it would
    /// be written with `dry_run`).
    pub(in crate::registry) async fn update_stored(
        &self,
        namespace: Option<&str>,
        name: &str,
        preconditions: &Preconditions,
        dry_run: bool,
        mut change: impl FnMut(&mut T) -> Result<(), Status>,
    ) -> Result<T, Status> {
        let key = self.object_key(namespace, name)?;
        for _ in 0..MAX_WRITE_ATTEMPTS {
            let stored_value = self
                .storage
                .get(&key)
                .await
                .map_err(|error| storage_status::<T>(error, Operation::Update, name))?;
            let stored: T = decode_stored(&stored_value)?;
            check_preconditions(&stored, preconditions, &key)?;
            let mut updated = stored.clone();
            change(&mut updated)?;
            if same_stored_form(&updated, &stored)? {
                return Ok(stored);
            }
            if dry_run {
                return Ok(updated);
            }
            let bytes = encode_for_storage(&updated)?;
            match self.storage.update(&key, bytes, stored_value.mod_revision).await {
                Ok(revision) => {
                    updated.metadata_mut().resource_version = revision.to_string();
                    return Ok(updated);
                }
                Err(StorageError::Conflict { .. }) => continue,
                Err(error) => return Err(storage_status::<T>(error, Operation::Update, name)),
            }
        }
        Err(Status::conflict(T::GROUP, T::PLURAL, name, OPTIMISTIC_LOCK_MESSAGE))
    }
}

/// The 409 of a storage precondition that does not hold, worded as upstream's storage layer
/// words it when it reaches the client.
fn check_preconditions<T: Strategy>(
    stored: &T,
    preconditions: &Preconditions,
    key: &str,
) -> Result<(), Status> {
    let meta = stored.metadata();
    let failed = |what: &str, wanted: &str, actual: &str| {
        let cause = format!(
            "StorageError: invalid object, Code: 4, Key: {key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: {what} in precondition: {wanted}, {what} in object meta: {actual}"
        );
        Err(Status::conflict(T::GROUP, T::PLURAL, &meta.name, cause))
    };
    if let Some(uid) = preconditions.uid.as_deref().filter(|uid| !uid.is_empty())
        && uid != meta.uid
    {
        return failed("UID", uid, &meta.uid);
    }
    if let Some(version) = preconditions.resource_version.as_deref().filter(|rv| !rv.is_empty())
        && version != meta.resource_version
    {
        return failed("ResourceVersion", version, &meta.resource_version);
    }
    Ok(())
}
