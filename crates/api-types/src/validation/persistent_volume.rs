//! PersistentVolumes: a storage capacity, access modes, a reclaim policy and exactly one source;
//! the source (and the volume mode) never changes once the volume exists.

use super::Validate;
use super::common::{validate_immutable, validate_positive_quantity};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::meta::{validate_core_object_meta, validate_core_object_meta_update};
use super::names::name_is_dns_subdomain;
use super::persistent_volume_claim::{VOLUME_MODES, validate_access_modes, validate_class_name};
use super::persistent_volume_source::validate_persistent_volume_source;
use super::scheduling::validate_node_selector;
use super::spec_diff::describe_changes;
use crate::api::core::v1::{PersistentVolume, PersistentVolumeSpec, VolumeNodeAffinity};

/// Reclaim policies (sorted).
const RECLAIM_POLICIES: [&str; 3] = ["Delete", "Recycle", "Retain"];

impl Validate for PersistentVolume {
    fn validate(&self) -> ErrorList {
        let mut errors = validate_core_object_meta(
            &self.metadata,
            false,
            name_is_dns_subdomain,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_volume_spec(
            &self.spec,
            &self.metadata.name,
            &FieldPath::new("spec"),
        ));
        errors
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors = self.validate();
        errors.append(validate_core_object_meta_update(
            &self.metadata,
            &old.metadata,
            &FieldPath::new("metadata"),
        ));
        errors.append(validate_volume_update(&self.spec, &old.spec));
        errors
    }
}

fn validate_volume_spec(spec: &PersistentVolumeSpec, name: &str, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let modes_path = path.child("accessModes");
    if spec.access_modes.is_empty() {
        errors.push(FieldError::required(&modes_path, ""));
    }
    errors.append(validate_access_modes(&spec.access_modes, &modes_path));
    let capacity_path = path.child("capacity");
    if spec.capacity.is_empty() {
        errors.push(FieldError::required(&capacity_path, ""));
    }
    if !spec.capacity.contains_key("storage") || spec.capacity.len() > 1 {
        errors.push(FieldError::not_supported(&capacity_path, &spec.capacity, &["storage"]));
    }
    for (resource, quantity) in &spec.capacity {
        let entry_path = capacity_path.key(resource);
        if quantity.value() < 0 {
            errors.push(FieldError::invalid(
                &entry_path,
                quantity.value(),
                "must be a valid resource quantity",
            ));
        }
        errors.append(validate_positive_quantity(quantity, &entry_path));
    }
    let policy = &spec.persistent_volume_reclaim_policy;
    if !policy.is_empty() && !RECLAIM_POLICIES.contains(&policy.as_str()) {
        errors.push(FieldError::not_supported(
            &path.child("persistentVolumeReclaimPolicy"),
            policy,
            &RECLAIM_POLICIES,
        ));
    }
    let affinity_path = path.child("nodeAffinity");
    let (has_node_affinity, affinity_errors) =
        validate_volume_node_affinity(spec.node_affinity.as_ref(), &affinity_path);
    errors.append(affinity_errors);
    errors.append(validate_persistent_volume_source(
        &spec.persistent_volume_source,
        name,
        has_node_affinity,
        path,
    ));
    let host_root = spec
        .persistent_volume_source
        .host_path
        .as_ref()
        .is_some_and(|host| cleans_to_root(&host.path));
    if host_root && policy == "Recycle" {
        errors.push(FieldError::forbidden(
            &path.child("persistentVolumeReclaimPolicy"),
            "may not be 'recycle' for a hostPath mount of '/'",
        ));
    }
    if !spec.storage_class_name.is_empty() {
        errors
            .append(validate_class_name(&spec.storage_class_name, &path.child("storageClassName")));
    }
    if let Some(mode) = &spec.volume_mode
        && !VOLUME_MODES.contains(&mode.as_str())
    {
        errors.push(FieldError::not_supported(&path.child("volumeMode"), mode, &VOLUME_MODES));
    }
    if let Some(class) = &spec.volume_attributes_class_name {
        let class_path = path.child("volumeAttributesClassName");
        if class.is_empty() {
            errors.push(FieldError::required(&class_path, "an empty string is disallowed"));
        } else {
            errors.append(validate_class_name(class, &class_path));
        }
        if spec.persistent_volume_source.csi.is_none() {
            errors.push(FieldError::required(
                &path.child("csi"),
                "has to be specified when using volumeAttributesClassName",
            ));
        }
    }
    errors
}

