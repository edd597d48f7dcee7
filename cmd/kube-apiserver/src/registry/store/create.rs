//! POST: a new object from a request body, with upstream's `BeforeCreate` steps and its retries of
//! generated names that collide.

use super::GenericStore;
use super::convert::{decode_body, decode_stored, encode_for_storage, to_response, with_status_of};
use super::errors::{Operation, storage_status};
use super::options::dry_run;
use super::random::{generate_name, uuid_v4};
use crate::registry::Strategy;
use crate::storage::StorageError;
use api_types::meta::v1::{CreateOptions, Status, StatusReason, Time};
use serde_json::Value;

/// How many names a `generateName` create tries before it reports the collision (upstream's
/// `maxNameGenerationCreateAttempts`).
const GENERATE_NAME_ATTEMPTS: usize = 8;

/// Upstream's message when the request's namespace and the body's disagree.
const NAMESPACE_MISMATCH: &str =
    "the namespace of the provided object does not match the namespace sent on the request";

impl<T: Strategy> GenericStore<T> {
    pub(super) async fn create_object(
        &self,
        namespace: Option<&str>,
        body: Value,
        options: &CreateOptions,
    ) -> Result<Value, Status> {
        let dry_run = dry_run(&options.dry_run, "CreateOptions")?;
        let mut object: T = decode_body(body)?;
        object.apply_defaults();
        settle_namespace(&mut object, namespace)?;
        let generate_from = {
            let meta = object.metadata();
            (meta.name.is_empty() && !meta.generate_name.is_empty())
                .then(|| meta.generate_name.clone())
        };
        let Some(prefix) = generate_from else {
            return self.create_once(object, namespace, dry_run).await;
        };
        let mut collision = None;
        for _ in 0..GENERATE_NAME_ATTEMPTS {
            let mut candidate = object.clone();
            candidate.metadata_mut().name = generate_name(&prefix);
            match self.create_once(candidate, namespace, dry_run).await {
                Err(status) if status.is(StatusReason::AlreadyExists) => collision = Some(status),
                done => return done,
            }
        }
        Err(collision.unwrap_or_else(|| Status::internal_error("no name was generated")))
    }

    /// One attempt at storing `object` under its (possibly generated) name.
    async fn create_once(
        &self,
        mut object: T,
        namespace: Option<&str>,
        dry_run: bool,
    ) -> Result<Value, Status> {
        prepare_new_object(&mut object)?;
        let name = object.metadata().name.clone();
        let errors = object.validate();
        if !errors.is_empty() {
            return Err(errors.to_status_for::<T>(&name));
        }
        let key = self.object_key(namespace, &name)?;
        if dry_run {
            return to_response(object);
        }
        match self.storage.create(&key, encode_for_storage(&object)?).await {
            Ok(revision) => {
                object.metadata_mut().resource_version = revision.to_string();
                to_response(object)
            }
            Err(StorageError::AlreadyExists { .. }) => {
                Err(self.name_taken(&key, &name, !object.metadata().generate_name.is_empty()).await)
            }
            Err(error) => Err(storage_status::<T>(error, Operation::Create, &name)),
        }
    }

    /// The 409 for a create whose name is taken: a generated-name conflict when the server picked
    /// the name, and prefixed with `object is being deleted: ` when the holder is on its way out.
    async fn name_taken(&self, key: &str, name: &str, generated: bool) -> Status {
        let mut status = if generated {
            Status::generate_name_conflict(T::GROUP, T::PLURAL, name, 1)
        } else {
            Status::already_exists(T::GROUP, T::PLURAL, name)
        };
        let holder = self.storage.get(key).await.ok();
        let being_deleted = holder
            .and_then(|stored| decode_stored::<T>(&stored).ok())
            .is_some_and(|existing| existing.metadata().deletion_timestamp.is_some());
        if being_deleted {
            status.message = format!("object is being deleted: {}", status.message);
        }
        status
    }
}

/// Puts the object in the request's namespace: an empty namespace in the body takes the
/// request's, a different one is a 400; cluster-scoped objects lose any namespace they name.
pub(super) fn settle_namespace<T: Strategy>(
    object: &mut T,
    namespace: Option<&str>,
) -> Result<(), Status> {
    let meta = object.metadata_mut();
    if !T::NAMESPACED {
        meta.namespace.clear();
        return Ok(());
    }
    let Some(requested) = namespace.filter(|namespace| !namespace.is_empty()) else {
        return Err(Status::bad_request("Namespace parameter required."));
    };
    if meta.namespace.is_empty() {
        meta.namespace = requested.to_string();
    } else if meta.namespace != requested {
        return Err(Status::bad_request(NAMESPACE_MISMATCH));
    }
    Ok(())
}

/// The metadata the server owns on a new object, a fresh status, and the kind's own
/// preparation.
fn prepare_new_object<T: Strategy>(object: &mut T) -> Result<(), Status> {
    if T::STATUS_SUBRESOURCE && !T::KEEPS_STATUS_ON_CREATE {
        *object = with_status_of(object, &T::default())?;
    }
    let meta = object.metadata_mut();
    meta.uid = uuid_v4();
    meta.creation_timestamp = Some(Time::now());
    meta.resource_version.clear();
    meta.self_link.clear();
    meta.deletion_timestamp = None;
    meta.deletion_grace_period_seconds = None;
    meta.generation = if T::TRACKS_GENERATION { 1 } else { 0 };
    object.prepare_for_create();
    Ok(())
}
