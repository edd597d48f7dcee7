//! Probes and lifecycle hooks: exactly one action each, actions that can actually be carried out
//! (a command, a valid port, a known scheme), and timings that make sense. Liveness and startup
//! probes must succeed once to count, so their success threshold is fixed at 1.

use super::common::{invalid_each, validate_nonnegative, validate_port_number_or_name};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::names::regex_message;
use crate::api::core::v1::{
    ExecAction, GRPCAction, HTTPGetAction, Lifecycle, LifecycleHandler, Probe, ProbeHandler,
    SleepAction, TCPSocketAction,
};
use crate::intstr::IntOrString;

const HTTP_SCHEMES: [&str; 2] = ["HTTP", "HTTPS"];

/// The kind of probe, which decides the extra rules on top of the common ones.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProbeKind {
    /// Restarts the container when it fails: must succeed once to count.
    Liveness,
    /// Takes the pod out of service when it fails; not used to kill the container.
    Readiness,
    /// Holds the other probes back until the container has started: must succeed once.
    Startup,
}

/// A probe of the given kind, if set. `grace_period` is the pod's termination grace period,
/// which bounds sleep actions.
pub(crate) fn validate_probe(
    probe: Option<&Probe>,
    kind: ProbeKind,
    grace_period: Option<i64>,
    path: &FieldPath,
) -> ErrorList {
    let Some(probe) = probe else {
        return ErrorList::new();
    };
    let mut errors = validate_handler(&Action::from_probe(&probe.handler), grace_period, path);
    let timings = [
        ("initialDelaySeconds", probe.initial_delay_seconds),
        ("timeoutSeconds", probe.timeout_seconds),
        ("periodSeconds", probe.period_seconds),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ];
    for (field, value) in timings {
        errors.append(validate_nonnegative(i64::from(value), &path.child(field)));
    }
    if let Some(seconds) = probe.termination_grace_period_seconds
        && seconds <= 0
    {
        errors.push(FieldError::invalid(
            &path.child("terminationGracePeriodSeconds"),
            seconds,
            "must be greater than 0",
        ));
    }
    match kind {
        ProbeKind::Liveness | ProbeKind::Startup if probe.success_threshold != 1 => {
            errors.push(FieldError::invalid(
                &path.child("successThreshold"),
                probe.success_threshold,
                "must be 1",
            ));
        }
        ProbeKind::Readiness => {
            if let Some(seconds) = probe.termination_grace_period_seconds {
                errors.push(FieldError::invalid(
                    &path.child("terminationGracePeriodSeconds"),
                    seconds,
                    "must not be set for readinessProbes",
                ));
            }
        }
        _ => {}
    }
    errors
}

/// `postStart` and `preStop`, each a single action.
pub(crate) fn validate_lifecycle(
    lifecycle: &Lifecycle,
    grace_period: Option<i64>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    if let Some(hook) = &lifecycle.post_start {
        errors.append(validate_handler(
            &Action::from_hook(hook),
            grace_period,
            &path.child("postStart"),
        ));
    }
    if let Some(hook) = &lifecycle.pre_stop {
        errors.append(validate_handler(
            &Action::from_hook(hook),
            grace_period,
            &path.child("preStop"),
        ));
    }
    errors
}

/// The actions a probe or hook may take; probes cannot sleep and hooks cannot call gRPC.
struct Action<'a> {
    exec: Option<&'a ExecAction>,
    http_get: Option<&'a HTTPGetAction>,
    tcp_socket: Option<&'a TCPSocketAction>,
    grpc: Option<&'a GRPCAction>,
    sleep: Option<&'a SleepAction>,
}

impl<'a> Action<'a> {
    fn from_probe(handler: &'a ProbeHandler) -> Self {
        Action {
            exec: handler.exec.as_ref(),
            http_get: handler.http_get.as_ref(),
            tcp_socket: handler.tcp_socket.as_ref(),
            grpc: handler.grpc.as_ref(),
            sleep: None,
        }
    }

    fn from_hook(handler: &'a LifecycleHandler) -> Self {
        Action {
            exec: handler.exec.as_ref(),
            http_get: handler.http_get.as_ref(),
            tcp_socket: handler.tcp_socket.as_ref(),
            grpc: None,
            sleep: handler.sleep.as_ref(),
        }
    }
}

