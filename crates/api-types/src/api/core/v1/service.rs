//! `Service`: a stable virtual address (and optionally node ports or a cloud load balancer) in
//! front of the pods its selector matches.

use super::Condition;
use crate::intstr::IntOrString;
use crate::meta::v1::ObjectMeta;
use crate::serde_util::{is_false, is_zero, nullable};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A named, load-balanced entry point to a set of pods; the endpoints controller and kube-proxy
/// act on it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Service")]
#[serde(rename_all = "camelCase")]
pub struct Service {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub spec: ServiceSpec,
    #[serde(default, deserialize_with = "nullable")]
    pub status: ServiceStatus,
}

impl ServiceSpec {
    /// Keeps the legacy `clusterIP` and the dual-stack `clusterIPs` in step before validation, as
    /// upstream's service strategy does on create and update: an empty `clusterIP` clears
    /// `clusterIPs`; a `clusterIP` without `clusterIPs` becomes their first entry; on update, a
    /// changed `clusterIP` with unchanged `clusterIPs` replaces them. Anything else is left for
    /// validation to judge (a create with both set and disagreeing is rejected there).
    pub fn normalize_cluster_ips(&mut self, old: Option<&ServiceSpec>) {
        if self.cluster_ip.is_empty() {
            self.cluster_ips.clear();
        } else if self.cluster_ips.is_empty() {
            self.cluster_ips = vec![self.cluster_ip.clone()];
        } else if let Some(old) = old
            && old.cluster_ip != self.cluster_ip
            && old.cluster_ips == self.cluster_ips
        {
            self.cluster_ips = vec![self.cluster_ip.clone()];
        }
    }
}

crate::impl_resource!(
    Service,
    group = "",
    version = "v1",
    kind = "Service",
    plural = "services",
    namespaced = true
);

/// What the user asks of a service: its ports, which pods back it, and how it is exposed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ServiceSpec")]
#[serde(rename_all = "camelCase")]
pub struct ServiceSpec {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ServicePort>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "BTreeMap::is_empty")]
    pub selector: BTreeMap<String, String>,
    /// An IP, `None` for a headless service, or empty to have one allocated.
    #[serde(
        rename = "clusterIP",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub cluster_ip: String,
    /// All cluster IPs (one per IP family); the first equals `clusterIP`.
    #[serde(
        rename = "clusterIPs",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub cluster_ips: Vec<String>,
    /// `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub type_: String,
    #[serde(
        rename = "externalIPs",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub external_ips: Vec<String>,
    /// `ClientIP` or `None`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub session_affinity: String,
    #[serde(
        rename = "loadBalancerIP",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub load_balancer_ip: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub load_balancer_source_ranges: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub external_name: String,
    /// `Cluster` or `Local`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub external_traffic_policy: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub health_check_node_port: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub publish_not_ready_addresses: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_affinity_config: Option<SessionAffinityConfig>,
    /// `IPv4` and/or `IPv6`, in the order of `clusterIPs`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub ip_families: Vec<String>,
    /// `SingleStack`, `PreferDualStack` or `RequireDualStack`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_family_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocate_load_balancer_node_ports: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_class: Option<String>,
    /// `Cluster` or `Local`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_traffic_policy: Option<String>,
    /// A routing preference such as `PreferClose`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic_distribution: Option<String>,
}

/// One port the service exposes and where it forwards to on the backing pods.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ServicePort")]
#[serde(rename_all = "camelCase")]
pub struct ServicePort {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// `TCP`, `UDP` or `SCTP`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub port: i32,
    /// A port number or a named container port. Go never omits this struct-typed field, so an
    /// unset target is written as `0`.
    #[serde(default, deserialize_with = "nullable")]
    pub target_port: IntOrString,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub node_port: i32,
}

/// Parameters of session affinity, present when `sessionAffinity` is `ClientIP`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.SessionAffinityConfig")]
#[serde(rename_all = "camelCase")]
pub struct SessionAffinityConfig {
    #[serde(rename = "clientIP", default, skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<ClientIPConfig>,
}

/// How long a client IP sticks to the same backend.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ClientIPConfig")]
#[serde(rename_all = "camelCase")]
pub struct ClientIPConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<i32>,
}

