//! The character rules for label keys and values, with upstream's wording so a rejected selector
//! reads the same as it would against a Go apiserver.
//!
//! The checks are hand-written rather than regex-driven; the regex text still appears in the
//! messages because clients and users have learned to read it there.

/// Longest name part of a key, and longest value.
const LABEL_MAX_LENGTH: usize = 63;
/// Longest DNS subdomain, the limit on a key's prefix.
const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;

const NAME_FORMAT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const NAME_RULE: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const VALUE_FORMAT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const VALUE_RULE: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const SUBDOMAIN_FORMAT: &str = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const SUBDOMAIN_RULE: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/// Problems with a label key (a "qualified name": optional DNS-subdomain prefix and `/`, then a
/// name of at most 63 characters); empty when the key is valid. Validation of object labels and of
/// selectors share these exact messages.
pub fn qualified_name_errors(value: &str) -> Vec<String> {
    let parts: Vec<&str> = value.split('/').collect();
    let mut errors = Vec::new();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errors.push("prefix part must be non-empty".to_string());
            } else {
                errors.extend(
                    dns1123_subdomain_errors(prefix)
                        .into_iter()
                        .map(|message| format!("prefix part {message}")),
                );
            }
            *name
        }
        _ => {
            return vec![format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_message(NAME_RULE, NAME_FORMAT, &["MyName", "my.name", "123-abc"])
            )];
        }
    };
    if name.is_empty() {
        errors.push("name part must be non-empty".to_string());
    } else if name.len() > LABEL_MAX_LENGTH {
        errors.push(format!("name part {}", max_length_message(LABEL_MAX_LENGTH)));
    }
    if !is_name_part(name) {
        errors.push(format!(
            "name part {}",
            regex_message(NAME_RULE, NAME_FORMAT, &["MyName", "my.name", "123-abc"])
        ));
    }
    errors
}

/// Problems with a label value (empty, or a name part of at most 63 characters); empty when valid.
pub fn label_value_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > LABEL_MAX_LENGTH {
        errors.push(max_length_message(LABEL_MAX_LENGTH));
    }
    if !value.is_empty() && !is_name_part(value) {
        errors.push(regex_message(VALUE_RULE, VALUE_FORMAT, &["MyValue", "my_value", "12345"]));
    }
    errors
}

fn dns1123_subdomain_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errors.push(max_length_message(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if !value.split('.').all(is_dns1123_label) {
        errors.push(regex_message(SUBDOMAIN_RULE, SUBDOMAIN_FORMAT, &["example.com"]));
    }
    errors
}

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`
fn is_name_part(text: &str) -> bool {
    is_bracketed_run(
        text,
        |byte| byte.is_ascii_alphanumeric(),
        |byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'),
    )
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
fn is_dns1123_label(text: &str) -> bool {
    let edge = |byte: u8| byte.is_ascii_lowercase() || byte.is_ascii_digit();
    is_bracketed_run(text, edge, |byte| edge(byte) || byte == b'-')
}

/// A non-empty run whose first and last bytes satisfy `edge` and whose inner bytes satisfy `inner`.
fn is_bracketed_run(text: &str, edge: impl Fn(u8) -> bool, inner: impl Fn(u8) -> bool) -> bool {
    match text.as_bytes() {
        [] => false,
        [only] => edge(*only),
        [first, middle @ .., last] => {
            edge(*first) && edge(*last) && middle.iter().all(|byte| inner(*byte))
        }
    }
}

fn max_length_message(limit: usize) -> String {
    format!("must be no more than {limit} characters")
}

/// Upstream's "rule (e.g. 'a',  or 'b', regex used for validation is '...')" sentence, including
/// its doubled space before "or".
fn regex_message(rule: &str, format: &str, examples: &[&str]) -> String {
    let examples: Vec<String> = examples.iter().map(|example| format!("'{example}', ")).collect();
    format!("{rule} (e.g. {}regex used for validation is '{format}')", examples.join(" or "))
}
