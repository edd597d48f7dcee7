//! The tables against upstream's facts: per group, the field numbers most easily got wrong
//! (out of order, skipped, or added late), and, across all of them, that every field our API
//! types can store has a table field, since a stored field without one fails a protobuf
//! response.

use super::*;
use crate::protobuf::schema::{Field, Kind};
use crate::protobuf::{decode, envelope, wire::Writer};
use serde_json::json;
use std::collections::BTreeSet;

/// The field of `message` whose JSON name is `json`.
fn field(message: &'static Message, json: &str) -> &'static Field {
    message
        .fields
        .iter()
        .find(|field| field.json == json)
        .unwrap_or_else(|| panic!("{} has no field {json}", message.name))
}

/// A field's type as upstream's `generated.proto` spells it (maps as `map<...>`, message types
/// by their short name), `repeated` prefixed.
fn proto_type(field: &Field) -> String {
    let kind = match field.ty.kind {
        Kind::String => "string".to_string(),
        Kind::Bytes => "bytes".to_string(),
        Kind::Bool => "bool".to_string(),
        Kind::Int32 => "int32".to_string(),
        Kind::Int64 => "int64".to_string(),
        Kind::Double => "double".to_string(),
        Kind::Message(message) | Kind::Inline(message) => short_name(message).to_string(),
        Kind::Time => "Time".to_string(),
        Kind::MicroTime => "MicroTime".to_string(),
        Kind::Duration => "Duration".to_string(),
        Kind::Quantity => "Quantity".to_string(),
        Kind::IntOrString => "IntOrString".to_string(),
        Kind::RawJson => "RawExtension".to_string(),
        Kind::StringMap => "map<string, string>".to_string(),
        Kind::BytesMap => "map<string, bytes>".to_string(),
        Kind::QuantityMap => "map<string, Quantity>".to_string(),
    };
    if field.ty.repeated { format!("repeated {kind}") } else { kind }
}

fn short_name(message: &Message) -> &str {
    message.name.rsplit('.').next().unwrap_or(message.name)
}

/// Asserts each `(json, number, type)` of `message`.
fn assert_fields(message: &'static Message, expected: &[(&str, u32, &str)]) {
    for &(json, number, ty) in expected {
        let field = field(message, json);
        assert_eq!(
            (field.number, proto_type(field).as_str()),
            (number, ty),
            "{}.{json}",
            message.name
        );
    }
}

#[test]
fn meta_v1_numbers_match_upstream() {
    assert_fields(
        &meta::OBJECT_META,
        &[
            ("creationTimestamp", 8, "Time"),
            ("deletionGracePeriodSeconds", 10, "int64"),
            ("labels", 11, "map<string, string>"),
            ("finalizers", 14, "repeated string"),
            ("managedFields", 17, "repeated ManagedFieldsEntry"),
        ],
    );
    assert_fields(&meta::LIST_META, &[("remainingItemCount", 4, "int64")]);
    assert_fields(
        &meta::OWNER_REFERENCE,
        &[("kind", 1, "string"), ("name", 3, "string"), ("apiVersion", 5, "string")],
    );
    assert_fields(
        &meta::MANAGED_FIELDS_ENTRY,
        &[("time", 4, "Time"), ("fieldsType", 6, "string"), ("fieldsV1", 7, "RawExtension")],
    );
    assert_fields(
        &meta::DELETE_OPTIONS,
        &[
            ("dryRun", 5, "repeated string"),
            ("ignoreStoreReadErrorWithClusterBreakingPotential", 6, "bool"),
        ],
    );
    assert_fields(
        &meta::STATUS_DETAILS,
        &[
            ("uid", 6, "string"),
            ("causes", 4, "repeated StatusCause"),
            ("retryAfterSeconds", 5, "int32"),
        ],
    );
    assert_fields(&meta::STATUS, &[("details", 5, "StatusDetails"), ("code", 6, "int32")]);
}

#[test]
fn apps_v1_numbers_match_upstream() {
    assert_fields(
        &apps::DEPLOYMENT_SPEC,
        &[
            ("paused", 7, "bool"),
            ("progressDeadlineSeconds", 9, "int32"),
            ("podReplacementPolicy", 10, "string"),
        ],
    );
    assert_fields(
        &apps::DEPLOYMENT_STATUS,
        &[
            ("readyReplicas", 7, "int32"),
            ("terminatingReplicas", 9, "int32"),
            ("conditions", 6, "repeated DeploymentCondition"),
            ("collisionCount", 8, "int32"),
        ],
    );
    assert_fields(
        &apps::DEPLOYMENT_CONDITION,
        &[
            ("lastUpdateTime", 6, "Time"),
            ("lastTransitionTime", 7, "Time"),
            ("reason", 4, "string"),
        ],
    );
    assert_fields(&apps::REPLICA_SET_SPEC, &[("minReadySeconds", 4, "int32")]);
    assert_fields(
        &apps::REPLICA_SET_STATUS,
        &[
            ("observedGeneration", 3, "int64"),
            ("readyReplicas", 4, "int32"),
            ("terminatingReplicas", 7, "int32"),
        ],
    );
    assert_fields(&apps::DAEMON_SET_SPEC, &[("revisionHistoryLimit", 6, "int32")]);
    assert_fields(
        &apps::DAEMON_SET_STATUS,
        &[("collisionCount", 9, "int32"), ("conditions", 10, "repeated DaemonSetCondition")],
    );
}

#[test]
fn autoscaling_v1_numbers_match_upstream() {
    assert_fields(&autoscaling::SCALE, &[("spec", 2, "ScaleSpec"), ("status", 3, "ScaleStatus")]);
    assert_fields(&autoscaling::SCALE_SPEC, &[("replicas", 1, "int32")]);
    // autoscaling/v1's selector is the serialized string form, not a LabelSelector.
    assert_fields(
        &autoscaling::SCALE_STATUS,
        &[("replicas", 1, "int32"), ("selector", 2, "string")],
    );
}

#[test]
fn coordination_v1_numbers_match_upstream() {
    assert_fields(
        &coordination::LEASE_SPEC,
        &[
            ("leaseDurationSeconds", 2, "int32"),
            ("acquireTime", 3, "MicroTime"),
            ("renewTime", 4, "MicroTime"),
            ("leaseTransitions", 5, "int32"),
            ("strategy", 6, "string"),
            ("preferredHolder", 7, "string"),
        ],
    );
}

#[test]
fn core_v1_numbers_match_upstream() {
    assert_fields(
        &core_pod::POD_SPEC,
        &[
            ("initContainers", 20, "repeated Container"),
            ("ephemeralContainers", 34, "repeated EphemeralContainer"),
            ("overhead", 32, "map<string, Quantity>"),
            ("hostnameOverride", 41, "string"),
            ("workloadRef", 42, "WorkloadReference"),
        ],
    );
    assert_fields(
        &core_pod::POD_STATUS,
        &[
            ("observedGeneration", 17, "int64"),
            ("hostIPs", 16, "repeated HostIP"),
            ("allocatedResources", 19, "map<string, Quantity>"),
        ],
    );
    assert_fields(
        &core_pod::CONTAINER,
        &[
            ("envFrom", 19, "repeated EnvFromSource"),
            ("restartPolicyRules", 25, "repeated ContainerRestartRule"),
        ],
    );
    assert_fields(
        &core_objects::SERVICE_SPEC,
        &[("clusterIPs", 18, "repeated string"), ("type", 4, "string")],
    );
    assert_fields(
        &core_objects::SERVICE_PORT,
        &[("appProtocol", 6, "string"), ("targetPort", 4, "IntOrString"), ("nodePort", 5, "int32")],
    );
    assert_fields(
        &core_objects::SECRET,
        &[("data", 2, "map<string, bytes>"), ("immutable", 5, "bool")],
    );
    assert_fields(
        &core_objects::EVENT,
        &[("eventTime", 10, "MicroTime"), ("reportingComponent", 14, "string")],
    );
    assert_fields(&core_objects::NODE_STATUS, &[("declaredFeatures", 14, "repeated string")]);
    assert_fields(
        &core_objects::ENDPOINT_ADDRESS,
        &[("hostname", 3, "string"), ("targetRef", 2, "ObjectReference")],
    );
}

#[test]
fn policy_evictions_decode_from_protobuf() {
    for eviction in [&policy::EVICTION, &policy::EVICTION_V1BETA1] {
        assert_fields(
            eviction,
            &[("metadata", 1, "ObjectMeta"), ("deleteOptions", 2, "DeleteOptions")],
        );
    }
    // Eviction{metadata: {name: "web"}, deleteOptions: {gracePeriodSeconds: 0, dryRun: ["All"]}}
    let mut metadata = Writer::new();
    metadata.bytes_field(1, b"web");
    let mut options = Writer::new();
    options.varint_field(1, 0);
    options.bytes_field(5, b"All");
    let mut eviction = Writer::new();
    eviction.bytes_field(1, &metadata.into_bytes());
    eviction.bytes_field(2, &options.into_bytes());
    let raw = eviction.into_bytes();
    for version in ["policy/v1", "policy/v1beta1"] {
        assert_eq!(
            decode(&envelope::write(version, "Eviction", &raw)).unwrap(),
            json!({
                "apiVersion": version, "kind": "Eviction",
                "metadata": {"name": "web"},
                "deleteOptions": {"gracePeriodSeconds": 0, "dryRun": ["All"]}
            })
        );
    }
}

/// Every message reachable from the served kinds' tables.
fn reachable_messages() -> Vec<&'static Message> {
    let mut seen: Vec<&'static Message> = Vec::new();
    let mut pending: Vec<&'static Message> = all_kinds()
        .filter_map(|(version, kind)| message_for(version, kind))
        .chain([&LIST_META])
        .collect();
    while let Some(message) = pending.pop() {
        if seen.iter().any(|known| std::ptr::eq(*known, message)) {
            continue;
        }
        seen.push(message);
        for field in message.fields {
            if let Kind::Message(inner) | Kind::Inline(inner) = field.ty.kind {
                pending.push(inner);
            }
        }
    }
    seen
}

