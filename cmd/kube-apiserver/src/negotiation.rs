//! Content negotiation: which representation a client asked for in its `Accept` header.
//!
//! Upstream reads `Accept` as a list of clauses ordered by preference and serves the first clause
//! it can: a serialization format it writes, optionally with a request (`as`, `g`, `v`) to
//! transform the response into another kind (`Table`, `PartialObjectMetadata`, the aggregated
//! discovery document) that the endpoint allows. A clause the endpoint cannot serve is skipped,
//! never an error; only when no clause is left does the client get 406. kubectl relies on this:
//! `kubectl get` asks for `Table` first and plain JSON last, discovery asks for the aggregated
//! document first and plain JSON last.
//!
//! [`preferences`] lists what a header asks for, in order; [`negotiate`] picks the first entry an
//! [`Offer`] allows.

use api_types::meta::v1::Status;
use std::cmp::Ordering;

/// The group of the kinds a response can be turned into (`Table`, `PartialObjectMetadata`).
const META_GROUP: &str = "meta.k8s.io";
/// The group of the aggregated discovery document.
const DISCOVERY_GROUP: &str = "apidiscovery.k8s.io";

/// A serialization a client can name. Every endpoint writes JSON, most YAML; protobuf is written
/// for objects of kinds with protobuf tables, and only to clients that accept nothing this server
/// prefers (kubectl 1.32+ and client-go accept protobuf first but JSON too, and get JSON). CBOR
/// (behind a feature gate upstream) is recognised so that a clause naming it is skipped rather
/// than misread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    Protobuf,
    Cbor,
}

impl Format {
    /// The media type as written in `Content-Type`.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Yaml => "application/yaml",
            Format::Protobuf => "application/vnd.kubernetes.protobuf",
            Format::Cbor => "application/cbor",
        }
    }

    /// Whether this server can write any document in the format (protobuf only some).
    pub fn is_served(self) -> bool {
        matches!(self, Format::Json | Format::Yaml)
    }

    /// Whether watch events can be streamed in this format (`;stream=watch`). Upstream has no
    /// YAML stream serializer.
    fn streams(self) -> bool {
        matches!(self, Format::Json | Format::Protobuf | Format::Cbor)
    }

    /// The format a media range names; wildcards resolve to JSON, the first format upstream
    /// lists for every endpoint.
    fn for_range(type_: &str, subtype: &str) -> Option<Format> {
        match (type_, subtype) {
            ("*", "*") | ("application", "*") | ("application", "json") => Some(Format::Json),
            ("application", "yaml") => Some(Format::Yaml),
            ("application", "vnd.kubernetes.protobuf") => Some(Format::Protobuf),
            ("application", "cbor") => Some(Format::Cbor),
            _ => None,
        }
    }
}

/// The version of a `meta.k8s.io` kind a client asked for; kubectl asks for `v1` and falls back
/// to `v1beta1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetaVersion {
    V1,
    V1Beta1,
}

impl MetaVersion {
    fn parse(version: &str) -> Option<Self> {
        match version {
            "v1" => Some(MetaVersion::V1),
            "v1beta1" => Some(MetaVersion::V1Beta1),
            _ => None,
        }
    }

    /// `meta.k8s.io/v1` or `meta.k8s.io/v1beta1`: the `apiVersion` of the transformed response.
    pub fn api_version(self) -> &'static str {
        match self {
            MetaVersion::V1 => "meta.k8s.io/v1",
            MetaVersion::V1Beta1 => "meta.k8s.io/v1beta1",
        }
    }
}

/// The version of the aggregated discovery document: kubectl 1.30+ asks for `v2` first, kubectl
/// 1.26-1.29 only knows `v2beta1`. Both carry the same fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiscoveryVersion {
    V2,
    V2Beta1,
}

impl DiscoveryVersion {
    fn parse(version: &str) -> Option<Self> {
        match version {
            "v2" => Some(DiscoveryVersion::V2),
            "v2beta1" => Some(DiscoveryVersion::V2Beta1),
            _ => None,
        }
    }

