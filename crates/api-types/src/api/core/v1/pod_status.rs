//! What the kubelet and scheduler report about a pod: phase, conditions, addresses and the state
//! of every container.

use super::ResourceRequirements;
use crate::meta::v1::Time;
use crate::quantity::Quantity;
use crate::serde_util::{is_false, is_zero, nullable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The observed state of a pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodStatus")]
#[serde(rename_all = "camelCase")]
pub struct PodStatus {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub observed_generation: i64,
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub phase: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<PodCondition>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// A CamelCase cause such as `Evicted`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// The node preemption made room on, before the pod is actually bound there.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub nominated_node_name: String,
    #[serde(
        rename = "hostIP",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub host_ip: String,
    #[serde(
        rename = "hostIPs",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub host_ips: Vec<HostIP>,
    #[serde(
        rename = "podIP",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub pod_ip: String,
    #[serde(
        rename = "podIPs",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub pod_ips: Vec<PodIP>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Time>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub init_container_statuses: Vec<ContainerStatus>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub container_statuses: Vec<ContainerStatus>,
    /// `Guaranteed`, `Burstable` or `BestEffort`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub qos_class: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub ephemeral_container_statuses: Vec<ContainerStatus>,
    /// Deprecated resize state (`InProgress`, `Deferred`, `Infeasible`), superseded by conditions.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub resize: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub resource_claim_statuses: Vec<PodResourceClaimStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_resource_claim_status: Option<PodExtendedResourceClaimStatus>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub allocated_resources: BTreeMap<String, Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
}

/// One named aspect of the pod's state (`PodScheduled`, `Initialized`, `ContainersReady`,
/// `Ready`, ...) and when it last changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodCondition")]
#[serde(rename_all = "camelCase")]
pub struct PodCondition {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub type_: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub observed_generation: i64,
    /// `True`, `False` or `Unknown`.
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// A non-pointer time upstream: written as `null` when unset, which it almost always is.
    #[serde(default)]
    pub last_probe_time: Option<Time>,
    #[serde(default)]
    pub last_transition_time: Option<Time>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// One of the pod's IP addresses (one per family on dual-stack clusters).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodIP")]
#[serde(rename_all = "camelCase")]
pub struct PodIP {
    #[serde(default, deserialize_with = "nullable")]
    pub ip: String,
}

/// One of the IP addresses of the node the pod runs on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.HostIP")]
#[serde(rename_all = "camelCase")]
pub struct HostIP {
    #[serde(default, deserialize_with = "nullable")]
    pub ip: String,
}

/// The kubelet's report on one container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ContainerStatus")]
#[serde(rename_all = "camelCase")]
pub struct ContainerStatus {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// A non-pointer struct upstream: always written.
    #[serde(default, deserialize_with = "nullable")]
    pub state: ContainerState,
    /// How the previous run ended; `{}` (always written) until the container has restarted.
    #[serde(default, deserialize_with = "nullable")]
    pub last_state: ContainerState,
    #[serde(default, deserialize_with = "nullable")]
    pub ready: bool,
    #[serde(default, deserialize_with = "nullable")]
    pub restart_count: i32,
    #[serde(default, deserialize_with = "nullable")]
    pub image: String,
    #[serde(rename = "imageID", default, deserialize_with = "nullable")]
    pub image_id: String,
    #[serde(
        rename = "containerID",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub container_id: String,
    /// Whether postStart and the startup probe have passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<bool>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub allocated_resources: BTreeMap<String, Quantity>,
    /// The resources actually applied to the running container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMountStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<ContainerUser>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub allocated_resources_status: Vec<ResourceStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
}

/// A container's state; at most one member is set, none meaning waiting.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ContainerState")]
#[serde(rename_all = "camelCase")]
pub struct ContainerState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<ContainerStateWaiting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<ContainerStateRunning>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminated: Option<ContainerStateTerminated>,
}

/// Not running yet, and why (`ContainerCreating`, `ImagePullBackOff`, `CrashLoopBackOff`, ...).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ContainerStateWaiting")]
#[serde(rename_all = "camelCase")]
pub struct ContainerStateWaiting {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// Running since `startedAt`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ContainerStateRunning")]
#[serde(rename_all = "camelCase")]
pub struct ContainerStateRunning {
    /// A non-pointer time upstream: written as `null` when unset.
    #[serde(default)]
    pub started_at: Option<Time>,
}

/// Finished, with exit code, signal, reason and timing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ContainerStateTerminated")]
#[serde(rename_all = "camelCase")]
pub struct ContainerStateTerminated {
    #[serde(default, deserialize_with = "nullable")]
    pub exit_code: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub signal: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// Non-pointer times upstream: written as `null` when unset.
    #[serde(default)]
    pub started_at: Option<Time>,
    #[serde(default)]
    pub finished_at: Option<Time>,
    #[serde(
        rename = "containerID",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub container_id: String,
}

/// How a volume mount was actually made (recursive read-only resolved to a definite answer).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.VolumeMountStatus")]
#[serde(rename_all = "camelCase")]
pub struct VolumeMountStatus {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub mount_path: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub read_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recursive_read_only: Option<String>,
    /// Upstream embeds this struct under its own key (`volumeStatus`), not inline; as a
    /// non-pointer struct it is always written.
    #[serde(default, deserialize_with = "nullable")]
    pub volume_status: VolumeStatus,
}

/// Volume-type-specific status of a mount; at most one member is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.VolumeStatus")]
#[serde(rename_all = "camelCase")]
pub struct VolumeStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageVolumeStatus>,
}

/// The digest an image volume was resolved to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ImageVolumeStatus")]
#[serde(rename_all = "camelCase")]
pub struct ImageVolumeStatus {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub image_ref: String,
}

/// The health of the devices backing one resource allocated to a container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ResourceStatus")]
#[serde(rename_all = "camelCase")]
pub struct ResourceStatus {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ResourceHealth>,
}

/// One device's health: `Healthy`, `Unhealthy` or `Unknown`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ResourceHealth")]
#[serde(rename_all = "camelCase")]
pub struct ResourceHealth {
    #[serde(rename = "resourceID", default, deserialize_with = "nullable")]
    pub resource_id: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub health: String,
}

/// The identity the container's first process started with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ContainerUser")]
#[serde(rename_all = "camelCase")]
pub struct ContainerUser {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linux: Option<LinuxContainerUser>,
}

/// Linux uid, gid and supplementary groups of the container's first process.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.LinuxContainerUser")]
#[serde(rename_all = "camelCase")]
pub struct LinuxContainerUser {
    #[serde(default, deserialize_with = "nullable")]
    pub uid: i64,
    #[serde(default, deserialize_with = "nullable")]
    pub gid: i64,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub supplemental_groups: Vec<i64>,
}

/// The ResourceClaim generated for one of the pod's claim templates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodResourceClaimStatus")]
#[serde(rename_all = "camelCase")]
pub struct PodResourceClaimStatus {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_claim_name: Option<String>,
}

/// The ResourceClaim the scheduler created for extended resources backed by DRA.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodExtendedResourceClaimStatus")]
#[serde(rename_all = "camelCase")]
pub struct PodExtendedResourceClaimStatus {
    #[serde(default, deserialize_with = "nullable")]
    pub request_mappings: Vec<ContainerExtendedResourceRequest>,
    #[serde(default, deserialize_with = "nullable")]
    pub resource_claim_name: String,
}

/// Which request of the generated claim serves a container's extended resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ContainerExtendedResourceRequest")]
#[serde(rename_all = "camelCase")]
pub struct ContainerExtendedResourceRequest {
    #[serde(default, deserialize_with = "nullable")]
    pub container_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub resource_name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub request_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    #[test]
    fn crash_looping_container_round_trips() {
        let wire = json!({
            "name": "web",
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s restarting failed container=web"}},
            "lastState": {"terminated": {
                "exitCode": 137,
                "signal": 9,
                "reason": "OOMKilled",
                "startedAt": "2024-05-02T10:00:01Z",
                "finishedAt": "2024-05-02T10:00:09Z",
                "containerID": "containerd://4f2a"
            }},
            "ready": false,
            "restartCount": 3,
            "image": "docker.io/library/nginx:1.27",
            "imageID": "docker.io/library/nginx@sha256:0f04",
            "containerID": "containerd://4f2a",
            "started": false
        });
        let status: ContainerStatus = assert_round_trip(&wire);
        assert_eq!(status.last_state.terminated.as_ref().unwrap().exit_code, 137);
    }

    #[test]
    fn fresh_container_writes_required_fields() {
        let status = ContainerStatus {
            name: "web".into(),
            state: ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: "ContainerCreating".into(),
                    message: String::new(),
                }),
                ..Default::default()
            },
            image: "nginx".into(),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&status).unwrap(),
            json!({
                "name": "web",
                "state": {"waiting": {"reason": "ContainerCreating"}},
                "lastState": {},
                "ready": false,
                "restartCount": 0,
                "image": "nginx",
                "imageID": ""
            })
        );
    }

    #[test]
    fn newer_status_fields_round_trip() {
        let wire = json!({
            "observedGeneration": 2,
            "phase": "Running",
            "conditions": [{"type": "PodResizeInProgress", "observedGeneration": 2, "status": "True",
                            "lastProbeTime": null, "lastTransitionTime": "2024-05-02T10:00:00Z"}],
            "containerStatuses": [{
                "name": "web",
                "state": {"running": {"startedAt": "2024-05-02T10:00:00Z"}},
                "lastState": {},
                "ready": true,
                "restartCount": 0,
                "image": "nginx",
                "imageID": "nginx@sha256:1",
                "volumeMounts": [{"name": "models", "mountPath": "/models", "readOnly": true,
                                  "recursiveReadOnly": "Enabled",
                                  "volumeStatus": {"image": {"imageRef": "registry.example/models@sha256:2"}}}],
                "user": {"linux": {"uid": 0, "gid": 0, "supplementalGroups": [0, 10]}},
                "allocatedResourcesStatus": [{"name": "claim:gpu/one", "resources": [{"resourceID": "gpu-0", "health": "Healthy"}]}],
                "stopSignal": "SIGTERM"
            }],
            "extendedResourceClaimStatus": {
                "requestMappings": [{"containerName": "web", "resourceName": "example.com/gpu", "requestName": "container-0-request-0"}],
                "resourceClaimName": "web-extended-resources-x2k"
            },
            "allocatedResources": {"cpu": "500m"},
            "resources": {"requests": {"cpu": "500m"}}
        });
        let status: PodStatus = assert_round_trip(&wire);
        assert_eq!(
            status.container_statuses[0].volume_mounts[0]
                .volume_status
                .image
                .as_ref()
                .unwrap()
                .image_ref,
            "registry.example/models@sha256:2"
        );
    }

    #[test]
    fn volume_mount_status_always_writes_volume_status() {
        let mount = VolumeMountStatus {
            name: "data".into(),
            mount_path: "/data".into(),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&mount).unwrap(),
            json!({"name": "data", "mountPath": "/data", "volumeStatus": {}})
        );
    }
}
