//! The `scale` subresource: an `autoscaling/v1` `Scale` view of a kind's replica count (through
//! [`Strategy::scale`]), and writes of it that go through the kind's own update path.

use super::GenericStore;
use super::convert::{decode_body, to_json};
use super::errors::no_such_subresource;
use super::patch::apply_patch;
use super::update::{Write, check_name};
use crate::registry::Strategy;
use api_types::Resource;
use api_types::api::autoscaling::v1::{Scale, ScaleSpec, ScaleStatus};
use api_types::meta::v1::{ObjectMeta, PatchType, Status};
use api_types::validation::Validate;
use serde_json::Value;

impl<T: Strategy> GenericStore<T> {
    /// PUT of `scale`: the body's replica count written to the object, with the body's
    /// `resourceVersion` as the precondition.
    pub(super) async fn update_scale(
        &self,
        namespace: Option<&str>,
        name: &str,
        body: Value,
        dry_run: bool,
    ) -> Result<Value, Status> {
        let mut requested: Scale = decode_body(body)?;
        check_name(&mut requested, name, namespace)?;
        let write = Write { namespace, name, dry_run, uid_precondition: None };
        let updated = self.guaranteed_update(&write, |stored| scaled(stored, &requested)).await?;
        scale_response(&updated)
    }

    /// PATCH of `scale`: the patch applies to the current `Scale`, whose replica count is then
    /// written to the object.
    pub(super) async fn patch_scale(
        &self,
        namespace: Option<&str>,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        dry_run: bool,
    ) -> Result<Value, Status> {
        let write = Write { namespace, name, dry_run, uid_precondition: None };
        let updated = self
            .guaranteed_update(&write, |stored| {
                let mut requested: Scale = apply_patch(&scale_of(stored)?, patch_type, patch)?;
                check_name(&mut requested, name, namespace)?;
                scaled(stored, &requested)
            })
            .await?;
        scale_response(&updated)
    }
}

/// The `Scale` of `object` as JSON; 404 if the kind serves none.
pub(super) fn scale_response<T: Strategy>(object: &T) -> Result<Value, Status> {
    to_json(&scale_of(object)?)
}

/// The `Scale` of `object`: its identity and resourceVersion, desired and observed replicas, and
/// pod selector.
fn scale_of<T: Strategy>(object: &T) -> Result<Scale, Status> {
    let view = object.scale().ok_or_else(no_such_subresource)?;
    let meta = object.metadata();
    Ok(Scale {
        api_version: Scale::API_VERSION.to_string(),
        kind: Scale::KIND.to_string(),
        metadata: ObjectMeta {
            name: meta.name.clone(),
            namespace: meta.namespace.clone(),
            uid: meta.uid.clone(),
            resource_version: meta.resource_version.clone(),
            creation_timestamp: meta.creation_timestamp,
            ..Default::default()
        },
        spec: ScaleSpec { replicas: view.desired_replicas },
        status: ScaleStatus { replicas: view.observed_replicas, selector: view.selector },
    })
}

/// The stored object with the requested replica count, for the update path (with the kind's
/// preparation); 422 on the `Scale` if the request is invalid.
fn scaled<T: Strategy>(stored: &T, requested: &Scale) -> Result<(T, bool), Status> {
    scale_of(stored)?;
    let errors = requested.validate();
    if !errors.is_empty() {
        return Err(errors.to_status_for::<Scale>(&requested.metadata.name));
    }
    let mut updated = stored.clone();
    updated.set_scale_replicas(requested.spec.replicas);
    updated.metadata_mut().resource_version = requested.metadata.resource_version.clone();
    Ok((updated, true))
}
