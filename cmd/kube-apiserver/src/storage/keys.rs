//! The key layout, as upstream's: `<prefix>/<resource>/<namespace>/<name>` for namespaced objects
//! and `<prefix>/<resource>/<name>` for cluster-scoped ones, with `prefix` defaulting to
//! `/registry` (`--etcd-prefix`). Tools that read etcd directly (etcdctl, backups) see the same keys
//! as on an upstream cluster.

/// The default `--etcd-prefix`.
pub const DEFAULT_PREFIX: &str = "/registry";

/// The key of one object.
pub fn object_key(prefix: &str, resource: &str, namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(namespace) => format!("{prefix}/{resource}/{namespace}/{name}"),
        None => format!("{prefix}/{resource}/{name}"),
    }
}

/// The prefix under which a list or watch finds every object of `resource`, in one namespace when
/// `namespace` is given. It ends with `/`, so `default` never matches `default-2`.
pub fn list_prefix(prefix: &str, resource: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(namespace) => format!("{prefix}/{resource}/{namespace}/"),
        None => format!("{prefix}/{resource}/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_upstreams_layout() {
        assert_eq!(
            object_key(DEFAULT_PREFIX, "pods", Some("default"), "web"),
            "/registry/pods/default/web"
        );
        assert_eq!(object_key(DEFAULT_PREFIX, "nodes", None, "n1"), "/registry/nodes/n1");
        assert_eq!(list_prefix("/r", "pods", Some("default")), "/r/pods/default/");
        assert_eq!(list_prefix("/r", "pods", None), "/r/pods/");
    }
}
