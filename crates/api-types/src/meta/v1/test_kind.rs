//! A minimal kind for the tests of this module: the real kinds live in `crate::api`, which
//! depends on this module and not the other way round.

use super::ObjectMeta;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A ConfigMap reduced to `data`, enough to exercise code generic over [`crate::Resource`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMap {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, String>,
}

crate::impl_resource!(
    ConfigMap,
    group = "",
    version = "v1",
    kind = "ConfigMap",
    plural = "configmaps",
    namespaced = true
);
