//! Pods on create: the pod-spec rules, with the paths a client sees.

use super::{WEB_POD, defaulted, expect, fields, single};
use crate::api::core::v1::{
    Container, ContainerPort, EmptyDirVolumeSource, EphemeralContainer, HostAlias, Pod,
    PodDNSConfig, PodResourceClaim, PodSchedulingGate, Probe, ProbeHandler, Toleration,
    VolumeMount,
};
use crate::validation::{ErrorType, Validate};
use std::collections::BTreeMap;

fn web_pod() -> Pod {
    defaulted(WEB_POD)
}

#[test]
fn a_defaulted_web_pod_is_valid() {
    let errors = web_pod().validate();
    assert!(errors.is_empty(), "{errors}");
}

#[test]
fn at_least_one_container_is_required() {
    let mut pod = web_pod();
    pod.spec.containers.clear();
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "spec.containers", ErrorType::Required).to_string(),
        "spec.containers: Required value"
    );
}

#[test]
fn container_names_are_unique_across_init_and_regular_containers() {
    let mut pod = web_pod();
    pod.spec.init_containers = vec![pod.spec.containers[0].clone()];
    pod.spec.init_containers[0].ports.clear();
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "spec.initContainers[0].name", ErrorType::Duplicate).to_string(),
        r#"spec.initContainers[0].name: Duplicate value: "web""#
    );
}

#[test]
fn container_names_are_dns_labels() {
    let mut pod = web_pod();
    pod.spec.containers[0].name = "Web_Server".into();
    let errors = pod.validate();
    let error = expect(&errors, "spec.containers[0].name", ErrorType::Invalid);
    assert!(error.detail.starts_with("a lowercase RFC 1123 label must consist of"));
}

#[test]
fn image_is_required_on_create_and_not_padded() {
    let mut pod = web_pod();
    pod.spec.containers[0].image.clear();
    expect(&pod.validate(), "spec.containers[0].image", ErrorType::Required);
    pod.spec.containers[0].image = "nginx ".into();
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "spec.containers[0].image", ErrorType::Invalid).detail,
        "must not have leading or trailing whitespace"
    );
}

#[test]
fn container_ports_are_checked_at_their_paths() {
    let mut pod = web_pod();
    pod.spec.containers[0].ports = vec![ContainerPort {
        container_port: 0,
        host_port: 70000,
        protocol: "HTTP".into(),
        name: "web-server-port-name".into(),
        ..Default::default()
    }];
    let errors = pod.validate();
    let port = "spec.containers[0].ports[0]";
    expect(&errors, &format!("{port}.containerPort"), ErrorType::Required);
    expect(&errors, &format!("{port}.hostPort"), ErrorType::Invalid);
    expect(&errors, &format!("{port}.protocol"), ErrorType::NotSupported);
    assert_eq!(
        expect(&errors, &format!("{port}.name"), ErrorType::Invalid).detail,
        "must be no more than 15 characters"
    );
}

#[test]
fn host_network_requires_host_port_to_equal_container_port() {
    let mut pod = web_pod();
    pod.spec.host_network = true;
    pod.spec.containers[0].ports[0].host_port = 8080;
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "spec.containers[0].ports[0].hostPort", ErrorType::Invalid).to_string(),
        "spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"
    );
}

#[test]
fn restart_and_dns_policies_are_enumerations() {
    let mut pod = web_pod();
    pod.spec.restart_policy = "Sometimes".into();
    pod.spec.dns_policy = "Google".into();
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "spec.restartPolicy", ErrorType::NotSupported).to_string(),
        r#"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never""#
    );
    assert_eq!(
        expect(&errors, "spec.dnsPolicy", ErrorType::NotSupported).detail,
        r#"supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None""#
    );
}

#[test]
fn fields_filled_by_defaulting_are_required() {
    let pod: Pod = serde_yaml_ng::from_str(WEB_POD).unwrap();
    let errors = pod.validate();
    assert_eq!(
        fields(&errors),
        [
            "spec.terminationGracePeriodSeconds",
            "spec.containers[0].terminationMessagePolicy",
            "spec.containers[0].ports[0].protocol",
            "spec.containers[0].imagePullPolicy",
            "spec.restartPolicy",
            "spec.dnsPolicy",
        ]
    );
    assert!(errors.iter().all(|error| error.kind == ErrorType::Required));
}

