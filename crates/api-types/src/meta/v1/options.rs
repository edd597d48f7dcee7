//! The options of each API verb: `ListOptions` (list and watch), `GetOptions`, `DeleteOptions`,
//! `CreateOptions`, `UpdateOptions` and `PatchOptions`.
//!
//! Most arrive as URL query parameters and implement [`QueryParameters`]; `DeleteOptions` usually
//! arrives as a JSON body (kubectl and the Python client send one) but may also come as query
//! parameters. All of them are also kinds upstream can serialize, so they carry the JSON shape of
//! their Go types as well.

use super::query::{QueryBuilder, QueryError, QueryParameters, QueryParams};
use crate::serde_util::{is_false, is_zero, nullable};
use serde::{Deserialize, Serialize};

/// `dryRun` value that runs every stage of a request except persisting it.
pub const DRY_RUN_ALL: &str = "All";

/// `resourceVersionMatch` values: how a list interprets its `resourceVersion`.
pub mod resource_version_match {
    /// Data at least as new as the given version.
    pub const NOT_OLDER_THAN: &str = "NotOlderThan";
    /// Data at exactly the given version.
    pub const EXACT: &str = "Exact";
}

/// `propagationPolicy` values: what happens to dependents of a deleted object.
pub mod propagation_policy {
    /// Dependents keep running without an owner.
    pub const ORPHAN: &str = "Orphan";
    /// The object goes now; the garbage collector removes dependents afterwards.
    pub const BACKGROUND: &str = "Background";
    /// The object stays (with the `foregroundDeletion` finalizer) until its blocking dependents
    /// are gone.
    pub const FOREGROUND: &str = "Foreground";
}

/// `fieldValidation` values: what the server does with unknown or duplicate fields in a body.
pub mod field_validation {
    pub const IGNORE: &str = "Ignore";
    pub const WARN: &str = "Warn";
    pub const STRICT: &str = "Strict";
}

/// Options of a list, and of a watch (`watch=true`): upstream has no separate watch options.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListOptions {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// Unparsed; [`crate::labels`] parses it so its errors read like upstream's.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub label_selector: String,
    /// Unparsed; [`crate::fields`] parses it.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub field_selector: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub watch: bool,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_false")]
    pub allow_watch_bookmarks: bool,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
    /// One of [`resource_version_match`], kept as sent so validation can reject others by name.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub resource_version_match: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<i64>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub limit: i64,
    #[serde(
        rename = "continue",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub continue_: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_initial_events: Option<bool>,
}

impl QueryParameters for ListOptions {
    fn from_params(params: &QueryParams) -> Result<Self, QueryError> {
        Ok(ListOptions {
            label_selector: params.string("labelSelector"),
            field_selector: params.string("fieldSelector"),
            watch: params.bool("watch"),
            allow_watch_bookmarks: params.bool("allowWatchBookmarks"),
            resource_version: params.string("resourceVersion"),
            resource_version_match: params.string("resourceVersionMatch"),
            timeout_seconds: params.optional_int64("timeoutSeconds")?,
            limit: params.int64("limit")?,
            continue_: params.string("continue"),
            send_initial_events: params.optional_bool("sendInitialEvents"),
            ..Default::default()
        })
    }

    fn write_params(&self, query: &mut QueryBuilder) {
        query
            .string("labelSelector", &self.label_selector)
            .string("fieldSelector", &self.field_selector)
            .bool("watch", self.watch)
            .bool("allowWatchBookmarks", self.allow_watch_bookmarks)
            .string("resourceVersion", &self.resource_version)
            .string("resourceVersionMatch", &self.resource_version_match)
            .optional_int64("timeoutSeconds", self.timeout_seconds)
            .int64("limit", self.limit)
            .string("continue", &self.continue_)
            .optional_bool("sendInitialEvents", self.send_initial_events);
    }
}

/// Options of a get: only which `resourceVersion` may serve it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetOptions {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub resource_version: String,
}

