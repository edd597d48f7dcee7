//! Pod and pod-template defaults.
//!
//! Every pod spec, standalone or inside a template, gets the spec-level defaults (restart
//! policy, DNS policy, grace period, scheduler, an empty security context) and the container and
//! volume defaults. A few defaults are for Pods only, deliberately kept out of templates so that
//! adding one never changes the template hash of existing controllers: requests copied from
//! limits, `enableServiceLinks`, and host ports under host networking.
//!
//! Left out: the pod-level resource defaults (`spec.resources` requests and limits derived from
//! the containers', behind the PodLevelResources feature gate), whose aggregation rules are still
//! moving upstream.

use super::container::default_container;
use super::volume::default_volume;
use crate::api::core::v1::{Container, Pod, PodSpec, PodStatus, PodTemplate, ResourceRequirements};
use crate::defaults::ApplyDefaults;
use crate::defaults::resource_list::round_up_to_millis;

/// Restart containers whenever they exit.
const RESTART_ALWAYS: &str = "Always";
/// Resolve names through the cluster DNS first.
const DNS_CLUSTER_FIRST: &str = "ClusterFirst";
/// Seconds a pod gets between SIGTERM and SIGKILL unless it asks otherwise.
const TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;
/// The scheduler that places pods naming no other.
const DEFAULT_SCHEDULER: &str = "default-scheduler";

impl ApplyDefaults for Pod {
    fn apply_defaults(&mut self) {
        default_pod_only_fields(&mut self.spec);
        default_pod_spec(&mut self.spec);
        default_pod_status(&mut self.status);
    }
}

impl ApplyDefaults for PodTemplate {
    fn apply_defaults(&mut self) {
        default_pod_spec(&mut self.template.spec);
    }
}

/// Defaults a pod spec wherever it appears: a Pod, a PodTemplate, or a controller's template.
pub(crate) fn default_pod_spec(spec: &mut PodSpec) {
    if spec.dns_policy.is_empty() {
        spec.dns_policy = DNS_CLUSTER_FIRST.to_string();
    }
    if spec.restart_policy.is_empty() {
        spec.restart_policy = RESTART_ALWAYS.to_string();
    }
    spec.security_context.get_or_insert_with(Default::default);
    spec.termination_grace_period_seconds.get_or_insert(TERMINATION_GRACE_PERIOD_SECONDS);
    if spec.scheduler_name.is_empty() {
        spec.scheduler_name = DEFAULT_SCHEDULER.to_string();
    }
    align_service_account_fields(spec);
    spec.volumes.iter_mut().for_each(default_volume);
    spec.init_containers.iter_mut().for_each(default_container);
    spec.containers.iter_mut().for_each(default_container);
    for ephemeral in &mut spec.ephemeral_containers {
        default_container(&mut ephemeral.common);
    }
    round_up_to_millis(&mut spec.overhead);
    if let Some(resources) = &mut spec.resources {
        round_requirements(resources);
    }
}

/// `serviceAccount` is the deprecated spelling of `serviceAccountName`. Upstream reconciles
/// the two while converting to and from its internal version, which every write goes through:
/// the new field wins when both are set, and the old one is then rewritten to match.
fn align_service_account_fields(spec: &mut PodSpec) {
    if spec.service_account_name.is_empty() {
        spec.service_account_name = spec.service_account.clone();
    }
    spec.service_account = spec.service_account_name.clone();
}

/// The defaults that apply to Pods but not to pod templates.
fn default_pod_only_fields(spec: &mut PodSpec) {
    for container in spec.containers.iter_mut().chain(&mut spec.init_containers) {
        request_at_least_the_limits(&mut container.resources);
    }
    spec.enable_service_links.get_or_insert(true);
    if spec.host_network {
        for container in spec.containers.iter_mut().chain(&mut spec.init_containers) {
            expose_ports_on_host(container);
        }
    }
}

/// A container that states only limits requests exactly its limits.
fn request_at_least_the_limits(resources: &mut ResourceRequirements) {
    for (resource, limit) in &resources.limits {
        resources.requests.entry(resource.clone()).or_insert_with(|| limit.clone());
    }
}

/// On the host's network a container port is a host port, so it is recorded as one.
fn expose_ports_on_host(container: &mut Container) {
    for port in &mut container.ports {
        if port.host_port == 0 {
            port.host_port = port.container_port;
        }
    }
}

