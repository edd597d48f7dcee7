//! The generic resource handlers: one per verb, the same for every kind. Each reads the verb's
//! options from the query, decodes the body, calls the resource's [`RestResource`] and writes
//! its answer (or its `Status`) in the negotiated format.

use super::ApiServer;
use super::conversion::{self, IncludeObject, list_items, metadata_str, set_metadata_field};
use super::decode::{BodyFormat, body_format, decode_object, decode_patch, decode_value};
use super::deprecation;
use super::field_validation::{Directive, Warnings, judge_body, judge_patch};
use super::limits::{MAX_REQUEST_BODY_BYTES, read_body, watch_duration};
use super::observe::RequestRecord;
use super::response::{
    ResponseBody, method_not_allowed, not_found, object_response, status_response,
    with_content_type,
};
use super::router::{ResourcePath, ResourceRequest, Verb};
use super::watch::{EventObjects, WatchBody};
use crate::negotiation::{Conversion, MediaType, Offer, negotiate};
use crate::registry::{ResourceInfo, RestResource};
use api_types::meta::v1::{
    CreateOptions, DeleteOptions, GetOptions, ListOptions, PatchOptions, PatchType, QueryError,
    QueryParameters, QueryParams, Status, StatusReason, UpdateOptions,
};
use hyper::body::Incoming;
use hyper::header::{ACCEPT, CONTENT_TYPE, HeaderValue, WARNING};
use hyper::http::request::Parts;
use hyper::{Response, StatusCode};
use serde_json::Value;
use std::sync::Arc;

/// The namespace a namespaced object posted to a cluster-wide collection lands in when its body
/// names none (the book's `POST /api/v1/pods`).
const DEFAULT_NAMESPACE: &str = "default";

/// Subresources whose bodies are objects of the resource's own kind; others (`scale`, `binding`,
/// `eviction`) carry their own kinds.
const SAME_KIND_SUBRESOURCES: [&str; 2] = ["status", "finalize"];

/// Everything about the request the handlers read besides its body.
pub struct RequestContext<'a> {
    pub parts: &'a Parts,
    pub params: &'a QueryParams,
    /// Indent JSON (`?pretty=true`, or a curl, wget or browser user agent, as upstream).
    pub pretty: bool,
    /// The client's connection once upgraded, for the proxy to take when it forwards an upgrade
    /// request (`exec`, `port-forward`); `None` when the request cannot upgrade.
    pub upgrade: std::sync::Mutex<Option<hyper::upgrade::OnUpgrade>>,
}

