//! Container defaults: how the image is pulled, where the termination message is read from,
//! the protocol of each port, and the timing of each probe. Init, regular and ephemeral
//! containers all get them, in pods and in pod templates alike.

use super::service::PROTOCOL_TCP;
use crate::api::core::v1::{
    Container, EnvVar, HTTPGetAction, LifecycleHandler, ObjectFieldSelector, Probe,
};
use crate::defaults::pull_policy::default_image_pull_policy;
use crate::defaults::resource_list::round_up_to_millis;

/// Where the kubelet reads a container's termination message unless told otherwise.
const TERMINATION_MESSAGE_PATH: &str = "/dev/termination-log";
/// Read the termination message from the file only (not the log tail).
const TERMINATION_MESSAGE_FROM_FILE: &str = "File";
/// The API version field selectors are read against when they name none.
const FIELD_SELECTOR_API_VERSION: &str = "v1";
/// Probe timing when unset: a one-second timeout, every ten seconds, one success to pass and
/// three failures to fail.
const PROBE_TIMEOUT_SECONDS: i32 = 1;
const PROBE_PERIOD_SECONDS: i32 = 10;
const PROBE_SUCCESS_THRESHOLD: i32 = 1;
const PROBE_FAILURE_THRESHOLD: i32 = 3;
/// What an HTTP probe or hook requests when it names no path or scheme.
const HTTP_GET_PATH: &str = "/";
const HTTP_GET_SCHEME: &str = "HTTP";

/// Defaults one container, wherever it appears.
pub(crate) fn default_container(container: &mut Container) {
    if container.image_pull_policy.is_empty() {
        container.image_pull_policy = default_image_pull_policy(&container.image).to_string();
    }
    if container.termination_message_path.is_empty() {
        container.termination_message_path = TERMINATION_MESSAGE_PATH.to_string();
    }
    if container.termination_message_policy.is_empty() {
        container.termination_message_policy = TERMINATION_MESSAGE_FROM_FILE.to_string();
    }
    for port in &mut container.ports {
        if port.protocol.is_empty() {
            port.protocol = PROTOCOL_TCP.to_string();
        }
    }
    container.env.iter_mut().for_each(default_env_var);
    round_up_to_millis(&mut container.resources.limits);
    round_up_to_millis(&mut container.resources.requests);
    let probes = [
        &mut container.liveness_probe,
        &mut container.readiness_probe,
        &mut container.startup_probe,
    ];
    probes.into_iter().flatten().for_each(default_probe);
    if let Some(lifecycle) = &mut container.lifecycle {
        [&mut lifecycle.post_start, &mut lifecycle.pre_stop]
            .into_iter()
            .flatten()
            .for_each(default_lifecycle_handler);
    }
}

fn default_env_var(env: &mut EnvVar) {
    if let Some(field_ref) = env.value_from.as_mut().and_then(|source| source.field_ref.as_mut()) {
        default_field_selector(field_ref);
    }
}

/// A field selector (`metadata.name`, `status.podIP`) reads the v1 pod unless it says otherwise.
pub(crate) fn default_field_selector(selector: &mut ObjectFieldSelector) {
    if selector.api_version.is_empty() {
        selector.api_version = FIELD_SELECTOR_API_VERSION.to_string();
    }
}

fn default_probe(probe: &mut Probe) {
    for (value, default) in [
        (&mut probe.timeout_seconds, PROBE_TIMEOUT_SECONDS),
        (&mut probe.period_seconds, PROBE_PERIOD_SECONDS),
        (&mut probe.success_threshold, PROBE_SUCCESS_THRESHOLD),
        (&mut probe.failure_threshold, PROBE_FAILURE_THRESHOLD),
    ] {
        if *value == 0 {
            *value = default;
        }
    }
    if let Some(http_get) = &mut probe.handler.http_get {
        default_http_get(http_get);
    }
    // A gRPC probe without a service name checks the server's overall health: the empty name.
    if let Some(grpc) = &mut probe.handler.grpc {
        grpc.service.get_or_insert_with(String::new);
    }
}

fn default_lifecycle_handler(handler: &mut LifecycleHandler) {
    if let Some(http_get) = &mut handler.http_get {
        default_http_get(http_get);
    }
}