/// What the cluster observed: the load balancer a cloud controller provisioned, and conditions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ServiceStatus")]
#[serde(rename_all = "camelCase")]
pub struct ServiceStatus {
    /// Always written, as `{}` when there is no load balancer.
    #[serde(default, deserialize_with = "nullable")]
    pub load_balancer: LoadBalancerStatus,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

/// The addresses at which a provisioned load balancer accepts traffic.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.LoadBalancerStatus")]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerStatus {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub ingress: Vec<LoadBalancerIngress>,
}

/// One load-balancer entry point: an IP (GCE, OpenStack) or a DNS name (AWS).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.LoadBalancerIngress")]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerIngress {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub ip: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    /// `VIP` or `Proxy`: whether traffic arrives addressed to the load-balancer IP or rewritten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_mode: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PortStatus>,
}

/// Per-port outcome of provisioning, so a load balancer can report ports it could not publish.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.PortStatus")]
#[serde(rename_all = "camelCase")]
pub struct PortStatus {
    #[serde(default, deserialize_with = "nullable")]
    pub port: i32,
    #[serde(default, deserialize_with = "nullable")]
    pub protocol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn cluster_ips_follow_the_legacy_field() {
        let mut spec =
            super::ServiceSpec { cluster_ip: "10.254.0.10".into(), ..Default::default() };
        spec.normalize_cluster_ips(None);
        assert_eq!(spec.cluster_ips, ["10.254.0.10"]);

        let old = spec.clone();
        spec.cluster_ip = "10.254.0.11".into();
        spec.normalize_cluster_ips(Some(&old));
        assert_eq!(spec.cluster_ips, ["10.254.0.11"]);

        spec.cluster_ip.clear();
        spec.normalize_cluster_ips(Some(&old));
        assert!(spec.cluster_ips.is_empty());

