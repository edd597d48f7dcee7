//! Behaviour of label selectors against upstream's parser, matcher and printer.

use super::*;
use crate::meta::v1::{LabelSelector, LabelSelectorRequirement};
use std::collections::BTreeMap;

const NAME_RULE_MESSAGE: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_RULE_MESSAGE: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect()
}

fn parsed(text: &str) -> Selector {
    Selector::parse(text).unwrap_or_else(|error| panic!("{text:?} should parse: {error}"))
}

fn parse_error(text: &str) -> String {
    match Selector::parse(text) {
        Ok(selector) => panic!("{text:?} should be rejected, parsed as {selector}"),
        Err(error) => error.to_string(),
    }
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| value.to_string()).collect()
}

fn expression(key: &str, operator: &str, values: &[&str]) -> LabelSelectorRequirement {
    LabelSelectorRequirement {
        key: key.to_string(),
        operator: operator.to_string(),
        values: strings(values),
    }
}

// ---- parsing and printing ----

#[test]
fn empty_and_blank_strings_select_everything() {
    for text in ["", "   ", "\t\r\n "] {
        let selector = parsed(text);
        assert!(selector.is_empty(), "{text:?}");
        assert!(!selector.selects_nothing());
        assert!(selector.requirements().is_empty());
        assert!(selector.matches(&labels(&[])));
        assert!(selector.matches(&labels(&[("a", "b")])));
        assert_eq!(selector.to_string(), "");
    }
}

#[test]
fn equality_operators_keep_their_spelling() {
    let cases = [
        ("a=b", Operator::Equals, "a=b"),
        ("a==b", Operator::DoubleEquals, "a==b"),
        ("a!=b", Operator::NotEquals, "a!=b"),
    ];
    for (text, operator, printed) in cases {
        let selector = parsed(text);
        let [requirement] = selector.requirements() else {
            panic!("{text:?} should have one requirement");
        };
        assert_eq!(requirement.key(), "a");
        assert_eq!(requirement.operator(), operator);
        assert_eq!(requirement.values(), strings(&["b"]).as_slice());
        assert_eq!(selector.to_string(), printed);
    }
}

#[test]
fn set_operators_sort_and_deduplicate_values() {
    let selector = parsed("env in (prod, dev, prod)");
    assert_eq!(selector.requirements()[0].operator(), Operator::In);
    assert_eq!(selector.requirements()[0].values(), strings(&["dev", "prod"]).as_slice());
    assert_eq!(selector.to_string(), "env in (dev,prod)");

    let selector = parsed("env notin (qa,dev)");
    assert_eq!(selector.requirements()[0].operator(), Operator::NotIn);
    assert_eq!(selector.to_string(), "env notin (dev,qa)");
}

#[test]
fn bare_key_is_exists_and_bang_is_does_not_exist() {
    let selector = parsed("!canary,app");
    let operators: Vec<Operator> =
        selector.requirements().iter().map(Requirement::operator).collect();
    assert_eq!(operators, [Operator::Exists, Operator::DoesNotExist]);
    assert_eq!(selector.to_string(), "app,!canary");
}

#[test]
fn requirements_are_sorted_by_key_and_stable_within_a_key() {
    let selector = parsed("z=1,a=2,m,a!=3");
    assert_eq!(selector.to_string(), "a=2,a!=3,m,z=1");
}

#[test]
fn whitespace_is_allowed_between_all_tokens() {
    let selector = parsed("  a = b ,\tc  in  ( x , y )\n, ! d ,e!=f,g notin(h)  ");
    assert_eq!(selector.to_string(), "a=b,c in (x,y),!d,e!=f,g notin (h)");
}

