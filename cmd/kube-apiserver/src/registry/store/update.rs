//! PUT of an object or its `status`, and the optimistic-concurrency loop every write to an
//! existing object shares (upstream's `GuaranteedUpdate` with `BeforeUpdate`).

use super::GenericStore;
use super::convert::{
    decode_body, decode_stored, encode_for_storage, same_stored_form, spec_differs, to_response,
    with_status_of,
};
use super::errors::{MAX_WRITE_ATTEMPTS, OPTIMISTIC_LOCK_MESSAGE, Operation, storage_status};
use super::options::{dry_run, parse_resource_version};
use super::read::Target;
use crate::registry::Strategy;
use crate::storage::StorageError;
use api_types::Resource;
use api_types::meta::v1::{Status, UpdateOptions};
use serde_json::Value;

/// What an update changes, given the stored object.
pub(super) enum Change {
    /// The whole object as the client sent it; with a status subresource, the stored status
    /// stays.
    Object,
    /// Only the status: everything else stays as stored.
    Status,
}

impl Change {
    /// The object to write, from the client's object and the stored one. The client's
    /// `resourceVersion` stays: it is the update's precondition.
    pub(super) fn apply<T: Strategy>(&self, requested: &T, stored: &T) -> Result<T, Status> {
        match self {
            Change::Object if T::STATUS_SUBRESOURCE => with_status_of(requested, stored),
            Change::Object => Ok(requested.clone()),
            Change::Status => {
                let mut updated = with_status_of(stored, requested)?;
                updated.metadata_mut().resource_version =
                    requested.metadata().resource_version.clone();
                Ok(updated)
            }
        }
    }
}

impl<T: Strategy> GenericStore<T> {
    pub(super) async fn update_object(
        &self,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        body: Value,
        options: &UpdateOptions,
    ) -> Result<Value, Status> {
        let dry_run = dry_run(&options.dry_run, "UpdateOptions")?;
        // Whether the kind's update preparation runs: not for the status, which changes nothing
        // else, nor for `finalize`, whose point is to change what the preparation protects.
        let (change, prepare) = match Target::of::<T>(subresource)? {
            Target::Object => (Change::Object, true),
            Target::Status => (Change::Status, false),
            Target::Finalize => (Change::Object, false),
            Target::Scale => return self.update_scale(namespace, name, body, dry_run).await,
        };
        let mut requested: T = decode_body(body)?;
        requested.apply_defaults();
        check_name(&mut requested, name, namespace)?;
        let uid = Some(requested.metadata().uid.clone()).filter(|uid| !uid.is_empty());
        let write = Write { namespace, name, dry_run, uid_precondition: uid.as_deref() };
        let updated = self
            .guaranteed_update(&write, |stored| {
                let updated = change.apply(&requested, stored)?;
                Ok((updated, prepare))
            })
            .await?;
        to_response(updated)
    }

