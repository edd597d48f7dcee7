use super::{findings, messages, object, only};
use crate::api::core::v1::{LimitRange, LimitRangeItem};
use crate::validation::{ErrorType, Validate};
use serde_json::{Value, json};

fn limit_range(limits: Value) -> LimitRange {
    object(json!({
        "metadata": {"name": "limits", "namespace": "default", "resourceVersion": "1"},
        "spec": {"limits": limits}
    }))
}

fn container_limits() -> LimitRange {
    limit_range(json!([{
        "type": "Container",
        "min": {"cpu": "100m", "memory": "64Mi"},
        "max": {"cpu": "2", "memory": "1Gi"},
        "default": {"cpu": "500m", "memory": "256Mi"},
        "defaultRequest": {"cpu": "200m", "memory": "128Mi"},
        "maxLimitRequestRatio": {"cpu": "4"}
    }]))
}

fn item(manifest: Value) -> LimitRangeItem {
    object(manifest)
}

#[test]
fn consistent_limits_pass() {
    assert!(container_limits().validate().is_empty());
    let claims = limit_range(json!([{"type": "PersistentVolumeClaim", "min": {"storage": "1Gi"}}]));
    assert!(claims.validate().is_empty());
    let pods = limit_range(json!([{"type": "Pod", "max": {"cpu": "4"}}]));
    assert!(pods.validate().is_empty());
    assert!(container_limits().validate_update(&container_limits()).is_empty());
}

#[test]
fn types_are_standard_or_qualified_and_unique() {
    let range = limit_range(json!([{"type": "Node"}]));
    assert_eq!(
        only(&range.validate(), ErrorType::Invalid, "spec.limits[0].type"),
        r#"spec.limits[0].type: Invalid value: "Node": must be a standard limit type or fully qualified"#
    );
    let range = limit_range(json!([{"type": "Container"}, {"type": "Container"}]));
    only(&range.validate(), ErrorType::Duplicate, "spec.limits[1].type");
}

#[test]
fn resource_names_fit_the_type() {
    let range = limit_range(json!([{"type": "Container", "max": {"storage": "1Gi"}}]));
    assert_eq!(
        only(&range.validate(), ErrorType::Invalid, "spec.limits[0].max[storage]"),
        r#"spec.limits[0].max[storage]: Invalid value: "storage": must be a standard resource for containers"#
    );
    let range = limit_range(
        json!([{"type": "PersistentVolumeClaim", "max": {"storage": "1Gi", "widgets": "1"}}]),
    );
    only(&range.validate(), ErrorType::Invalid, "spec.limits[0].max[widgets]");
}

#[test]
fn pods_take_no_defaults() {
    let range = limit_range(
        json!([{"type": "Pod", "default": {"cpu": "1"}, "defaultRequest": {"cpu": "1"}}]),
    );
    assert_eq!(
        messages(&range.validate()),
        [
            "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
            "spec.limits[0].defaultRequest: Forbidden: may not be specified when `type` is 'Pod'",
        ]
    );
}

#[test]
fn claims_need_a_storage_bound() {
    let range = limit_range(json!([{"type": "PersistentVolumeClaim"}]));
    assert_eq!(
        only(&range.validate(), ErrorType::Required, "spec.limits[0].limits"),
        "spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided"
    );
}

#[test]
fn min_may_not_exceed_max() {
    let mut range = container_limits();
    range.spec.limits[0] =
        item(json!({"type": "Container", "min": {"cpu": "2"}, "max": {"cpu": "1"}}));
    assert_eq!(
        only(&range.validate(), ErrorType::Invalid, "spec.limits[0].min[cpu]"),
        r#"spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1"#
    );
}

