//! The string formats the API constrains (DNS labels and subdomains, C identifiers, environment
//! variable names, config keys, port names and numbers, percentages), each returning upstream's
//! exact explanations so a caller can wrap them in the field error upstream uses.
//!
//! Every function returns the list of problems; an empty list means the value is valid. Label
//! keys and values live in [`crate::labels`] ([`crate::labels::qualified_name_errors`],
//! [`crate::labels::label_value_errors`]) and are reused from there.

/// Longest DNS-1123 or DNS-1035 label.
pub const DNS1123_LABEL_MAX_LENGTH: usize = 63;
/// Longest DNS-1123 subdomain, and longest config key.
pub const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;
/// Longest IANA service (port) name.
const PORT_NAME_MAX_LENGTH: usize = 15;

const DNS1123_LABEL_FORMAT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_RULE: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FORMAT: &str =
    r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_RULE: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FORMAT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_RULE: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const C_IDENTIFIER_FORMAT: &str = "[A-Za-z_][A-Za-z0-9_]*";
const C_IDENTIFIER_RULE: &str = "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";
const ENV_VAR_NAME_FORMAT: &str = "[-._a-zA-Z][-._a-zA-Z0-9]*";
const ENV_VAR_NAME_RULE: &str = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
const CONFIG_KEY_FORMAT: &str = "[-._a-zA-Z0-9]+";
const CONFIG_KEY_RULE: &str =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const PERCENT_FORMAT: &str = "[0-9]+%";
const PERCENT_RULE: &str =
    "a valid percent string must be a numeric string followed by an ending '%'";

