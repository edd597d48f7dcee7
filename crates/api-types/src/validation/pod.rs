//! Pods on create, and Bindings (how the scheduler assigns a pod to a node). Updates of a running
//! pod are in `pod_update`.

use super::Validate;
use super::container::validate_image_whitespace;
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::meta::validate_core_object_meta;
use super::names::name_is_dns_subdomain;
use super::pod_spec::{SpecOwner, validate_pod_spec};
use super::pod_update::validate_pod_update;
use crate::api::core::v1::{Binding, Pod, PodSpec};
use std::collections::BTreeMap;

/// Marks a pod the kubelet mirrors from a static manifest; such a pod is bound to its node.
pub(crate) const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";
/// Prefix of the per-container AppArmor annotations that predate the `appArmorProfile` field.
pub(crate) const APP_ARMOR_ANNOTATION_PREFIX: &str =
    "container.apparmor.security.beta.kubernetes.io/";
/// A ReplicaSet scales down pods with lower cost first.
const POD_DELETION_COST_ANNOTATION: &str = "controller.kubernetes.io/pod-deletion-cost";

impl Validate for Pod {
    fn validate(&self) -> ErrorList {
        let spec_path = FieldPath::new("spec");
        let mut errors = validate_pod_metadata_and_spec(self);
        if !self.spec.ephemeral_containers.is_empty() {
            errors.push(FieldError::forbidden(
                &spec_path.child("ephemeralContainers"),
                "cannot be set on create",
            ));
        }
        if !self.spec.node_name.is_empty() && !self.spec.scheduling_gates.is_empty() {
            errors.push(FieldError::forbidden(
                &spec_path.child("nodeName"),
                "cannot be set until all schedulingGates have been cleared",
            ));
        }
        errors
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        validate_pod_update(self, old)
    }
}

/// What create and update share: metadata, pod annotations, the spec as a pod's own, and the
/// rules that apply to pods but not to templates.
pub(crate) fn validate_pod_metadata_and_spec(pod: &Pod) -> ErrorList {
    let metadata_path = FieldPath::new("metadata");
    let spec_path = FieldPath::new("spec");
    let mut errors =
        validate_core_object_meta(&pod.metadata, true, name_is_dns_subdomain, &metadata_path);
    errors.append(validate_pod_annotations(
        &pod.metadata.annotations,
        &pod.spec,
        &metadata_path.child("annotations"),
    ));
    errors.append(validate_pod_spec(&pod.spec, SpecOwner::Pod(&pod.metadata.name), &spec_path));
    if pod.spec.service_account_name.is_empty() {
        errors.append(validate_no_token_projections(&pod.spec, &spec_path));
    }
    let lists =
        [("containers", &pod.spec.containers), ("initContainers", &pod.spec.init_containers)];
    for (field, containers) in lists {
        let list_path = spec_path.child(field);
        for (index, container) in containers.iter().enumerate() {
            errors.append(validate_image_whitespace(container, &list_path.index(index)));
        }
    }
    errors
}

/// Annotations with meaning for pods (and pod templates): a mirror pod must be bound to a node,
/// and a deletion cost must be a 32-bit integer.
pub(crate) fn validate_pod_annotations(
    annotations: &BTreeMap<String, String>,
    spec: &PodSpec,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    if let Some(value) = annotations.get(MIRROR_POD_ANNOTATION)
        && spec.node_name.is_empty()
    {
        errors.push(FieldError::invalid(
            &path.key(MIRROR_POD_ANNOTATION),
            value,
            "must set spec.nodeName if mirror pod annotation is set",
        ));
    }
    if let Some(cost) = annotations.get(POD_DELETION_COST_ANNOTATION)
        && !is_deletion_cost(cost)
    {
        errors.push(FieldError::invalid(
            &path.key(POD_DELETION_COST_ANNOTATION),
            cost,
            "must be a 32bit integer",
        ));
    }
    errors
}

/// A deletion cost is a 32-bit decimal integer that starts with `-` or a non-zero digit (or is
/// exactly `0`): `+10` and `008` are refused, as upstream refuses them.
fn is_deletion_cost(text: &str) -> bool {
    let first_ok = match text.as_bytes().first() {
        Some(b'-') | Some(b'1'..=b'9') => true,
        Some(b'0') => text == "0",
        _ => false,
    };
    first_ok && text.parse::<i32>().is_ok()
}

/// Service-account tokens can only be projected for a pod that runs as a service account.
fn validate_no_token_projections(spec: &PodSpec, spec_path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let volumes_path = spec_path.child("volumes");
    for (volume_index, volume) in spec.volumes.iter().enumerate() {
        let Some(projected) = &volume.volume_source.projected else {
            continue;
        };
        let sources_path = volumes_path.index(volume_index).child("projected").child("sources");
        for (source_index, source) in projected.sources.iter().enumerate() {
            if source.service_account_token.is_some() {
                errors.push(FieldError::forbidden(
                    &sources_path.index(source_index).child("serviceAccountToken"),
                    "must not be specified when serviceAccountName is not set",
                ));
            }
        }
    }
    errors
}

impl Validate for Binding {
    /// The target must be a node (or leave its kind empty) and be named.
    fn validate(&self) -> ErrorList {
        let target_path = FieldPath::new("target");
        let mut errors = ErrorList::new();
        let kind = &self.target.kind;
        if !kind.is_empty() && kind != "Node" {
            errors.push(FieldError::not_supported(
                &target_path.child("kind"),
                kind,
                &["Node", "<empty>"],
            ));
        }
        if self.target.name.is_empty() {
            errors.push(FieldError::required(&target_path.child("name"), ""));
        }
        errors
    }

    /// Bindings are only ever created; an update is held to the create rules.
    fn validate_update(&self, _old: &Self) -> ErrorList {
        self.validate()
    }
}
