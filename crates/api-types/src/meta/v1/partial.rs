//! `PartialObjectMetadata` and its list: any object reduced to its metadata. The apiserver returns
//! them for `Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1` (the garbage
//! collector and metadata informers use this) and embeds them in [`Table`](super::Table) rows.

use super::{ListMeta, ObjectMeta};
use crate::resource::Resource;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};

const API_VERSION: &str = "meta.k8s.io/v1";

/// Upstream's `metav1.PartialObjectMetadata`: type meta and metadata of an object of any kind.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialObjectMetadata {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ObjectMeta,
}

impl PartialObjectMetadata {
    /// The metadata-only view of `object`, typed as the apiserver types it on the wire
    /// (`kind: PartialObjectMetadata`, `apiVersion: meta.k8s.io/v1`).
    pub fn of<T: Resource>(object: &T) -> Self {
        PartialObjectMetadata {
            kind: "PartialObjectMetadata".to_string(),
            api_version: API_VERSION.to_string(),
            metadata: object.metadata().clone(),
        }
    }
}

/// Upstream's `metav1.PartialObjectMetadataList`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialObjectMetadataList {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ListMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub items: Vec<PartialObjectMetadata>,
}

impl PartialObjectMetadataList {
    /// A list of `items` with its type meta set.
    pub fn new(items: Vec<PartialObjectMetadata>, metadata: ListMeta) -> Self {
        PartialObjectMetadataList {
            kind: "PartialObjectMetadataList".to_string(),
            api_version: API_VERSION.to_string(),
            metadata,
            items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::ConfigMap;
    use crate::meta::v1::OwnerReference;
    use serde_json::{Value, json};

    #[test]
    fn real_metadata_list_round_trips() {
        let body = r#"{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"90210"},"items":[{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"web-7d4b9c6f5","namespace":"default","uid":"c2d4e6f8-0a1b-4c3d-8e5f-7a9b1c3d5e7f","resourceVersion":"88012","generation":1,"creationTimestamp":"2024-05-01T09:29:58Z","labels":{"app":"web"},"annotations":{"deployment.kubernetes.io/revision":"1"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9","controller":true,"blockOwnerDeletion":true}]}}]}"#;
        let list: PartialObjectMetadataList = serde_json::from_str(body).unwrap();
        let item = &list.items[0].metadata;
        assert_eq!(item.owner_references[0].controller, Some(true));
        assert_eq!(item.generation, 1);
        assert_eq!(
            serde_json::to_value(&list).unwrap(),
            serde_json::from_str::<Value>(body).unwrap()
        );
        assert_eq!(serde_json::to_string(&list).unwrap(), body);
    }

    #[test]
    fn metadata_view_of_any_kind() {
        let mut config = ConfigMap::default();
        config.metadata.name = "settings".into();
        config.metadata.resource_version = "7".into();
        config.data.insert("mode".into(), "fast".into());
        assert_eq!(
            serde_json::to_value(PartialObjectMetadata::of(&config)).unwrap(),
            json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                   "metadata": {"name": "settings", "resourceVersion": "7",
                                "creationTimestamp": null}})
        );
    }

    #[test]
    fn constructors_set_the_meta_group_type() {
        let list = PartialObjectMetadataList::new(vec![], ListMeta::default());
        assert_eq!(
            serde_json::to_value(&list).unwrap(),
            json!({"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1",
                   "metadata": {}, "items": []})
        );
        let partial = PartialObjectMetadata {
            metadata: ObjectMeta {
                name: "x".into(),
                owner_references: vec![OwnerReference::default()],
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&partial).unwrap(),
            json!({"metadata": {"name": "x", "creationTimestamp": null,
                   "ownerReferences": [{"apiVersion": "", "kind": "", "name": "", "uid": ""}]}})
        );
    }
}
