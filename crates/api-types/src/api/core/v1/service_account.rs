//! `ServiceAccount`: the identity pods run as when they talk to the apiserver.

use super::{LocalObjectReference, ObjectReference};
use crate::meta::v1::ObjectMeta;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

/// An in-cluster identity, with the secrets its pods may use and pull images with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ServiceAccount")]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccount {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
    /// Secrets in the same namespace that pods using this account may mount.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<ObjectReference>,
    /// Registry credentials added to every pod that runs as this account.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secrets: Vec<LocalObjectReference>,
    /// Whether pods get an API token mounted unless they say otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
}

crate::impl_resource!(
    ServiceAccount,
    group = "",
    version = "v1",
    kind = "ServiceAccount",
    plural = "serviceaccounts",
    namespaced = true
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use crate::resource::Resource;
    use serde_json::json;

    #[test]
    fn kubectl_create_serviceaccount_round_trips() {
        // Output of `kubectl create serviceaccount builder --dry-run=client -o json`
        // (kubectl v1.32.4).
        let wire = json!({
            "kind": "ServiceAccount",
            "apiVersion": "v1",
            "metadata": {"name": "builder", "creationTimestamp": null}
        });
        let account: ServiceAccount = assert_round_trip(&wire);
        assert_eq!(account.metadata.name, "builder");
    }

    #[test]
    fn service_account_with_secrets_round_trips() {
        // A stored account with a legacy token secret, a pull secret and automount disabled.
        let wire = json!({
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {
                "creationTimestamp": "2025-03-10T09:00:00Z",
                "name": "builder",
                "namespace": "ci",
                "resourceVersion": "812",
                "uid": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
            },
            "automountServiceAccountToken": false,
            "imagePullSecrets": [{"name": "regcred"}],
            "secrets": [{"name": "builder-token-x7k2p"}]
        });
        let account: ServiceAccount = assert_round_trip(&wire);
        assert_eq!(account.automount_service_account_token, Some(false));
        assert_eq!(account.image_pull_secrets[0].name, "regcred");
    }

    #[test]
    fn nulls_read_as_empty() {
        let account: ServiceAccount = serde_json::from_value(json!({
            "secrets": null, "imagePullSecrets": [{"name": null}], "automountServiceAccountToken": null
        }))
        .unwrap();
        assert!(account.secrets.is_empty());
        assert_eq!(account.image_pull_secrets, [LocalObjectReference::default()]);
    }

    #[test]
    fn identity() {
        assert_eq!(
            (
                ServiceAccount::API_VERSION,
                ServiceAccount::KIND,
                ServiceAccount::PLURAL,
                ServiceAccount::NAMESPACED
            ),
            ("v1", "ServiceAccount", "serviceaccounts", true)
        );
        let mut object = ServiceAccount::default();
        object.set_type_meta();
        assert_eq!((object.api_version.as_str(), object.kind.as_str()), ("v1", "ServiceAccount"));
    }
}
