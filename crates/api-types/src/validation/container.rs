//! A pod's containers (regular, init and ephemeral): unique DNS-label names, an image, ports the
//! node can actually bind, an environment, mounts of the pod's volumes, sane resources, and the
//! probes and hooks each kind of container may have.

use super::common::{invalid_each, validate_dns1123_label, validate_protocol};
use super::env::{validate_env, validate_env_from};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::names::{port_name_errors, port_number_errors};
use super::probe::{ProbeKind, validate_lifecycle, validate_probe};
use super::resource_requirements::validate_resource_requirements;
use super::security_context::validate_container_security_context;
use super::volume::VolumesByName;
use super::volume_mount::validate_container_mounts;
use crate::api::core::v1::{Container, ContainerPort, ContainerResizePolicy, EphemeralContainer};
use std::collections::BTreeSet;

const PULL_POLICIES: [&str; 3] = ["Always", "IfNotPresent", "Never"];
const TERMINATION_MESSAGE_POLICIES: [&str; 2] = ["File", "FallbackToLogsOnError"];
const RESIZE_RESOURCES: [&str; 2] = ["cpu", "memory"];
const RESIZE_POLICIES: [&str; 2] = ["NotRequired", "RestartContainer"];

/// What every container of a pod is checked against: the pod's valid volumes, the resource
/// claims it declares, its grace period (bounding sleep hooks), its restart policy and its user
/// namespace.
pub(crate) struct ContainerContext<'a> {
    /// The pod's volumes that passed validation, which mounts and devices must name.
    pub volumes: &'a VolumesByName<'a>,
    /// The names in the pod's `resourceClaims`, which resource claims must name.
    pub claim_names: &'a BTreeSet<&'a str>,
    /// The pod's `terminationGracePeriodSeconds`, bounding sleep hooks.
    pub grace_period: Option<i64>,
    /// The pod's `restartPolicy`, constraining resize policies.
    pub restart_policy: &'a str,
    /// Whether the pod shares the host's user namespace (`hostUsers` unset or true).
    pub host_users: bool,
}

/// `imagePullPolicy` (also of image volumes): required after defaulting, one of three values.
pub(crate) fn validate_pull_policy(policy: &str, path: &FieldPath) -> ErrorList {
    match policy {
        "Always" | "IfNotPresent" | "Never" => ErrorList::new(),
        "" => FieldError::required(path, "").into(),
        other => FieldError::not_supported(path, other, &PULL_POLICIES).into(),
    }
}

/// The rules every kind of container shares.
fn validate_container_common(
    container: &Container,
    context: &ContainerContext<'_>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let name_path = path.child("name");
    if container.name.is_empty() {
        errors.push(FieldError::required(&name_path, ""));
    } else {
        errors.append(validate_dns1123_label(&container.name, &name_path));
    }
    if container.image.is_empty() {
        errors.push(FieldError::required(&path.child("image"), ""));
    }
    let policy_path = path.child("terminationMessagePolicy");
    match container.termination_message_policy.as_str() {
        "File" | "FallbackToLogsOnError" => {}
        "" => errors.push(FieldError::required(&policy_path, "")),
        other => errors.push(FieldError::not_supported(
            &policy_path,
            other,
            &TERMINATION_MESSAGE_POLICIES,
        )),
    }
    errors.append(validate_container_ports(&container.ports, &path.child("ports")));
    errors.append(validate_env(&container.env, &path.child("env")));
    errors.append(validate_env_from(&container.env_from, &path.child("envFrom")));
    errors.append(validate_container_mounts(container, context.volumes, path));
    errors
        .append(validate_pull_policy(&container.image_pull_policy, &path.child("imagePullPolicy")));
    errors.append(validate_resource_requirements(
        &container.resources,
        context.claim_names,
        &path.child("resources"),
    ));
    errors.append(validate_resize_policy(
        &container.resize_policy,
        context.restart_policy,
        &path.child("resizePolicy"),
    ));
    errors.append(validate_container_security_context(
        container.security_context.as_ref(),
        context.host_users,
        &path.child("securityContext"),
    ));
    errors
}

