//! `Pod` and `PodSpec`: the unit the scheduler places and the kubelet runs, with the pod-level
//! settings (DNS, host namespaces, readiness and scheduling gates, topology spread, resource
//! claims). The status side is in `pod_status`.

use super::{
    Affinity, Container, EphemeralContainer, LocalObjectReference, PodSecurityContext, PodStatus,
    ResourceRequirements, Toleration, Volume,
};
use crate::meta::v1::{LabelSelector, ObjectMeta};
use crate::quantity::Quantity;
use crate::serde_util::{is_false, nullable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A group of containers scheduled together onto one node, sharing network and volumes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Pod")]
#[serde(rename_all = "camelCase")]
pub struct Pod {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: PodSpec,
    #[serde(default, deserialize_with = "nullable")]
    pub status: PodStatus,
}

crate::impl_resource!(
    Pod,
    group = "",
    version = "v1",
    kind = "Pod",
    plural = "pods",
    namespaced = true
);

/// Everything about how a pod should run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodSpec")]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<Container>,
    #[serde(default, deserialize_with = "nullable")]
    pub containers: Vec<Container>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub ephemeral_containers: Vec<EphemeralContainer>,
    /// `Always`, `OnFailure` or `Never`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub restart_policy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<i64>,
    /// `ClusterFirst`, `ClusterFirstWithHostNet`, `Default` or `None`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub dns_policy: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub service_account_name: String,
    /// The deprecated alias of `serviceAccountName`, still written by the apiserver.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub service_account: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
    /// Set by the scheduler (through a Binding); the kubelet of that node runs the pod.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub node_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub host_network: bool,
    #[serde(
        rename = "hostPID",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub host_pid: bool,
    #[serde(
        rename = "hostIPC",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "is_false"
    )]
    pub host_ipc: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_process_namespace: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<PodSecurityContext>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secrets: Vec<LocalObjectReference>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub subdomain: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub scheduler_name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub host_aliases: Vec<HostAlias>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub priority_class_name: String,
    /// Resolved from `priorityClassName` by admission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<PodDNSConfig>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub readiness_gates: Vec<PodReadinessGate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_service_links: Option<bool>,
    /// `PreemptLowerPriority` or `Never`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preemption_policy: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub overhead: BTreeMap<String, Quantity>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub topology_spread_constraints: Vec<TopologySpreadConstraint>,
    #[serde(rename = "setHostnameAsFQDN", default, skip_serializing_if = "Option::is_none")]
    pub set_hostname_as_fqdn: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<PodOS>,
    /// `false` runs the pod in its own user namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_users: Option<bool>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub scheduling_gates: Vec<PodSchedulingGate>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub resource_claims: Vec<PodResourceClaim>,
    /// Pod-level requests and limits shared by all containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname_override: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload_ref: Option<WorkloadReference>,
}

/// Extra `/etc/hosts` entries for the pod.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.HostAlias")]
#[serde(rename_all = "camelCase")]
pub struct HostAlias {
    #[serde(default, deserialize_with = "nullable")]
    pub ip: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub hostnames: Vec<String>,
}

/// Resolver settings merged into what `dnsPolicy` generates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodDNSConfig")]
#[serde(rename_all = "camelCase")]
pub struct PodDNSConfig {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub nameservers: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub searches: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<PodDNSConfigOption>,
}