impl QueryParameters for GetOptions {
    fn from_params(params: &QueryParams) -> Result<Self, QueryError> {
        Ok(GetOptions { resource_version: params.string("resourceVersion"), ..Default::default() })
    }

    fn write_params(&self, query: &mut QueryBuilder) {
        query.string("resourceVersion", &self.resource_version);
    }
}

/// Options of a delete, usually sent as the request body (`kind: DeleteOptions`, `apiVersion: v1`
/// or `meta.k8s.io/v1`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteOptions {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// `None` uses the object's own grace period; `Some(0)` deletes at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace_period_seconds: Option<i64>,
    /// Only settable in a body; upstream has no query form for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preconditions: Option<Preconditions>,
    /// Deprecated predecessor of `propagation_policy`; at most one of the two may be set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orphan_dependents: Option<bool>,
    /// One of [`propagation_policy`], kept as sent so validation can reject others by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propagation_policy: Option<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub dry_run: Vec<String>,
    /// Lets an administrator delete an object storage can no longer decode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignore_store_read_error_with_cluster_breaking_potential: Option<bool>,
}

/// Conditions the stored object must meet for a delete (or update) to proceed; a mismatch is a
/// 409 `Conflict`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Preconditions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
}

impl QueryParameters for DeleteOptions {
    fn from_params(params: &QueryParams) -> Result<Self, QueryError> {
        Ok(DeleteOptions {
            grace_period_seconds: params.optional_int64("gracePeriodSeconds")?,
            orphan_dependents: params.optional_bool("orphanDependents"),
            propagation_policy: params.optional_string("propagationPolicy"),
            dry_run: params.all("dryRun").map(str::to_string).collect(),
            ignore_store_read_error_with_cluster_breaking_potential: params
                .optional_bool("ignoreStoreReadErrorWithClusterBreakingPotential"),
            ..Default::default()
        })
    }

    fn write_params(&self, query: &mut QueryBuilder) {
        query
            .optional_int64("gracePeriodSeconds", self.grace_period_seconds)
            .optional_bool("orphanDependents", self.orphan_dependents)
            .optional_string("propagationPolicy", self.propagation_policy.as_deref())
            .strings("dryRun", &self.dry_run)
            .optional_bool(
                "ignoreStoreReadErrorWithClusterBreakingPotential",
                self.ignore_store_read_error_with_cluster_breaking_potential,
            );
    }
}

/// Options of a create (POST).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOptions {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    /// [`DRY_RUN_ALL`] or nothing.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub dry_run: Vec<String>,
    /// Who is making the change, recorded in `managedFields`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub field_manager: String,
    /// One of [`field_validation`]; empty means the server default (`Warn`).
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub field_validation: String,
}

impl QueryParameters for CreateOptions {
    fn from_params(params: &QueryParams) -> Result<Self, QueryError> {
        Ok(CreateOptions {
            dry_run: params.all("dryRun").map(str::to_string).collect(),
            field_manager: params.string("fieldManager"),
            field_validation: params.string("fieldValidation"),
            ..Default::default()
        })
    }

    fn write_params(&self, query: &mut QueryBuilder) {
        query
            .strings("dryRun", &self.dry_run)
            .string("fieldManager", &self.field_manager)
            .string("fieldValidation", &self.field_validation);
    }
}

/// Options of an update (PUT); the same parameters as a create.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOptions {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub dry_run: Vec<String>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub field_manager: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub field_validation: String,
}

impl QueryParameters for UpdateOptions {
    fn from_params(params: &QueryParams) -> Result<Self, QueryError> {
        Ok(UpdateOptions {
            dry_run: params.all("dryRun").map(str::to_string).collect(),
            field_manager: params.string("fieldManager"),
            field_validation: params.string("fieldValidation"),
            ..Default::default()
        })
    }

    fn write_params(&self, query: &mut QueryBuilder) {
        query
            .strings("dryRun", &self.dry_run)
            .string("fieldManager", &self.field_manager)
            .string("fieldValidation", &self.field_validation);
    }
}