/// Exactly one action: the first one set is checked, any further one is refused.
fn validate_handler(action: &Action<'_>, grace_period: Option<i64>, path: &FieldPath) -> ErrorList {
    let candidates = [
        ("exec", action.exec.map(|exec| validate_exec(exec, &path.child("exec")))),
        ("httpGet", action.http_get.map(|http| validate_http_get(http, &path.child("httpGet")))),
        (
            "tcpSocket",
            action.tcp_socket.map(|tcp| {
                validate_port_number_or_name(&tcp.port, &path.child("tcpSocket").child("port"))
            }),
        ),
        (
            "grpc",
            action.grpc.map(|grpc| {
                validate_port_number_or_name(
                    &IntOrString::Int(grpc.port),
                    &path.child("grpc").child("port"),
                )
            }),
        ),
        (
            "sleep",
            action.sleep.map(|sleep| validate_sleep(sleep, grace_period, &path.child("sleep"))),
        ),
    ];
    let mut errors = ErrorList::new();
    let mut present = false;
    for (field, findings) in candidates {
        let Some(findings) = findings else {
            continue;
        };
        if present {
            errors.push(FieldError::forbidden(
                &path.child(field),
                "may not specify more than 1 handler type",
            ));
        } else {
            present = true;
            errors.append(findings);
        }
    }
    if !present {
        errors.push(FieldError::required(path, "must specify a handler type"));
    }
    errors
}

fn validate_exec(exec: &ExecAction, path: &FieldPath) -> ErrorList {
    if exec.command.is_empty() {
        FieldError::required(&path.child("command"), "").into()
    } else {
        ErrorList::new()
    }
}

fn validate_http_get(http: &HTTPGetAction, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    if http.path.is_empty() {
        errors.push(FieldError::required(&path.child("path"), ""));
    }
    errors.append(validate_port_number_or_name(&http.port, &path.child("port")));
    if !HTTP_SCHEMES.contains(&http.scheme.as_str()) {
        errors.push(FieldError::not_supported(&path.child("scheme"), &http.scheme, &HTTP_SCHEMES));
    }
    // Upstream reports header names at `httpHeaders`, without the index.
    for header in &http.http_headers {
        errors.append(invalid_each(
            &path.child("httpHeaders"),
            &header.name,
            http_header_name_errors(&header.name),
        ));
    }
    errors
}

/// Header names as Go's HTTP library accepts them: letters, digits and `-`.
fn http_header_name_errors(name: &str) -> Vec<String> {
    let valid =
        !name.is_empty() && name.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-');
    if valid {
        Vec::new()
    } else {
        vec![regex_message(
            "a valid HTTP header must consist of alphanumeric characters or '-'",
            "[-A-Za-z0-9]+",
            &["X-Header-Name"],
        )]
    }
}

