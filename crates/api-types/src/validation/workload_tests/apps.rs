//! apps/v1 Deployments, ReplicaSets and DaemonSets.

use super::{defaulted, expect, fields};
use crate::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, RollingUpdateDeployment};
use crate::intstr::IntOrString;
use crate::meta::v1::{LabelSelector, LabelSelectorRequirement};
use crate::validation::{ErrorType, Validate};
use std::collections::BTreeMap;

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
";

const REPLICA_SET: &str = "\
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
";

const DAEMON_SET: &str = "\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: kube-system
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      containers:
      - name: agent
        image: fluentd:v1
";

fn deployment() -> Deployment {
    defaulted(DEPLOYMENT)
}

fn replica_set() -> ReplicaSet {
    defaulted(REPLICA_SET)
}

fn daemon_set() -> DaemonSet {
    defaulted(DAEMON_SET)
}

fn other_selector() -> Option<LabelSelector> {
    Some(LabelSelector {
        match_labels: BTreeMap::from([("app".to_string(), "other".to_string())]),
        match_expressions: Vec::new(),
    })
}

#[test]
fn defaulted_controllers_are_valid() {
    assert!(deployment().validate().is_empty());
    assert!(replica_set().validate().is_empty());
    assert!(daemon_set().validate().is_empty());
}

#[test]
fn a_replica_set_needs_a_selector() {
    let mut set = replica_set();
    set.spec.selector = None;
    let errors = set.validate();
    assert_eq!(fields(&errors), ["spec.selector", "spec.template.metadata.labels"]);
    assert_eq!(errors[0].kind, ErrorType::Required);
}

#[test]
fn an_empty_selector_is_invalid() {
    let mut set = replica_set();
    set.spec.selector = Some(LabelSelector::default());
    let errors = set.validate();
    assert_eq!(
        errors[0].to_string(),
        "spec.selector: Invalid value: {}: empty selector is invalid for deployment"
    );
    let mut daemons = daemon_set();
    daemons.spec.selector = Some(LabelSelector::default());
    assert_eq!(
        expect(&daemons.validate(), "spec.selector", ErrorType::Invalid).detail,
        "empty selector is invalid for daemonset"
    );
}

#[test]
fn a_malformed_selector_is_reported_and_the_template_skipped() {
    let mut set = replica_set();
    set.spec.selector = Some(LabelSelector {
        match_labels: BTreeMap::new(),
        match_expressions: vec![LabelSelectorRequirement {
            key: "app".into(),
            operator: "Equals".into(),
            values: vec!["web".into()],
        }],
    });
    set.spec.template.spec.containers[0].name = "Not Valid".into();
    let errors = set.validate();
    assert_eq!(fields(&errors), ["spec.selector.matchExpressions[0].operator", "spec.selector"]);
    assert_eq!(errors[1].detail, "invalid label selector");
}

#[test]
fn the_selector_must_match_the_template() {
    let mut set = deployment();
    set.spec.selector = other_selector();
    let errors = set.validate();
    assert_eq!(
        expect(&errors, "spec.template.metadata.labels", ErrorType::Invalid).to_string(),
        r#"spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`"#
    );
    let mut daemons = daemon_set();
    daemons.spec.selector = None;
    expect(&daemons.validate(), "spec.template.metadata.labels", ErrorType::Invalid);
}

#[test]
fn selectors_are_immutable() {
    let mut old = deployment();
    old.metadata.resource_version = "3".into();
    let mut moved = old.clone();
    moved.spec.selector = other_selector();
    moved.spec.template.metadata.labels =
        BTreeMap::from([("app".to_string(), "other".to_string())]);
    let errors = moved.validate_update(&old);
    assert_eq!(
        errors[0].to_string(),
        r#"spec.selector: Invalid value: {"matchLabels":{"app":"other"}}: field is immutable"#
    );
    let mut scaled = old.clone();
    scaled.spec.replicas = Some(5);
    assert!(scaled.validate_update(&old).is_empty());

    let mut old_set = replica_set();
    old_set.metadata.resource_version = "3".into();
    let mut moved_set = old_set.clone();
    moved_set.spec.selector = other_selector();
    moved_set.spec.template.metadata.labels = moved.spec.template.metadata.labels.clone();
    expect(&moved_set.validate_update(&old_set), "spec.selector", ErrorType::Invalid);

    let mut old_daemons = daemon_set();
    old_daemons.metadata.resource_version = "3".into();
    let mut moved_daemons = old_daemons.clone();
    moved_daemons.spec.selector = other_selector();
    moved_daemons.spec.template.metadata.labels = moved.spec.template.metadata.labels;
    expect(&moved_daemons.validate_update(&old_daemons), "spec.selector", ErrorType::Invalid);
}

#[test]
fn replica_counts_are_not_negative() {
    let mut set = replica_set();
    set.spec.replicas = Some(-2);
    set.spec.min_ready_seconds = -1;
    let errors = set.validate();
    assert_eq!(fields(&errors), ["spec.replicas", "spec.minReadySeconds"]);
}