    /// The bare version (`v2`), as in the media type's `v` parameter.
    pub fn version(self) -> &'static str {
        match self {
            DiscoveryVersion::V2 => "v2",
            DiscoveryVersion::V2Beta1 => "v2beta1",
        }
    }

    /// `apidiscovery.k8s.io/v2` or `apidiscovery.k8s.io/v2beta1`.
    pub fn api_version(self) -> &'static str {
        match self {
            DiscoveryVersion::V2 => "apidiscovery.k8s.io/v2",
            DiscoveryVersion::V2Beta1 => "apidiscovery.k8s.io/v2beta1",
        }
    }
}

/// A request to answer with another kind than the endpoint's own, from the `as`, `g` and `v`
/// media type parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conversion {
    /// `as=Table;g=meta.k8s.io`: the server-side printing `kubectl get` shows.
    Table(MetaVersion),
    /// `as=PartialObjectMetadata;g=meta.k8s.io`: only the metadata of one object.
    PartialObjectMetadata(MetaVersion),
    /// `as=PartialObjectMetadataList;g=meta.k8s.io`: only the metadata of a list's items.
    PartialObjectMetadataList(MetaVersion),
    /// `as=APIGroupDiscoveryList;g=apidiscovery.k8s.io`: every group's resources in one document.
    AggregatedDiscovery(DiscoveryVersion),
    /// Any other kind; no endpoint serves it, so the clause is always skipped.
    Unknown { group: String, version: String, kind: String },
}

impl Conversion {
    fn parse(group: &str, version: &str, kind: &str) -> Conversion {
        let meta = (group == META_GROUP).then(|| MetaVersion::parse(version)).flatten();
        let discovery =
            (group == DISCOVERY_GROUP).then(|| DiscoveryVersion::parse(version)).flatten();
        match (kind, meta, discovery) {
            ("Table", Some(version), _) => Conversion::Table(version),
            ("PartialObjectMetadata", Some(version), _) => {
                Conversion::PartialObjectMetadata(version)
            }
            ("PartialObjectMetadataList", Some(version), _) => {
                Conversion::PartialObjectMetadataList(version)
            }
            ("APIGroupDiscoveryList", _, Some(version)) => Conversion::AggregatedDiscovery(version),
            _ => Conversion::Unknown {
                group: group.to_string(),
                version: version.to_string(),
                kind: kind.to_string(),
            },
        }
    }
}

/// One representation a client asked for: a format, maybe transformed into another kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaType {
    pub format: Format,
    pub conversion: Option<Conversion>,
    /// `;pretty=1`: indent the output for people.
    pub pretty: bool,
    /// `;stream=watch`: the watch event stream of the format.
    pub stream: Option<String>,
}

impl MediaType {
    /// Plain JSON, what a request without `Accept` gets.
    pub fn json() -> MediaType {
        MediaType { format: Format::Json, conversion: None, pretty: false, stream: None }
    }

    /// The response's `Content-Type`. Only the aggregated discovery document names its kind
    /// there (`application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`), which
    /// is how clients tell it from the legacy document; tables and metadata-only objects are
    /// sent as plain `application/json`, as upstream does.
    pub fn content_type(&self) -> String {
        match &self.conversion {
            Some(Conversion::AggregatedDiscovery(version)) => format!(
                "{};g={DISCOVERY_GROUP};v={};as=APIGroupDiscoveryList",
                self.format.media_type(),
                version.version()
            ),
            _ => self.format.media_type().to_string(),
        }
    }
}

/// One clause of an `Accept` header, parsed but not yet interpreted.
#[derive(Clone, Debug, PartialEq)]
pub struct MediaRange {
    /// Lower-cased; `*` for a wildcard.
    pub type_: String,
    /// Lower-cased; `*` for a wildcard.
    pub subtype: String,
    /// Parameters other than `q`, names lower-cased, values as sent (quotes removed).
    pub params: Vec<(String, String)>,
    /// The `q` parameter, 1 when absent.
    pub quality: f32,
}

impl MediaRange {
    /// The value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// How specific the range is: `*/*` < `type/*` < `type/subtype`.
    fn specificity(&self) -> u8 {
        match (self.type_.as_str(), self.subtype.as_str()) {
            ("*", _) => 0,
            (_, "*") => 1,
            _ => 2,
        }
    }