/// A sleep must end before the pod's grace period does (zero is allowed, as upstream does with
/// its `PodLifecycleSleepActionAllowZero` gate on by default).
fn validate_sleep(sleep: &SleepAction, grace_period: Option<i64>, path: &FieldPath) -> ErrorList {
    match grace_period {
        Some(grace) if sleep.seconds < 0 || sleep.seconds > grace => FieldError::invalid(
            path,
            sleep.seconds,
            format!("must be non-negative and less than terminationGracePeriodSeconds ({grace})"),
        )
        .into(),
        _ => ErrorList::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::HTTPHeader;
    use crate::validation::ErrorType;

    fn probe_path() -> FieldPath {
        FieldPath::new("spec").child("containers").index(0).child("livenessProbe")
    }

    fn http_probe() -> Probe {
        Probe {
            handler: ProbeHandler {
                http_get: Some(HTTPGetAction {
                    path: "/healthz".into(),
                    port: IntOrString::Int(8080),
                    scheme: "HTTP".into(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            timeout_seconds: 1,
            period_seconds: 10,
            success_threshold: 1,
            failure_threshold: 3,
            ..Default::default()
        }
    }

    #[test]
    fn a_defaulted_http_probe_is_valid() {
        let probe = http_probe();
        for kind in [ProbeKind::Liveness, ProbeKind::Readiness, ProbeKind::Startup] {
            assert!(validate_probe(Some(&probe), kind, Some(30), &probe_path()).is_empty());
        }
    }

    #[test]
    fn exactly_one_handler() {
        let mut none = http_probe();
        none.handler = ProbeHandler::default();
        let errors = validate_probe(Some(&none), ProbeKind::Liveness, Some(30), &probe_path());
        assert_eq!(
            errors[0].to_string(),
            "spec.containers[0].livenessProbe: Required value: must specify a handler type"
        );
        let mut two = http_probe();
        two.handler.exec = Some(ExecAction { command: vec!["true".into()] });
        let errors = validate_probe(Some(&two), ProbeKind::Liveness, Some(30), &probe_path());
        assert_eq!(
            errors[0].to_string(),
            "spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type"
        );
    }

    #[test]
    fn http_get_needs_valid_port_and_scheme() {
        let mut probe = http_probe();
        probe.handler.http_get = Some(HTTPGetAction {
            path: String::new(),
            port: IntOrString::Int(0),
            scheme: "FTP".into(),
            http_headers: vec![HTTPHeader { name: "Bad Header".into(), value: "x".into() }],
            host: String::new(),
        });
        let errors = validate_probe(Some(&probe), ProbeKind::Readiness, Some(30), &probe_path());
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "spec.containers[0].livenessProbe.httpGet.path",
                "spec.containers[0].livenessProbe.httpGet.port",
                "spec.containers[0].livenessProbe.httpGet.scheme",
                "spec.containers[0].livenessProbe.httpGet.httpHeaders",
            ]
        );
        assert_eq!(errors[1].detail, "must be between 1 and 65535, inclusive");
    }

    #[test]
    fn success_threshold_is_one_for_liveness_and_startup() {
        let mut probe = http_probe();
        probe.success_threshold = 2;
        for kind in [ProbeKind::Liveness, ProbeKind::Startup] {
            let errors = validate_probe(Some(&probe), kind, Some(30), &probe_path());
            assert_eq!(
                errors[0].to_string(),
                "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"
            );
        }
        assert!(
            validate_probe(Some(&probe), ProbeKind::Readiness, Some(30), &probe_path()).is_empty()
        );
    }

    #[test]
    fn timings_may_not_be_negative() {
        let mut probe = http_probe();
        probe.period_seconds = -1;
        probe.termination_grace_period_seconds = Some(0);
        let errors = validate_probe(Some(&probe), ProbeKind::Readiness, Some(30), &probe_path());
        let details: Vec<&str> = errors.iter().map(|error| error.detail.as_str()).collect();
        assert_eq!(
            details,
            [
                "must be greater than or equal to 0",
                "must be greater than 0",
                "must not be set for readinessProbes",
            ]
        );
    }

    #[test]
    fn tcp_and_grpc_ports() {
        let mut probe = http_probe();
        probe.handler = ProbeHandler {
            tcp_socket: Some(TCPSocketAction {
                port: IntOrString::from("Not_A_Port"),
                host: String::new(),
            }),
            ..Default::default()
        };
        let errors = validate_probe(Some(&probe), ProbeKind::Liveness, Some(30), &probe_path());
        assert_eq!(errors[0].field, "spec.containers[0].livenessProbe.tcpSocket.port");
        probe.handler = ProbeHandler {
            grpc: Some(GRPCAction { port: 70000, service: None }),
            ..Default::default()
        };
        let errors = validate_probe(Some(&probe), ProbeKind::Liveness, Some(30), &probe_path());
        assert_eq!(errors[0].field, "spec.containers[0].livenessProbe.grpc.port");
    }

    #[test]
    fn lifecycle_hooks() {
        let path = FieldPath::new("spec").child("containers").index(0).child("lifecycle");
        let lifecycle = Lifecycle {
            post_start: Some(LifecycleHandler {
                exec: Some(ExecAction::default()),
                ..Default::default()
            }),
            pre_stop: Some(LifecycleHandler {
                sleep: Some(SleepAction { seconds: 60 }),
                ..Default::default()
            }),
            stop_signal: None,
        };
        let errors = validate_lifecycle(&lifecycle, Some(30), &path);
        assert_eq!(
            errors[0].to_string(),
            "spec.containers[0].lifecycle.postStart.exec.command: Required value"
        );
        assert_eq!(
            errors[1].to_string(),
            "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than terminationGracePeriodSeconds (30)"
        );
        let empty = Lifecycle { pre_stop: Some(LifecycleHandler::default()), ..Default::default() };
        assert_eq!(validate_lifecycle(&empty, Some(30), &path)[0].kind, ErrorType::Required);
    }
}
