use super::{findings, messages, object, only};
use crate::api::core::v1::{ResourceQuota, ScopeSelector, ScopedResourceSelectorRequirement};
use crate::validation::core::validate_resource_quota_status_update;
use crate::validation::{ErrorType, Validate};
use serde_json::json;

fn quota() -> ResourceQuota {
    object(json!({
        "metadata": {"name": "compute", "namespace": "default", "resourceVersion": "8"},
        "spec": {"hard": {"pods": "10", "requests.cpu": "4", "count/deployments.apps": "5"}},
        "status": {"hard": {"pods": "10"}, "used": {"pods": "3"}}
    }))
}

fn requirement(scope: &str, operator: &str, values: &[&str]) -> ScopedResourceSelectorRequirement {
    ScopedResourceSelectorRequirement {
        scope_name: scope.into(),
        operator: operator.into(),
        values: values.iter().map(|value| value.to_string()).collect(),
    }
}

#[test]
fn a_quota_passes() {
    assert!(quota().validate().is_empty());
    assert!(quota().validate_update(&quota()).is_empty());
}

#[test]
fn hard_limits_name_quota_resources() {
    let mut quota = quota();
    quota.spec.hard.insert("storage".into(), "1Gi".parse().unwrap());
    assert_eq!(
        only(&quota.validate(), ErrorType::Invalid, "spec.hard[storage]"),
        r#"spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota"#
    );
}

#[test]
fn quantities_are_non_negative_and_counts_whole() {
    let mut quota = quota();
    quota.spec.hard.insert("pods".into(), "1.5".parse().unwrap());
    quota.spec.hard.insert("requests.cpu".into(), "-1".parse().unwrap());
    assert_eq!(
        messages(&quota.validate()),
        [
            r#"spec.hard[pods]: Invalid value: "1500m": must be an integer"#,
            r#"spec.hard[requests.cpu]: Invalid value: "-1": must be greater than or equal to 0"#,
        ]
    );
}

#[test]
fn status_is_checked_too() {
    let mut quota = quota();
    quota.status.used.insert("widgets".into(), "1".parse().unwrap());
    let errors = quota.validate();
    assert_eq!(
        findings(&errors),
        [
            (ErrorType::Invalid, "status.used[widgets]"),
            (ErrorType::Invalid, "status.used[widgets]"),
        ]
    );
    assert_eq!(errors[0].detail, "must be a standard resource type or fully qualified");
    assert_eq!(errors[1].detail, "must be a standard resource for quota");
}

#[test]
fn scopes_are_known_and_fit_the_resources() {
    let mut quota = quota();
    quota.spec.scopes = vec!["Sometimes".into()];
    assert_eq!(
        only(&quota.validate(), ErrorType::Invalid, "spec.scopes"),
        r#"spec.scopes: Invalid value: ["Sometimes"]: unsupported scope"#
    );
    let mut quota = self::quota();
    quota.spec.hard.insert("services".into(), "2".parse().unwrap());
    quota.spec.scopes = vec!["BestEffort".into()];
    assert_eq!(
        findings(&quota.validate()),
        [(ErrorType::Invalid, "spec.scopes"), (ErrorType::Invalid, "spec.scopes"),],
        "one per standard resource the scope cannot count (requests.cpu, services)"
    );
    assert_eq!(quota.validate()[0].detail, "unsupported scope applied to resource");
}

#[test]
fn scopes_may_not_conflict() {
    let mut quota = quota();
    quota.spec.hard.clear();
    quota.spec.scopes = vec!["Terminating".into(), "NotTerminating".into()];
    assert_eq!(
        only(&quota.validate(), ErrorType::Invalid, "spec.scopes"),
        r#"spec.scopes: Invalid value: ["Terminating","NotTerminating"]: conflicting scopes"#
    );
}

#[test]
fn scope_selector_expressions_are_well_formed() {
    let mut quota = quota();
    quota.spec.hard.clear();
    quota.spec.scope_selector = Some(ScopeSelector {
        match_expressions: vec![
            requirement("PriorityClass", "In", &[]),
            requirement("BestEffort", "In", &["x"]),
            requirement("Unknown", "Exists", &["x"]),
            requirement("PriorityClass", "Gt", &[]),
        ],
    });
    let path = "spec.scopeSelector.matchExpressions";
    assert_eq!(
        messages(&quota.validate()),
        [
            format!(
                "{path}.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"
            ),
            format!(
                r#"{path}.operator: Invalid value: "In": must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"#
            ),
            format!(r#"{path}.scopeName: Invalid value: "Unknown": unsupported scope"#),
            format!(
                r#"{path}.values: Invalid value: ["x"]: must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"#
            ),
            format!(r#"{path}.operator: Invalid value: "Gt": not a valid selector operator"#),
        ]
    );
}

#[test]
fn scope_selector_scopes_fit_and_do_not_conflict() {
    let mut quota = quota();
    quota.spec.scope_selector = Some(ScopeSelector {
        match_expressions: vec![
            requirement("BestEffort", "Exists", &[]),
            requirement("NotBestEffort", "Exists", &[]),
        ],
    });
    assert_eq!(
        findings(&quota.validate()),
        [
            (ErrorType::Invalid, "spec.scopeSelector.matchExpressions"),
            (ErrorType::Invalid, "spec.scopeSelector.matchExpressions"),
        ]
    );
    let errors = quota.validate();
    assert_eq!(
        errors[0].to_string(),
        r#"spec.scopeSelector.matchExpressions: Invalid value: {"MatchExpressions":[{"Operator":"Exists","ScopeName":"BestEffort","Values":null},{"Operator":"Exists","ScopeName":"NotBestEffort","Values":null}]}: unsupported scope applied to resource"#
    );
    assert_eq!(
        errors[1].to_string(),
        "spec.scopeSelector.matchExpressions: Invalid value: null: conflicting scopes"
    );
}

#[test]
fn scopes_are_immutable() {
    let old = quota();
    let mut new = quota();
    new.spec.scopes = vec!["NotTerminating".into()];
    assert_eq!(
        only(&new.validate_update(&old), ErrorType::Invalid, "spec.scopes"),
        r#"spec.scopes: Invalid value: ["NotTerminating"]: field is immutable"#
    );
    let mut reordered_old = quota();
    reordered_old.spec.scopes = vec!["NotTerminating".into(), "NotBestEffort".into()];
    let mut reordered_new = reordered_old.clone();
    reordered_new.spec.scopes.reverse();
    assert!(reordered_new.validate_update(&reordered_old).is_empty());
}

#[test]
fn status_updates_check_recorded_usage() {
    let old = quota();
    let mut new = quota();
    new.status.used.insert("pods".into(), "-1".parse().unwrap());
    only(
        &validate_resource_quota_status_update(&new, &old),
        ErrorType::Invalid,
        "status.used[pods]",
    );
}
