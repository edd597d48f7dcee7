//! The generic resource handlers: one per verb, the same for every kind. Each reads the verb's
//! options from the query, decodes the body, calls the resource's [`RestResource`] and writes
//! its answer (or its `Status`) in the negotiated format.

use super::ApiServer;
use super::conversion::{self, IncludeObject, list_items, metadata_str, set_metadata_field};
use super::limits::{MAX_REQUEST_BODY_BYTES, read_body, watch_duration};
use super::negotiation::{BodyFormat, Conversion, Endpoint, Negotiated, body_format, negotiate};
use super::observe::RequestRecord;
use super::response::{
    ResponseBody, method_not_allowed, not_found, object_response, status_response,
    with_content_type,
};
use super::router::{ResourcePath, ResourceRequest, Verb};
use super::watch::{EventObjects, WatchBody};
use crate::registry::{ResourceInfo, RestResource};
use api_types::meta::v1::{
    CreateOptions, DeleteOptions, GetOptions, ListOptions, PatchOptions, PatchType, QueryError,
    QueryParameters, QueryParams, Status, UpdateOptions,
};
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::header::{ACCEPT, CONTENT_TYPE};
use hyper::http::request::Parts;
use hyper::{Response, StatusCode};
use serde_json::Value;
use std::sync::Arc;

/// The namespace a namespaced object posted to a cluster-wide collection lands in when its body
/// names none (the book's `POST /api/v1/pods`).
const DEFAULT_NAMESPACE: &str = "default";

/// Subresources whose bodies are objects of the resource's own kind; others (`scale`, `binding`,
/// `eviction`) carry their own kinds.
const SAME_KIND_SUBRESOURCES: [&str; 1] = ["status"];

/// Everything about the request the handlers read besides its body.
pub struct RequestContext<'a> {
    pub parts: &'a Parts,
    pub params: &'a QueryParams,
    /// Indent JSON (`?pretty=true`, or a curl, wget or browser user agent, as upstream).
    pub pretty: bool,
}

impl RequestContext<'_> {
    fn header(&self, name: hyper::header::HeaderName) -> Option<&str> {
        self.parts.headers.get(name).and_then(|value| value.to_str().ok())
    }

    fn options<T: QueryParameters>(&self) -> Result<T, Status> {
        T::from_params(self.params).map_err(bad_query)
    }
}

/// A malformed query parameter: 400, naming the parameter.
fn bad_query(error: QueryError) -> Status {
    Status::bad_request(error.to_string())
}

/// Serves one resource request; every failure becomes its `Status` response.
pub async fn serve_resource(
    server: &ApiServer,
    request: ResourceRequest,
    context: &RequestContext<'_>,
    body: Incoming,
    record: &mut Option<RequestRecord>,
) -> Response<ResponseBody> {
    match serve(server, request, context, body, record).await {
        Ok(response) => response,
        Err(status) => status_response(&status),
    }
}

