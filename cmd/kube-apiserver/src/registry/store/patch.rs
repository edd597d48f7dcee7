//! PATCH: a JSON patch, merge patch or strategic merge patch applied to the stored object, then
//! written through the update path. A patch that leaves `resourceVersion` alone applies to
//! whatever is stored when it runs, so losing a write race just applies it again to the newer
//! object; a patch that sets `resourceVersion` makes the write conditional on it (409 if stale).

use super::GenericStore;
use super::convert::{to_json, to_response};
use super::options::dry_run;
use super::read::{Target, only_put_finalizes};
use super::update::{Change, Write, check_name};
use crate::registry::Strategy;
use api_types::Resource;
use api_types::meta::v1::{PatchOptions, PatchType, Status, StatusDetails, StatusReason};
use api_types::patch::{PatchError, apply_json_patch, merge_patch, strategic_merge_patch};
use api_types::validation::{ErrorList, FieldError, FieldPath};
use serde_json::Value;

/// The patch formats the store applies; server-side apply is not among them.
const SUPPORTED_PATCH_TYPES: [PatchType; 3] =
    [PatchType::Json, PatchType::Merge, PatchType::StrategicMerge];

impl<T: Strategy> GenericStore<T> {
    pub(super) async fn patch_object(
        &self,
        namespace: Option<&str>,
        name: &str,
        subresource: Option<&str>,
        patch_type: PatchType,
        patch: Value,
        options: &PatchOptions,
    ) -> Result<Value, Status> {
        check_patch_type(patch_type)?;
        let dry_run = dry_run(&options.dry_run, "PatchOptions")?;
        let change = match Target::of::<T>(subresource)? {
            Target::Object => Change::Object,
            Target::Status => Change::Status,
            Target::Scale => {
                return self.patch_scale(namespace, name, patch_type, &patch, dry_run).await;
            }
            Target::Finalize => return Err(only_put_finalizes::<T>("patch")),
        };
        let write = Write { namespace, name, dry_run, uid_precondition: None };
        let updated = self
            .guaranteed_update(&write, |stored| {
                let mut patched: T = apply_patch(stored, patch_type, &patch)?;
                check_name(&mut patched, name, namespace)?;
                patched.apply_defaults();
                let updated = change.apply(&patched, stored)?;
                Ok((updated, matches!(change, Change::Object)))
            })
            .await?;
        to_response(updated)
    }
}

/// 415 for a patch format the store does not apply (server-side apply), listing those it does.
fn check_patch_type(patch_type: PatchType) -> Result<(), Status> {
    if SUPPORTED_PATCH_TYPES.contains(&patch_type) { Ok(()) } else { Err(unsupported_patch_type()) }
}

fn unsupported_patch_type() -> Status {
    let accepted: Vec<&str> =
        SUPPORTED_PATCH_TYPES.iter().map(|supported| supported.content_type()).collect();
    Status::unsupported_media_type(&accepted)
}

/// `current` (as clients see it) with `patch` applied, decoded as `R` again. Patch failures get
/// the status upstream answers them with; a result that no longer fits the kind is a 422 on
/// `patch`.
pub(super) fn apply_patch<R: Resource>(
    current: &R,
    patch_type: PatchType,
    patch: &Value,
) -> Result<R, Status> {
    let document = to_json(current)?;
    let patched = match patch_type {
        PatchType::Json => apply_json_patch(&document, patch),
        PatchType::Merge => Ok(merge_patch(&document, patch)),
        PatchType::StrategicMerge => strategic_merge_patch(&document, patch, R::KIND),
        PatchType::Apply => return Err(unsupported_patch_type()),
    }
    .map_err(patch_failure)?;
    serde_json::from_value(patched.clone()).map_err(|error| {
        let field = FieldPath::new("patch");
        ErrorList::from(FieldError::invalid(&field, patched.to_string(), error.to_string()))
            .to_status("", "", "")
    })
}

/// A patch that cannot be applied, as upstream reports it: 400 with the error for a malformed
/// patch, upstream's generic 422 for a patch that does not apply to the object, and a plain 500
/// for the rest.
fn patch_failure(error: PatchError) -> Status {
    match error.status_code() {
        400 => Status::bad_request(error.to_string()),
        422 => {
            let mut status = Status::failure(
                StatusReason::Invalid,
                "the server rejected our request due to an error in our request",
            );
            status.details = Some(StatusDetails::default());
            status
        }
        _ => {
            let mut status = Status::failure(StatusReason::InternalError, error.to_string());
            status.reason.clear();
            status
        }
    }
}