/// Options of a patch: an update's parameters plus `force`, which only server-side apply accepts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatchOptions {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub dry_run: Vec<String>,
    /// Take over fields another manager owns (apply only; must be unset for other patch types).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
    /// Required for apply patches, optional otherwise.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub field_manager: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub field_validation: String,
}

impl QueryParameters for PatchOptions {
    fn from_params(params: &QueryParams) -> Result<Self, QueryError> {
        Ok(PatchOptions {
            dry_run: params.all("dryRun").map(str::to_string).collect(),
            force: params.optional_bool("force"),
            field_manager: params.string("fieldManager"),
            field_validation: params.string("fieldValidation"),
            ..Default::default()
        })
    }

    fn write_params(&self, query: &mut QueryBuilder) {
        query
            .strings("dryRun", &self.dry_run)
            .optional_bool("force", self.force)
            .string("fieldManager", &self.field_manager)
            .string("fieldValidation", &self.field_validation);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubectl_list_and_watch_queries_parse() {
        let list =
            ListOptions::from_query("?labelSelector=app%3Dweb%2Ctier+in+%28fe%2Cbe%29&limit=500")
                .unwrap();
        assert_eq!(list.label_selector, "app=web,tier in (fe,be)");
        assert_eq!(list.limit, 500);
        assert!(!list.watch);

        let watch = ListOptions::from_query(
            "allowWatchBookmarks=true&fieldSelector=metadata.name%3Dweb&resourceVersion=1234&timeoutSeconds=512&watch=true",
        )
        .unwrap();
        assert_eq!(
            watch,
            ListOptions {
                field_selector: "metadata.name=web".into(),
                watch: true,
                allow_watch_bookmarks: true,
                resource_version: "1234".into(),
                timeout_seconds: Some(512),
                ..Default::default()
            }
        );
    }

    #[test]
    fn watch_list_streaming_options_parse() {
        let options = ListOptions::from_query(
            "watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks",
        )
        .unwrap();
        assert!(options.watch && options.allow_watch_bookmarks);
        assert_eq!(options.send_initial_events, Some(true));
        assert_eq!(options.resource_version_match, resource_version_match::NOT_OLDER_THAN);

        let explicit_off = ListOptions::from_query("sendInitialEvents=false").unwrap();
        assert_eq!(explicit_off.send_initial_events, Some(false));
        assert_eq!(ListOptions::from_query("").unwrap().send_initial_events, None);
    }

    #[test]
    fn continue_token_survives_percent_encoding() {
        let token = "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzNCwic3RhcnQiOiJ3ZWJcdTAwMDAifQ==";
        let options = ListOptions { limit: 2, continue_: token.into(), ..Default::default() };
        let query = options.to_query();
        assert_eq!(
            query,
            "continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzNCwic3RhcnQiOiJ3ZWJcdTAwMDAifQ%3D%3D&limit=2"
        );
        assert_eq!(ListOptions::from_query(&query).unwrap(), options);
    }

    #[test]
    fn list_options_render_sorted_and_round_trip() {
        let options = ListOptions {
            label_selector: "app=web".into(),
            field_selector: "spec.nodeName=node-1".into(),
            watch: true,
            allow_watch_bookmarks: true,
            resource_version: "0".into(),
            resource_version_match: "NotOlderThan".into(),
            timeout_seconds: Some(300),
            limit: 0,
            continue_: String::new(),
            send_initial_events: Some(false),
            ..Default::default()
        };
        let query = options.to_query();
        assert_eq!(
            query,
            "allowWatchBookmarks=true&fieldSelector=spec.nodeName%3Dnode-1&labelSelector=app%3Dweb&resourceVersion=0&resourceVersionMatch=NotOlderThan&sendInitialEvents=false&timeoutSeconds=300&watch=true"
        );
        assert_eq!(ListOptions::from_query(&query).unwrap(), options);
        assert_eq!(ListOptions::default().to_query(), "");
    }

    #[test]
    fn bad_numbers_are_errors_naming_the_parameter() {
        let error = ListOptions::from_query("limit=abc").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"invalid value for query parameter "limit": "abc" is not an integer"#
        );
        let error = ListOptions::from_query("watch=true&timeoutSeconds=5m").unwrap_err();
        assert_eq!(
            error,
            QueryError::NotAnInteger { name: "timeoutSeconds".into(), value: "5m".into() }
        );
        let error = DeleteOptions::from_query("gracePeriodSeconds=").unwrap_err();
        assert!(error.to_string().contains("gracePeriodSeconds"), "{error}");
    }