#[test]
fn templates_of_controllers_always_restart() {
    let mut set = deployment();
    set.spec.template.spec.restart_policy = "Never".into();
    set.spec.template.spec.active_deadline_seconds = Some(10);
    let errors = set.validate();
    expect(&errors, "spec.template.spec.restartPolicy", ErrorType::NotSupported);
    assert_eq!(
        expect(&errors, "spec.template.spec.activeDeadlineSeconds", ErrorType::Forbidden).detail,
        "activeDeadlineSeconds in ReplicaSet is not Supported"
    );
    let mut daemons = daemon_set();
    daemons.spec.template.spec.active_deadline_seconds = Some(10);
    assert_eq!(
        expect(
            &daemons.validate(),
            "spec.template.spec.activeDeadlineSeconds",
            ErrorType::Forbidden
        )
        .detail,
        "activeDeadlineSeconds in DaemonSet is not Supported"
    );
}

#[test]
fn deployment_strategy_types() {
    let mut unknown = deployment();
    unknown.spec.strategy.type_ = "BlueGreen".into();
    unknown.spec.strategy.rolling_update = None;
    let errors = unknown.validate();
    assert_eq!(
        errors[0].to_string(),
        r#"spec.strategy: Unsupported value: {"type":"BlueGreen"}: supported values: "Recreate", "RollingUpdate""#
    );
    let mut recreate = deployment();
    recreate.spec.strategy.type_ = "Recreate".into();
    let errors = recreate.validate();
    assert_eq!(
        expect(&errors, "spec.strategy.rollingUpdate", ErrorType::Forbidden).detail,
        "may not be specified when strategy `type` is 'Recreate'"
    );
    recreate.spec.strategy.rolling_update = None;
    assert!(recreate.validate().is_empty());
    let mut undefaulted = deployment();
    undefaulted.spec.strategy.rolling_update = None;
    assert_eq!(
        expect(&undefaulted.validate(), "spec.strategy.rollingUpdate", ErrorType::Required).detail,
        "this should be defaulted and never be nil"
    );
}

fn with_rolling_update(surge: IntOrString, unavailable: IntOrString) -> Deployment {
    let mut rolling = deployment();
    rolling.spec.strategy.rolling_update = Some(RollingUpdateDeployment {
        max_unavailable: Some(unavailable),
        max_surge: Some(surge),
    });
    rolling
}

#[test]
fn rolling_updates_must_make_progress() {
    let errors = with_rolling_update(IntOrString::Int(0), IntOrString::from("0%")).validate();
    assert_eq!(
        errors[0].to_string(),
        r#"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0"#
    );
    assert!(with_rolling_update(IntOrString::Int(1), IntOrString::Int(0)).validate().is_empty());
}

#[test]
fn rolling_update_budgets_are_counts_or_percentages() {
    let errors = with_rolling_update(IntOrString::from("25"), IntOrString::from("120%")).validate();
    let rendered: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        rendered,
        [
            r#"spec.strategy.rollingUpdate.maxSurge: Invalid value: "25": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"#,
            r#"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%"#,
        ]
    );
    let errors = with_rolling_update(IntOrString::Int(-1), IntOrString::Int(1)).validate();
    assert_eq!(
        expect(&errors, "spec.strategy.rollingUpdate.maxSurge", ErrorType::Invalid).detail,
        "must be greater than or equal to 0"
    );
}

#[test]
fn history_and_deadlines() {
    let mut set = deployment();
    set.spec.revision_history_limit = Some(-1);
    set.spec.min_ready_seconds = 600;
    set.spec.progress_deadline_seconds = Some(600);
    let errors = set.validate();
    expect(&errors, "spec.revisionHistoryLimit", ErrorType::Invalid);
    assert_eq!(
        expect(&errors, "spec.progressDeadlineSeconds", ErrorType::Invalid).to_string(),
        "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"
    );
}

#[test]
fn daemon_set_update_strategies() {
    let mut unknown = daemon_set();
    unknown.spec.update_strategy.type_ = "Surge".into();
    unknown.spec.update_strategy.rolling_update = None;
    assert_eq!(
        expect(&unknown.validate(), "spec.updateStrategy", ErrorType::NotSupported).detail,
        r#"supported values: "RollingUpdate", "OnDelete""#
    );
    let mut missing = daemon_set();
    missing.spec.update_strategy.rolling_update = None;
    expect(&missing.validate(), "spec.updateStrategy.rollingUpdate", ErrorType::Required);
    let mut on_delete = daemon_set();
    on_delete.spec.update_strategy.type_ = "OnDelete".into();
    assert!(on_delete.validate().is_empty());
}

#[test]
fn daemon_sets_either_surge_or_make_room() {
    let mut both = daemon_set();
    if let Some(rolling) = &mut both.spec.update_strategy.rolling_update {
        rolling.max_surge = Some(IntOrString::Int(1));
    }
    assert_eq!(
        expect(&both.validate(), "spec.updateStrategy.rollingUpdate.maxSurge", ErrorType::Invalid)
            .detail,
        "may not be set when maxUnavailable is non-zero"
    );
    let mut neither = daemon_set();
    if let Some(rolling) = &mut neither.spec.update_strategy.rolling_update {
        rolling.max_unavailable = Some(IntOrString::from("0%"));
    }
    assert_eq!(
        expect(
            &neither.validate(),
            "spec.updateStrategy.rollingUpdate.maxUnavailable",
            ErrorType::Required
        )
        .detail,
        "cannot be 0 when maxSurge is 0"
    );
}
