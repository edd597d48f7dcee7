//! A discovery answer ready to be written: status, headers and encoded body.

use crate::negotiation::{Format, MediaType};
use api_types::meta::v1::{Status, StatusDetails, StatusReason};
use serde::Serialize;

/// What the HTTP layer writes back for a discovery request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscoveryResponse {
    pub status: u16,
    /// The `Content-Type`; empty for a 304, which has no body.
    pub content_type: String,
    /// The quoted entity tag of an aggregated document.
    pub etag: Option<String>,
    pub body: Vec<u8>,
}

impl DiscoveryResponse {
    /// `document` encoded as `media_type` asks, with status 200.
    pub(super) fn ok(document: &impl Serialize, media_type: &MediaType, pretty: bool) -> Self {
        DiscoveryResponse {
            status: 200,
            content_type: media_type.content_type(),
            etag: None,
            body: encode(document, media_type.format, pretty || media_type.pretty),
        }
    }

    /// An error `Status`, with its code as the HTTP status, in `format` when this server writes
    /// it and in JSON otherwise.
    pub(super) fn error(status: &Status, format: Format, pretty: bool) -> Self {
        let format = if format.is_served() { format } else { Format::Json };
        DiscoveryResponse {
            status: u16::try_from(status.code).unwrap_or(500),
            content_type: format.media_type().to_string(),
            etag: None,
            body: encode(status, format, pretty),
        }
    }

    /// 304: the client's cached copy (named by `If-None-Match`) is current.
    pub(super) fn not_modified(etag: &str) -> Self {
        DiscoveryResponse {
            status: 304,
            content_type: String::new(),
            etag: Some(etag.to_string()),
            body: Vec::new(),
        }
    }

    /// Every header to set. An aggregated document also gets `Vary: Accept` (the same URL has
    /// two documents) and `Cache-Control: public`, as upstream sends them.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = Vec::new();
        if !self.content_type.is_empty() {
            headers.push(("Content-Type", self.content_type.clone()));
        }
        if let Some(etag) = &self.etag {
            headers.push(("ETag", etag.clone()));
            headers.push(("Vary", "Accept".to_string()));
            headers.push(("Cache-Control", "public".to_string()));
        }
        headers
    }
}

/// Upstream's answer to a path nothing serves (`/apis/nope`, `/api/v2`): a 404 `Status` with the
/// generic message kubectl prints as `Error from server (NotFound): the server could not find
/// the requested resource`, and empty details.
pub fn not_found() -> Status {
    Status {
        details: Some(StatusDetails::default()),
        ..Status::failure(
            StatusReason::NotFound,
            "the server could not find the requested resource",
        )
    }
}

/// The body in `format`: compact JSON (indented with `pretty`) or YAML, each with the trailing
/// newline upstream's encoders write. YAML keys come out sorted, as upstream converts JSON to
/// YAML through a sorted map.
fn encode(document: &impl Serialize, format: Format, pretty: bool) -> Vec<u8> {
    let mut body = match format {
        Format::Yaml => {
            let value = serde_json::to_value(document).expect("discovery documents serialize");
            serde_yaml_ng::to_string(&value).expect("JSON values convert to YAML").into_bytes()
        }
        _ if pretty => serde_json::to_vec_pretty(document).expect("discovery documents serialize"),
        _ => serde_json::to_vec(document).expect("discovery documents serialize"),
    };
    if body.last() != Some(&b'\n') {
        body.push(b'\n');
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_is_upstreams_generic_status() {
        let body = encode(&not_found(), Format::Json, false);
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"the server could not find the requested resource\",\"reason\":\"NotFound\",\"details\":{},\"code\":404}\n"
        );
        let response = DiscoveryResponse::error(&not_found(), Format::Json, false);
        assert_eq!(response.status, 404);
        assert_eq!(response.headers(), vec![("Content-Type", "application/json".to_string())]);
    }

    #[test]
    fn encodings() {
        let document = serde_json::json!({"kind": "APIVersions", "versions": ["v1"]});
        let pretty = String::from_utf8(encode(&document, Format::Json, true)).unwrap();
        assert_eq!(
            pretty,
            "{\n  \"kind\": \"APIVersions\",\n  \"versions\": [\n    \"v1\"\n  ]\n}\n"
        );
        let yaml = String::from_utf8(encode(&document, Format::Yaml, false)).unwrap();
        assert_eq!(yaml, "kind: APIVersions\nversions:\n- v1\n");
    }

    #[test]
    fn not_modified_has_cache_headers_and_no_body() {
        let response = DiscoveryResponse::not_modified("\"AB\"");
        assert_eq!(response.status, 304);
        assert!(response.body.is_empty());
        assert_eq!(
            response.headers(),
            vec![
                ("ETag", "\"AB\"".to_string()),
                ("Vary", "Accept".to_string()),
                ("Cache-Control", "public".to_string())
            ]
        );
    }
}
