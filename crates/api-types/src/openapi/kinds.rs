//! The registry of served kinds: what the OpenAPI generator describes and publishes paths for.

use crate::api::{apps, autoscaling, coordination, core};
use crate::resource::Resource;
use schemars::{JsonSchema, Schema, SchemaGenerator};

/// One kind of the API, as the OpenAPI documents need it.
#[derive(Clone, Copy, Debug)]
pub struct KindInfo {
    /// Empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    /// The resource name in URLs (`pods`).
    pub plural: &'static str,
    pub namespaced: bool,
    /// Whether the kind has collection and item paths of its own; `Scale` and `Binding` are only
    /// reached through other resources' subresources.
    pub has_paths: bool,
    /// The upstream definition name (`io.k8s.api.core.v1.Pod`).
    pub definition: &'static str,
    /// Adds the kind's schema (and those it refers to) to a generator.
    pub(crate) schema: fn(&mut SchemaGenerator) -> Schema,
}

impl KindInfo {
    /// `v1` or `apps/v1`.
    pub fn group_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The URL prefix of the kind's group-version: `api/v1` or `apis/apps/v1`, without the
    /// leading slash, as the OpenAPI v3 index keys it.
    pub fn group_version_path(&self) -> String {
        if self.group.is_empty() {
            format!("api/{}", self.version)
        } else {
            format!("apis/{}/{}", self.group, self.version)
        }
    }
}

fn info<T: Resource + JsonSchema>(has_paths: bool, definition: &'static str) -> KindInfo {
    KindInfo {
        group: T::GROUP,
        version: T::VERSION,
        kind: T::KIND,
        plural: T::PLURAL,
        namespaced: T::NAMESPACED,
        has_paths,
        definition,
        schema: |generator| generator.subschema_for::<T>(),
    }
}

macro_rules! kinds {
    ($($module:ident :: $ty:ident => $prefix:literal, $has_paths:literal;)*) => {
        vec![$(info::<$module::v1::$ty>($has_paths, concat!($prefix, ".", stringify!($ty))),)*]
    };
}

/// Every kind this API serves, in a stable order (core first, then the named groups).
pub fn kinds() -> Vec<KindInfo> {
    kinds! {
        core::Pod => "io.k8s.api.core.v1", true;
        core::PodTemplate => "io.k8s.api.core.v1", true;
        core::ReplicationController => "io.k8s.api.core.v1", true;
        core::Service => "io.k8s.api.core.v1", true;
        core::Endpoints => "io.k8s.api.core.v1", true;
        core::Node => "io.k8s.api.core.v1", true;
        core::Namespace => "io.k8s.api.core.v1", true;
        core::PersistentVolume => "io.k8s.api.core.v1", true;
        core::PersistentVolumeClaim => "io.k8s.api.core.v1", true;
        core::ConfigMap => "io.k8s.api.core.v1", true;
        core::Secret => "io.k8s.api.core.v1", true;
        core::ServiceAccount => "io.k8s.api.core.v1", true;
        core::Event => "io.k8s.api.core.v1", true;
        core::LimitRange => "io.k8s.api.core.v1", true;
        core::ResourceQuota => "io.k8s.api.core.v1", true;
        core::ComponentStatus => "io.k8s.api.core.v1", true;
        core::Binding => "io.k8s.api.core.v1", false;
        apps::Deployment => "io.k8s.api.apps.v1", true;
        apps::ReplicaSet => "io.k8s.api.apps.v1", true;
        apps::DaemonSet => "io.k8s.api.apps.v1", true;
        autoscaling::Scale => "io.k8s.api.autoscaling.v1", false;
        coordination::Lease => "io.k8s.api.coordination.v1", true;
    }
}
