use super::*;
use api_types::meta::v1::ListMeta;

async fn create_in(cluster: &Cluster, namespace: &str, body: Value) -> Value {
    cluster.config_maps.create(Some(namespace), body, &CreateOptions::default()).await.unwrap()
}

fn limited(limit: i64, continue_: &str) -> ListOptions {
    ListOptions { limit, continue_: continue_.into(), ..Default::default() }
}

fn list_meta(list: &Value) -> ListMeta {
    serde_json::from_value(list["metadata"].clone()).unwrap()
}

#[tokio::test]
async fn list_returns_a_typed_list_in_key_order() {
    let cluster = Cluster::start().await;
    let b = create(&cluster.config_maps, config_map("b", json!({}))).await;
    let a = create(&cluster.config_maps, config_map("a", json!({}))).await;
    let list = list(&cluster.config_maps, Some("default"), ListOptions::default()).await.unwrap();

    assert_eq!(list["kind"], "ConfigMapList");
    assert_eq!(list["apiVersion"], "v1");
    assert_eq!(list["metadata"], json!({"resourceVersion": cluster.revision().await.to_string()}));
    assert_eq!(list["items"], json!([a, b]));
    assert_eq!(list["items"][0]["kind"], "ConfigMap");
    assert_eq!(list["items"][0]["apiVersion"], "v1");

    let empty = super::list(&cluster.namespaces, None, ListOptions::default()).await.unwrap();
    assert_eq!(empty["kind"], "NamespaceList");
    assert_eq!(empty["items"], json!([]));
}

#[tokio::test]
async fn list_reads_one_namespace_or_all_of_them() {
    let cluster = Cluster::start().await;
    create_in(&cluster, "team", config_map("in-team", json!({}))).await;
    create_in(&cluster, "team-2", config_map("in-team-2", json!({}))).await;
    create_in(&cluster, "default", config_map("in-default", json!({}))).await;

    let team = list(&cluster.config_maps, Some("team"), ListOptions::default()).await.unwrap();
    assert_eq!(names(&team), ["in-team"]);
    let all = list(&cluster.config_maps, None, ListOptions::default()).await.unwrap();
    assert_eq!(names(&all), ["in-default", "in-team-2", "in-team"], "in key order, as etcd lists");

    let by_field =
        ListOptions { field_selector: "metadata.namespace=team-2".into(), ..Default::default() };
    let narrowed = list(&cluster.config_maps, None, by_field).await.unwrap();
    assert_eq!(names(&narrowed), ["in-team-2"]);

    create(&cluster.namespaces, json!({"metadata": {"name": "b-space"}})).await;
    create(&cluster.namespaces, json!({"metadata": {"name": "a-space"}})).await;
    let namespaces =
        list(&cluster.namespaces, Some("ignored"), ListOptions::default()).await.unwrap();
    assert_eq!(names(&namespaces), ["a-space", "b-space"]);
}

