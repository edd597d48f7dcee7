//! `Status`: the body of every API error and of some successful calls (delete), plus constructors
//! that produce exactly the codes, reasons, messages and details of upstream's
//! `k8s.io/apimachinery/pkg/api/errors`, and the checks clients make on a received `Status`.
//!
//! kubectl prints `message` verbatim (`Error from server (NotFound): pods "x" not found`) and
//! client libraries branch on `reason` and `code`, so all three must match upstream to the byte.

use super::{ListMeta, StatusReason};
use crate::serde_util::{is_zero, nullable};
use serde::{Deserialize, Serialize};
use std::fmt;

/// `Status.status` of a call that succeeded.
pub const STATUS_SUCCESS: &str = "Success";
/// `Status.status` of a call that failed.
pub const STATUS_FAILURE: &str = "Failure";

/// Upstream's `metav1.Status`. It doubles as this crate's API error type: it implements
/// [`std::error::Error`] with its `message` as the text, like Go's `StatusError`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.apimachinery.pkg.apis.meta.v1.Status")]
#[serde(rename_all = "camelCase")]
pub struct Status {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(default, deserialize_with = "nullable")]
    pub metadata: ListMeta,
    /// [`STATUS_SUCCESS`] or [`STATUS_FAILURE`].
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub status: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// A [`StatusReason`] spelling, or empty when the server gives none.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<StatusDetails>,
    /// The HTTP status code the response was (or should be) sent with.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub code: i32,
}

/// Identifies what a `Status` is about and carries the per-field causes of a 422.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails")]
#[serde(rename_all = "camelCase")]
pub struct StatusDetails {
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// Upstream puts the plural resource (`pods`) here for most errors, and the kind (`Pod`) for
    /// `Invalid`.
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub uid: String,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<StatusCause>,
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "is_zero")]
    pub retry_after_seconds: i32,
}

/// One specific problem behind a failure, typically one invalid field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause")]
#[serde(rename_all = "camelCase")]
pub struct StatusCause {
    /// Go's `StatusCause.Type`, which is written as `reason` on the wire; one of
    /// [`cause_type`](super::cause_type) for validation errors.
    #[serde(
        rename = "reason",
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "String::is_empty"
    )]
    pub type_: String,
    /// For field errors, the message without the field path (`Required value`).
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// The JSON path of the offending field (`spec.containers[0].image`).
    #[serde(default, deserialize_with = "nullable", skip_serializing_if = "String::is_empty")]
    pub field: String,
}

impl StatusCause {
    /// A cause for one field, as upstream's `NewInvalid` builds from a field error.
    pub fn new(type_: &str, field: &str, message: &str) -> Self {
        StatusCause {
            type_: type_.to_string(),
            message: message.to_string(),
            field: field.to_string(),
        }
    }
}

/// `resource.group`, or just `resource` for the core group: how upstream names a resource or kind
/// in messages (Go's `GroupResource.String()` / `GroupKind.String()`).
fn qualified(group: &str, name: &str) -> String {
    if group.is_empty() { name.to_string() } else { format!("{name}.{group}") }
}

/// Details naming one object of a resource, the shape most constructors attach.
fn resource_details(group: &str, resource: &str, name: &str) -> StatusDetails {
    StatusDetails {
        group: group.to_string(),
        kind: resource.to_string(),
        name: name.to_string(),
        ..Default::default()
    }
}

impl Status {
    /// A failure with `kind`/`apiVersion` filled in as the apiserver writes them. Every error
    /// constructor goes through here; use it directly for reasons without a dedicated constructor.
    pub fn failure(reason: StatusReason, message: impl Into<String>) -> Self {
        Status {
            kind: "Status".to_string(),
            api_version: "v1".to_string(),
            status: STATUS_FAILURE.to_string(),
            message: message.into(),
            reason: reason.as_str().to_string(),
            code: reason.code(),
            ..Default::default()
        }
    }

    fn with_details(mut self, details: StatusDetails) -> Self {
        self.details = Some(details);
        self
    }

    /// A bare success, the body of calls that return no object.
    pub fn success() -> Self {
        Status {
            kind: "Status".to_string(),
            api_version: "v1".to_string(),
            status: STATUS_SUCCESS.to_string(),
            ..Default::default()
        }
    }

