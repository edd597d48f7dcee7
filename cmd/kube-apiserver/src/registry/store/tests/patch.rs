use super::*;

const GENERIC_422: &str = "the server rejected our request due to an error in our request";

#[tokio::test]
async fn merge_and_json_patches_change_the_stored_object() {
    let cluster = Cluster::start().await;
    let created =
        create(&cluster.config_maps, config_map("settings", json!({"a": "1", "b": "2"}))).await;
    let merged = patch(
        &cluster.config_maps,
        "settings",
        None,
        PatchType::Merge,
        json!({"data": {"a": null, "c": "3"}}),
    )
    .await
    .unwrap();
    assert_eq!(merged["data"], json!({"b": "2", "c": "3"}));
    assert_eq!(resource_version(&merged), cluster.revision().await);
    assert_eq!(merged["metadata"]["uid"], created["metadata"]["uid"]);

    let ops = json!([
        {"op": "test", "path": "/data/b", "value": "2"},
        {"op": "add", "path": "/metadata/labels", "value": {"app": "web"}},
        {"op": "replace", "path": "/data/b", "value": "two"}
    ]);
    let patched =
        patch(&cluster.config_maps, "settings", None, PatchType::Json, ops).await.unwrap();
    assert_eq!(patched["data"], json!({"b": "two", "c": "3"}));
    assert_eq!(patched["metadata"]["labels"], json!({"app": "web"}));
    assert_eq!(get(&cluster.config_maps, "settings").await.unwrap(), patched);
}

#[tokio::test]
async fn strategic_merge_patches_merge_lists_by_key() {
    let cluster = Cluster::start().await;
    let mut body = controller("web", 1);
    body["spec"]["template"]["spec"]["containers"] =
        json!([{"name": "main", "image": "nginx:1.25"}, {"name": "sidecar", "image": "envoy:1"}]);
    create(&cluster.controllers, body).await;
    let image_bump = json!({"spec": {"template": {"spec": {"containers": [{"name": "sidecar", "image": "envoy:2"}]}}}});
    let patched = patch(&cluster.controllers, "web", None, PatchType::StrategicMerge, image_bump)
        .await
        .unwrap();
    let containers = &patched["spec"]["template"]["spec"]["containers"];
    assert_eq!(containers.as_array().unwrap().len(), 2);
    assert_eq!(
        (containers[0]["image"].as_str(), containers[1]["image"].as_str()),
        (Some("nginx:1.25"), Some("envoy:2"))
    );
    assert_eq!(patched["metadata"]["generation"], 2, "a spec patch bumps the generation");
}

