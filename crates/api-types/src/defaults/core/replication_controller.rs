//! ReplicationController defaults: one replica, and a controller without a selector or labels
//! takes its pod template's labels for both.

use super::pod::default_pod_spec;
use crate::api::core::v1::ReplicationController;
use crate::defaults::ApplyDefaults;

impl ApplyDefaults for ReplicationController {
    fn apply_defaults(&mut self) {
        if let Some(template) = &mut self.spec.template {
            let template_labels = &template.metadata.labels;
            if !template_labels.is_empty() {
                if self.spec.selector.is_empty() {
                    self.spec.selector = template_labels.clone();
                }
                if self.metadata.labels.is_empty() {
                    self.metadata.labels = template_labels.clone();
                }
            }
            default_pod_spec(&mut template.spec);
        }
        self.spec.replicas.get_or_insert(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::test_support::defaulted_wire;
    use serde_json::json;

    #[test]
    fn book_rc_without_selector_takes_the_template_labels() {
        // The guestbook's redis-slave controller, as the book writes it: no selector, no
        // labels of its own, no replica count.
        let wire = defaulted_wire::<ReplicationController>(json!({
            "apiVersion": "v1",
            "kind": "ReplicationController",
            "metadata": {"name": "redis-slave"},
            "spec": {
                "template": {
                    "metadata": {"labels": {"name": "redis-slave"}},
                    "spec": {"containers": [{
                        "name": "worker",
                        "image": "gcr.io/google_samples/gb-redisslave:v1",
                        "ports": [{"containerPort": 6379}]
                    }]}
                }
            }
        }));
        assert_eq!(wire["metadata"]["labels"], json!({"name": "redis-slave"}));
        assert_eq!(wire["spec"]["selector"], json!({"name": "redis-slave"}));
        assert_eq!(wire["spec"]["replicas"], 1);
        let spec = &wire["spec"]["template"]["spec"];
        assert_eq!(spec["restartPolicy"], "Always");
        assert_eq!(spec["dnsPolicy"], "ClusterFirst");
        let container = &spec["containers"][0];
        assert_eq!(container["imagePullPolicy"], "IfNotPresent");
        assert_eq!(container["ports"][0]["protocol"], "TCP");
    }

    #[test]
    fn explicit_selector_labels_and_replicas_are_kept() {
        let wire = defaulted_wire::<ReplicationController>(json!({
            "metadata": {"name": "rc", "labels": {"tier": "cache"}},
            "spec": {
                "replicas": 0,
                "selector": {"name": "redis"},
                "template": {
                    "metadata": {"labels": {"name": "redis", "role": "replica"}},
                    "spec": {"containers": [{"name": "redis", "image": "redis"}]}
                }
            }
        }));
        assert_eq!(wire["metadata"]["labels"], json!({"tier": "cache"}));
        assert_eq!(wire["spec"]["selector"], json!({"name": "redis"}));
        assert_eq!(wire["spec"]["replicas"], 0);
    }

    #[test]
    fn controller_without_template_only_gets_replicas() {
        let wire = defaulted_wire::<ReplicationController>(json!({"metadata": {"name": "rc"}}));
        assert_eq!(wire["spec"], json!({"replicas": 1}));
        assert_eq!(wire["metadata"].get("labels"), None);
    }
}