#[test]
fn default_request_lies_between_min_and_default_and_max() {
    let mut range = container_limits();
    range.spec.limits[0] = item(
        json!({"type": "Container", "min": {"cpu": "100m"}, "defaultRequest": {"cpu": "50m"}}),
    );
    assert_eq!(
        range.validate()[0].to_string(),
        r#"spec.limits[0].defaultRequest[cpu]: Invalid value: "50m": min value 100m is greater than default request value 50m"#
    );
    range.spec.limits[0] =
        item(json!({"type": "Container", "max": {"cpu": "1"}, "defaultRequest": {"cpu": "2"}}));
    assert_eq!(range.validate()[0].detail, "default request value 2 is greater than max value 1");
    range.spec.limits[0] =
        item(json!({"type": "Container", "default": {"cpu": "1"}, "defaultRequest": {"cpu": "2"}}));
    assert_eq!(
        only(&range.validate(), ErrorType::Invalid, "spec.limits[0].defaultRequest[cpu]"),
        r#"spec.limits[0].defaultRequest[cpu]: Invalid value: "2": default request value 2 is greater than default limit value 1"#
    );
}

#[test]
fn default_lies_between_min_and_max() {
    let mut range = container_limits();
    range.spec.limits[0] = item(
        json!({"type": "Container", "min": {"memory": "1Gi"}, "default": {"memory": "512Mi"}}),
    );
    assert_eq!(
        only(&range.validate(), ErrorType::Invalid, "spec.limits[0].default[memory]"),
        r#"spec.limits[0].default[memory]: Invalid value: "1Gi": min value 1Gi is greater than default value 512Mi"#
    );
    range.spec.limits[0] =
        item(json!({"type": "Container", "max": {"memory": "1Gi"}, "default": {"memory": "2Gi"}}));
    assert_eq!(
        only(&range.validate(), ErrorType::Invalid, "spec.limits[0].default[memory]"),
        r#"spec.limits[0].default[memory]: Invalid value: "1Gi": default value 2Gi is greater than max value 1Gi"#
    );
}

#[test]
fn ratio_is_at_least_one_and_within_max_over_min() {
    let mut range = container_limits();
    range.spec.limits[0] =
        item(json!({"type": "Container", "maxLimitRequestRatio": {"cpu": "500m"}}));
    assert_eq!(
        only(&range.validate(), ErrorType::Invalid, "spec.limits[0].maxLimitRequestRatio[cpu]"),
        r#"spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "500m": ratio 500m is less than 1"#
    );
    range.spec.limits[0] = item(json!({
        "type": "Container",
        "min": {"cpu": "300m"},
        "max": {"cpu": "1"},
        "maxLimitRequestRatio": {"cpu": "4"}
    }));
    assert_eq!(
        only(&range.validate(), ErrorType::Invalid, "spec.limits[0].maxLimitRequestRatio[cpu]"),
        r#"spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "4": ratio 4 is greater than max/min = 3.333333"#
    );
}

#[test]
fn non_overcommittable_defaults_equal_requests() {
    let mut range = container_limits();
    range.spec.limits[0] = item(json!({
        "type": "Container",
        "default": {"example.com/gpu": "2"},
        "defaultRequest": {"example.com/gpu": "1"}
    }));
    assert_eq!(
        only(
            &range.validate(),
            ErrorType::Invalid,
            "spec.limits[0].defaultRequest[example.com/gpu]"
        ),
        r#"spec.limits[0].defaultRequest[example.com/gpu]: Invalid value: "1": default value 2 must equal to defaultRequest value 1 in example.com/gpu"#
    );
}

#[test]
fn findings_follow_resource_name_order() {
    let mut range = container_limits();
    range.spec.limits[0] = item(json!({
        "type": "Container",
        "min": {"memory": "2Gi", "cpu": "2"},
        "max": {"memory": "1Gi", "cpu": "1"}
    }));
    assert_eq!(
        findings(&range.validate()),
        [
            (ErrorType::Invalid, "spec.limits[0].min[cpu]"),
            (ErrorType::Invalid, "spec.limits[0].min[memory]"),
        ]
    );
}