#[tokio::test]
async fn list_filters_by_labels_and_fields() {
    let cluster = Cluster::start().await;
    create(&cluster.config_maps, labelled_config_map("web-1", json!({"app": "web", "tier": "fe"})))
        .await;
    create(&cluster.config_maps, labelled_config_map("web-2", json!({"app": "web", "tier": "be"})))
        .await;
    create(&cluster.config_maps, labelled_config_map("db", json!({"app": "db"}))).await;
    let select = |labels: &str, fields: &str| ListOptions {
        label_selector: labels.into(),
        field_selector: fields.into(),
        ..Default::default()
    };
    let store = &cluster.config_maps;
    let ns = Some("default");
    assert_eq!(names(&list(store, ns, select("app=web", "")).await.unwrap()), ["web-1", "web-2"]);
    assert_eq!(names(&list(store, ns, select("tier in (fe),app", "")).await.unwrap()), ["web-1"]);
    assert_eq!(names(&list(store, ns, select("!tier", "")).await.unwrap()), ["db"]);
    assert_eq!(
        names(&list(store, ns, select("", "metadata.name=web-2")).await.unwrap()),
        ["web-2"]
    );
    assert_eq!(
        names(&list(store, ns, select("app=web", "metadata.name!=web-2")).await.unwrap()),
        ["web-1"]
    );

    assert_failure(
        list(store, ns, select("", "data.mode=fast")).await,
        400,
        "BadRequest",
        "field label not supported: data.mode",
    );
    assert_failure(
        list(store, ns, select("", "metadata.name")).await,
        400,
        "BadRequest",
        "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
    let status = list(store, ns, select("app in (", "")).await.unwrap_err();
    assert_eq!((status.code, status.reason.as_str()), (400, "BadRequest"));
    assert!(!status.message.is_empty());

    let pods = &cluster.pods;
    create(pods, pod("scheduled", "node-1")).await;
    create(pods, pod("pending", "")).await;
    let on_node = list(pods, ns, select("", "spec.nodeName=node-1")).await.unwrap();
    assert_eq!(names(&on_node), ["scheduled"]);
    let unscheduled =
        list(pods, ns, select("", "spec.nodeName=,status.phase=Pending")).await.unwrap();
    assert_eq!(names(&unscheduled), ["pending"]);
}

#[tokio::test]
async fn paged_lists_read_one_consistent_revision() {
    let cluster = Cluster::start().await;
    for name in ["a", "b", "c", "d", "e"] {
        create(&cluster.config_maps, config_map(name, json!({}))).await;
    }
    let revision = cluster.revision().await;
    let store = &cluster.config_maps;

    let first = list(store, Some("default"), limited(2, "")).await.unwrap();
    assert_eq!(names(&first), ["a", "b"]);
    let meta = list_meta(&first);
    assert_eq!(meta.resource_version, revision.to_string());
    assert_eq!(meta.remaining_item_count, Some(3));
    assert!(!meta.continue_.is_empty());

    create(store, config_map("bb", json!({}))).await;
    put(store, "c", config_map("c", json!({"changed": "yes"}))).await.unwrap();

    let second = list(store, Some("default"), limited(2, &meta.continue_)).await.unwrap();
    assert_eq!(names(&second), ["c", "d"], "the page reads the first page's revision");
    assert_eq!(second["items"][0]["data"], Value::Null, "c as it was at the first revision");
    let meta = list_meta(&second);
    assert_eq!(
        (meta.resource_version.as_str(), meta.remaining_item_count),
        (revision.to_string().as_str(), Some(1))
    );

    let last = list(store, Some("default"), limited(2, &meta.continue_)).await.unwrap();
    assert_eq!(names(&last), ["e"]);
    assert_eq!(last["metadata"], json!({"resourceVersion": revision.to_string()}));

    let exact_fit = list(store, Some("default"), limited(6, "")).await.unwrap();
    assert_eq!(names(&exact_fit), ["a", "b", "bb", "c", "d", "e"]);
    assert!(list_meta(&exact_fit).continue_.is_empty());
}

#[tokio::test]
async fn paging_applies_selectors_page_by_page() {
    let cluster = Cluster::start().await;
    for (name, app) in [
        ("a", "web"),
        ("b", "db"),
        ("c", "db"),
        ("d", "web"),
        ("e", "db"),
        ("f", "web"),
        ("g", "db"),
    ] {
        create(&cluster.config_maps, labelled_config_map(name, json!({"app": app}))).await;
    }
    let options = |continue_: &str| ListOptions {
        label_selector: "app=web".into(),
        limit: 2,
        continue_: continue_.into(),
        ..Default::default()
    };
    let first = list(&cluster.config_maps, Some("default"), options("")).await.unwrap();
    assert_eq!(names(&first), ["a", "d"]);
    let meta = list_meta(&first);
    assert_eq!(meta.remaining_item_count, None, "no count when a selector filters");
    assert!(!meta.continue_.is_empty(), "more keys follow");

    let second =
        list(&cluster.config_maps, Some("default"), options(&meta.continue_)).await.unwrap();
    assert_eq!(names(&second), ["f"]);
    let meta = list_meta(&second);
    assert_eq!(meta.remaining_item_count, None);
    let mut continue_ = meta.continue_;
    let mut rest = Vec::new();
    while !continue_.is_empty() {
        let page = list(&cluster.config_maps, Some("default"), options(&continue_)).await.unwrap();
        rest.extend(names(&page));
        continue_ = list_meta(&page).continue_;
    }
    assert!(rest.is_empty(), "nothing matches after f: {rest:?}");
}

#[tokio::test]
async fn resource_version_and_match_choose_the_state_read() {
    let cluster = Cluster::start().await;
    let first = create(&cluster.config_maps, config_map("a", json!({}))).await;
    let old = resource_version(&first);
    create(&cluster.config_maps, config_map("b", json!({}))).await;
    let current = cluster.revision().await;
    let read = |resource_version: String, matching: &str, limit: i64| ListOptions {
        resource_version,
        resource_version_match: matching.into(),
        limit,
        ..Default::default()
    };
    let store = &cluster.config_maps;
    let ns = Some("default");

    let exact = list(store, ns, read(old.to_string(), "Exact", 0)).await.unwrap();
    assert_eq!(names(&exact), ["a"]);
    assert_eq!(exact["metadata"]["resourceVersion"], old.to_string());
    let legacy_paged = list(store, ns, read(old.to_string(), "", 10)).await.unwrap();
    assert_eq!(names(&legacy_paged), ["a"], "a limit makes a bare resourceVersion exact");

    for not_older in [
        read(old.to_string(), "NotOlderThan", 0),
        read(old.to_string(), "", 0),
        read("0".into(), "", 0),
        read(String::new(), "", 0),
    ] {
        let latest = list(store, ns, not_older).await.unwrap();
        assert_eq!(names(&latest), ["a", "b"]);
        assert_eq!(latest["metadata"]["resourceVersion"], current.to_string());
    }

    let future = current + 100;
    for too_new in
        [read(future.to_string(), "NotOlderThan", 0), read(future.to_string(), "Exact", 0)]
    {
        let status = list(store, ns, too_new).await.unwrap_err();
        assert_eq!((status.code, status.reason.as_str()), (504, "Timeout"));
        assert_eq!(
            status.message,
            format!("Timeout: Too large resource version: {future}, current: {current}")
        );
    }
}

#[tokio::test]
async fn compacted_revisions_and_continue_tokens_are_410() {
    let cluster = Cluster::start().await;
    for name in ["a", "b", "c"] {
        create(&cluster.config_maps, config_map(name, json!({}))).await;
    }
    let old = cluster.revision().await;
    let first = list(&cluster.config_maps, Some("default"), limited(1, "")).await.unwrap();
    let token = list_meta(&first).continue_;
    put(&cluster.config_maps, "a", config_map("a", json!({"x": "y"}))).await.unwrap();
    create(&cluster.config_maps, config_map("d", json!({}))).await;
    cluster.storage.compact(cluster.revision().await).await.unwrap();

    let exact = ListOptions {
        resource_version: (old - 1).to_string(),
        resource_version_match: "Exact".into(),
        ..Default::default()
    };
    assert_failure(
        list(&cluster.config_maps, Some("default"), exact).await,
        410,
        "Expired",
        "The resourceVersion for the provided list is too old.",
    );

    let status = list(&cluster.config_maps, Some("default"), limited(1, &token)).await.unwrap_err();
    assert_eq!((status.code, status.reason.as_str()), (410, "Expired"));
    assert!(status.message.starts_with("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response"), "{}", status.message);
    let fresh = status.metadata.continue_;
    assert!(!fresh.is_empty());
    let rest = list(&cluster.config_maps, Some("default"), limited(0, &fresh)).await.unwrap();
    assert_eq!(names(&rest), ["b", "c", "d"], "the fresh token goes on at the latest revision");
}

#[tokio::test]
async fn list_options_are_validated_as_upstream_does() {
    let cluster = Cluster::start().await;
    let store = &cluster.config_maps;
    let ns = Some("default");
    let invalid = |message: &str| format!(r#"ListOptions.meta.k8s.io "" is invalid: {message}"#);

    let options = ListOptions { resource_version_match: "Exact".into(), ..Default::default() };
    assert_failure(
        list(store, ns, options).await,
        422,
        "Invalid",
        &invalid(
            "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
        ),
    );
    let options = ListOptions {
        resource_version: "0".into(),
        resource_version_match: "Exact".into(),
        ..Default::default()
    };
    assert_failure(
        list(store, ns, options).await,
        422,
        "Invalid",
        &invalid(
            r#"resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0""#,
        ),
    );
    let options = ListOptions {
        resource_version: "5".into(),
        resource_version_match: "Newest".into(),
        ..Default::default()
    };
    assert_failure(
        list(store, ns, options).await,
        422,
        "Invalid",
        &invalid(
            r#"resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", """#,
        ),
    );
    let options = ListOptions { send_initial_events: Some(true), ..Default::default() };
    assert_failure(
        list(store, ns, options).await,
        422,
        "Invalid",
        &invalid("sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"),
    );

    create(store, config_map("a", json!({}))).await;
    create(store, config_map("b", json!({}))).await;
    let token = list_meta(&list(store, ns, limited(1, "")).await.unwrap()).continue_;
    let options =
        ListOptions { continue_: token, resource_version: "3".into(), ..Default::default() };
    assert_failure(
        list(store, ns, options).await,
        400,
        "BadRequest",
        "specifying resource version is not allowed when using continue",
    );
    let status = list(store, ns, limited(1, "not-a-token")).await.unwrap_err();
    assert_eq!((status.code, status.reason.as_str()), (400, "BadRequest"));
    assert!(status.message.starts_with("invalid continue token"), "{}", status.message);
}

#[tokio::test]
async fn lists_from_the_watch_cache_and_from_storage_are_identical() {
    let cluster = Cluster::start().await;
    create(&cluster.pods, pod("web", "node-1")).await;
    create(&cluster.pods, pod("db", "")).await;
    let any_state = ListOptions { resource_version: "0".into(), ..Default::default() };
    let cached = list(&cluster.pods, Some("default"), any_state).await.unwrap();
    assert_eq!(names(&cached), ["db", "web"]);
    let exact = ListOptions {
        resource_version: cached["metadata"]["resourceVersion"].as_str().unwrap().to_string(),
        resource_version_match: "Exact".into(),
        ..Default::default()
    };
    let stored = list(&cluster.pods, Some("default"), exact).await.unwrap();
    assert_eq!(cached, stored, "the cache serves exactly what storage does");

    let ignored_limit =
        ListOptions { resource_version: "0".into(), limit: 1, ..Default::default() };
    let whole = list(&cluster.pods, Some("default"), ignored_limit).await.unwrap();
    assert_eq!(names(&whole), ["db", "web"], "resourceVersion=0 ignores the limit, as upstream");
    assert_eq!(list_meta(&whole).continue_, "");
}
