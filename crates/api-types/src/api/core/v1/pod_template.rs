//! `PodTemplateSpec`, the pod blueprint every workload controller stamps pods from, and the
//! stand-alone `PodTemplate` kind that stores one.

use super::PodSpec;
use crate::meta::v1::ObjectMeta;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// The metadata and spec of pods a controller (Deployment, ReplicaSet, DaemonSet, ...) creates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodTemplateSpec")]
#[serde(rename_all = "camelCase")]
pub struct PodTemplateSpec {
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: PodSpec,
}

/// A pod template stored as its own object.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodTemplate")]
#[serde(rename_all = "camelCase")]
pub struct PodTemplate {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub template: PodTemplateSpec,
}

crate::impl_resource!(
    PodTemplate,
    group = "",
    version = "v1",
    kind = "PodTemplate",
    plural = "podtemplates",
    namespaced = true
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn pod_template_round_trips() {
        let wire = json!({
            "apiVersion": "v1",
            "kind": "PodTemplate",
            "metadata": {"name": "batch-worker", "namespace": "jobs", "creationTimestamp": "2024-05-02T09:00:00Z"},
            "template": {
                "metadata": {"creationTimestamp": null, "labels": {"role": "worker"}},
                "spec": {
                    "containers": [{"name": "worker", "image": "busybox:1.36", "command": ["sleep", "3600"], "resources": {}}],
                    "restartPolicy": "Never"
                }
            }
        });
        let template: PodTemplate = assert_round_trip(&wire);
        assert_eq!(template.template.spec.containers[0].command, ["sleep", "3600"]);
        assert_eq!(PodTemplate::PLURAL, "podtemplates");
    }

    #[test]
    fn empty_template_writes_its_parts() {
        assert_eq!(
            serde_json::to_value(PodTemplateSpec::default()).unwrap(),
            json!({"metadata": {"creationTimestamp": null}, "spec": {"containers": []}})
        );
    }
}
