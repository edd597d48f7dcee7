//! Namespace: a DNS-label name and valid `spec.finalizers`; plus the rules of its two
//! subresources, `status` (phase consistent with deletion) and `finalize` (the finalizer list).
//!
//! A plain update does not change `spec.finalizers` upstream (the registry keeps the stored list;
//! only `finalize` changes it), so [`Validate::validate_update`] checks metadata only.

use crate::api::core::v1::Namespace;
use crate::validation::meta::{
    validate_core_object_meta, validate_core_object_meta_update, validate_finalizer_name,
    validate_kube_finalizer_name,
};
use crate::validation::names::name_is_dns_label;
use crate::validation::{ErrorList, FieldError, FieldPath, Validate};

const PHASE_ACTIVE: &str = "Active";
const PHASE_TERMINATING: &str = "Terminating";

impl Validate for Namespace {
    fn validate(&self) -> ErrorList {
        let mut errors = validate_core_object_meta(
            &self.metadata,
            false,
            name_is_dns_label,
            &FieldPath::new("metadata"),
        );
        // Reported at the list, without an index, as upstream does on create.
        let path = finalizers_path();
        for finalizer in &self.spec.finalizers {
            errors.append(validate_spec_finalizer(finalizer, &path));
        }
        errors
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        validate_core_object_meta_update(&self.metadata, &old.metadata, &FieldPath::new("metadata"))
    }
}

/// An update through `namespaces/{name}/status`: the phase must be `Active` unless deletion has
/// started, and `Terminating` once it has.
pub fn validate_namespace_status_update(new: &Namespace, old: &Namespace) -> ErrorList {
    let mut errors =
        validate_core_object_meta_update(&new.metadata, &old.metadata, &FieldPath::new("metadata"));
    // Upstream spells this path with a capital P.
    let phase_path = FieldPath::new("status").child("Phase");
    let phase = new.status.phase.as_str();
    if new.metadata.deletion_timestamp.is_none() {
        if phase != PHASE_ACTIVE {
            errors.push(FieldError::invalid(
                &phase_path,
                phase,
                "may only be 'Active' if `deletionTimestamp` is empty",
            ));
        }
    } else if phase != PHASE_TERMINATING {
        errors.push(FieldError::invalid(
            &phase_path,
            phase,
            "may only be 'Terminating' if `deletionTimestamp` is not empty",
        ));
    }
    errors
}

/// An update through `namespaces/{name}/finalize`, the only way `spec.finalizers` changes: each
/// finalizer must be valid.
pub fn validate_namespace_finalize_update(new: &Namespace, old: &Namespace) -> ErrorList {
    let mut errors =
        validate_core_object_meta_update(&new.metadata, &old.metadata, &FieldPath::new("metadata"));
    let path = finalizers_path();
    for (index, finalizer) in new.spec.finalizers.iter().enumerate() {
        errors.append(validate_spec_finalizer(finalizer, &path.index(index)));
    }
    errors
}

fn finalizers_path() -> FieldPath {
    FieldPath::new("spec").child("finalizers")
}

fn validate_spec_finalizer(finalizer: &str, path: &FieldPath) -> ErrorList {
    let mut errors = validate_finalizer_name(finalizer, path);
    errors.append(validate_kube_finalizer_name(finalizer, path));
    errors
}
