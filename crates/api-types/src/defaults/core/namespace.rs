//! Namespace defaults: a new namespace is active and labelled with its own name, so that
//! namespace selectors can pick namespaces by name.

use crate::api::core::v1::Namespace;
use crate::defaults::ApplyDefaults;

/// The label every named namespace carries, holding its name.
pub(crate) const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";
const PHASE_ACTIVE: &str = "Active";

/// `spec.finalizers: [kubernetes]` is not set here: upstream's namespace registry strategy adds
/// it on create, not the defaulter.
impl ApplyDefaults for Namespace {
    fn apply_defaults(&mut self) {
        // The label always tracks the name; a namespace still waiting for a generated name
        // gets it once named.
        if !self.metadata.name.is_empty() {
            self.metadata
                .labels
                .insert(NAMESPACE_NAME_LABEL.to_string(), self.metadata.name.clone());
        }
        if self.status.phase.is_empty() {
            self.status.phase = PHASE_ACTIVE.to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::test_support::defaulted_wire;
    use serde_json::json;

    #[test]
    fn new_namespace_is_active_and_labelled_with_its_name() {
        let wire = defaulted_wire::<Namespace>(json!({
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"name": "dev", "labels": {"team": "web"}}
        }));
        assert_eq!(
            wire,
            json!({
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {
                    "name": "dev",
                    "creationTimestamp": null,
                    "labels": {"kubernetes.io/metadata.name": "dev", "team": "web"}
                },
                "spec": {},
                "status": {"phase": "Active"}
            })
        );
    }

    #[test]
    fn name_label_overrides_a_conflicting_value_and_phase_is_kept() {
        let wire = defaulted_wire::<Namespace>(json!({
            "metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "prod"}},
            "status": {"phase": "Terminating"}
        }));
        assert_eq!(wire["metadata"]["labels"]["kubernetes.io/metadata.name"], "dev");
        assert_eq!(wire["status"]["phase"], "Terminating");
    }

    #[test]
    fn generate_name_only_gets_no_label_and_no_finalizer() {
        let wire = defaulted_wire::<Namespace>(json!({"metadata": {"generateName": "tmp-"}}));
        assert_eq!(wire["metadata"].get("labels"), None);
        assert_eq!(wire["spec"], json!({}));
    }
}
