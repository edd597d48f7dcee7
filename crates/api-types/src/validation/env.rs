//! A container's environment (`env`, `envFrom`) and the downward-API selectors it shares with
//! volumes: variable names, exactly one value source, and only the pod fields and container
//! resources the kubelet knows how to expose.

use super::common::{invalid_each, validate_qualified_name};
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::names::{config_map_key_errors, env_var_name_errors, name_is_dns_subdomain};
use crate::api::core::v1::{
    ConfigMapEnvSource, EnvFromSource, EnvVar, ObjectFieldSelector, ResourceFieldSelector,
    SecretEnvSource,
};

/// Pod fields an environment variable may take its value from (sorted, as upstream lists them).
pub(crate) const ENV_FIELD_PATHS: [&str; 9] = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// Pod fields a downward-API volume file may hold (sorted).
pub(crate) const VOLUME_FIELD_PATHS: [&str; 5] = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
];

/// Container resources the downward API exposes (sorted); huge pages are accepted by prefix.
const RESOURCE_FIELD_PATHS: [&str; 6] = [
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
];
const HUGE_PAGES_FIELD_PREFIXES: [&str; 2] = ["limits.hugepages-", "requests.hugepages-"];

/// Field labels the v1 pod accepts at all, before the per-use allow list applies.
const CONVERTIBLE_FIELD_LABELS: [&str; 14] = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "spec.schedulerName",
    "status.phase",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

const MEMORY_DIVISORS: [&str; 13] =
    ["1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei"];
const MEMORY_DIVISORS_TEXT: &str = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei";

/// `env`: names, and where each value comes from.
pub(crate) fn validate_env(variables: &[EnvVar], path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    for (index, variable) in variables.iter().enumerate() {
        let entry_path = path.index(index);
        let name_path = entry_path.child("name");
        if variable.name.is_empty() {
            errors.push(FieldError::required(&name_path, ""));
        } else {
            errors.append(invalid_each(
                &name_path,
                &variable.name,
                env_var_name_errors(&variable.name),
            ));
        }
        errors.append(validate_value_from(variable, &entry_path.child("valueFrom")));
    }
    errors
}

/// `valueFrom` names exactly one source, and excludes a literal `value`.
fn validate_value_from(variable: &EnvVar, path: &FieldPath) -> ErrorList {
    let Some(source) = &variable.value_from else {
        return ErrorList::new();
    };
    let mut errors = ErrorList::new();
    let mut sources = 0;
    if let Some(selector) = &source.field_ref {
        sources += 1;
        errors.append(validate_object_field_selector(
            selector,
            &ENV_FIELD_PATHS,
            &path.child("fieldRef"),
        ));
    }
    if let Some(selector) = &source.resource_field_ref {
        sources += 1;
        errors.append(validate_resource_field_selector(
            selector,
            false,
            &path.child("resourceFieldRef"),
        ));
    }
    if let Some(selector) = &source.config_map_key_ref {
        sources += 1;
        errors.append(validate_key_selector(
            &selector.local_object_reference.name,
            &selector.key,
            &path.child("configMapKeyRef"),
        ));
    }
    if let Some(selector) = &source.secret_key_ref {
        sources += 1;
        errors.append(validate_key_selector(
            &selector.local_object_reference.name,
            &selector.key,
            &path.child("secretKeyRef"),
        ));
    }
    if sources == 0 {
        errors.push(FieldError::invalid(
            path,
            "",
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        ));
    } else if !variable.value.is_empty() {
        errors.push(FieldError::invalid(
            path,
            "",
            "may not be specified when `value` is not empty",
        ));
    } else if sources > 1 {
        errors.push(FieldError::invalid(
            path,
            "",
            "may not have more than one field specified at a time",
        ));
    }
    errors
}

/// One key of a ConfigMap or Secret: a valid object name (checked even when empty, as upstream
/// does) and a valid key.
fn validate_key_selector(name: &str, key: &str, path: &FieldPath) -> ErrorList {
    let mut errors = invalid_each(&path.child("name"), name, name_is_dns_subdomain(name, false));
    let key_path = path.child("key");
    if key.is_empty() {
        errors.push(FieldError::required(&key_path, ""));
    } else {
        errors.append(invalid_each(&key_path, key, config_map_key_errors(key)));
    }
    errors
}

