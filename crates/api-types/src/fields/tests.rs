//! Behaviour of field selectors against upstream's parser, escaping and matcher.

use super::*;
use std::collections::BTreeMap;

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(field, value)| (field.to_string(), value.to_string())).collect()
}

fn parsed(text: &str) -> FieldSelector {
    FieldSelector::parse(text).unwrap_or_else(|error| panic!("{text:?} should parse: {error}"))
}

fn parse_error(text: &str) -> String {
    match FieldSelector::parse(text) {
        Ok(selector) => panic!("{text:?} should be rejected, parsed as {selector}"),
        Err(error) => error.to_string(),
    }
}

fn term(field: &str, operator: FieldOperator, value: &str) -> FieldRequirement {
    FieldRequirement { field: field.to_string(), operator, value: value.to_string() }
}

#[test]
fn empty_selectors_match_everything() {
    for text in ["", ",", ",,"] {
        let selector = parsed(text);
        assert!(selector.is_empty(), "{text:?}");
        assert!(selector.matches(&fields(&[])));
        assert!(selector.matches(&fields(&[("metadata.name", "x")])));
        assert_eq!(selector.to_string(), "");
    }
    assert_eq!(FieldSelector::everything(), parsed(""));
}

#[test]
fn terms_without_a_field_are_kept_for_the_caller_to_refuse() {
    // As upstream: `=` and `==` parse to a term on the empty field, which the apiserver refuses
    // (`field label not supported: `); only a transform that accepts it drops it.
    for text in ["=", "==", "==x"] {
        let selector = parsed(text);
        assert_eq!(selector.requirements().len(), 1, "{text:?}");
        assert_eq!(selector.requirements()[0].field, "", "{text:?}");
    }
    let accepted =
        parsed("=").transform(|field, value| Ok::<_, ()>((field.to_string(), value.to_string())));
    assert!(accepted.unwrap().is_empty());
}

#[test]
fn each_operator_parses() {
    assert_eq!(parsed("a=b").requirements(), [term("a", FieldOperator::Equals, "b")]);
    assert_eq!(parsed("a==b").requirements(), [term("a", FieldOperator::Equals, "b")]);
    assert_eq!(parsed("a!=b").requirements(), [term("a", FieldOperator::NotEquals, "b")]);
    assert_eq!(parsed("a==b").to_string(), "a=b");
    assert_eq!(parsed("a!=b").to_string(), "a!=b");
}

#[test]
fn terms_are_sorted_and_empty_terms_skipped() {
    let selector = parsed("status.phase!=Running,,metadata.name=web,");
    assert_eq!(selector.to_string(), "metadata.name=web,status.phase!=Running");
    assert_eq!(selector.requirements().len(), 2);
}

#[test]
fn the_first_operator_position_splits_the_term() {
    assert_eq!(parsed("a!b=c").requirements(), [term("a!b", FieldOperator::Equals, "c")]);
    assert_eq!(parsed("=x").requirements(), [term("", FieldOperator::Equals, "x")]);
    assert_eq!(parsed("a=").requirements(), [term("a", FieldOperator::Equals, "")]);
    assert_eq!(parsed("a!=").requirements(), [term("a", FieldOperator::NotEquals, "")]);
}

#[test]
fn whitespace_is_part_of_names_and_values() {
    assert_eq!(parsed("a = b").requirements(), [term("a ", FieldOperator::Equals, " b")]);
}

#[test]
fn terms_without_an_operator_are_rejected() {
    assert_eq!(parse_error("a=b,c"), "invalid selector: 'a=b,c'; can't understand 'c'");
    assert_eq!(parse_error("a<b"), "invalid selector: 'a<b'; can't understand 'a<b'");
}

#[test]
fn unescaped_separators_in_values_are_rejected_by_code_point() {
    assert_eq!(parse_error("a=b=c"), "invalid field selector: unescaped character in value: 61");
    assert_eq!(parse_error("a===b"), "invalid field selector: unescaped character in value: 61");
    // The field name has no escaping, so an escaped `=` there still splits the term.
    assert_eq!(parse_error("a\\=b=c"), "invalid field selector: unescaped character in value: 61");
}

#[test]
fn invalid_escape_sequences_are_rejected() {
    assert_eq!(parse_error("a=x\\y"), "invalid field selector: invalid escape sequence: \\y");
    assert_eq!(parse_error("a=x\\"), "invalid field selector: invalid escape sequence: \\");
    assert_eq!(parse_error("a=\\ü"), "invalid field selector: invalid escape sequence: \\ü");
}

#[test]
fn escaped_values_are_unescaped_and_printed_escaped() {
    let selector = parsed("a=x\\,y,b=p\\=q,c!=back\\\\slash");
    assert_eq!(
        selector.requirements(),
        [
            term("a", FieldOperator::Equals, "x,y"),
            term("b", FieldOperator::Equals, "p=q"),
            term("c", FieldOperator::NotEquals, "back\\slash"),
        ]
    );
    assert_eq!(selector.to_string(), "a=x\\,y,b=p\\=q,c!=back\\\\slash");
    assert!(selector.matches(&fields(&[("a", "x,y"), ("b", "p=q"), ("c", "other")])));
}

