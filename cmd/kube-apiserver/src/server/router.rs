//! Turns a request's method and path into what it asks for, the way upstream's request-info
//! resolver reads API paths, without knowing which resources exist: the dispatcher looks the
//! resource up afterwards, so adding a kind never touches routing.
//!
//! Path forms:
//!
//! - discovery: `/api`, `/api/v1`, `/apis`, `/apis/<group>`, `/apis/<group>/<version>`;
//! - resources under `/api/v1` or `/apis/<group>/<version>`: `<plural>[/<name>[/<subresource>]]`
//!   and `namespaces/<ns>/<plural>[/<name>[/<subresource>]]`; a namespace itself is
//!   `namespaces/<name>` with the subresources `status` and `finalize`;
//! - the v1.0 watch prefix: `/api/v1/watch/<any resource path>` is a watch;
//! - proxies: `/api/v1/proxy/nodes/<name>[/<path>]`,
//!   `/api/v1/proxy/namespaces/<ns>/{pods,services}/<name>[/<path>]` and the `proxy`
//!   subresource with a trailing path (`.../pods/<name>/proxy/<path>`).
//!
//! The verb comes from the method and the path's shape, as upstream decides it. `HEAD` is
//! answered like `GET` without a body, and `OPTIONS` with 204 and an `Allow` header, as the
//! book's table of status codes describes (today's upstream router answers both with 405; no
//! client depends on that).

use hyper::Method;

/// What a request is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// A discovery document.
    Discovery(DiscoveryPath),
    /// `/openapi/v2`, `/openapi/v3` or `/openapi/v3/<group-version path>`.
    OpenApi,
    /// A verb on a resource collection, object or subresource.
    Resource(ResourceRequest),
    /// A request to be forwarded to a node, pod or service.
    Proxy(ProxyRequest),
    /// `OPTIONS` on an API path: answered with 204 and the methods the path allows, as the
    /// book's table of status codes says.
    Options { allow: &'static [Method] },
    /// A known path shape that does not take this method (405).
    MethodNotAllowed { allow: &'static [Method], resource: Option<ResourcePath> },
    /// Not an API path this server understands (404).
    NotFound,
    /// The path could not be decoded (bad `%` escape); 400.
    BadPath,
}

/// The discovery documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiscoveryPath {
    /// `/api`: the core group's versions.
    LegacyVersions,
    /// `/apis`: every named group (or, aggregated, every group's resources).
    Groups,
    /// `/apis/<group>`.
    Group { group: String },
    /// `/api/v1` (group empty) or `/apis/<group>/<version>`: the resources of one version.
    Resources { group: String, version: String },
}

/// Where a resource request points.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResourcePath {
    /// Empty for the core group.
    pub group: String,
    pub version: String,
    /// `None` for cluster-scoped resources and for requests across all namespaces.
    pub namespace: Option<String>,
    /// The plural resource name (`pods`).
    pub resource: String,
    pub name: Option<String>,
    pub subresource: Option<String>,
}

impl ResourcePath {
    /// Upstream's metrics `scope`: `resource` for one object, `namespace` for a collection in a
    /// namespace, `cluster` for a collection across the cluster.
    pub fn scope(&self) -> &'static str {
        if self.name.is_some() {
            "resource"
        } else if self.namespace.is_some() {
            "namespace"
        } else {
            "cluster"
        }
    }
}

/// The API verbs, named as upstream's authorization and audit name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Get,
    List,
    Watch,
    Create,
    Update,
    Patch,
    Delete,
    DeleteCollection,
}

impl Verb {
    /// The lower-case verb (`deletecollection`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Watch => "watch",
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
            Verb::DeleteCollection => "deletecollection",
        }
    }

    /// Whether the verb changes state; mutating requests have their own in-flight limit.
    pub fn is_mutating(self) -> bool {
        !matches!(self, Verb::Get | Verb::List | Verb::Watch)
    }
}

/// A verb on a resource path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceRequest {
    pub verb: Verb,
    pub path: ResourcePath,
    /// A `HEAD` request: answered like `GET`, without the body.
    pub head: bool,
    /// The v1.0 `/watch/` prefix named one object (`/watch/.../<plural>/<name>`): the watch is
    /// limited to that name.
    pub watch_name: Option<String>,
}

