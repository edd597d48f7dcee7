//! LimitRange: known limit types, each at most once; resource names valid for the type; no
//! defaults for whole pods; storage bounds for claims; and the ordering of the bounds
//! (min ≤ default request ≤ default ≤ max, ratio ≥ 1 and within max/min).
//!
//! Resources within one limit are checked in name order (upstream walks a Go map, so its order
//! varies between runs).

use crate::api::core::v1::{LimitRange, LimitRangeItem};
use crate::labels::qualified_name_errors;
use crate::quantity::{Format, Quantity};
use crate::validation::meta::{validate_core_object_meta, validate_core_object_meta_update};
use crate::validation::names::name_is_dns_subdomain;
use crate::validation::resources::{
    is_overcommit_allowed, validate_container_resource_name, validate_resource_name,
};
use crate::validation::{ErrorList, FieldError, FieldPath, Validate};
use std::collections::{BTreeMap, BTreeSet};

const TYPE_POD: &str = "Pod";
const TYPE_CONTAINER: &str = "Container";
const TYPE_CLAIM: &str = "PersistentVolumeClaim";
/// Above this many units a milli-unit no longer fits in an `i64`; ratios are then computed in
/// whole units.
const MAX_MILLI_VALUE: i64 = i64::MAX / 1000;

impl Validate for LimitRange {
    fn validate(&self) -> ErrorList {
        validate_limit_range(self)
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors = validate_core_object_meta_update(
            &self.metadata,
            &old.metadata,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_limit_range(self));
        errors
    }
}

fn validate_limit_range(limit_range: &LimitRange) -> ErrorList {
    let mut errors = validate_core_object_meta(
        &limit_range.metadata,
        true,
        name_is_dns_subdomain,
        &FieldPath::new("metadata"),
    );
    let limits_path = FieldPath::new("spec").child("limits");
    let mut seen_types = BTreeSet::new();
    for (index, limit) in limit_range.spec.limits.iter().enumerate() {
        let path = limits_path.index(index);
        errors.append(validate_limit_type(&limit.type_, &path.child("type")));
        if !seen_types.insert(limit.type_.as_str()) {
            errors.push(FieldError::duplicate(&path.child("type"), &limit.type_));
        }
        errors.append(validate_limit(limit, &path));
    }
    errors
}

fn validate_limit_type(limit_type: &str, path: &FieldPath) -> ErrorList {
    let errors: ErrorList = qualified_name_errors(limit_type)
        .into_iter()
        .map(|message| FieldError::invalid(path, limit_type, message))
        .collect();
    if errors.is_empty()
        && !limit_type.contains('/')
        && ![TYPE_POD, TYPE_CONTAINER, TYPE_CLAIM].contains(&limit_type)
    {
        return FieldError::invalid(
            path,
            limit_type,
            "must be a standard limit type or fully qualified",
        )
        .into();
    }
    errors
}

/// Pods and containers take container resources; other types (claims) any known resource.
fn validate_limit_resource_name(limit_type: &str, name: &str, path: &FieldPath) -> ErrorList {
    if limit_type == TYPE_POD || limit_type == TYPE_CONTAINER {
        validate_container_resource_name(name, path)
    } else {
        validate_resource_name(name, path)
    }
}

fn validate_limit(limit: &LimitRangeItem, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let mut names = BTreeSet::new();
    let mut check_names = |field: &str, resources: &BTreeMap<String, Quantity>| {
        let mut found = ErrorList::new();
        for name in resources.keys() {
            found.append(validate_limit_resource_name(
                &limit.type_,
                name,
                &path.child(field).key(name),
            ));
            names.insert(name.clone());
        }
        found
    };
    errors.append(check_names("max", &limit.max));
    errors.append(check_names("min", &limit.min));
    let (defaults, default_requests) = if limit.type_ == TYPE_POD {
        for (field, values) in
            [("default", &limit.default), ("defaultRequest", &limit.default_request)]
        {
            if !values.is_empty() {
                errors.push(FieldError::forbidden(
                    &path.child(field),
                    "may not be specified when `type` is 'Pod'",
                ));
            }
        }
        (BTreeMap::new(), BTreeMap::new())
    } else {
        errors.append(check_names("default", &limit.default));
        errors.append(check_names("defaultRequest", &limit.default_request));
        (limit.default.clone(), limit.default_request.clone())
    };
    if limit.type_ == TYPE_CLAIM
        && !limit.min.contains_key("storage")
        && !limit.max.contains_key("storage")
    {
        errors.push(FieldError::required(
            &path.child("limits"),
            "either minimum or maximum storage value is required, but neither was provided",
        ));
    }
    errors.append(check_names("maxLimitRequestRatio", &limit.max_limit_request_ratio));

    for name in &names {
        let bounds = Bounds {
            min: limit.min.get(name),
            max: limit.max.get(name),
            default: defaults.get(name),
            default_request: default_requests.get(name),
            ratio: limit.max_limit_request_ratio.get(name),
        };
        errors.append(validate_bounds(name, &bounds, path));
    }
    errors
}

