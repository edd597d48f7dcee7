//! `Container` and the parts that describe one process of a pod: ports, mounts, resources, resize
//! and restart policies. Environment, probes and security settings have their own modules.

use super::{EnvFromSource, EnvVar, Lifecycle, Probe, SecurityContext};
use crate::quantity::Quantity;
use crate::serde_util::{is_false, is_zero, nullable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One container of a pod (regular, init, or the common part of an ephemeral container): what to
/// run, with which environment, mounts, resources, probes and security settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Container")]
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// The container's name, unique within the pod (a DNS label); it cannot be changed.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// The container image to run, as a registry reference (`nginx:1.25`).
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub image: String,
    /// The entrypoint, run without a shell; the image's ENTRYPOINT when empty. `$(VAR)`
    /// expands from the container's environment.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Arguments to the entrypoint; the image's CMD when empty. `$(VAR)` expands from the
    /// container's environment.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// The directory the process starts in; the image's default when empty.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    /// Ports the container exposes; informational, except that named ports can be targeted
    /// by Services and probes.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ContainerPort>,
    /// Sources (ConfigMaps, Secrets) whose keys all become environment variables; `env`
    /// wins on duplicates.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub env_from: Vec<EnvFromSource>,
    /// Environment variables to set in the container.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    // A non-pointer struct upstream: always written, as `resources: {}` when empty.
    /// The compute resources (CPU, memory, ...) the container requests and is limited to.
    #[serde(default, deserialize_with = "nullable")]
    pub resources: ResourceRequirements,
    /// How the container reacts when its resources are changed in place.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub resize_policy: Vec<ContainerResizePolicy>,
    /// Per-container override of the pod's restart policy; `Always` on an init container makes
    /// it a sidecar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
    /// Rules, matched on exit codes, that override `restartPolicy` for this container.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub restart_policy_rules: Vec<ContainerRestartRule>,
    /// The pod volumes to mount into the container's filesystem.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMount>,
    /// The block devices, from the pod's volumes, to expose to the container.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub volume_devices: Vec<VolumeDevice>,
    /// A check whose failure restarts the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    /// A check whose failure takes the pod out of Service endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    /// A check that must pass before the other probes start; its failure restarts the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Probe>,
    /// Hooks run just after the container starts and just before it stops.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    /// The file whose contents become the termination message; `/dev/termination-log` by default.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub termination_message_path: String,
    /// `File` (the default) or `FallbackToLogsOnError`: where the termination message comes from.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub termination_message_policy: String,
    /// `Always`, `Never` or `IfNotPresent`; `Always` for a `:latest` or untagged image,
    /// `IfNotPresent` otherwise.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub image_pull_policy: String,
    /// Security options of the container, overriding those of the pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
    /// Whether the container gets a stdin buffer (for `kubectl attach`).
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub stdin: bool,
    /// Whether stdin closes after the first client detaches.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub stdin_once: bool,
    /// Whether the container gets a terminal; needs `stdin`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub tty: bool,
}

/// A port the container listens on; named ports are what Services' `targetPort: http` resolve.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ContainerPort")]
#[serde(rename_all = "camelCase")]
pub struct ContainerPort {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub host_port: i32,
    #[serde(default, deserialize_with = "nullable")]
    pub container_port: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    #[serde(
        rename = "hostIP",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub host_ip: String,
}

/// Mounts one of the pod's volumes into the container's filesystem.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.VolumeMount")]
#[serde(rename_all = "camelCase")]
pub struct VolumeMount {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// `Disabled`, `IfPossible` or `Enabled`: whether a read-only mount is read-only recursively.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recursive_read_only: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub mount_path: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub sub_path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_propagation: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub sub_path_expr: String,
}

/// Maps a raw block-device PVC into the container at `devicePath`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.VolumeDevice")]
#[serde(rename_all = "camelCase")]
pub struct VolumeDevice {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub device_path: String,
}

/// Compute resources a container (or, in `spec.resources`, the whole pod) asks for and may use;
/// the scheduler packs by `requests`, the kubelet enforces `limits`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ResourceRequirements")]
#[serde(rename_all = "camelCase")]
pub struct ResourceRequirements {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub limits: BTreeMap<String, Quantity>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub requests: BTreeMap<String, Quantity>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<ResourceClaim>,
}

