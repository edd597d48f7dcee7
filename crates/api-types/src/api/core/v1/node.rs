//! `Node`: a machine that runs pods. The spec is mostly set by the cluster (pod CIDR, taints,
//! cordoning); the status is what the kubelet reports about the machine.

use crate::meta::v1::{ObjectMeta, Time};
use crate::quantity::Quantity;
use crate::serde_util::{is_false, is_zero, nullable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A worker machine, cluster-scoped and named after its hostname.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Node")]
#[serde(rename_all = "camelCase")]
pub struct Node {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: NodeSpec,
    #[serde(default, deserialize_with = "nullable")]
    pub status: NodeStatus,
}

crate::impl_resource!(
    Node,
    group = "",
    version = "v1",
    kind = "Node",
    plural = "nodes",
    namespaced = false
);

/// How the cluster has configured the node: its pod IP ranges, cloud identity, taints, and
/// whether new pods may be scheduled there.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeSpec")]
#[serde(rename_all = "camelCase")]
pub struct NodeSpec {
    #[serde(
        rename = "podCIDR",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub pod_cidr: String,
    /// At most one range per IP family; the first equals `podCIDR`.
    #[serde(
        rename = "podCIDRs",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub pod_cidrs: Vec<String>,
    /// `<provider>://<provider-specific id>`.
    #[serde(
        rename = "providerID",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub provider_id: String,
    /// Set by `kubectl cordon`: no new pods are scheduled here.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub unschedulable: bool,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<Taint>,
    /// Left over from the removed dynamic kubelet configuration; kept so old objects round-trip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_source: Option<NodeConfigSource>,
    /// Deprecated cloud identity; kept so old objects round-trip.
    #[serde(
        rename = "externalID",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub external_id: String,
}

/// Repels pods that do not tolerate it (`NoSchedule`, `PreferNoSchedule`) or evicts them
/// (`NoExecute`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Taint")]
#[serde(rename_all = "camelCase")]
pub struct Taint {
    #[serde(default, deserialize_with = "nullable")]
    pub key: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    #[serde(default, deserialize_with = "nullable")]
    pub effect: String,
    /// When a `NoExecute` taint was added; tolerations with a timeout count from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_added: Option<Time>,
}

/// Where the node's kubelet configuration came from (a ConfigMap), from the removed dynamic
/// kubelet configuration feature.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeConfigSource")]
#[serde(rename_all = "camelCase")]
pub struct NodeConfigSource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<ConfigMapNodeConfigSource>,
}

/// The ConfigMap holding a kubelet configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ConfigMapNodeConfigSource")]
#[serde(rename_all = "camelCase")]
pub struct ConfigMapNodeConfigSource {
    #[serde(default, deserialize_with = "nullable")]
    pub namespace: String,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub uid: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub kubelet_config_key: String,
}

/// What the kubelet reports about the machine: resources, health conditions, addresses,
/// software versions, cached images and attached volumes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeStatus")]
#[serde(rename_all = "camelCase")]
pub struct NodeStatus {
    /// Total resources of the machine, by resource name (`cpu`, `memory`, `pods`, ...).
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub capacity: BTreeMap<String, Quantity>,
    /// The part of `capacity` available to pods, after system reservations.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub allocatable: BTreeMap<String, Quantity>,
    /// Never set by current kubelets; kept so old objects round-trip.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub phase: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<NodeCondition>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<NodeAddress>,
    /// Always written (Go never omits structs).
    #[serde(default, deserialize_with = "nullable")]
    pub daemon_endpoints: NodeDaemonEndpoints,
    /// Always written, every field included even when empty.
    #[serde(default, deserialize_with = "nullable")]
    pub node_info: NodeSystemInfo,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<ContainerImage>,
    /// Unique names of attachable volumes currently mounted on the node.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub volumes_in_use: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub volumes_attached: Vec<AttachedVolume>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<NodeConfigStatus>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub runtime_handlers: Vec<NodeRuntimeHandler>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<NodeFeatures>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub declared_features: Vec<String>,
}

