//! Building responses: objects in the negotiated media type, `Status` errors with their code and
//! `Retry-After`, and the one body type every response shares (whole or streamed).

use crate::negotiation::{Format, MediaType};
use api_types::meta::v1::{Status, StatusDetails, StatusReason};
use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Empty, Full};
use hyper::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use hyper::{Response, StatusCode};
use serde::Serialize;
use std::convert::Infallible;

/// The body of every response: a whole document or a watch stream.
pub type ResponseBody = UnsyncBoxBody<Bytes, Infallible>;

/// A body of known bytes.
pub fn full_body(bytes: impl Into<Bytes>) -> ResponseBody {
    Full::new(bytes.into()).boxed_unsync()
}

/// A body with no bytes (HEAD, OPTIONS, 204).
pub fn empty_body() -> ResponseBody {
    Empty::new().boxed_unsync()
}

/// Serializes `value` in `format` (JSON unless YAML or protobuf was negotiated); `pretty`
/// indents JSON as upstream does for `?pretty=true` and for curl, wget and browsers.
pub fn encode<T: Serialize>(value: &T, format: Format, pretty: bool) -> Result<Vec<u8>, Status> {
    let encoded = match format {
        Format::Yaml => {
            return serde_yaml_ng::to_string(value)
                .map(String::into_bytes)
                .map_err(|error| Status::internal_error(format!("encoding YAML: {error}")));
        }
        Format::Protobuf => {
            let value = serde_json::to_value(value).map_err(Status::internal_error)?;
            return crate::protobuf::encode(&value)
                .map_err(|error| Status::internal_error(format!("encoding protobuf: {error}")));
        }
        _ if pretty => serde_json::to_vec_pretty(value).map(|mut bytes| {
            bytes.push(b'\n');
            bytes
        }),
        _ => serde_json::to_vec(value).map(|mut bytes| {
            bytes.push(b'\n');
            bytes
        }),
    };
    encoded.map_err(|error| Status::internal_error(format!("encoding JSON: {error}")))
}

/// A response carrying `value` with the given HTTP status, in the negotiated format.
pub fn object_response<T: Serialize>(
    code: StatusCode,
    value: &T,
    media: &MediaType,
    pretty: bool,
) -> Response<ResponseBody> {
    match encode(value, media.format, pretty || media.pretty) {
        Ok(bytes) => with_content_type(code, media.format.media_type(), full_body(bytes)),
        Err(status) => status_response(&status),
    }
}

/// The response for a `Status`: JSON, with the status's `code` as the HTTP status (500 when it
/// carries none) and `Retry-After` when it asks the client to wait.
pub fn status_response(status: &Status) -> Response<ResponseBody> {
    let code = u16::try_from(status.code)
        .ok()
        .and_then(|code| StatusCode::from_u16(code).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let bytes = serde_json::to_vec(status).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = with_content_type(code, "application/json", full_body(bytes));
    if let Some(seconds) = status.retry_after_seconds().filter(|seconds| *seconds > 0) {
        response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// Upstream's answer for a path no handler serves: 404 with `details: {}`.
pub fn not_found() -> Status {
    let mut status =
        Status::failure(StatusReason::NotFound, "the server could not find the requested resource");
    status.details = Some(StatusDetails::default());
    status
}

/// The 405 for a method a path does not take, naming the resource when there is one.
pub fn method_not_allowed(group: &str, resource: &str) -> Status {
    let mut status = Status::failure(
        StatusReason::MethodNotAllowed,
        "the server does not allow this method on the requested resource",
    );
    status.details = Some(StatusDetails {
        group: group.to_string(),
        kind: resource.to_string(),
        ..Default::default()
    });
    status
}

/// A response with a status code, a content type and a body.
pub fn with_content_type(
    code: StatusCode,
    content_type: &'static str,
    body: ResponseBody,
) -> Response<ResponseBody> {
    let mut response = Response::new(body);
    *response.status_mut() = code;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    async fn body_json(response: Response<ResponseBody>) -> Value {
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn statuses_carry_their_code_and_retry_after() {
        let response = status_response(&Status::too_many_requests("slow down", 1));
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[RETRY_AFTER], "1");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let body = body_json(response).await;
        assert_eq!(body["reason"], "TooManyRequests");
        assert_eq!(body["details"]["retryAfterSeconds"], 1);

        let response = status_response(&Status::not_found("", "pods", "grafana"));
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(!response.headers().contains_key(RETRY_AFTER));
        assert_eq!(
            body_json(response).await,
            json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                   "message": "pods \"grafana\" not found", "reason": "NotFound",
                   "details": {"name": "grafana", "kind": "pods"}, "code": 404})
        );
    }

    #[tokio::test]
    async fn unknown_paths_get_upstreams_404() {
        let body = body_json(status_response(&not_found())).await;
        assert_eq!(
            body,
            json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                   "message": "the server could not find the requested resource",
                   "reason": "NotFound", "details": {}, "code": 404})
        );
        let body = body_json(status_response(&method_not_allowed("apps", "deployments"))).await;
        assert_eq!(body["code"], 405);
        assert_eq!(body["details"], json!({"group": "apps", "kind": "deployments"}));
    }

    #[test]
    fn encodings() {
        let value = json!({"kind": "ConfigMap", "data": {"a": "b"}});
        let compact = encode(&value, Format::Json, false).unwrap();
        assert!(compact.ends_with(b"}\n") && !compact.contains(&b' '));
        assert_eq!(serde_json::from_slice::<Value>(&compact).unwrap(), value);
        let pretty = String::from_utf8(encode(&value, Format::Json, true).unwrap()).unwrap();
        assert!(pretty.contains("\n  \"data\": {\n    \"a\": \"b\"\n  }"), "{pretty}");
        let yaml = String::from_utf8(encode(&value, Format::Yaml, false).unwrap()).unwrap();
        assert!(yaml.contains("data:\n  a: b\n"), "{yaml}");
        assert_eq!(serde_yaml_ng::from_str::<Value>(&yaml).unwrap(), value);

        let config_map = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}});
        let protobuf = encode(&config_map, Format::Protobuf, false).unwrap();
        assert!(protobuf.starts_with(b"k8s\0"));
        assert_eq!(crate::protobuf::decode(&protobuf).unwrap(), config_map);
        let status = encode(&value, Format::Protobuf, false).unwrap_err();
        assert_eq!(status.code, 500);
    }
}