/// A pod field reference: a v1 field label, subscripted only for labels and annotations, and one
/// of `allowed` otherwise.
pub(crate) fn validate_object_field_selector(
    selector: &ObjectFieldSelector,
    allowed: &[&str],
    path: &FieldPath,
) -> ErrorList {
    if selector.api_version.is_empty() {
        return FieldError::required(&path.child("apiVersion"), "").into();
    }
    let field_path = path.child("fieldPath");
    if selector.field_path.is_empty() {
        return FieldError::required(&field_path, "").into();
    }
    let internal = match convert_field_label(&selector.api_version, &selector.field_path) {
        Ok(internal) => internal,
        Err(message) => {
            return FieldError::invalid(
                &field_path,
                &selector.field_path,
                format!("error converting fieldPath: {message}"),
            )
            .into();
        }
    };
    match split_subscript(&internal) {
        Some(("metadata.annotations", key)) => validate_qualified_name(&key.to_lowercase(), path),
        Some(("metadata.labels", key)) => validate_qualified_name(key, path),
        Some((field, _)) => FieldError::invalid(path, field, "does not support subscript").into(),
        None if !allowed.contains(&internal.as_str()) => {
            FieldError::not_supported(&field_path, &internal, allowed).into()
        }
        None => ErrorList::new(),
    }
}

/// Upstream's conversion of a v1 downward-API field label to the internal one.
fn convert_field_label(api_version: &str, label: &str) -> Result<String, String> {
    if api_version != "v1" {
        return Err(format!("unsupported pod version: {api_version}"));
    }
    if let Some((field, _)) = split_subscript(label) {
        return match field {
            "metadata.annotations" | "metadata.labels" => Ok(label.to_string()),
            _ => Err(format!("field label does not support subscript: {label}")),
        };
    }
    if CONVERTIBLE_FIELD_LABELS.contains(&label) {
        Ok(label.to_string())
    } else if label == "spec.host" {
        Ok("spec.nodeName".to_string())
    } else {
        Err(format!("field label not supported: {label}"))
    }
}

/// `metadata.labels['app']` into the field and the subscript.
fn split_subscript(label: &str) -> Option<(&str, &str)> {
    let inner = label.strip_suffix("']")?;
    let (field, key) = inner.split_once("['")?;
    (!field.is_empty()).then_some((field, key))
}

/// A container resource reference: the resource and, for volumes, the container it belongs to;
/// a divisor, when set, must suit the resource.
pub(crate) fn validate_resource_field_selector(
    selector: &ResourceFieldSelector,
    in_volume: bool,
    path: &FieldPath,
) -> ErrorList {
    let mut errors = ErrorList::new();
    let resource = selector.resource.as_str();
    if in_volume && selector.container_name.is_empty() {
        errors.push(FieldError::required(&path.child("containerName"), ""));
    } else if resource.is_empty() {
        errors.push(FieldError::required(&path.child("resource"), ""));
    } else if !RESOURCE_FIELD_PATHS.contains(&resource)
        && !HUGE_PAGES_FIELD_PREFIXES.iter().any(|prefix| resource.starts_with(prefix))
    {
        errors.push(FieldError::not_supported(
            &path.child("resource"),
            resource,
            &RESOURCE_FIELD_PATHS,
        ));
    }
    errors.append(validate_divisor(selector, &path.child("divisor")));
    errors
}

fn validate_divisor(selector: &ResourceFieldSelector, path: &FieldPath) -> ErrorList {
    if selector.divisor.is_zero() {
        return ErrorList::new();
    }
    let resource = selector.resource.as_str();
    let divisor = selector.divisor.to_string();
    let memory_like = |kind: &str| {
        (!MEMORY_DIVISORS.contains(&divisor.as_str())).then(|| {
            format!("only divisor's values {MEMORY_DIVISORS_TEXT} are supported with the {kind}")
        })
    };
    let mut errors = ErrorList::new();
    let problem = match resource {
        "limits.cpu" | "requests.cpu" => (!["1m", "1"].contains(&divisor.as_str())).then(|| {
            "only divisor's values 1m and 1 are supported with the cpu resource".to_string()
        }),
        "limits.memory" | "requests.memory" => memory_like("memory resource"),
        "limits.ephemeral-storage" | "requests.ephemeral-storage" => {
            memory_like("local ephemeral storage resource")
        }
        _ => None,
    };
    if let Some(message) = problem {
        errors.push(FieldError::invalid(path, resource, message));
    }
    if HUGE_PAGES_FIELD_PREFIXES.iter().any(|prefix| resource.starts_with(prefix))
        && let Some(message) = memory_like("hugepages resource")
    {
        errors.push(FieldError::invalid(path, resource, message));
    }
    errors
}