#[test]
fn empty_values_are_valid_everywhere() {
    assert_eq!(parsed("a=").requirements()[0].values(), strings(&[""]).as_slice());
    assert_eq!(parsed("a=,b=c").to_string(), "a=,b=c");
    assert_eq!(parsed("a in ()").requirements()[0].values(), strings(&[""]).as_slice());
    assert_eq!(parsed("a in (,x)").requirements()[0].values(), strings(&["", "x"]).as_slice());
    assert_eq!(parsed("a in (x,)").requirements()[0].values(), strings(&["", "x"]).as_slice());
    assert_eq!(
        parsed("a in (x,,y)").requirements()[0].values(),
        strings(&["", "x", "y"]).as_slice()
    );
    assert_eq!(parsed("a in (,)").requirements()[0].values(), strings(&[""]).as_slice());
    assert_eq!(parsed("a in ()").to_string(), "a in ()");
    assert_eq!(parsed("a in (x,)").to_string(), "a in (,x)");
}

#[test]
fn keywords_are_ordinary_words_as_keys_and_values() {
    let selector = parsed("in in (in,notin),notin=in");
    assert_eq!(selector.to_string(), "in in (in,notin),notin=in");
    assert!(selector.matches(&labels(&[("in", "notin"), ("notin", "in")])));
    assert_eq!(parsed("in").requirements()[0].operator(), Operator::Exists);
}

#[test]
fn prefixed_and_unusual_but_valid_keys_parse() {
    let selector = parsed("example.com/app=web,app.kubernetes.io/name,A_b.c-D=1");
    assert_eq!(selector.to_string(), "A_b.c-D=1,app.kubernetes.io/name,example.com/app=web");
}

#[test]
fn greater_and_less_than_parse_and_print() {
    assert_eq!(parsed("replicas>5").requirements()[0].operator(), Operator::GreaterThan);
    assert_eq!(parsed("replicas < 5").requirements()[0].operator(), Operator::LessThan);
    assert_eq!(parsed("b<10,a>5").to_string(), "a>5,b<10");
}

#[test]
fn parse_print_parse_is_stable() {
    let inputs = [
        "x in (foo,,baz),y,z notin ()",
        "a=b,!c,d!=e,f==g",
        "k in (z,y,x),k notin (a)",
        "n>3,n<10",
        "example.com/k=v,in=notin",
        "",
    ];
    for input in inputs {
        let first = parsed(input);
        let printed = first.to_string();
        let second = parsed(&printed);
        assert_eq!(first, second, "{input:?} -> {printed:?}");
        assert_eq!(second.to_string(), printed);
    }
}

#[test]
fn from_str_parses_like_parse() {
    let selector: Selector = "a=b".parse().expect("valid selector");
    assert_eq!(selector, parsed("a=b"));
    assert!("a b".parse::<Selector>().is_err());
}

// ---- matching ----

#[test]
fn equality_requires_the_key_with_that_value() {
    let selector = parsed("a=b");
    assert!(selector.matches(&labels(&[("a", "b"), ("c", "d")])));
    assert!(!selector.matches(&labels(&[("a", "c")])));
    assert!(!selector.matches(&labels(&[])));
    assert!(parsed("a=").matches(&labels(&[("a", "")])));
    assert!(!parsed("a=").matches(&labels(&[])));
}

#[test]
fn not_equals_matches_when_the_key_is_absent() {
    let selector = parsed("a!=b");
    assert!(selector.matches(&labels(&[])));
    assert!(selector.matches(&labels(&[("a", "c")])));
    assert!(!selector.matches(&labels(&[("a", "b")])));
}

#[test]
fn in_and_notin_follow_set_membership_with_absent_keys() {
    let inside = parsed("env in (dev,prod)");
    assert!(inside.matches(&labels(&[("env", "prod")])));
    assert!(!inside.matches(&labels(&[("env", "qa")])));
    assert!(!inside.matches(&labels(&[])));

    let outside = parsed("env notin (dev,prod)");
    assert!(!outside.matches(&labels(&[("env", "prod")])));
    assert!(outside.matches(&labels(&[("env", "qa")])));
    assert!(outside.matches(&labels(&[])));

    let with_empty = parsed("env in (,dev)");
    assert!(with_empty.matches(&labels(&[("env", "")])));
    assert!(!with_empty.matches(&labels(&[])));
}

