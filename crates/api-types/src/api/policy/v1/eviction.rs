//! `Eviction`: a request to take a pod off its node politely. Posted to `pods/<name>/eviction`,
//! it deletes the pod unless a disruption budget forbids it, so `kubectl drain` can empty a node
//! without breaking an application's availability promises.

use crate::meta::v1::{DeleteOptions, ObjectMeta};
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// Asks for the pod named by `metadata` to be evicted, deleted with `delete_options`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Eviction {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// The pod's name and namespace.
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// How the pod is deleted (grace period, preconditions, dry run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_options: Option<DeleteOptions>,
}

// Eviction exists only as a subresource (`pods/eviction`); its "plural" is that path segment.
crate::impl_resource!(
    Eviction,
    group = "policy",
    version = "v1",
    kind = "Eviction",
    plural = "eviction",
    namespaced = true
);

/// The older group version whose `Eviction` has the same fields; the apiserver accepts both.
pub const V1BETA1: &str = "policy/v1beta1";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::meta::v1::Preconditions;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn drain_eviction_round_trips() {
        // What kubectl drain posts to /api/v1/namespaces/default/pods/web-0/eviction.
        let wire = json!({
            "kind": "Eviction",
            "apiVersion": "policy/v1",
            "metadata": {"name": "web-0", "namespace": "default", "creationTimestamp": null},
            "deleteOptions": {
                "gracePeriodSeconds": 30,
                "preconditions": {"uid": "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"}
            }
        });
        let eviction: Eviction = assert_round_trip(&wire);
        let options = eviction.delete_options.unwrap();
        assert_eq!(options.grace_period_seconds, Some(30));
        assert_eq!(
            options.preconditions,
            Some(Preconditions {
                uid: Some("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b".into()),
                resource_version: None
            })
        );
    }

    #[test]
    fn delete_options_are_optional() {
        let wire = json!({
            "kind": "Eviction",
            "apiVersion": "policy/v1beta1",
            "metadata": {"name": "web-0", "creationTimestamp": null}
        });
        let eviction: Eviction = assert_round_trip(&wire);
        assert_eq!(eviction.delete_options, None);
        let from_null: Eviction =
            serde_json::from_value(json!({"deleteOptions": null, "metadata": null})).unwrap();
        assert_eq!(from_null, Eviction::default());
    }

    #[test]
    fn identity() {
        assert_eq!(
            (Eviction::API_VERSION, Eviction::KIND, Eviction::PLURAL, Eviction::NAMESPACED),
            ("policy/v1", "Eviction", "eviction", true)
        );
    }
}
