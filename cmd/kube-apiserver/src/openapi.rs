//! `/openapi/v2` and `/openapi/v3[/<group-version>]`: the API's OpenAPI documents, generated
//! once at startup from the api types and served as JSON with ETags.
//!
//! Only JSON is served. Upstream also offers the gnostic protobuf encodings; a client that
//! accepts nothing but protobuf gets 406, as upstream answers an unsupported media type.

use api_types::openapi::{v2_document, v3_documents};
use bytes::Bytes;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha512};
use std::collections::BTreeMap;

/// The media type every document is served as.
const JSON: &str = "application/json";

/// One encoded document and its entity tag.
#[derive(Debug)]
struct Encoded {
    body: Bytes,
    /// The uppercase hex SHA-512 of the body, as upstream's v3 index and ETags carry it.
    hash: String,
}

impl Encoded {
    fn new(document: &Value) -> Self {
        let body = serde_json::to_vec(document).expect("a JSON value always encodes");
        let hash = Sha512::digest(&body).iter().map(|byte| format!("{byte:02X}")).collect();
        Encoded { body: Bytes::from(body), hash }
    }
}

/// The encoded documents, built once and shared by every request.
#[derive(Debug)]
pub struct OpenApiDocuments {
    v2: Encoded,
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
        OpenApiDocuments {
            v2: Encoded::new(&v2_document()),
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
        let encoded = match rest {
            "v2" => &self.v2,
            "v3" => &self.v3_index,
            other => self.v3.get(other.strip_prefix("v3/")?)?,
        };
        if !accepts_json(accept) {
            return Some(OpenApiAnswer { status: 406, body: Bytes::new(), etag: None });
        }
        let etag = format!("\"{}\"", encoded.hash);
        if if_none_match.is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag)) {
            return Some(OpenApiAnswer { status: 304, body: Bytes::new(), etag: Some(etag) });
        }
        Some(OpenApiAnswer { status: 200, body: encoded.body.clone(), etag: Some(etag) })
    }

    /// The content type of every document this module serves.
    pub fn content_type() -> &'static str {
        JSON
    }
}

/// Whether an `Accept` header admits JSON; a missing or empty header does.
fn accepts_json(accept: Option<&str>) -> bool {
    let Some(accept) = accept.filter(|accept| !accept.trim().is_empty()) else {
        return true;
    };
    accept.split(',').any(|range| {
        let media = range.split(';').next().unwrap_or_default().trim();
        matches!(media, "application/json" | "application/*" | "*/*")
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
    fn protobuf_only_is_not_acceptable_and_unknown_paths_are_absent() {
        let protobuf = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
        let answer = DOCUMENTS.serve("/openapi/v2", Some(protobuf), None).expect("answer");
        assert_eq!(answer.status, 406);
        let fallback = format!("{protobuf}, application/json");
        assert_eq!(
            DOCUMENTS.serve("/openapi/v2", Some(&fallback), None).map(|a| a.status),
            Some(200)
        );
        assert!(DOCUMENTS.serve("/openapi/v3/apis/nope/v1", None, None).is_none());
        assert!(DOCUMENTS.serve("/openapi/v4", None, None).is_none());
    }
}