#[test]
fn exists_and_does_not_exist_look_only_at_presence() {
    let exists = parsed("a");
    assert!(exists.matches(&labels(&[("a", "")])));
    assert!(exists.matches(&labels(&[("a", "anything")])));
    assert!(!exists.matches(&labels(&[("b", "a")])));

    let absent = parsed("!a");
    assert!(absent.matches(&labels(&[])));
    assert!(absent.matches(&labels(&[("b", "a")])));
    assert!(!absent.matches(&labels(&[("a", "")])));
}

#[test]
fn all_requirements_must_hold() {
    let selector = parsed("app=web,tier in (fe,be),!canary");
    assert!(selector.matches(&labels(&[("app", "web"), ("tier", "fe")])));
    assert!(!selector.matches(&labels(&[("app", "web"), ("tier", "fe"), ("canary", "true")])));
    assert!(!selector.matches(&labels(&[("app", "web"), ("tier", "db")])));
    assert!(!selector.matches(&labels(&[("tier", "fe")])));
}

#[test]
fn greater_and_less_than_compare_integers() {
    let more = parsed("replicas>5");
    assert!(more.matches(&labels(&[("replicas", "10")])));
    assert!(more.matches(&labels(&[("replicas", "+7")])));
    assert!(!more.matches(&labels(&[("replicas", "5")])));
    assert!(!more.matches(&labels(&[("replicas", "abc")])));
    assert!(!more.matches(&labels(&[("replicas", "")])));
    assert!(!more.matches(&labels(&[])));

    let less = parsed("replicas<5");
    assert!(less.matches(&labels(&[("replicas", "-3")])));
    assert!(less.matches(&labels(&[("replicas", "4")])));
    assert!(!less.matches(&labels(&[("replicas", "5")])));
    assert!(!less.matches(&labels(&[("replicas", "99999999999999999999")])));

    // Numeric, not lexical: "10" > "9" as numbers.
    assert!(parsed("n>9").matches(&labels(&[("n", "10")])));
    assert!(!parsed("n<9").matches(&labels(&[("n", "10")])));
}

// ---- syntax errors ----

#[test]
fn missing_operator_lists_the_binary_operators() {
    assert_eq!(
        parse_error("a b"),
        "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"
    );
    assert_eq!(
        parse_error("a (b)"),
        "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"
    );
}

#[test]
fn junk_after_a_requirement_is_reported_without_the_requirement_prefix() {
    assert_eq!(parse_error("a=b c"), "found 'c', expected: ',' or 'end of string'");
    assert_eq!(parse_error("!a=b"), "found '=', expected: ',' or 'end of string'");
    assert_eq!(parse_error("a==b==c"), "found '==', expected: ',' or 'end of string'");
}

#[test]
fn commas_must_separate_requirements() {
    assert_eq!(parse_error("a=b,"), "found '', expected: identifier after ','");
    assert_eq!(parse_error("a,,b"), "found ',', expected: identifier after ','");
    assert_eq!(parse_error(",a"), "found ',', expected: !, identifier, or 'end of string'");
    assert_eq!(parse_error("=a"), "found '=', expected: !, identifier, or 'end of string'");
}

#[test]
fn bang_needs_a_key() {
    assert_eq!(parse_error("!"), "unable to parse requirement: found '', expected: identifier");
    assert_eq!(parse_error("!=a"), "found '!=', expected: !, identifier, or 'end of string'");
}

#[test]
fn value_sets_need_parentheses_and_separators() {
    assert_eq!(parse_error("a in b"), "unable to parse requirement: found 'b' expected: '('");
    assert_eq!(
        parse_error("a in (b"),
        "unable to parse requirement: found '', expected: ',' or ')'"
    );
    assert_eq!(
        parse_error("a in (b c)"),
        "unable to parse requirement: found 'c', expected: ',' or ')'"
    );
    assert_eq!(
        parse_error("a in (=)"),
        "unable to parse requirement: found '=', expected: ',', ')' or identifier"
    );
    assert_eq!(
        parse_error("a in (b,=)"),
        "unable to parse requirement: found '=', expected: ',', or identifier"
    );
    assert_eq!(parse_error("a notin"), "unable to parse requirement: found '' expected: '('");
}

