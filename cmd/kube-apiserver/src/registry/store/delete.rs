//! DELETE of one object or of a collection, with upstream's preconditions, graceful deletion,
//! finalizers and garbage-collection finalizers (`registry/rest/delete.go`, `Store.Delete`).
//!
//! A delete either removes the object at once, or only marks it and keeps it:
//! - finalizers hold it (its own, or the kind's: a Namespace's `spec.finalizers`):
//!   `deletionTimestamp` is set (now), `deletionGracePeriodSeconds` 0, and the kind's
//!   [`Strategy::prepare_for_deletion`] runs (a Namespace turns `Terminating`); the update that
//!   removes the last finalizer deletes it;
//! - a propagation policy that needs the garbage collector (`Orphan`, `Foreground`, or the
//!   kind's default) adds the `orphan` / `foregroundDeletion` finalizer, which then holds it;
//! - kinds with [`Strategy::GRACEFUL_DELETION`] (Pods) get `deletionTimestamp` = now + grace
//!   period and stay until deleted again with a shorter period (the kubelet's final delete with
//!   0); a repeated delete that would not shorten the period changes nothing.
//!
//! Either way the response is the object: as deleted, or as it now stands.

use super::GenericStore;
use super::convert::{decode_stored, encode_for_storage, same_stored_form, to_json, to_response};
use super::errors::{MAX_WRITE_ATTEMPTS, OPTIMISTIC_LOCK_MESSAGE, Operation, storage_status};
use super::options::validate_delete_options;
use crate::registry::Strategy;
use crate::storage::{KeyValue, StorageError};
use api_types::List;
use api_types::meta::v1::{
    DeleteOptions, ListOptions, ObjectMeta, Status, StatusReason, Time, propagation_policy,
};
use api_types::validation::meta::{FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN_DEPENDENTS};
use chrono::Duration;
use serde_json::Value;
use std::collections::BTreeSet;

/// What a delete does to the stored object.
enum Deletion<T> {
    /// A graceful deletion is already under way and the request would not shorten it.
    AlreadyPending,
    /// Remove the object now.
    Now,
    /// Write the marked object; remove it right after when nothing holds it any longer.
    Mark { object: T, then_delete: bool },
}

/// The outcome of the graceful-deletion step.
enum Graceful {
    /// The kind does not delete gracefully, or the grace period is over.
    No,
    /// The object was marked with (or had shortened) its grace period.
    Marked,
    /// The request would not shorten the grace period under way.
    Pending,
}

impl<T: Strategy> GenericStore<T> {
    pub(super) async fn delete_object(
        &self,
        namespace: Option<&str>,
        name: &str,
        options: &DeleteOptions,
    ) -> Result<Value, Status> {
        validate_delete_options(options)?;
        let dry_run = !options.dry_run.is_empty();
        let key = self.object_key(namespace, name)?;
        // Upstream reads a negative grace period as one second.
        let requested_grace =
            options.grace_period_seconds.map(|seconds| if seconds < 0 { 1 } else { seconds });
        for _ in 0..MAX_WRITE_ATTEMPTS {
            let stored_value = self
                .storage
                .get(&key)
                .await
                .map_err(|error| storage_status::<T>(error, Operation::Delete, name))?;
            let stored: T = decode_stored(&stored_value)?;
            check_preconditions(&stored, options)?;
            // The object to delete now, and whether this delete marked it first.
            let (object, marked) =
                match plan_deletion(&stored, requested_grace, options, Time::now()) {
                    Deletion::AlreadyPending => return to_response(stored),
                    Deletion::Now if dry_run => return to_response(stored),
                    Deletion::Now => (stored, false),
                    Deletion::Mark { object, .. } if dry_run => return to_response(object),
                    Deletion::Mark { object, then_delete } => {
                        match self.write_mark(&key, object, &stored, &stored_value).await? {
                            Some(marked) if then_delete => (marked, true),
                            Some(marked) => return to_response(marked),
                            None => continue,
                        }
                    }
                };
            let expected = object.metadata().resource_version.parse().ok();
            match self.storage.delete(&key, expected).await {
                Ok((deleted, _)) => return to_response(decode_stored::<T>(&deleted)?),
                // Someone else finished the deletion this request started: it is done.
                Err(StorageError::NotFound { .. }) if marked => return to_response(object),
                Err(StorageError::Conflict { .. }) => continue,
                Err(error) => return Err(storage_status::<T>(error, Operation::Delete, name)),
            }
        }
        Err(Status::conflict(T::GROUP, T::PLURAL, name, OPTIMISTIC_LOCK_MESSAGE))
    }