/// A request for the proxy, in either of its path forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyRequest {
    pub method: Method,
    /// `nodes`, `pods` or `services` (any resource, for the subresource form).
    pub target: ResourcePath,
    /// The path to forward, starting with `/` (just `/` when none was given); a trailing `/`
    /// is kept as the client sent it.
    pub forward_path: String,
}

const COLLECTION_METHODS: &[Method] = &[Method::GET, Method::HEAD, Method::POST, Method::DELETE];
const OBJECT_METHODS: &[Method] =
    &[Method::GET, Method::HEAD, Method::PUT, Method::PATCH, Method::DELETE];
const WATCH_METHODS: &[Method] = &[Method::GET, Method::HEAD];
const DISCOVERY_METHODS: &[Method] = &[Method::GET, Method::HEAD];

/// Subresources of a namespace: `/api/v1/namespaces/<name>/status` is the namespace's status,
/// not a resource named `status` inside it.
const NAMESPACE_SUBRESOURCES: [&str; 2] = ["status", "finalize"];

/// The subresource whose trailing path is forwarded rather than parsed.
const PROXY: &str = "proxy";

/// Routes one request. `watch_param` is the `watch` query parameter read as a boolean; `path` is
/// the raw (still percent-encoded) URL path.
pub fn route(method: &Method, path: &str, watch_param: bool) -> Route {
    let Some(decoded) = decode_path(path) else {
        return Route::BadPath;
    };
    let segments: Vec<&str> = decoded.trim_matches('/').split('/').collect();
    if segments.iter().any(|segment| segment.is_empty()) {
        return Route::NotFound;
    }
    let target = match segments.as_slice() {
        ["api"] => Target::Discovery(DiscoveryPath::LegacyVersions),
        ["apis"] => Target::Discovery(DiscoveryPath::Groups),
        ["apis", group] => Target::Discovery(DiscoveryPath::Group { group: group.to_string() }),
        ["api", version, rest @ ..] => group_version_target("", version, rest),
        ["apis", group, version, rest @ ..] => group_version_target(group, version, rest),
        ["openapi", "v2"] | ["openapi", "v3", ..] => Target::OpenApi,
        _ => Target::Unknown,
    };
    match target {
        Target::Unknown => Route::NotFound,
        Target::Discovery(discovery) => {
            read_only(method, DISCOVERY_METHODS, Route::Discovery(discovery))
        }
        Target::OpenApi => read_only(method, DISCOVERY_METHODS, Route::OpenApi),
        Target::Proxy(target, mut forward_path) => {
            // Segments are split on `/`, so a trailing slash the client sent is put back.
            if decoded.ends_with('/') && !forward_path.ends_with('/') {
                forward_path.push('/');
            }
            Route::Proxy(ProxyRequest { method: method.clone(), target, forward_path })
        }
        Target::Watch(path) => watch_route(method, path),
        Target::Resource(path) => resource_route(method, path, watch_param),
    }
}

/// What a path names before the method is considered.
enum Target {
    Discovery(DiscoveryPath),
    OpenApi,
    Resource(ResourcePath),
    /// A path under the legacy `/watch/` prefix.
    Watch(ResourcePath),
    Proxy(ResourcePath, String),
    Unknown,
}

/// Reads the part of a path after `/api/<version>` or `/apis/<group>/<version>`.
fn group_version_target(group: &str, version: &str, rest: &[&str]) -> Target {
    let group_version = |namespace: Option<&str>, resource: &str| ResourcePath {
        group: group.to_string(),
        version: version.to_string(),
        namespace: namespace.map(str::to_string),
        resource: resource.to_string(),
        ..Default::default()
    };
    match rest {
        [] => Target::Discovery(DiscoveryPath::Resources {
            group: group.to_string(),
            version: version.to_string(),
        }),
        ["watch", rest @ ..] => match resource_target(group_version, rest) {
            Target::Resource(path) if path.subresource.is_none() => Target::Watch(path),
            _ => Target::Unknown,
        },
        ["proxy", rest @ ..] => proxy_prefix_target(group_version, rest),
        rest => resource_target(group_version, rest),
    }
}

