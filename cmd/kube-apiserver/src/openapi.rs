//! `/openapi/v2` and `/openapi/v3[/<group-version>]`: the API's OpenAPI documents, generated
//! once at startup from the api types and served as JSON with ETags.
//!
//! Documents are served as JSON; `/openapi/v2` also in gnostic's protobuf encoding, which is all
//! kubectl 1.27 and 1.28 accept there. A client that accepts neither gets 406.

use api_types::openapi::{encode_v2, v2_document, v3_documents};
use bytes::Bytes;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha512};
use std::collections::BTreeMap;

/// The media type every document is served as.
const JSON: &str = "application/json";
/// The protobuf encoding of the v2 document, as clients ask for it.
const PROTOBUF_V2: &str = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
/// What the protobuf answer is labelled: Go's media type parser rejects the `@` of the name
/// clients ask for, so upstream labels the body as plain bytes.
const PROTOBUF_BODY: &str = "application/octet-stream";

/// One encoded document and its entity tag.
#[derive(Debug)]
struct Encoded {
    body: Bytes,
    /// The uppercase hex SHA-512 of the body, as upstream's v3 index and ETags carry it.
    hash: String,
}

impl Encoded {
    fn new(document: &Value) -> Self {
        Self::from_bytes(serde_json::to_vec(document).expect("a JSON value always encodes"))
    }

    fn from_bytes(body: Vec<u8>) -> Self {
        let hash = Sha512::digest(&body).iter().map(|byte| format!("{byte:02X}")).collect();
        Encoded { body: Bytes::from(body), hash }
    }
}

/// The encoded documents, built once and shared by every request.
#[derive(Debug)]
pub struct OpenApiDocuments {
    v2: Encoded,
    v2_protobuf: Encoded,
    v3_index: Encoded,
    /// Keyed by group-version path (`api/v1`, `apis/apps/v1`).
    v3: BTreeMap<String, Encoded>,
}

/// What to send back for an OpenAPI request.
#[derive(Debug, PartialEq, Eq)]
pub struct OpenApiAnswer {
    pub status: u16,
    /// Empty for 304 and 406.
    pub body: Bytes,
    /// The ETag to send, when there is a document.
    pub etag: Option<String>,
    /// The body's media type, when there is a body.
    pub content_type: Option<&'static str>,
}

impl OpenApiDocuments {
    /// Generates and encodes every document; done once, at startup.
    pub fn generate() -> Self {
        let v3: BTreeMap<String, Encoded> = v3_documents()
            .into_iter()
            .map(|(group_version, document)| (group_version, Encoded::new(&document)))
            .collect();
        let index: Map<String, Value> = v3
            .iter()
            .map(|(group_version, encoded)| {
                let url = format!("/openapi/v3/{group_version}?hash={}", encoded.hash);
                (group_version.clone(), json!({ "serverRelativeURL": url }))
            })
            .collect();
        let v2 = v2_document();
        OpenApiDocuments {
            v2_protobuf: Encoded::from_bytes(encode_v2(&v2)),
            v2: Encoded::new(&v2),
            v3_index: Encoded::new(&json!({ "paths": index })),
            v3,
        }
    }

    /// Answers a `GET` of `path` (already known to start with `/openapi/`), or `None` when no
    /// document lives there (404).
    pub fn serve(
        &self,
        path: &str,
        accept: Option<&str>,
        if_none_match: Option<&str>,
    ) -> Option<OpenApiAnswer> {
        let rest = path.strip_prefix("/openapi/")?.trim_end_matches('/');
        let (json, protobuf) = match rest {
            "v2" => (&self.v2, Some(&self.v2_protobuf)),
            "v3" => (&self.v3_index, None),
            other => (self.v3.get(other.strip_prefix("v3/")?)?, None),
        };
        let Some((encoded, content_type)) = negotiate(accept, json, protobuf) else {
            return Some(OpenApiAnswer {
                status: 406,
                body: Bytes::new(),
                etag: None,
                content_type: None,
            });
        };
        let etag = format!("\"{}\"", encoded.hash);
        if if_none_match.is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag)) {
            return Some(OpenApiAnswer {
                status: 304,
                body: Bytes::new(),
                etag: Some(etag),
                content_type: None,
            });
        }
        Some(OpenApiAnswer {
            status: 200,
            body: encoded.body.clone(),
            etag: Some(etag),
            content_type: Some(content_type),
        })
    }
}

