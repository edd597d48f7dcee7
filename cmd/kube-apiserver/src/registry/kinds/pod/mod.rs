//! Pods (`po`): a new pod starts `Pending` with its QoS class fixed, a gated pod says so in a
//! `PodScheduled` condition, and pod-affinity `matchLabelKeys` are folded into the selectors.
//!
//! Not expressible through `Strategy` and left to the store or to dedicated subresource
//! handlers: the `/status` write rules (keep `ownerReferences`, back-fill an empty `qosClass`,
//! keep condition `observedGeneration`s), graceful-deletion periods, and the `binding`, `eviction`,
//! `log`, `exec`, `attach`, `portforward` and `proxy` subresources.

mod qos;
mod row;

use super::printing::{PrintRow, age_column, column, name_column};
use super::selectable::with_meta_fields;
use crate::registry::Strategy;
use api_types::api::core::v1::{Affinity, Pod, PodAffinityTerm, PodCondition, PodStatus};
use api_types::meta::v1::{
    LabelSelectorRequirement, TableColumnDefinition, TableRowCondition, Time,
};
use chrono::{DateTime, Utc};
use qos::compute_qos_class;
use row::{POD_SCHEDULED, SCHEDULING_GATED, pod_cells, pod_row_conditions};
use serde_json::Value;
use std::collections::BTreeMap;

/// The phase of a pod the scheduler and kubelet have not acted on yet.
const PENDING: &str = "Pending";

impl Strategy for Pod {
    const SHORT_NAMES: &'static [&'static str] = &["po"];
    const CATEGORIES: &'static [&'static str] = &["all"];
    const SUBRESOURCES: &'static [&'static str] =
        &["status", "binding", "log", "exec", "attach", "portforward", "proxy", "eviction"];
    const STATUS_SUBRESOURCE: bool = true;
    /// Upstream (1.33 on) counts pod spec changes in `metadata.generation`, starting at 1, so
    /// the kubelet can report `status.observedGeneration`.
    const TRACKS_GENERATION: bool = true;

    /// Pods are deleted gracefully: the kubelet stops the containers, then deletes for good.
    const GRACEFUL_DELETION: bool = true;

    /// The store has defaulted the pod (requests copied from limits) and cleared its status, so
    /// the QoS class is computed from what will be stored.
    fn prepare_for_create(&mut self) {
        let qos_class = compute_qos_class(self).to_string();
        self.status = PodStatus { phase: PENDING.to_string(), qos_class, ..Default::default() };
        mark_scheduling_gated(self);
        merge_affinity_label_keys(self);
    }

    /// Upstream's `CheckGracefulDelete`: the requested period, else the pod's own, else 0; 0 for
    /// a pod that never reached a node or already finished; a negative period becomes 1.
    fn deletion_grace_period_seconds(&self, requested: Option<i64>) -> i64 {
        let period = requested.or(self.spec.termination_grace_period_seconds).unwrap_or(0);
        let finished = matches!(self.status.phase.as_str(), "Succeeded" | "Failed");
        if self.spec.node_name.is_empty() || finished {
            0
        } else if period < 0 {
            1
        } else {
            period
        }
    }

    fn field_set(&self) -> BTreeMap<String, String> {
        let (spec, status) = (&self.spec, &self.status);
        let pod_ip = status.pod_ips.first().map_or(&status.pod_ip, |ip| &ip.ip);
        with_meta_fields(
            self,
            [
                ("spec.nodeName", spec.node_name.clone()),
                ("spec.restartPolicy", spec.restart_policy.clone()),
                ("spec.schedulerName", spec.scheduler_name.clone()),
                ("spec.serviceAccountName", spec.service_account_name.clone()),
                ("spec.hostNetwork", spec.host_network.to_string()),
                ("status.phase", status.phase.clone()),
                ("status.podIP", pod_ip.clone()),
                ("status.nominatedNodeName", status.nominated_node_name.clone()),
            ],
        )
    }

    fn table_columns() -> Vec<TableColumnDefinition> {
        vec![
            name_column(),
            column("Ready", "string", 0, "Ready containers out of all containers."),
            column("Status", "string", 0, "The aggregate status of the pod's containers."),
            column("Restarts", "string", 0, "Container restarts, and how long ago the last was."),
            age_column(),
            column("IP", "string", 1, "The pod's primary IP address."),
            column("Node", "string", 1, "The node the pod is bound to."),
            column("Nominated Node", "string", 1, "The node preemption made room on."),
            column("Readiness Gates", "string", 1, "Readiness gates met out of all gates."),
        ]
    }

    fn table_cells(&self) -> Vec<Value> {
        self.cells_at(Utc::now())
    }

    fn table_row_conditions(&self) -> Vec<TableRowCondition> {
        pod_row_conditions(self)
    }
}

impl PrintRow for Pod {
    fn cells_at(&self, now: DateTime<Utc>) -> Vec<Value> {
        pod_cells(self, now)
    }
}