async fn serve(
    server: &ApiServer,
    request: ResourceRequest,
    context: &RequestContext<'_>,
    body: Incoming,
    record: &mut Option<RequestRecord>,
) -> Result<Response<ResponseBody>, Status> {
    let path = &request.path;
    let resource = server
        .resources
        .get(&path.group, &path.version, &path.resource)
        .cloned()
        .ok_or_else(not_found)?;
    check_scope(resource.info(), &request)?;
    let endpoint = endpoint_of(&request);
    let negotiated = negotiate(context.header(ACCEPT), endpoint)?;
    let namespace = path.namespace.as_deref();
    let name = path.name.as_deref().unwrap_or_default();
    let subresource = path.subresource.as_deref();
    match request.verb {
        Verb::Get => {
            let options: GetOptions = context.options()?;
            let object = resource.get(namespace, name, subresource, &options).await?;
            converted(resource.as_ref(), object, endpoint, negotiated, context, StatusCode::OK)
        }
        Verb::List => {
            let options: ListOptions = context.options()?;
            let list = resource.list(namespace, &options).await?;
            converted(resource.as_ref(), list, endpoint, negotiated, context, StatusCode::OK)
        }
        Verb::Watch => watch(server, resource, &request, negotiated, context, record).await,
        Verb::Create if path.name.is_some() => {
            create_on_subresource(server, resource.as_ref(), path, context, body, negotiated).await
        }
        Verb::Create => {
            let options: CreateOptions = context.options()?;
            let mut object = read_object(context, body, resource.info(), true).await?;
            let namespace = create_namespace(resource.info(), namespace, &object);
            ensure_namespace(&mut object, namespace.as_deref())?;
            let created = resource.create(namespace.as_deref(), object, &options).await?;
            Ok(respond(StatusCode::CREATED, &created, negotiated, context))
        }
        Verb::Update => {
            let options: UpdateOptions = context.options()?;
            let same_kind = subresource.is_none_or(|sub| SAME_KIND_SUBRESOURCES.contains(&sub));
            let mut object = read_object(context, body, resource.info(), same_kind).await?;
            if same_kind {
                check_name(&object, name, namespace)?;
                ensure_namespace(&mut object, namespace)?;
            }
            let (updated, created) =
                resource.update(namespace, name, subresource, object, &options).await?;
            let code = if created { StatusCode::CREATED } else { StatusCode::OK };
            Ok(respond(code, &updated, negotiated, context))
        }
        Verb::Patch => {
            let options: PatchOptions = context.options()?;
            let content_type = context.header(CONTENT_TYPE).unwrap_or_default();
            let patch_type = PatchType::from_content_type(content_type).ok_or_else(|| {
                let accepted = PatchType::ALL.map(PatchType::content_type);
                Status::unsupported_media_type(&accepted)
            })?;
            let bytes = read_body(body, MAX_REQUEST_BODY_BYTES).await?;
            let patch = decode_patch(&bytes, patch_type)?;
            let patched =
                resource.patch(namespace, name, subresource, patch_type, patch, &options).await?;
            Ok(respond(StatusCode::OK, &patched, negotiated, context))
        }
        Verb::Delete => {
            let options = delete_options(context, body).await?;
            let deleted = resource.delete(namespace, name, &options).await?;
            Ok(respond(delete_code(&deleted, &options), &deleted, negotiated, context))
        }
        Verb::DeleteCollection => {
            let list_options: ListOptions = context.options()?;
            let options = delete_options(context, body).await?;
            let deleted = resource.delete_collection(namespace, &list_options, &options).await?;
            Ok(respond(StatusCode::OK, &deleted, negotiated, context))
        }
    }
}

/// Refuses paths that do not fit the resource's scope or name a subresource it lacks (404, as
/// upstream has no route for them), and collection deletes across all namespaces (405).
fn check_scope(info: &ResourceInfo, request: &ResourceRequest) -> Result<(), Status> {
    let path = &request.path;
    let fits = if info.namespaced {
        path.namespace.is_some() || path.name.is_none()
    } else {
        path.namespace.is_none()
    };
    if !fits {
        return Err(not_found());
    }
    if let Some(subresource) = &path.subresource {
        if !info.subresources.contains(&subresource.as_str()) {
            return Err(not_found());
        }
    }
    if info.namespaced && path.namespace.is_none() && request.verb == Verb::DeleteCollection {
        return Err(method_not_allowed(info.group, info.plural));
    }
    Ok(())
}

/// What kind of result the request returns, for content negotiation.
fn endpoint_of(request: &ResourceRequest) -> Endpoint {
    let own_kind =
        request.path.subresource.as_deref().is_none_or(|sub| SAME_KIND_SUBRESOURCES.contains(&sub));
    match request.verb {
        Verb::Get if own_kind => Endpoint::Object,
        Verb::List => Endpoint::List,
        Verb::Watch => Endpoint::Watch,
        _ => Endpoint::Plain,
    }
}