        let mut disagreeing = super::ServiceSpec {
            cluster_ip: "10.0.0.1".into(),
            cluster_ips: vec!["10.0.0.2".into()],
            ..Default::default()
        };
        disagreeing.normalize_cluster_ips(None);
        assert_eq!(disagreeing.cluster_ips, ["10.0.0.2"], "left for validation to reject");
    }

    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn kubectl_create_service_nodeport_round_trips() {
        // Output of `kubectl create service nodeport web --tcp=80:8080 --dry-run=client -o json`
        // (kubectl v1.32.4).
        let wire = json!({
            "kind": "Service",
            "apiVersion": "v1",
            "metadata": {"name": "web", "creationTimestamp": null, "labels": {"app": "web"}},
            "spec": {
                "ports": [
                    {"name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080}
                ],
                "selector": {"app": "web"},
                "type": "NodePort"
            },
            "status": {"loadBalancer": {}}
        });
        let service: Service = assert_round_trip(&wire);
        assert_eq!(service.spec.ports[0].target_port, IntOrString::Int(8080));
        assert_eq!(service.spec.type_, "NodePort");
    }

    #[test]
    fn kubectl_create_service_variants_round_trip() {
        // `kubectl create service clusterip headless --clusterip=None --tcp=5432:5432`,
        // `kubectl create service loadbalancer edge --tcp=443:https` and
        // `kubectl create service externalname db --external-name=db.example.com`, each with
        // `--dry-run=client -o json` (kubectl v1.32.4).
        let headless = json!({
            "kind": "Service",
            "apiVersion": "v1",
            "metadata": {"name": "headless", "creationTimestamp": null, "labels": {"app": "headless"}},
            "spec": {
                "ports": [
                    {"name": "5432-5432", "protocol": "TCP", "port": 5432, "targetPort": 5432}
                ],
                "selector": {"app": "headless"},
                "clusterIP": "None",
                "type": "ClusterIP"
            },
            "status": {"loadBalancer": {}}
        });
        let edge = json!({
            "kind": "Service",
            "apiVersion": "v1",
            "metadata": {"name": "edge", "creationTimestamp": null, "labels": {"app": "edge"}},
            "spec": {
                "ports": [
                    {"name": "443-https", "protocol": "TCP", "port": 443, "targetPort": "https"}
                ],
                "selector": {"app": "edge"},
                "type": "LoadBalancer"
            },
            "status": {"loadBalancer": {}}
        });
        let external = json!({
            "kind": "Service",
            "apiVersion": "v1",
            "metadata": {"name": "db", "creationTimestamp": null, "labels": {"app": "db"}},
            "spec": {
                "selector": {"app": "db"},
                "type": "ExternalName",
                "externalName": "db.example.com"
            },
            "status": {"loadBalancer": {}}
        });
        assert_eq!(assert_round_trip::<Service>(&headless).spec.cluster_ip, "None");
        assert_eq!(
            assert_round_trip::<Service>(&edge).spec.ports[0].target_port,
            IntOrString::from("https")
        );
        assert_eq!(assert_round_trip::<Service>(&external).spec.external_name, "db.example.com");
    }

    #[test]
    fn provisioned_load_balancer_service_round_trips() {
        // A LoadBalancer service as the apiserver returns it once defaulted, allocated and
        // given an address by a cloud controller: every spec field the defaulting and
        // allocation fill in, plus the status a controller reports.
        let wire = json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "creationTimestamp": "2025-03-10T09:30:41Z",
                "name": "edge",
                "namespace": "default",
                "resourceVersion": "3107",
                "uid": "5d8f0c2e-8a57-4e4a-9c1b-2b0f6e1d9a44"
            },
            "spec": {
                "allocateLoadBalancerNodePorts": true,
                "clusterIP": "10.96.45.12",
                "clusterIPs": ["10.96.45.12", "fd00:10:96::3a1f"],
                "externalIPs": ["198.51.100.7"],
                "externalTrafficPolicy": "Local",
                "healthCheckNodePort": 31977,
                "internalTrafficPolicy": "Cluster",
                "ipFamilies": ["IPv4", "IPv6"],
                "ipFamilyPolicy": "PreferDualStack",
                "loadBalancerClass": "example.com/internal-vip",
                "loadBalancerIP": "203.0.113.10",
                "loadBalancerSourceRanges": ["203.0.113.0/24"],
                "ports": [{
                    "appProtocol": "kubernetes.io/h2c",
                    "name": "https",
                    "nodePort": 30443,
                    "port": 443,
                    "protocol": "TCP",
                    "targetPort": "https"
                }],
                "publishNotReadyAddresses": true,
                "selector": {"app": "edge"},
                "sessionAffinity": "ClientIP",
                "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}},
                "trafficDistribution": "PreferClose",
                "type": "LoadBalancer"
            },
            "status": {
                "conditions": [{
                    "lastTransitionTime": "2025-03-10T09:31:02Z",
                    "message": "",
                    "reason": "LoadBalancerMixedProtocolNotSupported",
                    "status": "True",
                    "type": "LoadBalancerPortsError"
                }],
                "loadBalancer": {
                    "ingress": [
                        {
                            "ip": "203.0.113.10",
                            "ipMode": "VIP",
                            "ports": [{"port": 443, "protocol": "TCP"}]
                        },
                        {
                            "hostname": "edge-1234.elb.example.com",
                            "ports": [{
                                "error": "MixedProtocolNotSupported",
                                "port": 443,
                                "protocol": "UDP"
                            }]
                        }
                    ]
                }
            }
        });
        let service: Service = assert_round_trip(&wire);
        let spec = &service.spec;
        assert_eq!(spec.cluster_ips.len(), 2);
        assert_eq!(spec.health_check_node_port, 31977);
        assert_eq!(spec.ip_family_policy.as_deref(), Some("PreferDualStack"));
        assert_eq!(
            spec.session_affinity_config.as_ref().and_then(|config| config.client_ip.as_ref()),
            Some(&ClientIPConfig { timeout_seconds: Some(10800) })
        );
        let ingress = &service.status.load_balancer.ingress;
        assert_eq!(ingress[1].ports[0].error.as_deref(), Some("MixedProtocolNotSupported"));
    }

    #[test]
    fn yaml_manifest_with_empty_keys_reads_as_zero_values() {
        // A hand-written manifest with keys left empty; YAML reads each as null.
        let manifest = "
apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
spec:
  selector:
  clusterIP:
  sessionAffinityConfig:
  ports:
  - port: 80
    name:
    targetPort:
    nodePort:
status:
";
        let service: Service = serde_yaml_ng::from_str(manifest).unwrap();
        assert_eq!(service.spec.ports[0].target_port, IntOrString::Int(0));
        assert_eq!(service.spec.session_affinity_config, None);
        assert_eq!(
            serde_json::to_value(&service).unwrap(),
            json!({
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "web", "creationTimestamp": null},
                "spec": {"ports": [{"port": 80, "targetPort": 0}]},
                "status": {"loadBalancer": {}}
            })
        );
    }

    #[test]
    fn identity() {
        assert_eq!(
            (Service::API_VERSION, Service::KIND, Service::PLURAL, Service::NAMESPACED),
            ("v1", "Service", "services", true)
        );
        let mut object = Service::default();
        object.set_type_meta();
        assert_eq!((object.api_version.as_str(), object.kind.as_str()), ("v1", "Service"));
    }
}