impl RequestContext<'_> {
    /// Takes the pending upgrade of the client's connection; only the first caller gets it.
    pub fn take_upgrade(&self) -> Option<hyper::upgrade::OnUpgrade> {
        self.upgrade.lock().ok().and_then(|mut upgrade| upgrade.take())
    }

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
    let path = &request.path;
    let resource = server.resources.get(&path.group, &path.version, &path.resource);
    let warning = resource.and_then(|resource| deprecation::warning(resource.info()));
    let mut response = match serve(server, request, context, body, record).await {
        Ok(response) => response,
        Err(status) => status_response(&status),
    };
    if let Some(value) = warning.and_then(|warning| HeaderValue::from_str(&warning).ok()) {
        response.headers_mut().append(WARNING, value);
    }
    response
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
    if super::proxy::serves(&request) {
        // Streamed from the kubelet; exec, attach and port-forward count as CONNECT, as upstream.
        if let Some(record) =
            record.as_mut().filter(|_| request.path.subresource.as_deref() != Some("log"))
        {
            record.labels.verb = "CONNECT".to_string();
        }
        let proxy = &server.proxy;
        return Ok(proxy
            .serve_kubelet_subresource(&server.resources, &request, context, body)
            .await);
    }
    let shape = shape_of(&request);
    let info = resource.info();
    let protobuf = crate::protobuf::serves(&info.group_version(), info.kind);
    let negotiated = negotiate_for(context.header(ACCEPT), shape, protobuf)?;
    let namespace = path.namespace.as_deref();
    let name = path.name.as_deref().unwrap_or_default();
    let subresource = path.subresource.as_deref();
    match request.verb {
        Verb::Get => {
            let options: GetOptions = context.options()?;
            let object = resource.get(namespace, name, subresource, &options).await?;
            converted(resource.as_ref(), object, shape, &negotiated, context)
        }
        Verb::List => {
            let options: ListOptions = context.options()?;
            let list = resource.list(namespace, &options).await?;
            converted(resource.as_ref(), list, shape, &negotiated, context)
        }
        Verb::Watch => watch(server, resource, &request, &negotiated, context, record).await,
        Verb::Create if path.name.is_some() => {
            create_on_subresource(server, resource.as_ref(), path, context, body, &negotiated).await
        }
        Verb::Create => {
            let options: CreateOptions = context.options()?;
            let (mut object, warnings) =
                read_object(context, body, resource.info(), Some("CreateOptions")).await?;
            let namespace = create_namespace(resource.info(), namespace, &object);
            ensure_namespace(&mut object, namespace.as_deref())?;
            let created = resource.create(namespace.as_deref(), object, &options).await?;
            Ok(warned(respond(StatusCode::CREATED, &created, &negotiated, context), &warnings))
        }
        Verb::Update => {
            let options: UpdateOptions = context.options()?;
            let same_kind = subresource.is_none_or(|sub| SAME_KIND_SUBRESOURCES.contains(&sub));
            let checked = same_kind.then_some("UpdateOptions");
            let (mut object, warnings) =
                read_object(context, body, resource.info(), checked).await?;
            if same_kind {
                check_name(&object, name, namespace)?;
                ensure_namespace(&mut object, namespace)?;
            }
            let (updated, created) =
                resource.update(namespace, name, subresource, object, &options).await?;
            let code = if created { StatusCode::CREATED } else { StatusCode::OK };
            Ok(warned(respond(code, &updated, &negotiated, context), &warnings))
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
            let warnings = if subresource.is_none() {
                check_patch(resource.as_ref(), namespace, name, patch_type, &bytes, &patch, context)
                    .await?
            } else {
                Warnings::default()
            };
            let patched =
                resource.patch(namespace, name, subresource, patch_type, patch, &options).await?;
            Ok(warned(respond(StatusCode::OK, &patched, &negotiated, context), &warnings))
        }
        Verb::Delete => {
            let options = delete_options(context, body).await?;
            let deleted = resource.delete(namespace, name, &options).await?;
            Ok(respond(delete_code(&deleted, &options), &deleted, &negotiated, context))
        }
        Verb::DeleteCollection => {
            let list_options: ListOptions = context.options()?;
            let options = delete_options(context, body).await?;
            let deleted = resource.delete_collection(namespace, &list_options, &options).await?;
            Ok(respond(StatusCode::OK, &deleted, &negotiated, context))
        }
    }
}

/// Refuses paths that do not fit the resource's scope or name a subresource it lacks (404, as
/// upstream has no route for them), and verbs the resource does not serve, including collection
/// deletes across all namespaces (405).
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
    if path.subresource.is_none() && !info.verbs.contains(&request.verb.as_str()) {
        return Err(method_not_allowed(info.group, info.plural));
    }
    Ok(())
}

/// What a request returns, which decides the representations it can be answered in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// One object of the resource's kind (get).
    Object,
    /// A list of them (list).
    List,
    /// A stream of events about them (watch).
    Watch,
    /// Anything else: the result of a write, or a subresource of another kind.
    Plain,
}

/// What kind of result the request returns, for content negotiation.
fn shape_of(request: &ResourceRequest) -> Shape {
    let own_kind =
        request.path.subresource.as_deref().is_none_or(|sub| SAME_KIND_SUBRESOURCES.contains(&sub));
    match request.verb {
        Verb::Get if own_kind => Shape::Object,
        Verb::List => Shape::List,
        Verb::Watch => Shape::Watch,
        _ => Shape::Plain,
    }
}