#[test]
fn active_deadline_must_be_positive() {
    let mut pod = web_pod();
    pod.spec.active_deadline_seconds = Some(0);
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "spec.activeDeadlineSeconds", ErrorType::Invalid).detail,
        "must be between 1 and 2147483647, inclusive"
    );
}

#[test]
fn node_selector_uses_label_rules() {
    let mut pod = web_pod();
    pod.spec.node_selector = BTreeMap::from([("disk".to_string(), "fast ssd".to_string())]);
    let errors = pod.validate();
    let error = expect(&errors, "spec.nodeSelector", ErrorType::Invalid);
    assert!(error.to_string().starts_with(
        r#"spec.nodeSelector: Invalid value: "fast ssd": a valid label must be an empty string"#
    ));
}

#[test]
fn referenced_names_are_dns_subdomains_and_host_names_labels() {
    let mut pod = web_pod();
    pod.spec.service_account_name = "Robot".into();
    pod.spec.node_name = "node_1".into();
    pod.spec.hostname = "web.example".into();
    pod.spec.subdomain = "-svc".into();
    pod.spec.priority_class_name = "High".into();
    let errors = pod.validate();
    for field in
        ["spec.serviceAccountName", "spec.nodeName", "spec.priorityClassName", "spec.subdomain"]
    {
        expect(&errors, field, ErrorType::Invalid);
    }
    assert_eq!(
        expect(&errors, "spec.hostname", ErrorType::Invalid).detail,
        "must not contain dots"
    );
}

#[test]
fn volume_mounts_must_name_a_volume() {
    let mut pod = web_pod();
    pod.spec.containers[0].volume_mounts =
        vec![VolumeMount { name: "data".into(), mount_path: "/data".into(), ..Default::default() }];
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "spec.containers[0].volumeMounts[0].name", ErrorType::NotFound).to_string(),
        r#"spec.containers[0].volumeMounts[0].name: Not found: "data""#
    );
    pod.spec.volumes = vec![crate::api::core::v1::Volume {
        name: "data".into(),
        volume_source: crate::api::core::v1::VolumeSource {
            empty_dir: Some(EmptyDirVolumeSource::default()),
            ..Default::default()
        },
    }];
    assert!(pod.validate().is_empty());
}

#[test]
fn volumes_need_exactly_one_source() {
    let mut pod = web_pod();
    pod.spec.volumes = vec![crate::api::core::v1::Volume {
        name: "data".into(),
        volume_source: Default::default(),
    }];
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "spec.volumes[0]", ErrorType::Required).detail,
        "must specify a volume type"
    );
}

#[test]
fn requests_may_not_exceed_limits() {
    let mut pod = web_pod();
    let resources = &mut pod.spec.containers[0].resources;
    resources.limits = BTreeMap::from([("cpu".to_string(), "250m".parse().unwrap())]);
    resources.requests = BTreeMap::from([("cpu".to_string(), "500m".parse().unwrap())]);
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "spec.containers[0].resources.requests", ErrorType::Invalid).to_string(),
        r#"spec.containers[0].resources.requests: Invalid value: "500m": must be less than or equal to cpu limit of 250m"#
    );
}

#[test]
fn liveness_probes_succeed_once() {
    let mut pod = web_pod();
    pod.spec.containers[0].liveness_probe = Some(Probe {
        handler: ProbeHandler::default(),
        success_threshold: 3,
        period_seconds: 10,
        ..Default::default()
    });
    let errors = pod.validate();
    expect(&errors, "spec.containers[0].livenessProbe", ErrorType::Required);
    assert_eq!(
        expect(&errors, "spec.containers[0].livenessProbe.successThreshold", ErrorType::Invalid)
            .detail,
        "must be 1"
    );
}

#[test]
fn tolerations_are_checked_in_place() {
    let mut pod = web_pod();
    pod.spec.tolerations = vec![Toleration {
        key: "dedicated".into(),
        operator: "Exists".into(),
        value: "gpu".into(),
        ..Default::default()
    }];
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "spec.tolerations[0].operator", ErrorType::Invalid).detail,
        "value must be empty when `operator` is 'Exists'"
    );
}

