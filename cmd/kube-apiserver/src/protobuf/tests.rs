//! The codec as a whole: bodies the real kubectl 1.33 sent, upstream's JSON goldens through
//! protobuf and back, and the refusals.

use super::*;
use serde_json::json;
use std::path::{Path, PathBuf};

/// Drops `null`-valued keys everywhere, the one normalization the golden tests allow (Go
/// writes unset times as `null`; protobuf has no null).
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (key.clone(), without_nulls(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

#[test]
fn kubectl_namespace_body() {
    let value = decode(include_bytes!("testdata/kubectl-1.33-namespace.pb")).unwrap();
    // Go writes every non-pointer field, so the zero values are there, as kubectl's JSON would
    // have them; the zero creationTimestamp is dropped as null.
    assert_eq!(
        value,
        json!({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": "x", "generateName": "", "namespace": "", "selfLink": "",
                         "uid": "", "resourceVersion": "", "generation": 0},
            "spec": {}, "status": {"phase": ""}
        })
    );
}

#[test]
fn kubectl_generator_bodies_decode_to_their_objects() {
    let secret = decode(include_bytes!("testdata/kubectl-1.33-secret.pb")).unwrap();
    assert_eq!(secret["kind"], "Secret");
    assert_eq!(secret["metadata"]["name"], "s");
    assert_eq!(secret["data"], json!({"a": "Yg=="}));

    let config_map = decode(include_bytes!("testdata/kubectl-1.33-configmap.pb")).unwrap();
    assert_eq!(config_map["data"], json!({"a": "b"}));

    let service = decode(include_bytes!("testdata/kubectl-1.33-service.pb")).unwrap();
    assert_eq!(service["spec"]["type"], "ClusterIP");
    assert_eq!(service["spec"]["selector"], json!({"app": "sv"}));
    assert_eq!(
        service["spec"]["ports"][0],
        json!({"name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080, "nodePort": 0})
    );

    let quota = decode(include_bytes!("testdata/kubectl-1.33-resourcequota.pb")).unwrap();
    assert_eq!(quota["spec"]["hard"], json!({"cpu": "1", "pods": "3"}));

    let account = decode(include_bytes!("testdata/kubectl-1.33-serviceaccount.pb")).unwrap();
    assert_eq!(
        (account["kind"].as_str(), account["metadata"]["name"].as_str()),
        (Some("ServiceAccount"), Some("sa"))
    );

    let deployment = decode(include_bytes!("testdata/kubectl-1.33-deployment.pb")).unwrap();
    assert_eq!(deployment["apiVersion"], "apps/v1");
    assert_eq!(deployment["spec"]["replicas"], 2);
    assert_eq!(deployment["spec"]["selector"]["matchLabels"], json!({"app": "d"}));
    let container = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(container["image"], "nginx");
    assert_eq!(container["ports"][0]["containerPort"], 80);
    assert_eq!(container["resources"], json!({}));
}

#[test]
fn kubectl_bodies_survive_a_round_trip() {
    for bytes in [
        &include_bytes!("testdata/kubectl-1.33-namespace.pb")[..],
        include_bytes!("testdata/kubectl-1.33-secret.pb"),
        include_bytes!("testdata/kubectl-1.33-configmap.pb"),
        include_bytes!("testdata/kubectl-1.33-service.pb"),
        include_bytes!("testdata/kubectl-1.33-resourcequota.pb"),
        include_bytes!("testdata/kubectl-1.33-serviceaccount.pb"),
        include_bytes!("testdata/kubectl-1.33-deployment.pb"),
    ] {
        let value = decode(bytes).unwrap();
        let again = encode(&value).unwrap();
        assert_eq!(decode(&again).unwrap(), value);
    }
}

/// The golden files of `crates/api-types/tests/golden` whose kind has tables.
fn goldens() -> Vec<(PathBuf, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crates/api-types/tests/golden");
    let mut found = Vec::new();
    for directory in ["kubectl", "python-client"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(directory))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let golden: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let object = golden["object"].clone();
            let api_version = object["apiVersion"].as_str().unwrap_or_default();
            let kind = object["kind"].as_str().unwrap_or_default();
            if serves(api_version, kind) {
                found.push((path, object));
            }
        }
    }
    found
}

#[test]
fn goldens_round_trip_through_protobuf() {
    let goldens = goldens();
    let kinds: std::collections::BTreeSet<String> =
        goldens.iter().map(|(_, object)| object["kind"].as_str().unwrap().to_string()).collect();
    for kind in [
        "Binding",
        "ComponentStatus",
        "ConfigMap",
        "DaemonSet",
        "Deployment",
        "Endpoints",
        "Event",
        "Lease",
        "LimitRange",
        "Namespace",
        "Node",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "Pod",
        "PodTemplate",
        "ReplicaSet",
        "ReplicationController",
        "ResourceQuota",
        "Scale",
        "Secret",
        "Service",
        "ServiceAccount",
        "Status",
    ] {
        assert!(kinds.contains(kind), "no golden of {kind} went through protobuf");
    }
    for (path, object) in goldens {
        let bytes = encode(&object).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let decoded = decode(&bytes).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert_eq!(without_nulls(&decoded), without_nulls(&object), "{}", path.display());
    }
}

#[test]
fn lists_are_metadata_and_items() {
    let list = json!({
        "apiVersion": "v1", "kind": "ConfigMapList",
        "metadata": {"resourceVersion": "42", "continue": "abc"},
        "items": [
            {"metadata": {"name": "a", "namespace": "default"}, "data": {"k": "v"}},
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}
        ]
    });
    let bytes = encode(&list).unwrap();
    let envelope = envelope::read(&bytes).unwrap();
    assert_eq!(envelope.kind, "ConfigMapList");
    let mut reader = wire::Reader::new(envelope.raw);
    let mut items = Vec::new();
    while let Some((number, value)) = reader.next_field().unwrap() {
        match (number, value) {
            (1, wire::RawValue::Bytes(metadata)) => {
                let metadata = decode::decode_message(&messages::LIST_META, metadata).unwrap();
                assert_eq!(
                    Value::Object(metadata),
                    json!({"resourceVersion": "42", "continue": "abc"})
                );
            }
            (2, wire::RawValue::Bytes(item)) => {
                let message = messages::message_for("v1", "ConfigMap").unwrap();
                items.push(Value::Object(decode::decode_message(message, item).unwrap()));
            }
            other => panic!("unexpected list field {other:?}"),
        }
    }
    assert_eq!(
        items,
        vec![
            json!({"metadata": {"name": "a", "namespace": "default"}, "data": {"k": "v"}}),
            json!({"metadata": {"name": "b"}})
        ]
    );
    assert!(encode(&json!({"apiVersion": "v1", "kind": "ConfigMapList", "extra": 1})).is_err());
}