    fn parse(clause: &str) -> Option<MediaRange> {
        let mut parts = clause.split(';');
        let range = parts.next()?.trim().to_ascii_lowercase();
        let (type_, subtype) = match range.split_once('/') {
            Some((type_, subtype)) => (type_.trim().to_string(), subtype.trim().to_string()),
            None if range == "*" => ("*".to_string(), "*".to_string()),
            None => return None,
        };
        if type_.is_empty() || subtype.is_empty() {
            return None;
        }
        let mut params = Vec::new();
        let mut quality = 1.0;
        for param in parts {
            let Some((name, value)) = param.split_once('=') else { continue };
            let name = name.trim().to_ascii_lowercase();
            let value = value.trim().trim_matches('"').to_string();
            if name == "q" {
                quality = value.parse().unwrap_or(0.0);
            } else {
                params.push((name, value));
            }
        }
        Some(MediaRange { type_, subtype, params, quality })
    }

    /// What the clause asks for, or `None` when it names no format this module knows
    /// (`text/html`). Unknown parameters (`charset`) are ignored, as upstream does.
    fn interpret(&self) -> Option<MediaType> {
        let format = Format::for_range(&self.type_, &self.subtype)?;
        let (group, version, kind) = (self.param("g"), self.param("v"), self.param("as"));
        let conversion = (group.is_some() || version.is_some() || kind.is_some()).then(|| {
            Conversion::parse(group.unwrap_or(""), version.unwrap_or(""), kind.unwrap_or(""))
        });
        Some(MediaType {
            format,
            conversion,
            pretty: self.param("pretty") == Some("1"),
            stream: self.param("stream").filter(|stream| !stream.is_empty()).map(String::from),
        })
    }
}

/// The clauses of an `Accept` header, most preferred first: by quality, then by specificity,
/// then in the order sent. Clauses with `q=0` (explicitly unacceptable) and malformed clauses
/// are dropped.
pub fn parse_accept(header: &str) -> Vec<MediaRange> {
    let mut ranges: Vec<MediaRange> = header
        .split(',')
        .filter_map(MediaRange::parse)
        .filter(|range| range.quality > 0.0)
        .collect();
    ranges.sort_by(|a, b| {
        b.quality
            .partial_cmp(&a.quality)
            .unwrap_or(Ordering::Equal)
            .then(b.specificity().cmp(&a.specificity()))
    });
    ranges
}

/// What a client asked for, most preferred first, with wildcards resolved to JSON. Clauses that
/// name a format this module does not know are left out; protobuf and CBOR stay in (see
/// [`Format::is_served`]).
pub fn preferences(header: &str) -> Vec<MediaType> {
    parse_accept(header).iter().filter_map(MediaRange::interpret).collect()
}

/// What an endpoint can produce besides its own kind in JSON, which every endpoint produces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Offer {
    pub yaml: bool,
    /// Its own kind in protobuf (no tables, metadata views or event streams), for resources
    /// whose kind has protobuf tables.
    pub protobuf: bool,
    /// `Table` in JSON or YAML (endpoints of resources with a table convertor).
    pub table: bool,
    /// `PartialObjectMetadata` and `PartialObjectMetadataList`.
    pub partial_metadata: bool,
    /// The aggregated discovery document (`/api` and `/apis` only).
    pub aggregated_discovery: bool,
}

impl Offer {
    /// `/api` and `/apis`: the legacy or the aggregated discovery document.
    pub const DISCOVERY_ROOT: Offer = Offer {
        yaml: true,
        protobuf: false,
        table: false,
        partial_metadata: false,
        aggregated_discovery: true,
    };
    /// `/apis/<group>`, `/api/v1`, `/apis/<group>/<version>`, `/version` and the like.
    pub const DOCUMENT: Offer = Offer {
        yaml: true,
        protobuf: false,
        table: false,
        partial_metadata: false,
        aggregated_discovery: false,
    };
    /// A resource's objects and lists: tables for `kubectl get`, metadata-only views for
    /// garbage collection and quota controllers.
    pub const RESOURCE: Offer = Offer {
        yaml: true,
        protobuf: false,
        table: true,
        partial_metadata: true,
        aggregated_discovery: false,
    };