/// Problems with a DNS-1123 label (`my-name`): container, port and volume names, namespaces.
pub fn dns1123_label_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_LABEL_MAX_LENGTH {
        errors.push(max_length_message(DNS1123_LABEL_MAX_LENGTH));
    }
    if !is_dns1123_label(value) {
        if is_dns1123_subdomain(value) {
            // A subdomain that is not a label differs only by its dots; say so plainly.
            errors.push("must not contain dots".to_string());
        } else {
            errors.push(regex_message(
                DNS1123_LABEL_RULE,
                DNS1123_LABEL_FORMAT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errors
}

/// Problems with a DNS-1123 subdomain (`example.com`): most object names.
pub fn dns1123_subdomain_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errors.push(max_length_message(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if !is_dns1123_subdomain(value) {
        errors.push(regex_message(
            DNS1123_SUBDOMAIN_RULE,
            DNS1123_SUBDOMAIN_FORMAT,
            &["example.com"],
        ));
    }
    errors
}

/// Problems with a DNS-1035 label (`my-name`, starting with a letter): service names, which
/// become DNS names and environment variable prefixes.
pub fn dns1035_label_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_LABEL_MAX_LENGTH {
        errors.push(max_length_message(DNS1123_LABEL_MAX_LENGTH));
    }
    let starts_with_letter = value.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    if !(starts_with_letter && is_dns1123_label(value)) {
        errors.push(regex_message(
            DNS1035_LABEL_RULE,
            DNS1035_LABEL_FORMAT,
            &["my-name", "abc-123"],
        ));
    }
    errors
}

/// Problems with a C identifier (`MY_NAME`): names that must be usable as shell variables.
pub fn c_identifier_errors(value: &str) -> Vec<String> {
    let bytes = value.as_bytes();
    let valid = matches!(bytes.first(), Some(first) if first.is_ascii_alphabetic() || *first == b'_')
        && bytes.iter().all(|byte| byte.is_ascii_alphanumeric() || *byte == b'_');
    if valid {
        Vec::new()
    } else {
        vec![regex_message(
            C_IDENTIFIER_RULE,
            C_IDENTIFIER_FORMAT,
            &["my_name", "MY_NAME", "MyName"],
        )]
    }
}

/// Problems with an environment variable name (`my.env-name`), the default rule for container
/// `env` entries.
pub fn env_var_name_errors(value: &str) -> Vec<String> {
    let bytes = value.as_bytes();
    let is_name_byte =
        |byte: &u8| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_');
    let valid = matches!(bytes.first(), Some(first) if !first.is_ascii_digit() && is_name_byte(first))
        && bytes.iter().all(is_name_byte);
    let mut errors = Vec::new();
    if !valid {
        errors.push(regex_message(
            ENV_VAR_NAME_RULE,
            ENV_VAR_NAME_FORMAT,
            &["my.env-name", "MY_ENV.NAME", "MyEnvName1"],
        ));
    }
    errors.extend(relative_directory_errors(value));
    errors
}

/// Problems with a ConfigMap or Secret key (`key.name`), which becomes a file name when mounted.
pub fn config_map_key_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errors.push(max_length_message(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    let valid = !value.is_empty()
        && value
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_'));
    if !valid {
        errors.push(regex_message(
            CONFIG_KEY_RULE,
            CONFIG_KEY_FORMAT,
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    errors.extend(relative_directory_errors(value));
    errors
}

/// Problems with an IANA service name used as a port name (`http`, `metrics-1`).
pub fn port_name_errors(port: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if port.len() > PORT_NAME_MAX_LENGTH {
        errors.push(max_length_message(PORT_NAME_MAX_LENGTH));
    }
    if port.is_empty()
        || !port
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
    {
        errors.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string(),
        );
    }
    if !port.bytes().any(|byte| byte.is_ascii_lowercase()) {
        errors.push("must contain at least one letter (a-z)".to_string());
    }
    if port.contains("--") {
        errors.push("must not contain consecutive hyphens".to_string());
    }
    if port.starts_with('-') || port.ends_with('-') {
        errors.push("must not begin or end with a hyphen".to_string());
    }
    errors
}

/// Problems with a port number: it must lie in 1..=65535.
pub fn port_number_errors(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) { Vec::new() } else { vec![inclusive_range_message(1, 65535)] }
}

/// Problems with a percentage written as a string (`25%`).
pub fn percent_errors(value: &str) -> Vec<String> {
    let valid = value
        .strip_suffix('%')
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    if valid {
        Vec::new()
    } else {
        vec![regex_message(PERCENT_RULE, PERCENT_FORMAT, &["1%", "93%"])]
    }
}

/// A rule for object names: the problems with `name`, where `prefix` says the name is a
/// `generateName` prefix that will have a random suffix appended (so a trailing `-` is fine).
pub type NameRule = fn(name: &str, prefix: bool) -> Vec<String>;

/// Names that must be DNS-1123 subdomains: most kinds.
pub fn name_is_dns_subdomain(name: &str, prefix: bool) -> Vec<String> {
    dns1123_subdomain_errors(&mask_trailing_dash(name, prefix))
}

/// Names that must be DNS-1123 labels: namespaces.
pub fn name_is_dns_label(name: &str, prefix: bool) -> Vec<String> {
    dns1123_label_errors(&mask_trailing_dash(name, prefix))
}

/// Names that must be DNS-1035 labels: services.
pub fn name_is_dns1035_label(name: &str, prefix: bool) -> Vec<String> {
    dns1035_label_errors(&mask_trailing_dash(name, prefix))
}

/// Makes a `generateName` prefix checkable as a whole name: a trailing dash will be followed by
/// generated characters. Upstream drops the last two characters and appends `a`; the same is done
/// here so that borderline prefixes are judged identically.
fn mask_trailing_dash(name: &str, prefix: bool) -> String {
    if prefix && name.len() > 1 && name.ends_with('-') {
        let keep = name.char_indices().rev().nth(1).map_or(0, |(index, _)| index);
        format!("{}a", &name[..keep])
    } else {
        name.to_string()
    }
}

/// `.`, `..` and names starting with `..` would escape or alias directories when used as file
/// names.
fn relative_directory_errors(value: &str) -> Vec<String> {
    let message = if value == "." {
        "must not be '.'"
    } else if value == ".." {
        "must not be '..'"
    } else if value.starts_with("..") {
        "must not start with '..'"
    } else {
        return Vec::new();
    };
    vec![message.to_string()]
}

/// Upstream's "must be no more than N characters".
pub fn max_length_message(limit: usize) -> String {
    format!("must be no more than {limit} characters")
}

/// Upstream's "must be between LO and HI, inclusive".
pub fn inclusive_range_message(low: i64, high: i64) -> String {
    format!("must be between {low} and {high}, inclusive")
}

/// Upstream's sentence for a value that fails a format: the rule, then examples each followed by
/// `', '` and joined with ` or ` (hence the doubled space), then the regex.
pub fn regex_message(rule: &str, format: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{rule} (regex used for validation is '{format}')");
    }
    let examples: Vec<String> = examples.iter().map(|example| format!("'{example}', ")).collect();
    format!("{rule} (e.g. {}regex used for validation is '{format}')", examples.join(" or "))
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
fn is_dns1123_label(text: &str) -> bool {
    let edge = |byte: u8| byte.is_ascii_lowercase() || byte.is_ascii_digit();
    match text.as_bytes() {
        [] => false,
        [only] => edge(*only),
        [first, middle @ .., last] => {
            edge(*first) && edge(*last) && middle.iter().all(|b| edge(*b) || *b == b'-')
        }
    }
}

/// Dot-separated DNS-1123 labels.
fn is_dns1123_subdomain(text: &str) -> bool {
    text.split('.').all(is_dns1123_label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns1123_label() {
        assert!(dns1123_label_errors("my-name").is_empty());
        assert!(dns1123_label_errors("0").is_empty());
        assert_eq!(
            dns1123_label_errors("My_Name"),
            [
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            ]
        );
        assert_eq!(dns1123_label_errors("a.b"), ["must not contain dots"]);
        assert_eq!(dns1123_label_errors(&"a".repeat(64)), ["must be no more than 63 characters"]);
        assert_eq!(dns1123_label_errors("").len(), 1);
    }

    #[test]
    fn dns1123_subdomain() {
        assert!(dns1123_subdomain_errors("example.com").is_empty());
        assert_eq!(
            dns1123_subdomain_errors("-x"),
            [
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            ]
        );
        assert!(dns1123_subdomain_errors("a..b").len() == 1);
        let long = format!("{}.{}", "a".repeat(63), "b".repeat(190));
        assert_eq!(dns1123_subdomain_errors(&long), ["must be no more than 253 characters"]);
    }

    #[test]
    fn dns1035_label() {
        assert!(dns1035_label_errors("web-1").is_empty());
        assert_eq!(
            dns1035_label_errors("1web"),
            [
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
            ]
        );
    }

    #[test]
    fn c_identifier_and_env_var_name() {
        assert!(c_identifier_errors("_MY_VAR1").is_empty());
        assert_eq!(
            c_identifier_errors("1abc"),
            [
                "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')"
            ]
        );
        assert!(env_var_name_errors("my.env-name").is_empty());
        assert_eq!(env_var_name_errors("1x").len(), 1);
        assert_eq!(
            env_var_name_errors(".."),
            ["must not be '..'"],
            "'..' matches the pattern but is a relative directory"
        );
    }

    #[test]
    fn config_keys() {
        assert!(config_map_key_errors("tls.crt").is_empty());
        assert_eq!(
            config_map_key_errors("a/b"),
            [
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
            ]
        );
        assert_eq!(config_map_key_errors("."), ["must not be '.'"]);
        assert_eq!(config_map_key_errors("..a"), ["must not start with '..'"]);
        assert_eq!(config_map_key_errors("").len(), 1);
    }

    #[test]
    fn port_names_and_numbers() {
        assert!(port_name_errors("http-2").is_empty());
        assert_eq!(
            port_name_errors("-A--"),
            [
                "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "must contain at least one letter (a-z)",
                "must not contain consecutive hyphens",
                "must not begin or end with a hyphen",
            ]
        );
        assert_eq!(port_name_errors("abcdefghijklmnop"), ["must be no more than 15 characters"]);
        assert!(port_number_errors(65535).is_empty());
        assert_eq!(port_number_errors(0), ["must be between 1 and 65535, inclusive"]);
    }

    #[test]
    fn percentages() {
        assert!(percent_errors("25%").is_empty());
        assert_eq!(
            percent_errors("25"),
            [
                "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
            ]
        );
    }

    #[test]
    fn generate_name_prefixes_may_end_in_a_dash() {
        assert!(name_is_dns_subdomain("web-", true).is_empty());
        assert_eq!(name_is_dns_subdomain("web-", false).len(), 1);
        assert_eq!(mask_trailing_dash("ab-", true), "aa");
        assert_eq!(mask_trailing_dash("-", true), "-");
        assert_eq!(name_is_dns_subdomain("-", true).len(), 1);
        assert!(name_is_dns_label("ns-", true).is_empty());
        assert!(name_is_dns1035_label("svc-", true).is_empty());
    }

    #[test]
    fn regex_message_without_examples() {
        assert_eq!(regex_message("rule", "x+", &[]), "rule (regex used for validation is 'x+')");
    }
}
