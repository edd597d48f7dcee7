//! Where the `proxy` subresource (and the v1.0 `/api/v1/proxy/...` prefix) of a pod, service or
//! node leads, as upstream's `ResourceLocation`s decide it: a pod's IP and port, one ready
//! endpoint of a service, a node's kubelet (or another port on the node).

use super::kubelet::KubeletClient;
use super::location::{Location, Scheme, TargetName, split_scheme_name_port};
use super::pods::{first_container_port, pod_address};
use crate::registry::ResourceTable;
use api_types::api::core::v1::{Endpoints, Node, Pod, Service};
use api_types::meta::v1::{GetOptions, Status};
use rustls::ClientConfig;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// Reads one core/v1 object from the registry, typed.
pub async fn get_object<T: DeserializeOwned>(
    resources: &ResourceTable,
    plural: &str,
    namespace: Option<&str>,
    name: &str,
) -> Result<T, Status> {
    let resource = resources
        .get("", "v1", plural)
        .ok_or_else(|| Status::internal_error(format!("{plural} are not served")))?;
    let value = resource.get(namespace, name, None, &GetOptions::default()).await?;
    serde_json::from_value(value).map_err(Status::internal_error)
}

/// The TLS settings for an `https:` pod, service or non-kubelet node port: unverified, as
/// upstream's proxy transport.
fn workload_tls(scheme: Scheme, tls: &Arc<ClientConfig>) -> Option<Arc<ClientConfig>> {
    (scheme == Scheme::Https).then(|| Arc::clone(tls))
}

/// Parses a target name, or upstream's 400 `invalid <kind> request "<id>"`.
fn target_name<'a>(kind: &str, id: &'a str) -> Result<TargetName<'a>, Status> {
    split_scheme_name_port(id)
        .ok_or_else(|| Status::bad_request(format!("invalid {kind} request {id:?}")))
}

/// `pods/<[scheme:]name[:port]>/proxy`: the pod's IP, at the named port, else its first
/// declared container port, else the scheme's default port.
pub async fn pod_location(
    resources: &ResourceTable,
    namespace: &str,
    id: &str,
    tls: &Arc<ClientConfig>,
) -> Result<Location, Status> {
    let target = target_name("pod", id)?;
    let pod: Pod = get_object(resources, "pods", Some(namespace), target.name).await?;
    let port = match target.port {
        "" => first_container_port(&pod).unwrap_or(target.scheme.default_port()),
        text => parse_port("pod", id, text)?,
    };
    let address = pod_address(&pod)?;
    Ok(Location {
        host: address.to_string(),
        port,
        tls: workload_tls(target.scheme, tls),
        path: String::new(),
        query: String::new(),
    })
}

fn parse_port(kind: &str, id: &str, text: &str) -> Result<u16, Status> {
    text.parse::<u16>()
        .ok()
        .filter(|port| *port > 0)
        .ok_or_else(|| Status::bad_request(format!("invalid {kind} request {id:?}")))
}

/// `services/<[scheme:]name[:port]>/proxy`: one ready address of the service's endpoints, on the
/// endpoint port named like the requested service port (by name, or by number through the
/// service's port list).
pub async fn service_location(
    resources: &ResourceTable,
    namespace: &str,
    id: &str,
    tls: &Arc<ClientConfig>,
) -> Result<Location, Status> {
    let target = target_name("service", id)?;
    let service: Service = get_object(resources, "services", Some(namespace), target.name).await?;
    let port_name = service_port_name(&service, target.name, target.port)?;
    let endpoints: Endpoints =
        get_object(resources, "endpoints", Some(namespace), target.name).await?;
    let (host, port) = pick_endpoint(&endpoints, &port_name, target.name, id)?;
    Ok(Location {
        host,
        port,
        tls: workload_tls(target.scheme, tls),
        path: String::new(),
        query: String::new(),
    })
}