/// A plain response carrying `value`.
fn respond(
    code: StatusCode,
    value: &Value,
    negotiated: Negotiated,
    context: &RequestContext<'_>,
) -> Response<ResponseBody> {
    object_response(code, value, negotiated.media, context.pretty)
}

/// A get or list result in the negotiated conversion.
fn converted(
    resource: &dyn RestResource,
    result: Value,
    endpoint: Endpoint,
    negotiated: Negotiated,
    context: &RequestContext<'_>,
    code: StatusCode,
) -> Result<Response<ResponseBody>, Status> {
    let is_list = endpoint == Endpoint::List;
    let value = match negotiated.conversion {
        Conversion::None => result,
        Conversion::PartialMetadata(version) if is_list => {
            conversion::partial_metadata_list(&result, version)
        }
        Conversion::PartialMetadata(version) => conversion::partial_metadata(&result, version),
        Conversion::Table(version) => {
            let include =
                IncludeObject::parse(context.params.first("includeObject").unwrap_or_default())?;
            let table = if is_list {
                let metadata = result.get("metadata").cloned();
                conversion::table(resource, list_items(&result), metadata, version, include)?
            } else {
                conversion::table(resource, std::slice::from_ref(&result), None, version, include)?
            };
            serde_json::to_value(table).map_err(Status::internal_error)?
        }
    };
    Ok(object_response(code, &value, negotiated.media, context.pretty))
}

/// Starts a watch and answers with its stream. The legacy `/watch/.../<name>` form watches one
/// object through a `metadata.name` field selector, as upstream does.
async fn watch(
    server: &ApiServer,
    resource: Arc<dyn RestResource>,
    request: &ResourceRequest,
    negotiated: Negotiated,
    context: &RequestContext<'_>,
    record: &mut Option<RequestRecord>,
) -> Result<Response<ResponseBody>, Status> {
    let mut options: ListOptions = context.options()?;
    options.watch = true;
    if let Some(name) = &request.watch_name {
        let by_name = format!("metadata.name={name}");
        options.field_selector = if options.field_selector.is_empty() {
            by_name
        } else {
            format!("{},{by_name}", options.field_selector)
        };
    }
    let include = match negotiated.conversion {
        Conversion::Table(_) => {
            IncludeObject::parse(context.params.first("includeObject").unwrap_or_default())?
        }
        _ => IncludeObject::Metadata,
    };
    let duration = watch_duration(options.timeout_seconds, server.limits.min_request_timeout);
    let events = resource.watch(request.path.namespace.as_deref(), &options).await?;
    let objects = EventObjects::new(negotiated.conversion, resource, include);
    let body = WatchBody::new(events, objects, duration, server.shutdown.wait(), record.take());
    Ok(with_content_type(StatusCode::OK, negotiated.media.content_type(), body.boxed()))
}

/// `POST <plural>/<name>/<subresource>`. The `binding` subresource of pods is upstream's other
/// door to the `bindings` resource (the scheduler uses it); others are not creatable.
async fn create_on_subresource(
    server: &ApiServer,
    resource: &dyn RestResource,
    path: &ResourcePath,
    context: &RequestContext<'_>,
    body: Incoming,
    negotiated: Negotiated,
) -> Result<Response<ResponseBody>, Status> {
    let info = resource.info();
    let bindings = (path.subresource.as_deref() == Some("binding"))
        .then(|| server.resources.get(info.group, info.version, "bindings"))
        .flatten()
        .cloned();
    let Some(bindings) = bindings else {
        return Err(method_not_allowed(info.group, info.plural));
    };
    let options: CreateOptions = context.options()?;
    let mut binding = read_object(context, body, bindings.info(), true).await?;
    let name = path.name.as_deref().unwrap_or_default();
    if metadata_str(&binding, "name") != name {
        return Err(Status::bad_request("name in URL does not match name in Binding object"));
    }
    ensure_namespace(&mut binding, path.namespace.as_deref())?;
    let created = bindings.create(path.namespace.as_deref(), binding, &options).await?;
    Ok(respond(StatusCode::CREATED, &created, negotiated, context))
}

