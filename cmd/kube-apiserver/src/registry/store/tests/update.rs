use super::*;

const STALE: &str = r#"Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again"#;

#[tokio::test]
async fn update_at_the_current_version_replaces_the_object() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.config_maps, config_map("settings", json!({"a": "1"}))).await;
    let mut changed = created.clone();
    changed["data"] = json!({"b": "2"});
    changed["metadata"]["labels"] = json!({"edited": "yes"});
    let updated = put(&cluster.config_maps, "settings", changed).await.unwrap();

    assert_eq!(updated["data"], json!({"b": "2"}));
    assert_eq!(updated["metadata"]["labels"], json!({"edited": "yes"}));
    assert_eq!(resource_version(&updated), cluster.revision().await);
    assert!(resource_version(&updated) > resource_version(&created));
    assert_eq!(updated["metadata"]["uid"], created["metadata"]["uid"]);
    assert_eq!(updated["metadata"]["creationTimestamp"], created["metadata"]["creationTimestamp"]);
    assert_eq!(get(&cluster.config_maps, "settings").await.unwrap(), updated);
}

#[tokio::test]
async fn a_stale_resource_version_is_409_and_an_empty_one_is_unconditional() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.config_maps, config_map("settings", json!({"a": "1"}))).await;
    put(&cluster.config_maps, "settings", config_map("settings", json!({"a": "2"}))).await.unwrap();

    let mut stale = created.clone();
    stale["data"] = json!({"a": "stale"});
    let status =
        assert_failure(put(&cluster.config_maps, "settings", stale).await, 409, "Conflict", STALE);
    let details = status.details.unwrap();
    assert_eq!((details.name.as_str(), details.kind.as_str()), ("settings", "configmaps"));

    let unconditional = config_map("settings", json!({"a": "3"}));
    let updated = put(&cluster.config_maps, "settings", unconditional).await.unwrap();
    assert_eq!(updated["data"]["a"], "3");
    assert_eq!(updated["metadata"]["uid"], created["metadata"]["uid"], "the stored uid stays");
    assert_eq!(updated["metadata"]["creationTimestamp"], created["metadata"]["creationTimestamp"]);
}

#[tokio::test]
async fn the_body_must_name_the_object_of_the_url() {
    let cluster = Cluster::start().await;
    create(&cluster.config_maps, config_map("settings", json!({}))).await;
    assert_failure(
        put(&cluster.config_maps, "settings", config_map("other", json!({}))).await,
        400,
        "BadRequest",
        "the name of the object (other) does not match the name on the URL (settings)",
    );
    let mut elsewhere = config_map("settings", json!({}));
    elsewhere["metadata"]["namespace"] = json!("team");
    assert_failure(
        put(&cluster.config_maps, "settings", elsewhere).await,
        400,
        "BadRequest",
        "the namespace of the object (team) does not match the namespace on the request (default)",
    );
    assert_failure(
        put(&cluster.config_maps, "nope", config_map("nope", json!({}))).await,
        404,
        "NotFound",
        r#"configmaps "nope" not found"#,
    );
    let mut foreign = config_map("settings", json!({}));
    foreign["metadata"]["uid"] = json!("6c3a4e38-8f1a-4f6a-9b43-0d7c6c2b1f10");
    let status = put(&cluster.config_maps, "settings", foreign).await.unwrap_err();
    assert_eq!((status.code, status.reason.as_str()), (409, "Conflict"));
    let stored = get(&cluster.config_maps, "settings").await.unwrap();
    assert_eq!(
        status.message,
        format!(
            r#"Operation cannot be fulfilled on configmaps "settings": StorageError: invalid object, Code: 4, Key: /registry/configmaps/default/settings, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: 6c3a4e38-8f1a-4f6a-9b43-0d7c6c2b1f10, UID in object meta: {}"#,
            stored["metadata"]["uid"].as_str().unwrap()
        )
    );
}

#[tokio::test]
async fn update_validation_failures_are_422() {
    let cluster = Cluster::start().await;
    let frozen = json!({"metadata": {"name": "frozen"}, "immutable": true, "data": {"a": "1"}});
    create(&cluster.config_maps, frozen).await;
    let changed = json!({"metadata": {"name": "frozen"}, "immutable": true, "data": {"a": "2"}});
    let status = put(&cluster.config_maps, "frozen", changed).await.unwrap_err();
    assert_eq!((status.code, status.reason.as_str()), (422, "Invalid"));
    assert!(
        status.message.starts_with(r#"ConfigMap "frozen" is invalid: data: Forbidden: "#),
        "{}",
        status.message
    );
    assert_eq!(get(&cluster.config_maps, "frozen").await.unwrap()["data"]["a"], "1");
}

#[tokio::test]
async fn a_write_to_the_object_keeps_the_stored_status_and_bumps_the_generation() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.controllers, controller("web", 2)).await;
    let mut scaled = created.clone();
    scaled["spec"]["replicas"] = json!(4);
    scaled["status"] = json!({"replicas": 9});
    let updated = put(&cluster.controllers, "web", scaled).await.unwrap();
    assert_eq!(updated["spec"]["replicas"], 4);
    assert_eq!(updated["status"], json!({"replicas": 0}), "the stored status stays");
    assert_eq!(updated["metadata"]["generation"], 2);

    let mut relabelled = updated.clone();
    relabelled["metadata"]["labels"] = json!({"tier": "fe"});
    relabelled["metadata"]["generation"] = json!(7);
    let relabelled = put(&cluster.controllers, "web", relabelled).await.unwrap();
    assert_eq!(relabelled["metadata"]["generation"], 2, "metadata changes keep the generation");
    assert_eq!(relabelled["metadata"]["labels"], json!({"tier": "fe"}));
}

