use super::*;
use api_types::meta::v1::{Preconditions, Time};

fn with_policy(policy: &str) -> DeleteOptions {
    DeleteOptions { propagation_policy: Some(policy.into()), ..Default::default() }
}

fn grace(seconds: i64) -> DeleteOptions {
    DeleteOptions { grace_period_seconds: Some(seconds), ..Default::default() }
}

fn time_of(object: &Value, field: &str) -> Time {
    serde_json::from_value(object["metadata"][field].clone()).unwrap()
}

#[tokio::test]
async fn delete_removes_the_object_and_returns_it() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.config_maps, config_map("settings", json!({"a": "1"}))).await;
    let deleted = delete(&cluster.config_maps, "settings", DeleteOptions::default()).await.unwrap();
    assert_eq!(deleted, created, "the object as it was last stored");
    assert_failure(
        get(&cluster.config_maps, "settings").await,
        404,
        "NotFound",
        r#"configmaps "settings" not found"#,
    );
    assert_failure(
        delete(&cluster.config_maps, "settings", DeleteOptions::default()).await,
        404,
        "NotFound",
        r#"configmaps "settings" not found"#,
    );
}

#[tokio::test]
async fn preconditions_that_do_not_hold_are_409() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.config_maps, config_map("settings", json!({}))).await;
    let uid = created["metadata"]["uid"].as_str().unwrap();
    let rv = resource_version(&created);
    let options = |uid: Option<&str>, rv: Option<String>| DeleteOptions {
        preconditions: Some(Preconditions { uid: uid.map(str::to_string), resource_version: rv }),
        ..Default::default()
    };
    let status = assert_failure(
        delete(&cluster.config_maps, "settings", options(Some("other-uid"), None)).await,
        409,
        "Conflict",
        &format!(
            r#"Operation cannot be fulfilled on ConfigMap "settings": the UID in the precondition (other-uid) does not match the UID in record ({uid}). The object might have been deleted and then recreated"#
        ),
    );
    assert_eq!(status.details.unwrap().kind, "ConfigMap");
    assert_failure(
        delete(&cluster.config_maps, "settings", options(None, Some("999".into()))).await,
        409,
        "Conflict",
        &format!(
            r#"Operation cannot be fulfilled on ConfigMap "settings": the ResourceVersion in the precondition (999) does not match the ResourceVersion in record ({rv}). The object might have been modified"#
        ),
    );
    let deleted =
        delete(&cluster.config_maps, "settings", options(Some(uid), Some(rv.to_string())))
            .await
            .unwrap();
    assert_eq!(deleted["metadata"]["name"], "settings");
}

#[tokio::test]
async fn finalizers_hold_the_object_marked_for_deletion() {
    let cluster = Cluster::start().await;
    let held = json!({"metadata": {"name": "held", "finalizers": ["example.com/hold"]}});
    create(&cluster.config_maps, held).await;
    let before = Time::now();
    let marked = delete(&cluster.config_maps, "held", DeleteOptions::default()).await.unwrap();
    let deletion = time_of(&marked, "deletionTimestamp");
    assert!(deletion >= before && deletion <= Time::now());
    assert_eq!(marked["metadata"]["deletionGracePeriodSeconds"], 0);
    assert_eq!(marked["metadata"]["finalizers"], json!(["example.com/hold"]));
    assert_eq!(resource_version(&marked), cluster.revision().await);
    assert_eq!(get(&cluster.config_maps, "held").await.unwrap(), marked);

    let revision = cluster.revision().await;
    let again = delete(&cluster.config_maps, "held", DeleteOptions::default()).await.unwrap();
    assert_eq!(again, marked, "a second delete changes nothing");
    assert_eq!(cluster.revision().await, revision);
}

#[tokio::test]
async fn propagation_policies_set_the_garbage_collector_finalizers() {
    let cluster = Cluster::start().await;
    for name in ["orphaned", "foreground", "background"] {
        create(&cluster.config_maps, config_map(name, json!({}))).await;
    }
    let orphaned = delete(&cluster.config_maps, "orphaned", with_policy("Orphan")).await.unwrap();
    assert_eq!(orphaned["metadata"]["finalizers"], json!(["orphan"]));
    assert!(orphaned["metadata"]["deletionTimestamp"].is_string());
    let foreground =
        delete(&cluster.config_maps, "foreground", with_policy("Foreground")).await.unwrap();
    assert_eq!(foreground["metadata"]["finalizers"], json!(["foregroundDeletion"]));
    delete(&cluster.config_maps, "background", with_policy("Background")).await.unwrap();
    assert!(get(&cluster.config_maps, "background").await.is_err());
    let remaining =
        list(&cluster.config_maps, Some("default"), ListOptions::default()).await.unwrap();
    assert_eq!(names(&remaining), ["foreground", "orphaned"]);

    create(&cluster.controllers, controller("legacy", 1)).await;
    create(&cluster.controllers, controller("cascaded", 1)).await;
    let kept = delete(&cluster.controllers, "legacy", DeleteOptions::default()).await.unwrap();
    assert_eq!(
        kept["metadata"]["finalizers"],
        json!(["orphan"]),
        "v1 controllers orphan by default"
    );
    assert_eq!(kept["metadata"]["generation"], 2, "the first mark bumps the generation");
    delete(&cluster.controllers, "cascaded", with_policy("Background")).await.unwrap();
    assert!(get(&cluster.controllers, "cascaded").await.is_err());
}

