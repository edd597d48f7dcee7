//! Container image references (`nginx`, `localhost:5000/app:v1`, `app@sha256:...`), read the way
//! the apiserver reads them to pick a container's default `imagePullPolicy`.
//!
//! The grammar is the Docker distribution reference grammar, including its normalization of
//! short Docker Hub names (`nginx` is `docker.io/library/nginx`). Only a reference that parses
//! can carry a tag: one that does not is treated as untagged and unpinned, which is what upstream's
//! defaulter does when it ignores the parse error.

use std::fmt;

/// The registry Docker Hub references normalize to.
const DOCKER_HUB: &str = "docker.io";
/// Docker Hub's legacy name, normalized to [`DOCKER_HUB`].
const DOCKER_HUB_LEGACY: &str = "index.docker.io";
/// The namespace of Docker Hub's official images (`nginx` is `library/nginx`).
const OFFICIAL_NAMESPACE: &str = "library/";
/// The tag a reference with neither a tag nor a digest stands for.
pub const DEFAULT_TAG: &str = "latest";
/// Upstream's bound on the repository path, in bytes.
const MAX_PATH_LEN: usize = 255;
/// Upstream's bound on a tag: one leading word character and up to 127 more.
const MAX_TAG_LEN: usize = 128;

/// A parsed, normalized image reference: who to ask (`domain`), for what (`path`), and which
/// version (`tag` and/or `digest`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageReference {
    /// Registry host, with its port if any; `docker.io` for Docker Hub names.
    pub domain: String,
    /// Repository path inside the registry (`library/nginx`).
    pub path: String,
    /// The tag as written; `None` when the reference has none.
    pub tag: Option<String>,
    /// The digest (`sha256:<hex>`) as written; `None` when the reference has none.
    pub digest: Option<String>,
}

impl ImageReference {
    /// Parses `image` the way the apiserver and kubelet do, normalizing Docker Hub short names.
    pub fn parse(image: &str) -> Result<Self, ImageReferenceError> {
        if is_bare_identifier(image) {
            return Err(ImageReferenceError::BareIdentifier);
        }
        let (domain, remainder) = split_domain(image);
        let remote = remainder.split(':').next().unwrap_or_default();
        if remote.to_lowercase() != remote {
            return Err(ImageReferenceError::Uppercase);
        }
        parse_canonical(&format!("{domain}/{remainder}"))
    }

    /// The tag this reference pulls: its own tag, `latest` when it names neither a tag nor a
    /// digest, and `None` when it is pinned by digest alone.
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(tag), _) => Some(tag),
            (None, None) => Some(DEFAULT_TAG),
            (None, Some(_)) => None,
        }
    }

    /// The registry and repository, without tag or digest (`docker.io/library/nginx`).
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }
}

impl fmt::Display for ImageReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.domain, self.path)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// Why an image reference does not parse; the messages follow upstream's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImageReferenceError {
    /// The whole reference is 64 hex digits: an image ID, which cannot be pulled by name.
    #[error("invalid repository name, cannot specify 64-byte hexadecimal strings")]
    BareIdentifier,
    /// The repository path has uppercase letters, which registries do not allow.
    #[error("invalid reference format: repository name must be lowercase")]
    Uppercase,
    /// The text does not match the reference grammar.
    #[error("invalid reference format")]
    InvalidFormat,
    /// The repository path is longer than 255 characters.
    #[error("repository name must not be more than 255 characters")]
    NameTooLong,
    /// The digest names an algorithm other than sha256, sha384 or sha512.
    #[error("unsupported digest algorithm")]
    UnsupportedDigest,
    /// The digest's hex part is not as long as its algorithm's output.
    #[error("invalid checksum digest length")]
    DigestLength,
    /// The digest's hex part is not lowercase hex.
    #[error("invalid checksum digest format")]
    DigestFormat,
}

/// Splits off the registry the way Docker normalizes names: the first path element is a
/// registry only if it looks like one (`localhost`, contains `.` or `:`, or has uppercase
/// letters, which a repository cannot); otherwise the name lives on Docker Hub, where
/// single-element names are official images.
fn split_domain(image: &str) -> (&str, String) {
    let Some((first, rest)) = image.split_once('/') else {
        return (DOCKER_HUB, format!("{OFFICIAL_NAMESPACE}{image}"));
    };
    let (domain, remote) = if first == DOCKER_HUB_LEGACY {
        (DOCKER_HUB, rest)
    } else if first == "localhost" || first.contains(['.', ':']) || first.to_lowercase() != first {
        (first, rest)
    } else {
        (DOCKER_HUB, image)
    };
    if domain == DOCKER_HUB && !remote.contains('/') {
        (domain, format!("{OFFICIAL_NAMESPACE}{remote}"))
    } else {
        (domain, remote.to_string())
    }
}