/// One aspect of node health (`Ready`, `MemoryPressure`, `DiskPressure`, ...). The heartbeat
/// time is what the node lifecycle controller watches to notice a silent kubelet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeCondition")]
#[serde(rename_all = "camelCase")]
pub struct NodeCondition {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub type_: String,
    /// `True`, `False` or `Unknown`.
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// A non-pointer `metav1.Time` upstream: written as `null` when unset.
    #[serde(default)]
    pub last_heartbeat_time: Option<Time>,
    /// A non-pointer `metav1.Time` upstream: written as `null` when unset.
    #[serde(default)]
    pub last_transition_time: Option<Time>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// One way to reach the node: `InternalIP`, `ExternalIP`, `Hostname`, `InternalDNS` or
/// `ExternalDNS`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeAddress")]
#[serde(rename_all = "camelCase")]
pub struct NodeAddress {
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub type_: String,
    #[serde(default, deserialize_with = "nullable")]
    pub address: String,
}

/// Ports of the daemons on the node, so the apiserver knows where to reach the kubelet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeDaemonEndpoints")]
#[serde(rename_all = "camelCase")]
pub struct NodeDaemonEndpoints {
    #[serde(default, deserialize_with = "nullable")]
    pub kubelet_endpoint: DaemonEndpoint,
}

/// A daemon's port. Upstream's wire name is the capitalised `Port`, kept for compatibility.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.DaemonEndpoint")]
pub struct DaemonEndpoint {
    #[serde(rename = "Port", default, deserialize_with = "nullable")]
    pub port: i32,
}

/// Identity and software versions of the machine. Every field is always written, even empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeSystemInfo")]
#[serde(rename_all = "camelCase")]
pub struct NodeSystemInfo {
    #[serde(rename = "machineID", default, deserialize_with = "nullable")]
    pub machine_id: String,
    #[serde(rename = "systemUUID", default, deserialize_with = "nullable")]
    pub system_uuid: String,
    #[serde(rename = "bootID", default, deserialize_with = "nullable")]
    pub boot_id: String,
    #[serde(default, deserialize_with = "nullable")]
    pub kernel_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub os_image: String,
    /// `<runtime>://<version>`, e.g. `containerd://2.0.2`.
    #[serde(default, deserialize_with = "nullable")]
    pub container_runtime_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub kubelet_version: String,
    /// Deprecated; current kubelets leave it empty.
    #[serde(default, deserialize_with = "nullable")]
    pub kube_proxy_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub operating_system: String,
    #[serde(default, deserialize_with = "nullable")]
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap: Option<NodeSwapStatus>,
}

/// Swap memory on the node, reported so the scheduler and users can see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeSwapStatus")]
#[serde(rename_all = "camelCase")]
pub struct NodeSwapStatus {
    /// In bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
}

/// An image in the node's cache, listed so the scheduler can prefer nodes that already have it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ContainerImage")]
#[serde(rename_all = "camelCase")]
pub struct ContainerImage {
    /// Tags and digests the image is known by.
    #[serde(default, deserialize_with = "nullable")]
    pub names: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub size_bytes: i64,
}

/// A volume the attach/detach controller attached to this node, and where it appeared.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.AttachedVolume")]
#[serde(rename_all = "camelCase")]
pub struct AttachedVolume {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub device_path: String,
}

/// State of the removed dynamic kubelet configuration; kept so old objects round-trip.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeConfigStatus")]
#[serde(rename_all = "camelCase")]
pub struct NodeConfigStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned: Option<NodeConfigSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<NodeConfigSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_known_good: Option<NodeConfigSource>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub error: String,
}

/// A runtime handler (RuntimeClass target) the container runtime offers, with what it supports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeRuntimeHandler")]
#[serde(rename_all = "camelCase")]
pub struct NodeRuntimeHandler {
    /// Empty for the default handler; always written.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<NodeRuntimeHandlerFeatures>,
}

