//! [`Api`]: the verbs of one resource, in one namespace or across all, typed by the kind it
//! returns. Typed access (`Api<Pod>`) and dynamic access by group/version/resource
//! (`Api<serde_json::Value>` from an [`ApiResource`]) are the same code.

use crate::client::{Body, Client};
use crate::error::{Error, Result};
use crate::watch::WatchStream;
use api_types::List;
use api_types::meta::v1::{
    CreateOptions, DeleteOptions, GetOptions, ListOptions, PatchOptions, PatchType, QueryBuilder,
    QueryParameters, Status, UpdateOptions,
};
use api_types::resource::Resource;
use hyper::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::marker::PhantomData;

/// Where a resource lives in the API: what its request paths and `apiVersion` are made of.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ApiResource {
    /// Empty for the core (legacy) group.
    pub group: String,
    pub version: String,
    pub kind: String,
    /// The lower-case plural of the URL (`pods`).
    pub plural: String,
    pub namespaced: bool,
}

impl ApiResource {
    /// The resource of a typed kind.
    pub fn of<K: Resource>() -> Self {
        ApiResource {
            group: K::GROUP.to_string(),
            version: K::VERSION.to_string(),
            kind: K::KIND.to_string(),
            plural: K::PLURAL.to_string(),
            namespaced: K::NAMESPACED,
        }
    }

    /// `group/version`, or just the version for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `/api/v1` or `/apis/<group>/<version>`.
    fn root(&self) -> String {
        if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        }
    }
}

/// What a delete returned: the object, when it lingers (graceful deletion, finalizers) or the
/// server returns deleted objects, or a `Status` when it only reports success.
#[derive(Clone, Debug, PartialEq)]
pub enum DeleteOutcome<K> {
    Object(K),
    Status(Box<Status>),
}

/// One resource's verbs. `namespace` is `None` for cluster-scoped kinds and for namespaced kinds
/// read across all namespaces (list and watch only).
#[derive(Clone)]
pub struct Api<K> {
    client: Client,
    resource: ApiResource,
    namespace: Option<String>,
    kind: PhantomData<fn() -> K>,
}

impl<K: Resource> Api<K> {
    /// A namespaced kind in `namespace`.
    pub fn namespaced(client: Client, namespace: &str) -> Self {
        Api::with_resource(client, ApiResource::of::<K>(), Some(namespace))
    }

    /// A namespaced kind in the client's default namespace.
    pub fn default_namespaced(client: Client) -> Self {
        let namespace = client.default_namespace().to_string();
        Api::namespaced(client, &namespace)
    }

    /// A cluster-scoped kind, or a namespaced kind across all namespaces.
    pub fn all(client: Client) -> Self {
        Api::with_resource(client, ApiResource::of::<K>(), None)
    }
}

impl Api<Value> {
    /// Dynamic access to any resource by its group, version and plural, with JSON objects.
    pub fn dynamic(client: Client, resource: ApiResource, namespace: Option<&str>) -> Self {
        Api::with_resource(client, resource, namespace)
    }
}

impl<K: Serialize + DeserializeOwned> Api<K> {
    fn with_resource(client: Client, resource: ApiResource, namespace: Option<&str>) -> Self {
        let namespace = namespace.filter(|namespace| resource.namespaced && !namespace.is_empty());
        Api { client, resource, namespace: namespace.map(str::to_string), kind: PhantomData }
    }

    /// The client this API uses.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The resource this API serves.
    pub fn resource(&self) -> &ApiResource {
        &self.resource
    }

    /// The namespace calls go to; `None` at cluster scope or across all namespaces.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The collection's path: `/api/v1/namespaces/<ns>/pods`, `/api/v1/pods`, `/api/v1/nodes`.
    pub fn collection_path(&self) -> String {
        match &self.namespace {
            Some(namespace) => format!(
                "{}/namespaces/{}/{}",
                self.resource.root(),
                segment(namespace),
                self.resource.plural
            ),
            None => format!("{}/{}", self.resource.root(), self.resource.plural),
        }
    }

    /// One object's path (plus `/<subresource>`); a namespaced kind needs a namespace here.
    pub fn object_path(&self, name: &str, subresource: Option<&str>) -> Result<String> {
        if self.resource.namespaced && self.namespace.is_none() {
            return Err(Error::from(Status::bad_request(format!(
                "{} are namespaced: an object call needs a namespace",
                self.resource.plural
            ))));
        }
        if name.is_empty() {
            return Err(Error::from(Status::bad_request("resource name may not be empty")));
        }
        let mut path = format!("{}/{}", self.collection_path(), segment(name));
        if let Some(subresource) = subresource {
            path.push('/');
            path.push_str(subresource);
        }
        Ok(path)
    }

