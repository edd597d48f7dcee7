//! Decoding request bodies: which format a `Content-Type` names, objects for create and update
//! (typed by the endpoint as upstream's decoder types them), and patches. JSON, YAML and
//! Kubernetes protobuf bodies all become the same JSON object here.

use crate::protobuf::{self, ProtobufError};
use crate::registry::ResourceInfo;
use api_types::meta::v1::{PatchType, Status};
use bytes::Bytes;
use serde_json::Value;

/// Media types a request body can be decoded from, listed in 415 answers.
pub const BODY_MEDIA_TYPES: [&str; 3] =
    ["application/json", "application/yaml", protobuf::MEDIA_TYPE];

/// What a protobuf body of a kind without protobuf tables can be sent as instead.
const TEXT_MEDIA_TYPES: [&str; 2] = ["application/json", "application/yaml"];

/// How a request body is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyFormat {
    Json,
    Yaml,
    /// `application/vnd.kubernetes.protobuf`: the `k8s\0` envelope around a message.
    Protobuf,
}

/// The format of a body from its `Content-Type` (absent means JSON, as upstream assumes); 415
/// for anything else.
pub fn body_format(content_type: Option<&str>) -> Result<BodyFormat, Status> {
    let media_type = content_type
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match media_type.as_str() {
        "" | "application/json" | "*/*" => Ok(BodyFormat::Json),
        "application/yaml" | "application/x-yaml" | "text/yaml" => Ok(BodyFormat::Yaml),
        protobuf::MEDIA_TYPE => Ok(BodyFormat::Protobuf),
        _ => Err(Status::unsupported_media_type(&BODY_MEDIA_TYPES)),
    }
}

/// Decodes any JSON or YAML document, or a protobuf body of a kind with protobuf tables (a
/// `DeleteOptions`).
pub fn decode_value<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    format: BodyFormat,
) -> Result<T, String> {
    match format {
        BodyFormat::Json => serde_json::from_slice(bytes).map_err(|error| error.to_string()),
        BodyFormat::Yaml => serde_yaml_ng::from_slice(bytes).map_err(|error| error.to_string()),
        BodyFormat::Protobuf => protobuf::decode(bytes)
            .map_err(|error| error.to_string())
            .and_then(|value| serde_json::from_value(value).map_err(|error| error.to_string())),
    }
}

/// Decodes a create or update body into a JSON object. With `own_kind`, a missing
/// `apiVersion`/`kind` is taken from the endpoint and a different one is a 400, as upstream's
/// decoder treats them; bodies of other kinds (a `Scale` for `/scale`) pass untouched.
pub fn decode_object(
    bytes: &Bytes,
    format: BodyFormat,
    info: &ResourceInfo,
    own_kind: bool,
) -> Result<Value, Status> {
    let unrecognized = |error: &dyn std::fmt::Display| {
        Status::bad_request(format!(
            "the object provided is unrecognized (must be of type {}): {error} ({})",
            info.kind,
            summarize(bytes)
        ))
    };
    let mut object: Value = match format {
        BodyFormat::Json => serde_json::from_slice(bytes).map_err(|error| unrecognized(&error))?,
        BodyFormat::Yaml => {
            serde_yaml_ng::from_slice(bytes).map_err(|error| unrecognized(&error))?
        }
        BodyFormat::Protobuf => match protobuf::decode(bytes) {
            Ok(object) => object,
            Err(ProtobufError::Unsupported { .. }) => {
                return Err(Status::unsupported_media_type(&TEXT_MEDIA_TYPES));
            }
            Err(ProtobufError::Malformed(error)) => {
                return Err(Status::bad_request(format!(
                    "the object provided is unrecognized (must be of type {}): {error}",
                    info.kind
                )));
            }
        },
    };
    let Some(fields) = object.as_object_mut() else {
        return Err(unrecognized(&"the body is not an object"));
    };
    if !own_kind {
        return Ok(object);
    }
    let expected_version = info.group_version();
    let api_version =
        fields.get("apiVersion").and_then(Value::as_str).unwrap_or_default().to_string();
    let kind = fields.get("kind").and_then(Value::as_str).unwrap_or_default().to_string();
    if !api_version.is_empty() && api_version != expected_version {
        return Err(Status::bad_request(format!(
            "the API version in the data ({api_version}) does not match the expected API version ({expected_version})"
        )));
    }
    if !kind.is_empty() && kind != info.kind {
        return Err(Status::bad_request(format!(
            "{kind} in version {:?} cannot be handled as a {}: the endpoint serves only {}",
            info.version, info.kind, info.kind
        )));
    }
    fields.insert("apiVersion".to_string(), Value::from(expected_version));
    fields.insert("kind".to_string(), Value::from(info.kind));
    Ok(object)
}