/// Negotiates the response representation for a request of `shape`: tables and metadata-only
/// views for reads, JSON only for watch streams, plain objects for writes, and protobuf for
/// kinds with protobuf tables. Asking for a list view of one object (or the reverse) is a 406,
/// as upstream answers it.
fn negotiate_for(accept: Option<&str>, shape: Shape, protobuf: bool) -> Result<MediaType, Status> {
    let offer = match shape {
        Shape::Object | Shape::List => Offer { protobuf, ..Offer::RESOURCE },
        Shape::Watch => Offer { yaml: false, ..Offer::RESOURCE },
        Shape::Plain => Offer { protobuf, ..Offer::DOCUMENT },
    };
    let negotiated = negotiate(accept, offer).map_err(|refusal| refusal.status())?;
    let mismatch = match (&negotiated.conversion, shape) {
        (Some(Conversion::PartialObjectMetadataList(_)), Shape::Object | Shape::Watch) => {
            Some("PartialObjectMetadataList, but the requested object is not a list")
        }
        (Some(Conversion::PartialObjectMetadata(_)), Shape::List) => {
            Some("PartialObjectMetadata, but the requested object is a list")
        }
        _ => None,
    };
    match mismatch {
        Some(detail) => {
            Err(Status::failure(StatusReason::NotAcceptable, format!("you requested {detail}")))
        }
        None => Ok(negotiated),
    }
}

/// A plain response carrying `value`.
fn respond(
    code: StatusCode,
    value: &Value,
    negotiated: &MediaType,
    context: &RequestContext<'_>,
) -> Response<ResponseBody> {
    object_response(code, value, negotiated, context.pretty)
}

/// A get or list result in the negotiated conversion.
fn converted(
    resource: &dyn RestResource,
    result: Value,
    shape: Shape,
    negotiated: &MediaType,
    context: &RequestContext<'_>,
) -> Result<Response<ResponseBody>, Status> {
    let value = match &negotiated.conversion {
        Some(Conversion::PartialObjectMetadataList(version)) => {
            conversion::partial_metadata_list(&result, *version)
        }
        Some(Conversion::PartialObjectMetadata(version)) => {
            conversion::partial_metadata(&result, *version)
        }
        Some(Conversion::Table(version)) => {
            let include = include_object(context)?;
            let table = if shape == Shape::List {
                let metadata = result.get("metadata").cloned();
                conversion::table(resource, list_items(&result), metadata, *version, include)?
            } else {
                conversion::table(resource, std::slice::from_ref(&result), None, *version, include)?
            };
            serde_json::to_value(table).map_err(Status::internal_error)?
        }
        _ => result,
    };
    Ok(object_response(StatusCode::OK, &value, negotiated, context.pretty))
}

/// The `includeObject` parameter of table requests.
fn include_object(context: &RequestContext<'_>) -> Result<IncludeObject, Status> {
    IncludeObject::parse(context.params.first("includeObject").unwrap_or_default())
}

/// Starts a watch and answers with its stream. The legacy `/watch/.../<name>` form watches one
/// object through a `metadata.name` field selector, as upstream does.
async fn watch(
    server: &ApiServer,
    resource: Arc<dyn RestResource>,
    request: &ResourceRequest,
    negotiated: &MediaType,
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
        Some(Conversion::Table(_)) => include_object(context)?,
        _ => IncludeObject::Metadata,
    };
    let duration = watch_duration(options.timeout_seconds, server.limits.min_request_timeout);
    let events = resource.watch(request.path.namespace.as_deref(), &options).await?;
    let objects = EventObjects::new(negotiated.conversion.as_ref(), resource, include);
    let body = WatchBody::new(events, objects, duration, server.shutdown.wait(), record.take());
    Ok(with_content_type(StatusCode::OK, negotiated.format.media_type(), body.boxed()))
}

