//! Service defaults: a plain in-cluster service unless told otherwise, with every port naming
//! its protocol and the pod port it forwards to.

use crate::api::core::v1::{ClientIPConfig, Service, ServiceSpec, SessionAffinityConfig};
use crate::defaults::ApplyDefaults;
use crate::intstr::IntOrString;

/// `spec.type` when none is given.
const TYPE_CLUSTER_IP: &str = "ClusterIP";
/// The types reachable from outside the cluster through node ports (and a cloud balancer).
const TYPE_NODE_PORT: &str = "NodePort";
const TYPE_LOAD_BALANCER: &str = "LoadBalancer";
/// Session affinity: none, or stick each client IP to one endpoint.
const AFFINITY_NONE: &str = "None";
const AFFINITY_CLIENT_IP: &str = "ClientIP";
/// How long ClientIP affinity sticks when no timeout is given: three hours.
const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS: i32 = 10800;
/// Traffic policy that spreads over every endpoint, the default for both directions.
const TRAFFIC_POLICY_CLUSTER: &str = "Cluster";
/// What a load-balancer ingress IP means when the cloud does not say: a virtual IP.
const IP_MODE_VIP: &str = "VIP";
/// Protocol of any port that does not name one.
pub(crate) const PROTOCOL_TCP: &str = "TCP";

impl ApplyDefaults for Service {
    fn apply_defaults(&mut self) {
        default_spec(&mut self.spec);
        if self.spec.type_ == TYPE_LOAD_BALANCER {
            for ingress in &mut self.status.load_balancer.ingress {
                if !ingress.ip.is_empty() && ingress.ip_mode.is_none() {
                    ingress.ip_mode = Some(IP_MODE_VIP.to_string());
                }
            }
        }
    }
}

fn default_spec(spec: &mut ServiceSpec) {
    default_session_affinity(spec);
    if spec.type_.is_empty() {
        spec.type_ = TYPE_CLUSTER_IP.to_string();
    }
    for port in &mut spec.ports {
        if port.protocol.is_empty() {
            port.protocol = PROTOCOL_TCP.to_string();
        }
        if is_unset(&port.target_port) {
            port.target_port = IntOrString::Int(port.port);
        }
    }
    if is_externally_accessible(spec) && spec.external_traffic_policy.is_empty() {
        spec.external_traffic_policy = TRAFFIC_POLICY_CLUSTER.to_string();
    }
    let routes_in_cluster =
        matches!(spec.type_.as_str(), TYPE_CLUSTER_IP | TYPE_NODE_PORT | TYPE_LOAD_BALANCER);
    if spec.internal_traffic_policy.is_none() && routes_in_cluster {
        spec.internal_traffic_policy = Some(TRAFFIC_POLICY_CLUSTER.to_string());
    }
    if spec.type_ == TYPE_LOAD_BALANCER && spec.allocate_load_balancer_node_ports.is_none() {
        spec.allocate_load_balancer_node_ports = Some(true);
    }
}

/// No affinity by default; ClientIP affinity gets the default timeout, and any affinity
/// config is dropped when there is no affinity to configure.
fn default_session_affinity(spec: &mut ServiceSpec) {
    if spec.session_affinity.is_empty() {
        spec.session_affinity = AFFINITY_NONE.to_string();
    }
    match spec.session_affinity.as_str() {
        AFFINITY_NONE => spec.session_affinity_config = None,
        AFFINITY_CLIENT_IP => {
            let has_timeout = spec
                .session_affinity_config
                .as_ref()
                .and_then(|config| config.client_ip.as_ref())
                .is_some_and(|client_ip| client_ip.timeout_seconds.is_some());
            if !has_timeout {
                spec.session_affinity_config = Some(SessionAffinityConfig {
                    client_ip: Some(ClientIPConfig {
                        timeout_seconds: Some(DEFAULT_CLIENT_IP_TIMEOUT_SECONDS),
                    }),
                });
            }
        }
        _ => {}
    }
}

/// A target port of `0` or `""` means "same as the service port".
fn is_unset(target_port: &IntOrString) -> bool {
    match target_port {
        IntOrString::Int(number) => *number == 0,
        IntOrString::String(name) => name.is_empty(),
    }
}

