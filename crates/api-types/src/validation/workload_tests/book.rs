//! The book's workload manifests, as the apiserver would see them: parsed, namespaced (the
//! request path supplies the namespace), defaulted, then validated. The expectations are the
//! corpus's own (`tests/book/expectations.json`): every controller and pod in the book is valid
//! except two controllers with errata.

use super::{expect, fields};
use crate::api::core::v1::{Pod, ReplicationController};
use crate::defaults::ApplyDefaults;
use crate::meta::v1::ObjectMeta;
use crate::validation::{ErrorList, ErrorType, Validate};
use serde::de::DeserializeOwned;

/// The book's ReplicationControllers that upstream accepts.
const VALID_CONTROLLERS: [(&str, &str); 17] = [
    (
        "L00471-redis-master-controller.yaml",
        include_str!("../../../tests/book/manifests/L00471-redis-master-controller.yaml"),
    ),
    (
        "L00570-redis-slave-controller.yaml",
        include_str!("../../../tests/book/manifests/L00570-redis-slave-controller.yaml"),
    ),
    (
        "L00675-frontend-controller.yaml",
        include_str!("../../../tests/book/manifests/L00675-frontend-controller.yaml"),
    ),
    (
        "L01037-redis-slave-controller.yaml",
        include_str!("../../../tests/book/manifests/L01037-redis-slave-controller.yaml"),
    ),
    (
        "L01108-redis-slave-controller.yaml",
        include_str!("../../../tests/book/manifests/L01108-redis-slave-controller.yaml"),
    ),
    (
        "L01375-redis-master-controller-hostpath.yaml",
        include_str!("../../../tests/book/manifests/L01375-redis-master-controller-hostpath.yaml"),
    ),
    (
        "L02405-tecip1src-controller.json",
        include_str!("../../../tests/book/manifests/L02405-tecip1src-controller.json"),
    ),
    (
        "L04744-frontend-controller-hostport.yaml",
        include_str!("../../../tests/book/manifests/L04744-frontend-controller-hostport.yaml"),
    ),
    (
        "L05026-frontend-controller.yaml",
        include_str!("../../../tests/book/manifests/L05026-frontend-controller.yaml"),
    ),
    (
        "L07593-redis-master-controller-nodeselector.yaml",
        include_str!(
            "../../../tests/book/manifests/L07593-redis-master-controller-nodeselector.yaml"
        ),
    ),
    (
        "L07649-redis-master-controller-v2.yaml",
        include_str!("../../../tests/book/manifests/L07649-redis-master-controller-v2.yaml"),
    ),
    (
        "L07918-redis-master-controller-limits.yaml",
        include_str!("../../../tests/book/manifests/L07918-redis-master-controller-limits.yaml"),
    ),
    (
        "L08623-kube-ui-rc.yaml",
        include_str!("../../../tests/book/manifests/L08623-kube-ui-rc.yaml"),
    ),
    (
        "L09170-redis-master-controller.yaml",
        include_str!("../../../tests/book/manifests/L09170-redis-master-controller.yaml"),
    ),
    ("L09361-skydns-rc.yaml", include_str!("../../../tests/book/manifests/L09361-skydns-rc.yaml")),
    (
        "L10260-cassandra-controller.yaml",
        include_str!("../../../tests/book/manifests/L10260-cassandra-controller.yaml"),
    ),
    (
        "L10777-redis-slave-controller.yaml",
        include_str!("../../../tests/book/manifests/L10777-redis-slave-controller.yaml"),
    ),
];