/// The first encoding the `Accept` header admits, in the header's order; a missing or empty
/// header means JSON.
fn negotiate<'a>(
    accept: Option<&str>,
    json: &'a Encoded,
    protobuf: Option<&'a Encoded>,
) -> Option<(&'a Encoded, &'static str)> {
    let Some(accept) = accept.filter(|accept| !accept.trim().is_empty()) else {
        return Some((json, JSON));
    };
    accept.split(',').find_map(|range| match range.split(';').next().unwrap_or_default().trim() {
        "application/json" | "application/*" | "*/*" => Some((json, JSON)),
        PROTOBUF_V2 => protobuf.map(|protobuf| (protobuf, PROTOBUF_BODY)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static DOCUMENTS: LazyLock<OpenApiDocuments> = LazyLock::new(OpenApiDocuments::generate);

    fn parse(answer: &OpenApiAnswer) -> Value {
        serde_json::from_slice(&answer.body).expect("JSON body")
    }

    #[test]
    fn index_points_at_each_group_version_document_by_hash() {
        let index = DOCUMENTS.serve("/openapi/v3", None, None).expect("index");
        assert_eq!(index.status, 200);
        let index = parse(&index);
        let url = index["paths"]["apis/apps/v1"]["serverRelativeURL"].as_str().expect("url");
        assert!(url.starts_with("/openapi/v3/apis/apps/v1?hash="), "{url}");
        let apps = DOCUMENTS.serve("/openapi/v3/apis/apps/v1", None, None).expect("apps");
        let etag = apps.etag.clone().expect("etag");
        assert_eq!(etag.trim_matches('"'), url.rsplit('=').next().unwrap_or_default());
        assert!(parse(&apps)["components"]["schemas"]["io.k8s.api.apps.v1.Deployment"].is_object());
        assert!(index["paths"]["api/v1"].is_object());
    }

    #[test]
    fn etag_match_answers_not_modified() {
        let first = DOCUMENTS.serve("/openapi/v2", Some("application/json"), None).expect("v2");
        let etag = first.etag.expect("etag");
        let again = DOCUMENTS.serve("/openapi/v2", None, Some(&etag)).expect("v2");
        assert_eq!(again.status, 304);
        assert!(again.body.is_empty());
    }

    #[test]
    fn v2_speaks_protobuf_and_v3_does_not() {
        let answer = DOCUMENTS.serve("/openapi/v2", Some(PROTOBUF_V2), None).expect("answer");
        assert_eq!((answer.status, answer.content_type), (200, Some(PROTOBUF_BODY)));
        assert_eq!(answer.body[..5], [0x0a, 3, b'2', b'.', b'0']);
        let v3 = DOCUMENTS.serve("/openapi/v3", Some(PROTOBUF_V2), None).expect("answer");
        assert_eq!(v3.status, 406);
        let answer = DOCUMENTS.serve("/openapi/v2", Some("text/html"), None).expect("answer");
        assert_eq!(answer.status, 406);
        let fallback = "text/html, application/json";
        assert_eq!(
            DOCUMENTS.serve("/openapi/v2", Some(fallback), None).map(|a| a.status),
            Some(200)
        );
        assert!(DOCUMENTS.serve("/openapi/v3/apis/nope/v1", None, None).is_none());
        assert!(DOCUMENTS.serve("/openapi/v4", None, None).is_none());
    }
}
