//! `apps/v1` defaults: replica counts, rollout strategies and history limits, plus the full
//! pod-spec defaults for each controller's pod template.

use super::ApplyDefaults;
use super::core::default_pod_spec;
use crate::api::apps::v1::{
    DaemonSet, Deployment, ReplicaSet, RollingUpdateDaemonSet, RollingUpdateDeployment,
};
use crate::intstr::IntOrString;

const ROLLING_UPDATE: &str = "RollingUpdate";
/// Old ReplicaSets or ControllerRevisions kept for rollback.
const REVISION_HISTORY_LIMIT: i32 = 10;
/// Seconds without progress before a Deployment's rollout is reported as stalled.
const PROGRESS_DEADLINE_SECONDS: i32 = 600;
/// A Deployment rolls a quarter of its replicas at a time, in both directions.
const DEPLOYMENT_MAX_UNAVAILABLE: &str = "25%";
const DEPLOYMENT_MAX_SURGE: &str = "25%";
/// A DaemonSet replaces one node's pod at a time and never runs two on a node.
const DAEMON_SET_MAX_UNAVAILABLE: i32 = 1;
const DAEMON_SET_MAX_SURGE: i32 = 0;

impl ApplyDefaults for Deployment {
    fn apply_defaults(&mut self) {
        let spec = &mut self.spec;
        spec.replicas.get_or_insert(1);
        let strategy = &mut spec.strategy;
        if strategy.type_.is_empty() {
            strategy.type_ = ROLLING_UPDATE.to_string();
        }
        if strategy.type_ == ROLLING_UPDATE {
            let RollingUpdateDeployment { max_unavailable, max_surge } =
                strategy.rolling_update.get_or_insert_with(Default::default);
            max_unavailable.get_or_insert_with(|| DEPLOYMENT_MAX_UNAVAILABLE.into());
            max_surge.get_or_insert_with(|| DEPLOYMENT_MAX_SURGE.into());
        }
        spec.revision_history_limit.get_or_insert(REVISION_HISTORY_LIMIT);
        spec.progress_deadline_seconds.get_or_insert(PROGRESS_DEADLINE_SECONDS);
        default_pod_spec(&mut spec.template.spec);
    }
}

impl ApplyDefaults for ReplicaSet {
    fn apply_defaults(&mut self) {
        self.spec.replicas.get_or_insert(1);
        default_pod_spec(&mut self.spec.template.spec);
    }
}

impl ApplyDefaults for DaemonSet {
    fn apply_defaults(&mut self) {
        let spec = &mut self.spec;
        let strategy = &mut spec.update_strategy;
        if strategy.type_.is_empty() {
            strategy.type_ = ROLLING_UPDATE.to_string();
        }
        if strategy.type_ == ROLLING_UPDATE {
            let RollingUpdateDaemonSet { max_unavailable, max_surge } =
                strategy.rolling_update.get_or_insert_with(Default::default);
            max_unavailable.get_or_insert(IntOrString::Int(DAEMON_SET_MAX_UNAVAILABLE));
            max_surge.get_or_insert(IntOrString::Int(DAEMON_SET_MAX_SURGE));
        }
        spec.revision_history_limit.get_or_insert(REVISION_HISTORY_LIMIT);
        default_pod_spec(&mut spec.template.spec);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::test_support::{defaulted, defaulted_wire};
    use crate::resource::List;
    use serde_json::{Value, json};

    fn template() -> Value {
        json!({
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "initContainers": [{"name": "migrate", "image": "web:v2"}],
                "containers": [{
                    "name": "web",
                    "image": "nginx",
                    "ports": [{"containerPort": 80}],
                    "readinessProbe": {"httpGet": {"port": 80}}
                }],
                "volumes": [{"name": "cache"}]
            }
        })
    }

    /// The template walk every controller shares: spec, containers, probes and volumes.
    fn assert_template_defaulted(spec: &Value) {
        assert_eq!(spec["restartPolicy"], "Always");
        assert_eq!(spec["terminationGracePeriodSeconds"], 30);
        assert_eq!(spec["securityContext"], json!({}));
        let container = &spec["containers"][0];
        assert_eq!(container["imagePullPolicy"], "Always");
        assert_eq!(container["terminationMessagePath"], "/dev/termination-log");
        assert_eq!(container["ports"][0]["protocol"], "TCP");
        assert_eq!(
            container["readinessProbe"],
            json!({
                "httpGet": {"path": "/", "port": 80, "scheme": "HTTP"},
                "timeoutSeconds": 1,
                "periodSeconds": 10,
                "successThreshold": 1,
                "failureThreshold": 3
            })
        );
        assert_eq!(spec["initContainers"][0]["imagePullPolicy"], "IfNotPresent");
        assert_eq!(spec["volumes"][0]["emptyDir"], json!({}));
        assert_eq!(spec.get("enableServiceLinks"), None);
    }