/// The name of the service port a request means: a number is looked up among the service's
/// ports (503 when none has it), anything else is already a name (empty for the unnamed port).
fn service_port_name(service: &Service, name: &str, requested: &str) -> Result<String, Status> {
    let Ok(number) = requested.parse::<i64>() else {
        return Ok(requested.to_string());
    };
    service
        .spec
        .ports
        .iter()
        .find(|port| i64::from(port.port) == number)
        .map(|port| port.name.clone())
        .ok_or_else(|| {
            Status::service_unavailable(format!(
                "no service port {number} found for service {name:?}"
            ))
        })
}

/// A ready address and port of `endpoints` for the port named `port_name`, starting from a
/// random subset and a random address so that load spreads over the backends.
fn pick_endpoint(
    endpoints: &Endpoints,
    port_name: &str,
    service: &str,
    id: &str,
) -> Result<(String, u16), Status> {
    let subsets = &endpoints.subsets;
    if subsets.is_empty() {
        return Err(Status::service_unavailable(format!(
            "no endpoints available for service {service:?}"
        )));
    }
    let first_subset = fastrand::usize(..subsets.len());
    for offset in 0..subsets.len() {
        let subset = &subsets[(first_subset + offset) % subsets.len()];
        if subset.addresses.is_empty() {
            continue;
        }
        let port = subset.ports.iter().find(|port| port.name == port_name);
        if let Some(port) = port.and_then(|port| u16::try_from(port.port).ok()) {
            let address = &subset.addresses[fastrand::usize(..subset.addresses.len())];
            return Ok((address.ip.clone(), port));
        }
    }
    Err(Status::service_unavailable(format!("no endpoints available for service {id:?}")))
}

/// `nodes/<[scheme:]name[:port]>/proxy`: the node's kubelet, with the kubelet's TLS settings,
/// when no port or the kubelet's port is named; otherwise that port on the same address.
pub async fn node_location(
    resources: &ResourceTable,
    kubelet: &KubeletClient,
    id: &str,
    tls: &Arc<ClientConfig>,
) -> Result<Location, Status> {
    let target = target_name("node", id)?;
    let node: Node = get_object(resources, "nodes", None, target.name).await?;
    let kubelet_location = kubelet.location(&node, String::new(), String::new())?;
    if target.port.is_empty() || target.port == kubelet_location.port.to_string() {
        return Ok(kubelet_location);
    }
    Ok(Location {
        port: parse_port("node", id, target.port)?,
        tls: workload_tls(target.scheme, tls),
        ..kubelet_location
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn service() -> Service {
        serde_json::from_value(json!({"metadata": {"name": "web"}, "spec": {"ports": [
            {"name": "http", "port": 80}, {"name": "metrics", "port": 9100}]}}))
        .unwrap()
    }

    #[test]
    fn service_ports_by_name_or_number() {
        assert_eq!(service_port_name(&service(), "web", "http").unwrap(), "http");
        assert_eq!(service_port_name(&service(), "web", "9100").unwrap(), "metrics");
        assert_eq!(service_port_name(&service(), "web", "").unwrap(), "");
        let missing = service_port_name(&service(), "web", "81").unwrap_err();
        assert_eq!(missing.code, 503);
        assert_eq!(missing.message, "no service port 81 found for service \"web\"");
    }

    #[test]
    fn endpoints_are_picked_from_ready_addresses() {
        let endpoints: Endpoints = serde_json::from_value(json!({"subsets": [
            {"notReadyAddresses": [{"ip": "10.0.0.9"}], "ports": [{"name": "http", "port": 8080}]},
            {"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}],
             "ports": [{"name": "http", "port": 8080}, {"name": "metrics", "port": 9100}]},
        ]}))
        .unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..100 {
            let (ip, port) = pick_endpoint(&endpoints, "http", "web", "web:http").unwrap();
            assert_eq!(port, 8080);
            seen.insert(ip);
        }
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), ["10.0.0.1", "10.0.0.2"]);
        let none = pick_endpoint(&endpoints, "grpc", "web", "web:grpc").unwrap_err();
        assert_eq!(
            (none.code, none.message.as_str()),
            (503, "no endpoints available for service \"web:grpc\"")
        );
        let empty = pick_endpoint(&Endpoints::default(), "", "web", "web").unwrap_err();
        assert_eq!(empty.message, "no endpoints available for service \"web\"");
    }
}