#[test]
fn exact_values_must_be_identifiers() {
    assert_eq!(
        parse_error("a=(b)"),
        "unable to parse requirement: found '(', expected: identifier"
    );
    assert_eq!(parse_error("a>=5"), "unable to parse requirement: found '=', expected: identifier");
    assert_eq!(parse_error("a=!b"), "unable to parse requirement: found '!', expected: identifier");
}

#[test]
fn greater_and_less_than_need_integers() {
    assert_eq!(
        parse_error("a>abc"),
        "unable to parse requirement: values[0]: Invalid value: \"abc\": for 'Gt', 'Lt' operators, the value must be an integer"
    );
    assert_eq!(
        parse_error("a<"),
        "unable to parse requirement: values[0]: Invalid value: \"\": for 'Gt', 'Lt' operators, the value must be an integer"
    );
    // An integer that is not a valid label value is still rejected, as upstream does.
    assert_eq!(
        parse_error("a>-1"),
        format!(
            "unable to parse requirement: values[0][a]: Invalid value: \"-1\": {VALUE_RULE_MESSAGE}"
        )
    );
}

// ---- key and value validation ----

#[test]
fn invalid_key_characters_are_reported_with_the_nil_path() {
    assert_eq!(
        parse_error("app:web"),
        format!(
            "unable to parse requirement: <nil>: Invalid value: \"app:web\": {NAME_RULE_MESSAGE}"
        )
    );
    assert_eq!(
        parse_error("-app=web"),
        format!("unable to parse requirement: <nil>: Invalid value: \"-app\": {NAME_RULE_MESSAGE}")
    );
    assert!(parse_error("ключ=v").contains("Invalid value: \"ключ\""));
}

#[test]
fn keys_with_two_slashes_are_not_qualified_names() {
    assert_eq!(
        parse_error("a/b/c ?=? def"),
        "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
    );
}