/// Reads and decodes a create or update body (JSON or YAML) into a JSON object. With
/// `own_kind`, a missing `apiVersion`/`kind` is taken from the endpoint and a different one is a
/// 400, as upstream's decoder treats them.
async fn read_object(
    context: &RequestContext<'_>,
    body: Incoming,
    info: &ResourceInfo,
    own_kind: bool,
) -> Result<Value, Status> {
    let format = body_format(context.header(CONTENT_TYPE))?;
    let bytes = read_body(body, MAX_REQUEST_BODY_BYTES).await?;
    decode_object(&bytes, format, info, own_kind)
}

/// Decodes a body into a JSON object; see [`read_object`].
pub fn decode_object(
    bytes: &Bytes,
    format: BodyFormat,
    info: &ResourceInfo,
    own_kind: bool,
) -> Result<Value, Status> {
    let unrecognized = |error: &dyn std::fmt::Display| {
        Status::bad_request(format!(
            "the object provided is unrecognized (must be of type {}): {error} ({})",
            info.kind,
            summarize(bytes)
        ))
    };
    let mut object: Value = match format {
        BodyFormat::Json => serde_json::from_slice(bytes).map_err(|error| unrecognized(&error))?,
        BodyFormat::Yaml => {
            serde_yaml_ng::from_slice(bytes).map_err(|error| unrecognized(&error))?
        }
    };
    let Some(fields) = object.as_object_mut() else {
        return Err(unrecognized(&"the body is not an object"));
    };
    if !own_kind {
        return Ok(object);
    }
    let expected_version = info.group_version();
    let api_version =
        fields.get("apiVersion").and_then(Value::as_str).unwrap_or_default().to_string();
    let kind = fields.get("kind").and_then(Value::as_str).unwrap_or_default().to_string();
    if !api_version.is_empty() && api_version != expected_version {
        return Err(Status::bad_request(format!(
            "the API version in the data ({api_version}) does not match the expected API version ({expected_version})"
        )));
    }
    if !kind.is_empty() && kind != info.kind {
        return Err(Status::bad_request(format!(
            "{kind} in version {:?} cannot be handled as a {}: the endpoint serves only {}",
            info.version, info.kind, info.kind
        )));
    }
    fields.insert("apiVersion".to_string(), Value::from(expected_version));
    fields.insert("kind".to_string(), Value::from(info.kind));
    Ok(object)
}

/// The first bytes of a body, for error messages, as upstream summarizes them.
fn summarize(bytes: &[u8]) -> String {
    const MAX: usize = 30;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX)]).into_owned();
    if bytes.len() > MAX { format!("{text} ...") } else { text }
}

/// The namespace a create lands in: the URL's; for a namespaced kind posted to the cluster-wide
/// collection, the body's, else `default`; none for cluster-scoped kinds.
fn create_namespace(
    info: &ResourceInfo,
    url_namespace: Option<&str>,
    object: &Value,
) -> Option<String> {
    if !info.namespaced {
        return None;
    }
    if let Some(namespace) = url_namespace {
        return Some(namespace.to_string());
    }
    let from_body = metadata_str(object, "namespace");
    Some(if from_body.is_empty() { DEFAULT_NAMESPACE } else { from_body }.to_string())
}

/// Makes the body's namespace agree with the request's, as upstream does before create and
/// update: an empty one is filled in, a cluster-scoped request clears it, a different one is a
/// 400.
pub fn ensure_namespace(object: &mut Value, request_namespace: Option<&str>) -> Result<(), Status> {
    let object_namespace = metadata_str(object, "namespace").to_string();
    let request_namespace = request_namespace.unwrap_or_default();
    if object_namespace == request_namespace {
        return Ok(());
    }
    if object_namespace.is_empty() || request_namespace.is_empty() {
        set_metadata_field(object, "namespace", Value::from(request_namespace));
        return Ok(());
    }
    Err(Status::bad_request(
        "the namespace of the provided object does not match the namespace sent on the request",
    ))
}

