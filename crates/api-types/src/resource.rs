//! What the apiserver's generic registry and the clients need to know about a kind: its group,
//! version, kind, plural resource name, scope, and where its metadata is.

use crate::meta::v1::{ListMeta, ObjectMeta};
use crate::serde_util::nullable;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A top-level API kind. One impl per kind (via [`impl_resource!`]) is all a generic store, a
/// typed client or a reflector needs to serve or read it.
pub trait Resource: Serialize + DeserializeOwned + Clone + Default + Send + Sync + 'static {
    /// API group; empty for the core (legacy) group.
    const GROUP: &'static str;
    const VERSION: &'static str;
    /// `group/version`, or just `version` for the core group: the wire `apiVersion`.
    const API_VERSION: &'static str;
    const KIND: &'static str;
    /// The lower-case plural used in URLs and storage keys (`pods`, `replicationcontrollers`).
    const PLURAL: &'static str;
    /// Whether objects live inside a namespace (Pod) or at cluster scope (Node).
    const NAMESPACED: bool;

    fn metadata(&self) -> &ObjectMeta;
    fn metadata_mut(&mut self) -> &mut ObjectMeta;
    /// Sets `apiVersion` and `kind` to this kind's, as the apiserver does on every response.
    fn set_type_meta(&mut self);
}

/// Declares a kind's [`Resource`] impl. The struct must have `api_version`, `kind` and `metadata`
/// fields, as every top-level kind does.
#[macro_export]
macro_rules! impl_resource {
    ($ty:ty, group = $group:literal, version = $version:literal, kind = $kind:literal, plural = $plural:literal, namespaced = $namespaced:literal) => {
        impl $crate::resource::Resource for $ty {
            const GROUP: &'static str = $group;
            const VERSION: &'static str = $version;
            const API_VERSION: &'static str =
                if $group.is_empty() { $version } else { concat!($group, "/", $version) };
            const KIND: &'static str = $kind;
            const PLURAL: &'static str = $plural;
            const NAMESPACED: bool = $namespaced;

            fn metadata(&self) -> &$crate::meta::v1::ObjectMeta {
                &self.metadata
            }
            fn metadata_mut(&mut self) -> &mut $crate::meta::v1::ObjectMeta {
                &mut self.metadata
            }
            fn set_type_meta(&mut self) {
                self.api_version = <Self as $crate::resource::Resource>::API_VERSION.to_string();
                self.kind = <Self as $crate::resource::Resource>::KIND.to_string();
            }
        }
    };
}

/// A list of one kind (`PodList`, `ServiceList`, ...); serializes exactly like upstream's typed
/// lists, with `kind` set to `<Kind>List`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: DeserializeOwned"))]
pub struct List<T> {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ListMeta,
    #[serde(default, deserialize_with = "nullable")]
    pub items: Vec<T>,
}

impl<T: Resource> List<T> {
    /// A list of `items` with its type meta filled in.
    pub fn new(items: Vec<T>, metadata: ListMeta) -> Self {
        List {
            api_version: T::API_VERSION.to_string(),
            kind: format!("{}List", T::KIND),
            metadata,
            items,
        }
    }
}