/// A pod created with scheduling gates gets `PodScheduled=False` with reason `SchedulingGated`,
/// unless it already carries a `PodScheduled` condition.
fn mark_scheduling_gated(pod: &mut Pod) {
    let conditions = &mut pod.status.conditions;
    if pod.spec.scheduling_gates.is_empty() || conditions.iter().any(|c| c.type_ == POD_SCHEDULED) {
        return;
    }
    conditions.push(PodCondition {
        type_: POD_SCHEDULED.to_string(),
        status: "False".to_string(),
        reason: SCHEDULING_GATED.to_string(),
        message: "Scheduling is blocked due to non-empty scheduling gates".to_string(),
        last_transition_time: Some(Time::now()),
        ..Default::default()
    });
}

/// Pod (anti-)affinity terms name label keys whose values come from the pod itself: each key the
/// pod carries becomes an `In` (`matchLabelKeys`) or `NotIn` (`mismatchLabelKeys`) requirement
/// on the term's selector, as upstream does on create (MatchLabelKeysInPodAffinity, on by
/// default). Terms without a selector select nothing and stay as they are.
fn merge_affinity_label_keys(pod: &mut Pod) {
    let labels = &pod.metadata.labels;
    let Some(affinity) = pod.spec.affinity.as_mut() else { return };
    for term in affinity_terms(affinity) {
        let Some(selector) = term.label_selector.as_mut() else { continue };
        let keys = [(&term.match_label_keys, "In"), (&term.mismatch_label_keys, "NotIn")];
        for (keys, operator) in keys {
            for key in keys {
                if let Some(value) = labels.get(key) {
                    selector.match_expressions.push(LabelSelectorRequirement {
                        key: key.clone(),
                        operator: operator.to_string(),
                        values: vec![value.clone()],
                    });
                }
            }
        }
    }
}

