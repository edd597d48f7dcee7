//! `Endpoints`: the concrete pod addresses behind a service, kept by the endpoints controller and
//! read by kube-proxy and DNS.

use super::ObjectReference;
use crate::meta::v1::ObjectMeta;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// The addresses and ports a service resolves to, named like the service it belongs to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Endpoints")]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub subsets: Vec<EndpointSubset>,
}

crate::impl_resource!(
    Endpoints,
    group = "",
    version = "v1",
    kind = "Endpoints",
    plural = "endpoints",
    namespaced = true
);

/// Addresses that share one set of ports; the endpoints are every address paired with every port.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.EndpointSubset")]
#[serde(rename_all = "camelCase")]
pub struct EndpointSubset {
    /// Ready addresses: safe to send traffic to.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<EndpointAddress>,
    /// Addresses whose pods are not (yet, or no longer) ready.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub not_ready_addresses: Vec<EndpointAddress>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<EndpointPort>,
}

/// One backend IP, with the node it runs on and the pod that provides it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.EndpointAddress")]
#[serde(rename_all = "camelCase")]
pub struct EndpointAddress {
    #[serde(default, deserialize_with = "nullable")]
    pub ip: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub hostname: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_ref: Option<ObjectReference>,
}

/// One port on the backends, named after the service port it serves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.EndpointPort")]
#[serde(rename_all = "camelCase")]
pub struct EndpointPort {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub port: i32,
    /// `TCP`, `UDP` or `SCTP`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub protocol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn controller_maintained_endpoints_round_trip() {
        // Endpoints as upstream's endpoints controller writes them for a three-replica
        // Deployment behind the `web` service, one replica still starting.
        let wire = json!({
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {
                "annotations": {
                    "endpoints.kubernetes.io/last-change-trigger-time": "2025-03-10T09:20:11Z"
                },
                "creationTimestamp": "2025-03-10T09:20:04Z",
                "labels": {"app": "web"},
                "name": "web",
                "namespace": "default",
                "resourceVersion": "2211",
                "uid": "c1d2e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
            },
            "subsets": [{
                "addresses": [
                    {
                        "ip": "10.244.1.5",
                        "nodeName": "kind-worker",
                        "targetRef": {
                            "kind": "Pod",
                            "name": "web-7c9d8b5f4-x2l9q",
                            "namespace": "default",
                            "uid": "0b7e2f4a-61c3-4d0e-9a59-1f3e8c2d7a10"
                        }
                    },
                    {
                        "hostname": "web-1",
                        "ip": "10.244.2.7",
                        "nodeName": "kind-worker2",
                        "targetRef": {
                            "kind": "Pod",
                            "name": "web-7c9d8b5f4-q8m4z",
                            "namespace": "default",
                            "uid": "7a1c9e0d-2b4f-4f6a-8c3e-5d7b9a1f2c4e"
                        }
                    }
                ],
                "notReadyAddresses": [{
                    "ip": "10.244.2.9",
                    "nodeName": "kind-worker2",
                    "targetRef": {
                        "kind": "Pod",
                        "name": "web-7c9d8b5f4-7hb2k",
                        "namespace": "default",
                        "uid": "e4f5a6b7-c8d9-4e0f-a1b2-c3d4e5f6a7b8"
                    }
                }],
                "ports": [
                    {"name": "80-8080", "port": 8080, "protocol": "TCP"},
                    {"appProtocol": "http", "name": "metrics", "port": 9090, "protocol": "TCP"}
                ]
            }]
        });
        let endpoints: Endpoints = assert_round_trip(&wire);
        let subset = &endpoints.subsets[0];
        assert_eq!(subset.addresses.len(), 2);
        assert_eq!(subset.not_ready_addresses[0].node_name.as_deref(), Some("kind-worker2"));
        assert_eq!(subset.addresses[0].target_ref.as_ref().unwrap().kind, "Pod");
    }

    #[test]
    fn address_ip_and_port_are_always_written() {
        let subset = EndpointSubset {
            addresses: vec![EndpointAddress::default()],
            ports: vec![EndpointPort::default()],
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&subset).unwrap(),
            json!({"addresses": [{"ip": ""}], "ports": [{"port": 0}]})
        );
    }

    #[test]
    fn nulls_read_as_empty() {
        let endpoints: Endpoints = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "subsets": [{"addresses": null, "notReadyAddresses": null, "ports": [{"name": null, "port": 80, "protocol": null}]}]
        }))
        .unwrap();
        assert!(endpoints.subsets[0].addresses.is_empty());
        assert_eq!(endpoints.subsets[0].ports[0].port, 80);
        let empty: Endpoints = serde_json::from_value(json!({"subsets": null})).unwrap();
        assert!(empty.subsets.is_empty());
    }

    #[test]
    fn identity() {
        assert_eq!(
            (Endpoints::API_VERSION, Endpoints::KIND, Endpoints::PLURAL, Endpoints::NAMESPACED),
            ("v1", "Endpoints", "endpoints", true)
        );
        let mut object = Endpoints::default();
        object.set_type_meta();
        assert_eq!((object.api_version.as_str(), object.kind.as_str()), ("v1", "Endpoints"));
    }
}