/// Reachable from outside the cluster: through node ports, a load balancer, or external IPs.
fn is_externally_accessible(spec: &ServiceSpec) -> bool {
    match spec.type_.as_str() {
        TYPE_LOAD_BALANCER | TYPE_NODE_PORT => true,
        TYPE_CLUSTER_IP => !spec.external_ips.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::test_support::{defaulted, defaulted_wire};
    use serde_json::json;

    fn service(spec: serde_json::Value) -> Service {
        defaulted(json!({"metadata": {"name": "web"}, "spec": spec}))
    }

    #[test]
    fn book_redis_slave_service_gets_type_protocol_and_target_port() {
        // The guestbook's redis-slave service: only a port and a selector.
        let wire = defaulted_wire::<Service>(json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "redis-slave", "labels": {"name": "redis-slave"}},
            "spec": {"ports": [{"port": 6379}], "selector": {"name": "redis-slave"}}
        }));
        assert_eq!(
            wire["spec"],
            json!({
                "ports": [{"port": 6379, "protocol": "TCP", "targetPort": 6379}],
                "selector": {"name": "redis-slave"},
                "type": "ClusterIP",
                "sessionAffinity": "None",
                "internalTrafficPolicy": "Cluster"
            })
        );
    }

    #[test]
    fn explicit_values_are_kept() {
        let defaulted = service(json!({
            "type": "NodePort",
            "sessionAffinity": "ClientIP",
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}},
            "externalTrafficPolicy": "Local",
            "internalTrafficPolicy": "Local",
            "ports": [{"port": 53, "protocol": "UDP", "targetPort": "dns"}]
        }));
        let spec = &defaulted.spec;
        assert_eq!(spec.type_, "NodePort");
        assert_eq!(spec.session_affinity, "ClientIP");
        assert_eq!(
            spec.session_affinity_config,
            Some(SessionAffinityConfig {
                client_ip: Some(ClientIPConfig { timeout_seconds: Some(60) })
            })
        );
        assert_eq!(spec.external_traffic_policy, "Local");
        assert_eq!(spec.internal_traffic_policy.as_deref(), Some("Local"));
        assert_eq!(spec.ports[0].protocol, "UDP");
        assert_eq!(spec.ports[0].target_port, IntOrString::from("dns"));
    }

    #[test]
    fn target_port_zero_or_empty_name_means_the_service_port() {
        let spec = service(json!({"ports": [
            {"port": 80, "targetPort": 0},
            {"port": 443, "targetPort": ""},
            {"port": 8080, "targetPort": 9090}
        ]}))
        .spec;
        let targets: Vec<_> = spec.ports.iter().map(|p| p.target_port.clone()).collect();
        assert_eq!(targets, [IntOrString::Int(80), IntOrString::Int(443), IntOrString::Int(9090)]);
    }

    #[test]
    fn client_ip_affinity_gets_the_three_hour_timeout() {
        for config in [json!(null), json!({}), json!({"clientIP": {}})] {
            let spec = service(json!({
                "sessionAffinity": "ClientIP",
                "sessionAffinityConfig": config
            }))
            .spec;
            assert_eq!(
                spec.session_affinity_config
                    .and_then(|config| config.client_ip)
                    .and_then(|client_ip| client_ip.timeout_seconds),
                Some(10800)
            );
        }
    }

    #[test]
    fn no_affinity_drops_the_affinity_config() {
        let spec = service(json!({
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}
        }))
        .spec;
        assert_eq!(spec.session_affinity, "None");
        assert_eq!(spec.session_affinity_config, None);
    }

    #[test]
    fn external_traffic_policy_only_for_externally_reachable_services() {
        let policy = |spec| service(spec).spec.external_traffic_policy;
        assert_eq!(policy(json!({"type": "NodePort"})), "Cluster");
        assert_eq!(policy(json!({"type": "LoadBalancer"})), "Cluster");
        assert_eq!(policy(json!({"externalIPs": ["198.51.100.7"]})), "Cluster");
        assert_eq!(policy(json!({})), "");
        assert_eq!(policy(json!({"type": "ExternalName", "externalName": "db.example.com"})), "");
    }

    #[test]
    fn internal_traffic_policy_skips_external_name_services() {
        let policy = |spec| service(spec).spec.internal_traffic_policy;
        for type_ in ["ClusterIP", "NodePort", "LoadBalancer"] {
            assert_eq!(policy(json!({"type": type_})).as_deref(), Some("Cluster"));
        }
        assert_eq!(policy(json!({"type": "ExternalName"})), None);
    }

    #[test]
    fn load_balancers_allocate_node_ports_unless_told_not_to() {
        let allocate = |spec| service(spec).spec.allocate_load_balancer_node_ports;
        assert_eq!(allocate(json!({"type": "LoadBalancer"})), Some(true));
        assert_eq!(
            allocate(json!({"type": "LoadBalancer", "allocateLoadBalancerNodePorts": false})),
            Some(false)
        );
        assert_eq!(allocate(json!({"type": "NodePort"})), None);
    }

    #[test]
    fn load_balancer_ingress_ips_default_to_vip_mode() {
        let defaulted: Service = defaulted(json!({
            "spec": {"type": "LoadBalancer"},
            "status": {"loadBalancer": {"ingress": [
                {"ip": "203.0.113.10"},
                {"ip": "203.0.113.11", "ipMode": "Proxy"},
                {"hostname": "lb.example.com"}
            ]}}
        }));
        let modes: Vec<_> = defaulted
            .status
            .load_balancer
            .ingress
            .iter()
            .map(|ingress| ingress.ip_mode.as_deref())
            .collect();
        assert_eq!(modes, [Some("VIP"), Some("Proxy"), None]);
    }

    #[test]
    fn ip_families_and_cluster_ips_are_left_to_the_allocator() {
        let spec = service(json!({"ports": [{"port": 80}]})).spec;
        assert!(spec.cluster_ip.is_empty() && spec.cluster_ips.is_empty());
        assert!(spec.ip_families.is_empty());
        assert_eq!(spec.ip_family_policy, None);
    }
}
