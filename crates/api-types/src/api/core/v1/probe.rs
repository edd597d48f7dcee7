//! Health probes and lifecycle hooks: the actions the kubelet runs against a container (exec, HTTP
//! GET, TCP connect, gRPC health check, sleep) and when it runs them.

use crate::intstr::IntOrString;
use crate::serde_util::{is_zero, nullable};
use serde::{Deserialize, Serialize};

/// A liveness, readiness or startup check. The action fields sit inline next to the timings, as
/// upstream embeds `ProbeHandler`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Probe")]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    #[serde(flatten)]
    pub handler: ProbeHandler,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub initial_delay_seconds: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub timeout_seconds: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub period_seconds: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub success_threshold: i32,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub failure_threshold: i32,
    /// Overrides the pod's grace period when this probe's failure kills the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
}

/// The action of a probe; exactly one member is set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ProbeHandler")]
#[serde(rename_all = "camelCase")]
pub struct ProbeHandler {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_get: Option<HTTPGetAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp_socket: Option<TCPSocketAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc: Option<GRPCAction>,
}

/// Runs a command inside the container (not in a shell); exit status 0 means healthy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.ExecAction")]
#[serde(rename_all = "camelCase")]
pub struct ExecAction {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
}

/// An HTTP GET against the pod; any 2xx or 3xx answer means healthy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.HTTPGetAction")]
#[serde(rename_all = "camelCase")]
pub struct HTTPGetAction {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub path: String,
    /// A port number or the name of a container port.
    #[serde(default, deserialize_with = "nullable")]
    pub port: IntOrString,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub host: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub scheme: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub http_headers: Vec<HTTPHeader>,
}

/// One extra request header of an HTTP probe or hook.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.HTTPHeader")]
#[serde(rename_all = "camelCase")]
pub struct HTTPHeader {
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable")]
    pub value: String,
}

/// Opens a TCP connection; success means healthy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.TCPSocketAction")]
#[serde(rename_all = "camelCase")]
pub struct TCPSocketAction {
    #[serde(default, deserialize_with = "nullable")]
    pub port: IntOrString,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub host: String,
}

/// Calls the standard gRPC health-checking service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.GRPCAction")]
#[serde(rename_all = "camelCase")]
pub struct GRPCAction {
    #[serde(default, deserialize_with = "nullable")]
    pub port: i32,
    /// A pointer without `omitempty` upstream: written as `null` when unset.
    #[serde(default)]
    pub service: Option<String>,
}

/// Pauses for `seconds`, typically as a preStop hook so endpoints drain before shutdown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.SleepAction")]
#[serde(rename_all = "camelCase")]
pub struct SleepAction {
    #[serde(default, deserialize_with = "nullable")]
    pub seconds: i64,
}

/// Hooks the kubelet runs right after a container starts and right before it is stopped, and
/// the signal used to stop it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.Lifecycle")]
#[serde(rename_all = "camelCase")]
pub struct Lifecycle {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_start: Option<LifecycleHandler>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_stop: Option<LifecycleHandler>,
    /// A signal name such as `SIGTERM` or `SIGRTMIN+3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
}

/// The action of a lifecycle hook; `tcpSocket` is accepted for compatibility but never run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.api.core.v1.LifecycleHandler")]
#[serde(rename_all = "camelCase")]
pub struct LifecycleHandler {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_get: Option<HTTPGetAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp_socket: Option<TCPSocketAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sleep: Option<SleepAction>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire_test::assert_round_trip;
    use serde_json::json;

    #[test]
    fn handler_fields_sit_next_to_timings() {
        let wire = json!({
            "httpGet": {
                "path": "/healthz",
                "port": "http",
                "scheme": "HTTP",
                "httpHeaders": [{"name": "X-Probe", "value": "1"}]
            },
            "initialDelaySeconds": 5,
            "timeoutSeconds": 1,
            "periodSeconds": 10,
            "successThreshold": 1,
            "failureThreshold": 3,
            "terminationGracePeriodSeconds": 15
        });
        let probe: Probe = assert_round_trip(&wire);
        let get = probe.handler.http_get.as_ref().unwrap();
        assert_eq!(get.port, IntOrString::from("http"));
        assert_eq!(probe.period_seconds, 10);
    }

    #[test]
    fn grpc_service_is_written_as_null_when_unset() {
        let probe = Probe {
            handler: ProbeHandler {
                grpc: Some(GRPCAction { port: 9090, service: None }),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&probe).unwrap(),
            json!({"grpc": {"port": 9090, "service": null}})
        );
    }

    #[test]
    fn every_hook_action_round_trips() {
        let wire = json!({
            "postStart": {"exec": {"command": ["/bin/sh", "-c", "touch /ready"]}},
            "preStop": {"sleep": {"seconds": 5}},
            "stopSignal": "SIGUSR1"
        });
        let lifecycle: Lifecycle = assert_round_trip(&wire);
        assert_eq!(lifecycle.pre_stop.as_ref().unwrap().sleep.as_ref().unwrap().seconds, 5);

        let tcp = json!({"tcpSocket": {"port": 8080, "host": "127.0.0.1"}});
        let handler: LifecycleHandler = assert_round_trip(&tcp);
        assert_eq!(handler.tcp_socket.unwrap().port, IntOrString::Int(8080));
    }
}
