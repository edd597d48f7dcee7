//! What routing and discovery need to know about one served resource.

use super::Strategy;
use api_types::meta::v1::APIResource;

/// The facts about one resource (`pods`, `deployments.apps`, ...) that routing, storage keys and
/// discovery share, so they can never disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceInfo {
    /// API group; empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    /// The URL and storage-key name (`pods`).
    pub plural: &'static str,
    /// The lower-case kind (`pod`), as discovery reports it.
    pub singular: String,
    pub namespaced: bool,
    /// `kubectl get po`, `svc`, `rc`, ...
    pub short_names: &'static [&'static str],
    /// `kubectl get all` expands the `all` category.
    pub categories: &'static [&'static str],
    /// Subresources served besides the object itself (`status`, `scale`, `binding`, `log`, ...).
    pub subresources: &'static [&'static str],
    /// The verbs served on the resource itself, sorted as discovery lists them; a request for
    /// any other gets 405.
    pub verbs: &'static [&'static str],
}

impl ResourceInfo {
    /// The facts `T`'s strategy declares.
    pub fn of<T: Strategy>() -> Self {
        ResourceInfo {
            group: T::GROUP,
            version: T::VERSION,
            kind: T::KIND,
            plural: T::PLURAL,
            singular: T::KIND.to_lowercase(),
            namespaced: T::NAMESPACED,
            short_names: T::SHORT_NAMES,
            categories: T::CATEGORIES,
            subresources: T::SUBRESOURCES,
            verbs: T::VERBS,
        }
    }

    /// `group/version`, or `version` for the core group.
    pub fn group_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The verbs upstream lists for a resource with the full generic store.
    pub const ALL_VERBS: &'static [&'static str] =
        &["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// Whether the resource's objects are kept in storage, which gives it a storage version
    /// (discovery's `storageVersionHash`). A stored resource is served by the generic store,
    /// which creates and reads; the computed (`componentstatuses`, read-only) and the
    /// create-only (`bindings`) resources lack one of the two.
    pub fn is_stored(&self) -> bool {
        self.verbs.contains(&"create") && self.verbs.contains(&"get")
    }

    /// The resource as `/api/v1` or `/apis/<group>/<version>` lists it.
    pub fn api_resource(&self) -> APIResource {
        APIResource {
            name: self.plural.to_string(),
            singular_name: self.singular.clone(),
            namespaced: self.namespaced,
            kind: self.kind.to_string(),
            verbs: self.verbs.iter().map(|verb| verb.to_string()).collect(),
            short_names: self.short_names.iter().map(|name| name.to_string()).collect(),
            categories: self.categories.iter().map(|name| name.to_string()).collect(),
            ..Default::default()
        }
    }
}
