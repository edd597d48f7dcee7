use super::*;

fn scale_body(name: &str, replicas: i32, resource_version: &str) -> Value {
    json!({
        "apiVersion": "autoscaling/v1",
        "kind": "Scale",
        "metadata": {"name": name, "resourceVersion": resource_version},
        "spec": {"replicas": replicas}
    })
}

#[tokio::test]
async fn scale_shows_the_replica_count_and_selector() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.controllers, controller("web", 2)).await;
    let scale = cluster
        .controllers
        .get(Some("default"), "web", Some("scale"), &GetOptions::default())
        .await
        .unwrap();
    let meta = &created["metadata"];
    assert_eq!(
        scale,
        json!({
            "apiVersion": "autoscaling/v1",
            "kind": "Scale",
            "metadata": {
                "name": "web", "namespace": "default", "uid": meta["uid"],
                "resourceVersion": meta["resourceVersion"], "creationTimestamp": meta["creationTimestamp"]
            },
            "spec": {"replicas": 2},
            "status": {"replicas": 0, "selector": "app=web"}
        })
    );
}

#[tokio::test]
async fn writing_scale_updates_the_object_through_its_own_update_path() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.controllers, controller("web", 2)).await;
    let rv = created["metadata"]["resourceVersion"].as_str().unwrap().to_string();
    let scaled = put_to(&cluster.controllers, "web", Some("scale"), scale_body("web", 5, &rv))
        .await
        .unwrap();
    assert_eq!(scaled["kind"], "Scale");
    assert_eq!(scaled["spec"]["replicas"], 5);
    assert_eq!(resource_version(&scaled), cluster.revision().await);
    let object = get(&cluster.controllers, "web").await.unwrap();
    assert_eq!(object["spec"]["replicas"], 5);
    assert_eq!(object["metadata"]["generation"], 2);

    assert_failure(
        put_to(&cluster.controllers, "web", Some("scale"), scale_body("web", 6, &rv)).await,
        409,
        "Conflict",
        r#"Operation cannot be fulfilled on replicationcontrollers "web": the object has been modified; please apply your changes to the latest version and try again"#,
    );
    assert_failure(
        put_to(&cluster.controllers, "web", Some("scale"), scale_body("web", -1, "")).await,
        422,
        "Invalid",
        r#"Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"#,
    );
    assert_failure(
        put_to(&cluster.controllers, "web", Some("scale"), scale_body("other", 1, "")).await,
        400,
        "BadRequest",
        "the name of the object (other) does not match the name on the URL (web)",
    );
    let unconditional =
        put_to(&cluster.controllers, "web", Some("scale"), scale_body("web", 1, "")).await.unwrap();
    assert_eq!(unconditional["spec"]["replicas"], 1);

    let patched = patch(
        &cluster.controllers,
        "web",
        Some("scale"),
        PatchType::Merge,
        json!({"spec": {"replicas": 3}}),
    )
    .await
    .unwrap();
    assert_eq!(
        (patched["kind"].as_str(), patched["spec"]["replicas"].as_i64()),
        (Some("Scale"), Some(3))
    );
    assert_eq!(get(&cluster.controllers, "web").await.unwrap()["spec"]["replicas"], 3);
}

#[tokio::test]
async fn kinds_without_scale_answer_404() {
    let cluster = Cluster::start().await;
    create(&cluster.config_maps, config_map("settings", json!({}))).await;
    let not_served = "the server could not find the requested resource";
    assert_failure(
        put_to(&cluster.config_maps, "settings", Some("scale"), scale_body("settings", 1, ""))
            .await,
        404,
        "NotFound",
        not_served,
    );
    assert_failure(
        patch(&cluster.config_maps, "settings", Some("scale"), PatchType::Merge, json!({})).await,
        404,
        "NotFound",
        not_served,
    );
    assert_failure(
        patch(&cluster.pods, "missing", Some("scale"), PatchType::Merge, json!({})).await,
        404,
        "NotFound",
        not_served,
    );
    assert_failure(
        cluster
            .controllers
            .get(Some("default"), "missing", Some("scale"), &GetOptions::default())
            .await,
        404,
        "NotFound",
        r#"replicationcontrollers "missing" not found"#,
    );
}
