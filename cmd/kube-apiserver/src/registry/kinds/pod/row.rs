//! The `kubectl get pods` row: READY, the STATUS reason (phase, init progress, the first
//! container's waiting or terminated reason, `Terminating`), RESTARTS with the age of the last
//! restart, and the wide IP, NODE, NOMINATED NODE and READINESS GATES cells.

use super::super::printing::{NONE, age, age_cell, or_placeholder};
use api_types::api::core::v1::{Container, ContainerStatus, Pod, PodCondition};
use api_types::meta::v1::{TableRowCondition, Time};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::BTreeMap;

/// The condition type and reason the scheduler (or pod creation) sets on a gated pod.
pub const POD_SCHEDULED: &str = "PodScheduled";
pub const SCHEDULING_GATED: &str = "SchedulingGated";
/// The pod status reason the node lifecycle controller sets when a node stops reporting.
const NODE_LOST: &str = "NodeLost";

/// The cells of one pod's row.
pub fn pod_cells(pod: &Pod, now: DateTime<Utc>) -> Vec<Value> {
    let summary = PodSummary::of(pod);
    let restarts = match (&summary.last_restart, summary.restarts) {
        (Some(last), restarts) if restarts != 0 => {
            format!("{restarts} ({} ago)", age(Some(last), now))
        }
        (_, restarts) => restarts.to_string(),
    };
    let status = &pod.status;
    // A client that only wrote the legacy `podIP` still has an IP (upstream converts it).
    let pod_ip = status.pod_ips.first().map_or(status.pod_ip.as_str(), |ip| ip.ip.as_str());
    vec![
        Value::from(pod.metadata.name.clone()),
        Value::from(format!("{}/{}", summary.ready, summary.total)),
        Value::from(summary.reason),
        Value::from(restarts),
        age_cell(pod.metadata.creation_timestamp.as_ref(), now),
        Value::from(or_placeholder(pod_ip, NONE)),
        Value::from(or_placeholder(&pod.spec.node_name, NONE)),
        Value::from(or_placeholder(&status.nominated_node_name, NONE)),
        Value::from(readiness_gates(pod)),
    ]
}

/// The `Completed` condition upstream puts on the rows of pods that have finished, so clients
/// can hide or mark them; none for pods still pending or running.
pub fn pod_row_conditions(pod: &Pod) -> Vec<TableRowCondition> {
    let message = match pod.status.phase.as_str() {
        "Succeeded" => "The pod has completed successfully.",
        "Failed" => "The pod failed.",
        _ => return Vec::new(),
    };
    vec![TableRowCondition {
        type_: "Completed".to_string(),
        status: "True".to_string(),
        reason: pod.status.phase.clone(),
        message: message.to_string(),
    }]
}

/// READY, STATUS and RESTARTS as upstream's pod printer derives them.
#[derive(Debug, PartialEq)]
struct PodSummary {
    ready: usize,
    total: usize,
    reason: String,
    restarts: i64,
    last_restart: Option<Time>,
}

