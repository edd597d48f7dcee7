//! `GroupVersionKind`: the serialized triple that names a kind, as aggregated discovery and
//! admission reviews write it (`{"group":"apps","version":"v1","kind":"Deployment"}`).

use crate::resource::Resource;
use crate::serde_util::nullable;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Upstream's `metav1.GroupVersionKind`. All three fields are always written; the core group is
/// the empty `group`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GroupVersionKind {
    #[serde(default, deserialize_with = "nullable")]
    pub group: String,
    #[serde(default, deserialize_with = "nullable")]
    pub version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub kind: String,
}

impl GroupVersionKind {
    /// The triple from its parts.
    pub fn new(group: &str, version: &str, kind: &str) -> Self {
        GroupVersionKind { group: group.into(), version: version.into(), kind: kind.into() }
    }

    /// The triple of a kind this crate models.
    pub fn of<T: Resource>() -> Self {
        GroupVersionKind::new(T::GROUP, T::VERSION, T::KIND)
    }

    /// The `apiVersion` objects of this kind carry: `group/version`, or `version` for core.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

/// Upstream's printed form, `apps/v1, Kind=Deployment` (`/v1, Kind=Pod` for core), which shows up
/// in error messages.
impl fmt::Display for GroupVersionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}, Kind={}", self.group, self.version, self.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::ConfigMap;
    use serde_json::json;

    #[test]
    fn all_fields_are_written_even_for_the_core_group() {
        let pod = GroupVersionKind::new("", "v1", "Pod");
        assert_eq!(
            serde_json::to_value(&pod).unwrap(),
            json!({"group": "", "version": "v1", "kind": "Pod"})
        );
        assert_eq!(pod.api_version(), "v1");
        assert_eq!(pod.to_string(), "/v1, Kind=Pod");
    }

    #[test]
    fn named_groups_qualify_the_api_version() {
        let deployment: GroupVersionKind =
            serde_json::from_value(json!({"group": "apps", "version": "v1", "kind": "Deployment"}))
                .unwrap();
        assert_eq!(deployment.api_version(), "apps/v1");
        assert_eq!(deployment.to_string(), "apps/v1, Kind=Deployment");
        assert_eq!(
            GroupVersionKind::of::<ConfigMap>(),
            GroupVersionKind::new("", "v1", "ConfigMap")
        );
    }
}
