//! `Binding`: how the scheduler assigns a pod to a node (POSTed to `pods/{name}/binding` or to
//! the `bindings` collection).

use super::ObjectReference;
use crate::meta::v1::ObjectMeta;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// Binds the object named by `metadata` (a pod) to `target` (a node).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Binding")]
#[serde(rename_all = "camelCase")]
pub struct Binding {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub target: ObjectReference,
}

crate::impl_resource!(
    Binding,
    group = "",
    version = "v1",
    kind = "Binding",
    plural = "bindings",
    namespaced = true
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    /// The body kube-scheduler POSTs to `/api/v1/namespaces/default/pods/web-0/binding`.
    #[test]
    fn scheduler_binding_round_trips() {
        let wire = json!({
            "kind": "Binding",
            "apiVersion": "v1",
            "metadata": {"name": "web-0", "namespace": "default", "uid": "3c9d6a1e-51f2-4b7a-9e0c-8d1f2a3b4c5d", "creationTimestamp": null},
            "target": {"kind": "Node", "name": "node-1"}
        });
        let binding: Binding = assert_round_trip(&wire);
        assert_eq!(binding.target.name, "node-1");
        assert_eq!((Binding::KIND, Binding::PLURAL), ("Binding", "bindings"));
    }
}
