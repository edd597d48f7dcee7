//! apps/v1 DaemonSets: a selector matching the template, containers that restart, and an update
//! strategy that can make progress (exactly one of surge and unavailability non-zero).

use super::Validate;
use super::common::validate_nonnegative;
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::int_or_percent::{
    int_or_percent_value, validate_not_more_than_100_percent, validate_positive_int_or_percent,
};
use super::label_selector::{is_empty_selector, validate_label_selector};
use super::pod_template::{validate_always_restarts, validate_pod_template_spec};
use super::workload_selector::{validate_apps_controller, validate_apps_controller_update};
use crate::api::apps::v1::{
    DaemonSet, DaemonSetSpec, DaemonSetUpdateStrategy, RollingUpdateDaemonSet,
};
use crate::intstr::IntOrString;
use crate::labels::Selector;

impl Validate for DaemonSet {
    fn validate(&self) -> ErrorList {
        validate_apps_controller(
            &self.metadata,
            validate_daemon_set_spec(&self.spec, &FieldPath::new("spec")),
        )
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        validate_apps_controller_update(
            (&self.metadata, &old.metadata),
            validate_daemon_set_spec(&self.spec, &FieldPath::new("spec")),
            (self.spec.selector.as_ref(), old.spec.selector.as_ref()),
        )
    }
}

/// Unlike ReplicaSets, upstream has no `Required` for a missing selector here: a missing
/// selector matches nothing, so the template-labels check rejects it.
fn validate_daemon_set_spec(spec: &DaemonSetSpec, path: &FieldPath) -> ErrorList {
    let selector_path = path.child("selector");
    let template_path = path.child("template");
    let mut errors = validate_label_selector(spec.selector.as_ref(), &selector_path);
    if let Ok(matcher) = Selector::from_label_selector(spec.selector.as_ref())
        && !matcher.matches(&spec.template.metadata.labels)
    {
        errors.push(FieldError::invalid(
            &template_path.child("metadata").child("labels"),
            &spec.template.metadata.labels,
            "`selector` does not match template `labels`",
        ));
    }
    if let Some(selector) = &spec.selector
        && is_empty_selector(selector)
    {
        errors.push(FieldError::invalid(
            &selector_path,
            selector,
            "empty selector is invalid for daemonset",
        ));
    }
    errors.append(validate_pod_template_spec(&spec.template, &template_path));
    errors.append(validate_always_restarts(
        &spec.template,
        "DaemonSet",
        &template_path.child("spec"),
    ));
    errors.append(validate_nonnegative(
        i64::from(spec.min_ready_seconds),
        &path.child("minReadySeconds"),
    ));
    errors.append(validate_update_strategy(&spec.update_strategy, &path.child("updateStrategy")));
    if let Some(limit) = spec.revision_history_limit {
        errors.append(validate_nonnegative(i64::from(limit), &path.child("revisionHistoryLimit")));
    }
    errors
}

fn validate_update_strategy(strategy: &DaemonSetUpdateStrategy, path: &FieldPath) -> ErrorList {
    match (strategy.type_.as_str(), &strategy.rolling_update) {
        ("OnDelete", _) => ErrorList::new(),
        ("RollingUpdate", None) => FieldError::required(&path.child("rollingUpdate"), "").into(),
        ("RollingUpdate", Some(rolling)) => {
            validate_rolling_update(rolling, &path.child("rollingUpdate"))
        }
        _ => FieldError::not_supported(path, strategy, &["RollingUpdate", "OnDelete"]).into(),
    }
}

/// A daemon set either surges (starts the new pod first) or makes room (stops the old pod
/// first) on each node, never both and never neither.
fn validate_rolling_update(rolling: &RollingUpdateDaemonSet, path: &FieldPath) -> ErrorList {
    let zero = IntOrString::Int(0);
    let unavailable = rolling.max_unavailable.as_ref().unwrap_or(&zero);
    let surge = rolling.max_surge.as_ref().unwrap_or(&zero);
    let unavailable_path = path.child("maxUnavailable");
    let surge_path = path.child("maxSurge");
    let mut errors = validate_positive_int_or_percent(unavailable, &unavailable_path);
    errors.append(validate_positive_int_or_percent(surge, &surge_path));
    errors.append(validate_not_more_than_100_percent(unavailable, &unavailable_path));
    errors.append(validate_not_more_than_100_percent(surge, &surge_path));
    let has_unavailable = int_or_percent_value(unavailable) != 0;
    let has_surge = int_or_percent_value(surge) != 0;
    if has_unavailable && has_surge {
        errors.push(FieldError::invalid(
            &surge_path,
            surge,
            "may not be set when maxUnavailable is non-zero",
        ));
    } else if !has_unavailable && !has_surge {
        errors.push(FieldError::required(&unavailable_path, "cannot be 0 when maxSurge is 0"));
    }
    errors
}