/// The values given for one resource in one limit.
struct Bounds<'a> {
    min: Option<&'a Quantity>,
    max: Option<&'a Quantity>,
    default: Option<&'a Quantity>,
    default_request: Option<&'a Quantity>,
    ratio: Option<&'a Quantity>,
}

fn validate_bounds(name: &str, bounds: &Bounds, path: &FieldPath) -> ErrorList {
    let mut errors = ErrorList::new();
    let at = |field: &str| path.child(field).key(name);
    if let (Some(min), Some(max)) = (bounds.min, bounds.max)
        && min > max
    {
        errors.push(FieldError::invalid(
            &at("min"),
            min,
            format!("min value {min} is greater than max value {max}"),
        ));
    }
    if let Some(request) = bounds.default_request {
        if let Some(min) = bounds.min
            && min > request
        {
            errors.push(FieldError::invalid(
                &at("defaultRequest"),
                request,
                format!("min value {min} is greater than default request value {request}"),
            ));
        }
        if let Some(max) = bounds.max
            && request > max
        {
            errors.push(FieldError::invalid(
                &at("defaultRequest"),
                request,
                format!("default request value {request} is greater than max value {max}"),
            ));
        }
        if let Some(default) = bounds.default
            && request > default
        {
            errors.push(FieldError::invalid(
                &at("defaultRequest"),
                request,
                format!(
                    "default request value {request} is greater than default limit value {default}"
                ),
            ));
        }
    }
    if let Some(default) = bounds.default {
        // Upstream shows min and max (not the default) as the bad values here.
        if let Some(min) = bounds.min
            && min > default
        {
            errors.push(FieldError::invalid(
                &at("default"),
                min,
                format!("min value {min} is greater than default value {default}"),
            ));
        }
        if let Some(max) = bounds.max
            && default > max
        {
            errors.push(FieldError::invalid(
                &at("default"),
                max,
                format!("default value {default} is greater than max value {max}"),
            ));
        }
    }
    if let Some(ratio) = bounds.ratio {
        if ratio < &Quantity::from_int(1, Format::DecimalSI) {
            errors.push(FieldError::invalid(
                &at("maxLimitRequestRatio"),
                ratio,
                format!("ratio {ratio} is less than 1"),
            ));
        }
        if let (Some(min), Some(max)) = (bounds.min, bounds.max) {
            let limit = ratio_limit(ratio, min, max);
            if limit.ratio > limit.max_over_min {
                errors.push(FieldError::invalid(
                    &at("maxLimitRequestRatio"),
                    ratio,
                    format!("ratio {ratio} is greater than max/min = {:.6}", limit.max_over_min),
                ));
            }
        }
    }
    if !is_overcommit_allowed(name)
        && let (Some(default), Some(request)) = (bounds.default, bounds.default_request)
        && default != request
    {
        errors.push(FieldError::invalid(
            &at("defaultRequest"),
            request,
            format!(
                "default value {default} must equal to defaultRequest value {request} in {name}"
            ),
        ));
    }
    errors
}

/// The ratio and max/min as upstream compares them: in milli-units when every value fits, else
/// in whole units, as floats.
struct RatioLimit {
    ratio: f64,
    max_over_min: f64,
}

fn ratio_limit(ratio: &Quantity, min: &Quantity, max: &Quantity) -> RatioLimit {
    let fits_in_milli = ratio.value() < MAX_MILLI_VALUE
        && min.value() < MAX_MILLI_VALUE
        && max.value() < MAX_MILLI_VALUE;
    if fits_in_milli {
        RatioLimit {
            ratio: ratio.milli_value() as f64 / 1000.0,
            max_over_min: max.milli_value() as f64 / min.milli_value() as f64,
        }
    } else {
        RatioLimit {
            ratio: ratio.value() as f64,
            max_over_min: max.value() as f64 / min.value() as f64,
        }
    }
}