    /// GET one object.
    pub async fn get(&self, name: &str) -> Result<K> {
        self.get_with(name, &GetOptions::default()).await
    }

    /// GET one object with options (`resourceVersion`).
    pub async fn get_with(&self, name: &str, options: &GetOptions) -> Result<K> {
        let path = with_query(self.object_path(name, None)?, options);
        self.client.request(Method::GET, &path, None).await
    }

    /// GET one object, `None` when it does not exist.
    pub async fn get_opt(&self, name: &str) -> Result<Option<K>> {
        match self.get(name).await {
            Ok(object) => Ok(Some(object)),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// GET the collection: label/field selectors, paging, resource version semantics.
    pub async fn list(&self, options: &ListOptions) -> Result<List<K>> {
        let options = ListOptions { watch: false, ..options.clone() };
        let path = with_query(self.collection_path(), &options);
        self.client.request(Method::GET, &path, None).await
    }

    /// Starts a watch of the collection from `options.resource_version` (events after it; the
    /// current state first when it is empty or `"0"`).
    pub async fn watch(&self, options: &ListOptions) -> Result<WatchStream<K>> {
        let options = ListOptions { watch: true, ..options.clone() };
        let path = with_query(self.collection_path(), &options);
        let body = self.client.request_stream(Method::GET, &path).await?;
        Ok(WatchStream::new(body))
    }

    /// POST a new object into the collection.
    pub async fn create(&self, object: &K, options: &CreateOptions) -> Result<K> {
        let path = with_query(self.collection_path(), options);
        self.client.request(Method::POST, &path, Some(json_body(object)?)).await
    }

    /// PUT the whole object (optimistic concurrency on its `resourceVersion`).
    pub async fn replace(&self, name: &str, object: &K, options: &UpdateOptions) -> Result<K> {
        self.replace_subresource(name, None, object, options).await
    }

    /// PUT the object's status (`/status`): only the status changes.
    pub async fn replace_status(
        &self,
        name: &str,
        object: &K,
        options: &UpdateOptions,
    ) -> Result<K> {
        self.replace_subresource(name, Some("status"), object, options).await
    }

    /// PATCH the object with one of the patch formats.
    pub async fn patch(
        &self,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        options: &PatchOptions,
    ) -> Result<K> {
        self.patch_subresource(name, None, patch_type, patch, options).await
    }

    /// PATCH the object's status.
    pub async fn patch_status(
        &self,
        name: &str,
        patch_type: PatchType,
        patch: &Value,
        options: &PatchOptions,
    ) -> Result<K> {
        self.patch_subresource(name, Some("status"), patch_type, patch, options).await
    }

    /// DELETE one object (`propagationPolicy`, grace period, preconditions in `options`).
    pub async fn delete(&self, name: &str, options: &DeleteOptions) -> Result<DeleteOutcome<K>> {
        let path = self.object_path(name, None)?;
        let bytes = self
            .client
            .request_bytes(Method::DELETE, &path, Some(json_body(&delete_body(options))?))
            .await?;
        outcome(&bytes)
    }

    /// DELETE every object a list selects.
    pub async fn delete_collection(
        &self,
        list_options: &ListOptions,
        options: &DeleteOptions,
    ) -> Result<DeleteOutcome<List<K>>> {
        let path = with_query(self.collection_path(), list_options);
        let bytes = self
            .client
            .request_bytes(Method::DELETE, &path, Some(json_body(&delete_body(options))?))
            .await?;
        outcome(&bytes)
    }

    /// GET a subresource of another kind (`scale`).
    pub async fn get_subresource<S: DeserializeOwned>(
        &self,
        name: &str,
        subresource: &str,
    ) -> Result<S> {
        let path = self.object_path(name, Some(subresource))?;
        self.client.request(Method::GET, &path, None).await
    }

    /// POST to a subresource (`binding`, `eviction`).
    pub async fn create_subresource<B: Serialize, S: DeserializeOwned>(
        &self,
        name: &str,
        subresource: &str,
        body: &B,
        options: &CreateOptions,
    ) -> Result<S> {
        let path = with_query(self.object_path(name, Some(subresource))?, options);
        self.client.request(Method::POST, &path, Some(json_body(body)?)).await
    }

    /// PUT the object or one of its subresources (`status`, `scale`, `finalize`).
    pub async fn replace_subresource<B: Serialize, S: DeserializeOwned>(
        &self,
        name: &str,
        subresource: Option<&str>,
        body: &B,
        options: &UpdateOptions,
    ) -> Result<S> {
        let path = with_query(self.object_path(name, subresource)?, options);
        self.client.request(Method::PUT, &path, Some(json_body(body)?)).await
    }

    /// PATCH the object or one of its subresources.
    pub async fn patch_subresource<S: DeserializeOwned>(
        &self,
        name: &str,
        subresource: Option<&str>,
        patch_type: PatchType,
        patch: &Value,
        options: &PatchOptions,
    ) -> Result<S> {
        let path = with_query(self.object_path(name, subresource)?, options);
        let body = Body {
            content_type: patch_type.content_type(),
            bytes: serde_json::to_vec(patch)?.into(),
        };
        self.client.request(Method::PATCH, &path, Some(body)).await
    }
}

/// `path?query` for options that have any non-default parameter.
fn with_query(path: String, options: &impl QueryParameters) -> String {
    let mut query = QueryBuilder::default();
    options.write_params(&mut query);
    let query = query.finish();
    if query.is_empty() { path } else { format!("{path}?{query}") }
}

/// A path segment with every byte outside RFC 3986's unreserved set percent-encoded, so a
/// name can never change the path's shape.
fn segment(name: &str) -> String {
    let mut encoded = String::with_capacity(name.len());
    for byte in name.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                encoded.push(char::from(byte))
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// Serializes a request body.
fn json_body(object: &impl Serialize) -> Result<Body> {
    Ok(Body::json(serde_json::to_vec(object)?))
}

/// Delete options as the body kubectl sends.
fn delete_body(options: &DeleteOptions) -> DeleteOptions {
    DeleteOptions { kind: "DeleteOptions".into(), api_version: "v1".into(), ..options.clone() }
}

/// A delete's answer: a `Status` or the object.
fn outcome<T: DeserializeOwned>(bytes: &[u8]) -> Result<DeleteOutcome<T>> {
    let value: Value = serde_json::from_slice(bytes)?;
    if let Some(status) = Status::from_object(&value) {
        return Ok(DeleteOutcome::Status(Box::new(status)));
    }
    Ok(DeleteOutcome::Object(serde_json::from_value(value)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use api_types::api::apps::v1::Deployment;
    use api_types::api::core::v1::{Node, Pod};

    fn client() -> Client {
        Client::new(Config::for_server("http://127.0.0.1:1").unwrap()).unwrap()
    }

    #[test]
    fn paths_follow_group_scope_and_namespace() {
        let pods: Api<Pod> = Api::namespaced(client(), "team a");
        assert_eq!(pods.collection_path(), "/api/v1/namespaces/team%20a/pods");
        assert_eq!(
            pods.object_path("web", Some("status")).unwrap(),
            "/api/v1/namespaces/team%20a/pods/web/status"
        );
        let all: Api<Pod> = Api::all(client());
        assert_eq!(all.collection_path(), "/api/v1/pods");
        assert!(all.object_path("web", None).unwrap_err().to_string().contains("namespaced"));
        let nodes: Api<Node> = Api::namespaced(client(), "ignored");
        assert_eq!(nodes.object_path("n1", None).unwrap(), "/api/v1/nodes/n1");
        let deployments: Api<Deployment> = Api::default_namespaced(client());
        assert_eq!(deployments.collection_path(), "/apis/apps/v1/namespaces/default/deployments");
        let dynamic = Api::dynamic(client(), ApiResource::of::<Deployment>(), None);
        assert_eq!(dynamic.resource().api_version(), "apps/v1");
        assert_eq!(dynamic.collection_path(), "/apis/apps/v1/deployments");
    }

    #[test]
    fn options_become_queries() {
        let options =
            ListOptions { label_selector: "app=web".into(), limit: 5, ..Default::default() };
        assert_eq!(with_query("/p".into(), &options), "/p?labelSelector=app%3Dweb&limit=5");
        assert_eq!(with_query("/p".into(), &GetOptions::default()), "/p");
    }

    #[test]
    fn delete_answers_are_objects_or_statuses() {
        let status = br#"{"kind":"Status","apiVersion":"v1","status":"Success"}"#;
        assert!(matches!(outcome::<Pod>(status).unwrap(), DeleteOutcome::Status(_)));
        let pod = br#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web"}}"#;
        match outcome::<Pod>(pod).unwrap() {
            DeleteOutcome::Object(pod) => assert_eq!(pod.metadata.name, "web"),
            other => panic!("{other:?}"),
        }
    }
}