/// Refuses an update whose body names another object than its URL, with upstream's messages.
fn check_name(object: &Value, url_name: &str, url_namespace: Option<&str>) -> Result<(), Status> {
    let name = metadata_str(object, "name");
    if name != url_name {
        return Err(Status::bad_request(format!(
            "the name of the object ({name}) does not match the name on the URL ({url_name})"
        )));
    }
    let namespace = metadata_str(object, "namespace");
    if let Some(url_namespace) = url_namespace {
        if !namespace.is_empty() && namespace != url_namespace {
            return Err(Status::bad_request(format!(
                "the namespace of the object ({namespace}) does not match the namespace on the request ({url_namespace})"
            )));
        }
    }
    Ok(())
}

/// Decodes a patch body: JSON for the JSON, merge and strategic formats, YAML (a superset of
/// JSON) for server-side apply.
fn decode_patch(bytes: &Bytes, patch_type: PatchType) -> Result<Value, Status> {
    let decoded = match patch_type {
        PatchType::Apply => serde_yaml_ng::from_slice(bytes).map_err(|error| error.to_string()),
        _ => serde_json::from_slice(bytes).map_err(|error| error.to_string()),
    };
    decoded.map_err(|error| Status::bad_request(format!("error decoding patch: {error}")))
}

/// A delete's options: from the body when there is one (kubectl and the Python client send a
/// `DeleteOptions` object), else from the query.
async fn delete_options(
    context: &RequestContext<'_>,
    body: Incoming,
) -> Result<DeleteOptions, Status> {
    let bytes = read_body(body, MAX_REQUEST_BODY_BYTES).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return context.options();
    }
    let decoded = match body_format(context.header(CONTENT_TYPE))? {
        BodyFormat::Json => serde_json::from_slice(&bytes).map_err(|error| error.to_string()),
        BodyFormat::Yaml => serde_yaml_ng::from_slice(&bytes).map_err(|error| error.to_string()),
    };
    decoded.map_err(|error| Status::bad_request(format!("decoding DeleteOptions: {error}")))
}

/// 202 when the object is still there (finalizers or a grace period keep it) and the client
/// asked for cascading deletion with `orphanDependents: false`; 200 otherwise. Upstream keeps
/// 200 for the other pending cases so older clients are not surprised.
fn delete_code(result: &Value, options: &DeleteOptions) -> StatusCode {
    let pending = Status::from_object(result).is_none() && is_pending_deletion(result);
    if pending && options.orphan_dependents == Some(false) {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    }
}

