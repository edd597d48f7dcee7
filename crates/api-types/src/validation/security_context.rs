//! Security settings of containers and pods: user and group IDs in range, known seccomp and
//! AppArmor profile types with their profile paths, settings that contradict each other, sysctl
//! names, and the pod's operating system.

use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::local_path::validate_local_descending_path;
use super::names::inclusive_range_message;
use crate::api::core::v1::{
    AppArmorProfile, PodSecurityContext, PodSpec, SeccompProfile, SecurityContext,
};
use std::collections::BTreeSet;

/// Linux user and group IDs are unsigned 32-bit numbers.
const MAX_ID: i64 = 0xffff_ffff;
const PROFILE_TYPES: [&str; 3] = ["Localhost", "RuntimeDefault", "Unconfined"];
const FS_GROUP_CHANGE_POLICIES: [&str; 2] = ["Always", "OnRootMismatch"];
const SE_LINUX_CHANGE_POLICIES: [&str; 2] = ["MountOption", "Recursive"];
const OPERATING_SYSTEMS: [&str; 2] = ["linux", "windows"];
/// Longest sysctl name, and the pattern upstream quotes for a malformed one.
const SYSCTL_MAX_LENGTH: usize = 253;
const SYSCTL_PATTERN: &str =
    r"^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$";
/// Longest AppArmor profile name (PATH_MAX - 1).
const APP_ARMOR_PROFILE_MAX_LENGTH: usize = 4095;

/// A user or group ID, when set, is an unsigned 32-bit number.
fn validate_id(id: Option<i64>, path: &FieldPath) -> ErrorList {
    match id {
        Some(id) if !(0..=MAX_ID).contains(&id) => {
            FieldError::invalid(path, id, inclusive_range_message(0, MAX_ID)).into()
        }
        _ => ErrorList::new(),
    }
}

/// A container's security context; `host_users` is whether the pod shares the host's user
/// namespace (the default).
pub(crate) fn validate_container_security_context(
    context: Option<&SecurityContext>,
    host_users: bool,
    path: &FieldPath,
) -> ErrorList {
    let Some(context) = context else {
        return ErrorList::new();
    };
    let mut errors = validate_id(context.run_as_user, &path.child("runAsUser"));
    errors.append(validate_id(context.run_as_group, &path.child("runAsGroup")));
    if let Some(proc_mount) = &context.proc_mount {
        let proc_path = path.child("procMount");
        if proc_mount != "Default" && proc_mount != "Unmasked" {
            errors.push(FieldError::not_supported(
                &proc_path,
                proc_mount,
                &["Default", "Unmasked"],
            ));
        }
        if host_users && proc_mount == "Unmasked" {
            errors.push(FieldError::invalid(
                &proc_path,
                proc_mount,
                "`hostUsers` must be false to use `Unmasked`",
            ));
        }
    }
    errors.append(validate_seccomp_profile(
        context.seccomp_profile.as_ref(),
        &path.child("seccompProfile"),
    ));
    if context.allow_privilege_escalation == Some(false) {
        if context.privileged == Some(true) {
            errors.push(FieldError::invalid(
                path,
                context,
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            ));
        }
        let adds_sys_admin = context
            .capabilities
            .as_ref()
            .is_some_and(|capabilities| capabilities.add.iter().any(|cap| cap == "CAP_SYS_ADMIN"));
        if adds_sys_admin {
            errors.push(FieldError::invalid(
                path,
                context,
                "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
            ));
        }
    }
    errors.append(validate_app_armor_profile(
        context.app_armor_profile.as_ref(),
        &path.child("appArmorProfile"),
    ));
    errors
}

/// The pod-level security settings. `spec_path` is the pod spec's path.
pub(crate) fn validate_pod_security(spec: &PodSpec, spec_path: &FieldPath) -> ErrorList {
    match &spec.security_context {
        Some(context) => {
            validate_pod_security_context(context, spec, &spec_path.child("securityContext"))
        }
        None => ErrorList::new(),
    }
}