impl PodSummary {
    fn of(pod: &Pod) -> Self {
        let init_containers: BTreeMap<&str, &Container> =
            pod.spec.init_containers.iter().map(|c| (c.name.as_str(), c)).collect();
        let sidecars = pod.spec.init_containers.iter().filter(|c| is_sidecar(Some(c))).count();
        let mut summary = PodSummary {
            ready: 0,
            total: pod.spec.containers.len() + sidecars,
            reason: initial_reason(pod),
            restarts: 0,
            last_restart: None,
        };
        let mut sidecar_restarts = 0;
        let mut last_sidecar_restart = None;
        let mut initializing = false;
        for (index, status) in pod.status.init_container_statuses.iter().enumerate() {
            summary.count_restarts(status);
            let sidecar = is_sidecar(init_containers.get(status.name.as_str()).copied());
            if sidecar {
                sidecar_restarts += i64::from(status.restart_count);
                last_sidecar_restart = last_sidecar_restart.max(last_termination(status));
            }
            let state = &status.state;
            if state.terminated.as_ref().is_some_and(|t| t.exit_code == 0) {
                continue;
            }
            if sidecar && status.started == Some(true) {
                summary.ready += usize::from(status.ready);
                continue;
            }
            initializing = true;
            summary.reason = if let Some(terminated) = &state.terminated {
                match terminated.reason.as_str() {
                    "" if terminated.signal != 0 => format!("Init:Signal:{}", terminated.signal),
                    "" => format!("Init:ExitCode:{}", terminated.exit_code),
                    reason => format!("Init:{reason}"),
                }
            } else if let Some(waiting) = state
                .waiting
                .as_ref()
                .filter(|w| !w.reason.is_empty() && w.reason != "PodInitializing")
            {
                format!("Init:{}", waiting.reason)
            } else {
                format!("Init:{index}/{}", pod.spec.init_containers.len())
            };
            break;
        }
        if !initializing || has_true_condition(&pod.status.conditions, "Initialized") {
            summary.restarts = sidecar_restarts;
            summary.last_restart = last_sidecar_restart;
            summary.count_containers(pod);
        }
        if pod.metadata.deletion_timestamp.is_some() {
            if pod.status.reason == NODE_LOST {
                summary.reason = "Unknown".to_string();
            } else if !matches!(pod.status.phase.as_str(), "Succeeded" | "Failed") {
                summary.reason = "Terminating".to_string();
            }
        }
        summary
    }

    /// The regular containers, last to first, so the first container's reason wins.
    fn count_containers(&mut self, pod: &Pod) {
        let mut has_running = false;
        for status in pod.status.container_statuses.iter().rev() {
            self.count_restarts(status);
            let state = &status.state;
            if let Some(waiting) = state.waiting.as_ref().filter(|w| !w.reason.is_empty()) {
                self.reason = waiting.reason.clone();
            } else if let Some(terminated) = &state.terminated {
                self.reason = match terminated.reason.as_str() {
                    "" if terminated.signal != 0 => format!("Signal:{}", terminated.signal),
                    "" => format!("ExitCode:{}", terminated.exit_code),
                    reason => reason.to_string(),
                };
            } else if status.ready && state.running.is_some() {
                has_running = true;
                self.ready += 1;
            }
        }
        // A pod whose first container completed while another still runs is not Completed.
        if self.reason == "Completed" && has_running {
            let ready =
                pod.status.conditions.iter().any(|c| c.type_ == "Ready" && c.status == "True");
            self.reason = if ready { "Running".to_string() } else { "NotReady".to_string() };
        }
    }

    fn count_restarts(&mut self, status: &ContainerStatus) {
        self.restarts += i64::from(status.restart_count);
        self.last_restart = self.last_restart.max(last_termination(status));
    }
}

/// The phase, overridden by the pod's status reason and then by a scheduling gate.
fn initial_reason(pod: &Pod) -> String {
    let gated = pod
        .status
        .conditions
        .iter()
        .any(|c| c.type_ == POD_SCHEDULED && c.reason == SCHEDULING_GATED);
    if gated {
        SCHEDULING_GATED.to_string()
    } else if !pod.status.reason.is_empty() {
        pod.status.reason.clone()
    } else {
        pod.status.phase.clone()
    }
}

/// An init container with `restartPolicy: Always` runs beside the app containers.
fn is_sidecar(container: Option<&Container>) -> bool {
    container.and_then(|c| c.restart_policy.as_deref()) == Some("Always")
}

/// When the container's previous run ended, if it ended.
fn last_termination(status: &ContainerStatus) -> Option<Time> {
    status.last_state.terminated.as_ref().and_then(|t| t.finished_at)
}

