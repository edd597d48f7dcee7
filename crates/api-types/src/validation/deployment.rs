//! apps/v1 Deployments: the ReplicaSet rules for selector and template, plus the rollout
//! strategy (a rolling update must be able to make progress: surge and unavailability may not
//! both be zero) and the history and deadline settings.

use super::Validate;
use super::common::validate_nonnegative;
use super::errors::{ErrorList, FieldError};
use super::field_path::FieldPath;
use super::int_or_percent::{
    int_or_percent_value, validate_not_more_than_100_percent, validate_positive_int_or_percent,
};
use super::replica_set::validate_replicated_template;
use super::workload_selector::{validate_apps_controller, validate_apps_controller_update};
use crate::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment,
};
use crate::intstr::IntOrString;

impl Validate for Deployment {
    fn validate(&self) -> ErrorList {
        validate_apps_controller(
            &self.metadata,
            validate_deployment_spec(&self.spec, &FieldPath::new("spec")),
        )
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        validate_apps_controller_update(
            (&self.metadata, &old.metadata),
            validate_deployment_spec(&self.spec, &FieldPath::new("spec")),
            (self.spec.selector.as_ref(), old.spec.selector.as_ref()),
        )
    }
}

fn validate_deployment_spec(spec: &DeploymentSpec, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    if let Some(replicas) = spec.replicas {
        errors.append(validate_nonnegative(i64::from(replicas), &path.child("replicas")));
    }
    errors.append(validate_replicated_template(spec.selector.as_ref(), &spec.template, path));
    errors.append(validate_strategy(&spec.strategy, &path.child("strategy")));
    errors.append(validate_nonnegative(
        i64::from(spec.min_ready_seconds),
        &path.child("minReadySeconds"),
    ));
    if let Some(limit) = spec.revision_history_limit {
        errors.append(validate_nonnegative(i64::from(limit), &path.child("revisionHistoryLimit")));
    }
    if let Some(deadline) = spec.progress_deadline_seconds {
        let deadline_path = path.child("progressDeadlineSeconds");
        errors.append(validate_nonnegative(i64::from(deadline), &deadline_path));
        if deadline <= spec.min_ready_seconds {
            errors.push(FieldError::invalid(
                &deadline_path,
                deadline,
                "must be greater than minReadySeconds",
            ));
        }
    }
    errors
}

fn validate_strategy(strategy: &DeploymentStrategy, path: &FieldPath) -> ErrorList {
    let rolling_path = path.child("rollingUpdate");
    match (strategy.type_.as_str(), &strategy.rolling_update) {
        ("Recreate", Some(_)) => FieldError::forbidden(
            &rolling_path,
            "may not be specified when strategy `type` is 'Recreate'",
        )
        .into(),
        ("Recreate", None) => ErrorList::new(),
        ("RollingUpdate", None) => {
            FieldError::required(&rolling_path, "this should be defaulted and never be nil").into()
        }
        ("RollingUpdate", Some(rolling)) => validate_rolling_update(rolling, &rolling_path),
        _ => FieldError::not_supported(path, strategy, &["Recreate", "RollingUpdate"]).into(),
    }
}

/// Budgets left unset count as zero here; defaulting sets both to 25%.
fn validate_rolling_update(rolling: &RollingUpdateDeployment, path: &FieldPath) -> ErrorList {
    let zero = IntOrString::Int(0);
    let unavailable = rolling.max_unavailable.as_ref().unwrap_or(&zero);
    let surge = rolling.max_surge.as_ref().unwrap_or(&zero);
    let unavailable_path = path.child("maxUnavailable");
    let mut errors = validate_positive_int_or_percent(unavailable, &unavailable_path);
    errors.append(validate_positive_int_or_percent(surge, &path.child("maxSurge")));
    if int_or_percent_value(unavailable) == 0 && int_or_percent_value(surge) == 0 {
        errors.push(FieldError::invalid(
            &unavailable_path,
            unavailable,
            "may not be 0 when `maxSurge` is 0",
        ));
    }
    errors.append(validate_not_more_than_100_percent(unavailable, &unavailable_path));
    errors
}
