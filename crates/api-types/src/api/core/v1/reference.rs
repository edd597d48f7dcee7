//! The references only workloads and storage use: by kind and name in the same namespace
//! (`TypedLocalObjectReference`, a PVC's data source) and to a Secret in any namespace
//! (`SecretReference`, PersistentVolume credentials). `ObjectReference` and
//! `LocalObjectReference` live in `object_reference`.

use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// Names an object of a given kind in the referrer's namespace, as a PVC's `dataSource` does.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.TypedLocalObjectReference")]
#[serde(rename_all = "camelCase")]
pub struct TypedLocalObjectReference {
    /// A pointer without `omitempty` upstream: written as `null` when unset.
    #[serde(default)]
    pub api_group: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
}

/// Names a Secret in any namespace, for volume plugins whose credentials live outside the
/// consuming pod's namespace (PV sources, CSI secret refs).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.SecretReference")]
#[serde(rename_all = "camelCase")]
pub struct SecretReference {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub namespace: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    #[test]
    fn secret_reference_round_trips_and_omits_empty_namespace() {
        let reference: SecretReference =
            assert_round_trip(&json!({"name": "ceph-admin", "namespace": "rook-ceph"}));
        assert_eq!(reference.namespace, "rook-ceph");
        let local_only: SecretReference = assert_round_trip(&json!({"name": "chap"}));
        assert!(local_only.namespace.is_empty());
    }

    #[test]
    fn typed_local_reference_writes_null_api_group_like_upstream() {
        let reference = TypedLocalObjectReference {
            api_group: None,
            kind: "PersistentVolumeClaim".into(),
            name: "data".into(),
        };
        let wire = json!({"apiGroup": null, "kind": "PersistentVolumeClaim", "name": "data"});
        assert_eq!(serde_json::to_value(&reference).unwrap(), wire);
        assert_eq!(serde_json::from_value::<TypedLocalObjectReference>(wire).unwrap(), reference);
    }
}