/// Whether a path names the root directory once `.`, `..` and repeated slashes are resolved
/// (upstream compares `path.Clean(p)` with `/`).
fn cleans_to_root(path: &str) -> bool {
    if !path.starts_with('/') {
        return false;
    }
    let mut depth = 0usize;
    for element in path.split('/') {
        match element {
            "" | "." => {}
            ".." => depth = depth.saturating_sub(1),
            _ => depth += 1,
        }
    }
    depth == 0
}

/// Node affinity restricts which nodes can use the volume (and is required for `local`
/// volumes); returns whether it is specified at all.
fn validate_volume_node_affinity(
    affinity: Option<&VolumeNodeAffinity>,
    path: &FieldPath,
) -> (bool, ErrorList) {
    let Some(affinity) = affinity else {
        return (false, ErrorList::new());
    };
    let errors = match &affinity.required {
        Some(selector) => validate_node_selector(selector, &path.child("required")),
        None => {
            FieldError::required(&path.child("required"), "must specify required node constraints")
                .into()
        }
    };
    (true, errors)
}

/// The source, mode and node affinity of a volume are fixed; a CSI volume may gain a
/// `controllerExpandSecretRef` and a volume without node affinity may gain one.
fn validate_volume_update(new: &PersistentVolumeSpec, old: &PersistentVolumeSpec) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut new_source = new.persistent_volume_source.clone();
    if let (Some(old_csi), Some(new_csi)) = (&old.persistent_volume_source.csi, &mut new_source.csi)
        && old_csi.controller_expand_secret_ref.is_none()
    {
        new_csi.controller_expand_secret_ref = None;
    }
    if new_source != old.persistent_volume_source {
        errors.push(FieldError::forbidden(
            &FieldPath::new("spec").child("persistentvolumesource"),
            format!(
                "spec.persistentvolumesource is immutable after creation\n{}",
                describe_changes(&old.persistent_volume_source, &new_source)
            ),
        ));
    }
    errors.append(validate_immutable(
        &new.volume_mode,
        &old.volume_mode,
        &FieldPath::new("volumeMode"),
    ));
    if old.node_affinity.is_some() && new.node_affinity != old.node_affinity {
        errors.append(validate_immutable(
            &new.node_affinity,
            &old.node_affinity,
            &FieldPath::new("nodeAffinity"),
        ));
    }
    if old.volume_attributes_class_name.is_some() && new.volume_attributes_class_name.is_none() {
        errors.push(FieldError::forbidden(
            &FieldPath::new("spec").child("volumeAttributesClassName"),
            "update from non-nil value to nil is forbidden",
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::{
        HostPathVolumeSource, LocalVolumeSource, NFSVolumeSource, NodeSelector,
        NodeSelectorRequirement, NodeSelectorTerm,
    };
    use crate::validation::ErrorType;
    use std::collections::BTreeMap;

    fn volume() -> PersistentVolume {
        let mut volume = PersistentVolume::default();
        volume.metadata.name = "pv0001".into();
        volume.spec.capacity = BTreeMap::from([("storage".to_string(), "5Gi".parse().unwrap())]);
        volume.spec.access_modes = vec!["ReadWriteOnce".into()];
        volume.spec.persistent_volume_reclaim_policy = "Recycle".into();
        volume.spec.persistent_volume_source.nfs = Some(NFSVolumeSource {
            server: "172.17.0.2".into(),
            path: "/tmp".into(),
            read_only: false,
        });
        volume
    }

    fn fields(errors: &ErrorList) -> Vec<&str> {
        errors.iter().map(|error| error.field.as_str()).collect()
    }

    #[test]
    fn a_plain_volume_is_valid() {
        assert!(volume().validate().is_empty());
    }

    #[test]
    fn volumes_are_cluster_scoped() {
        let mut namespaced = volume();
        namespaced.metadata.namespace = "default".into();
        let errors = namespaced.validate();
        assert_eq!(errors[0].field, "metadata.namespace");
        assert_eq!(errors[0].kind, ErrorType::Forbidden);
    }

    #[test]
    fn capacity_needs_storage_only() {
        let mut missing = volume();
        missing.spec.capacity.clear();
        let errors = missing.validate();
        assert_eq!(fields(&errors), ["spec.capacity", "spec.capacity"]);
        assert_eq!(errors[0].kind, ErrorType::Required);
        assert_eq!(
            errors[1].to_string(),
            r#"spec.capacity: Unsupported value: {}: supported values: "storage""#
        );
        let mut extra = volume();
        extra.spec.capacity.insert("cpu".into(), "1".parse().unwrap());
        assert_eq!(extra.validate()[0].kind, ErrorType::NotSupported);
        let mut zero = volume();
        zero.spec.capacity = BTreeMap::from([("storage".to_string(), "0".parse().unwrap())]);
        let errors = zero.validate();
        assert_eq!(errors[0].field, "spec.capacity[storage]");
        assert_eq!(errors[0].detail, "must be greater than zero");
    }

    #[test]
    fn access_modes_and_reclaim_policy() {
        let mut volume = volume();
        volume.spec.access_modes.clear();
        volume.spec.persistent_volume_reclaim_policy = "Keep".into();
        let errors = volume.validate();
        assert_eq!(fields(&errors), ["spec.accessModes", "spec.persistentVolumeReclaimPolicy"]);
        assert_eq!(errors[1].detail, r#"supported values: "Delete", "Recycle", "Retain""#);
    }

    #[test]
    fn exactly_one_source() {
        let mut none = volume();
        none.spec.persistent_volume_source.nfs = None;
        assert_eq!(
            none.validate()[0].to_string(),
            "spec: Required value: must specify a volume type"
        );
        let mut two = volume();
        two.spec.persistent_volume_source.host_path =
            Some(HostPathVolumeSource { path: "/data".into(), type_: None });
        assert_eq!(
            two.validate()[0].to_string(),
            "spec.nfs: Forbidden: may not specify more than 1 volume type"
        );
    }

    #[test]
    fn host_path_rules() {
        let mut volume = volume();
        volume.spec.persistent_volume_source.nfs = None;
        volume.spec.persistent_volume_source.host_path =
            Some(HostPathVolumeSource { path: "/".into(), type_: None });
        let errors = volume.validate();
        assert_eq!(
            errors[0].to_string(),
            "spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath mount of '/'"
        );
        volume.spec.persistent_volume_source.host_path = Some(HostPathVolumeSource::default());
        assert_eq!(volume.validate()[0].field, "spec.hostPath.path");
    }

    #[test]
    fn root_paths_are_recognised_after_cleaning() {
        assert!(cleans_to_root("/"));
        assert!(cleans_to_root("//./a/.."));
        assert!(!cleans_to_root("/data"));
        assert!(!cleans_to_root("data/.."));
    }

    #[test]
    fn local_volumes_need_node_affinity() {
        let mut volume = volume();
        volume.spec.persistent_volume_source.nfs = None;
        volume.spec.persistent_volume_source.local =
            Some(LocalVolumeSource { path: "/mnt/disks/ssd1".into(), fs_type: None });
        let errors = volume.validate();
        assert_eq!(
            errors[0].to_string(),
            "spec.nodeAffinity: Required value: Local volume requires node affinity"
        );
        volume.spec.node_affinity = Some(VolumeNodeAffinity {
            required: Some(NodeSelector {
                node_selector_terms: vec![NodeSelectorTerm {
                    match_expressions: vec![NodeSelectorRequirement {
                        key: "kubernetes.io/hostname".into(),
                        operator: "In".into(),
                        values: vec!["node-1".into()],
                    }],
                    match_fields: Vec::new(),
                }],
            }),
        });
        assert!(volume.validate().is_empty());
    }

    #[test]
    fn source_and_mode_are_immutable() {
        let mut old = volume();
        old.metadata.resource_version = "3".into();
        let mut moved = old.clone();
        if let Some(nfs) = &mut moved.spec.persistent_volume_source.nfs {
            nfs.path = "/srv".into();
        }
        let errors = moved.validate_update(&old);
        assert_eq!(errors[0].field, "spec.persistentvolumesource");
        assert!(errors[0].detail.starts_with(
            "spec.persistentvolumesource is immutable after creation\n- nfs.path: \"/tmp\"\n+ nfs.path: \"/srv\""
        ));
        let mut block = old.clone();
        block.spec.volume_mode = Some("Block".into());
        assert_eq!(fields(&block.validate_update(&old)), ["volumeMode"]);
        let mut reclaimed = old.clone();
        reclaimed.spec.persistent_volume_reclaim_policy = "Retain".into();
        assert!(reclaimed.validate_update(&old).is_empty());
    }
}