/// Container ports: a number in range, a known protocol, and names (IANA service names, as
/// Services refer to them) unique within the container.
fn validate_container_ports(ports: &[ContainerPort], path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for (index, port) in ports.iter().enumerate() {
        let entry_path = path.index(index);
        if !port.name.is_empty() {
            let name_path = entry_path.child("name");
            let problems = port_name_errors(&port.name);
            if !problems.is_empty() {
                errors.append(invalid_each(&name_path, &port.name, problems));
            } else if !names.insert(&port.name) {
                errors.push(FieldError::duplicate(&name_path, &port.name));
            }
        }
        let container_port_path = entry_path.child("containerPort");
        if port.container_port == 0 {
            errors.push(FieldError::required(&container_port_path, ""));
        } else {
            for message in port_number_errors(i64::from(port.container_port)) {
                errors.push(FieldError::invalid(
                    &container_port_path,
                    port.container_port,
                    message,
                ));
            }
        }
        if port.host_port != 0 {
            for message in port_number_errors(i64::from(port.host_port)) {
                errors.push(FieldError::invalid(
                    &entry_path.child("hostPort"),
                    port.host_port,
                    message,
                ));
            }
        }
        let protocol_path = entry_path.child("protocol");
        errors.append(validate_protocol(&port.protocol, &protocol_path));
    }
    errors
}

/// How a running container is resized in place: once per resource, only cpu and memory, and
/// without restarts in pods that never restart.
fn validate_resize_policy(
    policies: &[ContainerResizePolicy],
    pod_restart_policy: &str,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (index, policy) in policies.iter().enumerate() {
        if !seen.insert(&policy.resource_name) {
            errors.push(FieldError::duplicate(&path.index(index), &policy.resource_name));
        }
        match policy.resource_name.as_str() {
            "cpu" | "memory" => {}
            "" => errors.push(FieldError::required(path, "")),
            other => errors.push(FieldError::not_supported(path, other, &RESIZE_RESOURCES)),
        }
        match policy.restart_policy.as_str() {
            "NotRequired" | "RestartContainer" => {}
            "" => errors.push(FieldError::required(path, "")),
            other => errors.push(FieldError::not_supported(path, other, &RESIZE_POLICIES)),
        }
        if pod_restart_policy == "Never" && policy.restart_policy != "NotRequired" {
            errors.push(FieldError::invalid(
                path,
                &policy.restart_policy,
                "must be 'NotRequired' when `restartPolicy` is 'Never'",
            ));
        }
    }
    errors
}

/// Two containers may not claim the same host port for the same protocol and address.
fn validate_host_port_conflicts<'a>(
    containers: impl IntoIterator<Item = &'a Container>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut claimed: BTreeSet<String> = BTreeSet::new();
    for (container_index, container) in containers.into_iter().enumerate() {
        let ports_path = path.index(container_index).child("ports");
        for (port_index, port) in container.ports.iter().enumerate() {
            if port.host_port == 0 {
                continue;
            }
            let key = format!("{}/{}/{}", port.protocol, port.host_ip, port.host_port);
            if claimed.contains(&key) {
                errors.push(FieldError::duplicate(
                    &ports_path.index(port_index).child("hostPort"),
                    &key,
                ));
            } else {
                claimed.insert(key);
            }
        }
    }
    errors
}

/// `containers`: at least one, names unique among them, probes and hooks allowed, no
/// per-container restart policy.
pub(crate) fn validate_containers(
    containers: &[Container],
    context: &ContainerContext<'_>,
    path: &FieldPath,
) -> ErrorList {
    if containers.is_empty() {
        return FieldError::required(path, "").into();
    }
    let mut errors = ErrorList::new();
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for (index, container) in containers.iter().enumerate() {
        let container_path = path.index(index);
        errors.append(validate_container_common(container, context, &container_path));
        if !names.insert(&container.name) {
            errors.push(FieldError::duplicate(&container_path.child("name"), &container.name));
        }
        errors.append(validate_probes_and_hooks(container, context, &container_path));
        if container.restart_policy.is_some() {
            errors.push(FieldError::forbidden(
                &container_path.child("restartPolicy"),
                "may not be set for non-init containers",
            ));
        }
    }
    errors.append(validate_host_port_conflicts(containers, path));
    errors
}

fn validate_probes_and_hooks(
    container: &Container,
    context: &ContainerContext<'_>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    if let Some(lifecycle) = &container.lifecycle {
        errors.append(validate_lifecycle(
            lifecycle,
            context.grace_period,
            &path.child("lifecycle"),
        ));
    }
    let probes = [
        ("livenessProbe", &container.liveness_probe, ProbeKind::Liveness),
        ("readinessProbe", &container.readiness_probe, ProbeKind::Readiness),
        ("startupProbe", &container.startup_probe, ProbeKind::Startup),
    ];
    for (field, probe, kind) in probes {
        errors.append(validate_probe(
            probe.as_ref(),
            kind,
            context.grace_period,
            &path.child(field),
        ));
    }
    errors
}