/// Reads `[namespaces/<ns>/]<plural>[/<name>[/<subresource>[/<proxied path>]]]`.
fn resource_target(
    group_version: impl Fn(Option<&str>, &str) -> ResourcePath,
    parts: &[&str],
) -> Target {
    let (namespace, parts) = match parts {
        ["namespaces", namespace, subresource, ..]
            if NAMESPACE_SUBRESOURCES.contains(subresource) =>
        {
            (Some(*namespace), parts)
        }
        ["namespaces", namespace, rest @ ..] if !rest.is_empty() => (Some(*namespace), rest),
        ["namespaces", namespace] => (Some(*namespace), parts),
        _ => (None, parts),
    };
    let [resource, rest @ ..] = parts else {
        return Target::Unknown;
    };
    let mut path = group_version(namespace, resource);
    // The namespace's own path (`namespaces/<name>`) names an object, not a scope.
    if *resource == "namespaces" {
        path.namespace = None;
    }
    match rest {
        [] => Target::Resource(path),
        [name] => {
            path.name = Some(name.to_string());
            Target::Resource(path)
        }
        [name, subresource] => {
            path.name = Some(name.to_string());
            path.subresource = Some(subresource.to_string());
            if *subresource == PROXY {
                return Target::Proxy(path, "/".to_string());
            }
            Target::Resource(path)
        }
        [name, subresource, forwarded @ ..] if *subresource == PROXY => {
            path.name = Some(name.to_string());
            path.subresource = Some(PROXY.to_string());
            Target::Proxy(path, format!("/{}", forwarded.join("/")))
        }
        _ => Target::Unknown,
    }
}

/// Reads the v1.0 proxy prefix form: `proxy/nodes/<name>[/<path>]` and
/// `proxy/namespaces/<ns>/<plural>/<name>[/<path>]`.
fn proxy_prefix_target(
    group_version: impl Fn(Option<&str>, &str) -> ResourcePath,
    parts: &[&str],
) -> Target {
    let (namespace, resource, name, forwarded) = match parts {
        ["namespaces", namespace, resource, name, forwarded @ ..] => {
            (Some(*namespace), *resource, *name, forwarded)
        }
        [resource, name, forwarded @ ..] if *resource != "namespaces" => {
            (None, *resource, *name, forwarded)
        }
        _ => return Target::Unknown,
    };
    let mut path = group_version(namespace, resource);
    path.name = Some(name.to_string());
    Target::Proxy(path, format!("/{}", forwarded.join("/")))
}

/// The verb of a request on a resource path.
fn resource_route(method: &Method, path: ResourcePath, watch_param: bool) -> Route {
    let is_object = path.name.is_some();
    let allow = if is_object { OBJECT_METHODS } else { COLLECTION_METHODS };
    let verb = match (method.clone(), is_object) {
        (Method::GET | Method::HEAD, true) => Verb::Get,
        (Method::GET | Method::HEAD, false) if watch_param => Verb::Watch,
        (Method::GET | Method::HEAD, false) => Verb::List,
        (Method::POST, false) => Verb::Create,
        // `pods/<name>/binding`, `pods/<name>/eviction`: creating a subresource.
        (Method::POST, true) if path.subresource.is_some() => Verb::Create,
        (Method::PUT, true) => Verb::Update,
        (Method::PATCH, true) => Verb::Patch,
        (Method::DELETE, true) => Verb::Delete,
        (Method::DELETE, false) => Verb::DeleteCollection,
        (Method::OPTIONS, _) => return Route::Options { allow },
        _ => return Route::MethodNotAllowed { allow, resource: Some(path) },
    };
    let head = method == Method::HEAD;
    Route::Resource(ResourceRequest { verb, path, head, watch_name: None })
}