#[tokio::test]
async fn patch_failures_have_upstreams_codes() {
    let cluster = Cluster::start().await;
    create(&cluster.config_maps, config_map("settings", json!({"a": "1"}))).await;
    let store = &cluster.config_maps;

    let failed_test = json!([{"op": "test", "path": "/data/a", "value": "9"}]);
    let status = assert_failure(
        patch(store, "settings", None, PatchType::Json, failed_test).await,
        422,
        "Invalid",
        GENERIC_422,
    );
    assert_eq!(status.details, Some(Default::default()));

    let status =
        patch(store, "settings", None, PatchType::Json, json!({"op": "add"})).await.unwrap_err();
    assert_eq!((status.code, status.reason.as_str()), (400, "BadRequest"));
    assert!(status.message.starts_with("invalid JSON patch"), "{}", status.message);

    let status =
        patch(store, "settings", None, PatchType::Merge, json!({"data": 5})).await.unwrap_err();
    assert_eq!((status.code, status.reason.as_str()), (422, "Invalid"));
    assert!(
        status.message.starts_with(r#" "" is invalid: patch: Invalid value: "#),
        "{}",
        status.message
    );

    let status = patch(store, "settings", None, PatchType::Apply, json!({})).await.unwrap_err();
    assert_eq!((status.code, status.reason.as_str()), (415, "UnsupportedMediaType"));
    assert_eq!(
        status.message,
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json"
    );

    assert_failure(
        patch(store, "nope", None, PatchType::Merge, json!({})).await,
        404,
        "NotFound",
        r#"configmaps "nope" not found"#,
    );
    assert_failure(
        patch(store, "settings", None, PatchType::Merge, json!({"metadata": {"name": "renamed"}}))
            .await,
        400,
        "BadRequest",
        "the name of the object (renamed) does not match the name on the URL (settings)",
    );
    assert_failure(
        patch(store, "settings", Some("exec"), PatchType::Merge, json!({})).await,
        404,
        "NotFound",
        "the server could not find the requested resource",
    );
    assert_eq!(get(store, "settings").await.unwrap()["data"], json!({"a": "1"}));
}

#[tokio::test]
async fn a_resource_version_in_the_patch_is_a_precondition() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.config_maps, config_map("settings", json!({"a": "1"}))).await;
    let stale = resource_version(&created).to_string();
    patch(&cluster.config_maps, "settings", None, PatchType::Merge, json!({"data": {"a": "2"}}))
        .await
        .unwrap();
    let conditional = json!({"metadata": {"resourceVersion": stale}, "data": {"a": "3"}});
    assert_failure(
        patch(&cluster.config_maps, "settings", None, PatchType::Merge, conditional).await,
        409,
        "Conflict",
        r#"Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again"#,
    );
    let current = cluster.revision().await.to_string();
    let conditional = json!({"metadata": {"resourceVersion": current}, "data": {"a": "3"}});
    let patched =
        patch(&cluster.config_maps, "settings", None, PatchType::Merge, conditional).await.unwrap();
    assert_eq!(patched["data"]["a"], "3");
}

#[tokio::test]
async fn concurrent_patches_each_apply_to_the_latest_object() {
    let cluster = Arc::new(Cluster::start().await);
    create(&cluster.config_maps, config_map("shared", json!({}))).await;
    let patchers: Vec<_> = (0..10)
        .map(|index| {
            let cluster = Arc::clone(&cluster);
            tokio::spawn(async move {
                let change = json!({"data": {format!("key-{index}"): "set"}});
                patch(&cluster.config_maps, "shared", None, PatchType::Merge, change).await
            })
        })
        .collect();
    for patcher in patchers {
        patcher.await.unwrap().expect("a patch retries its lost races");
    }
    let shared = get(&cluster.config_maps, "shared").await.unwrap();
    assert_eq!(shared["data"].as_object().unwrap().len(), 10, "{shared}");
}

#[tokio::test]
async fn a_status_patch_changes_only_the_status() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.controllers, controller("web", 2)).await;
    let change = json!({"spec": {"replicas": 7}, "status": {"replicas": 2, "readyReplicas": 2}});
    let patched =
        patch(&cluster.controllers, "web", Some("status"), PatchType::Merge, change.clone())
            .await
            .unwrap();
    assert_eq!(patched["status"], json!({"replicas": 2, "readyReplicas": 2}));
    assert_eq!(patched["spec"], created["spec"]);
    assert_eq!(patched["metadata"]["generation"], 1);

    let main = patch(&cluster.controllers, "web", None, PatchType::Merge, change).await.unwrap();
    assert_eq!(main["spec"]["replicas"], 7);
    assert_eq!(
        main["status"],
        json!({"replicas": 2, "readyReplicas": 2}),
        "the status stays as stored"
    );
}

#[tokio::test]
async fn dry_run_patch_stores_nothing() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.config_maps, config_map("settings", json!({"a": "1"}))).await;
    let options = PatchOptions { dry_run: vec!["All".into()], ..Default::default() };
    let would_be = cluster
        .config_maps
        .patch(
            Some("default"),
            "settings",
            None,
            PatchType::Merge,
            json!({"data": {"a": "2"}}),
            &options,
        )
        .await
        .unwrap();
    assert_eq!(would_be["data"]["a"], "2");
    assert_eq!(get(&cluster.config_maps, "settings").await.unwrap(), created);
}
