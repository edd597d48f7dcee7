//! How the apiserver reaches a node's kubelet: the node's address of the first preferred type
//! (`--kubelet-preferred-address-types`), the port the node reports in
//! `status.daemonEndpoints.kubeletEndpoint.Port` (else `--kubelet-port`), HTTPS unless
//! `--kubelet-https=false`, with the TLS settings of `--kubelet-certificate-authority` and
//! `--kubelet-client-certificate`/`--kubelet-client-key`.

use super::location::Location;
use super::tls::{self, ClientTlsError, ClientTlsFiles};
use crate::options::KubeletOptions;
use api_types::api::core::v1::Node;
use api_types::meta::v1::Status;
use rustls::ClientConfig;
use std::sync::Arc;
use std::time::Duration;

/// Upstream's default `--kubelet-preferred-address-types`.
pub const DEFAULT_PREFERRED_ADDRESS_TYPES: [&str; 5] =
    ["Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP"];

/// The label a node's hostname is also published under; upstream falls back to it when a
/// `Hostname` address is preferred but not reported.
const HOSTNAME_LABEL: &str = "kubernetes.io/hostname";

/// The kubelet connection settings, from the flags.
#[derive(Clone)]
pub struct KubeletClient {
    /// `None` for plain HTTP.
    tls: Option<Arc<ClientConfig>>,
    default_port: u16,
    preferred_address_types: Vec<String>,
    /// Bound on dialing a kubelet and its TLS handshake (`--kubelet-timeout`).
    pub connect_timeout: Duration,
}

impl Default for KubeletClient {
    /// The flags' defaults: HTTPS on port 10250 without verifying the kubelet's certificate,
    /// upstream's address preference, 5 s to connect.
    fn default() -> Self {
        KubeletClient {
            tls: Some(tls::unverified()),
            default_port: 10250,
            preferred_address_types: DEFAULT_PREFERRED_ADDRESS_TYPES.map(String::from).into(),
            connect_timeout: Duration::from_secs(5),
        }
    }
}

impl KubeletClient {
    /// The client the flags describe; fails when a named certificate file is unusable.
    pub fn from_options(options: &KubeletOptions) -> Result<Self, ClientTlsError> {
        let tls = if options.kubelet_https {
            let files = ClientTlsFiles {
                certificate_authority: options.kubelet_certificate_authority.as_deref(),
                client_certificate: options
                    .kubelet_client_certificate
                    .as_deref()
                    .zip(options.kubelet_client_key.as_deref()),
            };
            Some(tls::build(&files)?)
        } else {
            None
        };
        Ok(KubeletClient {
            tls,
            default_port: options.kubelet_port,
            preferred_address_types: options.kubelet_preferred_address_types.clone(),
            connect_timeout: options.kubelet_timeout,
        })
    }

    /// Where `path?query` is served by the kubelet of `node`.
    pub fn location(&self, node: &Node, path: String, query: String) -> Result<Location, Status> {
        let host = preferred_address(node, &self.preferred_address_types)?;
        Ok(Location { host, port: self.port(node), tls: self.tls.clone(), path, query })
    }

    /// The kubelet's port on `node`: the one it reports, else `--kubelet-port`.
    pub fn port(&self, node: &Node) -> u16 {
        let reported = node.status.daemon_endpoints.kubelet_endpoint.port;
        u16::try_from(reported).ok().filter(|port| *port > 0).unwrap_or(self.default_port)
    }
}

/// The node's first address of the first type in `types`; a preferred `Hostname` that the node
/// does not report falls back to its `kubernetes.io/hostname` label. None at all is upstream's
/// internal error naming the addresses the node has.
pub fn preferred_address(node: &Node, types: &[String]) -> Result<String, Status> {
    for address_type in types {
        let found = node.status.addresses.iter().find(|address| &address.type_ == address_type);
        if let Some(address) = found {
            return Ok(address.address.clone());
        }
        if address_type == "Hostname" {
            if let Some(hostname) = node.metadata.labels.get(HOSTNAME_LABEL) {
                return Ok(hostname.clone());
            }
        }
    }
    let known: Vec<String> = node
        .status
        .addresses
        .iter()
        .map(|address| format!("{{{} {}}}", address.type_, address.address))
        .collect();
    Err(Status::internal_error(format!(
        "no preferred addresses found; known addresses: [{}]",
        known.join(" ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(value: serde_json::Value) -> Node {
        serde_json::from_value(value).unwrap()
    }

    fn types(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn addresses_in_preference_order() {
        let n = node(json!({"metadata": {"name": "n1"}, "status": {"addresses": [
            {"type": "ExternalIP", "address": "203.0.113.7"},
            {"type": "InternalIP", "address": "10.0.0.7"},
        ]}}));
        let default =
            types(&["Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP"]);
        assert_eq!(preferred_address(&n, &default).unwrap(), "10.0.0.7");
        assert_eq!(preferred_address(&n, &types(&["ExternalIP"])).unwrap(), "203.0.113.7");
        let status = preferred_address(&n, &types(&["InternalDNS"])).unwrap_err();
        assert_eq!(status.code, 500);
        assert_eq!(
            status.message,
            "Internal error occurred: no preferred addresses found; known addresses: \
             [{ExternalIP 203.0.113.7} {InternalIP 10.0.0.7}]"
        );
        let labelled = node(json!({"metadata": {"name": "n2",
            "labels": {"kubernetes.io/hostname": "node-2"}}}));
        assert_eq!(preferred_address(&labelled, &default).unwrap(), "node-2");
    }

    #[test]
    fn ports_come_from_the_node_or_the_flag() {
        let options = KubeletOptions {
            kubelet_port: 10250,
            kubelet_https: false,
            kubelet_certificate_authority: None,
            kubelet_client_certificate: None,
            kubelet_client_key: None,
            kubelet_timeout: Duration::from_secs(5),
            kubelet_preferred_address_types: types(&["InternalIP"]),
        };
        let client = KubeletClient::from_options(&options).unwrap();
        let reporting = node(json!({"status": {
            "addresses": [{"type": "InternalIP", "address": "10.0.0.7"}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10255}}}}));
        assert_eq!(client.port(&reporting), 10255);
        assert_eq!(client.port(&node(json!({}))), 10250);
        let location = client.location(&reporting, "/stats".into(), String::new()).unwrap();
        assert_eq!(location.url(), "http://10.0.0.7:10255/stats");
    }
}