/// The verb of a request under the `/watch/` prefix: always a watch of the collection, limited to
/// one name when the path ends in one.
fn watch_route(method: &Method, mut path: ResourcePath) -> Route {
    match method.clone() {
        Method::GET | Method::HEAD => {
            let watch_name = path.name.take();
            let head = method == Method::HEAD;
            Route::Resource(ResourceRequest { verb: Verb::Watch, path, head, watch_name })
        }
        Method::OPTIONS => Route::Options { allow: WATCH_METHODS },
        _ => Route::MethodNotAllowed { allow: WATCH_METHODS, resource: Some(path) },
    }
}

/// A route that only reads: GET and HEAD; OPTIONS lists them; anything else is 405.
fn read_only(method: &Method, allow: &'static [Method], route: Route) -> Route {
    match method.clone() {
        Method::GET | Method::HEAD => route,
        Method::OPTIONS => Route::Options { allow },
        _ => Route::MethodNotAllowed { allow, resource: None },
    }
}

/// Percent-decodes a URL path as Go's URL parser does (`+` stays a plus); `None` for a malformed
/// escape or bytes that are not UTF-8.
fn decode_path(path: &str) -> Option<String> {
    if !path.contains('%') {
        return Some(path.to_string());
    }
    api_types::meta::v1::percent_decode(&path.replace('+', "%2B")).ok()
}

