//! Content negotiation: which media type and which server-side conversion (`Table`,
//! `PartialObjectMetadata`) a response uses, from the `Accept` header, and how a request body is
//! decoded, from `Content-Type`.
//!
//! kubectl asks for tables with a list of fallbacks
//! (`application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`)
//! and typed clients often ask for protobuf first (`application/vnd.kubernetes.protobuf,application/json`):
//! clauses this server cannot produce are skipped, so both end up with what the server has.

use api_types::meta::v1::Status;

/// The `g` parameter of the conversions this server performs.
const META_GROUP: &str = "meta.k8s.io";
/// The `v` values of those conversions.
const META_VERSIONS: [&str; 2] = ["v1", "v1beta1"];

/// Media types a response can be written in, listed in 406 answers.
pub const RESPONSE_MEDIA_TYPES: [&str; 2] = ["application/json", "application/yaml"];
/// Media types a request body can be decoded from, listed in 415 answers.
pub const BODY_MEDIA_TYPES: [&str; 2] = ["application/json", "application/yaml"];

/// How the response bytes are encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaType {
    Json,
    Yaml,
}

impl MediaType {
    /// The `Content-Type` of a response in this media type.
    pub fn content_type(self) -> &'static str {
        match self {
            MediaType::Json => "application/json",
            MediaType::Yaml => "application/yaml",
        }
    }
}

/// A server-side transformation of the response object, requested with `as=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// The object as stored.
    None,
    /// `as=Table`: rows and columns for `kubectl get`; holds the `meta.k8s.io` version.
    Table(&'static str),
    /// `as=PartialObjectMetadata` / `as=PartialObjectMetadataList`: metadata only.
    PartialMetadata(&'static str),
}

/// What kind of result an endpoint returns, which decides the conversions it offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// One object (get).
    Object,
    /// A list (list).
    List,
    /// A stream of events (watch); its objects are converted one by one.
    Watch,
    /// Anything else (writes, discovery): plain objects only.
    Plain,
}

/// The outcome of negotiating a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Negotiated {
    pub media: MediaType,
    pub conversion: Conversion,
}

impl Negotiated {
    /// Plain JSON, what clients get when they express no preference.
    pub const JSON: Negotiated =
        Negotiated { media: MediaType::Json, conversion: Conversion::None };
}

/// One clause of an `Accept` header.
#[derive(Debug)]
struct AcceptClause<'a> {
    media_range: &'a str,
    params: Vec<(&'a str, &'a str)>,
    quality: f32,
}

impl<'a> AcceptClause<'a> {
    fn param(&self, name: &str) -> Option<&'a str> {
        self.params.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| *value)
    }
}

/// Splits an `Accept` header into clauses ordered by preference (`q`, highest first; equal
/// weights keep the client's order). Clauses with `q=0` are dropped.
fn parse_accept(header: &str) -> Vec<AcceptClause<'_>> {
    let mut clauses: Vec<AcceptClause<'_>> = header
        .split(',')
        .filter_map(|clause| {
            let mut parts = clause.split(';').map(str::trim);
            let media_range = parts.next().filter(|range| !range.is_empty())?;
            let mut params = Vec::new();
            let mut quality = 1.0f32;
            for part in parts {
                let (key, value) = part.split_once('=').unwrap_or((part, ""));
                let (key, value) = (key.trim(), value.trim().trim_matches('"'));
                if key.eq_ignore_ascii_case("q") {
                    quality = value.parse().unwrap_or(0.0);
                } else {
                    params.push((key, value));
                }
            }
            Some(AcceptClause { media_range, params, quality })
        })
        .filter(|clause| clause.quality > 0.0)
        .collect();
    clauses.sort_by(|left, right| right.quality.total_cmp(&left.quality));
    clauses
}

/// The media type a clause's range selects, if this server writes it.
fn media_for_range(range: &str) -> Option<MediaType> {
    let range = range.to_ascii_lowercase();
    match range.as_str() {
        "application/json" | "application/*" | "*/*" | "*" => Some(MediaType::Json),
        "application/yaml" => Some(MediaType::Yaml),
        _ => None,
    }
}

/// The conversion a clause asks for, if `endpoint` offers it; `None` skips the clause.
fn conversion_for(clause: &AcceptClause<'_>, endpoint: Endpoint) -> Option<Conversion> {
    let Some(target) = clause.param("as") else {
        return Some(Conversion::None);
    };
    if clause.param("g") != Some(META_GROUP) {
        return None;
    }
    let version = clause.param("v")?;
    let version = META_VERSIONS.into_iter().find(|known| *known == version)?;
    match (target, endpoint) {
        ("Table", Endpoint::Object | Endpoint::List | Endpoint::Watch) => {
            Some(Conversion::Table(version))
        }
        ("PartialObjectMetadata", Endpoint::Object | Endpoint::Watch)
        | ("PartialObjectMetadataList", Endpoint::List) => {
            Some(Conversion::PartialMetadata(version))
        }
        _ => None,
    }
}