    #[test]
    fn deployment_defaults_and_template_walk() {
        let wire = defaulted_wire::<Deployment>(json!({
            "metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": template()}
        }));
        let spec = &wire["spec"];
        assert_eq!(spec["replicas"], 1);
        assert_eq!(
            spec["strategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}})
        );
        assert_eq!(spec["revisionHistoryLimit"], 10);
        assert_eq!(spec["progressDeadlineSeconds"], 600);
        assert_template_defaulted(&spec["template"]["spec"]);
    }

    #[test]
    fn deployment_explicit_values_are_kept() {
        let recreate: Deployment = defaulted(json!({
            "metadata": {"name": "web"},
            "spec": {
                "replicas": 0,
                "strategy": {"type": "Recreate"},
                "revisionHistoryLimit": 0,
                "progressDeadlineSeconds": 60,
                "template": template()
            }
        }));
        assert_eq!(recreate.spec.replicas, Some(0));
        assert_eq!(recreate.spec.strategy.type_, "Recreate");
        assert_eq!(recreate.spec.strategy.rolling_update, None);
        assert_eq!(recreate.spec.revision_history_limit, Some(0));
        assert_eq!(recreate.spec.progress_deadline_seconds, Some(60));

        let partial: Deployment = defaulted(json!({
            "metadata": {"name": "web"},
            "spec": {"strategy": {"rollingUpdate": {"maxSurge": 1}}, "template": template()}
        }));
        assert_eq!(
            partial.spec.strategy.rolling_update,
            Some(RollingUpdateDeployment {
                max_unavailable: Some(IntOrString::from("25%")),
                max_surge: Some(IntOrString::Int(1)),
            })
        );
    }

    #[test]
    fn replica_set_defaults_and_template_walk() {
        let wire = defaulted_wire::<ReplicaSet>(json!({
            "metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": template()}
        }));
        assert_eq!(wire["spec"]["replicas"], 1);
        assert_template_defaulted(&wire["spec"]["template"]["spec"]);
        // apps/v1 never copies the template's labels into the selector or the object.
        assert_eq!(wire["metadata"].get("labels"), None);

        let scaled_down: ReplicaSet = defaulted(json!({
            "metadata": {"name": "web"},
            "spec": {"replicas": 0, "template": template()}
        }));
        assert_eq!(scaled_down.spec.replicas, Some(0));
    }

    #[test]
    fn daemon_set_defaults_and_template_walk() {
        let wire = defaulted_wire::<DaemonSet>(json!({
            "metadata": {"name": "agent"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": template()}
        }));
        let spec = &wire["spec"];
        assert_eq!(
            spec["updateStrategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})
        );
        assert_eq!(spec["revisionHistoryLimit"], 10);
        assert_template_defaulted(&spec["template"]["spec"]);
    }

    #[test]
    fn daemon_set_explicit_values_are_kept() {
        let on_delete: DaemonSet = defaulted(json!({
            "metadata": {"name": "agent"},
            "spec": {
                "updateStrategy": {"type": "OnDelete"},
                "revisionHistoryLimit": 3,
                "template": template()
            }
        }));
        assert_eq!(on_delete.spec.update_strategy.rolling_update, None);
        assert_eq!(on_delete.spec.revision_history_limit, Some(3));

        let surge: DaemonSet = defaulted(json!({
            "metadata": {"name": "agent"},
            "spec": {
                "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": "10%"}},
                "template": template()
            }
        }));
        assert_eq!(
            surge.spec.update_strategy.rolling_update,
            Some(RollingUpdateDaemonSet {
                max_unavailable: Some(IntOrString::Int(0)),
                max_surge: Some(IntOrString::from("10%")),
            })
        );
    }

    #[test]
    fn lists_are_defaulted_item_by_item() {
        let list: List<Deployment> = defaulted(json!({
            "apiVersion": "apps/v1",
            "kind": "DeploymentList",
            "metadata": {},
            "items": [
                {"metadata": {"name": "a"}, "spec": {"template": template()}},
                {"metadata": {"name": "b"}, "spec": {"replicas": 3, "template": template()}}
            ]
        }));
        let replicas: Vec<_> = list.items.iter().map(|d| d.spec.replicas).collect();
        assert_eq!(replicas, [Some(1), Some(3)]);
        assert!(
            list.items
                .iter()
                .all(|d| { d.spec.template.spec.containers[0].image_pull_policy == "Always" })
        );
    }
}