/// The `Allow` header value for a list of methods.
pub fn allow_header(methods: &[Method]) -> String {
    methods.iter().map(Method::as_str).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(
        group: &str,
        version: &str,
        namespace: Option<&str>,
        plural: &str,
        name: Option<&str>,
        subresource: Option<&str>,
    ) -> ResourcePath {
        ResourcePath {
            group: group.into(),
            version: version.into(),
            namespace: namespace.map(Into::into),
            resource: plural.into(),
            name: name.map(Into::into),
            subresource: subresource.map(Into::into),
        }
    }

    fn core(namespace: Option<&str>, plural: &str, name: Option<&str>) -> ResourcePath {
        resource("", "v1", namespace, plural, name, None)
    }

    fn request(verb: Verb, path: ResourcePath) -> Route {
        Route::Resource(ResourceRequest { verb, path, head: false, watch_name: None })
    }

    fn get(path: &str) -> Route {
        route(&Method::GET, path, false)
    }

    #[test]
    fn openapi_documents_are_read_only() {
        assert_eq!(get("/openapi/v2"), Route::OpenApi);
        assert_eq!(get("/openapi/v3"), Route::OpenApi);
        assert_eq!(get("/openapi/v3/apis/apps/v1"), Route::OpenApi);
        assert_eq!(get("/openapi/v1"), Route::NotFound);
        assert!(matches!(
            route(&Method::POST, "/openapi/v2", false),
            Route::MethodNotAllowed { resource: None, .. }
        ));
    }

    #[test]
    fn discovery_paths() {
        assert_eq!(get("/api"), Route::Discovery(DiscoveryPath::LegacyVersions));
        assert_eq!(get("/api/"), Route::Discovery(DiscoveryPath::LegacyVersions));
        assert_eq!(get("/apis"), Route::Discovery(DiscoveryPath::Groups));
        assert_eq!(
            get("/apis/apps"),
            Route::Discovery(DiscoveryPath::Group { group: "apps".into() })
        );
        assert_eq!(
            get("/api/v1"),
            Route::Discovery(DiscoveryPath::Resources { group: "".into(), version: "v1".into() })
        );
        assert_eq!(
            get("/apis/apps/v1/"),
            Route::Discovery(DiscoveryPath::Resources {
                group: "apps".into(),
                version: "v1".into()
            })
        );
        assert_eq!(
            route(&Method::POST, "/api", false),
            Route::MethodNotAllowed { allow: DISCOVERY_METHODS, resource: None }
        );
        assert_eq!(
            route(&Method::OPTIONS, "/apis", false),
            Route::Options { allow: DISCOVERY_METHODS }
        );
    }

    #[test]
    fn namespaced_collections_objects_and_subresources() {
        let ns = Some("default");
        assert_eq!(
            get("/api/v1/namespaces/default/pods"),
            request(Verb::List, core(ns, "pods", None))
        );
        assert_eq!(
            get("/api/v1/namespaces/default/pods/web"),
            request(Verb::Get, core(ns, "pods", Some("web")))
        );
        assert_eq!(
            get("/api/v1/namespaces/default/pods/web/log"),
            request(Verb::Get, resource("", "v1", ns, "pods", Some("web"), Some("log")))
        );
        assert_eq!(
            route(&Method::PUT, "/api/v1/namespaces/default/pods/web/status", false),
            request(Verb::Update, resource("", "v1", ns, "pods", Some("web"), Some("status")))
        );
        assert_eq!(
            route(&Method::POST, "/api/v1/namespaces/default/pods", false),
            request(Verb::Create, core(ns, "pods", None))
        );
        assert_eq!(
            route(&Method::POST, "/api/v1/namespaces/default/bindings", false),
            request(Verb::Create, core(ns, "bindings", None))
        );
        assert_eq!(
            route(&Method::POST, "/api/v1/namespaces/default/pods/web/binding", false),
            request(Verb::Create, resource("", "v1", ns, "pods", Some("web"), Some("binding")))
        );
        assert_eq!(get("/api/v1/namespaces/default/pods/web/log/extra"), Route::NotFound);
    }

    #[test]
    fn cluster_wide_and_cluster_scoped_paths() {
        assert_eq!(get("/api/v1/pods"), request(Verb::List, core(None, "pods", None)));
        assert_eq!(get("/api/v1/nodes"), request(Verb::List, core(None, "nodes", None)));
        assert_eq!(
            get("/api/v1/nodes/node-1"),
            request(Verb::Get, core(None, "nodes", Some("node-1")))
        );
        assert_eq!(
            route(&Method::PATCH, "/api/v1/nodes/node-1/status", false),
            request(Verb::Patch, resource("", "v1", None, "nodes", Some("node-1"), Some("status")))
        );
        assert_eq!(
            route(&Method::POST, "/api/v1/pods", false),
            request(Verb::Create, core(None, "pods", None))
        );
    }

    #[test]
    fn namespaces_themselves() {
        assert_eq!(get("/api/v1/namespaces"), request(Verb::List, core(None, "namespaces", None)));
        assert_eq!(
            get("/api/v1/namespaces/kube-system"),
            request(Verb::Get, core(None, "namespaces", Some("kube-system")))
        );
        assert_eq!(
            route(&Method::DELETE, "/api/v1/namespaces/kube-system", false),
            request(Verb::Delete, core(None, "namespaces", Some("kube-system")))
        );
        assert_eq!(
            route(&Method::PUT, "/api/v1/namespaces/ns-sample/finalize", false),
            request(
                Verb::Update,
                resource("", "v1", None, "namespaces", Some("ns-sample"), Some("finalize"))
            )
        );
        assert_eq!(
            route(&Method::PUT, "/api/v1/namespaces/ns-sample/status", false),
            request(
                Verb::Update,
                resource("", "v1", None, "namespaces", Some("ns-sample"), Some("status"))
            )
        );
        // Any other segment after the namespace's name is a resource inside it.
        assert_eq!(
            get("/api/v1/namespaces/ns-sample/limitranges"),
            request(Verb::List, core(Some("ns-sample"), "limitranges", None))
        );
    }

    #[test]
    fn named_groups() {
        let ns = Some("prod");
        assert_eq!(
            get("/apis/apps/v1/namespaces/prod/deployments"),
            request(Verb::List, resource("apps", "v1", ns, "deployments", None, None))
        );
        assert_eq!(
            route(&Method::PUT, "/apis/apps/v1/namespaces/prod/deployments/web/scale", false),
            request(
                Verb::Update,
                resource("apps", "v1", ns, "deployments", Some("web"), Some("scale"))
            )
        );
        assert_eq!(
            get("/apis/apps/v1/deployments"),
            request(Verb::List, resource("apps", "v1", None, "deployments", None, None))
        );
        assert_eq!(
            get("/apis/storage.k8s.io/v1/storageclasses/standard"),
            request(
                Verb::Get,
                resource("storage.k8s.io", "v1", None, "storageclasses", Some("standard"), None)
            )
        );
        assert_eq!(
            route(&Method::GET, "/apis/apps/v1/watch/namespaces/prod/deployments", false),
            request(Verb::Watch, resource("apps", "v1", ns, "deployments", None, None))
        );
    }

    #[test]
    fn verbs_follow_method_and_shape() {
        let collection = "/api/v1/namespaces/default/configmaps";
        let object = "/api/v1/namespaces/default/configmaps/settings";
        let verb = |method: Method, path: &str, watch: bool| match route(&method, path, watch) {
            Route::Resource(request) => Some(request.verb),
            _ => None,
        };
        assert_eq!(verb(Method::GET, collection, false), Some(Verb::List));
        assert_eq!(verb(Method::GET, collection, true), Some(Verb::Watch));
        assert_eq!(verb(Method::POST, collection, false), Some(Verb::Create));
        assert_eq!(verb(Method::DELETE, collection, false), Some(Verb::DeleteCollection));
        assert_eq!(verb(Method::GET, object, false), Some(Verb::Get));
        // `?watch` on an object is ignored, as upstream ignores it: single objects are watched
        // through a field selector on the collection.
        assert_eq!(verb(Method::GET, object, true), Some(Verb::Get));
        assert_eq!(verb(Method::PUT, object, false), Some(Verb::Update));
        assert_eq!(verb(Method::PATCH, object, false), Some(Verb::Patch));
        assert_eq!(verb(Method::DELETE, object, false), Some(Verb::Delete));

        for (method, path, allow) in [
            (Method::PUT, collection, COLLECTION_METHODS),
            (Method::PATCH, collection, COLLECTION_METHODS),
            (Method::POST, object, OBJECT_METHODS),
            (Method::TRACE, object, OBJECT_METHODS),
        ] {
            match route(&method, path, false) {
                Route::MethodNotAllowed { allow: allowed, resource: Some(target) } => {
                    assert_eq!(allowed, allow, "{method} {path}");
                    assert_eq!(target.resource, "configmaps");
                }
                other => panic!("{method} {path}: {other:?}"),
            }
        }
    }

    #[test]
    fn head_reads_and_options_lists_methods() {
        match route(&Method::HEAD, "/api/v1/namespaces/default/pods/web", false) {
            Route::Resource(request) => {
                assert_eq!(request.verb, Verb::Get);
                assert!(request.head);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            route(&Method::OPTIONS, "/api/v1/namespaces/default/pods", false),
            Route::Options { allow: COLLECTION_METHODS }
        );
        assert_eq!(
            route(&Method::OPTIONS, "/api/v1/namespaces/default/pods/web", false),
            Route::Options { allow: OBJECT_METHODS }
        );
        assert_eq!(allow_header(OBJECT_METHODS), "GET, HEAD, PUT, PATCH, DELETE");
    }

    #[test]
    fn the_legacy_watch_prefix() {
        let watch = |path: ResourcePath, name: Option<&str>| {
            Route::Resource(ResourceRequest {
                verb: Verb::Watch,
                path,
                head: false,
                watch_name: name.map(Into::into),
            })
        };
        assert_eq!(get("/api/v1/watch/pods"), watch(core(None, "pods", None), None));
        assert_eq!(
            get("/api/v1/watch/nodes/node-1"),
            watch(core(None, "nodes", None), Some("node-1"))
        );
        assert_eq!(
            get("/api/v1/watch/namespaces/ns-sample/services"),
            watch(core(Some("ns-sample"), "services", None), None)
        );
        assert_eq!(
            get("/api/v1/watch/namespaces/ns-sample/pods/web"),
            watch(core(Some("ns-sample"), "pods", None), Some("web"))
        );
        assert_eq!(get("/api/v1/watch/namespaces"), watch(core(None, "namespaces", None), None));
        assert_eq!(
            get("/api/v1/watch/namespaces/ns-sample"),
            watch(core(None, "namespaces", None), Some("ns-sample"))
        );
        assert_eq!(get("/api/v1/watch/namespaces/default/pods/web/status"), Route::NotFound);
        assert_eq!(get("/api/v1/watch"), Route::NotFound);
        assert_eq!(
            route(&Method::POST, "/api/v1/watch/pods", false),
            Route::MethodNotAllowed {
                allow: WATCH_METHODS,
                resource: Some(core(None, "pods", None))
            }
        );
    }

    #[test]
    fn proxy_prefix_forms() {
        let proxy = |target: ResourcePath, forward: &str| {
            Route::Proxy(ProxyRequest { method: Method::GET, target, forward_path: forward.into() })
        };
        assert_eq!(
            get("/api/v1/proxy/nodes/192.168.1.129"),
            proxy(core(None, "nodes", Some("192.168.1.129")), "/")
        );
        assert_eq!(
            get("/api/v1/proxy/nodes/192.168.1.129/run/ns-sample/pod/web"),
            proxy(core(None, "nodes", Some("192.168.1.129")), "/run/ns-sample/pod/web")
        );
        assert_eq!(
            get("/api/v1/proxy/namespaces/kube-system/services/kube-ui/"),
            proxy(core(Some("kube-system"), "services", Some("kube-ui")), "/")
        );
        assert_eq!(
            get("/api/v1/proxy/namespaces/ns-sample/pods/web/helloWorld"),
            proxy(core(Some("ns-sample"), "pods", Some("web")), "/helloWorld")
        );
        assert_eq!(get("/api/v1/proxy/nodes"), Route::NotFound);
        assert_eq!(get("/api/v1/proxy/namespaces/ns-sample/pods"), Route::NotFound);
        match route(&Method::DELETE, "/api/v1/proxy/nodes/n1/x", false) {
            Route::Proxy(request) => assert_eq!(request.method, Method::DELETE),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn proxy_subresource_forms() {
        let proxy = |target: ResourcePath, forward: &str| {
            Route::Proxy(ProxyRequest { method: Method::GET, target, forward_path: forward.into() })
        };
        let pod = resource("", "v1", Some("ns-sample"), "pods", Some("web"), Some("proxy"));
        assert_eq!(get("/api/v1/namespaces/ns-sample/pods/web/proxy"), proxy(pod.clone(), "/"));
        assert_eq!(
            get("/api/v1/namespaces/ns-sample/pods/web/proxy/static/index.html"),
            proxy(pod, "/static/index.html")
        );
        let node = resource("", "v1", None, "nodes", Some("n1"), Some("proxy"));
        assert_eq!(get("/api/v1/nodes/n1/proxy/stats"), proxy(node.clone(), "/stats"));
        assert_eq!(get("/api/v1/nodes/n1/proxy/logs/"), proxy(node, "/logs/"));
        let service =
            resource("", "v1", Some("default"), "services", Some("web:http"), Some("proxy"));
        assert_eq!(get("/api/v1/namespaces/default/services/web:http/proxy/"), proxy(service, "/"));
    }

    #[test]
    fn paths_are_percent_decoded_like_go() {
        assert_eq!(
            get("/api/v1/namespaces/default/configmaps/a%3Ab"),
            request(Verb::Get, core(Some("default"), "configmaps", Some("a:b")))
        );
        assert_eq!(
            get("/api/v1/namespaces/default/configmaps/a+b"),
            request(Verb::Get, core(Some("default"), "configmaps", Some("a+b")))
        );
        assert_eq!(get("/api/v1/namespaces/default/configmaps/%zz"), Route::BadPath);
    }

    #[test]
    fn other_paths_are_not_found() {
        for path in [
            "/",
            "/foo",
            "/apis/apps/v1/namespaces/default/deployments/web/scale/extra",
            "/api/v1//pods",
            "/api/v1/namespaces/default/pods//x",
            "/apiz/v1/pods",
        ] {
            assert_eq!(get(path), Route::NotFound, "{path}");
        }
    }

    #[test]
    fn metrics_scope() {
        assert_eq!(core(Some("a"), "pods", Some("b")).scope(), "resource");
        assert_eq!(core(Some("a"), "pods", None).scope(), "namespace");
        assert_eq!(core(None, "pods", None).scope(), "cluster");
        assert_eq!(Verb::DeleteCollection.as_str(), "deletecollection");
        assert!(Verb::Patch.is_mutating() && !Verb::Watch.is_mutating());
    }
}