/// `initContainers`: names unique across init and regular containers; only sidecars
/// (`restartPolicy: Always`) may have probes and hooks. Each runs alone, so host ports are only
/// checked within one init container (and reported at index 0, as upstream does).
pub(crate) fn validate_init_containers(
    init_containers: &[Container],
    regular: &[Container],
    context: &ContainerContext<'_>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut names: BTreeSet<&str> =
        regular.iter().map(|container| container.name.as_str()).collect();
    for (index, container) in init_containers.iter().enumerate() {
        let container_path = path.index(index);
        errors.append(validate_container_common(container, context, &container_path));
        let mut sidecar = false;
        if let Some(policy) = &container.restart_policy {
            if policy == "Always" {
                sidecar = true;
            } else {
                errors.push(FieldError::not_supported(
                    &container_path.child("restartPolicy"),
                    policy,
                    &["Always"],
                ));
            }
        }
        if names.contains(container.name.as_str()) {
            errors.push(FieldError::duplicate(&container_path.child("name"), &container.name));
        } else if !container.name.is_empty() {
            names.insert(&container.name);
        }
        errors.append(validate_host_port_conflicts([container], path));
        if sidecar {
            errors.append(validate_probes_and_hooks(container, context, &container_path));
        } else {
            let not_for_init = [
                ("lifecycle", container.lifecycle.is_some()),
                ("livenessProbe", container.liveness_probe.is_some()),
                ("readinessProbe", container.readiness_probe.is_some()),
                ("startupProbe", container.startup_probe.is_some()),
            ];
            for (field, set) in not_for_init {
                if set {
                    errors.push(FieldError::forbidden(
                        &container_path.child(field),
                        "may not be set for init containers without restartPolicy=Always",
                    ));
                }
            }
        }
    }
    errors
}

/// `ephemeralContainers`: debugging containers that may not take part in the pod's service
/// (no ports, resources, probes or hooks), named uniquely across all containers and targeting an
/// existing regular or init container.
pub(crate) fn validate_ephemeral_containers(
    ephemeral: &[EphemeralContainer],
    regular: &[Container],
    init: &[Container],
    context: &ContainerContext<'_>,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let others: BTreeSet<&str> =
        regular.iter().chain(init).map(|container| container.name.as_str()).collect();
    let mut names = others.clone();
    for (index, container) in ephemeral.iter().enumerate() {
        let container_path = path.index(index);
        let common = &container.common;
        errors.append(validate_container_common(common, context, &container_path));
        errors.append(validate_image_whitespace(common, &container_path));
        if !names.insert(&common.name) {
            errors.push(FieldError::duplicate(&container_path.child("name"), &common.name));
        }
        if !container.target_container_name.is_empty()
            && !others.contains(container.target_container_name.as_str())
        {
            errors.push(FieldError::not_found(
                &container_path.child("targetContainerName"),
                &container.target_container_name,
            ));
        }
        let disallowed = [
            ("ports", !common.ports.is_empty()),
            ("resources", common.resources != Default::default()),
            ("resizePolicy", !common.resize_policy.is_empty()),
            ("restartPolicy", common.restart_policy.is_some()),
            ("restartPolicyRules", !common.restart_policy_rules.is_empty()),
            ("livenessProbe", common.liveness_probe.is_some()),
            ("readinessProbe", common.readiness_probe.is_some()),
            ("startupProbe", common.startup_probe.is_some()),
            ("lifecycle", common.lifecycle.is_some()),
        ];
        for (field, set) in disallowed {
            if set {
                errors.push(FieldError::forbidden(
                    &container_path.child(field),
                    "cannot be set for an Ephemeral Container",
                ));
            }
        }
        let mounts_path = container_path.child("volumeMounts");
        for (mount_index, mount) in common.volume_mounts.iter().enumerate() {
            for (field, value) in
                [("subPath", &mount.sub_path), ("subPathExpr", &mount.sub_path_expr)]
            {
                if !value.is_empty() {
                    errors.push(FieldError::forbidden(
                        &mounts_path.index(mount_index).child(field),
                        "cannot be set for an Ephemeral Container",
                    ));
                }
            }
        }
    }
    errors
}