/// Optional capabilities of one runtime handler.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeRuntimeHandlerFeatures")]
#[serde(rename_all = "camelCase")]
pub struct NodeRuntimeHandlerFeatures {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recursive_read_only_mounts: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_namespaces: Option<bool>,
}

/// Capabilities of the container runtime as a whole, independent of handler.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.NodeFeatures")]
#[serde(rename_all = "camelCase")]
pub struct NodeFeatures {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplemental_groups_policy: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    /// A control-plane node as a v1.32 kubelet on kind (containerd 2.0) reports it: the field
    /// set, value forms and canonical quantities of `kubectl get node -o json`. Identifiers
    /// are made up.
    fn kind_control_plane() -> serde_json::Value {
        json!({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "annotations": {
                    "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                    "node.alpha.kubernetes.io/ttl": "0",
                    "volumes.kubernetes.io/controller-managed-attach-detach": "true"
                },
                "creationTimestamp": "2025-03-10T09:12:41Z",
                "labels": {
                    "beta.kubernetes.io/arch": "amd64",
                    "beta.kubernetes.io/os": "linux",
                    "kubernetes.io/arch": "amd64",
                    "kubernetes.io/hostname": "kind-control-plane",
                    "kubernetes.io/os": "linux",
                    "node-role.kubernetes.io/control-plane": "",
                    "node.kubernetes.io/exclude-from-external-load-balancers": ""
                },
                "name": "kind-control-plane",
                "resourceVersion": "1342",
                "uid": "3e0f6b8c-2d4a-4b1e-9f7c-8a6d5e4c3b2a"
            },
            "spec": {
                "podCIDR": "10.244.0.0/24",
                "podCIDRs": ["10.244.0.0/24"],
                "providerID": "kind://docker/kind/kind-control-plane",
                "taints": [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
            },
            "status": {
                "addresses": [
                    {"address": "172.18.0.2", "type": "InternalIP"},
                    {"address": "kind-control-plane", "type": "Hostname"}
                ],
                "allocatable": {
                    "cpu": "8",
                    "ephemeral-storage": "263112772Ki",
                    "hugepages-1Gi": "0",
                    "hugepages-2Mi": "0",
                    "memory": "32816284Ki",
                    "pods": "110"
                },
                "capacity": {
                    "cpu": "8",
                    "ephemeral-storage": "263112772Ki",
                    "hugepages-1Gi": "0",
                    "hugepages-2Mi": "0",
                    "memory": "32816284Ki",
                    "pods": "110"
                },
                "conditions": [
                    {
                        "lastHeartbeatTime": "2025-03-10T10:02:17Z",
                        "lastTransitionTime": "2025-03-10T09:12:39Z",
                        "message": "kubelet has sufficient memory available",
                        "reason": "KubeletHasSufficientMemory",
                        "status": "False",
                        "type": "MemoryPressure"
                    },
                    {
                        "lastHeartbeatTime": "2025-03-10T10:02:17Z",
                        "lastTransitionTime": "2025-03-10T09:12:39Z",
                        "message": "kubelet has no disk pressure",
                        "reason": "KubeletHasNoDiskPressure",
                        "status": "False",
                        "type": "DiskPressure"
                    },
                    {
                        "lastHeartbeatTime": "2025-03-10T10:02:17Z",
                        "lastTransitionTime": "2025-03-10T09:12:39Z",
                        "message": "kubelet has sufficient PID available",
                        "reason": "KubeletHasSufficientPID",
                        "status": "False",
                        "type": "PIDPressure"
                    },
                    {
                        "lastHeartbeatTime": "2025-03-10T10:02:17Z",
                        "lastTransitionTime": "2025-03-10T09:13:05Z",
                        "message": "kubelet is posting ready status",
                        "reason": "KubeletReady",
                        "status": "True",
                        "type": "Ready"
                    }
                ],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                "features": {"supplementalGroupsPolicy": true},
                "images": [
                    {
                        "names": [
                            "registry.k8s.io/etcd@sha256:c6a9d11cc5c04b114ccdef39a9265eeef818e3d02f5359be035ae784097fdec5",
                            "registry.k8s.io/etcd:3.5.16-0"
                        ],
                        "sizeBytes": 57680541
                    },
                    {
                        "names": ["registry.k8s.io/kube-apiserver-amd64:v1.32.2"],
                        "sizeBytes": 98055648
                    }
                ],
                "nodeInfo": {
                    "architecture": "amd64",
                    "bootID": "8f1d2c3b-4a5e-4f6d-9c7b-1a2e3d4c5b6a",
                    "containerRuntimeVersion": "containerd://2.0.2",
                    "kernelVersion": "6.8.0-51-generic",
                    "kubeProxyVersion": "",
                    "kubeletVersion": "v1.32.2",
                    "machineID": "5b7c9d1e3f2a4b6c8d0e1f2a3b4c5d6e",
                    "operatingSystem": "linux",
                    "osImage": "Debian GNU/Linux 12 (bookworm)",
                    "systemUUID": "a1b2c3d4-e5f6-4789-8abc-def012345678"
                },
                "runtimeHandlers": [
                    {"features": {"recursiveReadOnlyMounts": true, "userNamespaces": true}, "name": ""},
                    {"features": {"recursiveReadOnlyMounts": true, "userNamespaces": true}, "name": "runc"}
                ]
            }
        })
    }