    /// What a delete returns when the object is gone at once: a success naming the object, with
    /// the plural resource in `details.kind` as upstream's generic registry writes it.
    pub fn deleted(group: &str, resource: &str, name: &str, uid: &str) -> Self {
        let mut details = resource_details(group, resource, name);
        details.uid = uid.to_string();
        Status::success().with_details(details)
    }

    /// 404: `pods "x" not found`, `deployments.apps "x" not found`.
    pub fn not_found(group: &str, resource: &str, name: &str) -> Self {
        let message =
            format!("{} {} not found", qualified(group, resource), crate::go_fmt::quote(name));
        Status::failure(StatusReason::NotFound, message)
            .with_details(resource_details(group, resource, name))
    }

    /// 409 `AlreadyExists`: a create whose name is taken.
    pub fn already_exists(group: &str, resource: &str, name: &str) -> Self {
        let message =
            format!("{} {} already exists", qualified(group, resource), crate::go_fmt::quote(name));
        Status::failure(StatusReason::AlreadyExists, message)
            .with_details(resource_details(group, resource, name))
    }

    /// 409 `AlreadyExists` for a `generateName` create whose generated name collided; the client
    /// may retry after `retry_after_seconds`.
    pub fn generate_name_conflict(
        group: &str,
        resource: &str,
        name: &str,
        retry_after_seconds: i32,
    ) -> Self {
        let message = format!(
            "{} {} already exists, the server was not able to generate a unique name for the object",
            qualified(group, resource),
            crate::go_fmt::quote(name)
        );
        let mut details = resource_details(group, resource, name);
        details.retry_after_seconds = retry_after_seconds;
        Status::failure(StatusReason::AlreadyExists, message).with_details(details)
    }

    /// 409 `Conflict`: `Operation cannot be fulfilled on pods "x": <cause>`, the answer to a stale
    /// `resourceVersion` or a failed precondition.
    pub fn conflict(group: &str, resource: &str, name: &str, cause: impl fmt::Display) -> Self {
        let message = format!(
            "Operation cannot be fulfilled on {} {}: {cause}",
            qualified(group, resource),
            crate::go_fmt::quote(name)
        );
        Status::failure(StatusReason::Conflict, message)
            .with_details(resource_details(group, resource, name))
    }

    /// 422 `Invalid`: `Pod "x" is invalid: <field>: <message>`, or with several distinct causes
    /// `Pod "x" is invalid: [<field>: <message>, <field>: <message>]`. Every cause is kept in
    /// `details.causes`; the message lists each distinct `field: message` text once, in order.
    pub fn invalid(group: &str, kind: &str, name: &str, causes: Vec<StatusCause>) -> Self {
        let subject =
            format!("{} {} is invalid", qualified(group, kind), crate::go_fmt::quote(name));
        let message = match aggregate_causes(&causes) {
            Some(summary) => format!("{subject}: {summary}"),
            None => subject,
        };
        let details = StatusDetails {
            group: group.to_string(),
            kind: kind.to_string(),
            name: name.to_string(),
            causes,
            ..Default::default()
        };
        Status::failure(StatusReason::Invalid, message).with_details(details)
    }