/// The pieces of a reference that matches the grammar, before any semantic check.
struct Matched<'a> {
    domain: &'a str,
    path: &'a str,
    tag: Option<&'a str>,
    digest: Option<&'a str>,
}

/// Parses `name[:tag][@digest]`: the grammar first, then the path length, then the digest.
fn parse_canonical(reference: &str) -> Result<ImageReference, ImageReferenceError> {
    let Some(matched) = match_grammar(reference) else {
        let lowercase = reference.to_lowercase();
        return Err(if lowercase != reference && match_grammar(&lowercase).is_some() {
            ImageReferenceError::Uppercase
        } else {
            ImageReferenceError::InvalidFormat
        });
    };
    if matched.path.len() > MAX_PATH_LEN {
        return Err(ImageReferenceError::NameTooLong);
    }
    if let Some(digest) = matched.digest {
        validate_digest(digest)?;
    }
    Ok(ImageReference {
        domain: matched.domain.to_string(),
        path: matched.path.to_string(),
        tag: matched.tag.map(str::to_string),
        digest: matched.digest.map(str::to_string),
    })
}

/// Matches the reference grammar. Neither names nor tags contain `@`, so the digest follows
/// the first one; a tag follows the last `:` unless a `/` comes after it (then that `:` is a
/// registry port).
fn match_grammar(reference: &str) -> Option<Matched<'_>> {
    let (name_and_tag, digest) = match reference.split_once('@') {
        Some((name_and_tag, digest)) => (name_and_tag, Some(digest)),
        None => (reference, None),
    };
    let (name, tag) = match name_and_tag.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => (name, Some(tag)),
        _ => (name_and_tag, None),
    };
    let (domain, path) = split_name(name)?;
    let tag_ok = tag.is_none_or(is_tag);
    let digest_ok = digest.is_none_or(is_digest);
    (tag_ok && digest_ok).then_some(Matched { domain, path, tag, digest })
}

/// Splits a name into registry and repository path, preferring to read the first element as a
/// registry when both readings are valid (as the grammar's greedy optional group does).
fn split_name(name: &str) -> Option<(&str, &str)> {
    let with_domain = name
        .split_once('/')
        .filter(|(domain, path)| is_domain_and_port(domain) && is_remote_name(path));
    with_domain.or_else(|| is_remote_name(name).then_some(("", name)))
}

/// `host[:port]`, where host is a dotted DNS-like name or a bracketed IPv6 address.
fn is_domain_and_port(text: &str) -> bool {
    let (host_ok, port) = match text.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once(']') {
            Some((address, port)) => (is_ipv6_literal(address), port),
            None => return false,
        },
        None => {
            let host_len = text.find(':').unwrap_or(text.len());
            (is_domain_name(&text[..host_len]), &text[host_len..])
        }
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok
}

/// The inside of `[...]`: hex digits and colons, no zone.
fn is_ipv6_literal(address: &str) -> bool {
    !address.is_empty() && address.bytes().all(|b| b.is_ascii_hexdigit() || b == b':')
}

/// Dot-separated components of ASCII letters, digits and inner hyphens.
fn is_domain_name(host: &str) -> bool {
    host.split('.').all(|component| {
        let bytes = component.as_bytes();
        !bytes.is_empty()
            && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
            && bytes[0] != b'-'
            && bytes[bytes.len() - 1] != b'-'
    })
}

/// Slash-separated path components.
fn is_remote_name(path: &str) -> bool {
    path.split('/').all(is_path_component)
}

/// Lowercase alphanumeric runs joined by one `.`, one or two `_`, or any number of `-`.
fn is_path_component(component: &str) -> bool {
    let mut runs = 0;
    let mut separator = String::new();
    let mut alnum = false;
    for c in component.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if !alnum {
                if runs > 0 && !is_separator(&separator) {
                    return false;
                }
                separator.clear();
                runs += 1;
                alnum = true;
            }
        } else if matches!(c, '.' | '_' | '-') {
            if runs == 0 {
                return false;
            }
            separator.push(c);
            alnum = false;
        } else {
            return false;
        }
    }
    alnum
}

fn is_separator(separator: &str) -> bool {
    matches!(separator, "." | "_" | "__")
        || (!separator.is_empty() && separator.bytes().all(|b| b == b'-'))
}

/// A word character followed by up to 127 word characters, dots or hyphens.
fn is_tag(tag: &str) -> bool {
    let mut chars = tag.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    tag.len() <= MAX_TAG_LEN
        && (first.is_ascii_alphanumeric() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// `algorithm:hex`, where the algorithm is letter-led components joined by `-_+.` and the hex
/// part has at least 32 digits.
fn is_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let algorithm_ok = algorithm.split(['-', '_', '+', '.']).all(|component| {
        let mut chars = component.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric())
    });
    algorithm_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The digest must use an algorithm the apiserver knows, at that algorithm's exact length, in
/// lowercase hex.
fn validate_digest(digest: &str) -> Result<(), ImageReferenceError> {
    let (algorithm, hex) = digest.split_once(':').ok_or(ImageReferenceError::InvalidFormat)?;
    let expected_len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err(ImageReferenceError::UnsupportedDigest),
    };
    if hex.len() != expected_len {
        return Err(ImageReferenceError::DigestLength);
    }
    if !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(ImageReferenceError::DigestFormat);
    }
    Ok(())
}