#[test]
fn key_prefix_must_be_a_lowercase_dns_subdomain() {
    assert_eq!(
        parse_error("app.kubernetes_io/name=x"),
        "unable to parse requirement: <nil>: Invalid value: \"app.kubernetes_io/name\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    );
    assert!(parse_error("Example.com/a").contains("prefix part a lowercase RFC 1123 subdomain"));
    assert_eq!(
        parse_error("/a"),
        "unable to parse requirement: <nil>: Invalid value: \"/a\": prefix part must be non-empty"
    );
}

#[test]
fn key_length_and_empty_name_rules() {
    let longest = "k".repeat(63);
    assert!(Selector::parse(&longest).is_ok());
    let too_long = "k".repeat(64);
    assert_eq!(
        parse_error(&too_long),
        format!(
            "unable to parse requirement: <nil>: Invalid value: \"{too_long}\": name part must be no more than 63 characters"
        )
    );
    assert_eq!(
        parse_error("a/"),
        format!(
            "unable to parse requirement: <nil>: Invalid value: \"a/\": name part must be non-empty; {NAME_RULE_MESSAGE}"
        )
    );
    let long_prefix = format!("{}/a", "p".repeat(254));
    assert!(parse_error(&long_prefix).contains("prefix part must be no more than 253 characters"));
}

#[test]
fn invalid_values_are_reported_with_their_index_and_key() {
    let too_long = "z".repeat(64);
    assert_eq!(
        parse_error(&format!("k={too_long}")),
        format!(
            "unable to parse requirement: values[0][k]: Invalid value: \"{too_long}\": must be no more than 63 characters"
        )
    );
    assert_eq!(
        parse_error("k=-bad"),
        format!(
            "unable to parse requirement: values[0][k]: Invalid value: \"-bad\": {VALUE_RULE_MESSAGE}"
        )
    );
    assert_eq!(
        parse_error("k in (ok,-b,-a)"),
        format!(
            "unable to parse requirement: [values[0][k]: Invalid value: \"-a\": {VALUE_RULE_MESSAGE}, values[1][k]: Invalid value: \"-b\": {VALUE_RULE_MESSAGE}]"
        )
    );
}

#[test]
fn qualified_name_and_value_checks_accept_upstream_examples() {
    for key in ["MyName", "my.name", "123-abc", "a", "example.com/MyName", "a.b-c/D_e"] {
        assert!(qualified_name_errors(key).is_empty(), "{key}");
    }
    for value in ["", "MyValue", "my_value", "12345", "a.b-c_d"] {
        assert!(label_value_errors(value).is_empty(), "{value}");
    }
    assert!(!label_value_errors("a b").is_empty());
    assert!(!label_value_errors("trailing-").is_empty());
}

// ---- requirements built directly ----

#[test]
fn requirement_constructor_checks_value_counts() {
    let error = Requirement::new("a", Operator::Equals, strings(&["x", "y"])).unwrap_err();
    assert_eq!(
        error.message(),
        "values: Invalid value: [\"x\",\"y\"]: exact-match compatibility requires one single value"
    );
    let error = Requirement::new("a", Operator::GreaterThan, strings(&["1", "2"])).unwrap_err();
    assert_eq!(
        error.message(),
        "values: Invalid value: [\"1\",\"2\"]: for 'Gt', 'Lt' operators, exactly one value is required"
    );
    let requirement = Requirement::new("a", Operator::NotIn, strings(&["y", "x"])).expect("valid");
    assert_eq!(requirement.to_string(), "a notin (x,y)");
}

#[test]
fn with_adds_requirements_in_key_order_but_nothing_stays_nothing() {
    let extra = Requirement::new("hash", Operator::Equals, strings(&["abc"])).expect("valid");
    let selector = parsed("app=web,zone=a").with([extra.clone()]);
    assert_eq!(selector.to_string(), "app=web,hash=abc,zone=a");
    let from_parts = Selector::from_requirements([extra.clone()]);
    assert_eq!(from_parts.to_string(), "hash=abc");
    assert!(Selector::nothing().with([extra]).selects_nothing());
}

#[test]
fn exact_match_introspection() {
    let selector = parsed("a=b,c in (d),e in (f,g),h!=i,j==k");
    assert_eq!(selector.requires_exact_match("a"), Some("b"));
    assert_eq!(selector.requires_exact_match("c"), Some("d"));
    assert_eq!(selector.requires_exact_match("e"), None);
    assert_eq!(selector.requires_exact_match("h"), None);
    assert_eq!(selector.requires_exact_match("j"), Some("k"));
    assert_eq!(selector.requires_exact_match("missing"), None);
}

// ---- conversions ----

#[test]
fn label_selector_combines_labels_and_expressions() {
    let structured = LabelSelector {
        match_labels: labels(&[("app", "web")]),
        match_expressions: vec![
            expression("tier", "In", &["fe", "be"]),
            expression("env", "NotIn", &["qa"]),
            expression("canary", "DoesNotExist", &[]),
            expression("team", "Exists", &[]),
        ],
    };
    let selector = Selector::try_from(&structured).expect("valid selector");
    assert_eq!(selector.to_string(), "app=web,!canary,env notin (qa),team,tier in (be,fe)");
    assert!(selector.matches(&labels(&[("app", "web"), ("tier", "fe"), ("team", "x")])));
    assert!(!selector.matches(&labels(&[("app", "web"), ("tier", "fe")])));
    assert_eq!(parsed(&selector.to_string()).to_string(), selector.to_string());
}

#[test]
fn label_selector_keeps_given_values_but_prints_them_sorted() {
    let structured = LabelSelector {
        match_labels: BTreeMap::new(),
        match_expressions: vec![expression("k", "In", &["b", "a", "b"])],
    };
    let selector = Selector::try_from(&structured).expect("valid selector");
    assert_eq!(selector.requirements()[0].values(), strings(&["b", "a", "b"]).as_slice());
    assert_eq!(selector.to_string(), "k in (a,b,b)");
    assert_eq!(parsed(&selector.to_string()).to_string(), "k in (a,b)");
}

#[test]
fn absent_label_selector_selects_nothing_and_empty_selects_everything() {
    let nothing = Selector::from_label_selector(None).expect("no error");
    assert!(nothing.selects_nothing());
    assert!(!nothing.is_empty());
    assert!(!nothing.matches(&labels(&[])));
    assert!(!nothing.matches(&labels(&[("a", "b")])));
    assert_eq!(nothing.to_string(), "");

    let everything =
        Selector::from_label_selector(Some(&LabelSelector::default())).expect("no error");
    assert!(everything.is_empty());
    assert!(everything.matches(&labels(&[("a", "b")])));
}

#[test]
fn label_selector_rejects_unknown_operators() {
    let structured = LabelSelector {
        match_labels: BTreeMap::new(),
        match_expressions: vec![expression("k", "Equals", &["v"])],
    };
    let error = Selector::try_from(&structured).unwrap_err();
    assert_eq!(error.message(), "\"Equals\" is not a valid pod selector operator");
    let lowercase = LabelSelector {
        match_labels: BTreeMap::new(),
        match_expressions: vec![expression("k", "in", &["v"])],
    };
    assert_eq!(
        Selector::try_from(&lowercase).unwrap_err().message(),
        "\"in\" is not a valid pod selector operator"
    );
}

#[test]
fn label_selector_rejects_wrong_value_counts() {
    let with_values = LabelSelector {
        match_labels: BTreeMap::new(),
        match_expressions: vec![expression("k", "Exists", &["a"])],
    };
    assert_eq!(
        Selector::try_from(&with_values).unwrap_err().message(),
        "values: Invalid value: [\"a\"]: values set must be empty for exists and does not exist"
    );
    let without_values = LabelSelector {
        match_labels: BTreeMap::new(),
        match_expressions: vec![expression("k", "NotIn", &[])],
    };
    assert_eq!(
        Selector::try_from(&without_values).unwrap_err().message(),
        "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"
    );
}

#[test]
fn label_selector_reports_bad_keys_and_values_together() {
    let bad_key =
        LabelSelector { match_labels: labels(&[("bad key", "v")]), match_expressions: Vec::new() };
    assert_eq!(
        Selector::try_from(&bad_key).unwrap_err().message(),
        format!("key: Invalid value: \"bad key\": {NAME_RULE_MESSAGE}")
    );
    let both = LabelSelector {
        match_labels: BTreeMap::new(),
        match_expressions: vec![expression("-k", "In", &[])],
    };
    assert_eq!(
        Selector::try_from(&both).unwrap_err().message(),
        format!(
            "[key: Invalid value: \"-k\": {NAME_RULE_MESSAGE}, values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty]"
        )
    );
    let bad_value =
        LabelSelector { match_labels: labels(&[("k", "a b")]), match_expressions: Vec::new() };
    assert_eq!(
        Selector::try_from(&bad_value).unwrap_err().message(),
        format!("values[0][k]: Invalid value: \"a b\": {VALUE_RULE_MESSAGE}")
    );
}

#[test]
fn set_selectors_differ_only_in_what_empty_means() {
    let set = labels(&[("b", "2"), ("a", "1")]);
    let selector = Selector::from_set(&set);
    assert_eq!(selector.to_string(), "a=1,b=2");
    assert!(selector.matches(&labels(&[("a", "1"), ("b", "2"), ("c", "3")])));
    assert!(!selector.matches(&labels(&[("a", "1")])));
    assert_eq!(Selector::from_set_or_nothing(&set), selector);

    let empty = BTreeMap::new();
    assert!(Selector::from_set(&empty).is_empty());
    assert!(Selector::from_set(&empty).matches(&labels(&[("x", "y")])));
    let service_style = Selector::from_set_or_nothing(&empty);
    assert!(service_style.selects_nothing());
    assert!(!service_style.matches(&labels(&[("x", "y")])));
}

#[test]
fn validated_set_conversion_rejects_bad_entries() {
    assert_eq!(
        Selector::try_from_set(&labels(&[("a", "b c")])).unwrap_err().message(),
        format!("values[0][a]: Invalid value: \"b c\": {VALUE_RULE_MESSAGE}")
    );
    let selector = Selector::try_from_set(&labels(&[("a", "b")])).expect("valid set");
    assert_eq!(selector, Selector::from_set(&labels(&[("a", "b")])));
    assert!(Selector::try_from_set(&BTreeMap::new()).expect("valid").is_empty());
}