#[test]
fn unknown_field_numbers_are_refused_with_their_message() {
    // A Namespace whose spec carries field 9, which NamespaceSpec does not have.
    let mut spec = wire::Writer::new();
    spec.bytes_field(9, b"surprise");
    let mut namespace = wire::Writer::new();
    namespace.bytes_field(2, &spec.into_bytes());
    let body = envelope::write("v1", "Namespace", &namespace.into_bytes());
    let error = decode(&body).unwrap_err();
    assert_eq!(
        error,
        ProtobufError::Malformed(
            "spec: field number 9 of protobuf message k8s.io.api.core.v1.NamespaceSpec is not known to this server"
                .into()
        )
    );

    // A wire type that does not fit the field: `replicas` sent as a string.
    let mut spec = wire::Writer::new();
    spec.bytes_field(1, b"3");
    let mut deployment = wire::Writer::new();
    deployment.bytes_field(2, &spec.into_bytes());
    let body = envelope::write("apps/v1", "Deployment", &deployment.into_bytes());
    let error = decode(&body).unwrap_err().to_string();
    assert!(error.starts_with("spec.replicas: field number 1 of protobuf message k8s.io.api.apps.v1.DeploymentSpec has wire type LengthDelimited"), "{error}");
}

#[test]
fn paths_in_errors_skip_inlined_structs() {
    // spec.volumes[0] with an unknown VolumeSource field 99: the path names `volumes`, not the
    // `volumeSource` protobuf has but JSON does not.
    let mut source = wire::Writer::new();
    source.varint_field(99, 1);
    let mut volume = wire::Writer::new();
    volume.bytes_field(2, &source.into_bytes());
    let mut spec = wire::Writer::new();
    spec.bytes_field(1, &volume.into_bytes());
    let mut pod = wire::Writer::new();
    pod.bytes_field(2, &spec.into_bytes());
    let error = decode(&envelope::write("v1", "Pod", &pod.into_bytes())).unwrap_err().to_string();
    assert_eq!(
        error,
        "spec.volumes: field number 99 of protobuf message k8s.io.api.core.v1.VolumeSource is not \
         known to this server"
    );
}

