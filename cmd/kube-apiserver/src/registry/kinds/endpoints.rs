//! Endpoints (`ep`): the ready addresses behind a service, written by the endpoints controller.

use super::printing::{NONE, PrintRow, age_cell, age_column, column, join_host_port, name_column};
use crate::registry::Strategy;
use api_types::api::core::v1::Endpoints;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// How many addresses the ENDPOINTS cell shows before `+ N more...`.
const SHOWN_ADDRESSES: usize = 3;

impl Strategy for Endpoints {
    const SHORT_NAMES: &'static [&'static str] = &["ep"];

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            name_column(),
            column("Endpoints", "string", 0, "Ready addresses, with ports."),
            age_column(),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for Endpoints {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(format_endpoints(self)),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
        ]
    }
}

/// `ip:port` for every ready address and port (bare IPs for a subset without ports), the first
/// three shown and the rest counted, as upstream's `formatEndpoints` prints them.
fn format_endpoints(endpoints: &Endpoints) -> String {
    if endpoints.subsets.is_empty() {
        return NONE.to_string();
    }
    let mut all = Vec::new();
    for subset in &endpoints.subsets {
        if subset.ports.is_empty() {
            all.extend(subset.addresses.iter().map(|address| address.ip.clone()));
        }
        for port in &subset.ports {
            let addresses = subset.addresses.iter();
            all.extend(addresses.map(|address| join_host_port(&address.ip, port.port)));
        }
    }
    let shown = all.iter().take(SHOWN_ADDRESSES).cloned().collect::<Vec<_>>().join(",");
    if all.len() > SHOWN_ADDRESSES {
        format!("{shown} + {} more...", all.len() - SHOWN_ADDRESSES)
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn endpoints(subsets: serde_json::Value) -> Endpoints {
        serde_json::from_value(json!({
            "metadata": {"name": "web", "creationTimestamp": "2024-05-01T09:00:00Z"},
            "subsets": subsets
        }))
        .unwrap()
    }

    #[test]
    fn rows_list_addresses_with_ports() {
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        let two = endpoints(json!([{
            "addresses": [{"ip": "10.244.0.5"}, {"ip": "10.244.1.6"}],
            "notReadyAddresses": [{"ip": "10.244.2.7"}],
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]
        }]));
        assert_eq!(
            two.cells_at(now),
            ["web", "10.244.0.5:8080,10.244.1.6:8080", "60m"].map(Value::from)
        );
        let many = endpoints(json!([
            {"addresses": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}],
             "ports": [{"port": 80}, {"port": 443}]},
            {"addresses": [{"ip": "fd00::3"}]}
        ]));
        assert_eq!(many.cells_at(now)[1], "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...");
        let ipv6 = endpoints(json!([{"addresses": [{"ip": "fd00::3"}], "ports": [{"port": 53}]}]));
        assert_eq!(ipv6.cells_at(now)[1], "[fd00::3]:53");
        assert_eq!(endpoints(json!([])).cells_at(now)[1], "<none>");
        let not_ready_only = endpoints(
            json!([{"notReadyAddresses": [{"ip": "10.0.0.9"}], "ports": [{"port": 80}]}]),
        );
        assert_eq!(not_ready_only.cells_at(now)[1], "");
    }
}