    /// Whether the endpoint can answer `media_type`, upstream's endpoint restrictions.
    pub fn allows(&self, media_type: &MediaType) -> bool {
        let format_served = match media_type.format {
            Format::Json => true,
            Format::Yaml => self.yaml,
            Format::Protobuf => {
                self.protobuf && media_type.conversion.is_none() && media_type.stream.is_none()
            }
            Format::Cbor => false,
        };
        let stream_served = match media_type.stream.as_deref() {
            None => true,
            Some(stream) => stream == "watch" && media_type.format.streams(),
        };
        let conversion_served = match &media_type.conversion {
            None => true,
            Some(Conversion::Table(_)) => self.table,
            Some(Conversion::PartialObjectMetadata(_))
            | Some(Conversion::PartialObjectMetadataList(_)) => self.partial_metadata,
            Some(Conversion::AggregatedDiscovery(_)) => self.aggregated_discovery,
            Some(Conversion::Unknown { .. }) => false,
        };
        format_served && stream_served && conversion_served
    }

    /// The media types listed in a 406, in upstream's order.
    fn media_types(&self) -> Vec<&'static str> {
        let mut types = vec![Format::Json.media_type()];
        if self.yaml {
            types.push(Format::Yaml.media_type());
        }
        if self.protobuf {
            types.push(Format::Protobuf.media_type());
        }
        types
    }
}

/// No clause of an `Accept` header can be served by the endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotAcceptable {
    /// The media types the endpoint can produce.
    pub accepted: Vec<&'static str>,
}

impl NotAcceptable {
    /// The 406 `Status` upstream writes, listing what the endpoint can produce.
    pub fn status(&self) -> Status {
        Status::not_acceptable(&self.accepted)
    }
}