#[test]
fn escape_and_unescape_round_trip() {
    for value in ["", "plain", "a,b", "a=b", "a\\b", "\\,=\\\\", "ünï,cødé"] {
        let escaped = escape_value(value);
        assert_eq!(unescape_value(&escaped).expect("own escaping is valid"), value);
    }
    assert_eq!(escape_value("a,b=c\\d"), "a\\,b\\=c\\\\d");
    assert_eq!(
        unescape_value("a,b"),
        Err(FieldSelectorError::UnescapedCharacter { character: ',' })
    );
}

#[test]
fn absent_fields_count_as_empty_strings() {
    assert!(parsed("spec.nodeName=").matches(&fields(&[])));
    assert!(!parsed("spec.nodeName=").matches(&fields(&[("spec.nodeName", "n1")])));
    assert!(!parsed("spec.nodeName!=").matches(&fields(&[])));
    assert!(parsed("spec.nodeName!=").matches(&fields(&[("spec.nodeName", "n1")])));
    assert!(parsed("status.phase!=Running").matches(&fields(&[])));
    assert!(!parsed("status.phase=Running").matches(&fields(&[])));
}

#[test]
fn all_terms_must_hold() {
    let selector = parsed("metadata.namespace=default,status.phase!=Failed");
    assert!(
        selector
            .matches(&fields(&[("metadata.namespace", "default"), ("status.phase", "Running")]))
    );
    assert!(
        !selector
            .matches(&fields(&[("metadata.namespace", "default"), ("status.phase", "Failed")]))
    );
    assert!(!selector.matches(&fields(&[("metadata.namespace", "kube-system")])));
}

#[test]
fn matching_through_a_lookup_function() {
    let selector = parsed("metadata.name=web,spec.nodeName=n1");
    let name = String::from("web");
    let lookup = |field: &str| match field {
        "metadata.name" => Some(name.as_str()),
        "spec.nodeName" => Some("n1"),
        _ => None,
    };
    assert!(selector.matches_with(lookup));
    assert!(!parsed("metadata.name=db").matches_with(lookup));
    assert!(parsed("status.podIP=").matches_with(lookup));
}

#[test]
fn exact_match_comes_only_from_equality_terms() {
    let selector = parsed("spec.nodeName=n1,status.phase!=Failed");
    assert_eq!(selector.requires_exact_match("spec.nodeName"), Some("n1"));
    assert_eq!(selector.requires_exact_match("status.phase"), None);
    assert_eq!(selector.requires_exact_match("metadata.name"), None);
    assert_eq!(parsed("a==x\\,y").requires_exact_match("a"), Some("x,y"));
    assert_eq!(parsed("").requires_exact_match("a"), None);
}

#[test]
fn constructors_from_terms_and_sets() {
    let single = FieldSelector::one_term_equal("metadata.name", "web,1");
    assert_eq!(single.to_string(), "metadata.name=web\\,1");
    assert_eq!(parsed(&single.to_string()), single);

    let from_set = FieldSelector::from_set(&fields(&[("b", "2"), ("a", "1")]));
    assert_eq!(from_set.to_string(), "a=1,b=2");
    assert!(from_set.matches(&fields(&[("a", "1"), ("b", "2")])));
    assert!(FieldSelector::from_set(&BTreeMap::new()).is_empty());
}

#[test]
fn print_and_reparse_is_stable() {
    for text in [
        "b=1,a=2",
        "x!=,y==z",
        "a=x\\,y\\=z\\\\,b!=c",
        "metadata.name=web,status.phase!=Running,spec.nodeName=n1",
    ] {
        let first = parsed(text);
        let printed = first.to_string();
        let second = parsed(&printed);
        assert_eq!(first, second, "{text:?} -> {printed:?}");
        assert_eq!(second.to_string(), printed);
    }
}

#[test]
fn transform_renames_rejects_and_drops_terms() {
    let renamed = parsed("spec.host=n1,metadata.name=web")
        .transform(|field, value| {
            let field = if field == "spec.host" { "spec.nodeName" } else { field };
            Ok::<_, String>((field.to_string(), value.to_string()))
        })
        .expect("all fields supported");
    assert_eq!(renamed.to_string(), "metadata.name=web,spec.nodeName=n1");

    let rejected = parsed("spec.unknown=x").transform(|field, _| {
        Err::<(String, String), String>(format!("field label not supported: {field}"))
    });
    assert_eq!(rejected.unwrap_err(), "field label not supported: spec.unknown");

    let dropped = parsed("a=b,c=d")
        .transform(|field, value| {
            Ok::<_, String>(if field == "a" {
                (String::new(), String::new())
            } else {
                (field.to_string(), value.to_string())
            })
        })
        .expect("no errors");
    assert_eq!(dropped.to_string(), "c=d");
}

#[test]
fn from_str_parses_like_parse() {
    let selector: FieldSelector = "a=b".parse().expect("valid selector");
    assert_eq!(selector, parsed("a=b"));
    assert!("nonsense".parse::<FieldSelector>().is_err());
}