/// One `resolv.conf` option, such as `ndots:2`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodDNSConfigOption")]
#[serde(rename_all = "camelCase")]
pub struct PodDNSConfigOption {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A pod condition that must also be `True` before the pod counts as ready.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodReadinessGate")]
#[serde(rename_all = "camelCase")]
pub struct PodReadinessGate {
    #[serde(default, deserialize_with = "nullable")]
    pub condition_type: String,
}

/// A named gate that keeps the scheduler away from the pod until it is removed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodSchedulingGate")]
#[serde(rename_all = "camelCase")]
pub struct PodSchedulingGate {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
}

/// The operating system (`linux` or `windows`) the pod's containers need.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodOS")]
#[serde(rename_all = "camelCase")]
pub struct PodOS {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
}

/// Names a ResourceClaim (or a template to create one from) that containers refer to by `name`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PodResourceClaim")]
#[serde(rename_all = "camelCase")]
pub struct PodResourceClaim {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_claim_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_claim_template_name: Option<String>,
}

/// The Workload and pod group a pod belongs to, for gang scheduling.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.WorkloadReference")]
#[serde(rename_all = "camelCase")]
pub struct WorkloadReference {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub pod_group: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub pod_group_replica_key: String,
}

/// How evenly matching pods must spread over the domains of `topologyKey`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.TopologySpreadConstraint")]
#[serde(rename_all = "camelCase")]
pub struct TopologySpreadConstraint {
    #[serde(default, deserialize_with = "nullable")]
    pub max_skew: i32,
    #[serde(default, deserialize_with = "nullable")]
    pub topology_key: String,
    /// `DoNotSchedule` or `ScheduleAnyway`.
    #[serde(default, deserialize_with = "nullable")]
    pub when_unsatisfiable: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_domains: Option<i32>,
    /// `Honor` or `Ignore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_taints_policy: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub match_label_keys: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::{Value, json};

    /// `kubectl run web --image=nginx:1.27 --port=80 --env=A=b --labels=app=web
    /// --dry-run=client -o json` (kubectl v1.32.4, its discovery requests answered by a throwaway
    /// local listener).
    #[test]
    fn kubectl_run_output_round_trips() {
        let golden: Value = serde_json::from_str(
            r#"{
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {
        "name": "web",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "containers": [
            {
                "name": "web",
                "image": "nginx:1.27",
                "ports": [
                    {
                        "containerPort": 80
                    }
                ],
                "env": [
                    {
                        "name": "A",
                        "value": "b"
                    }
                ],
                "resources": {}
            }
        ],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst"
    },
    "status": {}
}"#,
        )
        .unwrap();
        let pod: Pod = assert_round_trip(&golden);
        assert_eq!(pod.spec.containers[0].env[0].value, "b");
    }

    /// Every `PodSpec` and `PodStatus` field kubectl v1.32.4 knows, serialized by its Go types:
    /// `kubectl run full --image=nginx:1.27 --dry-run=client -o json --overrides="$(cat
    /// overrides.json)"` decodes the merged object into `v1.Pod` and prints it back, so the file
    /// is upstream's encoding (`lastProbeTime: null`, `lastState: {}`, `divisor: "0"`, ...).
    #[test]
    fn kubectl_full_pod_round_trips() {
        let golden: Value = serde_json::from_str(include_str!("testdata/pod-full.json")).unwrap();
        let pod: Pod = assert_round_trip(&golden);
        assert!(pod.spec.host_pid && pod.spec.host_ipc);
        assert_eq!(pod.spec.set_hostname_as_fqdn, Some(false));
        assert_eq!(pod.status.conditions[0].last_probe_time, None);
    }

    #[test]
    fn spec_fields_newer_than_kubectl_round_trip() {
        let wire = json!({
            "containers": [{"name": "app", "resources": {}, "lifecycle": {"stopSignal": "SIGUSR1"}}],
            "os": {"name": "linux"},
            "resources": {"limits": {"cpu": "2"}},
            "hostnameOverride": "custom-host",
            "workloadRef": {"name": "training", "podGroup": "workers", "podGroupReplicaKey": "r0"}
        });
        let spec: PodSpec = assert_round_trip(&wire);
        assert_eq!(spec.workload_ref.as_ref().unwrap().pod_group, "workers");
    }

    #[test]
    fn yaml_manifest_with_empty_keys_reads() {
        let yaml = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  volumes:
  nodeSelector:
  containers:
  - name: web
    image: nginx
    env:
    ports:
status:
";
        let pod: Pod = serde_yaml_ng::from_str(yaml).unwrap();
        assert!(pod.spec.volumes.is_empty() && pod.spec.containers[0].env.is_empty());
        assert_eq!(
            serde_json::to_value(&pod).unwrap(),
            json!({
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "web", "creationTimestamp": null},
                "spec": {"containers": [{"name": "web", "image": "nginx", "resources": {}}]},
                "status": {}
            })
        );
    }

    #[test]
    fn pod_identity() {
        assert_eq!(
            (Pod::API_VERSION, Pod::KIND, Pod::PLURAL, Pod::NAMESPACED),
            ("v1", "Pod", "pods", true)
        );
    }
}