/// Makes one of the pod's `spec.resourceClaims` (dynamic resource allocation) available to a
/// container, optionally only one request of it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ResourceClaim")]
#[serde(rename_all = "camelCase")]
pub struct ResourceClaim {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub request: String,
}

/// How an in-place resize of one resource is applied: `NotRequired` or `RestartContainer`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ContainerResizePolicy")]
#[serde(rename_all = "camelCase")]
pub struct ContainerResizePolicy {
    #[serde(default, deserialize_with = "nullable")]
    pub resource_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub restart_policy: String,
}

/// One rule deciding, from a container's exit, whether to restart it despite the container's
/// restart policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ContainerRestartRule")]
#[serde(rename_all = "camelCase")]
pub struct ContainerRestartRule {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_codes: Option<ContainerRestartRuleOnExitCodes>,
}

/// The exit-code condition of a restart rule: `operator` `In` or `NotIn` over `values`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ContainerRestartRuleOnExitCodes")]
#[serde(rename_all = "camelCase")]
pub struct ContainerRestartRuleOnExitCodes {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub operator: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<i32>,
}

/// Upstream keeps a field-for-field copy of `Container` for ephemeral containers; the wire form is
/// identical, so the same type serves both.
pub type EphemeralContainerCommon = Container;

/// A debugging container added to a running pod through the `ephemeralcontainers` subresource;
/// its container fields sit inline next to `targetContainerName`, as upstream embeds them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.EphemeralContainer")]
#[serde(rename_all = "camelCase")]
pub struct EphemeralContainer {
    #[serde(flatten)]
    pub common: EphemeralContainerCommon,
    /// The container whose namespaces (PID, IPC, ...) this one joins.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub target_container_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    /// The container of `kubectl create deployment web --image=nginx --port=8080
    /// --dry-run=client -o json` (kubectl v1.32.4).
    #[test]
    fn minimal_container_writes_empty_resources_like_kubectl() {
        let wire = json!({
            "name": "nginx",
            "image": "nginx",
            "ports": [{"containerPort": 8080}],
            "resources": {}
        });
        let container: Container = assert_round_trip(&wire);
        assert_eq!(container.ports[0].container_port, 8080);
    }

    #[test]
    fn acronym_fields_keep_upstream_names() {
        let wire = json!({
            "name": "dns",
            "hostPort": 53,
            "containerPort": 53,
            "protocol": "UDP",
            "hostIP": "10.0.0.1"
        });
        let port: ContainerPort = assert_round_trip(&wire);
        assert_eq!(port.host_ip, "10.0.0.1");
    }

    #[test]
    fn yaml_keys_without_values_read_as_empty() {
        let yaml =
            "name: web\nimage: nginx\ncommand:\nenv:\nports:\nresources:\nvolumeMounts:\nstdin:\n";
        let container: Container = serde_yaml_ng::from_str(yaml).unwrap();
        assert_eq!(
            container,
            Container { name: "web".into(), image: "nginx".into(), ..Default::default() }
        );
        assert_eq!(
            serde_json::to_value(&container).unwrap(),
            json!({"name": "web", "image": "nginx", "resources": {}})
        );
    }

    #[test]
    fn ephemeral_container_fields_are_inline() {
        let wire = json!({
            "name": "debugger-x7k2p",
            "image": "busybox:1.36",
            "resources": {},
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
            "imagePullPolicy": "IfNotPresent",
            "stdin": true,
            "tty": true,
            "targetContainerName": "web"
        });
        let ephemeral: EphemeralContainer = assert_round_trip(&wire);
        assert_eq!(ephemeral.common.name, "debugger-x7k2p");
        assert!(ephemeral.common.tty);
        assert_eq!(ephemeral.target_container_name, "web");
    }

    #[test]
    fn sidecar_restart_rules_round_trip() {
        let wire = json!({
            "name": "log-shipper",
            "image": "fluent-bit:3.0",
            "resources": {"limits": {"memory": "64Mi"}, "claims": [{"name": "gpu", "request": "one"}]},
            "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"}],
            "restartPolicy": "Always",
            "restartPolicyRules": [
                {"action": "Restart", "exitCodes": {"operator": "In", "values": [42, 43]}}
            ],
            "volumeDevices": [{"name": "raw", "devicePath": "/dev/xvda"}]
        });
        let container: Container = assert_round_trip(&wire);
        assert_eq!(container.restart_policy.as_deref(), Some("Always"));
    }
}