#[tokio::test]
async fn graceful_deletion_marks_the_object_and_shortens_on_request() {
    let cluster = Cluster::start().await;
    create(&cluster.pods, pod("web", "node-1")).await;
    let before = Time::now();
    let marked = delete(&cluster.pods, "web", DeleteOptions::default()).await.unwrap();
    let deadline = time_of(&marked, "deletionTimestamp");
    assert_eq!(marked["metadata"]["deletionGracePeriodSeconds"], 30);
    let expected = before.0 + chrono::Duration::seconds(30);
    assert!(
        deadline.0 >= expected && deadline.0 <= expected + chrono::Duration::seconds(2),
        "{deadline}"
    );
    assert_eq!(get(&cluster.pods, "web").await.unwrap(), marked);

    let revision = cluster.revision().await;
    assert_eq!(delete(&cluster.pods, "web", DeleteOptions::default()).await.unwrap(), marked);
    assert_eq!(
        delete(&cluster.pods, "web", grace(45)).await.unwrap(),
        marked,
        "only a shorter period counts"
    );
    assert_eq!(cluster.revision().await, revision);

    let shortened = delete(&cluster.pods, "web", grace(10)).await.unwrap();
    assert_eq!(shortened["metadata"]["deletionGracePeriodSeconds"], 10);
    assert_eq!(
        time_of(&shortened, "deletionTimestamp").0,
        deadline.0 - chrono::Duration::seconds(20)
    );

    let gone = delete(&cluster.pods, "web", grace(0)).await.unwrap();
    assert_eq!(gone["metadata"]["deletionGracePeriodSeconds"], 0);
    assert!(get(&cluster.pods, "web").await.is_err(), "the final delete removes it");

    create(&cluster.pods, pod("never-scheduled", "")).await;
    let at_once = delete(&cluster.pods, "never-scheduled", DeleteOptions::default()).await.unwrap();
    assert_eq!(at_once["metadata"]["deletionGracePeriodSeconds"], 0);
    assert!(get(&cluster.pods, "never-scheduled").await.is_err());

    create(&cluster.pods, pod("negative", "node-1")).await;
    let one_second = delete(&cluster.pods, "negative", grace(-5)).await.unwrap();
    assert_eq!(one_second["metadata"]["deletionGracePeriodSeconds"], 1, "negative reads as 1");
}

#[tokio::test]
async fn delete_options_are_validated() {
    let cluster = Cluster::start().await;
    create(&cluster.config_maps, config_map("settings", json!({}))).await;
    let both = DeleteOptions { orphan_dependents: Some(true), ..with_policy("Orphan") };
    assert_failure(
        delete(&cluster.config_maps, "settings", both).await,
        422,
        "Invalid",
        r#"DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set"#,
    );
    assert_failure(
        delete(&cluster.config_maps, "settings", with_policy("Sometimes")).await,
        422,
        "Invalid",
        r#"DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sometimes": supported values: "Foreground", "Background", "Orphan", "nil""#,
    );
    assert!(get(&cluster.config_maps, "settings").await.is_ok());
}

#[tokio::test]
async fn dry_run_delete_changes_nothing() {
    let cluster = Cluster::start().await;
    let created = create(&cluster.config_maps, config_map("settings", json!({}))).await;
    create(&cluster.pods, pod("web", "node-1")).await;
    let dry = DeleteOptions { dry_run: vec!["All".into()], ..Default::default() };
    let revision = cluster.revision().await;
    assert_eq!(delete(&cluster.config_maps, "settings", dry.clone()).await.unwrap(), created);
    let would_mark = delete(&cluster.pods, "web", dry).await.unwrap();
    assert_eq!(would_mark["metadata"]["deletionGracePeriodSeconds"], 30);
    assert_eq!(cluster.revision().await, revision);
    assert!(
        get(&cluster.pods, "web").await.unwrap()["metadata"].get("deletionTimestamp").is_none()
    );
}

#[tokio::test]
async fn delete_collection_deletes_what_the_selectors_select() {
    let cluster = Cluster::start().await;
    for (name, app) in [("web-1", "web"), ("db", "db"), ("web-2", "web")] {
        create(&cluster.config_maps, labelled_config_map(name, json!({"app": app}))).await;
    }
    let selected = ListOptions { label_selector: "app=web".into(), ..Default::default() };
    let deleted = cluster
        .config_maps
        .delete_collection(Some("default"), &selected, &DeleteOptions::default())
        .await
        .unwrap();
    assert_eq!(deleted["kind"], "ConfigMapList");
    assert_eq!(names(&deleted), ["web-1", "web-2"]);
    let remaining =
        list(&cluster.config_maps, Some("default"), ListOptions::default()).await.unwrap();
    assert_eq!(names(&remaining), ["db"]);

    let invalid = DeleteOptions { propagation_policy: Some("Never".into()), ..Default::default() };
    let status = cluster
        .config_maps
        .delete_collection(Some("default"), &ListOptions::default(), &invalid)
        .await
        .unwrap_err();
    assert_eq!(status.code, 422);
    let everything = cluster
        .config_maps
        .delete_collection(None, &ListOptions::default(), &DeleteOptions::default())
        .await
        .unwrap();
    assert_eq!(names(&everything), ["db"]);
    assert_eq!(
        names(&list(&cluster.config_maps, None, ListOptions::default()).await.unwrap()),
        Vec::<String>::new()
    );
}