/// Whether an object returned by a delete is only marked for deletion.
fn is_pending_deletion(object: &Value) -> bool {
    let Some(metadata) = object.get("metadata") else {
        return false;
    };
    let has_finalizers =
        metadata.get("finalizers").and_then(Value::as_array).is_some_and(|list| !list.is_empty());
    let grace = metadata.get("deletionGracePeriodSeconds").and_then(Value::as_i64).unwrap_or(0);
    metadata.get("deletionTimestamp").is_some_and(|stamp| !stamp.is_null())
        && (has_finalizers || grace > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config_maps() -> ResourceInfo {
        ResourceInfo {
            group: "",
            version: "v1",
            kind: "ConfigMap",
            plural: "configmaps",
            singular: "configmap".into(),
            namespaced: true,
            short_names: &["cm"],
            categories: &[],
            subresources: &[],
        }
    }

    fn nodes() -> ResourceInfo {
        ResourceInfo {
            kind: "Node",
            plural: "nodes",
            singular: "node".into(),
            namespaced: false,
            subresources: &["status", "proxy"],
            ..config_maps()
        }
    }

    fn request(
        verb: Verb,
        namespace: Option<&str>,
        name: Option<&str>,
        sub: Option<&str>,
    ) -> ResourceRequest {
        ResourceRequest {
            verb,
            path: ResourcePath {
                version: "v1".into(),
                namespace: namespace.map(Into::into),
                resource: "x".into(),
                name: name.map(Into::into),
                subresource: sub.map(Into::into),
                ..Default::default()
            },
            head: false,
            watch_name: None,
        }
    }

    #[test]
    fn scope_checks() {
        let cm = config_maps();
        assert!(check_scope(&cm, &request(Verb::List, None, None, None)).is_ok());
        assert!(check_scope(&cm, &request(Verb::Create, None, None, None)).is_ok());
        assert!(check_scope(&cm, &request(Verb::Get, Some("a"), Some("b"), None)).is_ok());
        assert_eq!(
            check_scope(&cm, &request(Verb::Get, None, Some("b"), None)).unwrap_err().code,
            404
        );
        assert_eq!(
            check_scope(&cm, &request(Verb::Get, Some("a"), Some("b"), Some("status")))
                .unwrap_err()
                .code,
            404
        );
        assert_eq!(
            check_scope(&cm, &request(Verb::DeleteCollection, None, None, None)).unwrap_err().code,
            405
        );
        let node = nodes();
        assert!(check_scope(&node, &request(Verb::Get, None, Some("n"), Some("status"))).is_ok());
        assert_eq!(
            check_scope(&node, &request(Verb::List, Some("a"), None, None)).unwrap_err().code,
            404
        );
        assert_eq!(
            check_scope(&node, &request(Verb::Get, None, Some("n"), Some("scale")))
                .unwrap_err()
                .code,
            404
        );
    }

    #[test]
    fn bodies_get_their_type_from_the_endpoint() {
        let info = config_maps();
        let bare = Bytes::from_static(br#"{"metadata":{"name":"a"},"data":{"k":"v"}}"#);
        let object = decode_object(&bare, BodyFormat::Json, &info, true).unwrap();
        assert_eq!(object["kind"], "ConfigMap");
        assert_eq!(object["apiVersion"], "v1");

        let yaml = Bytes::from_static(
            b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n",
        );
        let object = decode_object(&yaml, BodyFormat::Yaml, &info, true).unwrap();
        assert_eq!(object["data"]["k"], "v");

        let wrong_version = Bytes::from_static(br#"{"apiVersion":"apps/v1","kind":"ConfigMap"}"#);
        let status = decode_object(&wrong_version, BodyFormat::Json, &info, true).unwrap_err();
        assert_eq!(
            status.message,
            "the API version in the data (apps/v1) does not match the expected API version (v1)"
        );
        let wrong_kind = Bytes::from_static(br#"{"apiVersion":"v1","kind":"Secret"}"#);
        let status = decode_object(&wrong_kind, BodyFormat::Json, &info, true).unwrap_err();
        assert!(
            status.message.starts_with("Secret in version \"v1\" cannot be handled as a ConfigMap"),
            "{}",
            status.message
        );

        let broken = Bytes::from_static(b"{\"metadata\": ");
        let status = decode_object(&broken, BodyFormat::Json, &info, true).unwrap_err();
        assert_eq!(status.code, 400);
        assert!(
            status
                .message
                .starts_with("the object provided is unrecognized (must be of type ConfigMap)"),
            "{}",
            status.message
        );
        let list = Bytes::from_static(b"[1]");
        assert_eq!(decode_object(&list, BodyFormat::Json, &info, true).unwrap_err().code, 400);

        // Bodies of other kinds (a Scale for `/scale`) are passed on untouched.
        let scale = Bytes::from_static(br#"{"apiVersion":"autoscaling/v1","kind":"Scale"}"#);
        let object = decode_object(&scale, BodyFormat::Json, &info, false).unwrap();
        assert_eq!(object["kind"], "Scale");
    }

    #[test]
    fn namespaces_must_agree() {
        let mut object = json!({"metadata": {"name": "a"}});
        ensure_namespace(&mut object, Some("prod")).unwrap();
        assert_eq!(object["metadata"]["namespace"], "prod");
        ensure_namespace(&mut object, Some("prod")).unwrap();
        let status = ensure_namespace(&mut object, Some("dev")).unwrap_err();
        assert_eq!(status.code, 400);
        assert_eq!(
            status.message,
            "the namespace of the provided object does not match the namespace sent on the request"
        );
        ensure_namespace(&mut object, None).unwrap();
        assert_eq!(object["metadata"]["namespace"], "");

        let info = config_maps();
        let in_body = json!({"metadata": {"namespace": "ns-sample"}});
        assert_eq!(create_namespace(&info, None, &in_body).as_deref(), Some("ns-sample"));
        assert_eq!(create_namespace(&info, None, &json!({})).as_deref(), Some("default"));
        assert_eq!(create_namespace(&info, Some("x"), &in_body).as_deref(), Some("x"));
        assert_eq!(create_namespace(&nodes(), None, &in_body), None);
    }

    #[test]
    fn update_names_must_match_the_url() {
        let object = json!({"metadata": {"name": "a", "namespace": "prod"}});
        assert!(check_name(&object, "a", Some("prod")).is_ok());
        assert_eq!(
            check_name(&object, "b", Some("prod")).unwrap_err().message,
            "the name of the object (a) does not match the name on the URL (b)"
        );
        assert_eq!(
            check_name(&object, "a", Some("dev")).unwrap_err().message,
            "the namespace of the object (prod) does not match the namespace on the request (dev)"
        );
    }

    #[test]
    fn patches_decode_by_type() {
        let merge = Bytes::from_static(br#"{"metadata":{"labels":{"a":"b"}}}"#);
        assert_eq!(decode_patch(&merge, PatchType::Merge).unwrap()["metadata"]["labels"]["a"], "b");
        let json_patch = Bytes::from_static(br#"[{"op":"add","path":"/a","value":1}]"#);
        assert!(decode_patch(&json_patch, PatchType::Json).unwrap().is_array());
        let apply = Bytes::from_static(b"apiVersion: v1\nkind: ConfigMap\n");
        assert_eq!(decode_patch(&apply, PatchType::Apply).unwrap()["kind"], "ConfigMap");
        let status =
            decode_patch(&Bytes::from_static(b"{"), PatchType::StrategicMerge).unwrap_err();
        assert_eq!(status.code, 400);
    }

    #[test]
    fn delete_codes() {
        let cascade = DeleteOptions { orphan_dependents: Some(false), ..Default::default() };
        let kept = json!({"metadata": {"name": "a", "deletionTimestamp": "2024-01-01T00:00:00Z",
                                       "finalizers": ["kubernetes"]}});
        assert_eq!(delete_code(&kept, &cascade), StatusCode::ACCEPTED);
        assert_eq!(delete_code(&kept, &DeleteOptions::default()), StatusCode::OK);
        let graceful = json!({"metadata": {"deletionTimestamp": "2024-01-01T00:00:00Z",
                                           "deletionGracePeriodSeconds": 30}});
        assert_eq!(delete_code(&graceful, &cascade), StatusCode::ACCEPTED);
        let gone = json!({"metadata": {"name": "a"}});
        assert_eq!(delete_code(&gone, &cascade), StatusCode::OK);
        let status = serde_json::to_value(Status::deleted("", "pods", "a", "u")).unwrap();
        assert_eq!(delete_code(&status, &cascade), StatusCode::OK);
    }

    #[test]
    fn summaries_are_short() {
        assert_eq!(summarize(b"short"), "short");
        assert_eq!(summarize(&[b'a'; 40]), format!("{} ...", "a".repeat(30)));
    }
}