    /// Stores the marked object over `stored` (unless nothing changed); `None` when another
    /// write got there first.
    async fn write_mark(
        &self,
        key: &str,
        mut marked: T,
        stored: &T,
        stored_value: &KeyValue,
    ) -> Result<Option<T>, Status> {
        let name = stored.metadata().name.as_str();
        let revision = if same_stored_form(&marked, stored)? {
            stored_value.mod_revision
        } else {
            let bytes = encode_for_storage(&marked)?;
            match self.storage.update(key, bytes, stored_value.mod_revision).await {
                Ok(revision) => revision,
                Err(StorageError::Conflict { .. }) => return Ok(None),
                Err(error) => return Err(storage_status::<T>(error, Operation::Delete, name)),
            }
        };
        marked.metadata_mut().resource_version = revision.to_string();
        Ok(Some(marked))
    }

    /// Deletes every object the list options select (one page of them when `limit` is set),
    /// returning them as listed. Objects that vanish meanwhile are skipped; any other failure
    /// stops the deletion with that failure.
    pub(super) async fn delete_objects(
        &self,
        namespace: Option<&str>,
        list_options: &ListOptions,
        options: &DeleteOptions,
    ) -> Result<Value, Status> {
        validate_delete_options(options)?;
        let (items, metadata) = self.list_typed(namespace, list_options).await?;
        for item in &items {
            let meta = item.metadata();
            let namespace = T::NAMESPACED.then_some(meta.namespace.as_str());
            match self.delete_object(namespace, &meta.name, options).await {
                Err(status) if !status.is(StatusReason::NotFound) => return Err(status),
                _ => {}
            }
        }
        to_json(&List::new(items, metadata))
    }
}

/// Upstream's delete preconditions: 409 when the stored object is not the one the client means.
fn check_preconditions<T: Strategy>(stored: &T, options: &DeleteOptions) -> Result<(), Status> {
    let Some(preconditions) = &options.preconditions else { return Ok(()) };
    let meta = stored.metadata();
    let conflict = |cause: String| Status::conflict(T::GROUP, T::KIND, &meta.name, cause);
    if let Some(uid) = &preconditions.uid
        && *uid != meta.uid
    {
        return Err(conflict(format!(
            "the UID in the precondition ({uid}) does not match the UID in record ({}). The object might have been deleted and then recreated",
            meta.uid
        )));
    }
    if let Some(resource_version) = &preconditions.resource_version
        && *resource_version != meta.resource_version
    {
        return Err(conflict(format!(
            "the ResourceVersion in the precondition ({resource_version}) does not match the ResourceVersion in record ({}). The object might have been modified",
            meta.resource_version
        )));
    }
    Ok(())
}

/// Decides what a delete of `stored` does (see the module documentation).
fn plan_deletion<T: Strategy>(
    stored: &T,
    requested_grace: Option<i64>,
    options: &DeleteOptions,
    now: Time,
) -> Deletion<T> {
    let mut object = stored.clone();
    let graceful = T::GRACEFUL_DELETION
        && match graceful_step(&mut object, requested_grace, now) {
            Graceful::Pending => return Deletion::AlreadyPending,
            Graceful::Marked => true,
            Graceful::No => false,
        };
    if let Some(finalizers) = garbage_collection_finalizers::<T>(object.metadata(), options) {
        object.metadata_mut().finalizers = finalizers;
    }
    let held_by_finalizers = !object.metadata().finalizers.is_empty() || object.finalizing();
    if graceful {
        let grace_left = object.metadata().deletion_grace_period_seconds.unwrap_or(0) > 0;
        return Deletion::Mark { object, then_delete: !held_by_finalizers && !grace_left };
    }
    if held_by_finalizers {
        mark_as_deleting(object.metadata_mut(), now);
        object.prepare_for_deletion();
        return Deletion::Mark { object, then_delete: false };
    }
    Deletion::Now
}