#[test]
fn dns_policy_none_needs_a_config() {
    let mut pod = web_pod();
    pod.spec.dns_policy = "None".into();
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "spec.dnsConfig", ErrorType::Required).detail,
        "must provide `dnsConfig` when `dnsPolicy` is None"
    );
    pod.spec.dns_config = Some(PodDNSConfig {
        nameservers: vec!["1.1.1.1".into(), "not-an-ip".into()],
        searches: vec!["svc.cluster.local.".into(), "Bad_Domain".into()],
        options: Vec::new(),
    });
    let errors = pod.validate();
    assert_eq!(fields(&errors), ["spec.dnsConfig.nameservers[1]", "spec.dnsConfig.searches[1]"]);
}

#[test]
fn host_aliases_need_ip_addresses() {
    let mut pod = web_pod();
    pod.spec.host_aliases =
        vec![HostAlias { ip: "localhost".into(), hostnames: vec!["foo.local".into()] }];
    expect(&pod.validate(), "spec.hostAliases[0].ip", ErrorType::Invalid);
}

#[test]
fn scheduling_gates_are_unique_and_exclude_a_node() {
    let mut pod = web_pod();
    let gate = PodSchedulingGate { name: "example.com/quota".into() };
    pod.spec.scheduling_gates = vec![gate.clone(), gate];
    pod.spec.node_name = "node-1".into();
    let errors = pod.validate();
    expect(&errors, "spec.schedulingGates[1]", ErrorType::Duplicate);
    assert_eq!(
        expect(&errors, "spec.nodeName", ErrorType::Forbidden).detail,
        "cannot be set until all schedulingGates have been cleared"
    );
}

#[test]
fn ephemeral_containers_cannot_be_created_with_the_pod() {
    let mut pod = web_pod();
    let mut debugger = Container { name: "debugger".into(), ..pod.spec.containers[0].clone() };
    debugger.ports.clear();
    pod.spec.ephemeral_containers =
        vec![EphemeralContainer { common: debugger, target_container_name: "web".into() }];
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "spec.ephemeralContainers", ErrorType::Forbidden).detail,
        "cannot be set on create"
    );
}

#[test]
fn pod_annotations() {
    let mut pod = web_pod();
    pod.metadata.annotations = BTreeMap::from([
        ("kubernetes.io/config.mirror".to_string(), "abc".to_string()),
        ("controller.kubernetes.io/pod-deletion-cost".to_string(), "+10".to_string()),
    ]);
    let errors = pod.validate();
    assert_eq!(
        expect(&errors, "metadata.annotations[kubernetes.io/config.mirror]", ErrorType::Invalid)
            .detail,
        "must set spec.nodeName if mirror pod annotation is set"
    );
    assert_eq!(
        expect(
            &errors,
            "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]",
            ErrorType::Invalid
        )
        .detail,
        "must be a 32bit integer"
    );
}

#[test]
fn resource_claims_name_exactly_one_source() {
    let mut pod = web_pod();
    pod.spec.resource_claims = vec![PodResourceClaim {
        name: "gpu".into(),
        resource_claim_name: None,
        resource_claim_template_name: None,
    }];
    let errors = pod.validate();
    assert_eq!(
        single(&errors, "spec.resourceClaims[0]").detail,
        "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`"
    );
}

#[test]
fn metadata_uses_the_common_rules() {
    let mut pod = web_pod();
    pod.metadata.name = "Web".into();
    pod.metadata.namespace.clear();
    let errors = pod.validate();
    expect(&errors, "metadata.name", ErrorType::Invalid);
    expect(&errors, "metadata.namespace", ErrorType::Required);
}

#[test]
fn projected_tokens_need_a_service_account() {
    let mut pod: Pod = defaulted(
        "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: default
spec:
  containers:
  - name: web
    image: nginx:1.27
  volumes:
  - name: token
    projected:
      sources:
      - serviceAccountToken:
          path: token
",
    );
    pod.spec.service_account_name.clear();
    pod.spec.service_account.clear();
    let errors = pod.validate();
    assert_eq!(
        expect(
            &errors,
            "spec.volumes[0].projected.sources[0].serviceAccountToken",
            ErrorType::Forbidden
        )
        .detail,
        "must not be specified when serviceAccountName is not set"
    );
    pod.spec.service_account_name = "default".into();
    assert!(pod.validate().is_empty());
}
