//! `coordination.k8s.io/v1` Lease: generic metadata with a DNS-subdomain name, a positive
//! duration, a non-negative transition count, and a known (or domain-qualified) strategy that a
//! preferred holder requires.

use super::common::validate_qualified_name;
use super::meta::{validate_object_meta, validate_object_meta_update};
use super::names::name_is_dns_subdomain;
use super::{ErrorList, FieldError, FieldPath, Validate};
use crate::api::coordination::v1::{Lease, LeaseSpec};

/// The strategies Kubernetes itself defines; others must be domain-qualified.
const LEASE_STRATEGIES: [&str; 1] = ["OldestEmulationVersion"];

impl Validate for Lease {
    fn validate(&self) -> ErrorList {
        let mut errors = validate_object_meta(
            &self.metadata,
            true,
            name_is_dns_subdomain,
            &FieldPath::new("metadata"),
        );
        errors.append(validate_lease_spec(&self.spec));
        errors
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors =
            validate_object_meta_update(&self.metadata, &old.metadata, &FieldPath::new("metadata"));
        errors.append(validate_lease_spec(&self.spec));
        errors
    }
}

fn validate_lease_spec(spec: &LeaseSpec) -> ErrorList {
    let mut errors = ErrorList::new();
    let spec_path = FieldPath::new("spec");
    if let Some(duration) = spec.lease_duration_seconds
        && duration <= 0
    {
        errors.push(FieldError::invalid(
            &spec_path.child("leaseDurationSeconds"),
            duration,
            "must be greater than 0",
        ));
    }
    if let Some(transitions) = spec.lease_transitions
        && transitions < 0
    {
        errors.push(FieldError::invalid(
            &spec_path.child("leaseTransitions"),
            transitions,
            "must be greater than or equal to 0",
        ));
    }
    if let Some(strategy) = &spec.strategy {
        // Upstream appends `strategy` to a path that already ends in it.
        let path = spec_path.child("strategy").child("strategy");
        if strategy.contains('/') {
            errors.append(validate_qualified_name(strategy, &path));
        } else if !LEASE_STRATEGIES.contains(&strategy.as_str()) {
            errors.push(FieldError::not_supported(&path, strategy, &LEASE_STRATEGIES));
        }
    }
    let has_preferred_holder =
        spec.preferred_holder.as_deref().is_some_and(|holder| !holder.is_empty());
    let has_strategy = spec.strategy.as_deref().is_some_and(|strategy| !strategy.is_empty());
    if has_preferred_holder && !has_strategy {
        errors.push(FieldError::forbidden(
            &spec_path.child("preferredHolder"),
            "may only be specified if `strategy` is defined",
        ));
    }
    errors
}