    /// Writes the object `build` makes from the stored one, under optimistic concurrency:
    /// `build` returns the new object (whose `resourceVersion`, when set, must be the stored
    /// one's: else 409; empty means unconditional) and whether the kind's update preparation
    /// applies (not for the `status` subresource). The store then carries over the metadata
    /// clients cannot change, bumps the generation, validates, and compare-and-swaps; losing a
    /// race re-reads and rebuilds, which turns into a 409 for a conditional write. An update that
    /// removes the last finalizer of an object being deleted deletes it. Returns the object as
    /// written.
    pub(super) async fn guaranteed_update(
        &self,
        write: &Write<'_>,
        mut build: impl FnMut(&T) -> Result<(T, bool), Status>,
    ) -> Result<T, Status> {
        let key = self.object_key(write.namespace, write.name)?;
        let name = write.name;
        for _ in 0..MAX_WRITE_ATTEMPTS {
            let stored_value = self
                .storage
                .get(&key)
                .await
                .map_err(|error| storage_status::<T>(error, Operation::Update, name))?;
            let stored: T = decode_stored(&stored_value)?;
            if let Some(uid) = write.uid_precondition
                && uid != stored.metadata().uid
            {
                return Err(uid_precondition_failed::<T>(&key, name, uid, &stored.metadata().uid));
            }
            let (mut updated, prepare) = build(&stored)?;
            let requested = parse_resource_version::<T>(&updated.metadata().resource_version)?;
            match requested {
                Some(revision) if revision != stored_value.mod_revision => {
                    return Err(Status::conflict(
                        T::GROUP,
                        T::PLURAL,
                        name,
                        OPTIMISTIC_LOCK_MESSAGE,
                    ));
                }
                _ => {
                    updated.metadata_mut().resource_version = stored_value.mod_revision.to_string()
                }
            }
            before_update(&mut updated, &stored, prepare)?;
            let errors = updated.validate_update(&stored);
            if !errors.is_empty() {
                return Err(errors.to_status_for::<T>(name));
            }
            if finalization_done(&updated, &stored) {
                if write.dry_run {
                    return Ok(updated);
                }
                match self.storage.delete(&key, Some(stored_value.mod_revision)).await {
                    Ok(_) | Err(StorageError::NotFound { .. }) => return Ok(updated),
                    Err(StorageError::Conflict { .. }) => continue,
                    Err(error) => return Err(storage_status::<T>(error, Operation::Delete, name)),
                }
            }
            if same_stored_form(&updated, &stored)? {
                return Ok(stored);
            }
            if write.dry_run {
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

/// Which object a write goes to, and its options.
pub(super) struct Write<'a> {
    pub(super) namespace: Option<&'a str>,
    pub(super) name: &'a str,
    pub(super) dry_run: bool,
    /// The uid the stored object must have (a PUT body's `metadata.uid`).
    pub(super) uid_precondition: Option<&'a str>,
}

/// Upstream's `checkName` and namespace rule for a body naming an existing object: its name must
/// be the URL's, its namespace (when set) the request's; an empty namespace takes the request's,
/// and cluster-scoped kinds have none.
pub(super) fn check_name<R: Resource>(
    object: &mut R,
    name: &str,
    namespace: Option<&str>,
) -> Result<(), Status> {
    let meta = object.metadata_mut();
    if meta.name != name {
        return Err(Status::bad_request(format!(
            "the name of the object ({}) does not match the name on the URL ({name})",
            meta.name
        )));
    }
    if !R::NAMESPACED {
        meta.namespace.clear();
        return Ok(());
    }
    match namespace.filter(|namespace| !namespace.is_empty()) {
        Some(requested) if meta.namespace.is_empty() => meta.namespace = requested.to_string(),
        Some(requested) if meta.namespace != requested => {
            return Err(Status::bad_request(format!(
                "the namespace of the object ({}) does not match the namespace on the request ({requested})",
                meta.namespace
            )));
        }
        // Without a namespace the request fails on its key (`Namespace parameter required.`).
        _ => {}
    }
    Ok(())
}

/// Upstream's `BeforeUpdate`: the generation, uid, creation and deletion marks come from the
/// stored object (a client cannot change them), then the kind's preparation, then the
/// generation bump of kinds that track it.
fn before_update<T: Strategy>(updated: &mut T, stored: &T, prepare: bool) -> Result<(), Status> {
    let old = stored.metadata();
    let meta = updated.metadata_mut();
    meta.generation = old.generation;
    if meta.uid.is_empty() {
        meta.uid = old.uid.clone();
    }
    if old.creation_timestamp.is_some() {
        meta.creation_timestamp = old.creation_timestamp;
    }
    if old.deletion_timestamp.is_some() {
        meta.deletion_timestamp = old.deletion_timestamp;
    }
    if old.deletion_grace_period_seconds.is_some() && meta.deletion_grace_period_seconds.is_none() {
        meta.deletion_grace_period_seconds = old.deletion_grace_period_seconds;
    }
    if prepare {
        updated.prepare_for_update(stored);
    }
    if T::TRACKS_GENERATION && spec_differs(updated, stored)? {
        updated.metadata_mut().generation = stored.metadata().generation + 1;
    }
    Ok(())
}

/// Whether an update finished the deletion of an object: it was being deleted with no grace
/// period left and the update removed its last finalizer, its own kind's included (upstream's
/// `ShouldDeleteDuringUpdate`, and `ShouldDeleteNamespaceDuringUpdate` for namespaces).
fn finalization_done<T: Strategy>(updated: &T, stored: &T) -> bool {
    let old = stored.metadata();
    updated.metadata().finalizers.is_empty()
        && !updated.finalizing()
        && old.deletion_timestamp.is_some()
        && old.deletion_grace_period_seconds.unwrap_or(0) == 0
}

/// The 409 of a PUT whose `metadata.uid` is not the stored object's, worded as upstream's
/// storage precondition error reaches clients.
fn uid_precondition_failed<T: Strategy>(
    key: &str,
    name: &str,
    wanted: &str,
    actual: &str,
) -> Status {
    let cause = format!(
        "StorageError: invalid object, Code: 4, Key: {key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: {wanted}, UID in object meta: {actual}"
    );
    Status::conflict(T::GROUP, T::PLURAL, name, cause)
}
