//! Discovery: the documents clients read to learn what this server serves, built from the
//! [`ResourceTable`] so they can never disagree with routing.
//!
//! | path | legacy document | aggregated document |
//! |---|---|---|
//! | `/api` | [`api_versions`] | [`AggregatedDiscovery`] of the core group |
//! | `/apis` | [`group_list`] | [`AggregatedDiscovery`] of the named groups |
//! | `/apis/<group>` | [`group`] | - |
//! | `/api/v1`, `/apis/<group>/<version>` | [`resource_list`] | - |
//!
//! Each document is a pure function of the table; [`serve`] adds the HTTP part (path, `Accept`
//! negotiation, `If-None-Match`, status codes) for the HTTP layer. `/version` belongs to
//! component-base.

mod aggregated;
mod groups;
mod priority;
mod resources;
mod response;
mod subresources;
#[cfg(test)]
pub(crate) mod test_support;
mod versions;

pub use aggregated::AggregatedDiscovery;
pub use groups::{group, group_list};
pub use resources::{resource_list, storage_version_hash};
pub use response::{DiscoveryResponse, not_found};
pub use versions::api_versions;

use crate::negotiation::{Conversion, Format, Offer, negotiate};
use crate::registry::ResourceTable;

/// The two roots that have an aggregated document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiscoveryRoot {
    /// `/api`: the legacy core group.
    Api,
    /// `/apis`: every named group.
    Apis,
}

/// The parts of an HTTP request discovery looks at.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiscoveryRequest<'a> {
    /// The URL path, without the query string.
    pub path: &'a str,
    /// The `Accept` header.
    pub accept: Option<&'a str>,
    /// The `If-None-Match` header.
    pub if_none_match: Option<&'a str>,
    /// The `host:port` the client used to reach the server, advertised by `/api`.
    pub server_address: &'a str,
    /// Indent the output: upstream does so for `?pretty=true` and for browsers, curl and wget
    /// (by `User-Agent`), which the HTTP layer knows and discovery does not.
    pub pretty: bool,
}

/// Which discovery document a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endpoint<'a> {
    Root(DiscoveryRoot),
    Group(&'a str),
    /// A version of a group; the core group is `""`.
    GroupVersion(&'a str, &'a str),
}

