//! The book's PATCH examples (book-ch3-4 inventory §A6; book L5414-5447 and L6560-6620), applied
//! to the book's own objects as the apiserver applies them: patch the stored JSON, then decode it
//! into the typed object, which drops fields the API does not know.

use api_types::api::core::v1::{Pod, ReplicationController};
use api_types::patch::{apply_json_patch, merge_patch, strategic_merge_patch};
use serde_json::{Value, json};
use std::path::Path;

fn book_manifest(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/book/manifests").join(file);
    let text = std::fs::read_to_string(&path).expect("book manifest");
    if file.ends_with(".json") {
        serde_json::from_str(&text).expect("json manifest")
    } else {
        serde_yaml_ng::from_str(&text).expect("yaml manifest")
    }
}

/// `pod4MergeJsonPatch.json` (L6562-6590): a merge patch of the labels of `pod-sample-in-namespace`
/// (L6365) adds the keys and changes nothing else.
#[test]
fn merge_patch_of_labels_merges_the_map() {
    let stored = book_manifest("L06365-pod-sample-in-namespace.json");
    let patch = json!({"metadata": {"labels": {
        "k8s-cs": "kube-cluster-service",
        "k8s-test": "kube-cluster-test",
        "k8s-sa5555mple-app": "kube-service-sample",
        "kkk": "bbb4444"
    }}});
    let patched: Pod = serde_json::from_value(merge_patch(&stored, &patch)).unwrap();
    let original: Pod = serde_json::from_value(stored).unwrap();
    assert_eq!(patched.metadata.labels.len(), 4);
    assert_eq!(patched.metadata.labels["kkk"], "bbb4444");
    assert_eq!(patched.spec, original.spec);
    assert_eq!(patched.metadata.name, original.metadata.name);
}

/// `pod4StrategicMerge.json` (L6595-6620): the book puts `patchStrategy`/`patchMergeKey` inside the
/// body by mistake. The container named `mycontainer` gets the new image, the stray keys are
/// unknown fields that decoding drops, and nothing else changes.
#[test]
fn strategic_patch_changes_the_named_containers_image() {
    let stored = book_manifest("L06365-pod-sample-in-namespace.json");
    let patch = json!({"spec": {"containers": [{
        "name": "mycontainer",
        "image": "192.168.1.128:1180/centos",
        "patchStrategy": "merge",
        "patchMergeKey": "name"
    }]}});
    let merged = strategic_merge_patch(&stored, &patch, "Pod").expect("the book's patch applies");
    let pod: Pod = serde_json::from_value(merged).unwrap();
    assert_eq!(pod.spec.containers.len(), 1);
    assert_eq!(pod.spec.containers[0].name, "mycontainer");
    assert_eq!(pod.spec.containers[0].image, "192.168.1.128:1180/centos");
    let written = serde_json::to_value(&pod).unwrap();
    assert!(written.pointer("/spec/containers/0/patchStrategy").is_none());
}

/// L5428-5445: adding `log-tailer` to a template holding `nginx`. A merge patch replaces the list
/// (only log-tailer remains); a strategic merge patch merges by `name` (both remain). Upstream puts
/// the patch's new items before the items only the stored list has, as its kubectl-patch task shows.
#[test]
fn strategic_merge_keeps_both_containers_where_merge_patch_replaces() {
    let stored = json!({
        "apiVersion": "v1", "kind": "ReplicationController",
        "metadata": {"name": "web"},
        "spec": {"replicas": 1, "selector": {"app": "web"}, "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx-1.0"}]}
        }}
    });
    let patch = json!({"spec": {"template": {"spec": {
        "containers": [{"name": "log-tailer", "image": "log-tailer-1.0"}]
    }}}});
    let container_names = |object: Value| -> Vec<String> {
        let rc: ReplicationController = serde_json::from_value(object).unwrap();
        let template = rc.spec.template.expect("template");
        template.spec.containers.into_iter().map(|c| c.name).collect()
    };
    assert_eq!(container_names(merge_patch(&stored, &patch)), ["log-tailer"]);
    let strategic = strategic_merge_patch(&stored, &patch, "ReplicationController").unwrap();
    assert_eq!(container_names(strategic), ["log-tailer", "nginx"]);
}

/// L5418: the JSON patch operation the book shows, `add` of a list at a nested path.
#[test]
fn json_patch_add_operation_from_the_book() {
    let document = json!({"a": {"b": {}}});
    let patch = json!([{"op": "add", "path": "/a/b/c", "value": ["foo", "bar"]}]);
    let patched = apply_json_patch(&document, &patch).unwrap();
    assert_eq!(patched, json!({"a": {"b": {"c": ["foo", "bar"]}}}));
}
