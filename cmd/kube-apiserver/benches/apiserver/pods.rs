//! The request bodies the bench sends: a small but realistic pod (one container with a port and
//! resource requests, two labels), and the namespaces that hold the pods.

use bytes::Bytes;
use kube_apiserver::storage::keys::{DEFAULT_PREFIX, list_prefix};

/// The store prefix holding `namespace`'s pods, under the apiserver's default `--etcd-prefix`.
pub fn pods_prefix(namespace: &str) -> String {
    list_prefix(DEFAULT_PREFIX, "pods", Some(namespace))
}

/// The name of the `index`-th pod of a run, numbered so that names sort in creation order.
pub fn pod_name(index: usize) -> String {
    format!("pod-{index:06}")
}

/// The JSON a client posts to create pod `name` in `namespace`.
pub fn pod_body(namespace: &str, name: &str) -> Bytes {
    let pod = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "labels": {"app": "bench", "tier": "frontend"},
        },
        "spec": {
            "containers": [{
                "name": "web",
                "image": "nginx:1.25",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}},
            }],
        },
    });
    Bytes::from(serde_json::to_vec(&pod).expect("a pod serializes"))
}

/// The JSON a client posts to create namespace `name`.
pub fn namespace_body(name: &str) -> Bytes {
    let namespace = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name},
    });
    Bytes::from(serde_json::to_vec(&namespace).expect("a namespace serializes"))
}
