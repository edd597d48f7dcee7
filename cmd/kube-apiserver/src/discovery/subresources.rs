//! What discovery says about each subresource: the kind it returns and the verbs it serves.
//!
//! Upstream derives both from the interfaces each subresource's storage implements (a getter
//! and updater gives `get`, `patch`, `update`; a connecter gives the verbs of the HTTP methods it
//! accepts) and from the kind its storage returns. The registry here declares subresources by
//! name, so the same facts are written down once per name.

use crate::registry::ResourceInfo;

/// A `group/version` `kind`, where the group and version may differ from the resource's own
/// (`deployments/scale` returns `autoscaling/v1` `Scale`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind<'a> {
    pub group: &'a str,
    pub version: &'a str,
    pub kind: &'a str,
}

/// How one subresource appears in discovery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubresourceShape<'a> {
    pub kind: Kind<'a>,
    /// Sorted, as upstream lists verbs.
    pub verbs: &'static [&'static str],
}

/// A subresource that reads and writes part of the object (`status`, `ephemeralcontainers`).
const READ_WRITE: &[&str] = &["get", "patch", "update"];
/// A subresource that only accepts a new object (`binding`, `eviction`, `token`).
const CREATE: &[&str] = &["create"];
/// A streaming subresource opened by GET or POST (`exec`, `attach`, `portforward`).
const CONNECT: &[&str] = &["create", "get"];
/// The proxies, which forward every method.
const PROXY: &[&str] = &["create", "delete", "get", "patch", "update"];

impl<'a> SubresourceShape<'a> {
    /// The shape of `resource`'s subresource `name`. A name upstream does not serve is taken to
    /// be a view of the object read and written like `status`, which is how the generic store
    /// serves any subresource it is given.
    pub fn of(resource: &'a ResourceInfo, name: &str) -> SubresourceShape<'a> {
        let own = |kind: &'a str| Kind { group: resource.group, version: resource.version, kind };
        let core = |kind: &'a str| Kind { group: "", version: "v1", kind };
        let (kind, verbs) = match name {
            "scale" => (Kind { group: "autoscaling", version: "v1", kind: "Scale" }, READ_WRITE),
            "binding" => (core("Binding"), CREATE),
            "eviction" => (Kind { group: "policy", version: "v1", kind: "Eviction" }, CREATE),
            "token" => (
                Kind { group: "authentication.k8s.io", version: "v1", kind: "TokenRequest" },
                CREATE,
            ),
            "log" => (own(resource.kind), &["get"][..]),
            "exec" => (core("PodExecOptions"), CONNECT),
            "attach" => (core("PodAttachOptions"), CONNECT),
            "portforward" => (core("PodPortForwardOptions"), CONNECT),
            "proxy" => (core(proxy_options_kind(resource.kind)), PROXY),
            "finalize" => (own(resource.kind), &["update"][..]),
            _ => (own(resource.kind), READ_WRITE),
        };
        SubresourceShape { kind, verbs }
    }
}

/// The options kind of a `proxy` subresource, which names the kind it proxies to.
fn proxy_options_kind(kind: &str) -> &'static str {
    match kind {
        "Node" => "NodeProxyOptions",
        "Service" => "ServiceProxyOptions",
        _ => "PodProxyOptions",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(group: &'static str, kind: &'static str, plural: &'static str) -> ResourceInfo {
        ResourceInfo {
            group,
            version: "v1",
            kind,
            plural,
            singular: kind.to_lowercase(),
            namespaced: true,
            short_names: &[],
            categories: &[],
            subresources: &[],
            verbs: ResourceInfo::ALL_VERBS,
        }
    }

    #[test]
    fn upstream_kinds_and_verbs() {
        let pods = info("", "Pod", "pods");
        let deployments = info("apps", "Deployment", "deployments");
        let nodes = info("", "Node", "nodes");
        let services = info("", "Service", "services");
        let namespaces = info("", "Namespace", "namespaces");

        let shape = |resource, name| {
            let shape = SubresourceShape::of(resource, name);
            (shape.kind.group, shape.kind.version, shape.kind.kind, shape.verbs)
        };
        assert_eq!(shape(&pods, "status"), ("", "v1", "Pod", READ_WRITE));
        assert_eq!(shape(&pods, "log"), ("", "v1", "Pod", &["get"][..]));
        assert_eq!(shape(&pods, "binding"), ("", "v1", "Binding", CREATE));
        assert_eq!(shape(&pods, "eviction"), ("policy", "v1", "Eviction", CREATE));
        assert_eq!(shape(&pods, "exec"), ("", "v1", "PodExecOptions", CONNECT));
        assert_eq!(shape(&pods, "attach"), ("", "v1", "PodAttachOptions", CONNECT));
        assert_eq!(shape(&pods, "portforward"), ("", "v1", "PodPortForwardOptions", CONNECT));
        assert_eq!(shape(&pods, "proxy"), ("", "v1", "PodProxyOptions", PROXY));
        assert_eq!(shape(&pods, "ephemeralcontainers"), ("", "v1", "Pod", READ_WRITE));
        assert_eq!(shape(&nodes, "proxy"), ("", "v1", "NodeProxyOptions", PROXY));
        assert_eq!(shape(&services, "proxy"), ("", "v1", "ServiceProxyOptions", PROXY));
        assert_eq!(shape(&namespaces, "finalize"), ("", "v1", "Namespace", &["update"][..]));
        assert_eq!(shape(&deployments, "scale"), ("autoscaling", "v1", "Scale", READ_WRITE));
        assert_eq!(shape(&deployments, "status"), ("apps", "v1", "Deployment", READ_WRITE));
        let token = SubresourceShape::of(&pods, "token");
        assert_eq!(token.kind.group, "authentication.k8s.io");
        assert_eq!(token.kind.kind, "TokenRequest");
    }
}