/// Sixty-four lowercase hex digits alone: an image ID, not a name.
fn is_bare_identifier(image: &str) -> bool {
    image.len() == 64 && image.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa";

    fn parsed(image: &str) -> ImageReference {
        ImageReference::parse(image).unwrap_or_else(|err| panic!("{image}: {err}"))
    }

    #[test]
    fn docker_hub_short_names_normalize() {
        let reference = parsed("nginx");
        assert_eq!(reference.name(), "docker.io/library/nginx");
        assert_eq!(reference.tag, None);
        assert_eq!(parsed("user/app:1").name(), "docker.io/user/app");
        assert_eq!(parsed("docker.io/nginx").name(), "docker.io/library/nginx");
        assert_eq!(parsed("index.docker.io/library/nginx").name(), "docker.io/library/nginx");
        assert_eq!(parsed("nginx:1.7.9").to_string(), "docker.io/library/nginx:1.7.9");
    }

    #[test]
    fn registries_with_ports_are_not_tags() {
        let reference = parsed("localhost:5000/nginx");
        assert_eq!((reference.domain.as_str(), reference.tag), ("localhost:5000", None));
        let reference = parsed("registry.example.com:443/team/app:v2");
        assert_eq!(reference.domain, "registry.example.com:443");
        assert_eq!(reference.path, "team/app");
        assert_eq!(reference.tag.as_deref(), Some("v2"));
        assert_eq!(parsed("[::1]:5000/app:v1").domain, "[::1]:5000");
        assert_eq!(parsed("localhost/app").domain, "localhost");
        // A bare `host:port` with no path is a name and a tag.
        assert_eq!(parsed("localhost:5000").tag.as_deref(), Some("5000"));
    }

    #[test]
    fn digests_pin_without_a_tag() {
        let reference = parsed(&format!("nginx@{DIGEST}"));
        assert_eq!(reference.digest.as_deref(), Some(DIGEST));
        assert_eq!(reference.effective_tag(), None);
        let both = parsed(&format!("nginx:1.25@{DIGEST}"));
        assert_eq!(both.effective_tag(), Some("1.25"));
        assert_eq!(parsed("nginx").effective_tag(), Some("latest"));
    }

    #[test]
    fn malformed_references_are_rejected() {
        let cases = [
            ("", ImageReferenceError::InvalidFormat),
            ("Nginx", ImageReferenceError::Uppercase),
            ("localhost:5000/App:v1", ImageReferenceError::Uppercase),
            ("nginx:", ImageReferenceError::InvalidFormat),
            ("nginx:-bad", ImageReferenceError::InvalidFormat),
            ("nginx::1", ImageReferenceError::InvalidFormat),
            ("-nginx", ImageReferenceError::InvalidFormat),
            ("nginx--/x", ImageReferenceError::InvalidFormat),
            ("a..b", ImageReferenceError::InvalidFormat),
            ("a___b", ImageReferenceError::InvalidFormat),
            ("nginx@sha256:abc", ImageReferenceError::InvalidFormat),
            ("nginx@md5:0123456789abcdef0123456789abcdef", ImageReferenceError::UnsupportedDigest),
            ("nginx@sha256:0123456789abcdef0123456789abcdef", ImageReferenceError::DigestLength),
            (
                "nginx@sha256:7CC4B5AEFD1D0CADF8D97D4350462BA51C694EBCA145B08D7D41B41ACC8DB5AA",
                ImageReferenceError::DigestFormat,
            ),
            (
                "7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa",
                ImageReferenceError::BareIdentifier,
            ),
        ];
        for (image, expected) in cases {
            assert_eq!(ImageReference::parse(image), Err(expected), "{image:?}");
        }
        let long_path = format!("example.com/{}", "a".repeat(256));
        assert_eq!(ImageReference::parse(&long_path), Err(ImageReferenceError::NameTooLong));
        let long_tag = format!("nginx:{}", "v".repeat(129));
        assert_eq!(ImageReference::parse(&long_tag), Err(ImageReferenceError::InvalidFormat));
    }

    #[test]
    fn separators_follow_the_grammar() {
        for image in ["a.b", "a_b", "a__b", "a-b", "a---b", "a.b/c_d/e--f"] {
            assert!(ImageReference::parse(image).is_ok(), "{image:?}");
        }
        for image in ["a._b", "a.", "a/", "/a", "a//b", "a/.b"] {
            assert!(ImageReference::parse(image).is_err(), "{image:?}");
        }
    }
}
