//! Services (`svc`): a create starts without status and with `clusterIPs` derived from
//! `clusterIP`; an update keeps what the apiserver allocated when the client resubmits without
//! it, and releases type-dependent values (cluster IPs, node ports, the health-check port) the
//! client did not touch when the new type no longer uses them.

use super::printing::{NONE, PrintRow, age_cell, age_column, column, format_labels, name_column};
use super::selectable::with_meta_fields;
use crate::registry::Strategy;
use api_types::api::core::v1::Service;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const EXTERNAL_NAME: &str = "ExternalName";
const NODE_PORT: &str = "NodePort";
const LOAD_BALANCER: &str = "LoadBalancer";
const CLUSTER_IP: &str = "ClusterIP";

impl Strategy for Service {
    const SHORT_NAMES: &'static [&'static str] = &["svc"];
    const CATEGORIES: &'static [&'static str] = &["all"];
    const SUBRESOURCES: &'static [&'static str] = &["status", "proxy"];
    const STATUS_SUBRESOURCE: bool = true;

    fn prepare_for_create(&mut self) {
        self.spec.normalize_cluster_ips(None);
    }

    fn prepare_for_update(&mut self, old: &Self) {
        keep_allocated_values(self, old);
        self.spec.normalize_cluster_ips(Some(&old.spec));
        release_type_dependent_fields(self, old);
        trim_dual_stack_downgrade(self, old);
    }

    fn field_set(&self) -> BTreeMap<String, String> {
        with_meta_fields(
            self,
            [
                ("spec.clusterIP", self.spec.cluster_ip.clone()),
                ("spec.type", self.spec.type_.clone()),
            ],
        )
    }

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            name_column(),
            column("Type", "string", 0, "How the service is exposed."),
            column("Cluster-IP", "string", 0, "The service's primary cluster IP."),
            column("External-IP", "string", 0, "External or load-balancer addresses."),
            column("Port(s)", "string", 0, "Service ports, with node ports."),
            age_column(),
            column("Selector", "string", 1, "The labels of the pods behind the service."),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

fn needs_cluster_ip(service: &Service) -> bool {
    service.spec.type_ != EXTERNAL_NAME
}

fn needs_node_ports(service: &Service) -> bool {
    matches!(service.spec.type_.as_str(), NODE_PORT | LOAD_BALANCER)
}

fn needs_health_check_node_port(service: &Service) -> bool {
    service.spec.type_ == LOAD_BALANCER && service.spec.external_traffic_policy == "Local"
}

/// Upstream's `patchAllocatedValues`: a client resubmitting its original manifest (no cluster
/// IP, no node ports) keeps the values allocated on its behalf. Node ports are matched by port
/// name.
fn keep_allocated_values(new: &mut Service, old: &Service) {
    if needs_cluster_ip(old) && needs_cluster_ip(new) {
        if new.spec.cluster_ip.is_empty() {
            new.spec.cluster_ip = old.spec.cluster_ip.clone();
        }
        if new.spec.cluster_ips.is_empty() {
            new.spec.cluster_ips = old.spec.cluster_ips.clone();
        }
    }
    if needs_node_ports(old) && needs_node_ports(new) {
        let allocated: BTreeMap<&str, i32> =
            old.spec.ports.iter().map(|port| (port.name.as_str(), port.node_port)).collect();
        for port in new.spec.ports.iter_mut().filter(|port| port.node_port == 0) {
            port.node_port = allocated.get(port.name.as_str()).copied().unwrap_or(0);
        }
    }
    if needs_health_check_node_port(old)
        && needs_health_check_node_port(new)
        && new.spec.health_check_node_port == 0
    {
        new.spec.health_check_node_port = old.spec.health_check_node_port;
    }
}

/// Upstream's `dropTypeDependentFields`: when the new type no longer uses a value the old one
/// did, and the client left that value as it was, it is cleared (to be released).
fn release_type_dependent_fields(new: &mut Service, old: &Service) {
    let drops_cluster_ip = needs_cluster_ip(old) && !needs_cluster_ip(new);
    let drops_node_ports =
        needs_node_ports(old) && !needs_node_ports(new) && no_new_node_ports(new, old);
    let drops_health_check =
        needs_health_check_node_port(old) && !needs_health_check_node_port(new);
    let leaves_load_balancer = old.spec.type_ == LOAD_BALANCER && new.spec.type_ != LOAD_BALANCER;
    let (old_spec, spec) = (&old.spec, &mut new.spec);
    if drops_cluster_ip {
        if spec.cluster_ip == old_spec.cluster_ip && spec.cluster_ips == old_spec.cluster_ips {
            spec.cluster_ip.clear();
            spec.cluster_ips.clear();
        }
        if spec.ip_families == old_spec.ip_families {
            spec.ip_families.clear();
        }
        if spec.ip_family_policy.as_deref().unwrap_or("")
            == old_spec.ip_family_policy.as_deref().unwrap_or("")
        {
            spec.ip_family_policy = None;
        }
    }
    if drops_node_ports {
        spec.ports.iter_mut().for_each(|port| port.node_port = 0);
    }
    if drops_health_check && spec.health_check_node_port == old_spec.health_check_node_port {
        spec.health_check_node_port = 0;
    }
    if leaves_load_balancer {
        if spec.allocate_load_balancer_node_ports.is_some()
            && spec.allocate_load_balancer_node_ports == old_spec.allocate_load_balancer_node_ports
        {
            spec.allocate_load_balancer_node_ports = None;
        }
        if spec.load_balancer_class == old_spec.load_balancer_class {
            spec.load_balancer_class = None;
        }
    }
}