/// Status holds resource lists too (what the kubelet allocated and applied); they are rounded
/// like any other.
fn default_pod_status(status: &mut PodStatus) {
    round_up_to_millis(&mut status.allocated_resources);
    if let Some(resources) = &mut status.resources {
        round_requirements(resources);
    }
    let statuses = status
        .init_container_statuses
        .iter_mut()
        .chain(&mut status.container_statuses)
        .chain(&mut status.ephemeral_container_statuses);
    for container in statuses {
        round_up_to_millis(&mut container.allocated_resources);
        if let Some(resources) = &mut container.resources {
            round_requirements(resources);
        }
    }
}

fn round_requirements(resources: &mut ResourceRequirements) {
    round_up_to_millis(&mut resources.limits);
    round_up_to_millis(&mut resources.requests);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::test_support::{defaulted, defaulted_wire};
    use serde_json::{Value, json};

    fn pod(spec: Value) -> Value {
        defaulted_wire::<Pod>(json!({"metadata": {"name": "p"}, "spec": spec}))
    }

    #[test]
    fn minimal_pod_gets_every_spec_and_container_default() {
        let wire = pod(json!({"containers": [
            {"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}]}
        ]}));
        assert_eq!(
            wire["spec"],
            json!({
                "containers": [{
                    "name": "nginx",
                    "image": "nginx",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "imagePullPolicy": "Always"
                }],
                "restartPolicy": "Always",
                "terminationGracePeriodSeconds": 30,
                "dnsPolicy": "ClusterFirst",
                "securityContext": {},
                "schedulerName": "default-scheduler",
                "enableServiceLinks": true
            })
        );
    }

    #[test]
    fn explicit_spec_values_are_kept() {
        let spec = json!({
            "containers": [{
                "name": "app",
                "image": "app:v1",
                "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "imagePullPolicy": "IfNotPresent"
            }],
            "restartPolicy": "Never",
            "terminationGracePeriodSeconds": 0,
            "dnsPolicy": "Default",
            "serviceAccountName": "builder",
            "serviceAccount": "builder",
            "securityContext": {"runAsUser": 1000},
            "schedulerName": "batch-scheduler",
            "enableServiceLinks": false
        });
        assert_eq!(pod(spec.clone())["spec"], spec);
    }

    #[test]
    fn service_account_fields_are_aligned_new_name_winning() {
        let accounts = |spec: Value| {
            let wire = pod(spec);
            (wire["spec"]["serviceAccountName"].clone(), wire["spec"]["serviceAccount"].clone())
        };
        let containers = json!([{"name": "c", "image": "c"}]);
        assert_eq!(
            accounts(json!({"containers": containers, "serviceAccount": "old"})),
            (json!("old"), json!("old"))
        );
        assert_eq!(
            accounts(json!({"containers": containers, "serviceAccountName": "new"})),
            (json!("new"), json!("new"))
        );
        assert_eq!(
            accounts(
                json!({"containers": containers, "serviceAccountName": "new", "serviceAccount": "old"})
            ),
            (json!("new"), json!("new"))
        );
        assert_eq!(accounts(json!({"containers": containers})), (Value::Null, Value::Null));
    }

    #[test]
    fn pod_requests_default_to_limits() {
        let wire = pod(json!({
            "initContainers": [{"name": "init", "image": "busybox", "resources": {"limits": {"cpu": "100m"}}}],
            "containers": [{"name": "app", "image": "app", "resources": {
                "limits": {"cpu": "500m", "memory": "128Mi"},
                "requests": {"cpu": "250m"}
            }}]
        }));
        assert_eq!(
            wire["spec"]["containers"][0]["resources"],
            json!({"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m", "memory": "128Mi"}})
        );
        assert_eq!(
            wire["spec"]["initContainers"][0]["resources"],
            json!({"limits": {"cpu": "100m"}, "requests": {"cpu": "100m"}})
        );
    }

    #[test]
    fn host_network_pods_expose_container_ports_on_the_host() {
        let wire = pod(json!({
            "hostNetwork": true,
            "initContainers": [{"name": "init", "image": "i", "ports": [{"containerPort": 9000}]}],
            "containers": [{"name": "app", "image": "a", "ports": [
                {"containerPort": 8080},
                {"containerPort": 8443, "hostPort": 443}
            ]}]
        }));
        let host_ports = |containers: &Value| -> Vec<Value> {
            containers[0]["ports"]
                .as_array()
                .unwrap()
                .iter()
                .map(|port| port["hostPort"].clone())
                .collect()
        };
        assert_eq!(host_ports(&wire["spec"]["containers"]), [json!(8080), json!(443)]);
        assert_eq!(host_ports(&wire["spec"]["initContainers"]), [json!(9000)]);

        let pod_network = pod(json!({"containers": [
            {"name": "app", "image": "a", "ports": [{"containerPort": 8080}]}
        ]}));
        assert_eq!(host_ports(&pod_network["spec"]["containers"]), [Value::Null]);
    }

    #[test]
    fn every_kind_of_container_and_volume_is_walked() {
        let wire = pod(json!({
            "volumes": [{"name": "scratch"}, {"name": "cfg", "configMap": {"name": "cfg"}}],
            "initContainers": [{"name": "init", "image": "busybox:1.36"}],
            "containers": [{"name": "app", "image": "app"}],
            "ephemeralContainers": [{"name": "debug", "image": "busybox", "targetContainerName": "app"}]
        }));
        let spec = &wire["spec"];
        assert_eq!(spec["volumes"][0]["emptyDir"], json!({}));
        assert_eq!(spec["volumes"][1]["configMap"]["defaultMode"], 420);
        assert_eq!(spec["initContainers"][0]["imagePullPolicy"], "IfNotPresent");
        assert_eq!(spec["containers"][0]["imagePullPolicy"], "Always");
        assert_eq!(spec["ephemeralContainers"][0]["imagePullPolicy"], "Always");
        assert_eq!(spec["ephemeralContainers"][0]["terminationMessagePolicy"], "File");
    }

    #[test]
    fn resource_lists_in_spec_and_status_are_rounded() {
        let defaulted: Pod = defaulted(json!({
            "metadata": {"name": "p"},
            "spec": {
                "containers": [{"name": "c", "image": "c", "resources": {"requests": {"cpu": "0.0001"}}}],
                "overhead": {"cpu": "1u"},
                "resources": {"limits": {"cpu": "1.0001"}}
            },
            "status": {"containerStatuses": [{
                "name": "c",
                "ready": true,
                "restartCount": 0,
                "image": "c",
                "imageID": "",
                "allocatedResources": {"cpu": "0.0001"}
            }]}
        }));
        assert_eq!(defaulted.spec.containers[0].resources.requests["cpu"].to_string(), "1m");
        assert_eq!(defaulted.spec.overhead["cpu"].to_string(), "1m");
        assert_eq!(defaulted.spec.resources.unwrap().limits["cpu"].to_string(), "1001m");
        assert_eq!(
            defaulted.status.container_statuses[0].allocated_resources["cpu"].to_string(),
            "1m"
        );
    }

    #[test]
    fn templates_get_spec_defaults_but_not_pod_only_ones() {
        let wire = defaulted_wire::<PodTemplate>(json!({
            "metadata": {"name": "t"},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "hostNetwork": true,
                    "containers": [{
                        "name": "web",
                        "image": "nginx",
                        "ports": [{"containerPort": 80}],
                        "resources": {"limits": {"cpu": "1"}}
                    }]
                }
            }
        }));
        let spec = &wire["template"]["spec"];
        assert_eq!(spec["restartPolicy"], "Always");
        assert_eq!(spec["schedulerName"], "default-scheduler");
        assert_eq!(spec["containers"][0]["imagePullPolicy"], "Always");
        assert_eq!(spec.get("enableServiceLinks"), None);
        assert_eq!(spec["containers"][0]["ports"][0].get("hostPort"), None);
        assert_eq!(spec["containers"][0]["resources"], json!({"limits": {"cpu": "1"}}));
    }

    #[test]
    fn priority_is_not_a_default() {
        // Priority comes from the Priority admission plugin, not the defaulter.
        let wire = pod(json!({"containers": [{"name": "c", "image": "c"}]}));
        assert_eq!(wire["spec"].get("priority"), None);
        assert_eq!(wire["spec"].get("preemptionPolicy"), None);
    }
}