/// Upstream's `BeforeDelete` for kinds that delete gracefully.
fn graceful_step<T: Strategy>(object: &mut T, requested: Option<i64>, now: Time) -> Graceful {
    let meta = object.metadata();
    let Some(marked_at) = meta.deletion_timestamp else {
        let period = object.deletion_grace_period_seconds(requested).max(0);
        let meta = object.metadata_mut();
        meta.deletion_timestamp = Some(Time(now.0 + Duration::seconds(period)));
        meta.deletion_grace_period_seconds = Some(period);
        if meta.generation > 0 {
            meta.generation += 1;
        }
        return Graceful::Marked;
    };
    let period = meta.deletion_grace_period_seconds.unwrap_or(0);
    if period == 0 {
        return Graceful::No;
    }
    match requested {
        Some(shorter) if shorter < period => {
            let meta = object.metadata_mut();
            let deadline = marked_at.0 - Duration::seconds(period) + Duration::seconds(shorter);
            meta.deletion_timestamp = Some(Time(deadline));
            meta.deletion_grace_period_seconds = Some(shorter);
            Graceful::Marked
        }
        _ => Graceful::Pending,
    }
}

/// Marks an object that finalizers hold: deletion requested now (or earlier), no grace period,
/// and a generation bump on the first mark, as upstream's `markAsDeleting`.
fn mark_as_deleting(meta: &mut ObjectMeta, now: Time) {
    if meta.deletion_timestamp.is_none() && meta.generation > 0 {
        meta.generation += 1;
    }
    if meta.deletion_timestamp.is_none_or(|marked| marked > now) {
        meta.deletion_timestamp = Some(now);
    }
    meta.deletion_grace_period_seconds = Some(0);
}

/// The finalizers after the garbage collector's `orphan`/`foregroundDeletion` are set as the
/// delete asks (options first, then the object's own choice, then the kind's default), or
/// `None` when they stay as they are.
fn garbage_collection_finalizers<T: Strategy>(
    meta: &ObjectMeta,
    options: &DeleteOptions,
) -> Option<Vec<String>> {
    let policy = options.propagation_policy.as_deref();
    let has = |finalizer: &str| meta.finalizers.iter().any(|present| present == finalizer);
    let orphan = match (options.orphan_dependents, policy) {
        (Some(orphan), _) => orphan,
        (None, Some(policy)) => policy == propagation_policy::ORPHAN,
        (None, None) if has(FINALIZER_ORPHAN_DEPENDENTS) => true,
        (None, None) if has(FINALIZER_DELETE_DEPENDENTS) => false,
        (None, None) => T::ORPHAN_DEPENDENTS_BY_DEFAULT,
    };
    let foreground = match (options.orphan_dependents, policy) {
        (Some(_), _) => false,
        (None, Some(policy)) => policy == propagation_policy::FOREGROUND,
        (None, None) if has(FINALIZER_DELETE_DEPENDENTS) => true,
        (None, None) => false,
    };
    let mut finalizers: Vec<String> = meta
        .finalizers
        .iter()
        .filter(|finalizer| {
            *finalizer != FINALIZER_ORPHAN_DEPENDENTS && *finalizer != FINALIZER_DELETE_DEPENDENTS
        })
        .cloned()
        .collect();
    if orphan {
        finalizers.push(FINALIZER_ORPHAN_DEPENDENTS.to_string());
    }
    if foreground {
        finalizers.push(FINALIZER_DELETE_DEPENDENTS.to_string());
    }
    let before: BTreeSet<&String> = meta.finalizers.iter().collect();
    let after: BTreeSet<&String> = finalizers.iter().collect();
    (before != after).then_some(finalizers)
}
