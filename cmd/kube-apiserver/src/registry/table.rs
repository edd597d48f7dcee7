//! Every resource the apiserver serves, looked up by group, version and plural name.

use super::{NamedCreate, RestResource};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The served resources: routing finds a request's resource here, discovery lists them all.
/// Subresources served by a handler of their own (`pods/binding`, `pods/eviction`) are kept
/// beside them, by parent resource and subresource name.
#[derive(Clone, Default)]
pub struct ResourceTable {
    resources: BTreeMap<(String, String, String), Arc<dyn RestResource>>,
    named_creates: BTreeMap<(String, String, String, String), Arc<dyn NamedCreate>>,
}

impl ResourceTable {
    /// Adds a resource; a second resource with the same group, version and plural replaces the
    /// first.
    pub fn insert(&mut self, resource: Arc<dyn RestResource>) {
        let info = resource.info();
        let key = (info.group.to_string(), info.version.to_string(), info.plural.to_string());
        self.resources.insert(key, resource);
    }

    /// The resource `plural` of `group`/`version` (`""`/`v1`/`pods`).
    pub fn get(&self, group: &str, version: &str, plural: &str) -> Option<&Arc<dyn RestResource>> {
        self.resources.get(&(group.to_string(), version.to_string(), plural.to_string()))
    }

    /// Every resource, ordered by group, version and plural.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<dyn RestResource>> {
        self.resources.values()
    }

    /// Serves `POST <plural>/<name>/<subresource>` of `group`/`version` with `handler`.
    pub fn insert_named_create(
        &mut self,
        (group, version, plural): (&str, &str, &str),
        subresource: &str,
        handler: Arc<dyn NamedCreate>,
    ) {
        let key = (group.into(), version.into(), plural.into(), subresource.into());
        self.named_creates.insert(key, handler);
    }

    /// The handler of `POST <plural>/<name>/<subresource>`, if that subresource takes one.
    pub fn named_create(
        &self,
        group: &str,
        version: &str,
        plural: &str,
        subresource: &str,
    ) -> Option<&Arc<dyn NamedCreate>> {
        let key = (group.into(), version.into(), plural.into(), subresource.into());
        self.named_creates.get(&key)
    }
}