    #[test]
    fn kubelet_reported_node_round_trips() {
        let node: Node = assert_round_trip(&kind_control_plane());
        let status = &node.status;
        assert_eq!(serde_json::to_value(&status.capacity["memory"]).unwrap(), json!("32816284Ki"));
        assert_eq!(status.daemon_endpoints.kubelet_endpoint.port, 10250);
        assert_eq!(status.conditions[3].type_, "Ready");
        assert_eq!(status.node_info.kube_proxy_version, "");
        assert_eq!(status.runtime_handlers[0].name, "");
        assert_eq!(node.spec.taints[0].effect, "NoSchedule");
    }

    #[test]
    fn worker_with_attached_volumes_and_cordon_round_trips() {
        // A cordoned worker being drained: a NoExecute taint with its timestamp, a CSI volume
        // in use and attached (devicePath empty, as CSI attachments report it), swap reported,
        // and a not-ready condition whose heartbeat the lifecycle controller wrote.
        let wire = json!({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": "worker-3", "creationTimestamp": "2025-03-01T08:00:00Z"},
            "spec": {
                "podCIDR": "10.244.3.0/24",
                "podCIDRs": ["10.244.3.0/24", "fd00:10:244:3::/64"],
                "providerID": "aws:///eu-west-1a/i-0abc123def4567890",
                "taints": [
                    {"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "timeAdded": "2025-03-10T09:40:00Z"},
                    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "timeAdded": "2025-03-10T09:41:10Z"},
                    {"effect": "PreferNoSchedule", "key": "dedicated", "value": "batch"}
                ],
                "unschedulable": true
            },
            "status": {
                "conditions": [{
                    "lastHeartbeatTime": "2025-03-10T09:39:55Z",
                    "lastTransitionTime": "2025-03-10T09:41:05Z",
                    "message": "Kubelet stopped posting node status.",
                    "reason": "NodeStatusUnknown",
                    "status": "Unknown",
                    "type": "Ready"
                }],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                "nodeInfo": {
                    "architecture": "arm64",
                    "bootID": "",
                    "containerRuntimeVersion": "containerd://1.7.24",
                    "kernelVersion": "6.1.119-129.201.amzn2023.aarch64",
                    "kubeProxyVersion": "",
                    "kubeletVersion": "v1.32.2",
                    "machineID": "",
                    "operatingSystem": "linux",
                    "osImage": "Amazon Linux 2023.6.20250107",
                    "swap": {"capacity": 4_294_967_296_i64},
                    "systemUUID": ""
                },
                "volumesAttached": [{
                    "devicePath": "",
                    "name": "kubernetes.io/csi/ebs.csi.aws.com^vol-0f1e2d3c4b5a69788"
                }],
                "volumesInUse": ["kubernetes.io/csi/ebs.csi.aws.com^vol-0f1e2d3c4b5a69788"]
            }
        });
        let node: Node = assert_round_trip(&wire);
        assert!(node.spec.unschedulable);
        assert!(node.spec.taints[1].time_added.is_some());
        assert_eq!(node.status.node_info.swap, Some(NodeSwapStatus { capacity: Some(4294967296) }));
        assert_eq!(node.status.volumes_attached[0].device_path, "");
    }