#[test]
fn kinds_without_tables_and_broken_bodies() {
    let body = envelope::write("batch/v1", "Job", b"");
    assert_eq!(
        decode(&body).unwrap_err(),
        ProtobufError::Unsupported { api_version: "batch/v1".into(), kind: "Job".into() }
    );
    assert!(!serves("batch/v1", "Job"));
    assert!(matches!(decode(b"{\"kind\": \"Pod\"}"), Err(ProtobufError::Malformed(_))));
    let truncated = &include_bytes!("testdata/kubectl-1.33-deployment.pb")[..100];
    assert!(matches!(decode(truncated), Err(ProtobufError::Malformed(_))));
    assert!(encode(&json!({"apiVersion": "batch/v1", "kind": "Job"})).is_err());
    // A JSON field the tables lack is never dropped on the way out.
    let error =
        encode(&json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"nmae": "x"}}))
            .unwrap_err();
    assert_eq!(
        error,
        "metadata: nmae: no field of protobuf message k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta carries it"
    );
}

#[test]
fn every_kind_with_tables_encodes_an_empty_object() {
    for (api_version, kind) in messages::all_kinds() {
        let bytes = encode(&json!({"apiVersion": api_version, "kind": kind})).unwrap();
        assert_eq!(decode(&bytes).unwrap(), json!({"apiVersion": api_version, "kind": kind}));
    }
    // DeleteOptions and Status come in any group's version.
    for api_version in ["v1", "apps/v1", "meta.k8s.io/v1"] {
        assert!(serves(api_version, "DeleteOptions") && serves(api_version, "Status"));
    }
}

#[test]
fn inline_structs_and_special_types_take_their_json_places() {
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": "p", "creationTimestamp": "2024-05-01T12:00:00Z",
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs",
                                 "uid": "u-1", "controller": true, "blockOwnerDeletion": true}],
            "managedFields": [{"manager": "kubectl", "operation": "Update", "apiVersion": "v1",
                               "time": "2024-05-01T12:00:00Z", "fieldsType": "FieldsV1",
                               "fieldsV1": {"f:metadata": {"f:labels": {".": {}}}}}]
        },
        "spec": {
            "volumes": [{"name": "conf", "configMap": {"name": "settings", "defaultMode": 420}},
                        {"name": "scratch", "emptyDir": {"sizeLimit": "1Gi"}}],
            "containers": [{
                "name": "web", "image": "nginx",
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 5},
                "readinessProbe": {"tcpSocket": {"port": 8080}},
                "env": [{"name": "KEY", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
                "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}},
                "securityContext": {"runAsUser": 1000, "capabilities": {"drop": ["ALL"]}}
            }],
            "securityContext": {"supplementalGroups": [1, 2], "fsGroup": 2000},
            "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule", "tolerationSeconds": 30}],
            "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}]}}}
        }
    });
    let decoded = decode(&encode(&pod).unwrap()).unwrap();
    assert_eq!(decoded, pod);
}

crate::protobuf::schema::messages! {
    /// A message with the types no served kind uses yet, to test them through the tables.
    SAMPLE = "test.Sample" {
        1 "ratio" crate::protobuf::schema::DOUBLE,
        2 "timeout" crate::protobuf::schema::DURATION,
        3 "blob" crate::protobuf::schema::BYTES,
        4 "groups" crate::protobuf::schema::list(crate::protobuf::schema::INT64),
        5 "stamps" crate::protobuf::schema::list(crate::protobuf::schema::MICRO_TIME),
    }
}

#[test]
fn doubles_durations_bytes_and_repeated_scalars_through_a_table() {
    let object = json!({
        "ratio": 0.25, "timeout": "1m30s", "blob": "AAEC", "groups": [1, -2, 3000000000i64],
        "stamps": ["2024-05-01T12:00:00.000001Z"]
    });
    let bytes = encode::encode_message(&SAMPLE, object.as_object().unwrap()).unwrap();
    assert_eq!(Value::Object(decode::decode_message(&SAMPLE, &bytes).unwrap()), object);

    // Repeated numbers may also arrive packed, as proto3 writers send them.
    let mut packed = wire::Writer::new();
    let mut varints = wire::Writer::new();
    for value in [1u64, 2, 3] {
        varints.varint(value);
    }
    packed.bytes_field(4, &varints.into_bytes());
    let decoded = decode::decode_message(&SAMPLE, &packed.into_bytes()).unwrap();
    assert_eq!(Value::Object(decoded), json!({"groups": [1, 2, 3]}));

    assert!(
        encode::encode_message(&SAMPLE, json!({"blob": "not base64!"}).as_object().unwrap())
            .is_err()
    );
    assert!(
        encode::encode_message(&SAMPLE, json!({"ratio": "high"}).as_object().unwrap()).is_err()
    );
}