/// A pod in its own user namespace (`hostUsers: false`) may not share the host's network, PID
/// or IPC namespace (reported, as upstream does, at `HostPID` and `HostIPC`).
pub(crate) fn validate_host_users(spec: &PodSpec, spec_path: &FieldPath) -> ErrorList {
    if spec.host_users != Some(false) {
        return ErrorList::new();
    }
    let shared = [
        ("hostNetwork", spec.host_network),
        ("HostPID", spec.host_pid),
        ("HostIPC", spec.host_ipc),
    ];
    shared
        .into_iter()
        .filter(|(_, shares)| *shares)
        .map(|(field, _)| {
            FieldError::forbidden(&spec_path.child(field), "when `pod.Spec.HostUsers` is false")
        })
        .collect()
}

fn validate_pod_security_context(
    context: &PodSecurityContext,
    spec: &PodSpec,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = validate_id(context.fs_group, &path.child("fsGroup"));
    errors.append(validate_id(context.run_as_user, &path.child("runAsUser")));
    errors.append(validate_id(context.run_as_group, &path.child("runAsGroup")));
    let groups_path = path.child("supplementalGroups");
    for (index, group) in context.supplemental_groups.iter().enumerate() {
        errors.append(validate_id(Some(*group), &groups_path.index(index)));
    }
    if spec.host_pid && spec.share_process_namespace == Some(true) {
        errors.push(FieldError::invalid(
            &path.child("shareProcessNamespace"),
            true,
            "ShareProcessNamespace and HostPID cannot both be enabled",
        ));
    }
    errors.append(validate_sysctls(context, spec, &path.child("sysctls")));
    if let Some(policy) = &context.fs_group_change_policy
        && !FS_GROUP_CHANGE_POLICIES.contains(&policy.as_str())
    {
        errors.push(FieldError::not_supported(
            &path.child("fsGroupChangePolicy"),
            policy,
            &FS_GROUP_CHANGE_POLICIES,
        ));
    }
    errors.append(validate_seccomp_profile(
        context.seccomp_profile.as_ref(),
        &path.child("seccompProfile"),
    ));
    errors.append(validate_app_armor_profile(
        context.app_armor_profile.as_ref(),
        &path.child("appArmorProfile"),
    ));
    if let Some(policy) = &context.se_linux_change_policy
        && !SE_LINUX_CHANGE_POLICIES.contains(&policy.as_str())
    {
        errors.push(FieldError::not_supported(
            &path.child("seLinuxChangePolicy"),
            policy,
            &SE_LINUX_CHANGE_POLICIES,
        ));
    }
    errors
}

/// Sysctl names are dotted (or slashed) lowercase segments, each set once; a namespaced sysctl
/// may not be set on a pod that shares that namespace with the host.
fn validate_sysctls(context: &PodSecurityContext, spec: &PodSpec, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for (index, sysctl) in context.sysctls.iter().enumerate() {
        let name_path = path.index(index).child("name");
        let name = sysctl.name.as_str();
        if name.is_empty() {
            errors.push(FieldError::required(&name_path, ""));
        } else if !is_sysctl_name(name) {
            errors.push(FieldError::invalid(
                &name_path,
                name,
                format!(
                    "must have at most {SYSCTL_MAX_LENGTH} characters and match regex {SYSCTL_PATTERN}"
                ),
            ));
        } else if names.contains(name) {
            errors.push(FieldError::duplicate(&name_path, name));
        }
        let normalized = name.replace('/', ".");
        if spec.host_network && normalized.starts_with("net.") {
            errors.push(FieldError::invalid(
                &name_path,
                name,
                "may not be specified when 'hostNetwork' is true",
            ));
        } else if spec.host_ipc && is_ipc_sysctl(&normalized) {
            errors.push(FieldError::invalid(
                &name_path,
                name,
                "may not be specified when 'hostIPC' is true",
            ));
        }
        names.insert(name);
    }
    errors
}