    /// 400: a request that can never succeed as sent.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Status::failure(StatusReason::BadRequest, message)
    }

    /// 401: missing or rejected credentials; an empty message becomes `not authorized`.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        let mut message = message.into();
        if message.is_empty() {
            message = "not authorized".to_string();
        }
        Status::failure(StatusReason::Unauthorized, message)
    }

    /// 403: `pods "x" is forbidden: <cause>`; without a name `pods is forbidden: <cause>`; without
    /// a resource `forbidden: <cause>`.
    pub fn forbidden(group: &str, resource: &str, name: &str, cause: impl fmt::Display) -> Self {
        let message = if group.is_empty() && resource.is_empty() {
            format!("forbidden: {cause}")
        } else if name.is_empty() {
            format!("{} is forbidden: {cause}", qualified(group, resource))
        } else {
            format!(
                "{} {} is forbidden: {cause}",
                qualified(group, resource),
                crate::go_fmt::quote(name)
            )
        };
        Status::failure(StatusReason::Forbidden, message)
            .with_details(resource_details(group, resource, name))
    }

    /// 405: `<action> is not supported on resources of kind "pods"`.
    pub fn method_not_supported(group: &str, resource: &str, action: &str) -> Self {
        let kind = qualified(group, resource);
        let message = format!(
            "{action} is not supported on resources of kind {}",
            crate::go_fmt::quote(&kind)
        );
        Status::failure(StatusReason::MethodNotAllowed, message)
            .with_details(resource_details(group, resource, ""))
    }

    /// 406: the `Accept` header named no media type the server can produce.
    pub fn not_acceptable(accepted: &[&str]) -> Self {
        let message =
            format!("only the following media types are accepted: {}", accepted.join(", "));
        Status::failure(StatusReason::NotAcceptable, message)
    }

    /// 415: the request body's `Content-Type` is not one the endpoint decodes.
    pub fn unsupported_media_type(accepted: &[&str]) -> Self {
        let message = format!(
            "the body of the request was in an unknown format - accepted media types include: {}",
            accepted.join(", ")
        );
        Status::failure(StatusReason::UnsupportedMediaType, message)
    }

    /// 410 with reason `Gone`. Upstream deprecates it in favour of [`Status::resource_expired`],
    /// but old clients still meet it.
    pub fn gone(message: impl Into<String>) -> Self {
        Status::failure(StatusReason::Gone, message)
    }

    /// 410 `Expired`: requested content (a watch's start, a list's `continue` token) is no longer
    /// held by the server; reflectors react by relisting.
    pub fn resource_expired(message: impl Into<String>) -> Self {
        Status::failure(StatusReason::Expired, message)
    }

    /// The 410 a watch or list gets when `resourceVersion` is older than the server's history:
    /// `too old resource version: <requested> (<oldest>)`, where `oldest` is the oldest version
    /// the server can still start from.
    pub fn too_old_resource_version(requested: u64, oldest: u64) -> Self {
        Status::resource_expired(format!("too old resource version: {requested} ({oldest})"))
    }

    /// 413: `Request entity too large: <message>`.
    pub fn request_entity_too_large(message: impl fmt::Display) -> Self {
        Status::failure(
            StatusReason::RequestEntityTooLarge,
            format!("Request entity too large: {message}"),
        )
    }

    /// 429 with `details.retryAfterSeconds` (written as `"details":{}` when zero, as upstream);
    /// the server also sends the `Retry-After` header.
    pub fn too_many_requests(message: impl Into<String>, retry_after_seconds: i32) -> Self {
        Status::failure(StatusReason::TooManyRequests, message)
            .with_details(StatusDetails { retry_after_seconds, ..Default::default() })
    }

    /// 500 `InternalError`: `Internal error occurred: <error>`, with the error as the only cause.
    pub fn internal_error(error: impl fmt::Display) -> Self {
        let error = error.to_string();
        let cause = StatusCause { message: error.clone(), ..Default::default() };
        Status::failure(StatusReason::InternalError, format!("Internal error occurred: {error}"))
            .with_details(StatusDetails { causes: vec![cause], ..Default::default() })
    }

    /// 503: a dependency (storage, an aggregated server) is unreachable for now.
    pub fn service_unavailable(message: impl Into<String>) -> Self {
        Status::failure(StatusReason::ServiceUnavailable, message)
    }

    /// 504 `Timeout`: `Timeout: <message>`, what the apiserver's request-timeout filter sends
    /// (`Timeout: request did not complete within requested timeout - context deadline exceeded`).
    pub fn timeout(message: impl fmt::Display, retry_after_seconds: i32) -> Self {
        Status::failure(StatusReason::Timeout, format!("Timeout: {message}"))
            .with_details(StatusDetails { retry_after_seconds, ..Default::default() })
    }

    /// 500 `ServerTimeout`: a transient failure of one operation that the client should retry,
    /// `The <operation> operation against <resource> could not be completed at this time, please
    /// try again.`
    pub fn server_timeout(
        group: &str,
        resource: &str,
        operation: &str,
        retry_after_seconds: i32,
    ) -> Self {
        let message = format!(
            "The {operation} operation against {} could not be completed at this time, please try again.",
            qualified(group, resource)
        );
        let mut details = resource_details(group, resource, operation);
        details.retry_after_seconds = retry_after_seconds;
        Status::failure(StatusReason::ServerTimeout, message).with_details(details)
    }

    /// The typed reason, if the server sent one this crate knows.
    pub fn reason(&self) -> Option<StatusReason> {
        StatusReason::parse(&self.reason)
    }

    /// Whether this status reports `reason`, judged as client-go's `errors.IsX` functions do: the
    /// reason itself, or, when the reason is missing or unknown, the HTTP code that goes with it.
    /// `AlreadyExists`, `Expired`, `ServerTimeout` and `StorageReadError` share their code with
    /// another reason and so are recognized by reason only; `TooManyRequests` and
    /// `RequestEntityTooLarge` accept their code whatever the reason.
    pub fn is(&self, reason: StatusReason) -> bool {
        if self.reason == reason.as_str() {
            return true;
        }
        match reason {
            StatusReason::AlreadyExists
            | StatusReason::Expired
            | StatusReason::ServerTimeout
            | StatusReason::StoreReadError => false,
            StatusReason::TooManyRequests | StatusReason::RequestEntityTooLarge => {
                self.code == reason.code()
            }
            _ => self.reason().is_none() && self.code == reason.code(),
        }
    }

    /// How long the server asks the client to wait before retrying, as client-go's
    /// `SuggestsClientDelay` reads it: always for `ServerTimeout`, otherwise when positive.
    pub fn retry_after_seconds(&self) -> Option<i32> {
        let details = self.details.as_ref()?;
        if self.reason == StatusReason::ServerTimeout.as_str() || details.retry_after_seconds > 0 {
            Some(details.retry_after_seconds)
        } else {
            None
        }
    }

    /// Whether `object` (any decoded response body) is a `Status`, so a client can tell an error
    /// body or a watch `ERROR` event from the object it asked for.
    pub fn from_object(object: &serde_json::Value) -> Option<Status> {
        let is_status = object.get("kind").and_then(|kind| kind.as_str()) == Some("Status")
            && matches!(
                object.get("apiVersion").and_then(|version| version.as_str()),
                Some("v1" | "meta.k8s.io/v1")
            );
        if !is_status {
            return None;
        }
        serde_json::from_value(object.clone()).ok()
    }
}