/// The book's Pods (all of which upstream accepts).
const VALID_PODS: [(&str, &str); 16] = [
    (
        "L00947-redis-slave-pod.yaml",
        include_str!("../../../tests/book/manifests/L00947-redis-slave-pod.yaml"),
    ),
    ("L01420-test-pd.yaml", include_str!("../../../tests/book/manifests/L01420-test-pd.yaml")),
    ("L01456-test-ebs.yaml", include_str!("../../../tests/book/manifests/L01456-test-ebs.yaml")),
    ("L01480-nfs-web.yaml", include_str!("../../../tests/book/manifests/L01480-nfs-web.yaml")),
    (
        "L01546-busybox-development.yaml",
        include_str!("../../../tests/book/manifests/L01546-busybox-development.yaml"),
    ),
    (
        "L03323-mypod-secret-volume.json",
        include_str!("../../../tests/book/manifests/L03323-mypod-secret-volume.json"),
    ),
    ("L03400-mypod2.yaml", include_str!("../../../tests/book/manifests/L03400-mypod2.yaml")),
    (
        "L03529-mypod-serviceaccount.yaml",
        include_str!("../../../tests/book/manifests/L03529-mypod-serviceaccount.yaml"),
    ),
    (
        "L06365-pod-sample-in-namespace.json",
        include_str!("../../../tests/book/manifests/L06365-pod-sample-in-namespace.json"),
    ),
    (
        "L06386-pod-sample-4-cluster-service.json",
        include_str!("../../../tests/book/manifests/L06386-pod-sample-4-cluster-service.json"),
    ),
    (
        "L06471-pod4Replace.json",
        include_str!("../../../tests/book/manifests/L06471-pod4Replace.json"),
    ),
    (
        "L06641-pod4Status.json",
        include_str!("../../../tests/book/manifests/L06641-pod4Status.json"),
    ),
    (
        "L08024-redis-master-pod.yaml",
        include_str!("../../../tests/book/manifests/L08024-redis-master-pod.yaml"),
    ),
    ("L09570-busybox.yaml", include_str!("../../../tests/book/manifests/L09570-busybox.yaml")),
    (
        "L09801-kube-dns-v8-iknnc-pod.yaml",
        include_str!("../../../tests/book/manifests/L09801-kube-dns-v8-iknnc-pod.yaml"),
    ),
    (
        "L10162-cassandra-pod.yaml",
        include_str!("../../../tests/book/manifests/L10162-cassandra-pod.yaml"),
    ),
];

/// Parses a manifest (JSON or YAML, by file name), puts it in `default` unless it names a
/// namespace, and applies the defaults.
fn prepared<T: DeserializeOwned + ApplyDefaults>(
    file: &str,
    text: &str,
    metadata: impl Fn(&mut T) -> &mut ObjectMeta,
) -> T {
    let mut object: T = if file.ends_with(".json") {
        serde_json::from_str(text).unwrap_or_else(|error| panic!("{file}: {error}"))
    } else {
        serde_yaml_ng::from_str(text).unwrap_or_else(|error| panic!("{file}: {error}"))
    };
    let meta = metadata(&mut object);
    if meta.namespace.is_empty() {
        meta.namespace = "default".to_string();
    }
    object.apply_defaults();
    object
}

fn controller(file: &str, text: &str) -> ErrorList {
    prepared::<ReplicationController>(file, text, |rc| &mut rc.metadata).validate()
}

#[test]
fn the_books_controllers_are_valid() {
    for (file, text) in VALID_CONTROLLERS {
        let errors = controller(file, text);
        assert!(errors.is_empty(), "{file}: {errors}");
    }
}

#[test]
fn the_books_pods_are_valid() {
    for (file, text) in VALID_PODS {
        let errors = prepared::<Pod>(file, text, |pod| &mut pod.metadata).validate();
        assert!(errors.is_empty(), "{file}: {errors}");
    }
}

/// Erratum ch1-2 #32: heapster's selector names `name: heapster`, which its template lacks.
/// Upstream refuses the controller instead of letting it create pods forever.
#[test]
fn heapsters_selector_does_not_match_its_template() {
    let errors = controller(
        "L09903-heapster-controller.yaml",
        include_str!("../../../tests/book/manifests/L09903-heapster-controller.yaml"),
    );
    assert_eq!(fields(&errors), ["spec.template.metadata.labels"]);
    let rejection = errors.to_status_for::<ReplicationController>("heapster");
    assert_eq!(
        rejection.message,
        r#"ReplicationController "heapster" is invalid: spec.template.metadata.labels: Invalid value: {"k8s-app":"heapster","version":"v6"}: `selector` does not match template `labels`"#
    );
    assert_eq!(rejection.details.expect("details").causes[0].type_, "FieldValueInvalid");
}

/// The InfluxDB/Grafana controller uses capitals in its own name and its containers' names.
#[test]
fn influxdb_grafanas_names_are_not_dns_names() {
    let errors = controller(
        "L09977-influxdb-grafana-controller.yaml",
        include_str!("../../../tests/book/manifests/L09977-influxdb-grafana-controller.yaml"),
    );
    expect(&errors, "metadata.name", ErrorType::Invalid);
    expect(&errors, "spec.template.spec.containers[0].name", ErrorType::Invalid);
    expect(&errors, "spec.template.spec.containers[1].name", ErrorType::Invalid);
}