/// Chooses the response format for an `Accept` header (absent or empty means JSON). Fails with
/// 406 when no clause names something this server can write, as upstream does.
pub fn negotiate(accept: Option<&str>, endpoint: Endpoint) -> Result<Negotiated, Status> {
    let Some(header) = accept.map(str::trim).filter(|header| !header.is_empty()) else {
        return Ok(Negotiated::JSON);
    };
    for clause in parse_accept(header) {
        let Some(media) = media_for_range(clause.media_range) else {
            continue;
        };
        // Watch streams are JSON only.
        if endpoint == Endpoint::Watch && media != MediaType::Json {
            continue;
        }
        if let Some(conversion) = conversion_for(&clause, endpoint) {
            return Ok(Negotiated { media, conversion });
        }
    }
    Err(Status::not_acceptable(&RESPONSE_MEDIA_TYPES))
}

/// How a request body is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyFormat {
    Json,
    Yaml,
}

/// The format of a create or update body from its `Content-Type` (absent means JSON, as
/// upstream assumes); 415 for anything else.
pub fn body_format(content_type: Option<&str>) -> Result<BodyFormat, Status> {
    let media_type = content_type
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match media_type.as_str() {
        "" | "application/json" | "*/*" => Ok(BodyFormat::Json),
        "application/yaml" | "application/x-yaml" | "text/yaml" => Ok(BodyFormat::Yaml),
        _ => Err(Status::unsupported_media_type(&BODY_MEDIA_TYPES)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::meta::v1::StatusReason;

    const KUBECTL_GET: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    fn negotiated(accept: &str, endpoint: Endpoint) -> Negotiated {
        negotiate(Some(accept), endpoint).unwrap()
    }

    #[test]
    fn no_preference_is_json() {
        assert_eq!(negotiate(None, Endpoint::List).unwrap(), Negotiated::JSON);
        assert_eq!(negotiate(Some("  "), Endpoint::Object).unwrap(), Negotiated::JSON);
        assert_eq!(negotiated("*/*", Endpoint::Plain), Negotiated::JSON);
        assert_eq!(negotiated("application/json, */*", Endpoint::Watch), Negotiated::JSON);
    }

    #[test]
    fn kubectl_get_gets_a_v1_table() {
        for endpoint in [Endpoint::List, Endpoint::Object, Endpoint::Watch] {
            let result = negotiated(KUBECTL_GET, endpoint);
            assert_eq!(result.conversion, Conversion::Table("v1"), "{endpoint:?}");
            assert_eq!(result.media, MediaType::Json);
        }
        // Writes answer with the object itself: the plain fallback clause.
        assert_eq!(negotiated(KUBECTL_GET, Endpoint::Plain), Negotiated::JSON);
        let beta_only = "application/json;as=Table;v=v1beta1;g=meta.k8s.io";
        assert_eq!(negotiated(beta_only, Endpoint::List).conversion, Conversion::Table("v1beta1"));
    }

    #[test]
    fn protobuf_first_falls_back_to_json() {
        let accept = "application/vnd.kubernetes.protobuf,application/json";
        assert_eq!(negotiated(accept, Endpoint::List), Negotiated::JSON);
        let watch = "application/vnd.kubernetes.protobuf;stream=watch,application/json";
        assert_eq!(negotiated(watch, Endpoint::Watch), Negotiated::JSON);
    }

    #[test]
    fn only_unwritable_types_are_not_acceptable() {
        for accept in [
            "application/vnd.kubernetes.protobuf",
            "text/html",
            "application/json;as=Table;v=v2;g=meta.k8s.io",
            "application/json;as=Table;v=v1;g=example.com",
            "application/json;as=Scale;v=v1;g=meta.k8s.io",
        ] {
            let status = negotiate(Some(accept), Endpoint::List).unwrap_err();
            assert!(status.is(StatusReason::NotAcceptable), "{accept}");
            assert_eq!(status.code, 406);
            assert!(status.message.contains("application/json"), "{}", status.message);
        }
        assert!(negotiate(Some("application/yaml"), Endpoint::Watch).is_err());
    }

    #[test]
    fn partial_metadata_matches_the_endpoint_shape() {
        let object = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
        let list = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
        assert_eq!(
            negotiated(object, Endpoint::Object).conversion,
            Conversion::PartialMetadata("v1")
        );
        assert_eq!(
            negotiated(object, Endpoint::Watch).conversion,
            Conversion::PartialMetadata("v1")
        );
        assert_eq!(negotiated(list, Endpoint::List).conversion, Conversion::PartialMetadata("v1"));
        assert!(negotiate(Some(object), Endpoint::List).is_err());
        assert!(negotiate(Some(list), Endpoint::Object).is_err());
    }

    #[test]
    fn quality_orders_clauses() {
        let accept = "application/json;q=0.5, application/yaml";
        assert_eq!(negotiated(accept, Endpoint::Object).media, MediaType::Yaml);
        let refused = "application/yaml;q=0, application/json;q=0.1";
        assert_eq!(negotiated(refused, Endpoint::Object).media, MediaType::Json);
    }

    #[test]
    fn body_formats() {
        assert_eq!(body_format(None), Ok(BodyFormat::Json));
        assert_eq!(body_format(Some("application/json; charset=utf-8")), Ok(BodyFormat::Json));
        assert_eq!(body_format(Some("application/yaml")), Ok(BodyFormat::Yaml));
        let status = body_format(Some("application/vnd.kubernetes.protobuf")).unwrap_err();
        assert_eq!(status.code, 415);
        assert!(status.message.contains("application/yaml"), "{}", status.message);
    }
}