fn default_http_get(action: &mut HTTPGetAction) {
    if action.path.is_empty() {
        action.path = HTTP_GET_PATH.to_string();
    }
    if action.scheme.is_empty() {
        action.scheme = HTTP_GET_SCHEME.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn defaulted(container: Value) -> Value {
        let mut typed: Container = serde_json::from_value(container).unwrap();
        default_container(&mut typed);
        let mut again = typed.clone();
        default_container(&mut again);
        assert_eq!(again, typed, "defaulting twice changed the container");
        serde_json::to_value(typed).unwrap()
    }

    #[test]
    fn bare_container_gets_pull_policy_and_termination_message_defaults() {
        assert_eq!(
            defaulted(json!({"name": "web", "image": "nginx"})),
            json!({
                "name": "web",
                "image": "nginx",
                "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "imagePullPolicy": "Always"
            })
        );
        let pinned = defaulted(json!({"name": "web", "image": "nginx:1.7.9"}));
        assert_eq!(pinned["imagePullPolicy"], "IfNotPresent");
    }

    #[test]
    fn ports_env_probes_and_hooks_are_defaulted() {
        let probe = json!({"httpGet": {"port": 8080}});
        let container = defaulted(json!({
            "name": "web",
            "image": "nginx:1.25",
            "ports": [{"containerPort": 80}, {"containerPort": 53, "protocol": "UDP"}],
            "env": [
                {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                {"name": "PLAIN", "value": "x"}
            ],
            "livenessProbe": probe,
            "readinessProbe": {"tcpSocket": {"port": 8080}},
            "startupProbe": {"grpc": {"port": 9090}},
            "lifecycle": {
                "postStart": {"httpGet": {"port": 8080, "path": "/started"}},
                "preStop": {"exec": {"command": ["drain"]}}
            }
        }));
        assert_eq!(
            container["ports"],
            json!([
                {"containerPort": 80, "protocol": "TCP"},
                {"containerPort": 53, "protocol": "UDP"}
            ])
        );
        assert_eq!(
            container["env"][0]["valueFrom"]["fieldRef"],
            json!({"apiVersion": "v1", "fieldPath": "metadata.name"})
        );
        assert_eq!(
            container["livenessProbe"],
            json!({
                "httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"},
                "timeoutSeconds": 1,
                "periodSeconds": 10,
                "successThreshold": 1,
                "failureThreshold": 3
            })
        );
        assert_eq!(container["readinessProbe"]["periodSeconds"], 10);
        assert_eq!(container["startupProbe"]["grpc"], json!({"port": 9090, "service": ""}));
        assert_eq!(
            container["lifecycle"]["postStart"]["httpGet"],
            json!({"path": "/started", "port": 8080, "scheme": "HTTP"})
        );
        assert_eq!(container["lifecycle"]["preStop"], json!({"exec": {"command": ["drain"]}}));
    }

    #[test]
    fn explicit_values_are_kept() {
        let container = json!({
            "name": "web",
            "image": "nginx",
            "imagePullPolicy": "Never",
            "terminationMessagePath": "/tmp/msg",
            "terminationMessagePolicy": "FallbackToLogsOnError",
            "ports": [{"containerPort": 80, "protocol": "SCTP"}],
            "env": [{"name": "V", "valueFrom": {"fieldRef": {"apiVersion": "v2", "fieldPath": "x"}}}],
            "resources": {"limits": {"cpu": "500m"}, "requests": {"memory": "64Mi"}},
            "livenessProbe": {
                "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTPS"},
                "timeoutSeconds": 5,
                "periodSeconds": 20,
                "successThreshold": 2,
                "failureThreshold": 7
            },
            "startupProbe": {
                "grpc": {"port": 9090, "service": "liveness"},
                "timeoutSeconds": 2,
                "periodSeconds": 3,
                "successThreshold": 1,
                "failureThreshold": 30
            }
        });
        assert_eq!(defaulted(container.clone()), container);
    }

    #[test]
    fn container_resources_are_rounded_but_requests_are_not_invented() {
        // Copying limits into requests is a Pod-only default; a bare container keeps what it has.
        let container = defaulted(json!({
            "name": "web",
            "image": "nginx",
            "resources": {"limits": {"cpu": "0.0001"}}
        }));
        assert_eq!(container["resources"], json!({"limits": {"cpu": "1m"}}));
    }
}