/// The JSON keys `message` carries, those of the structs it inlines included.
fn json_keys(message: &'static Message) -> BTreeSet<&'static str> {
    message
        .fields
        .iter()
        .flat_map(|field| match field.ty.kind {
            Kind::Inline(inner) => json_keys(inner),
            _ => BTreeSet::from([field.json]),
        })
        .collect()
}

#[test]
fn every_field_the_api_types_store_has_a_table_field() {
    let document = api_types::openapi::v2_document();
    let definitions = document["definitions"].as_object().unwrap();
    let mut checked = 0;
    let mut missing = Vec::new();
    for message in reachable_messages() {
        // `k8s.io.api.core.v1.Pod` is the OpenAPI definition `io.k8s.api.core.v1.Pod`.
        let definition_name = format!("io.{}", message.name.replacen("k8s.io.", "k8s.", 1));
        let Some(properties) =
            definitions.get(&definition_name).and_then(|schema| schema["properties"].as_object())
        else {
            continue;
        };
        checked += 1;
        let known = json_keys(message);
        for key in properties.keys() {
            let type_meta = ["apiVersion", "kind"].contains(&key.as_str());
            if !type_meta && !known.contains(key.as_str()) {
                missing.push(format!("{}.{key}", message.name));
            }
        }
    }
    assert!(checked > 100, "only {checked} tables have an OpenAPI definition to compare");
    assert_eq!(missing, Vec::<String>::new(), "API type fields without a protobuf table field");
}