/// `envFrom`: an optional variable-name prefix and exactly one of a ConfigMap or a Secret. As
/// upstream, a missing or doubled source is reported at `envFrom` itself.
pub(crate) fn validate_env_from(sources: &[EnvFromSource], path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    for (index, source) in sources.iter().enumerate() {
        let entry_path = path.index(index);
        if !source.prefix.is_empty() {
            errors.append(invalid_each(
                &entry_path.child("prefix"),
                &source.prefix,
                env_var_name_errors(&source.prefix),
            ));
        }
        let mut count = 0;
        if let Some(ConfigMapEnvSource { local_object_reference, .. }) = &source.config_map_ref {
            count += 1;
            errors.append(validate_env_source_name(
                &local_object_reference.name,
                &entry_path.child("configMapRef"),
            ));
        }
        if let Some(SecretEnvSource { local_object_reference, .. }) = &source.secret_ref {
            count += 1;
            errors.append(validate_env_source_name(
                &local_object_reference.name,
                &entry_path.child("secretRef"),
            ));
        }
        if count == 0 {
            errors.push(FieldError::invalid(
                path,
                "",
                "must specify one of: `configMapRef` or `secretRef`",
            ));
        } else if count > 1 {
            errors.push(FieldError::invalid(
                path,
                "",
                "may not have more than one field specified at a time",
            ));
        }
    }
    errors
}

