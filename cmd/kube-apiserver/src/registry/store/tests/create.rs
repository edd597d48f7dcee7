use super::kinds::TestConfigMap;
use super::*;
use api_types::api::core::v1::ConfigMap;
use api_types::meta::v1::{ObjectMeta, Time};
use api_types::validation::Validate;

#[tokio::test]
async fn create_stores_the_object_with_server_owned_metadata() {
    let cluster = Cluster::start().await;
    let before = Time::now();
    let created =
        create(&cluster.config_maps, config_map("settings", json!({"mode": "fast"}))).await;

    assert_eq!(created["apiVersion"], "v1");
    assert_eq!(created["kind"], "ConfigMap");
    assert_eq!(created["data"], json!({"mode": "fast"}));
    let meta = &created["metadata"];
    assert_eq!(meta["name"], "settings");
    assert_eq!(meta["namespace"], "default");
    assert_eq!(resource_version(&created), cluster.revision().await);
    assert!(meta.get("generation").is_none(), "ConfigMaps track no generation: {meta}");
    let uid = meta["uid"].as_str().expect("a uid");
    assert_eq!(uid.len(), 36);
    assert_eq!(&uid[14..15], "4", "a version 4 UUID: {uid}");
    let created_at: Time = serde_json::from_value(meta["creationTimestamp"].clone()).unwrap();
    assert!(created_at >= before && created_at <= Time::now());

    assert_eq!(get(&cluster.config_maps, "settings").await.unwrap(), created);
    let second = create(&cluster.config_maps, config_map("other", json!({}))).await;
    assert_ne!(second["metadata"]["uid"], created["metadata"]["uid"]);
}

#[tokio::test]
async fn create_expands_generate_name() {
    let cluster = Cluster::start().await;
    let body = json!({"metadata": {"generateName": "web-"}, "data": {"a": "b"}});
    let first = create(&cluster.config_maps, body.clone()).await;
    let second = create(&cluster.config_maps, body).await;

    let name = first["metadata"]["name"].as_str().unwrap();
    assert_eq!(name.len(), "web-".len() + 5, "{name}");
    assert!(name.starts_with("web-"));
    assert!(name[4..].chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)), "{name}");
    assert_eq!(first["metadata"]["generateName"], "web-");
    assert_ne!(first["metadata"]["name"], second["metadata"]["name"]);
    assert!(get(&cluster.config_maps, name).await.is_ok());
}

#[tokio::test]
async fn create_rejects_bodies_of_another_type_with_400() {
    let cluster = Cluster::start().await;
    let store = &cluster.config_maps;
    let options = CreateOptions::default();
    let ns = Some("default");

    let wrong_shape = json!({"metadata": {"name": "x"}, "data": "not a map"});
    let status = store.create(ns, wrong_shape, &options).await.unwrap_err();
    assert_eq!((status.code, status.reason.as_str()), (400, "BadRequest"));
    assert!(
        status
            .message
            .starts_with(r#"ConfigMap in version "v1" cannot be handled as a ConfigMap: "#),
        "{}",
        status.message
    );

    let pod_body = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}});
    assert_failure(
        store.create(ns, pod_body, &options).await,
        400,
        "BadRequest",
        r#"Pod in version "v1" cannot be handled as a ConfigMap: converting (v1.Pod) to (core.ConfigMap): unknown conversion"#,
    );

    let other_group =
        json!({"apiVersion": "apps/v1", "kind": "ConfigMap", "metadata": {"name": "x"}});
    assert_failure(
        store.create(ns, other_group, &options).await,
        400,
        "BadRequest",
        "the API version in the data (apps/v1) does not match the expected API version (v1)",
    );

    let not_an_object = json!(["a", "b"]);
    assert_failure(
        store.create(ns, not_an_object, &options).await,
        400,
        "BadRequest",
        r#"ConfigMap in version "v1" cannot be handled as a ConfigMap: expected a JSON object, found an array"#,
    );
    assert_eq!(cluster.revision().await, 0, "nothing was stored");
}

#[tokio::test]
async fn create_takes_the_request_namespace_and_rejects_another() {
    let cluster = Cluster::start().await;
    let options = CreateOptions::default();
    let mut body = config_map("x", json!({}));
    body["metadata"]["namespace"] = json!("team-b");
    assert_failure(
        cluster.config_maps.create(Some("team-a"), body.clone(), &options).await,
        400,
        "BadRequest",
        "the namespace of the provided object does not match the namespace sent on the request",
    );
    let created = cluster.config_maps.create(Some("team-b"), body, &options).await.unwrap();
    assert_eq!(created["metadata"]["namespace"], "team-b");

    assert_failure(
        cluster.config_maps.create(None, config_map("y", json!({})), &options).await,
        400,
        "BadRequest",
        "Namespace parameter required.",
    );

    let namespace = json!({"metadata": {"name": "team-c", "namespace": "ignored"}});
    let created = cluster.namespaces.create(Some("default"), namespace, &options).await.unwrap();
    assert!(created["metadata"].get("namespace").is_none(), "{created}");
}

#[tokio::test]
async fn create_of_a_taken_name_is_409_already_exists() {
    let cluster = Cluster::start().await;
    create(&cluster.config_maps, config_map("settings", json!({}))).await;
    let status = assert_failure(
        cluster
            .config_maps
            .create(Some("default"), config_map("settings", json!({})), &CreateOptions::default())
            .await,
        409,
        "AlreadyExists",
        r#"configmaps "settings" already exists"#,
    );
    let details = status.details.expect("details");
    assert_eq!(
        (details.name.as_str(), details.kind.as_str(), details.group.as_str()),
        ("settings", "configmaps", "")
    );
}

