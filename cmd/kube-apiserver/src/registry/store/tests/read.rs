use super::*;

#[tokio::test]
async fn get_returns_the_object_at_its_last_modification() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.config_maps, config_map("settings", json!({"a": "1"}))).await;
    create(&cluster.config_maps, config_map("unrelated", json!({}))).await;
    let read = get(&cluster.config_maps, "settings").await.unwrap();
    assert_eq!(read, created);
    assert_eq!(resource_version(&read) + 1, cluster.revision().await);

    let mut changed = read.clone();
    changed["data"]["a"] = json!("2");
    put(&cluster.config_maps, "settings", changed).await.unwrap();
    let reread = get(&cluster.config_maps, "settings").await.unwrap();
    assert_eq!(resource_version(&reread), cluster.revision().await);
    assert_eq!(reread["data"]["a"], "2");
}

#[tokio::test]
async fn get_of_a_missing_object_is_404() {
    let cluster = Cluster::start().await;
    let status = assert_failure(
        get(&cluster.config_maps, "nope").await,
        404,
        "NotFound",
        r#"configmaps "nope" not found"#,
    );
    let details = status.details.unwrap();
    assert_eq!((details.name.as_str(), details.kind.as_str()), ("nope", "configmaps"));

    let options = GetOptions::default();
    assert_failure(
        cluster.namespaces.get(None, "nope", None, &options).await,
        404,
        "NotFound",
        r#"namespaces "nope" not found"#,
    );
}

#[tokio::test]
async fn names_and_namespaces_that_cannot_be_keys_are_400() {
    let cluster = Cluster::start().await;
    let options = GetOptions::default();
    let store = &cluster.config_maps;
    assert_failure(
        store.get(Some("default"), "..", None, &options).await,
        400,
        "BadRequest",
        r#"Name parameter invalid: "..": may not be '..'"#,
    );
    assert_failure(
        store.get(Some("default"), "a%b/c", None, &options).await,
        400,
        "BadRequest",
        r#"Name parameter invalid: "a%b/c": may not contain '/';may not contain '%'"#,
    );
    assert_failure(
        store.get(Some("default"), "", None, &options).await,
        400,
        "BadRequest",
        "Name parameter required.",
    );
    assert_failure(
        store.get(None, "x", None, &options).await,
        400,
        "BadRequest",
        "Namespace parameter required.",
    );
}

#[tokio::test]
async fn subresources_the_kind_does_not_serve_are_404() {
    let cluster = Cluster::start().await;
    create(&cluster.config_maps, config_map("settings", json!({}))).await;
    let created = create(&cluster.controllers, controller("web", 1)).await;
    let options = GetOptions::default();
    let not_served = "the server could not find the requested resource";
    for subresource in ["status", "scale", "log"] {
        let status = assert_failure(
            cluster.config_maps.get(Some("default"), "settings", Some(subresource), &options).await,
            404,
            "NotFound",
            not_served,
        );
        assert_eq!(status.details, Some(Default::default()));
    }
    assert_failure(
        cluster.controllers.get(Some("default"), "web", Some("binding"), &options).await,
        404,
        "NotFound",
        not_served,
    );
    let status =
        cluster.controllers.get(Some("default"), "web", Some("status"), &options).await.unwrap();
    assert_eq!(status, created, "GET of status returns the whole object, as upstream");
}

#[tokio::test]
async fn get_honours_resource_version_as_a_minimum() {
    let cluster = Cluster::start().await;
    create(&cluster.config_maps, config_map("settings", json!({}))).await;
    let current = cluster.revision().await;
    let at = |resource_version: &str| GetOptions {
        resource_version: resource_version.into(),
        ..Default::default()
    };
    for acceptable in ["0".to_string(), current.to_string()] {
        let read = cluster
            .config_maps
            .get(Some("default"), "settings", None, &at(&acceptable))
            .await
            .unwrap();
        assert_eq!(read["metadata"]["name"], "settings");
    }
    let status = assert_failure(
        cluster.config_maps.get(Some("default"), "settings", None, &at("999999")).await,
        504,
        "Timeout",
        &format!("Timeout: Too large resource version: 999999, current: {current}"),
    );
    let details = status.details.unwrap();
    assert_eq!(details.retry_after_seconds, 1);
    assert_eq!(details.causes[0].type_, "ResourceVersionTooLarge");
    assert_eq!(details.causes[0].message, "Too large resource version");

    assert_failure(
        cluster.config_maps.get(Some("default"), "settings", None, &at("abc")).await,
        400,
        "BadRequest",
        r#"invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax"#,
    );
}