/// Sysctls that belong to the IPC namespace.
fn is_ipc_sysctl(name: &str) -> bool {
    ["kernel.shm", "kernel.msg", "kernel.sem", "fs.mqueue."]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

/// Segments of `[a-z0-9]([-_a-z0-9]*[a-z0-9])?` joined by `.` or `/`.
fn is_sysctl_name(name: &str) -> bool {
    let edge = |byte: u8| byte.is_ascii_lowercase() || byte.is_ascii_digit();
    name.len() <= SYSCTL_MAX_LENGTH
        && name.split(['.', '/']).all(|segment| match segment.as_bytes() {
            [] => false,
            [only] => edge(*only),
            [first, middle @ .., last] => {
                edge(*first)
                    && edge(*last)
                    && middle.iter().all(|byte| edge(*byte) || *byte == b'-' || *byte == b'_')
            }
        })
}

/// A seccomp profile: a known type, and a local profile path exactly when the type is
/// `Localhost`.
fn validate_seccomp_profile(profile: Option<&SeccompProfile>, path: &FieldPath) -> ErrorList {
    let Some(profile) = profile else {
        return ErrorList::new();
    };
    let mut errors = ErrorList::new();
    let type_path = path.child("type");
    match profile.type_.as_str() {
        "Localhost" | "RuntimeDefault" | "Unconfined" => {}
        "" => errors
            .push(FieldError::required(&type_path, "type is required when seccompProfile is set")),
        other => errors.push(FieldError::not_supported(&type_path, other, &PROFILE_TYPES)),
    }
    let profile_path = path.child("localhostProfile");
    match (profile.type_.as_str(), &profile.localhost_profile) {
        ("Localhost", None) => errors.push(FieldError::required(
            &profile_path,
            "must be set when seccomp type is Localhost",
        )),
        ("Localhost", Some(local)) => {
            errors.append(validate_local_descending_path(local, &profile_path));
        }
        (_, Some(_)) => errors.push(FieldError::invalid(
            &profile_path,
            profile,
            "can only be set when seccomp type is Localhost",
        )),
        (_, None) => {}
    }
    errors
}

/// An AppArmor profile: a known type, and a non-blank, unpadded local profile name exactly when
/// the type is `Localhost`.
fn validate_app_armor_profile(profile: Option<&AppArmorProfile>, path: &FieldPath) -> ErrorList {
    let Some(profile) = profile else {
        return ErrorList::new();
    };
    let mut errors = ErrorList::new();
    let profile_path = path.child("localhostProfile");
    match profile.type_.as_str() {
        "Localhost" => match &profile.localhost_profile {
            None => errors.push(FieldError::required(
                &profile_path,
                "must be set when AppArmor type is Localhost",
            )),
            Some(local) => {
                if local.trim() != local {
                    errors.push(FieldError::invalid(
                        &profile_path,
                        local,
                        "must not be padded with whitespace",
                    ));
                } else if local.is_empty() {
                    errors.push(FieldError::required(
                        &profile_path,
                        "must be set when AppArmor type is Localhost",
                    ));
                }
                if local.len() > APP_ARMOR_PROFILE_MAX_LENGTH {
                    errors.push(FieldError::too_long(&profile_path, APP_ARMOR_PROFILE_MAX_LENGTH));
                }
            }
        },
        "RuntimeDefault" | "Unconfined" => {
            if let Some(local) = &profile.localhost_profile {
                errors.push(FieldError::invalid(
                    &profile_path,
                    local,
                    "can only be set when AppArmor type is Localhost",
                ));
            }
        }
        "" => errors.push(FieldError::required(
            &path.child("type"),
            "type is required when appArmorProfile is set",
        )),
        other => errors.push(FieldError::not_supported(&path.child("type"), other, &PROFILE_TYPES)),
    }
    errors
}

/// The pod's operating system: `linux` or `windows`; a Linux pod may not carry Windows options.
pub(crate) fn validate_os(spec: &PodSpec, spec_path: &FieldPath) -> ErrorList {
    let Some(os) = &spec.os else {
        return ErrorList::new();
    };
    let os_path = spec_path.child("os");
    if os.name.is_empty() {
        return FieldError::required(&os_path.child("name"), "cannot be empty").into();
    }
    if !OPERATING_SYSTEMS.contains(&os.name.as_str()) {
        return FieldError::not_supported(&os_path, &os.name, &OPERATING_SYSTEMS).into();
    }
    let mut errors = ErrorList::new();
    if os.name == "linux" {
        let forbidden = "windows options cannot be set for a linux pod";
        if spec.security_context.as_ref().is_some_and(|context| context.windows_options.is_some()) {
            errors.push(FieldError::forbidden(
                &spec_path.child("securityContext").child("windowsOptions"),
                forbidden,
            ));
        }
        let lists = [("initContainers", &spec.init_containers), ("containers", &spec.containers)];
        for (field, containers) in lists {
            for (index, container) in containers.iter().enumerate() {
                if container
                    .security_context
                    .as_ref()
                    .is_some_and(|context| context.windows_options.is_some())
                {
                    errors.push(FieldError::forbidden(
                        &spec_path
                            .child(field)
                            .index(index)
                            .child("securityContext")
                            .child("windowsOptions"),
                        forbidden,
                    ));
                }
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::{
        Capabilities, Container, PodOS, Sysctl, WindowsSecurityContextOptions,
    };
    use crate::validation::ErrorType;

    fn container_path() -> FieldPath {
        FieldPath::new("spec").child("containers").index(0).child("securityContext")
    }

    #[test]
    fn ids_are_unsigned_32_bit() {
        let context = SecurityContext {
            run_as_user: Some(-1),
            run_as_group: Some(MAX_ID + 1),
            ..Default::default()
        };
        let errors = validate_container_security_context(Some(&context), true, &container_path());
        assert_eq!(
            errors[0].to_string(),
            "spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 4294967295, inclusive"
        );
        assert_eq!(errors[1].field, "spec.containers[0].securityContext.runAsGroup");
    }

    #[test]
    fn privilege_settings_may_not_contradict() {
        let context = SecurityContext {
            privileged: Some(true),
            allow_privilege_escalation: Some(false),
            capabilities: Some(Capabilities {
                add: vec!["CAP_SYS_ADMIN".into()],
                drop: Vec::new(),
            }),
            proc_mount: Some("Unmasked".into()),
            ..Default::default()
        };
        let errors = validate_container_security_context(Some(&context), true, &container_path());
        let details: Vec<&str> = errors.iter().map(|error| error.detail.as_str()).collect();
        assert_eq!(
            details,
            [
                "`hostUsers` must be false to use `Unmasked`",
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
                "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
            ]
        );
    }

    #[test]
    fn seccomp_profiles() {
        let mut context = SecurityContext {
            seccomp_profile: Some(SeccompProfile {
                type_: "Localhost".into(),
                localhost_profile: None,
            }),
            ..Default::default()
        };
        let errors = validate_container_security_context(Some(&context), true, &container_path());
        assert_eq!(
            errors[0].to_string(),
            "spec.containers[0].securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost"
        );
        context.seccomp_profile = Some(SeccompProfile {
            type_: "Custom".into(),
            localhost_profile: Some("p.json".into()),
        });
        let errors = validate_container_security_context(Some(&context), true, &container_path());
        assert_eq!(errors[0].kind, ErrorType::NotSupported);
        assert_eq!(errors[1].detail, "can only be set when seccomp type is Localhost");
    }

    #[test]
    fn app_armor_profiles() {
        let context = SecurityContext {
            app_armor_profile: Some(AppArmorProfile {
                type_: "Localhost".into(),
                localhost_profile: Some(" padded".into()),
            }),
            ..Default::default()
        };
        let errors = validate_container_security_context(Some(&context), true, &container_path());
        assert_eq!(errors[0].detail, "must not be padded with whitespace");
        let missing_type = SecurityContext {
            app_armor_profile: Some(AppArmorProfile::default()),
            ..Default::default()
        };
        let errors =
            validate_container_security_context(Some(&missing_type), true, &container_path());
        assert_eq!(errors[0].field, "spec.containers[0].securityContext.appArmorProfile.type");
    }

    fn spec_with_context(context: PodSecurityContext) -> PodSpec {
        PodSpec { security_context: Some(context), ..Default::default() }
    }

    #[test]
    fn pod_context_ids_and_groups() {
        let spec = spec_with_context(PodSecurityContext {
            fs_group: Some(-5),
            supplemental_groups: vec![1000, -1],
            fs_group_change_policy: Some("Sometimes".into()),
            ..Default::default()
        });
        let errors = validate_pod_security(&spec, &FieldPath::new("spec"));
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "spec.securityContext.fsGroup",
                "spec.securityContext.supplementalGroups[1]",
                "spec.securityContext.fsGroupChangePolicy",
            ]
        );
    }

    #[test]
    fn sysctls() {
        assert!(is_sysctl_name("net.ipv4.ip_forward"));
        assert!(is_sysctl_name("kernel/shm_rmid_forced"));
        assert!(!is_sysctl_name("Net.ipv4"));
        assert!(!is_sysctl_name("net..x"));
        let sysctl = |name: &str| Sysctl { name: name.into(), value: "1".into() };
        let mut spec = spec_with_context(PodSecurityContext {
            sysctls: vec![
                sysctl("net.core.somaxconn"),
                sysctl("net.core.somaxconn"),
                sysctl("Bad"),
            ],
            ..Default::default()
        });
        spec.host_network = true;
        let errors = validate_pod_security(&spec, &FieldPath::new("spec"));
        let rendered: Vec<String> =
            errors.iter().map(|error| format!("{} {:?}", error.field, error.kind)).collect();
        assert_eq!(
            rendered,
            [
                "spec.securityContext.sysctls[0].name Invalid",
                "spec.securityContext.sysctls[1].name Duplicate",
                "spec.securityContext.sysctls[1].name Invalid",
                "spec.securityContext.sysctls[2].name Invalid",
            ]
        );
        assert_eq!(errors[0].detail, "may not be specified when 'hostNetwork' is true");
    }

    #[test]
    fn user_namespaces_exclude_host_namespaces() {
        let spec = PodSpec {
            host_users: Some(false),
            host_network: true,
            host_pid: true,
            ..Default::default()
        };
        let errors = validate_host_users(&spec, &FieldPath::new("spec"));
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["spec.hostNetwork", "spec.HostPID"]);
        assert_eq!(errors[0].detail, "when `pod.Spec.HostUsers` is false");
    }

    #[test]
    fn operating_system() {
        let mut spec = PodSpec { os: Some(PodOS { name: "plan9".into() }), ..Default::default() };
        let errors = validate_os(&spec, &FieldPath::new("spec"));
        assert_eq!(
            errors[0].to_string(),
            r#"spec.os: Unsupported value: "plan9": supported values: "linux", "windows""#
        );
        spec.os = Some(PodOS { name: "linux".into() });
        spec.containers = vec![Container {
            security_context: Some(SecurityContext {
                windows_options: Some(WindowsSecurityContextOptions::default()),
                ..Default::default()
            }),
            ..Default::default()
        }];
        let errors = validate_os(&spec, &FieldPath::new("spec"));
        assert_eq!(
            errors[0].to_string(),
            "spec.containers[0].securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod"
        );
        spec.os = Some(PodOS::default());
        assert_eq!(validate_os(&spec, &FieldPath::new("spec"))[0].field, "spec.os.name");
    }
}