/// `POST <plural>/<name>/<subresource>`: the subresources that accept an object of their own
/// kind for the named object (`pods/binding`, `pods/eviction`); others are not creatable.
async fn create_on_subresource(
    server: &ApiServer,
    resource: &dyn RestResource,
    path: &ResourcePath,
    context: &RequestContext<'_>,
    body: Incoming,
    negotiated: &MediaType,
) -> Result<Response<ResponseBody>, Status> {
    let info = resource.info();
    let subresource = path.subresource.as_deref().unwrap_or_default();
    let Some(handler) =
        server.resources.named_create(info.group, info.version, info.plural, subresource).cloned()
    else {
        return Err(method_not_allowed(info.group, info.plural));
    };
    let options: CreateOptions = context.options()?;
    let (mut object, _) = read_object(context, body, handler.accepts(), None).await?;
    ensure_namespace(&mut object, path.namespace.as_deref())?;
    let name = path.name.as_deref().unwrap_or_default();
    let created = handler.create_named(path.namespace.as_deref(), name, object, &options).await?;
    Ok(respond(StatusCode::CREATED, &created, negotiated, context))
}

/// Reads and decodes a create or update body (JSON or YAML) into a JSON object. With
/// `checked_as` (the verb's options kind), the body is of the endpoint's own kind: a missing
/// `apiVersion`/`kind` is taken from the endpoint, a different one is a 400, as upstream's
/// decoder treats them, and its unknown and duplicate fields are judged by `fieldValidation`.
async fn read_object(
    context: &RequestContext<'_>,
    body: Incoming,
    info: &ResourceInfo,
    checked_as: Option<&str>,
) -> Result<(Value, Warnings), Status> {
    let format = body_format(context.header(CONTENT_TYPE))?;
    let bytes = read_body(body, MAX_REQUEST_BODY_BYTES).await?;
    let object = decode_object(&bytes, format, info, checked_as.is_some())?;
    let Some(options_kind) = checked_as else {
        return Ok((object, Warnings::default()));
    };
    let directive = Directive::parse(context.params.first("fieldValidation"), options_kind)?;
    let raw = (format == BodyFormat::Json).then_some(bytes.as_ref());
    let warnings = judge_body(directive, raw, &object, info)?;
    Ok((object, warnings))
}

/// Judges a patch of the object itself by `fieldValidation` against the object as stored now;
/// a missing object is left for the patch to report.
async fn check_patch(
    resource: &dyn RestResource,
    namespace: Option<&str>,
    name: &str,
    patch_type: PatchType,
    raw: &[u8],
    patch: &Value,
    context: &RequestContext<'_>,
) -> Result<Warnings, Status> {
    let directive = Directive::parse(context.params.first("fieldValidation"), "PatchOptions")?;
    if !directive.checks() || patch_type == PatchType::Apply {
        return Ok(Warnings::default());
    }
    match resource.get(namespace, name, None, &GetOptions::default()).await {
        Ok(current) => judge_patch(directive, &current, patch_type, raw, patch, resource.info()),
        Err(_) => Ok(Warnings::default()),
    }
}

/// `response` with the request's warnings as `Warning` headers.
fn warned(mut response: Response<ResponseBody>, warnings: &Warnings) -> Response<ResponseBody> {
    warnings.attach(&mut response);
    response
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
    decode_value(&bytes, body_format(context.header(CONTENT_TYPE))?)
        .map_err(|error| Status::bad_request(format!("decoding DeleteOptions: {error}")))
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
            verbs: ResourceInfo::ALL_VERBS,
        }
    }

    fn nodes() -> ResourceInfo {
        ResourceInfo {
            kind: "Node",
            plural: "nodes",
            singular: "node".into(),
            namespaced: false,
            subresources: &["status", "proxy"],
            verbs: ResourceInfo::ALL_VERBS,
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
        // Namespaces serve no deletecollection, as upstream; their other verbs pass.
        let namespaces = crate::discovery::test_support::namespaces();
        let refused = check_scope(&namespaces, &request(Verb::DeleteCollection, None, None, None));
        assert_eq!(refused.unwrap_err().code, 405);
        assert!(check_scope(&namespaces, &request(Verb::Delete, None, Some("x"), None)).is_ok());
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
}