fn has_true_condition(conditions: &[PodCondition], type_: &str) -> bool {
    conditions.iter().find(|c| c.type_ == type_).is_some_and(|c| c.status == "True")
}

/// `true/total` over the readiness gates, `<none>` without gates.
fn readiness_gates(pod: &Pod) -> String {
    let gates = &pod.spec.readiness_gates;
    if gates.is_empty() {
        return NONE.to_string();
    }
    let conditions = &pod.status.conditions;
    let met = gates.iter().filter(|gate| has_true_condition(conditions, &gate.condition_type));
    format!("{}/{}", met.count(), gates.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2024-05-01T10:00:00Z".parse().unwrap()
    }

    fn pod(value: serde_json::Value) -> Pod {
        serde_json::from_value(value).unwrap()
    }

    fn cells(value: serde_json::Value) -> Vec<Value> {
        pod_cells(&pod(value), now())
    }

    fn running(name: &str, ready: bool) -> serde_json::Value {
        json!({"name": name, "ready": ready, "restartCount": 0, "image": "i", "imageID": "",
               "state": {"running": {"startedAt": "2024-05-01T09:00:00Z"}}, "lastState": {}})
    }

    #[test]
    fn running_pod_with_a_crash_looping_container() {
        let row = cells(json!({
            "metadata": {"name": "web-7d4b9c6f5-x2k8p", "creationTimestamp": "2024-05-01T09:56:48Z"},
            "spec": {"nodeName": "kind-worker", "containers": [{"name": "web"}, {"name": "sidecar"}]},
            "status": {
                "phase": "Running",
                "podIP": "10.244.1.7",
                "podIPs": [{"ip": "10.244.1.7"}],
                "containerStatuses": [
                    {"name": "web", "ready": false, "restartCount": 5, "image": "i", "imageID": "",
                     "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 2m40s"}},
                     "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                                  "startedAt": "2024-05-01T09:58:55Z",
                                                  "finishedAt": "2024-05-01T09:59:00Z"}}},
                    running("sidecar", true)
                ]
            }
        }));
        assert_eq!(
            row,
            [
                "web-7d4b9c6f5-x2k8p",
                "1/2",
                "CrashLoopBackOff",
                "5 (60s ago)",
                "3m12s",
                "10.244.1.7",
                "kind-worker",
                "<none>",
                "<none>"
            ]
            .map(Value::from)
        );
    }

    #[test]
    fn pending_pod_without_statuses() {
        let row = cells(json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "a"}]},
            "status": {"phase": "Pending"}
        }));
        assert_eq!(
            row,
            ["p", "0/1", "Pending", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>"]
                .map(Value::from)
        );
    }

    #[test]
    fn init_container_progress_and_failures() {
        let base = |init_status: serde_json::Value| {
            cells(json!({
                "metadata": {"name": "p"},
                "spec": {"initContainers": [{"name": "migrate"}, {"name": "warm"}],
                         "containers": [{"name": "app"}]},
                "status": {"phase": "Pending", "initContainerStatuses": init_status,
                           "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
                                                  "image": "i", "imageID": "",
                                                  "state": {"waiting": {"reason": "PodInitializing"}},
                                                  "lastState": {}}]}
            }))[2]
                .clone()
        };
        let done = json!({"name": "migrate", "ready": true, "restartCount": 0, "image": "i",
                          "imageID": "", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
                          "lastState": {}});
        let starting = json!({"name": "warm", "ready": false, "restartCount": 0, "image": "i",
                              "imageID": "", "state": {"running": {}}, "lastState": {}});
        assert_eq!(base(json!([done, starting])), "Init:1/2");
        let failed = json!({"name": "migrate", "ready": false, "restartCount": 2, "image": "i",
                            "imageID": "", "state": {"terminated": {"exitCode": 3}}, "lastState": {}});
        assert_eq!(base(json!([failed])), "Init:ExitCode:3");
        let killed = json!({"name": "migrate", "ready": false, "restartCount": 0, "image": "i",
                            "imageID": "", "state": {"terminated": {"exitCode": 137, "signal": 9}},
                            "lastState": {}});
        assert_eq!(base(json!([killed])), "Init:Signal:9");
        let backing_off = json!({"name": "migrate", "ready": false, "restartCount": 1, "image": "i",
                                 "imageID": "", "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                                 "lastState": {}});
        assert_eq!(base(json!([backing_off])), "Init:CrashLoopBackOff");
    }

    #[test]
    fn sidecars_count_toward_ready_and_restarts() {
        let row = cells(json!({
            "metadata": {"name": "p"},
            "spec": {"initContainers": [{"name": "proxy", "restartPolicy": "Always"}],
                     "containers": [{"name": "app"}]},
            "status": {
                "phase": "Running",
                "conditions": [{"type": "Initialized", "status": "True"}],
                "initContainerStatuses": [{"name": "proxy", "ready": true, "started": true,
                                           "restartCount": 1, "image": "i", "imageID": "",
                                           "state": {"running": {}},
                                           "lastState": {"terminated": {"exitCode": 1,
                                               "finishedAt": "2024-05-01T07:00:00Z"}}}],
                "containerStatuses": [running("app", true)]
            }
        }));
        assert_eq!(row[1..4], ["2/2", "Running", "1 (3h ago)"].map(Value::from));
    }

    #[test]
    fn completed_first_container_with_another_running() {
        let completed = json!({"name": "job", "ready": false, "restartCount": 0, "image": "i",
                               "imageID": "", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
                               "lastState": {}});
        let spec = json!({"containers": [{"name": "job"}, {"name": "sidecar"}]});
        let ready = cells(json!({
            "metadata": {"name": "p"}, "spec": spec,
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}],
                       "containerStatuses": [completed, running("sidecar", true)]}
        }));
        assert_eq!(ready[1..3], ["1/2", "Running"].map(Value::from));
        let not_ready = cells(json!({
            "metadata": {"name": "p"}, "spec": spec,
            "status": {"phase": "Running", "containerStatuses": [completed, running("sidecar", true)]}
        }));
        assert_eq!(not_ready[2], "NotReady");
    }

    #[test]
    fn terminated_without_reason_prints_exit_code_or_signal() {
        let status = |terminated: serde_json::Value| {
            cells(json!({
                "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a"}]},
                "status": {"phase": "Failed", "containerStatuses": [{"name": "a", "ready": false,
                    "restartCount": 0, "image": "i", "imageID": "",
                    "state": {"terminated": terminated}, "lastState": {}}]}
            }))[2]
                .clone()
        };
        assert_eq!(status(json!({"exitCode": 2})), "ExitCode:2");
        assert_eq!(status(json!({"exitCode": 143, "signal": 15})), "Signal:15");
        assert_eq!(status(json!({"exitCode": 137, "reason": "OOMKilled"})), "OOMKilled");
    }

    #[test]
    fn deletion_and_gates_override_the_phase() {
        let terminating = cells(json!({
            "metadata": {"name": "p", "deletionTimestamp": "2024-05-01T09:59:00Z"},
            "spec": {"containers": [{"name": "a"}]},
            "status": {"phase": "Running", "containerStatuses": [running("a", true)]}
        }));
        assert_eq!(terminating[2], "Terminating");
        let lost = cells(json!({
            "metadata": {"name": "p", "deletionTimestamp": "2024-05-01T09:59:00Z"},
            "spec": {"containers": [{"name": "a"}]},
            "status": {"phase": "Running", "reason": "NodeLost"}
        }));
        assert_eq!(lost[2], "Unknown");
        let finished = cells(json!({
            "metadata": {"name": "p", "deletionTimestamp": "2024-05-01T09:59:00Z"},
            "spec": {"containers": [{"name": "a"}]},
            "status": {"phase": "Succeeded"}
        }));
        assert_eq!(finished[2], "Succeeded");
        let evicted = cells(json!({
            "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a"}]},
            "status": {"phase": "Failed", "reason": "Evicted"}
        }));
        assert_eq!(evicted[2], "Evicted");
        let gated = cells(json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "a"}], "schedulingGates": [{"name": "quota"}]},
            "status": {"phase": "Pending",
                       "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}
        }));
        assert_eq!(gated[2], "SchedulingGated");
    }

    #[test]
    fn readiness_gates_and_nomination() {
        let row = cells(json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "a"}],
                     "readinessGates": [{"conditionType": "www.example.com/lb"},
                                        {"conditionType": "www.example.com/dns"}]},
            "status": {"phase": "Pending", "nominatedNodeName": "node-2",
                       "conditions": [{"type": "www.example.com/lb", "status": "True"}]}
        }));
        assert_eq!(row[7..], ["node-2", "1/2"].map(Value::from));
    }

    #[test]
    fn legacy_pod_ip_is_shown_without_pod_ips() {
        let row = cells(json!({
            "metadata": {"name": "p"}, "spec": {"containers": []},
            "status": {"phase": "Running", "podIP": "10.1.2.3"}
        }));
        assert_eq!(row[5], "10.1.2.3");
    }

    #[test]
    fn succeeded_pod_prints_completed_with_a_completed_row_condition() {
        let finished = pod(json!({
            "metadata": {"name": "job-x", "creationTimestamp": "2024-05-01T09:00:00Z"},
            "spec": {"containers": [{"name": "work"}]},
            "status": {"phase": "Succeeded", "containerStatuses": [
                {"name": "work", "ready": false, "restartCount": 0, "image": "i", "imageID": "",
                 "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}, "lastState": {}}
            ]}
        }));
        let row = pod_cells(&finished, now());
        assert_eq!(row[1..4], ["0/1", "Completed", "0"]);
        let conditions = pod_row_conditions(&finished);
        assert_eq!(conditions.len(), 1);
        assert_eq!(
            (conditions[0].type_.as_str(), conditions[0].status.as_str()),
            ("Completed", "True")
        );
        assert_eq!(conditions[0].reason, "Succeeded");
        assert_eq!(conditions[0].message, "The pod has completed successfully.");

        let failed =
            pod(json!({"metadata": {"name": "f"}, "spec": {"containers": [{"name": "w"}]},
                                "status": {"phase": "Failed"}}));
        assert_eq!(pod_row_conditions(&failed)[0].message, "The pod failed.");
        let running =
            pod(json!({"metadata": {"name": "r"}, "spec": {"containers": [{"name": "w"}]},
                                 "status": {"phase": "Running"}}));
        assert!(pod_row_conditions(&running).is_empty());
    }

    #[test]
    fn crashed_container_after_init_and_pod_initializing() {
        // Init done, the app container waits in PodInitializing: the waiting reason shows.
        let starting = cells(json!({
            "metadata": {"name": "p"},
            "spec": {"initContainers": [{"name": "setup"}], "containers": [{"name": "app"}]},
            "status": {"phase": "Pending",
                "initContainerStatuses": [{"name": "setup", "ready": true, "restartCount": 0,
                    "image": "i", "imageID": "",
                    "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}, "lastState": {}}],
                "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
                    "image": "i", "imageID": "",
                    "state": {"waiting": {"reason": "PodInitializing"}}, "lastState": {}}]}
        }));
        assert_eq!(starting[2], "PodInitializing");
        // A container killed by the OOM killer shows its terminated reason.
        let killed = cells(json!({
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "app"}]},
            "status": {"phase": "Running", "containerStatuses": [{"name": "app", "ready": false,
                "restartCount": 1, "image": "i", "imageID": "",
                "state": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}}, "lastState": {}}]}
        }));
        assert_eq!(killed[2], "OOMKilled");
    }
}
