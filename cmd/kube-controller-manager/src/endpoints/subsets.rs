//! The endpoints a service should have, computed from the service and its pods without side
//! effects (upstream's endpoints controller `syncService`, its pod-to-address rules and
//! `RepackSubsets`).
//!
//! Every pod the selector matches that has an IP and is not being deleted gives one address per
//! service port it can serve: a numeric `targetPort` as is, a named one (`targetPort: http`, the
//! Helm chart case) resolved through the pod's container ports; a pod without such a named port
//! is left out of that port. Ready pods (or all, with `publishNotReadyAddresses`) go to
//! `addresses`, others to `notReadyAddresses`. Addresses that serve the same set of ports share
//! one subset, sorted so that equal inputs always give equal outputs.

use crate::controller::pods::is_ready;
use api_types::api::core::v1::{
    EndpointAddress, EndpointPort, EndpointSubset, ObjectReference, Pod, Service, ServicePort,
};
use api_types::intstr::IntOrString;
use api_types::labels::Selector;
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// Whether the endpoints controller manages this service's endpoints: it has a selector and is
/// not an `ExternalName` alias. Services without a selector have hand-written endpoints.
pub fn is_managed(service: &Service) -> bool {
    !service.spec.selector.is_empty() && service.spec.type_ != "ExternalName"
}

/// The subsets `service` should have given the pods of its namespace.
pub fn desired_subsets<P: Borrow<Pod>>(
    service: &Service,
    namespace_pods: &[P],
) -> Vec<EndpointSubset> {
    let selector = Selector::from_set(&service.spec.selector);
    let publish_not_ready = service.spec.publish_not_ready_addresses;
    // (address, ready) → the ports it serves.
    let mut served: BTreeMap<AddressKey, (EndpointAddress, bool, Vec<EndpointPort>)> =
        BTreeMap::new();
    for pod in namespace_pods.iter().map(Borrow::borrow) {
        if !selector.matches(&pod.metadata.labels) || !belongs_in_endpoints(pod) {
            continue;
        }
        let address = address_of(pod, service);
        let ready = publish_not_ready || is_ready(pod);
        let ports: Vec<EndpointPort> = service
            .spec
            .ports
            .iter()
            .filter_map(|port| {
                resolve_target_port(pod, port).map(|number| EndpointPort {
                    name: port.name.clone(),
                    port: number,
                    protocol: protocol_or_tcp(&port.protocol),
                    app_protocol: port.app_protocol.clone(),
                })
            })
            .collect();
        // A headless service without ports still lists its pods; a ported service lists a pod
        // only for the ports it serves.
        if ports.is_empty() && !service.spec.ports.is_empty() {
            continue;
        }
        let key = AddressKey { ip: address.ip.clone(), uid: pod.metadata.uid.clone() };
        served.insert(key, (address, ready, ports));
    }
    repack(served.into_values())
}

/// Upstream's rule for which pods appear at all: an IP, not finished, not being deleted.
fn belongs_in_endpoints(pod: &Pod) -> bool {
    !pod.status.pod_ip.is_empty()
        && pod.metadata.deletion_timestamp.is_none()
        && !matches!(pod.status.phase.as_str(), "Succeeded" | "Failed")
}

/// Sorts addresses by IP, then by pod uid.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct AddressKey {
    ip: String,
    uid: String,
}

/// The address of `pod` for `service`, pointing back at the pod.
fn address_of(pod: &Pod, service: &Service) -> EndpointAddress {
    let meta = &pod.metadata;
    // A pod publishes its hostname to a headless service named after its subdomain.
    let hostname = if !pod.spec.hostname.is_empty()
        && pod.spec.subdomain == service.metadata.name
        && meta.namespace == service.metadata.namespace
    {
        pod.spec.hostname.clone()
    } else {
        String::new()
    };
    EndpointAddress {
        ip: pod.status.pod_ip.clone(),
        hostname,
        node_name: Some(pod.spec.node_name.clone()).filter(|node| !node.is_empty()),
        target_ref: Some(ObjectReference {
            kind: "Pod".into(),
            namespace: meta.namespace.clone(),
            name: meta.name.clone(),
            uid: meta.uid.clone(),
            ..Default::default()
        }),
    }
}

/// The container port a service port reaches on `pod`: a number as given, a name through the
/// pod's containers' named ports of the same protocol.
fn resolve_target_port(pod: &Pod, port: &ServicePort) -> Option<i32> {
    match &port.target_port {
        IntOrString::Int(0) => Some(port.port),
        IntOrString::Int(number) => Some(*number),
        IntOrString::String(name) => {
            let protocol = protocol_or_tcp(&port.protocol);
            pod.spec
                .containers
                .iter()
                .flat_map(|container| &container.ports)
                .find(|candidate| {
                    &candidate.name == name && protocol_or_tcp(&candidate.protocol) == protocol
                })
                .map(|candidate| candidate.container_port)
        }
    }
}

/// The protocol, `TCP` when unset (as defaulting would make it).
fn protocol_or_tcp(protocol: &str) -> String {
    if protocol.is_empty() { "TCP".to_string() } else { protocol.to_string() }
}

