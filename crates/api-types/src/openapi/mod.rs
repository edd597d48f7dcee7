//! OpenAPI documents of the API, generated from the Rust types.
//!
//! kubectl reads them for `explain`, for client-side validation and to learn which query
//! parameters the server takes. The schemas come from `schemars` derives on the api types (doc
//! comments become descriptions) and are renamed to upstream's definition names; the
//! strategic-merge tags come from [`crate::patch::schema`]. See `docs/openapi.md`.

mod kinds;
mod paths;
mod primitives;
mod protobuf_v2;
mod schemas;
mod strict;

pub use kinds::{KindInfo, kinds};
pub use protobuf_v2::encode_v2;
pub use schemas::Flavor;
pub use strict::unknown_fields;

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The Swagger 2.0 document served at `/openapi/v2`: every definition and every kind's paths.
pub fn v2_document() -> Value {
    let mut paths = Map::new();
    for kind in kinds().iter().filter(|kind| kind.has_paths) {
        paths::add_kind_paths(&mut paths, Flavor::V2, kind);
    }
    json!({
        "swagger": "2.0",
        "info": { "title": "Kubernetes", "version": "v1.33.0" },
        "paths": paths,
        "definitions": schemas::definitions(Flavor::V2),
    })
}

/// The OpenAPI 3.0 documents served under `/openapi/v3/`, keyed by group-version path
/// (`api/v1`, `apis/apps/v1`). Each carries the paths of its kinds and every definition, so a
/// client can resolve any reference in it.
pub fn v3_documents() -> BTreeMap<String, Value> {
    let definitions = schemas::definitions(Flavor::V3);
    let mut paths_by_group_version: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for kind in kinds() {
        let paths = paths_by_group_version.entry(kind.group_version_path()).or_default();
        if kind.has_paths {
            paths::add_kind_paths(paths, Flavor::V3, &kind);
        }
    }
    paths_by_group_version
        .into_iter()
        .map(|(group_version, paths)| {
            let document = json!({
                "openapi": "3.0.0",
                "info": { "title": "Kubernetes", "version": "v1.33.0" },
                "paths": paths,
                "components": { "schemas": definitions.clone() },
            });
            (group_version, document)
        })
        .collect()
}

#[cfg(test)]
mod tests;