/// The ConfigMap or Secret an `envFrom` entry imports (checked as a name prefix, as upstream).
fn validate_env_source_name(name: &str, path: &FieldPath) -> ErrorList {
    let name_path = path.child("name");
    if name.is_empty() {
        FieldError::required(&name_path, "").into()
    } else {
        invalid_each(&name_path, name, name_is_dns_subdomain(name, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::v1::{
        ConfigMapKeySelector, EnvVarSource, LocalObjectReference, SecretKeySelector,
    };
    use crate::validation::ErrorType;

    fn env_path() -> FieldPath {
        FieldPath::new("spec").child("containers").index(0).child("env")
    }

    fn from_field(field_path: &str) -> EnvVar {
        EnvVar {
            name: "POD_FIELD".into(),
            value: String::new(),
            value_from: Some(EnvVarSource {
                field_ref: Some(ObjectFieldSelector {
                    api_version: "v1".into(),
                    field_path: field_path.into(),
                }),
                ..Default::default()
            }),
        }
    }

    fn secret_key(name: &str, key: &str) -> Option<SecretKeySelector> {
        Some(SecretKeySelector {
            local_object_reference: LocalObjectReference { name: name.into() },
            key: key.into(),
            optional: None,
        })
    }

    #[test]
    fn names_follow_the_environment_variable_rule() {
        let variables = [
            EnvVar { name: "GET_HOSTS_FROM".into(), value: "env".into(), value_from: None },
            EnvVar { name: "1ABC".into(), ..Default::default() },
            EnvVar::default(),
        ];
        let errors = validate_env(&variables, &env_path());
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, "spec.containers[0].env[1].name");
        assert!(errors[0].detail.starts_with(
            "a valid environment variable name must consist of alphabetic characters"
        ));
        assert_eq!(errors[1].field, "spec.containers[0].env[2].name");
        assert_eq!(errors[1].kind, ErrorType::Required);
    }

    #[test]
    fn supported_field_paths_pass() {
        for field in [
            "metadata.name",
            "metadata.namespace",
            "metadata.uid",
            "spec.nodeName",
            "spec.serviceAccountName",
            "status.hostIP",
            "status.podIP",
            "status.podIPs",
            "metadata.labels['app']",
            "metadata.annotations['example.com/x']",
            "spec.host",
        ] {
            assert!(validate_env(&[from_field(field)], &env_path()).is_empty(), "{field}");
        }
    }

    #[test]
    fn unsupported_field_paths_are_listed() {
        let errors = validate_env(&[from_field("status.phase")], &env_path());
        assert_eq!(
            errors[0].to_string(),
            r#"spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs""#
        );
        let errors = validate_env(&[from_field("metadata.labels")], &env_path());
        assert_eq!(errors[0].kind, ErrorType::NotSupported);
        let errors = validate_env(&[from_field("spec.bogus")], &env_path());
        assert_eq!(
            errors[0].detail,
            "error converting fieldPath: field label not supported: spec.bogus"
        );
        let errors = validate_env(&[from_field("metadata.name['x']")], &env_path());
        assert_eq!(
            errors[0].detail,
            "error converting fieldPath: field label does not support subscript: metadata.name['x']"
        );
        let errors = validate_env(&[from_field("metadata.labels['-bad']")], &env_path());
        assert_eq!(errors[0].field, "spec.containers[0].env[0].valueFrom.fieldRef");
    }

    #[test]
    fn field_selector_needs_api_version() {
        let mut variable = from_field("metadata.name");
        if let Some(source) = &mut variable.value_from
            && let Some(selector) = &mut source.field_ref
        {
            selector.api_version.clear();
        }
        let errors = validate_env(&[variable], &env_path());
        assert_eq!(errors[0].field, "spec.containers[0].env[0].valueFrom.fieldRef.apiVersion");
        assert_eq!(errors[0].kind, ErrorType::Required);
    }

    #[test]
    fn value_from_needs_exactly_one_source_and_no_value() {
        let none = EnvVar {
            name: "A".into(),
            value: String::new(),
            value_from: Some(EnvVarSource::default()),
        };
        let errors = validate_env(&[none], &env_path());
        assert_eq!(
            errors[0].to_string(),
            "spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"
        );
        let two = EnvVar {
            name: "A".into(),
            value: String::new(),
            value_from: Some(EnvVarSource {
                secret_key_ref: secret_key("creds", "password"),
                config_map_key_ref: Some(ConfigMapKeySelector {
                    local_object_reference: LocalObjectReference { name: "cfg".into() },
                    key: "k".into(),
                    optional: None,
                }),
                ..Default::default()
            }),
        };
        let errors = validate_env(std::slice::from_ref(&two), &env_path());
        assert_eq!(errors[0].detail, "may not have more than one field specified at a time");
        let mut with_value = two;
        with_value.value = "literal".into();
        let errors = validate_env(&[with_value], &env_path());
        assert_eq!(errors[0].detail, "may not be specified when `value` is not empty");
    }

    #[test]
    fn key_selectors_need_valid_names_and_keys() {
        let variable = EnvVar {
            name: "PASSWORD".into(),
            value: String::new(),
            value_from: Some(EnvVarSource {
                secret_key_ref: secret_key("", "bad/key"),
                ..Default::default()
            }),
        };
        let errors = validate_env(&[variable], &env_path());
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "spec.containers[0].env[0].valueFrom.secretKeyRef.name",
                "spec.containers[0].env[0].valueFrom.secretKeyRef.key",
            ]
        );
        assert!(errors[1].detail.starts_with("a valid config key must consist"));
    }

    #[test]
    fn resource_field_selectors() {
        let selector = ResourceFieldSelector {
            container_name: String::new(),
            resource: "limits.cpu".into(),
            divisor: "1Mi".parse().unwrap(),
        };
        let path = FieldPath::new("x");
        let errors = validate_resource_field_selector(&selector, false, &path);
        assert_eq!(
            errors[0].to_string(),
            r#"x.divisor: Invalid value: "limits.cpu": only divisor's values 1m and 1 are supported with the cpu resource"#
        );
        let errors = validate_resource_field_selector(&selector, true, &path);
        assert_eq!(errors[0].field, "x.containerName");
        let unknown = ResourceFieldSelector { resource: "limits.gpu".into(), ..Default::default() };
        let errors = validate_resource_field_selector(&unknown, false, &path);
        assert_eq!(errors[0].kind, ErrorType::NotSupported);
        let huge_pages = ResourceFieldSelector {
            resource: "limits.hugepages-2Mi".into(),
            divisor: "1Mi".parse().unwrap(),
            ..Default::default()
        };
        assert!(validate_resource_field_selector(&huge_pages, false, &path).is_empty());
    }

    #[test]
    fn env_from_needs_one_named_source() {
        let path = FieldPath::new("spec").child("containers").index(0).child("envFrom");
        let sources = [
            EnvFromSource {
                prefix: "1_".into(),
                config_map_ref: Some(ConfigMapEnvSource::default()),
                secret_ref: None,
            },
            EnvFromSource::default(),
        ];
        let errors = validate_env_from(&sources, &path);
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "spec.containers[0].envFrom[0].prefix",
                "spec.containers[0].envFrom[0].configMapRef.name",
                "spec.containers[0].envFrom",
            ]
        );
        assert_eq!(errors[2].detail, "must specify one of: `configMapRef` or `secretRef`");
    }
}