    #[test]
    fn unknown_parameters_are_ignored() {
        let options = ListOptions::from_query("pretty=true&timeout=32s&limit=5").unwrap();
        assert_eq!(options, ListOptions { limit: 5, ..Default::default() });
    }

    #[test]
    fn get_options_carry_the_resource_version() {
        let options = GetOptions::from_query("resourceVersion=0").unwrap();
        assert_eq!(options.resource_version, "0");
        assert_eq!(options.to_query(), "resourceVersion=0");
    }

    #[test]
    fn delete_options_body_from_kubectl_round_trips() {
        let body = json!({
            "kind": "DeleteOptions",
            "apiVersion": "v1",
            "gracePeriodSeconds": 0,
            "preconditions": {"uid": "6c3a4e38-8f1a-4f6a-9b43-0d7c6c2b1f10", "resourceVersion": "42"},
            "propagationPolicy": "Foreground",
            "dryRun": ["All"]
        });
        let options: DeleteOptions = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(options.grace_period_seconds, Some(0));
        assert_eq!(options.preconditions.as_ref().unwrap().resource_version.as_deref(), Some("42"));
        assert_eq!(options.propagation_policy.as_deref(), Some(propagation_policy::FOREGROUND));
        assert_eq!(serde_json::to_value(&options).unwrap(), body);

        let python_client = json!({"apiVersion": "v1", "kind": "DeleteOptions", "orphanDependents": null, "propagationPolicy": "Background"});
        let options: DeleteOptions = serde_json::from_value(python_client).unwrap();
        assert_eq!(options.orphan_dependents, None);
        assert_eq!(
            serde_json::to_value(&options).unwrap(),
            json!({"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Background"})
        );
    }

    #[test]
    fn delete_options_also_come_as_query_parameters() {
        let options =
            DeleteOptions::from_query("gracePeriodSeconds=30&propagationPolicy=Orphan&dryRun=All")
                .unwrap();
        assert_eq!(
            options,
            DeleteOptions {
                grace_period_seconds: Some(30),
                propagation_policy: Some("Orphan".into()),
                dry_run: vec!["All".into()],
                ..Default::default()
            }
        );
        assert_eq!(options.to_query(), "dryRun=All&gracePeriodSeconds=30&propagationPolicy=Orphan");
    }

    #[test]
    fn write_options_parse_and_render() {
        let create = CreateOptions::from_query(
            "fieldManager=kubectl-client-side-apply&fieldValidation=Strict&dryRun=All",
        )
        .unwrap();
        assert_eq!(create.dry_run, [DRY_RUN_ALL]);
        assert_eq!(create.field_manager, "kubectl-client-side-apply");
        assert_eq!(create.field_validation, field_validation::STRICT);
        assert_eq!(
            create.to_query(),
            "dryRun=All&fieldManager=kubectl-client-side-apply&fieldValidation=Strict"
        );

        let update = UpdateOptions::from_query("fieldManager=kubectl-edit").unwrap();
        assert_eq!(update.to_query(), "fieldManager=kubectl-edit");

        let apply = PatchOptions::from_query("fieldManager=kubectl&force=true").unwrap();
        assert_eq!(apply.force, Some(true));
        assert_eq!(apply.to_query(), "fieldManager=kubectl&force=true");
        assert_eq!(PatchOptions::from_query("").unwrap().force, None);
    }

    #[test]
    fn list_options_json_uses_go_tags() {
        let options =
            ListOptions { continue_: "tok".into(), timeout_seconds: Some(0), ..Default::default() };
        assert_eq!(
            serde_json::to_value(&options).unwrap(),
            json!({"timeoutSeconds": 0, "continue": "tok"})
        );
    }
}