#[tokio::test]
async fn a_write_to_status_changes_only_the_status() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.controllers, controller("web", 2)).await;
    let mut report = created.clone();
    report["status"] = json!({"replicas": 2, "readyReplicas": 1, "observedGeneration": 1});
    report["spec"]["replicas"] = json!(10);
    report["metadata"]["labels"] = json!({"ignored": "yes"});
    let updated = put_to(&cluster.controllers, "web", Some("status"), report).await.unwrap();
    assert_eq!(
        updated["status"],
        json!({"replicas": 2, "readyReplicas": 1, "observedGeneration": 1})
    );
    assert_eq!(updated["spec"], created["spec"]);
    assert_eq!(updated["metadata"]["labels"], created["metadata"]["labels"]);
    assert_eq!(updated["metadata"]["labels"], json!({"app": "web"}), "defaulted from the template");
    assert_eq!(updated["metadata"]["generation"], 1);
    assert!(resource_version(&updated) > resource_version(&created));

    let status = put_to(&cluster.controllers, "web", Some("status"), created).await.unwrap_err();
    assert_eq!((status.code, status.reason.as_str()), (409, "Conflict"));
    assert_failure(
        put_to(&cluster.config_maps, "web", Some("status"), config_map("web", json!({}))).await,
        404,
        "NotFound",
        "the server could not find the requested resource",
    );
}

#[tokio::test]
async fn an_update_that_changes_nothing_writes_nothing() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.config_maps, config_map("settings", json!({"a": "1"}))).await;
    let revision = cluster.revision().await;
    let unchanged = put(&cluster.config_maps, "settings", created.clone()).await.unwrap();
    assert_eq!(unchanged, created);
    assert_eq!(cluster.revision().await, revision);
}

#[tokio::test]
async fn concurrent_unconditional_updates_all_succeed() {
    let cluster = Arc::new(Cluster::start().await);
    create(&cluster.config_maps, config_map("hot", json!({}))).await;
    let before = cluster.revision().await;
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let cluster = Arc::clone(&cluster);
            tokio::spawn(async move {
                let body = config_map("hot", json!({"writer": writer.to_string()}));
                put(&cluster.config_maps, "hot", body).await
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap().expect("an unconditional update retries its lost races");
    }
    assert_eq!(cluster.revision().await, before + 8);
}

#[tokio::test]
async fn dry_run_update_validates_but_stores_nothing() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.config_maps, config_map("settings", json!({"a": "1"}))).await;
    let options = UpdateOptions { dry_run: vec!["All".into()], ..Default::default() };
    let body = config_map("settings", json!({"a": "2"}));
    let (would_be, _) = cluster
        .config_maps
        .update(Some("default"), "settings", None, body, &options)
        .await
        .unwrap();
    assert_eq!(would_be["data"]["a"], "2");
    assert_eq!(get(&cluster.config_maps, "settings").await.unwrap(), created);
}

#[tokio::test]
async fn removing_the_last_finalizer_of_a_deleted_object_deletes_it() {
    let cluster = Cluster::start().await;
    let held =
        json!({"metadata": {"name": "held", "finalizers": ["example.com/a", "example.com/b"]}});
    create(&cluster.config_maps, held).await;
    let marked = delete(&cluster.config_maps, "held", DeleteOptions::default()).await.unwrap();
    let deletion_timestamp = marked["metadata"]["deletionTimestamp"].clone();

    let mut one_left = marked.clone();
    one_left["metadata"]["finalizers"] = json!(["example.com/b"]);
    one_left["metadata"].as_object_mut().unwrap().remove("deletionTimestamp");
    let updated = put(&cluster.config_maps, "held", one_left).await.unwrap();
    assert_eq!(updated["metadata"]["deletionTimestamp"], deletion_timestamp, "the mark stays");
    assert!(get(&cluster.config_maps, "held").await.is_ok());

    let mut none_left = updated.clone();
    none_left["metadata"]["finalizers"] = json!([]);
    let last = put(&cluster.config_maps, "held", none_left).await.unwrap();
    assert_eq!(last["metadata"]["name"], "held");
    assert_failure(
        get(&cluster.config_maps, "held").await,
        404,
        "NotFound",
        r#"configmaps "held" not found"#,
    );
}
