//! Nodes (`no`): registered by their kubelets, which send their addresses, capacity and
//! conditions with the create, so the status is kept (as upstream). The long-removed dynamic
//! kubelet config source is dropped.

use super::printing::{
    NONE, PrintRow, UNKNOWN, age_cell, age_column, column, name_column, or_placeholder,
};
use super::selectable::with_meta_fields;
use crate::registry::Strategy;
use api_types::api::core::v1::Node;
use api_types::meta::v1::TableColumnDefinition;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// `node-role.kubernetes.io/<role>` labels name a node's roles.
const ROLE_LABEL_PREFIX: &str = "node-role.kubernetes.io/";
/// The older `kubernetes.io/role=<role>` label.
const LEGACY_ROLE_LABEL: &str = "kubernetes.io/role";

impl Strategy for Node {
    const SHORT_NAMES: &'static [&'static str] = &["no"];
    const SUBRESOURCES: &'static [&'static str] = &["status", "proxy"];
    const STATUS_SUBRESOURCE: bool = true;
    const KEEPS_STATUS_ON_CREATE: bool = true;

    fn prepare_for_create(&mut self) {
        self.spec.config_source = None;
        self.status.config = None;
    }

    fn prepare_for_update(&mut self, old: &Self) {
        if old.spec.config_source.is_none() {
            self.spec.config_source = None;
        }
    }

    fn field_set(&self) -> BTreeMap<String, String> {
        with_meta_fields(self, [("spec.unschedulable", self.spec.unschedulable.to_string())])
    }

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            name_column(),
            column("Status", "string", 0, "Readiness, and whether scheduling is disabled."),
            column("Roles", "string", 0, "The node's roles, from its role labels."),
            age_column(),
            column("Version", "string", 0, "The kubelet's version."),
            column("Internal-IP", "string", 1, "The first internal address."),
            column("External-IP", "string", 1, "The first external address."),
            column("OS-Image", "string", 1, "The operating system image."),
            column("Kernel-Version", "string", 1, "The kernel version."),
            column("Container-Runtime", "string", 1, "The container runtime and its version."),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }
}

impl PrintRow for Node {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        let info = &self.status.node_info;
        vec![
            Value::from(self.metadata.name.clone()),
            Value::from(node_status(self)),
            Value::from(or_placeholder(&roles(self).join(","), NONE)),
            age_cell(self.metadata.creation_timestamp.as_ref(), now),
            Value::from(info.kubelet_version.clone()),
            Value::from(first_address(self, "InternalIP")),
            Value::from(first_address(self, "ExternalIP")),
            Value::from(or_placeholder(&info.os_image, UNKNOWN)),
            Value::from(or_placeholder(&info.kernel_version, UNKNOWN)),
            Value::from(or_placeholder(&info.container_runtime_version, UNKNOWN)),
        ]
    }
}

/// `Ready`, `NotReady` or (without a Ready condition) `Unknown`, then `SchedulingDisabled` for a
/// cordoned node.
fn node_status(node: &Node) -> String {
    let ready = node.status.conditions.iter().rev().find(|c| c.type_ == "Ready");
    let mut status = vec![match ready {
        Some(condition) if condition.status == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    if node.spec.unschedulable {
        status.push("SchedulingDisabled");
    }
    status.join(",")
}

/// The roles named by role labels, sorted and without duplicates.
fn roles(node: &Node) -> Vec<&str> {
    let mut roles = BTreeSet::new();
    for (key, value) in &node.metadata.labels {
        if let Some(role) = key.strip_prefix(ROLE_LABEL_PREFIX).filter(|role| !role.is_empty()) {
            roles.insert(role);
        } else if key == LEGACY_ROLE_LABEL && !value.is_empty() {
            roles.insert(value.as_str());
        }
    }
    roles.into_iter().collect()
}

fn first_address(node: &Node, type_: &str) -> String {
    let address = node.status.addresses.iter().find(|address| address.type_ == type_);
    address.map_or_else(|| NONE.to_string(), |address| address.address.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(value: serde_json::Value) -> Node {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn control_plane_node_row() {
        let control_plane = node(json!({
            "metadata": {"name": "kind-control-plane", "creationTimestamp": "2024-04-01T10:00:00Z",
                         "labels": {"node-role.kubernetes.io/control-plane": "",
                                    "kubernetes.io/role": "master", "kubernetes.io/os": "linux"}},
            "spec": {"unschedulable": true},
            "status": {
                "conditions": [{"type": "MemoryPressure", "status": "False"},
                               {"type": "Ready", "status": "True"}],
                "addresses": [{"type": "Hostname", "address": "kind-control-plane"},
                              {"type": "InternalIP", "address": "172.18.0.2"},
                              {"type": "InternalIP", "address": "fc00::2"}],
                "nodeInfo": {"kubeletVersion": "v1.30.0", "osImage": "Debian GNU/Linux 12 (bookworm)",
                             "kernelVersion": "6.8.0-31-generic", "containerRuntimeVersion": "containerd://1.7.15",
                             "machineID": "", "systemUUID": "", "bootID": "", "kubeProxyVersion": "",
                             "operatingSystem": "linux", "architecture": "amd64"}
            }
        }));
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(
            control_plane.cells_at(now),
            [
                "kind-control-plane",
                "Ready,SchedulingDisabled",
                "control-plane,master",
                "30d",
                "v1.30.0",
                "172.18.0.2",
                "<none>",
                "Debian GNU/Linux 12 (bookworm)",
                "6.8.0-31-generic",
                "containerd://1.7.15"
            ]
            .map(Value::from)
        );
    }

    #[test]
    fn unready_and_unknown_nodes() {
        let now = "2024-05-01T10:00:00Z".parse().unwrap();
        let not_ready = node(json!({"metadata": {"name": "w"},
                                    "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}}));
        let row = not_ready.cells_at(now);
        assert_eq!(row[1..3], ["NotReady", "<none>"].map(Value::from));
        assert_eq!(row[7..], ["<unknown>", "<unknown>", "<unknown>"].map(Value::from));
        let fresh = node(json!({"metadata": {"name": "w"}}));
        assert_eq!(fresh.cells_at(now)[1], "Unknown");
    }

    #[test]
    fn create_keeps_status_but_drops_config_source() {
        let mut registered = node(json!({
            "spec": {"configSource": {"configMap": {"namespace": "kube-system", "name": "kubelet",
                                                    "kubeletConfigKey": "kubelet"}}},
            "status": {"config": {"error": "x"}, "conditions": [{"type": "Ready", "status": "True"}]}
        }));
        registered.prepare_for_create();
        assert!(registered.spec.config_source.is_none() && registered.status.config.is_none());
        assert_eq!(registered.status.conditions.len(), 1);
        let old = node(json!({"metadata": {"name": "w"}}));
        let mut updated = registered.clone();
        updated.spec.config_source = old.spec.config_source.clone().or(Some(Default::default()));
        updated.prepare_for_update(&old);
        assert!(updated.spec.config_source.is_none());
    }

    #[test]
    fn field_set_has_unschedulable() {
        let cordoned = node(json!({"metadata": {"name": "w"}, "spec": {"unschedulable": true}}));
        let fields: Vec<_> = cordoned.field_set().into_iter().collect();
        assert_eq!(
            fields,
            [("metadata.name".into(), "w".into()), ("spec.unschedulable".into(), "true".into())]
        );
    }
}