/// Whether every node port the new service names was already allocated to the old one.
fn no_new_node_ports(new: &Service, old: &Service) -> bool {
    let allocated = |service: &Service| -> BTreeSet<i32> {
        service.spec.ports.iter().map(|port| port.node_port).filter(|&port| port != 0).collect()
    };
    allocated(new).is_subset(&allocated(old))
}

/// Switching a dual-stack service to `SingleStack` drops the secondary IP and family.
fn trim_dual_stack_downgrade(new: &mut Service, old: &Service) {
    let was_dual_stack = matches!(
        old.spec.ip_family_policy.as_deref(),
        Some("RequireDualStack" | "PreferDualStack")
    );
    if was_dual_stack && new.spec.ip_family_policy.as_deref() == Some("SingleStack") {
        new.spec.cluster_ips.truncate(1);
        new.spec.ip_families.truncate(1);
    }
}

impl PrintRow for Service {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        let spec = &self.spec;
        let ports = spec
            .ports
            .iter()
            .map(|port| match port.node_port {
                0 => format!("{}/{}", port.port, port.protocol),
                node_port => format!("{}:{node_port}/{}", port.port, port.protocol),
            })
            .collect::<Vec<_>>()
            .join(",");
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(spec.type_.clone()),
            Value::from(spec.cluster_ips.first().map_or(NONE, String::as_str)),
            Value::from(external_ip(self)),
            Value::from(if ports.is_empty() { NONE.to_string() } else { ports }),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
            Value::from(format_labels(&spec.selector)),
        ]
    }
}