/// Every pod affinity and anti-affinity term, required and preferred.
fn affinity_terms(affinity: &mut Affinity) -> Vec<&mut PodAffinityTerm> {
    let mut terms = Vec::new();
    if let Some(pod_affinity) = affinity.pod_affinity.as_mut() {
        terms.extend(pod_affinity.required_during_scheduling_ignored_during_execution.iter_mut());
        let preferred =
            pod_affinity.preferred_during_scheduling_ignored_during_execution.iter_mut();
        terms.extend(preferred.map(|weighted| &mut weighted.pod_affinity_term));
    }
    if let Some(anti_affinity) = affinity.pod_anti_affinity.as_mut() {
        terms.extend(anti_affinity.required_during_scheduling_ignored_during_execution.iter_mut());
        let preferred =
            anti_affinity.preferred_during_scheduling_ignored_during_execution.iter_mut();
        terms.extend(preferred.map(|weighted| &mut weighted.pod_affinity_term));
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::qos::{BEST_EFFORT, BURSTABLE};
    use super::*;
    use api_types::defaults::ApplyDefaults;
    use serde_json::json;

    fn pod(value: serde_json::Value) -> Pod {
        serde_json::from_value(value).unwrap()
    }

    /// What the store hands `prepare_for_create`: a defaulted pod with its status cleared.
    fn created(value: serde_json::Value) -> Pod {
        let mut pod = pod(value);
        pod.apply_defaults();
        pod.status = PodStatus::default();
        pod.prepare_for_create();
        pod
    }

    #[test]
    fn create_starts_pending_with_qos_from_the_defaulted_pod() {
        let web = created(json!({
            "metadata": {"name": "web"},
            "spec": {"nodeName": "node-1", "containers": [{"name": "web", "image": "nginx",
                     "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}}}]}
        }));
        assert_eq!(web.spec.node_name, "node-1", "a pod may be created already bound");
        // Limits alone default the requests to the same values: Guaranteed.
        assert_eq!(
            serde_json::to_value(&web.status).unwrap(),
            json!({"phase": "Pending", "qosClass": "Guaranteed"})
        );
        let best_effort = created(json!({"spec": {"containers": [{"name": "a"}]}}));
        assert_eq!(best_effort.status.qos_class, BEST_EFFORT);
        let burstable = created(json!({"spec": {"containers": [{"name": "a",
            "resources": {"requests": {"memory": "64Mi"}}}]}}));
        assert_eq!(burstable.status.qos_class, BURSTABLE);
    }

    #[test]
    fn grace_period_follows_upstream() {
        let bound = pod(json!({"spec": {"nodeName": "node-1", "terminationGracePeriodSeconds": 45,
                                        "containers": []},
                               "status": {"phase": "Running"}}));
        assert_eq!(bound.deletion_grace_period_seconds(None), 45);
        assert_eq!(bound.deletion_grace_period_seconds(Some(5)), 5);
        assert_eq!(bound.deletion_grace_period_seconds(Some(-3)), 1);
        let mut finished = bound.clone();
        finished.status.phase = "Succeeded".into();
        assert_eq!(finished.deletion_grace_period_seconds(Some(5)), 0);
        let unscheduled =
            pod(json!({"spec": {"terminationGracePeriodSeconds": 45, "containers": []}}));
        assert_eq!(unscheduled.deletion_grace_period_seconds(None), 0);
        let mut no_period = bound.clone();
        no_period.spec.termination_grace_period_seconds = None;
        assert_eq!(no_period.deletion_grace_period_seconds(None), 0);
    }

    #[test]
    fn create_marks_gated_pods() {
        let gated = created(json!({
            "spec": {"containers": [{"name": "a"}], "schedulingGates": [{"name": "example.com/quota"}]}
        }));
        let condition = &gated.status.conditions[0];
        assert_eq!(
            (condition.type_.as_str(), condition.status.as_str(), condition.reason.as_str()),
            ("PodScheduled", "False", "SchedulingGated")
        );
        assert_eq!(condition.message, "Scheduling is blocked due to non-empty scheduling gates");
        assert!(condition.last_transition_time.is_some() && condition.last_probe_time.is_none());
        let ungated = created(json!({"spec": {"containers": [{"name": "a"}]}}));
        assert!(ungated.status.conditions.is_empty());
    }

    #[test]
    fn create_merges_affinity_label_keys_into_selectors() {
        let term = |keys: serde_json::Value| {
            json!({"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "zone",
                   "matchLabelKeys": keys, "mismatchLabelKeys": ["tenant"]})
        };
        let merged = created(json!({
            "metadata": {"labels": {"app": "web", "pod-template-hash": "5d8f", "tenant": "a"}},
            "spec": {"containers": [{"name": "a"}], "affinity": {
                "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
                                    [term(json!(["pod-template-hash", "missing"]))]},
                "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution":
                                        [{"weight": 10, "podAffinityTerm": term(json!([]))},
                                         {"weight": 1, "podAffinityTerm": {"topologyKey": "zone",
                                                                           "matchLabelKeys": ["app"]}}]}
            }}
        }));
        let affinity = serde_json::to_value(merged.spec.affinity.as_ref().unwrap()).unwrap();
        assert_eq!(
            affinity["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]["labelSelector"]
                ["matchExpressions"],
            json!([{"key": "pod-template-hash", "operator": "In", "values": ["5d8f"]},
                   {"key": "tenant", "operator": "NotIn", "values": ["a"]}])
        );
        let preferred =
            &affinity["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"];
        assert_eq!(
            preferred[0]["podAffinityTerm"]["labelSelector"]["matchExpressions"],
            json!([{"key": "tenant", "operator": "NotIn", "values": ["a"]}])
        );
        assert!(preferred[1]["podAffinityTerm"].get("labelSelector").is_none());
    }

    #[test]
    fn field_set_matches_upstream_selectable_fields() {
        let running = pod(json!({
            "metadata": {"name": "web", "namespace": "prod"},
            "spec": {"nodeName": "node-1", "restartPolicy": "Always", "schedulerName": "default-scheduler",
                     "serviceAccountName": "builder", "hostNetwork": true, "containers": []},
            "status": {"phase": "Running", "podIP": "10.0.0.9",
                       "podIPs": [{"ip": "10.0.0.9"}, {"ip": "fd00::9"}], "nominatedNodeName": "node-2"}
        }));
        let expected = [
            ("metadata.name", "web"),
            ("metadata.namespace", "prod"),
            ("spec.hostNetwork", "true"),
            ("spec.nodeName", "node-1"),
            ("spec.restartPolicy", "Always"),
            ("spec.schedulerName", "default-scheduler"),
            ("spec.serviceAccountName", "builder"),
            ("status.nominatedNodeName", "node-2"),
            ("status.phase", "Running"),
            ("status.podIP", "10.0.0.9"),
        ];
        let expected: BTreeMap<String, String> =
            expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(running.field_set(), expected);
        let fresh = pod(json!({"metadata": {"name": "p"}, "spec": {"containers": []}}));
        assert_eq!(fresh.field_set()["spec.hostNetwork"], "false");
        assert_eq!(fresh.field_set()["status.podIP"], "");
    }

    #[test]
    fn columns_follow_the_upstream_printer() {
        let columns = Pod::table_columns();
        let names: Vec<_> = columns.iter().map(|c| (c.name.as_str(), c.priority)).collect();
        assert_eq!(
            names,
            [
                ("Name", 0),
                ("Ready", 0),
                ("Status", 0),
                ("Restarts", 0),
                ("Age", 0),
                ("IP", 1),
                ("Node", 1),
                ("Nominated Node", 1),
                ("Readiness Gates", 1)
            ]
        );
        assert_eq!(columns[0].format, "name");
        assert!(columns.iter().all(|c| c.type_ == "string"));
        let row = pod(json!({"metadata": {"name": "p"}, "spec": {"containers": []}})).table_cells();
        assert_eq!(row.len(), columns.len());
    }
}