/// The summary upstream's `field.ErrorList.ToAggregate()` prints: `field: message` per cause,
/// duplicates dropped, bracketed when more than one distinct text remains. `None` without causes.
fn aggregate_causes(causes: &[StatusCause]) -> Option<String> {
    let mut distinct: Vec<String> = Vec::new();
    for cause in causes {
        let text = format!("{}: {}", cause.field, cause.message);
        if !distinct.contains(&text) {
            distinct.push(text);
        }
    }
    match distinct.len() {
        0 => None,
        1 => distinct.pop(),
        _ => Some(format!("[{}]", distinct.join(", "))),
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Status {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::v1::cause_type;
    use serde_json::json;

    fn wire(status: &Status) -> serde_json::Value {
        serde_json::to_value(status).unwrap()
    }

    #[test]
    fn real_not_found_body_round_trips() {
        let body = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"web-0\" not found","reason":"NotFound","details":{"name":"web-0","kind":"pods"},"code":404}"#;
        let status: Status = serde_json::from_str(body).unwrap();
        assert_eq!(status, Status::not_found("", "pods", "web-0"));
        assert_eq!(serde_json::to_string(&status).unwrap(), body);
    }

    #[test]
    fn not_found_in_a_named_group_qualifies_the_resource() {
        let status = Status::not_found("apps", "deployments", "web");
        assert_eq!(status.code, 404);
        assert_eq!(status.message, r#"deployments.apps "web" not found"#);
        assert_eq!(
            wire(&status)["details"],
            json!({"name": "web", "group": "apps", "kind": "deployments"})
        );
    }

    #[test]
    fn success_and_deleted_bodies_match_the_apiserver() {
        assert_eq!(
            wire(&Status::success()),
            json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"})
        );
        let body = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"settings","kind":"configmaps","uid":"0d3bd7d6-9f27-4c39-8f3b-1c8a1b0a9d11"}}"#;
        let deleted =
            Status::deleted("", "configmaps", "settings", "0d3bd7d6-9f27-4c39-8f3b-1c8a1b0a9d11");
        assert_eq!(serde_json::to_string(&deleted).unwrap(), body);
    }

    #[test]
    fn conflict_and_already_exists_are_409_with_distinct_reasons() {
        let exists = Status::already_exists("", "pods", "web");
        assert_eq!((exists.code, exists.reason.as_str()), (409, "AlreadyExists"));
        assert_eq!(exists.message, r#"pods "web" already exists"#);

        let conflict = Status::conflict(
            "",
            "pods",
            "web",
            "the object has been modified; please apply your changes to the latest version and try again",
        );
        assert_eq!((conflict.code, conflict.reason.as_str()), (409, "Conflict"));
        assert_eq!(
            conflict.message,
            r#"Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again"#
        );

        let generated = Status::generate_name_conflict("", "pods", "web-x7k2p", 1);
        assert_eq!(generated.reason, "AlreadyExists");
        assert_eq!(
            generated.message,
            r#"pods "web-x7k2p" already exists, the server was not able to generate a unique name for the object"#
        );
        assert_eq!(generated.details.unwrap().retry_after_seconds, 1);
    }

    #[test]
    fn invalid_with_one_cause_matches_a_real_422() {
        let body = r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Pod \"web\" is invalid: spec.containers[0].image: Required value","reason":"Invalid","details":{"name":"web","kind":"Pod","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.containers[0].image"}]},"code":422}"#;
        let status = Status::invalid(
            "",
            "Pod",
            "web",
            vec![StatusCause::new(
                cause_type::FIELD_VALUE_REQUIRED,
                "spec.containers[0].image",
                "Required value",
            )],
        );
        assert_eq!(serde_json::to_string(&status).unwrap(), body);
        let decoded: Status = serde_json::from_str(body).unwrap();
        assert_eq!(decoded.details.unwrap().causes[0].type_, "FieldValueRequired");
    }

    #[test]
    fn invalid_with_several_causes_brackets_the_distinct_ones() {
        let required = StatusCause::new(
            cause_type::FIELD_VALUE_REQUIRED,
            "spec.template.spec.containers[0].name",
            "Required value",
        );
        let bad_selector = StatusCause::new(
            cause_type::FIELD_VALUE_INVALID,
            "spec.selector",
            r#"Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"#,
        );
        let status = Status::invalid(
            "apps",
            "Deployment",
            "web",
            vec![required.clone(), bad_selector.clone(), required.clone()],
        );
        assert_eq!(status.code, 422);
        assert_eq!(
            status.message,
            r#"Deployment.apps "web" is invalid: [spec.template.spec.containers[0].name: Required value, spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment]"#
        );
        let details = status.details.unwrap();
        assert_eq!((details.group.as_str(), details.kind.as_str()), ("apps", "Deployment"));
        assert_eq!(details.causes, vec![required.clone(), bad_selector, required.clone()]);

        let repeated = Status::invalid("", "Pod", "p", vec![required.clone(), required]);
        assert_eq!(
            repeated.message,
            r#"Pod "p" is invalid: spec.template.spec.containers[0].name: Required value"#
        );
        assert_eq!(Status::invalid("", "Pod", "p", vec![]).message, r#"Pod "p" is invalid"#);
    }

    #[test]
    fn forbidden_has_three_message_forms() {
        let named = Status::forbidden(
            "",
            "pods",
            "web",
            r#"User "bob" cannot get resource "pods" in API group "" in the namespace "default""#,
        );
        assert_eq!((named.code, named.reason.as_str()), (403, "Forbidden"));
        assert_eq!(
            named.message,
            r#"pods "web" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "default""#
        );
        assert_eq!(
            Status::forbidden("apps", "deployments", "", "no").message,
            "deployments.apps is forbidden: no"
        );
        assert_eq!(Status::forbidden("", "", "", "no").message, "forbidden: no");
    }

    #[test]
    fn simple_failures_carry_their_code_reason_and_message() {
        let cases = [
            (Status::bad_request("bad"), 400, "BadRequest", "bad"),
            (Status::unauthorized(""), 401, "Unauthorized", "not authorized"),
            (Status::unauthorized("Unauthorized"), 401, "Unauthorized", "Unauthorized"),
            (
                Status::method_not_supported("", "pods", "deletecollection"),
                405,
                "MethodNotAllowed",
                r#"deletecollection is not supported on resources of kind "pods""#,
            ),
            (
                Status::not_acceptable(&["application/json", "application/yaml"]),
                406,
                "NotAcceptable",
                "only the following media types are accepted: application/json, application/yaml",
            ),
            (
                Status::unsupported_media_type(&["application/json", "application/yaml"]),
                415,
                "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml",
            ),
            (Status::gone("gone"), 410, "Gone", "gone"),
            (
                Status::too_old_resource_version(12, 340),
                410,
                "Expired",
                "too old resource version: 12 (340)",
            ),
            (
                Status::request_entity_too_large("limit is 3145728"),
                413,
                "RequestEntityTooLarge",
                "Request entity too large: limit is 3145728",
            ),
            (Status::service_unavailable("etcd down"), 503, "ServiceUnavailable", "etcd down"),
            (
                Status::timeout(
                    "request did not complete within requested timeout - context deadline exceeded",
                    0,
                ),
                504,
                "Timeout",
                "Timeout: request did not complete within requested timeout - context deadline exceeded",
            ),
        ];
        for (status, code, reason, message) in cases {
            assert_eq!(status.code, code, "{message}");
            assert_eq!(status.reason, reason, "{message}");
            assert_eq!(status.message, message);
            assert_eq!(status.status, "Failure");
            assert_eq!((status.kind.as_str(), status.api_version.as_str()), ("Status", "v1"));
        }
    }

    #[test]
    fn retry_hints_are_written_as_upstream_does() {
        assert_eq!(
            wire(&Status::too_many_requests("Too many requests, please try again later.", 1)),
            json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                   "message": "Too many requests, please try again later.",
                   "reason": "TooManyRequests", "details": {"retryAfterSeconds": 1}, "code": 429})
        );
        assert_eq!(wire(&Status::timeout("slow", 0))["details"], json!({}));

        let server_timeout = Status::server_timeout("", "pods", "get", 2);
        assert_eq!((server_timeout.code, server_timeout.reason.as_str()), (500, "ServerTimeout"));
        assert_eq!(
            server_timeout.message,
            "The get operation against pods could not be completed at this time, please try again."
        );
        assert_eq!(server_timeout.retry_after_seconds(), Some(2));
        assert_eq!(Status::not_found("", "pods", "x").retry_after_seconds(), None);
    }

    #[test]
    fn internal_error_keeps_the_error_as_its_cause() {
        assert_eq!(
            wire(&Status::internal_error("etcdserver: request timed out")),
            json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                   "message": "Internal error occurred: etcdserver: request timed out",
                   "reason": "InternalError",
                   "details": {"causes": [{"message": "etcdserver: request timed out"}]},
                   "code": 500})
        );
    }

    #[test]
    fn names_are_quoted_like_go() {
        assert_eq!(
            Status::not_found("", "pods", "a\"b\\c\n").message,
            r#"pods "a\"b\\c\n" not found"#
        );
    }

    #[test]
    fn clients_recognize_reasons_like_client_go() {
        let not_found = Status::not_found("", "pods", "x");
        assert!(not_found.is(StatusReason::NotFound));
        assert!(!not_found.is(StatusReason::Conflict));

        let bare_404 = Status { code: 404, ..Default::default() };
        assert!(bare_404.is(StatusReason::NotFound));
        let custom = Status { code: 404, reason: "SomethingNew".into(), ..Default::default() };
        assert!(custom.is(StatusReason::NotFound));
        let known_other = Status { code: 404, reason: "Conflict".into(), ..Default::default() };
        assert!(!known_other.is(StatusReason::NotFound));

        let bare_409 = Status { code: 409, ..Default::default() };
        assert!(bare_409.is(StatusReason::Conflict));
        assert!(!bare_409.is(StatusReason::AlreadyExists));
        let bare_410 = Status { code: 410, ..Default::default() };
        assert!(bare_410.is(StatusReason::Gone));
        assert!(!bare_410.is(StatusReason::Expired));
        assert!(Status::too_old_resource_version(1, 2).is(StatusReason::Expired));

        let throttled = Status { code: 429, reason: "Forbidden".into(), ..Default::default() };
        assert!(throttled.is(StatusReason::TooManyRequests));
    }

    #[test]
    fn status_is_an_error_whose_text_is_its_message() {
        let error: Box<dyn std::error::Error> = Box::new(Status::not_found("", "pods", "x"));
        assert_eq!(error.to_string(), r#"pods "x" not found"#);
    }

    #[test]
    fn from_object_only_accepts_status_kinds() {
        let body = json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 500});
        assert_eq!(Status::from_object(&body).unwrap().code, 500);
        let meta = json!({"kind": "Status", "apiVersion": "meta.k8s.io/v1", "status": "Success"});
        assert!(Status::from_object(&meta).is_some());
        let pod = json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "x"}});
        assert!(Status::from_object(&pod).is_none());
        let foreign = json!({"kind": "Status", "apiVersion": "example.com/v1"});
        assert!(Status::from_object(&foreign).is_none());
    }

    #[test]
    fn null_fields_decode_as_empty() {
        let status: Status = serde_json::from_str(
            r#"{"kind":"Status","metadata":null,"message":null,"details":{"causes":null},"code":null}"#,
        )
        .unwrap();
        assert_eq!(status.code, 0);
        assert!(status.details.unwrap().causes.is_empty());
    }
}