/// Groups addresses that serve the same ports into one subset each (upstream `RepackSubsets`),
/// with addresses sorted by IP and ports by name, port and protocol.
fn repack(
    addresses: impl IntoIterator<Item = (EndpointAddress, bool, Vec<EndpointPort>)>,
) -> Vec<EndpointSubset> {
    let mut by_ports: BTreeMap<Vec<(String, i32, String)>, EndpointSubset> = BTreeMap::new();
    for (address, ready, mut ports) in addresses {
        ports.sort_by(|left, right| {
            (&left.name, left.port, &left.protocol).cmp(&(&right.name, right.port, &right.protocol))
        });
        let key = ports.iter().map(|p| (p.name.clone(), p.port, p.protocol.clone())).collect();
        let subset = by_ports
            .entry(key)
            .or_insert_with(|| EndpointSubset { ports: ports.clone(), ..Default::default() });
        if ready {
            subset.addresses.push(address);
        } else {
            subset.not_ready_addresses.push(address);
        }
    }
    by_ports.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service(ports: serde_json::Value) -> Service {
        serde_json::from_value(json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"app": "web"}, "ports": ports}
        }))
        .unwrap()
    }

    fn pod(name: &str, ip: &str, ready: bool, extra_spec: serde_json::Value) -> Pod {
        let mut spec = json!({"nodeName": "node-1", "containers": [{"name": "c", "image": "i",
            "ports": [{"name": "http", "containerPort": 8080}]}]});
        if let (Some(spec), Some(extra)) = (spec.as_object_mut(), extra_spec.as_object()) {
            spec.extend(extra.clone());
        }
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "default", "uid": format!("{name}-uid"),
                         "labels": {"app": "web"}},
            "spec": spec,
            "status": {"phase": "Running", "podIP": ip, "conditions": [
                {"type": "Ready", "status": if ready { "True" } else { "False" }}]}
        }))
        .unwrap()
    }

    #[test]
    fn ready_and_not_ready_pods_share_a_subset_per_port_set() {
        let service = service(json!([{"name": "http", "port": 80, "targetPort": "http"},
                                     {"name": "metrics", "port": 9090, "targetPort": 9090}]));
        let pods = [
            pod("b", "10.1.0.6", true, json!({})),
            pod("a", "10.1.0.5", true, json!({})),
            pod("c", "10.1.0.7", false, json!({})),
        ];
        let subsets = desired_subsets(&service, &pods);
        assert_eq!(subsets.len(), 1);
        let subset = &subsets[0];
        let ips: Vec<_> = subset.addresses.iter().map(|address| address.ip.as_str()).collect();
        assert_eq!(ips, ["10.1.0.5", "10.1.0.6"]);
        assert_eq!(subset.not_ready_addresses[0].ip, "10.1.0.7");
        let ports: Vec<_> = subset.ports.iter().map(|p| (p.name.as_str(), p.port)).collect();
        assert_eq!(ports, [("http", 8080), ("metrics", 9090)]);
        let first = &subset.addresses[0];
        assert_eq!(first.node_name.as_deref(), Some("node-1"));
        let target = first.target_ref.as_ref().unwrap();
        assert_eq!(
            (target.kind.as_str(), target.name.as_str(), target.uid.as_str()),
            ("Pod", "a", "a-uid")
        );
    }

    #[test]
    fn pods_without_the_named_port_form_their_own_subset_or_drop_out() {
        let service = service(json!([{"name": "http", "port": 80, "targetPort": "http"},
                                     {"name": "raw", "port": 81, "targetPort": 81}]));
        let unnamed =
            pod("plain", "10.1.0.9", true, json!({"containers": [{"name": "c", "image": "i"}]}));
        let subsets = desired_subsets(&service, &[pod("a", "10.1.0.5", true, json!({})), unnamed]);
        assert_eq!(subsets.len(), 2, "{subsets:?}");
        let only_named = service_with_only_named_port();
        let unnamed =
            pod("plain", "10.1.0.9", true, json!({"containers": [{"name": "c", "image": "i"}]}));
        assert!(desired_subsets(&only_named, &[unnamed]).is_empty());
    }

    fn service_with_only_named_port() -> Service {
        service(json!([{"name": "http", "port": 80, "targetPort": "http"}]))
    }

    #[test]
    fn pods_without_ip_deleted_finished_or_unselected_are_left_out() {
        let service = service(json!([{"port": 80, "targetPort": 80}]));
        let mut no_ip = pod("a", "", true, json!({}));
        no_ip.status.pod_ip.clear();
        let mut deleting = pod("b", "10.1.0.2", true, json!({}));
        deleting.metadata.deletion_timestamp = Some("2024-01-01T00:00:00Z".parse().unwrap());
        let mut done = pod("c", "10.1.0.3", true, json!({}));
        done.status.phase = "Succeeded".into();
        let mut other = pod("d", "10.1.0.4", true, json!({}));
        other.metadata.labels.insert("app".into(), "db".into());
        assert!(desired_subsets(&service, &[no_ip, deleting, done, other]).is_empty());
    }

    #[test]
    fn publish_not_ready_and_headless_hostnames() {
        let mut service = service(json!([]));
        service.spec.publish_not_ready_addresses = true;
        let pod = pod("a", "10.1.0.5", false, json!({"hostname": "a-0", "subdomain": "web"}));
        let subsets = desired_subsets(&service, &[pod]);
        assert_eq!(subsets[0].addresses[0].hostname, "a-0");
        assert!(subsets[0].ports.is_empty());
        assert!(subsets[0].not_ready_addresses.is_empty());
    }

    #[test]
    fn only_selector_services_are_managed() {
        assert!(is_managed(&service(json!([]))));
        let mut manual = service(json!([]));
        manual.spec.selector.clear();
        assert!(!is_managed(&manual));
        let mut alias = service(json!([]));
        alias.spec.type_ = "ExternalName".into();
        assert!(!is_managed(&alias));
    }
}
