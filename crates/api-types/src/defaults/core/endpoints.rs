//! Endpoints defaults: every port names its protocol.

use super::service::PROTOCOL_TCP;
use crate::api::core::v1::Endpoints;
use crate::defaults::ApplyDefaults;

impl ApplyDefaults for Endpoints {
    fn apply_defaults(&mut self) {
        let ports = self.subsets.iter_mut().flat_map(|subset| &mut subset.ports);
        for port in ports {
            if port.protocol.is_empty() {
                port.protocol = PROTOCOL_TCP.to_string();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::test_support::defaulted;
    use serde_json::json;

    #[test]
    fn ports_default_to_tcp_and_keep_explicit_protocols() {
        let endpoints: Endpoints = defaulted(json!({
            "metadata": {"name": "dns"},
            "subsets": [
                {"addresses": [{"ip": "10.1.0.5"}], "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53}]},
                {"addresses": [{"ip": "10.1.0.6"}], "ports": [{"name": "metrics", "port": 9153}]}
            ]
        }));
        let protocols: Vec<_> = endpoints
            .subsets
            .iter()
            .flat_map(|subset| &subset.ports)
            .map(|port| port.protocol.as_str())
            .collect();
        assert_eq!(protocols, ["UDP", "TCP", "TCP"]);
    }
}