impl<'a> Endpoint<'a> {
    /// The endpoint of `path`, or `None` for paths discovery does not own (resources, other
    /// roots). One trailing slash is accepted, as upstream's router does.
    fn parse(path: &'a str) -> Option<Endpoint<'a>> {
        let path = path.strip_suffix('/').unwrap_or(path);
        let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
        match segments.as_slice() {
            ["api"] => Some(Endpoint::Root(DiscoveryRoot::Api)),
            ["apis"] => Some(Endpoint::Root(DiscoveryRoot::Apis)),
            ["api", version] if !version.is_empty() => Some(Endpoint::GroupVersion("", version)),
            ["apis", group] if !group.is_empty() => Some(Endpoint::Group(group)),
            ["apis", group, version] if !group.is_empty() && !version.is_empty() => {
                Some(Endpoint::GroupVersion(group, version))
            }
            _ => None,
        }
    }
}

/// The answer to a discovery request, or `None` when the path is not a discovery path and the
/// HTTP layer should route it elsewhere.
///
/// `/api` and `/apis` answer with the aggregated document when the client's `Accept` prefers it
/// (`application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`, or `v2beta1`),
/// echoing the version served in `Content-Type` and tagging it with an `ETag`; a matching
/// `If-None-Match` gets 304. Otherwise, and at every other path, the legacy document is served.
/// A group or version the table does not serve is 404, an `Accept` nothing satisfies is 406.
pub fn serve(table: &ResourceTable, request: &DiscoveryRequest) -> Option<DiscoveryResponse> {
    let endpoint = Endpoint::parse(request.path)?;
    let offer = match endpoint {
        Endpoint::Root(_) => Offer::DISCOVERY_ROOT,
        _ => Offer::DOCUMENT,
    };
    let media_type = match negotiate(request.accept, offer) {
        Ok(media_type) => media_type,
        Err(refused) => {
            return Some(DiscoveryResponse::error(&refused.status(), Format::Json, request.pretty));
        }
    };
    let pretty = request.pretty;
    let missing = || DiscoveryResponse::error(&not_found(), media_type.format, pretty);

    let response = match (endpoint, &media_type.conversion) {
        (Endpoint::Root(root), Some(Conversion::AggregatedDiscovery(version))) => {
            let aggregated = AggregatedDiscovery::build(table, root);
            if aggregated.matches(request.if_none_match) {
                DiscoveryResponse::not_modified(aggregated.etag())
            } else {
                let document = aggregated.document(*version);
                DiscoveryResponse {
                    etag: Some(aggregated.etag().to_string()),
                    ..DiscoveryResponse::ok(&document, &media_type, pretty)
                }
            }
        }
        (Endpoint::Root(DiscoveryRoot::Api), _) => {
            DiscoveryResponse::ok(&api_versions(request.server_address), &media_type, pretty)
        }
        (Endpoint::Root(DiscoveryRoot::Apis), _) => {
            DiscoveryResponse::ok(&group_list(table), &media_type, pretty)
        }
        (Endpoint::Group(name), _) => group(table, name)
            .map_or_else(missing, |group| DiscoveryResponse::ok(&group, &media_type, pretty)),
        (Endpoint::GroupVersion(group, version), _) => resource_list(table, group, version)
            .map_or_else(missing, |list| DiscoveryResponse::ok(&list, &media_type, pretty)),
    };
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::test_support::{deployments, namespaces, pods, table_of};
    use super::*;
    use serde_json::Value;

    /// What kubectl 1.30 through 1.33 send to `/api` and `/apis`.
    const KUBECTL_V2: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    /// What kubectl 1.27 through 1.29 send.
    const KUBECTL_V2BETA1: &str = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    fn get(path: &str, accept: Option<&str>) -> Option<DiscoveryResponse> {
        let table = table_of(vec![pods(), namespaces(), deployments()]);
        let request = DiscoveryRequest {
            path,
            accept,
            server_address: "10.0.0.1:6443",
            ..Default::default()
        };
        serve(&table, &request)
    }

    fn json(response: &DiscoveryResponse) -> Value {
        serde_json::from_slice(&response.body).unwrap()
    }

    #[test]
    fn legacy_documents_for_plain_json() {
        let api = get("/api", Some("application/json, */*")).unwrap();
        assert_eq!((api.status, api.content_type.as_str()), (200, "application/json"));
        assert_eq!(
            api.body,
            b"{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"10.0.0.1:6443\"}]}\n"
        );
        assert_eq!(api.etag, None);

        let apis = get("/apis", None).unwrap();
        assert_eq!(json(&apis)["kind"], "APIGroupList");
        assert_eq!(json(&apis)["groups"][0]["name"], "apps");
        let group = get("/apis/apps/", Some("application/json")).unwrap();
        assert_eq!(json(&group)["preferredVersion"]["groupVersion"], "apps/v1");
        let core = get("/api/v1", Some("application/json")).unwrap();
        assert_eq!(json(&core)["resources"][0]["name"], "namespaces");
        let apps = get("/apis/apps/v1", Some(KUBECTL_V2)).unwrap();
        assert_eq!(json(&apps)["kind"], "APIResourceList");
        assert_eq!(apps.content_type, "application/json");
    }

    #[test]
    fn aggregated_documents_for_kubectl() {
        let api = get("/api", Some(KUBECTL_V2)).unwrap();
        assert_eq!(api.status, 200);
        assert_eq!(api.content_type, api_types::meta::v1::AGGREGATED_DISCOVERY_MEDIA_TYPE);
        let document = json(&api);
        assert_eq!(document["apiVersion"], "apidiscovery.k8s.io/v2");
        assert_eq!(document["items"][0]["versions"][0]["resources"][1]["resource"], "pods");
        let etag = api.etag.clone().unwrap();
        let headers = api.headers();
        assert!(headers.contains(&("ETag", etag.clone())));
        assert!(headers.contains(&("Vary", "Accept".to_string())));
        assert!(headers.contains(&("Cache-Control", "public".to_string())));

        let apis = get("/apis", Some(KUBECTL_V2BETA1)).unwrap();
        assert_eq!(
            apis.content_type,
            "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"
        );
        let document = json(&apis);
        assert_eq!(document["apiVersion"], "apidiscovery.k8s.io/v2beta1");
        assert_eq!(document["items"][0]["metadata"]["name"], "apps");
        assert_ne!(apis.etag, api.etag);
    }

    #[test]
    fn if_none_match_gets_304_for_the_current_tag_only() {
        let table = table_of(vec![pods(), deployments()]);
        let first =
            DiscoveryRequest { path: "/apis", accept: Some(KUBECTL_V2), ..Default::default() };
        let etag = serve(&table, &first).unwrap().etag.unwrap();

        let cached = DiscoveryRequest { if_none_match: Some(&etag), ..first };
        let response = serve(&table, &cached).unwrap();
        assert_eq!(response.status, 304);
        assert!(response.body.is_empty());
        assert_eq!(response.etag.as_deref(), Some(etag.as_str()));
        assert!(response.headers().iter().all(|(name, _)| *name != "Content-Type"));

        // The same tag answers the v2beta1 document, since both are one document.
        let old_kubectl = DiscoveryRequest { accept: Some(KUBECTL_V2BETA1), ..cached };
        assert_eq!(serve(&table, &old_kubectl).unwrap().status, 304);

        let stale = DiscoveryRequest { if_none_match: Some("\"0123\""), ..first };
        assert_eq!(serve(&table, &stale).unwrap().status, 200);
        let changed = table_of(vec![pods(), deployments(), super::test_support::leases()]);
        assert_eq!(serve(&changed, &cached).unwrap().status, 200);
    }

    #[test]
    fn unknown_groups_and_versions_are_404() {
        for path in ["/apis/batch", "/apis/batch/v1", "/apis/apps/v2", "/api/v2"] {
            let response = get(path, Some(KUBECTL_V2)).unwrap();
            assert_eq!(response.status, 404, "{path}");
            assert_eq!(response.content_type, "application/json");
            let status = json(&response);
            assert_eq!(status["reason"], "NotFound");
            assert_eq!(status["message"], "the server could not find the requested resource");
            assert_eq!(status["details"], serde_json::json!({}));
        }
    }

    #[test]
    fn unacceptable_accept_is_406() {
        let response = get("/apis", Some("application/vnd.kubernetes.protobuf")).unwrap();
        assert_eq!(response.status, 406);
        assert_eq!(json(&response)["reason"], "NotAcceptable");
        // Tables are no discovery representation.
        let table = "application/json;as=Table;v=v1;g=meta.k8s.io";
        assert_eq!(get("/api/v1", Some(table)).unwrap().status, 406);
    }

    #[test]
    fn yaml_and_pretty_output() {
        let yaml = get("/apis/apps", Some("application/yaml")).unwrap();
        assert_eq!(yaml.content_type, "application/yaml");
        assert!(
            String::from_utf8(yaml.body).unwrap().starts_with("apiVersion: v1\nkind: APIGroup\n")
        );

        let table = table_of(vec![pods()]);
        let request = DiscoveryRequest { path: "/api", pretty: true, ..Default::default() };
        let body = String::from_utf8(serve(&table, &request).unwrap().body).unwrap();
        assert!(body.starts_with("{\n  \"kind\": \"APIVersions\",\n"));
        let pretty_param = get("/apis", Some("application/json;pretty=1")).unwrap();
        assert!(pretty_param.body.starts_with(b"{\n  "));
    }

    #[test]
    fn other_paths_are_not_discovery() {
        for path in
            ["/", "/version", "/api/v1/pods", "/apis/apps/v1/deployments", "/apix", "api", "/api//"]
        {
            assert_eq!(get(path, None), None, "{path}");
        }
        assert_eq!(Endpoint::parse("/api/"), Some(Endpoint::Root(DiscoveryRoot::Api)));
        assert_eq!(Endpoint::parse("/api/v1/"), Some(Endpoint::GroupVersion("", "v1")));
    }
}