/// A pod's own containers (not a template's) may not pad their image with whitespace.
pub(crate) fn validate_image_whitespace(container: &Container, path: &FieldPath) -> ErrorList {
    if container.image.trim() != container.image {
        FieldError::invalid(
            &path.child("image"),
            &container.image,
            "must not have leading or trailing whitespace",
        )
        .into()
    } else {
        ErrorList::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::{ExecAction, Lifecycle, LifecycleHandler, Probe, ProbeHandler};
    use crate::validation::ErrorType;

    fn containers_path() -> FieldPath {
        FieldPath::new("spec").child("containers")
    }

    fn container(name: &str) -> Container {
        Container {
            name: name.into(),
            image: "nginx".into(),
            image_pull_policy: "IfNotPresent".into(),
            termination_message_policy: "File".into(),
            ..Default::default()
        }
    }

    fn port(container_port: i32, host_port: i32) -> ContainerPort {
        ContainerPort { container_port, host_port, protocol: "TCP".into(), ..Default::default() }
    }

    /// Runs `check` in the context of a pod with no volumes or claims, a 30s grace period,
    /// `restartPolicy: Always` and the host's user namespace.
    fn in_plain_pod(check: impl FnOnce(&ContainerContext<'_>) -> ErrorList) -> ErrorList {
        let volumes = VolumesByName::new();
        let claims = BTreeSet::new();
        check(&ContainerContext {
            volumes: &volumes,
            claim_names: &claims,
            grace_period: Some(30),
            restart_policy: "Always",
            host_users: true,
        })
    }

    fn check(containers: &[Container]) -> ErrorList {
        in_plain_pod(|context| validate_containers(containers, context, &containers_path()))
    }

    fn check_init(init: &[Container], regular: &[Container]) -> ErrorList {
        let path = FieldPath::new("spec").child("initContainers");
        in_plain_pod(|context| validate_init_containers(init, regular, context, &path))
    }

    #[test]
    fn at_least_one_container() {
        assert_eq!(check(&[])[0].to_string(), "spec.containers: Required value");
        assert!(check(&[container("web")]).is_empty());
    }

    #[test]
    fn names_and_images() {
        let errors = check(&[
            container("web"),
            container("web"),
            container("Web_1"),
            Container { image: String::new(), ..container("") },
        ]);
        let rendered: Vec<String> =
            errors.iter().map(|error| format!("{} {:?}", error.field, error.kind)).collect();
        assert_eq!(
            rendered,
            [
                "spec.containers[1].name Duplicate",
                "spec.containers[2].name Invalid",
                "spec.containers[3].name Required",
                "spec.containers[3].image Required",
            ]
        );
    }

    #[test]
    fn defaulted_fields_are_required() {
        let bare = Container {
            name: "web".into(),
            image: "nginx".into(),
            ports: vec![ContainerPort { container_port: 80, ..Default::default() }],
            ..Default::default()
        };
        let errors = check(&[bare]);
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "spec.containers[0].terminationMessagePolicy",
                "spec.containers[0].ports[0].protocol",
                "spec.containers[0].imagePullPolicy",
            ]
        );
        assert!(errors.iter().all(|error| error.kind == ErrorType::Required));
    }

    #[test]
    fn enumerations_list_their_values() {
        let mut odd = container("web");
        odd.image_pull_policy = "Sometimes".into();
        odd.termination_message_policy = "Log".into();
        let errors = check(&[odd]);
        assert_eq!(
            errors[0].to_string(),
            r#"spec.containers[0].terminationMessagePolicy: Unsupported value: "Log": supported values: "File", "FallbackToLogsOnError""#
        );
        assert_eq!(
            errors[1].to_string(),
            r#"spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never""#
        );
    }

    #[test]
    fn port_numbers_protocols_and_names() {
        let mut web = container("web");
        web.ports = vec![
            port(0, 0),
            port(70000, -1),
            ContainerPort { name: "http".into(), protocol: "ICMP".into(), ..port(80, 0) },
            ContainerPort { name: "http".into(), ..port(81, 0) },
            ContainerPort { name: "HTTP--".into(), ..port(82, 0) },
        ];
        let errors = check(&[web]);
        let rendered: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            rendered,
            [
                "spec.containers[0].ports[0].containerPort: Required value",
                "spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.containers[0].ports[1].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive",
                r#"spec.containers[0].ports[2].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP""#,
                r#"spec.containers[0].ports[3].name: Duplicate value: "http""#,
                r#"spec.containers[0].ports[4].name: Invalid value: "HTTP--": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"#,
                r#"spec.containers[0].ports[4].name: Invalid value: "HTTP--": must contain at least one letter (a-z)"#,
                r#"spec.containers[0].ports[4].name: Invalid value: "HTTP--": must not contain consecutive hyphens"#,
                r#"spec.containers[0].ports[4].name: Invalid value: "HTTP--": must not begin or end with a hyphen"#,
            ]
        );
    }

    #[test]
    fn host_ports_may_not_collide_across_containers() {
        let mut first = container("a");
        first.ports = vec![port(80, 8080)];
        let mut second = container("b");
        second.ports = vec![port(81, 8080)];
        let errors = check(&[first, second]);
        assert_eq!(
            errors[0].to_string(),
            r#"spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080""#
        );
    }

    #[test]
    fn regular_containers_may_not_set_a_restart_policy() {
        let mut web = container("web");
        web.restart_policy = Some("Always".into());
        assert_eq!(check(&[web])[0].kind, ErrorType::Forbidden);
    }

    #[test]
    fn init_container_names_are_unique_across_lists() {
        let errors = check_init(
            &[container("web"), container("setup"), container("setup")],
            &[container("web")],
        );
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["spec.initContainers[0].name", "spec.initContainers[2].name"]);
        assert!(errors.iter().all(|error| error.kind == ErrorType::Duplicate));
    }

    #[test]
    fn only_sidecars_may_have_probes() {
        let probe = Probe {
            handler: ProbeHandler {
                exec: Some(ExecAction { command: vec!["true".into()] }),
                ..Default::default()
            },
            success_threshold: 1,
            ..Default::default()
        };
        let mut init = container("setup");
        init.liveness_probe = Some(probe.clone());
        init.lifecycle =
            Some(Lifecycle { post_start: Some(LifecycleHandler::default()), ..Default::default() });
        let errors = check_init(&[init.clone()], &[]);
        let rendered: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            rendered,
            [
                "spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always",
                "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
            ]
        );
        let mut sidecar = init;
        sidecar.restart_policy = Some("Always".into());
        let errors = check_init(&[sidecar.clone()], &[]);
        assert_eq!(errors[0].field, "spec.initContainers[0].lifecycle.postStart");
        sidecar.restart_policy = Some("OnFailure".into());
        let errors = check_init(&[sidecar], &[]);
        assert_eq!(errors[0].kind, ErrorType::NotSupported);
    }

    #[test]
    fn ephemeral_containers_may_not_serve() {
        let mut debugger = container("web");
        debugger.ports = vec![port(80, 0)];
        let ephemeral =
            [EphemeralContainer { common: debugger, target_container_name: "missing".into() }];
        let path = FieldPath::new("spec").child("ephemeralContainers");
        let errors = in_plain_pod(|context| {
            validate_ephemeral_containers(&ephemeral, &[container("web")], &[], context, &path)
        });
        let rendered: Vec<String> =
            errors.iter().map(|error| format!("{} {:?}", error.field, error.kind)).collect();
        assert_eq!(
            rendered,
            [
                "spec.ephemeralContainers[0].name Duplicate",
                "spec.ephemeralContainers[0].targetContainerName NotFound",
                "spec.ephemeralContainers[0].ports Forbidden",
            ]
        );
    }

    #[test]
    fn resize_policies() {
        let mut web = container("web");
        web.resize_policy = vec![
            ContainerResizePolicy {
                resource_name: "cpu".into(),
                restart_policy: "NotRequired".into(),
            },
            ContainerResizePolicy {
                resource_name: "cpu".into(),
                restart_policy: "Sometimes".into(),
            },
        ];
        let errors = check(&[web]);
        let kinds: Vec<ErrorType> = errors.iter().map(|error| error.kind).collect();
        assert_eq!(kinds, [ErrorType::Duplicate, ErrorType::NotSupported]);
        assert_eq!(errors[0].field, "spec.containers[0].resizePolicy[1]");
    }

    #[test]
    fn image_whitespace_is_refused_for_pods() {
        let mut padded = container("web");
        padded.image = " nginx".into();
        let errors = validate_image_whitespace(&padded, &containers_path().index(0));
        assert_eq!(
            errors[0].to_string(),
            r#"spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace"#
        );
    }
}