/// The representation to answer with: the most preferred clause of `accept` that `offer`
/// allows, protobuf only when no other clause is allowed. No header (or an empty one) means
/// plain JSON.
pub fn negotiate(accept: Option<&str>, offer: Offer) -> Result<MediaType, NotAcceptable> {
    let header = accept.map(str::trim).unwrap_or("");
    if header.is_empty() {
        return Ok(MediaType::json());
    }
    let allowed: Vec<MediaType> =
        preferences(header).into_iter().filter(|media_type| offer.allows(media_type)).collect();
    let textual = allowed.iter().find(|media_type| media_type.format != Format::Protobuf);
    textual
        .or(allowed.first())
        .cloned()
        .ok_or_else(|| NotAcceptable { accepted: offer.media_types() })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `kubectl get` and `kubectl get -w`, 1.27 through 1.33 alike (captured from each
    /// release's kubectl pointed at a logging listener).
    const KUBECTL_GET: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
    /// Discovery of `/api` and `/apis` by kubectl 1.30 through 1.33.
    const KUBECTL_DISCOVERY_V2: &str = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    /// Discovery of `/api` and `/apis` by kubectl 1.27 through 1.29.
    const KUBECTL_DISCOVERY_V2BETA1: &str = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    /// `kubectl get --raw` and kubectl's version probe.
    const KUBECTL_RAW: &str = "application/json, */*";
    /// `kubectl get -o json|yaml`, `kubectl delete`, the Python client.
    const PLAIN_JSON: &str = "application/json";
    /// client-go's protobuf clients (controllers, the scheduler).
    const CLIENT_GO_PROTOBUF: &str = "application/vnd.kubernetes.protobuf, */*";

    fn aggregated(version: DiscoveryVersion) -> MediaType {
        MediaType {
            conversion: Some(Conversion::AggregatedDiscovery(version)),
            ..MediaType::json()
        }
    }

    fn table(version: MetaVersion) -> MediaType {
        MediaType { conversion: Some(Conversion::Table(version)), ..MediaType::json() }
    }

    #[test]
    fn kubectl_get_prefers_tables_then_json() {
        assert_eq!(
            preferences(KUBECTL_GET),
            vec![table(MetaVersion::V1), table(MetaVersion::V1Beta1), MediaType::json()]
        );
        assert_eq!(negotiate(Some(KUBECTL_GET), Offer::RESOURCE), Ok(table(MetaVersion::V1)));
        // A resource without a table convertor, or a discovery document, falls back to JSON.
        let no_table = Offer { table: false, ..Offer::RESOURCE };
        assert_eq!(negotiate(Some(KUBECTL_GET), no_table), Ok(MediaType::json()));
        assert_eq!(negotiate(Some(KUBECTL_GET), Offer::DOCUMENT), Ok(MediaType::json()));
    }

    #[test]
    fn kubectl_discovery_headers_pick_the_newest_document_offered() {
        assert_eq!(
            preferences(KUBECTL_DISCOVERY_V2),
            vec![
                aggregated(DiscoveryVersion::V2),
                aggregated(DiscoveryVersion::V2Beta1),
                MediaType::json()
            ]
        );
        assert_eq!(
            negotiate(Some(KUBECTL_DISCOVERY_V2), Offer::DISCOVERY_ROOT),
            Ok(aggregated(DiscoveryVersion::V2))
        );
        assert_eq!(
            negotiate(Some(KUBECTL_DISCOVERY_V2BETA1), Offer::DISCOVERY_ROOT),
            Ok(aggregated(DiscoveryVersion::V2Beta1))
        );
        // `/apis/apps` has no aggregated form: the same header gets the legacy document.
        assert_eq!(negotiate(Some(KUBECTL_DISCOVERY_V2), Offer::DOCUMENT), Ok(MediaType::json()));
    }

    #[test]
    fn aggregated_content_type_echoes_the_version_served() {
        assert_eq!(
            aggregated(DiscoveryVersion::V2).content_type(),
            api_types::meta::v1::AGGREGATED_DISCOVERY_MEDIA_TYPE
        );
        assert_eq!(
            aggregated(DiscoveryVersion::V2Beta1).content_type(),
            "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"
        );
        assert_eq!(table(MetaVersion::V1).content_type(), "application/json");
        assert_eq!(DiscoveryVersion::V2Beta1.api_version(), "apidiscovery.k8s.io/v2beta1");
        assert_eq!(MetaVersion::V1Beta1.api_version(), "meta.k8s.io/v1beta1");
    }

    #[test]
    fn plain_and_wildcard_headers_get_json() {
        for header in [PLAIN_JSON, KUBECTL_RAW, "*/*", "*", "application/*", ""] {
            assert_eq!(negotiate(Some(header), Offer::RESOURCE), Ok(MediaType::json()), "{header}");
        }
        assert_eq!(negotiate(None, Offer::DISCOVERY_ROOT), Ok(MediaType::json()));
        assert_eq!(preferences(KUBECTL_RAW), vec![MediaType::json(), MediaType::json()]);
    }

    #[test]
    fn protobuf_is_recognised_but_skipped() {
        let wanted = preferences(CLIENT_GO_PROTOBUF);
        assert_eq!(wanted[0].format, Format::Protobuf);
        assert!(!wanted[0].format.is_served());
        assert_eq!(negotiate(Some(CLIENT_GO_PROTOBUF), Offer::RESOURCE), Ok(MediaType::json()));

        let refused = negotiate(Some("application/vnd.kubernetes.protobuf"), Offer::RESOURCE)
            .expect_err("protobuf alone cannot be served")
            .status();
        assert_eq!(refused.code, 406);
        assert_eq!(refused.reason, "NotAcceptable");
        assert_eq!(
            refused.message,
            "only the following media types are accepted: application/json, application/yaml"
        );
    }

    /// kubectl 1.32 and 1.33 for the objects their generators create.
    const KUBECTL_PROTOBUF: &str = "application/vnd.kubernetes.protobuf,application/json";

    #[test]
    fn protobuf_is_answered_only_when_nothing_else_is_accepted() {
        let protobuf_kind = Offer { protobuf: true, ..Offer::RESOURCE };
        let protobuf = MediaType { format: Format::Protobuf, ..MediaType::json() };
        let alone = "application/vnd.kubernetes.protobuf";
        assert_eq!(negotiate(Some(alone), protobuf_kind), Ok(protobuf.clone()));
        assert_eq!(protobuf.content_type(), "application/vnd.kubernetes.protobuf");
        for header in [
            KUBECTL_PROTOBUF,
            CLIENT_GO_PROTOBUF,
            "application/vnd.kubernetes.protobuf;q=1, application/yaml;q=0.1",
        ] {
            let chosen = negotiate(Some(header), protobuf_kind).unwrap();
            assert_ne!(chosen.format, Format::Protobuf, "{header}");
        }
        // Never for tables, metadata views or watch streams.
        for header in [
            "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io",
            "application/vnd.kubernetes.protobuf;stream=watch",
        ] {
            assert!(negotiate(Some(header), protobuf_kind).is_err(), "{header}");
        }
        let refused = negotiate(Some("application/cbor"), protobuf_kind).unwrap_err().status();
        assert_eq!(
            refused.message,
            "only the following media types are accepted: application/json, application/yaml, \
             application/vnd.kubernetes.protobuf"
        );
    }

    #[test]
    fn yaml_is_served_where_offered() {
        let yaml = MediaType { format: Format::Yaml, ..MediaType::json() };
        assert_eq!(negotiate(Some("application/yaml"), Offer::DOCUMENT), Ok(yaml.clone()));
        assert_eq!(yaml.content_type(), "application/yaml");
        let json_only = Offer { yaml: false, ..Offer::DOCUMENT };
        let refused = negotiate(Some("application/yaml"), json_only).unwrap_err().status();
        assert_eq!(
            refused.message,
            "only the following media types are accepted: application/json"
        );
        let yaml_table = "application/yaml;as=Table;v=v1;g=meta.k8s.io";
        assert_eq!(
            negotiate(Some(yaml_table), Offer::RESOURCE),
            Ok(MediaType { format: Format::Yaml, ..table(MetaVersion::V1) })
        );
    }

    #[test]
    fn quality_orders_clauses_and_zero_excludes() {
        let header = "application/json;q=0.5, application/yaml;q=0.9, text/html";
        let formats: Vec<Format> = preferences(header).iter().map(|m| m.format).collect();
        assert_eq!(formats, vec![Format::Yaml, Format::Json]);

        let ranges = parse_accept("*/*;q=0.8, application/json ; q=0.8, application/*;q=0.8");
        let order: Vec<(&str, &str)> =
            ranges.iter().map(|r| (r.type_.as_str(), r.subtype.as_str())).collect();
        assert_eq!(order, vec![("application", "json"), ("application", "*"), ("*", "*")]);

        assert!(negotiate(Some("application/json;q=0"), Offer::RESOURCE).is_err());
        assert_eq!(parse_accept("application/json;q=0.1")[0].quality, 0.1);
    }

    #[test]
    fn parameters_are_read_case_insensitively_and_unknown_ones_ignored() {
        let header = "Application/JSON; charset=utf-8; AS=Table; G=meta.k8s.io; V=\"v1\"";
        assert_eq!(preferences(header), vec![table(MetaVersion::V1)]);
        let ranges = parse_accept(header);
        assert_eq!(ranges[0].param("charset"), Some("utf-8"));
        assert_eq!(ranges[0].param("missing"), None);
    }

    #[test]
    fn partial_metadata_and_unknown_conversions() {
        let header =
            "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
        let wanted = negotiate(Some(header), Offer::RESOURCE).unwrap();
        assert_eq!(wanted.conversion, Some(Conversion::PartialObjectMetadataList(MetaVersion::V1)));
        let single = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1";
        assert_eq!(
            negotiate(Some(single), Offer::RESOURCE).unwrap().conversion,
            Some(Conversion::PartialObjectMetadata(MetaVersion::V1Beta1))
        );

        // A kind named without its group, or a group version nobody serves, is never allowed.
        for header in [
            "application/json;as=Table",
            "application/json;as=Table;g=meta.k8s.io;v=v2",
            "application/json;as=APIGroupDiscoveryList;g=apidiscovery.k8s.io;v=v1",
        ] {
            let wanted = preferences(header);
            assert!(matches!(wanted[0].conversion, Some(Conversion::Unknown { .. })), "{header}");
            assert!(negotiate(Some(header), Offer::DISCOVERY_ROOT).is_err(), "{header}");
            assert!(negotiate(Some(header), Offer::RESOURCE).is_err(), "{header}");
        }
    }

    #[test]
    fn pretty_and_watch_streams() {
        let pretty = negotiate(Some("application/json;pretty=1"), Offer::RESOURCE).unwrap();
        assert!(pretty.pretty);

        let watch = negotiate(Some("application/json;stream=watch"), Offer::RESOURCE).unwrap();
        assert_eq!(watch.stream.as_deref(), Some("watch"));
        // Upstream has no YAML event stream, and no stream but `watch`.
        let header = "application/yaml;stream=watch, application/json;stream=other";
        assert!(negotiate(Some(header), Offer::RESOURCE).is_err());
    }

    #[test]
    fn malformed_clauses_are_dropped() {
        assert!(parse_accept("json, /, application/, ;q=1").is_empty());
        assert_eq!(preferences("text/html, application/json"), vec![MediaType::json()]);
        assert!(negotiate(Some("text/html"), Offer::RESOURCE).is_err());
    }
}
