//! Checks of the verbs' options, with upstream's 422s (`ListOptions.meta.k8s.io "" is invalid:
//! ...`) and the parsing of `resourceVersion`.

use crate::storage::Revision;
use api_types::Resource;
use api_types::meta::v1::{
    DRY_RUN_ALL, DeleteOptions, ListOptions, Status, propagation_policy, resource_version_match,
};
use api_types::validation::{ErrorList, FieldError, FieldPath};

/// The group of the options kinds named in their 422s.
const META_GROUP: &str = "meta.k8s.io";

/// Whether the request is a dry run; a `dryRun` value other than `All` is a 422 naming the
/// options kind (`CreateOptions`, `UpdateOptions`, `PatchOptions`, `DeleteOptions`).
pub(in crate::registry) fn dry_run(values: &[String], options_kind: &str) -> Result<bool, Status> {
    let errors = dry_run_errors(values);
    if !errors.is_empty() {
        return Err(errors.to_status(META_GROUP, options_kind, ""));
    }
    Ok(!values.is_empty())
}

fn dry_run_errors(values: &[String]) -> ErrorList {
    let mut errors = ErrorList::new();
    if values.iter().any(|value| value != DRY_RUN_ALL) {
        errors.push(FieldError::not_supported(&FieldPath::new("dryRun"), values, &[DRY_RUN_ALL]));
    }
    errors
}

/// Upstream's `ValidateListOptions`, for a list (`watch` unset) or a watch.
pub(super) fn validate_list_options(options: &ListOptions) -> Result<(), Status> {
    let mut errors = ErrorList::new();
    let match_path = FieldPath::new("resourceVersionMatch");
    let matching = options.resource_version_match.as_str();
    if options.watch {
        if options.send_initial_events.is_some()
            && matching != resource_version_match::NOT_OLDER_THAN
        {
            errors.push(FieldError::forbidden(
                &match_path,
                "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
            ));
        }
        if !matching.is_empty() {
            if options.send_initial_events.is_none() {
                errors.push(FieldError::forbidden(
                    &match_path,
                    "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
                ));
            }
            if matching != resource_version_match::NOT_OLDER_THAN {
                errors.push(FieldError::not_supported(
                    &match_path,
                    matching,
                    &[resource_version_match::NOT_OLDER_THAN],
                ));
            }
            if !options.continue_.is_empty() {
                errors.push(FieldError::forbidden(
                    &match_path,
                    "resourceVersionMatch is forbidden when continue is provided",
                ));
            }
        }
    } else {
        if !matching.is_empty() {
            if options.resource_version.is_empty() {
                errors.push(FieldError::forbidden(
                    &match_path,
                    "resourceVersionMatch is forbidden unless resourceVersion is provided",
                ));
            }
            if !options.continue_.is_empty() {
                errors.push(FieldError::forbidden(
                    &match_path,
                    "resourceVersionMatch is forbidden when continue is provided",
                ));
            }
            if matching != resource_version_match::EXACT
                && matching != resource_version_match::NOT_OLDER_THAN
            {
                errors.push(FieldError::not_supported(
                    &match_path,
                    matching,
                    &[resource_version_match::EXACT, resource_version_match::NOT_OLDER_THAN, ""],
                ));
            }
            if matching == resource_version_match::EXACT && options.resource_version == "0" {
                errors.push(FieldError::forbidden(
                    &match_path,
                    "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
                ));
            }
        }
        if options.send_initial_events.is_some() {
            errors.push(FieldError::forbidden(
                &FieldPath::new("sendInitialEvents"),
                "sendInitialEvents is forbidden for list",
            ));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors.to_status(META_GROUP, "ListOptions", "")) }
}

/// Upstream's `ValidateDeleteOptions`: one propagation choice at most, a known policy, and
/// `dryRun` of `All` only.
pub(super) fn validate_delete_options(options: &DeleteOptions) -> Result<(), Status> {
    let mut errors = ErrorList::new();
    let policy_path = FieldPath::new("propagationPolicy");
    if let Some(policy) = &options.propagation_policy {
        if options.orphan_dependents.is_some() {
            errors.push(FieldError::invalid(
                &policy_path,
                policy,
                "orphanDependents and deletionPropagation cannot be both set",
            ));
        }
        let known = [
            propagation_policy::FOREGROUND,
            propagation_policy::BACKGROUND,
            propagation_policy::ORPHAN,
        ];
        if !known.contains(&policy.as_str()) {
            errors.push(FieldError::not_supported(
                &policy_path,
                policy,
                &[
                    propagation_policy::FOREGROUND,
                    propagation_policy::BACKGROUND,
                    propagation_policy::ORPHAN,
                    "nil",
                ],
            ));
        }
    }
    errors.append(dry_run_errors(&options.dry_run));
    if errors.is_empty() { Ok(()) } else { Err(errors.to_status(META_GROUP, "DeleteOptions", "")) }
}

/// A client's `resourceVersion`: `None` for `""` and `"0"` (no particular version), else the
/// revision. Anything but a non-negative integer is upstream's 422 on the resource.
pub(super) fn parse_resource_version<R: Resource>(text: &str) -> Result<Option<Revision>, Status> {
    parse_revision(text).map_err(|error| ErrorList::from(error).to_status(R::GROUP, R::PLURAL, ""))
}

/// The `resourceVersion` of a get, list or watch: an unparsable one is a 400, as upstream's
/// storage answers it (`invalid resource version: resourceVersion: Invalid value: ...`).
pub(super) fn parse_read_resource_version(text: &str) -> Result<Option<Revision>, Status> {
    parse_revision(text)
        .map_err(|error| Status::bad_request(format!("invalid resource version: {error}")))
}

/// `""` and `"0"` as `None`, digits as the revision, anything else as the field error Go's
/// `strconv.ParseUint` failure makes.
fn parse_revision(text: &str) -> Result<Option<Revision>, FieldError> {
    if text.is_empty() || text == "0" {
        return Ok(None);
    }
    let invalid = |why: &str| {
        let detail = format!("strconv.ParseUint: parsing {}: {why}", serde_json::json!(text));
        FieldError::invalid(&FieldPath::new("resourceVersion"), text, detail)
    };
    if !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(invalid("invalid syntax"));
    }
    match text.parse::<Revision>() {
        Ok(revision) => Ok(Some(revision)),
        Err(_) => Err(invalid("value out of range")),
    }
}