/// EXTERNAL-IP as the server (always wide, never truncated) prints it.
fn external_ip(service: &Service) -> String {
    let spec = &service.spec;
    match spec.type_.as_str() {
        CLUSTER_IP | NODE_PORT if spec.external_ips.is_empty() => NONE.to_string(),
        CLUSTER_IP | NODE_PORT => spec.external_ips.join(","),
        LOAD_BALANCER => {
            let ingress = &service.status.load_balancer.ingress;
            let balancers: BTreeSet<&str> = ingress
                .iter()
                .map(|point| if point.ip.is_empty() { &point.hostname } else { &point.ip })
                .filter(|address| !address.is_empty())
                .map(String::as_str)
                .collect();
            let mut addresses: Vec<&str> = balancers.into_iter().collect();
            addresses.extend(spec.external_ips.iter().map(String::as_str));
            if addresses.is_empty() { "<pending>".to_string() } else { addresses.join(",") }
        }
        EXTERNAL_NAME => spec.external_name.clone(),
        _ => "<unknown>".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service(value: serde_json::Value) -> Service {
        serde_json::from_value(value).unwrap()
    }

    fn now() -> DateTime<Utc> {
        "2024-05-01T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn node_port_service_row() {
        let web = service(json!({
            "metadata": {"name": "web", "creationTimestamp": "2024-05-01T09:15:00Z"},
            "spec": {"type": "NodePort", "clusterIP": "10.96.12.34", "clusterIPs": ["10.96.12.34"],
                     "selector": {"app": "web"},
                     "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080, "nodePort": 30001},
                               {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53}]}
        }));
        assert_eq!(
            web.cells_at(now()),
            ["web", "NodePort", "10.96.12.34", "<none>", "80:30001/TCP,53/UDP", "45m", "app=web"]
                .map(Value::from)
        );
    }

    #[test]
    fn external_ip_by_type() {
        let kubernetes = service(json!({
            "metadata": {"name": "kubernetes"},
            "spec": {"type": "ClusterIP", "clusterIPs": ["10.96.0.1"],
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]}
        }));
        assert_eq!(
            kubernetes.cells_at(now())[2..5],
            ["10.96.0.1", "<none>", "443/TCP"].map(Value::from)
        );
        assert_eq!(kubernetes.cells_at(now())[6], "<none>");
        let pending =
            service(json!({"spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.0.7"]}}));
        assert_eq!(pending.cells_at(now())[3], "<pending>");
        let balanced = service(json!({
            "spec": {"type": "LoadBalancer", "externalIPs": ["198.51.100.9"]},
            "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.20"}, {"hostname": "lb.example.com"},
                                                    {"ip": "203.0.113.10"}]}}
        }));
        assert_eq!(
            balanced.cells_at(now())[3],
            "203.0.113.10,203.0.113.20,lb.example.com,198.51.100.9"
        );
        let headless = service(
            json!({"spec": {"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"],
                                               "externalIPs": ["192.0.2.1", "192.0.2.2"]}}),
        );
        assert_eq!(
            headless.cells_at(now())[2..5],
            ["None", "192.0.2.1,192.0.2.2", "<none>"].map(Value::from)
        );
        let alias =
            service(json!({"spec": {"type": "ExternalName", "externalName": "db.example.com"}}));
        assert_eq!(alias.cells_at(now())[2..4], ["<none>", "db.example.com"].map(Value::from));
    }

    #[test]
    fn create_derives_cluster_ips() {
        let mut created = service(json!({"spec": {"clusterIP": "10.96.0.10"}}));
        created.prepare_for_create();
        assert_eq!(created.spec.cluster_ips, ["10.96.0.10"]);
    }

    #[test]
    fn update_keeps_allocated_values_of_a_resubmitted_manifest() {
        let old = service(json!({
            "spec": {"type": "LoadBalancer", "clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5"],
                     "externalTrafficPolicy": "Local", "healthCheckNodePort": 32000,
                     "ports": [{"name": "http", "port": 80, "nodePort": 30080},
                               {"name": "https", "port": 443, "nodePort": 30443}]}
        }));
        let mut resubmitted = service(json!({
            "spec": {"type": "LoadBalancer", "externalTrafficPolicy": "Local",
                     "ports": [{"name": "https", "port": 443}, {"name": "metrics", "port": 9090}]}
        }));
        resubmitted.prepare_for_update(&old);
        let spec = &resubmitted.spec;
        assert_eq!(
            (spec.cluster_ip.as_str(), spec.cluster_ips.clone()),
            ("10.96.0.5", vec!["10.96.0.5".to_string()])
        );
        assert_eq!(spec.ports.iter().map(|p| p.node_port).collect::<Vec<_>>(), [30443, 0]);
        assert_eq!(spec.health_check_node_port, 32000);
    }

    #[test]
    fn update_releases_values_the_new_type_does_not_use() {
        let old = service(json!({
            "spec": {"type": "NodePort", "clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5"],
                     "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                     "ports": [{"name": "http", "port": 80, "nodePort": 30080}]}
        }));
        let mut to_external_name = old.clone();
        to_external_name.spec.type_ = EXTERNAL_NAME.into();
        to_external_name.spec.external_name = "db.example.com".into();
        to_external_name.prepare_for_update(&old);
        let spec = &to_external_name.spec;
        assert!(
            spec.cluster_ip.is_empty()
                && spec.cluster_ips.is_empty()
                && spec.ip_families.is_empty()
        );
        assert_eq!((spec.ip_family_policy.clone(), spec.ports[0].node_port), (None, 0));
        let mut to_cluster_ip = old.clone();
        to_cluster_ip.spec.type_ = CLUSTER_IP.into();
        to_cluster_ip.spec.ports[0].node_port = 31000;
        to_cluster_ip.prepare_for_update(&old);
        assert_eq!(
            to_cluster_ip.spec.ports[0].node_port, 31000,
            "a new node port is left to validation"
        );
        assert_eq!(to_cluster_ip.spec.cluster_ip, "10.96.0.5");
    }

    #[test]
    fn update_to_single_stack_drops_the_secondary_family() {
        let old = service(
            json!({"spec": {"clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5", "fd00::5"],
                                          "ipFamilies": ["IPv4", "IPv6"], "ipFamilyPolicy": "PreferDualStack"}}),
        );
        let mut single = old.clone();
        single.spec.ip_family_policy = Some("SingleStack".into());
        single.prepare_for_update(&old);
        assert_eq!((single.spec.cluster_ips.len(), single.spec.ip_families.len()), (1, 1));
    }

    #[test]
    fn field_set_has_cluster_ip_and_type() {
        let svc = service(json!({"metadata": {"name": "web", "namespace": "prod"},
                                 "spec": {"type": "ClusterIP", "clusterIP": "None"}}));
        let fields = svc.field_set();
        assert_eq!(
            (fields["spec.clusterIP"].as_str(), fields["spec.type"].as_str()),
            ("None", "ClusterIP")
        );
        assert_eq!(fields.len(), 4);
    }
}