#[tokio::test]
async fn create_over_an_object_being_deleted_says_so() {
    let cluster = Cluster::start().await;
    let held = json!({"metadata": {"name": "held", "finalizers": ["example.com/hold"]}});
    create(&cluster.config_maps, held.clone()).await;
    delete(&cluster.config_maps, "held", DeleteOptions::default()).await.unwrap();
    assert_failure(
        cluster.config_maps.create(Some("default"), held, &CreateOptions::default()).await,
        409,
        "AlreadyExists",
        r#"object is being deleted: configmaps "held" already exists"#,
    );
}

#[tokio::test]
async fn create_of_an_invalid_object_is_422_with_the_kinds_findings() {
    let cluster = Cluster::start().await;
    let options = CreateOptions::default();
    let status = assert_failure(
        cluster.config_maps.create(Some("default"), json!({"metadata": {}}), &options).await,
        422,
        "Invalid",
        r#"ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required"#,
    );
    let cause = &status.details.as_ref().unwrap().causes[0];
    assert_eq!(
        (cause.type_.as_str(), cause.field.as_str()),
        ("FieldValueRequired", "metadata.name")
    );

    let bad_name = config_map("Bad_Name", json!({}));
    let status = cluster.config_maps.create(Some("default"), bad_name, &options).await.unwrap_err();
    let expected = ConfigMap {
        metadata: ObjectMeta {
            name: "Bad_Name".into(),
            namespace: "default".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let expected = expected.validate().to_status_for::<ConfigMap>("Bad_Name");
    assert_eq!(status, expected);
    assert!(status.message.starts_with(
        r#"ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": "#
    ));
    assert_eq!(cluster.revision().await, 0);
}

#[tokio::test]
async fn dry_run_create_does_everything_but_the_write() {
    let cluster = Cluster::start().await;
    let options = CreateOptions { dry_run: vec!["All".into()], ..Default::default() };
    let created = cluster
        .config_maps
        .create(Some("default"), config_map("dry", json!({"a": "1"})), &options)
        .await
        .unwrap();
    assert_eq!(created["metadata"]["name"], "dry");
    assert!(created["metadata"]["uid"].is_string());
    assert!(created["metadata"].get("resourceVersion").is_none());
    assert_eq!(cluster.revision().await, 0);
    assert_failure(
        get(&cluster.config_maps, "dry").await,
        404,
        "NotFound",
        r#"configmaps "dry" not found"#,
    );

    let invalid = cluster
        .config_maps
        .create(
            Some("default"),
            config_map("dry", json!({})),
            &CreateOptions { dry_run: vec!["Some".into()], ..Default::default() },
        )
        .await
        .unwrap_err();
    assert_eq!((invalid.code, invalid.reason.as_str()), (422, "Invalid"));
    assert!(
        invalid
            .message
            .starts_with(r#"CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: "#),
        "{}",
        invalid.message
    );
    assert!(invalid.message.ends_with(r#"supported values: "All""#), "{}", invalid.message);
}

#[tokio::test]
async fn create_resets_status_and_system_fields_and_applies_defaults() {
    let cluster = Cluster::start().await;
    let mut body = controller("web", 2);
    body["status"] = json!({"replicas": 5, "readyReplicas": 5});
    body["metadata"]["resourceVersion"] = json!("77");
    body["metadata"]["uid"] = json!("client-chosen");
    body["metadata"]["generation"] = json!(9);
    body["metadata"]["deletionTimestamp"] = json!("2020-01-01T00:00:00Z");
    body["metadata"]["deletionGracePeriodSeconds"] = json!(5);
    let created = create(&cluster.controllers, body).await;

    assert_eq!(created["status"], json!({"replicas": 0}), "status starts empty");
    assert_eq!(created["metadata"]["generation"], 1);
    assert_ne!(created["metadata"]["uid"], "client-chosen");
    assert_eq!(resource_version(&created), cluster.revision().await);
    assert!(created["metadata"].get("deletionTimestamp").is_none());
    assert!(created["metadata"].get("deletionGracePeriodSeconds").is_none());
    let container = &created["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["imagePullPolicy"], "IfNotPresent", "defaults were applied");
    assert_eq!(container["terminationMessagePath"], "/dev/termination-log");

    let pod = create(&cluster.pods, pod("runner", "node-1")).await;
    assert_eq!(pod["status"]["phase"], "Pending", "the kind's prepare_for_create ran");
}

#[tokio::test]
async fn store_info_describes_the_resource() {
    let cluster = Cluster::start().await;
    let info = cluster.controllers.info();
    assert_eq!(
        (info.group, info.version, info.kind, info.plural, info.singular.as_str(), info.namespaced),
        (
            "",
            "v1",
            "ReplicationController",
            "replicationcontrollers",
            "replicationcontroller",
            true
        )
    );
    assert_eq!(
        (info.short_names, info.categories, info.subresources),
        (&["rc"][..], &["all"][..], &["scale", "status"][..])
    );
    assert_eq!(cluster.config_maps.info().short_names, &["cm"]);
    assert!(!cluster.namespaces.info().namespaced);

    let trailing_slash = GenericStore::<TestConfigMap>::new(cluster.storage.clone(), "/registry/");
    assert_eq!(
        trailing_slash.object_key(Some("default"), "web").unwrap(),
        "/registry/configmaps/default/web"
    );
    assert_eq!(
        cluster.namespaces.object_key(Some("ignored"), "team-a").unwrap(),
        "/registry/namespaces/team-a"
    );
}