    #[test]
    fn deprecated_fields_round_trip() {
        // An old object carrying the dynamic kubelet config fields and externalID.
        let wire = json!({
            "metadata": {"name": "legacy", "creationTimestamp": null},
            "spec": {
                "externalID": "legacy",
                "configSource": {"configMap": {
                    "name": "kubelet-config", "namespace": "kube-system", "kubeletConfigKey": "kubelet"
                }}
            },
            "status": {
                "phase": "Running",
                "config": {
                    "active": {"configMap": {
                        "name": "kubelet-config", "namespace": "kube-system", "kubeletConfigKey": "kubelet",
                        "uid": "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d", "resourceVersion": "42"
                    }},
                    "error": "failed to load checkpoint"
                },
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 0}},
                "nodeInfo": {
                    "architecture": "", "bootID": "", "containerRuntimeVersion": "", "kernelVersion": "",
                    "kubeProxyVersion": "", "kubeletVersion": "", "machineID": "", "operatingSystem": "",
                    "osImage": "", "systemUUID": ""
                }
            }
        });
        let node: Node = assert_round_trip(&wire);
        assert_eq!(node.spec.external_id, "legacy");
    }

    #[test]
    fn empty_node_writes_struct_fields_like_go() {
        let mut node = Node::default();
        node.metadata.name = "n1".to_string();
        let written = serde_json::to_value(&node).unwrap();
        assert_eq!(written["spec"], json!({}));
        assert_eq!(written["status"]["daemonEndpoints"], json!({"kubeletEndpoint": {"Port": 0}}));
        assert_eq!(written["status"]["nodeInfo"]["machineID"], json!(""));
        assert_eq!(written["status"]["nodeInfo"].as_object().unwrap().len(), 10);
        let condition = serde_json::to_value(NodeCondition::default()).unwrap();
        assert_eq!(
            condition,
            json!({"type": "", "status": "", "lastHeartbeatTime": null, "lastTransitionTime": null})
        );
    }

    #[test]
    fn nulls_read_as_zero_values() {
        let node: Node = serde_json::from_value(json!({
            "metadata": {"name": "n1"},
            "spec": {"taints": null, "unschedulable": null, "podCIDRs": null},
            "status": {
                "capacity": null,
                "nodeInfo": null,
                "daemonEndpoints": {"kubeletEndpoint": null},
                "conditions": [{"type": "Ready", "status": "True", "lastHeartbeatTime": null}],
                "images": [{"names": null, "sizeBytes": null}]
            }
        }))
        .unwrap();
        assert!(node.spec.taints.is_empty());
        assert!(node.status.capacity.is_empty());
        assert_eq!(node.status.node_info, NodeSystemInfo::default());
        assert_eq!(node.status.conditions[0].last_heartbeat_time, None);
        assert!(node.status.images[0].names.is_empty());
    }

    #[test]
    fn identity() {
        assert_eq!(
            (Node::API_VERSION, Node::KIND, Node::PLURAL, Node::NAMESPACED),
            ("v1", "Node", "nodes", false)
        );
        let mut object = Node::default();
        object.set_type_meta();
        assert_eq!((object.api_version.as_str(), object.kind.as_str()), ("v1", "Node"));
    }
}
