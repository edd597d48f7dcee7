//! Patches as the apiserver applies them: JSON patch, JSON merge patch, strategic merge patch.
//!
//! A `PATCH` request names its format by content type, and each maps to one module here, all
//! working on `serde_json::Value` so the apiserver can patch the stored JSON of any kind:
//!
//! - `application/json-patch+json`: [`json_patch`] (RFC 6902 operations on RFC 6901 pointers).
//! - `application/merge-patch+json`: [`merge_patch`] (RFC 7386).
//! - `application/strategic-merge-patch+json`: [`strategic`], driven by the patch metadata of
//!   the Kubernetes types in [`schema`].
//!
//! Every function leaves its inputs untouched and returns a new value, so a failed patch never
//! leaves a half-patched object behind. Failures are [`PatchError`]s, which carry the HTTP
//! status upstream answers them with.

mod equality;
mod error;
pub mod json_patch;
pub mod json_pointer;
pub mod merge_patch;
pub mod schema;
pub mod strategic;

pub use error::PatchError;
pub use json_patch::{JsonPatch, Operation, apply_json_patch};
pub use json_pointer::JsonPointer;
pub use merge_patch::{create_merge_patch, merge_patch};
pub use strategic::{
    create_three_way_merge_patch, create_two_way_merge_patch, strategic_merge_patch,
};