/// The first bytes of a body, for error messages, as upstream summarizes them.
fn summarize(bytes: &[u8]) -> String {
    const MAX: usize = 30;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX)]).into_owned();
    if bytes.len() > MAX { format!("{text} ...") } else { text }
}

/// Decodes a patch body: JSON for the JSON, merge and strategic formats, YAML (a superset of
/// JSON) for server-side apply.
pub fn decode_patch(bytes: &Bytes, patch_type: PatchType) -> Result<Value, Status> {
    let decoded = match patch_type {
        PatchType::Apply => serde_yaml_ng::from_slice(bytes).map_err(|error| error.to_string()),
        _ => serde_json::from_slice(bytes).map_err(|error| error.to_string()),
    };
    decoded.map_err(|error| Status::bad_request(format!("error decoding patch: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_maps() -> ResourceInfo {
        ResourceInfo {
            group: "",
            version: "v1",
            kind: "ConfigMap",
            plural: "configmaps",
            singular: "configmap".into(),
            namespaced: true,
            short_names: &["cm"],
            categories: &[],
            subresources: &[],
            verbs: ResourceInfo::ALL_VERBS,
        }
    }

    #[test]
    fn body_formats() {
        assert_eq!(body_format(None), Ok(BodyFormat::Json));
        assert_eq!(body_format(Some("application/json; charset=utf-8")), Ok(BodyFormat::Json));
        assert_eq!(body_format(Some("application/yaml")), Ok(BodyFormat::Yaml));
        assert_eq!(
            body_format(Some("application/vnd.kubernetes.protobuf")),
            Ok(BodyFormat::Protobuf)
        );
        let status = body_format(Some("application/cbor")).unwrap_err();
        assert_eq!(status.code, 415);
        assert_eq!(
            status.message,
            "the body of the request was in an unknown format - accepted media types include: \
             application/json, application/yaml, application/vnd.kubernetes.protobuf"
        );
    }

    use crate::server::field_validation::{Directive, judge_body};

    fn namespaces() -> ResourceInfo {
        crate::discovery::test_support::namespaces()
    }

    #[test]
    fn protobuf_bodies_decode_like_json() {
        let body =
            Bytes::from_static(include_bytes!("../protobuf/testdata/kubectl-1.33-namespace.pb"));
        let object = decode_object(&body, BodyFormat::Protobuf, &namespaces(), true).unwrap();
        assert_eq!(object["kind"], "Namespace");
        assert_eq!(object["metadata"]["name"], "x");
        // kubectl asks for strict field validation; every field protobuf carries is known.
        judge_body(Directive::Strict, None, &object, &namespaces()).unwrap();

        // The envelope's type is checked against the endpoint like a JSON body's.
        let status = decode_object(&body, BodyFormat::Protobuf, &config_maps(), true).unwrap_err();
        assert_eq!(status.code, 400);
        assert!(
            status
                .message
                .starts_with("Namespace in version \"v1\" cannot be handled as a ConfigMap")
        );

        let garbage =
            Bytes::from_static(b"k8s\0\x0a\x0f\x0a\x02v1\x12\x09Namespace\x12\x03\xf8\x01\x00");
        let status =
            decode_object(&garbage, BodyFormat::Protobuf, &namespaces(), true).unwrap_err();
        assert_eq!(status.code, 400);
        assert_eq!(
            status.message,
            "the object provided is unrecognized (must be of type Namespace): field number 31 of \
             protobuf message k8s.io.api.core.v1.Namespace is not known to this server"
        );
    }

    /// Every field kubectl 1.33's generators write (Go writes the zero values of all non-pointer
    /// fields) is one the schemas know, so strict field validation, which kubectl asks for,
    /// passes.
    #[test]
    fn kubectl_protobuf_bodies_pass_strict_field_validation() {
        let bodies: [(&str, &str, &[u8]); 7] = [
            ("", "Namespace", include_bytes!("../protobuf/testdata/kubectl-1.33-namespace.pb")),
            ("", "Secret", include_bytes!("../protobuf/testdata/kubectl-1.33-secret.pb")),
            ("", "ConfigMap", include_bytes!("../protobuf/testdata/kubectl-1.33-configmap.pb")),
            ("", "Service", include_bytes!("../protobuf/testdata/kubectl-1.33-service.pb")),
            (
                "",
                "ServiceAccount",
                include_bytes!("../protobuf/testdata/kubectl-1.33-serviceaccount.pb"),
            ),
            (
                "",
                "ResourceQuota",
                include_bytes!("../protobuf/testdata/kubectl-1.33-resourcequota.pb"),
            ),
            (
                "apps",
                "Deployment",
                include_bytes!("../protobuf/testdata/kubectl-1.33-deployment.pb"),
            ),
        ];
        for (group, kind, body) in bodies {
            let info = ResourceInfo { group, kind, ..config_maps() };
            let object =
                decode_object(&Bytes::from_static(body), BodyFormat::Protobuf, &info, true)
                    .unwrap_or_else(|status| panic!("{kind}: {}", status.message));
            judge_body(Directive::Strict, None, &object, &info)
                .unwrap_or_else(|status| panic!("{kind}: {}", status.message));
        }
    }

    #[test]
    fn protobuf_bodies_of_kinds_without_tables_are_415() {
        // runtime.Unknown naming batch/v1 Job, with an empty raw message.
        let job = Bytes::from_static(b"k8s\0\x0a\x0f\x0a\x08batch/v1\x12\x03Job\x12\x00");
        let status = decode_object(&job, BodyFormat::Protobuf, &config_maps(), false).unwrap_err();
        assert_eq!(status.code, 415);
        assert!(
            status.message.ends_with("application/json, application/yaml"),
            "{}",
            status.message
        );
    }

    #[test]
    fn delete_options_decode_from_protobuf() {
        // DeleteOptions{propagationPolicy: "Foreground", gracePeriodSeconds: 5}.
        let body =
            b"k8s\0\x0a\x13\x0a\x02v1\x12\x0dDeleteOptions\x12\x0e\x08\x05\x22\x0aForeground";
        let options: api_types::meta::v1::DeleteOptions =
            decode_value(&body[..], BodyFormat::Protobuf).unwrap();
        assert_eq!(options.grace_period_seconds, Some(5));
        assert_eq!(options.propagation_policy.as_deref(), Some("Foreground"));
    }

    #[test]
    fn bodies_get_their_type_from_the_endpoint() {
        let info = config_maps();
        let bare = Bytes::from_static(br#"{"metadata":{"name":"a"},"data":{"k":"v"}}"#);
        let object = decode_object(&bare, BodyFormat::Json, &info, true).unwrap();
        assert_eq!(object["kind"], "ConfigMap");
        assert_eq!(object["apiVersion"], "v1");

        let yaml = Bytes::from_static(
            b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n",
        );
        let object = decode_object(&yaml, BodyFormat::Yaml, &info, true).unwrap();
        assert_eq!(object["data"]["k"], "v");

        let wrong_version = Bytes::from_static(br#"{"apiVersion":"apps/v1","kind":"ConfigMap"}"#);
        let status = decode_object(&wrong_version, BodyFormat::Json, &info, true).unwrap_err();
        assert_eq!(
            status.message,
            "the API version in the data (apps/v1) does not match the expected API version (v1)"
        );
        let wrong_kind = Bytes::from_static(br#"{"apiVersion":"v1","kind":"Secret"}"#);
        let status = decode_object(&wrong_kind, BodyFormat::Json, &info, true).unwrap_err();
        assert!(
            status.message.starts_with("Secret in version \"v1\" cannot be handled as a ConfigMap"),
            "{}",
            status.message
        );

        let broken = Bytes::from_static(b"{\"metadata\": ");
        let status = decode_object(&broken, BodyFormat::Json, &info, true).unwrap_err();
        assert_eq!(status.code, 400);
        assert!(
            status
                .message
                .starts_with("the object provided is unrecognized (must be of type ConfigMap)"),
            "{}",
            status.message
        );
        let list = Bytes::from_static(b"[1]");
        assert_eq!(decode_object(&list, BodyFormat::Json, &info, true).unwrap_err().code, 400);

        // Bodies of other kinds (a Scale for `/scale`) are passed on untouched.
        let scale = Bytes::from_static(br#"{"apiVersion":"autoscaling/v1","kind":"Scale"}"#);
        let object = decode_object(&scale, BodyFormat::Json, &info, false).unwrap();
        assert_eq!(object["kind"], "Scale");
    }

    #[test]
    fn patches_decode_by_type() {
        let merge = Bytes::from_static(br#"{"metadata":{"labels":{"a":"b"}}}"#);
        assert_eq!(decode_patch(&merge, PatchType::Merge).unwrap()["metadata"]["labels"]["a"], "b");
        let json_patch = Bytes::from_static(br#"[{"op":"add","path":"/a","value":1}]"#);
        assert!(decode_patch(&json_patch, PatchType::Json).unwrap().is_array());
        let apply = Bytes::from_static(b"apiVersion: v1\nkind: ConfigMap\n");
        assert_eq!(decode_patch(&apply, PatchType::Apply).unwrap()["kind"], "ConfigMap");
        let status =
            decode_patch(&Bytes::from_static(b"{"), PatchType::StrategicMerge).unwrap_err();
        assert_eq!(status.code, 400);
    }

    #[test]
    fn summaries_are_short() {
        assert_eq!(summarize(b"short"), "short");
        assert_eq!(summarize(&[b'a'; 40]), format!("{} ...", "a".repeat(30)));
    }
}
