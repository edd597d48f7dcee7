//! Table-driven tests of strategic merge patch: merge keys of every tagged Kubernetes field,
//! each directive, list ordering, kubectl-style patches, diffs and errors.

use super::*;
use crate::patch::schema::{FieldSchema, PatchStrategy};

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|err| panic!("bad test JSON {text}: {err}"))
}

/// One application of a patch: `kind`, the live object, the patch and the expected result.
struct Apply {
    name: &'static str,
    kind: &'static str,
    original: &'static str,
    patch: &'static str,
    expected: &'static str,
}

fn check_apply(cases: &[Apply]) {
    for case in cases {
        let original = json(case.original);
        let result = strategic_merge_patch(&original, &json(case.patch), case.kind)
            .unwrap_or_else(|err| panic!("{}: {err}", case.name));
        assert_eq!(result, json(case.expected), "{}", case.name);
    }
}

// ---------------------------------------------------------------------------------------------
// Merge keys: one case per tagged field of the schema table.

#[test]
fn object_meta_fields() {
    check_apply(&[
        Apply {
            name: "ownerReferences merge by uid; a new one goes before later live ones",
            kind: "Pod",
            original: r#"{"metadata":{"ownerReferences":[
                {"uid":"u1","name":"rs-1"},{"uid":"u2","name":"other"}]}}"#,
            patch: r#"{"metadata":{"ownerReferences":[
                {"uid":"u1","controller":true},{"uid":"u3","name":"new"}]}}"#,
            expected: r#"{"metadata":{"ownerReferences":[
                {"uid":"u1","name":"rs-1","controller":true},
                {"uid":"u3","name":"new"},
                {"uid":"u2","name":"other"}]}}"#,
        },
        Apply {
            name: "finalizers are a set: union in patch order",
            kind: "PersistentVolumeClaim",
            original: r#"{"metadata":{"finalizers":["kubernetes.io/pvc-protection"]}}"#,
            patch: r#"{"metadata":{"finalizers":["example.com/cleanup","kubernetes.io/pvc-protection"]}}"#,
            expected: r#"{"metadata":{"finalizers":["example.com/cleanup","kubernetes.io/pvc-protection"]}}"#,
        },
        Apply {
            name: "finalizers already present are not duplicated",
            kind: "Namespace",
            original: r#"{"metadata":{"finalizers":["a","b"]}}"#,
            patch: r#"{"metadata":{"finalizers":["b","b"]}}"#,
            expected: r#"{"metadata":{"finalizers":["a","b"]}}"#,
        },
        Apply {
            name: "labels are a plain map: merge, null deletes",
            kind: "ConfigMap",
            original: r#"{"metadata":{"labels":{"app":"web","tier":"front"}},"data":{"k":"v"}}"#,
            patch: r#"{"metadata":{"labels":{"tier":null,"role":"db"}},"data":{"k2":"v2"}}"#,
            expected: r#"{"metadata":{"labels":{"app":"web","role":"db"}},"data":{"k":"v","k2":"v2"}}"#,
        },
    ]);
}

#[test]
fn pod_spec_lists() {
    check_apply(&[
        Apply {
            name: "containers merge by name",
            kind: "Pod",
            original: r#"{"spec":{"containers":[
                {"name":"app","image":"nginx:1.0"},{"name":"log","image":"fluentd"}]}}"#,
            patch: r#"{"spec":{"containers":[
                {"name":"app","image":"nginx:1.1"},{"name":"proxy","image":"envoy"}]}}"#,
            expected: r#"{"spec":{"containers":[
                {"name":"app","image":"nginx:1.1"},
                {"name":"proxy","image":"envoy"},
                {"name":"log","image":"fluentd"}]}}"#,
        },
        Apply {
            name: "initContainers merge by name",
            kind: "Pod",
            original: r#"{"spec":{"initContainers":[{"name":"init","image":"busybox","command":["sh"]}]}}"#,
            patch: r#"{"spec":{"initContainers":[{"name":"init","image":"busybox:1.36"}]}}"#,
            expected: r#"{"spec":{"initContainers":[{"name":"init","image":"busybox:1.36","command":["sh"]}]}}"#,
        },
        Apply {
            name: "ephemeralContainers merge by name",
            kind: "Pod",
            original: r#"{"spec":{"ephemeralContainers":[{"name":"debug","image":"busybox"}]}}"#,
            patch: r#"{"spec":{"ephemeralContainers":[{"name":"debug-2","image":"alpine"}]}}"#,
            expected: r#"{"spec":{"ephemeralContainers":[
                {"name":"debug-2","image":"alpine"},{"name":"debug","image":"busybox"}]}}"#,
        },
        Apply {
            name: "volumes merge by name and honour $retainKeys (merge,retainKeys)",
            kind: "Pod",
            original: r#"{"spec":{"volumes":[
                {"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"c1"}}]}}"#,
            patch: r#"{"spec":{"volumes":[
                {"name":"data","$retainKeys":["hostPath","name"],"hostPath":{"path":"/mnt"}}]}}"#,
            expected: r#"{"spec":{"volumes":[
                {"name":"data","hostPath":{"path":"/mnt"}},{"name":"cfg","configMap":{"name":"c1"}}]}}"#,
        },
        Apply {
            name: "imagePullSecrets merge by name",
            kind: "Pod",
            original: r#"{"spec":{"imagePullSecrets":[{"name":"a"}]}}"#,
            patch: r#"{"spec":{"imagePullSecrets":[{"name":"b"}]}}"#,
            expected: r#"{"spec":{"imagePullSecrets":[{"name":"b"},{"name":"a"}]}}"#,
        },
        Apply {
            name: "hostAliases merge by ip; their hostnames list is replaced",
            kind: "Pod",
            original: r#"{"spec":{"hostAliases":[{"ip":"10.0.0.1","hostnames":["a","b"]},{"ip":"10.0.0.2","hostnames":["c"]}]}}"#,
            patch: r#"{"spec":{"hostAliases":[{"ip":"10.0.0.1","hostnames":["z"]}]}}"#,
            expected: r#"{"spec":{"hostAliases":[{"ip":"10.0.0.1","hostnames":["z"]},{"ip":"10.0.0.2","hostnames":["c"]}]}}"#,
        },
        Apply {
            name: "topologySpreadConstraints merge by topologyKey",
            kind: "Pod",
            original: r#"{"spec":{"topologySpreadConstraints":[
                {"topologyKey":"zone","maxSkew":1,"whenUnsatisfiable":"DoNotSchedule"}]}}"#,
            patch: r#"{"spec":{"topologySpreadConstraints":[{"topologyKey":"zone","maxSkew":2}]}}"#,
            expected: r#"{"spec":{"topologySpreadConstraints":[
                {"topologyKey":"zone","maxSkew":2,"whenUnsatisfiable":"DoNotSchedule"}]}}"#,
        },
        Apply {
            name: "schedulingGates merge by name: removing one gate",
            kind: "Pod",
            original: r#"{"spec":{"schedulingGates":[{"name":"quota"},{"name":"storage"}]}}"#,
            patch: r#"{"spec":{"schedulingGates":[{"name":"quota","$patch":"delete"}]}}"#,
            expected: r#"{"spec":{"schedulingGates":[{"name":"storage"}]}}"#,
        },
        Apply {
            name: "resourceClaims merge by name and honour $retainKeys",
            kind: "Pod",
            original: r#"{"spec":{"resourceClaims":[{"name":"gpu","resourceClaimName":"c1"}]}}"#,
            patch: r#"{"spec":{"resourceClaims":[{"name":"gpu",
                "$retainKeys":["name","resourceClaimTemplateName"],"resourceClaimTemplateName":"t1"}]}}"#,
            expected: r#"{"spec":{"resourceClaims":[{"name":"gpu","resourceClaimTemplateName":"t1"}]}}"#,
        },
        Apply {
            name: "readinessGates and tolerations carry no tag: replaced",
            kind: "Pod",
            original: r#"{"spec":{"readinessGates":[{"conditionType":"a"}],
                "tolerations":[{"key":"k","operator":"Exists"}]}}"#,
            patch: r#"{"spec":{"readinessGates":[{"conditionType":"b"}],
                "tolerations":[{"key":"other","operator":"Exists"}]}}"#,
            expected: r#"{"spec":{"readinessGates":[{"conditionType":"b"}],
                "tolerations":[{"key":"other","operator":"Exists"}]}}"#,
        },
    ]);
}

#[test]
fn container_lists() {
    check_apply(&[
        Apply {
            name: "ports merge by containerPort",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"app","ports":[
                {"containerPort":80,"protocol":"TCP"},{"containerPort":443}]}]}}"#,
            patch: r#"{"spec":{"containers":[{"name":"app","ports":[{"containerPort":80,"name":"http"}]}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"app","ports":[
                {"containerPort":80,"protocol":"TCP","name":"http"},{"containerPort":443}]}]}}"#,
        },
        Apply {
            name: "merge keys compare numbers by value",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"app","ports":[{"containerPort":80}]}]}}"#,
            patch: r#"{"spec":{"containers":[{"name":"app","ports":[{"containerPort":80.0,"name":"http"}]}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"app","ports":[{"containerPort":80.0,"name":"http"}]}]}}"#,
        },
        Apply {
            name: "env merges by name; live-only variables keep their place",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"app","env":[
                {"name":"A","value":"1"},{"name":"B","value":"2"}]}]}}"#,
            patch: r#"{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"3"}]}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"app","env":[
                {"name":"A","value":"1"},{"name":"B","value":"3"}]}]}}"#,
        },
        Apply {
            name: "volumeMounts merge by mountPath",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"app","volumeMounts":[{"name":"data","mountPath":"/data"}]}]}}"#,
            patch: r#"{"spec":{"containers":[{"name":"app","volumeMounts":[{"mountPath":"/data","readOnly":true}]}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"app","volumeMounts":[
                {"name":"data","mountPath":"/data","readOnly":true}]}]}}"#,
        },
        Apply {
            name: "volumeDevices merge by devicePath",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"app","volumeDevices":[{"name":"raw","devicePath":"/dev/xvda"}]}]}}"#,
            patch: r#"{"spec":{"containers":[{"name":"app","volumeDevices":[{"name":"raw-2","devicePath":"/dev/xvdb"}]}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"app","volumeDevices":[
                {"name":"raw-2","devicePath":"/dev/xvdb"},{"name":"raw","devicePath":"/dev/xvda"}]}]}}"#,
        },
        Apply {
            name: "resizePolicy is atomic upstream: replaced",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"app","resizePolicy":[
                {"resourceName":"cpu","restartPolicy":"NotRequired"},
                {"resourceName":"memory","restartPolicy":"RestartContainer"}]}]}}"#,
            patch: r#"{"spec":{"containers":[{"name":"app","resizePolicy":[
                {"resourceName":"cpu","restartPolicy":"RestartContainer"}]}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"app","resizePolicy":[
                {"resourceName":"cpu","restartPolicy":"RestartContainer"}]}]}}"#,
        },
        Apply {
            name: "ephemeral containers have the same keyed lists",
            kind: "Pod",
            original: r#"{"spec":{"ephemeralContainers":[{"name":"dbg","env":[{"name":"A","value":"1"}]}]}}"#,
            patch: r#"{"spec":{"ephemeralContainers":[{"name":"dbg","env":[{"name":"A","value":"2"}]}]}}"#,
            expected: r#"{"spec":{"ephemeralContainers":[{"name":"dbg","env":[{"name":"A","value":"2"}]}]}}"#,
        },
    ]);
}

#[test]
fn pod_status_lists() {
    check_apply(&[
        Apply {
            name: "conditions merge by type, ordered by $setElementOrder (the kubelet's patch)",
            kind: "Pod",
            original: r#"{"status":{"phase":"Pending","conditions":[
                {"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}"#,
            patch: r#"{"status":{"phase":"Running",
                "$setElementOrder/conditions":[{"type":"Ready"},{"type":"PodScheduled"}],
                "conditions":[{"type":"Ready","status":"True"}]}}"#,
            expected: r#"{"status":{"phase":"Running","conditions":[
                {"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]}}"#,
        },
        Apply {
            name: "podIPs merge by ip",
            kind: "Pod",
            original: r#"{"status":{"podIPs":[{"ip":"10.1.0.5"}]}}"#,
            patch: r#"{"status":{"$setElementOrder/podIPs":[{"ip":"10.1.0.5"},{"ip":"fd00::5"}],
                "podIPs":[{"ip":"fd00::5"}]}}"#,
            expected: r#"{"status":{"podIPs":[{"ip":"10.1.0.5"},{"ip":"fd00::5"}]}}"#,
        },
        Apply {
            name: "hostIPs merge by ip",
            kind: "Pod",
            original: r#"{"status":{"hostIPs":[{"ip":"192.168.1.10"}]}}"#,
            patch: r#"{"status":{"hostIPs":[{"ip":"192.168.1.10","$patch":"delete"}]}}"#,
            expected: r#"{"status":{"hostIPs":[]}}"#,
        },
        Apply {
            name: "containerStatuses carry no tag: replaced",
            kind: "Pod",
            original: r#"{"status":{"containerStatuses":[{"name":"a","ready":true},{"name":"b","ready":true}]}}"#,
            patch: r#"{"status":{"containerStatuses":[{"name":"a","ready":false}]}}"#,
            expected: r#"{"status":{"containerStatuses":[{"name":"a","ready":false}]}}"#,
        },
    ]);
}

#[test]
fn service_node_and_endpoints() {
    check_apply(&[
        Apply {
            name: "service ports merge by port",
            kind: "Service",
            original: r#"{"spec":{"ports":[
                {"name":"http","port":80,"targetPort":8080,"protocol":"TCP"},
                {"name":"https","port":443,"protocol":"TCP"}]}}"#,
            patch: r#"{"spec":{"ports":[{"port":80,"targetPort":9090}]}}"#,
            expected: r#"{"spec":{"ports":[
                {"name":"http","port":80,"targetPort":9090,"protocol":"TCP"},
                {"name":"https","port":443,"protocol":"TCP"}]}}"#,
        },
        Apply {
            // Upstream merges service ports on `port` alone: a TCP port patched onto a UDP
            // port with the same number replaces it instead of being added.
            name: "service ports that differ only in protocol collide",
            kind: "Service",
            original: r#"{"spec":{"ports":[{"name":"dns","port":53,"protocol":"UDP"}]}}"#,
            patch: r#"{"spec":{"ports":[{"name":"dns-tcp","port":53,"protocol":"TCP"}]}}"#,
            expected: r#"{"spec":{"ports":[{"name":"dns-tcp","port":53,"protocol":"TCP"}]}}"#,
        },
        Apply {
            name: "service status conditions merge by type",
            kind: "Service",
            original: r#"{"status":{"conditions":[{"type":"LoadBalancerReady","status":"False"}]}}"#,
            patch: r#"{"status":{"conditions":[{"type":"LoadBalancerReady","status":"True"}]}}"#,
            expected: r#"{"status":{"conditions":[{"type":"LoadBalancerReady","status":"True"}]}}"#,
        },
        Apply {
            name: "node status conditions and addresses merge by type",
            kind: "Node",
            original: r#"{"status":{
                "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"t1"},
                              {"type":"MemoryPressure","status":"False"}],
                "addresses":[{"type":"InternalIP","address":"10.0.0.1"},
                             {"type":"Hostname","address":"n1"}]}}"#,
            patch: r#"{"status":{
                "conditions":[{"type":"Ready","lastHeartbeatTime":"t2"}],
                "addresses":[{"type":"InternalIP","address":"10.0.0.2"}]}}"#,
            expected: r#"{"status":{
                "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"t2"},
                              {"type":"MemoryPressure","status":"False"}],
                "addresses":[{"type":"InternalIP","address":"10.0.0.2"},
                             {"type":"Hostname","address":"n1"}]}}"#,
        },
        Apply {
            name: "node taints carry no tag: replaced",
            kind: "Node",
            original: r#"{"spec":{"taints":[{"key":"a","effect":"NoSchedule"}]}}"#,
            patch: r#"{"spec":{"taints":[{"key":"b","effect":"NoExecute"}]}}"#,
            expected: r#"{"spec":{"taints":[{"key":"b","effect":"NoExecute"}]}}"#,
        },
        Apply {
            name: "node podCIDRs are a set",
            kind: "Node",
            original: r#"{"spec":{"podCIDRs":["10.0.0.0/24"]}}"#,
            patch: r#"{"spec":{"$setElementOrder/podCIDRs":["10.0.0.0/24","fd00::/64"],"podCIDRs":["fd00::/64"]}}"#,
            expected: r#"{"spec":{"podCIDRs":["10.0.0.0/24","fd00::/64"]}}"#,
        },
        Apply {
            name: "endpoints subsets are atomic",
            kind: "Endpoints",
            original: r#"{"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80}]}]}"#,
            patch: r#"{"subsets":[{"addresses":[{"ip":"10.0.0.2"}]}]}"#,
            expected: r#"{"subsets":[{"addresses":[{"ip":"10.0.0.2"}]}]}"#,
        },
        Apply {
            name: "service account secrets merge by name",
            kind: "ServiceAccount",
            original: r#"{"secrets":[{"name":"token-a"}]}"#,
            patch: r#"{"secrets":[{"name":"token-b"}]}"#,
            expected: r#"{"secrets":[{"name":"token-b"},{"name":"token-a"}]}"#,
        },
        Apply {
            name: "component status conditions merge by type",
            kind: "ComponentStatus",
            original: r#"{"conditions":[{"type":"Healthy","status":"True"}]}"#,
            patch: r#"{"conditions":[{"type":"Healthy","status":"False","error":"down"}]}"#,
            expected: r#"{"conditions":[{"type":"Healthy","status":"False","error":"down"}]}"#,
        },
        Apply {
            name: "events patch their metadata and replace lists",
            kind: "Event",
            original: r#"{"metadata":{"finalizers":["a"]},"count":1,"reason":"Started"}"#,
            patch: r#"{"metadata":{"finalizers":["a"]},"count":2}"#,
            expected: r#"{"metadata":{"finalizers":["a"]},"count":2,"reason":"Started"}"#,
        },
    ]);
}

#[test]
fn conditions_of_every_controller_and_volume_kind() {
    let original = r#"{"status":{"conditions":[
        {"type":"Progressing","status":"True"},{"type":"Available","status":"False"}]}}"#;
    let patch = r#"{"status":{"conditions":[{"type":"Available","status":"True"}]}}"#;
    let expected = r#"{"status":{"conditions":[
        {"type":"Progressing","status":"True"},{"type":"Available","status":"True"}]}}"#;
    for kind in [
        "Deployment",
        "ReplicaSet",
        "DaemonSet",
        "StatefulSet",
        "ReplicationController",
        "Namespace",
        "PersistentVolumeClaim",
        "Node",
        "Pod",
        "Service",
    ] {
        let result = strategic_merge_patch(&json(original), &json(patch), kind).unwrap();
        assert_eq!(result, json(expected), "{kind}");
    }
    // A PersistentVolume has no conditions upstream: the list is replaced.
    let result = strategic_merge_patch(&json(original), &json(patch), "PersistentVolume").unwrap();
    assert_eq!(result, json(patch), "PersistentVolume");
}

#[test]
fn pod_templates_of_every_controller() {
    let original = r#"{"spec":{"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
        {"name":"app","image":"v1"},{"name":"sidecar","image":"s1"}]}}}}"#;
    let patch = r#"{"spec":{"template":{"metadata":{"labels":{"rev":"2"}},
        "spec":{"containers":[{"name":"app","image":"v2"}]}}}}"#;
    let expected = r#"{"spec":{"template":{"metadata":{"labels":{"app":"web","rev":"2"}},
        "spec":{"containers":[{"name":"app","image":"v2"},{"name":"sidecar","image":"s1"}]}}}}"#;
    for kind in ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ReplicationController"] {
        let result = strategic_merge_patch(&json(original), &json(patch), kind).unwrap();
        assert_eq!(result, json(expected), "{kind}");
    }
    let template_original =
        r#"{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"X","value":"1"}]}]}}}"#;
    let template_patch =
        r#"{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"X","value":"2"}]}]}}}"#;
    let result =
        strategic_merge_patch(&json(template_original), &json(template_patch), "PodTemplate")
            .unwrap();
    assert_eq!(result, json(template_patch), "PodTemplate");
}

#[test]
fn deployment_nested_template_env_and_strategy() {
    check_apply(&[
        Apply {
            name: "spec.template.spec.containers by name, then env by name inside",
            kind: "Deployment",
            original: r#"{"metadata":{"name":"web"},"spec":{"replicas":2,"template":{"spec":{"containers":[
                {"name":"app","image":"app:v1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
                {"name":"sidecar","image":"proxy:v1"}]}}}}"#,
            patch: r#"{"spec":{"template":{"spec":{"containers":[
                {"name":"app","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}}}}"#,
            expected: r#"{"metadata":{"name":"web"},"spec":{"replicas":2,"template":{"spec":{"containers":[
                {"name":"app","image":"app:v1","env":[
                    {"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}]},
                {"name":"sidecar","image":"proxy:v1"}]}}}}"#,
        },
        Apply {
            name: "strategy with $retainKeys drops rollingUpdate (retainKeys)",
            kind: "Deployment",
            original: r#"{"spec":{"strategy":{"type":"RollingUpdate",
                "rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}}}"#,
            patch: r#"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#,
            expected: r#"{"spec":{"strategy":{"type":"Recreate"}}}"#,
        },
        Apply {
            name: "strategy without $retainKeys merges like any map",
            kind: "Deployment",
            original: r#"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"#,
            patch: r#"{"spec":{"strategy":{"rollingUpdate":{"maxUnavailable":2}}}}"#,
            expected: r#"{"spec":{"strategy":{"type":"RollingUpdate",
                "rollingUpdate":{"maxSurge":1,"maxUnavailable":2}}}}"#,
        },
    ]);
}

// ---------------------------------------------------------------------------------------------
// The book's `kubectl patch` examples and kubectl-apply style patches.

#[test]
fn kubectl_patch_examples() {
    check_apply(&[
        Apply {
            name: "kubectl patch node n1 -p '{\"spec\":{\"unschedulable\":true}}'",
            kind: "Node",
            original: r#"{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},
                "spec":{"podCIDR":"10.244.1.0/24"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}"#,
            patch: r#"{"spec":{"unschedulable":true}}"#,
            expected: r#"{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},
                "spec":{"podCIDR":"10.244.1.0/24","unschedulable":true},
                "status":{"conditions":[{"type":"Ready","status":"True"}]}}"#,
        },
        Apply {
            name: "kubectl uncordon: back to schedulable",
            kind: "Node",
            original: r#"{"metadata":{"name":"n1"},"spec":{"unschedulable":true}}"#,
            patch: r#"{"spec":{"unschedulable":null}}"#,
            expected: r#"{"metadata":{"name":"n1"},"spec":{}}"#,
        },
        Apply {
            name: "kubectl patch pod x -p '{\"metadata\":{\"labels\":{\"role\":\"db\"}}}'",
            kind: "Pod",
            original: r#"{"metadata":{"name":"x","labels":{"app":"mysql"}},"spec":{"containers":[{"name":"db"}]}}"#,
            patch: r#"{"metadata":{"labels":{"role":"db"}}}"#,
            expected: r#"{"metadata":{"name":"x","labels":{"app":"mysql","role":"db"}},
                "spec":{"containers":[{"name":"db"}]}}"#,
        },
        Apply {
            name: "label overwrite and removal (kubectl label --overwrite / role-)",
            kind: "Pod",
            original: r#"{"metadata":{"name":"x","labels":{"app":"mysql","role":"db"}}}"#,
            patch: r#"{"metadata":{"labels":{"app":"postgres","role":null}}}"#,
            expected: r#"{"metadata":{"name":"x","labels":{"app":"postgres"}}}"#,
        },
        Apply {
            name: "labels on a pod without any",
            kind: "Pod",
            original: r#"{"metadata":{"name":"x"}}"#,
            patch: r#"{"metadata":{"labels":{"role":"db"}}}"#,
            expected: r#"{"metadata":{"name":"x","labels":{"role":"db"}}}"#,
        },
        Apply {
            name: "kubectl scale style: replicas",
            kind: "ReplicationController",
            original: r#"{"spec":{"replicas":1,"selector":{"app":"web"}}}"#,
            patch: r#"{"spec":{"replicas":3}}"#,
            expected: r#"{"spec":{"replicas":3,"selector":{"app":"web"}}}"#,
        },
    ]);
}

const DEPLOYMENT: &str = r#"{"metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[
    {"name":"app","image":"app:v1","ports":[{"containerPort":80},{"containerPort":9090}],
     "env":[{"name":"LOG","value":"info"}]},
    {"name":"sidecar","image":"proxy:v1"}]}}}}"#;

#[test]
fn kubectl_apply_style_patches() {
    check_apply(&[
        Apply {
            name: "change the image of one container",
            kind: "Deployment",
            original: DEPLOYMENT,
            patch: r#"{"spec":{"template":{"spec":{
                "$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
                "containers":[{"image":"app:v2","name":"app"}]}}}}"#,
            expected: r#"{"metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[
                {"name":"app","image":"app:v2","ports":[{"containerPort":80},{"containerPort":9090}],
                 "env":[{"name":"LOG","value":"info"}]},
                {"name":"sidecar","image":"proxy:v1"}]}}}}"#,
        },
        Apply {
            name: "add an env var",
            kind: "Deployment",
            original: DEPLOYMENT,
            patch: r#"{"spec":{"template":{"spec":{
                "$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
                "containers":[{"name":"app",
                    "$setElementOrder/env":[{"name":"LOG"},{"name":"MODE"}],
                    "env":[{"name":"MODE","value":"fast"}]}]}}}}"#,
            expected: r#"{"metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[
                {"name":"app","image":"app:v1","ports":[{"containerPort":80},{"containerPort":9090}],
                 "env":[{"name":"LOG","value":"info"},{"name":"MODE","value":"fast"}]},
                {"name":"sidecar","image":"proxy:v1"}]}}}}"#,
        },
        Apply {
            name: "remove a port with $patch: delete",
            kind: "Deployment",
            original: DEPLOYMENT,
            patch: r#"{"spec":{"template":{"spec":{"containers":[{"name":"app",
                "ports":[{"containerPort":9090,"$patch":"delete"}]}]}}}}"#,
            expected: r#"{"metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[
                {"name":"app","image":"app:v1","ports":[{"containerPort":80}],
                 "env":[{"name":"LOG","value":"info"}]},
                {"name":"sidecar","image":"proxy:v1"}]}}}}"#,
        },
        Apply {
            name: "remove a whole container with $patch: delete",
            kind: "Deployment",
            original: DEPLOYMENT,
            patch: r#"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}"#,
            expected: r#"{"metadata":{"name":"web"},"spec":{"template":{"spec":{"containers":[
                {"name":"app","image":"app:v1","ports":[{"containerPort":80},{"containerPort":9090}],
                 "env":[{"name":"LOG","value":"info"}]}]}}}}"#,
        },
    ]);
}

// ---------------------------------------------------------------------------------------------
// Directives.

#[test]
fn patch_directive_on_maps() {
    check_apply(&[
        Apply {
            name: "$patch: replace swaps the whole map",
            kind: "Pod",
            original: r#"{"metadata":{"labels":{"a":"1","b":"2"}}}"#,
            patch: r#"{"metadata":{"labels":{"$patch":"replace","only":"this"}}}"#,
            expected: r#"{"metadata":{"labels":{"only":"this"}}}"#,
        },
        Apply {
            name: "$patch: replace at the top replaces the object",
            kind: "ConfigMap",
            original: r#"{"metadata":{"name":"c"},"data":{"a":"1"}}"#,
            patch: r#"{"$patch":"replace","metadata":{"name":"c"}}"#,
            expected: r#"{"metadata":{"name":"c"}}"#,
        },
        Apply {
            name: "$patch: replace content is itself cleaned of nulls",
            kind: "Pod",
            original: r#"{"metadata":{"labels":{"a":"1"}}}"#,
            patch: r#"{"metadata":{"labels":{"$patch":"replace","b":"2","c":null}}}"#,
            expected: r#"{"metadata":{"labels":{"b":"2"}}}"#,
        },
        Apply {
            name: "$patch: delete empties a map (as upstream: the key stays)",
            kind: "Pod",
            original: r#"{"spec":{"securityContext":{"runAsUser":1000},"hostNetwork":true}}"#,
            patch: r#"{"spec":{"securityContext":{"$patch":"delete"}}}"#,
            expected: r#"{"spec":{"securityContext":{},"hostNetwork":true}}"#,
        },
        Apply {
            name: "$patch: delete of a map that is not there adds nothing",
            kind: "Pod",
            original: r#"{"spec":{"hostNetwork":true}}"#,
            patch: r#"{"spec":{"affinity":{"$patch":"delete"}}}"#,
            expected: r#"{"spec":{"hostNetwork":true}}"#,
        },
        Apply {
            name: "$patch: merge is the default spelled out",
            kind: "Pod",
            original: r#"{"metadata":{"labels":{"a":"1"}}}"#,
            patch: r#"{"metadata":{"labels":{"$patch":"merge","b":"2"}}}"#,
            expected: r#"{"metadata":{"labels":{"a":"1","b":"2"}}}"#,
        },
    ]);
}

#[test]
fn patch_directive_in_lists() {
    check_apply(&[
        Apply {
            name: "{\"$patch\":\"replace\"} replaces a keyed list",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}"#,
            patch: r#"{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"z"}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"only","image":"z"}]}}"#,
        },
        Apply {
            name: "{\"$patch\":\"replace\"} alone empties the list",
            kind: "Pod",
            original: r#"{"spec":{"imagePullSecrets":[{"name":"a"},{"name":"b"}]}}"#,
            patch: r#"{"spec":{"imagePullSecrets":[{"$patch":"replace"}]}}"#,
            expected: r#"{"spec":{"imagePullSecrets":[]}}"#,
        },
        Apply {
            name: "replacement elements are cleaned of nulls",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"a","image":"x"}]}}"#,
            patch: r#"{"spec":{"containers":[{"$patch":"replace"},{"name":"b","image":null}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"b"}]}}"#,
        },
        Apply {
            name: "delete removes every live element with the key",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"a","env":[
                {"name":"X","value":"1"},{"name":"X","value":"2"},{"name":"Y","value":"3"}]}]}}"#,
            patch: r#"{"spec":{"containers":[{"name":"a","env":[{"name":"X","$patch":"delete"}]}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"a","env":[{"name":"Y","value":"3"}]}]}}"#,
        },
        Apply {
            name: "delete of an element that is not there is a no-op",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"a"}]}}"#,
            patch: r#"{"spec":{"containers":[{"name":"ghost","$patch":"delete"},{"name":"b"}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"b"},{"name":"a"}]}}"#,
        },
        Apply {
            name: "a new list keeps data elements and drops directives",
            kind: "Pod",
            original: r#"{"spec":{}}"#,
            patch: r#"{"spec":{"containers":[{"name":"a"},{"name":"b","$patch":"delete"}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"a"}]}}"#,
        },
    ]);
}

#[test]
fn delete_from_primitive_list() {
    check_apply(&[
        Apply {
            name: "removes values from a merging primitive list",
            kind: "Pod",
            original: r#"{"metadata":{"finalizers":["a","b","c"]}}"#,
            patch: r#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}"#,
            expected: r#"{"metadata":{"finalizers":["a","c"]}}"#,
        },
        Apply {
            name: "removes every copy",
            kind: "Pod",
            original: r#"{"metadata":{"finalizers":["a","b","b"]}}"#,
            patch: r#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}"#,
            expected: r#"{"metadata":{"finalizers":["a"]}}"#,
        },
        Apply {
            name: "works on an untagged list (container args)",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"app","args":["--port=80","--verbose"]}]}}"#,
            patch: r#"{"spec":{"containers":[{"name":"app","$deleteFromPrimitiveList/args":["--verbose"]}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"app","args":["--port=80"]}]}}"#,
        },
        Apply {
            name: "a missing value or a missing list changes nothing",
            kind: "Pod",
            original: r#"{"metadata":{"finalizers":["a"]}}"#,
            patch: r#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["z"],
                "$deleteFromPrimitiveList/other":["z"]}}"#,
            expected: r#"{"metadata":{"finalizers":["a"]}}"#,
        },
        Apply {
            name: "together with additions and an order",
            kind: "Pod",
            original: r#"{"metadata":{"finalizers":["a","b"]}}"#,
            patch: r#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],
                "$setElementOrder/finalizers":["b","c"],"finalizers":["c"]}}"#,
            expected: r#"{"metadata":{"finalizers":["b","c"]}}"#,
        },
    ]);
}

#[test]
fn set_element_order() {
    check_apply(&[
        Apply {
            name: "reorders a keyed list without changing content",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b"},{"name":"c"}]}}"#,
            patch: r#"{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"},{"name":"b"}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"c"},{"name":"a","image":"1"},{"name":"b"}]}}"#,
        },
        Apply {
            name: "reorders a primitive list",
            kind: "Pod",
            original: r#"{"metadata":{"finalizers":["a","b","c"]}}"#,
            patch: r#"{"metadata":{"$setElementOrder/finalizers":["c","a","b"]}}"#,
            expected: r#"{"metadata":{"finalizers":["c","a","b"]}}"#,
        },
        Apply {
            name: "places new elements where the order says",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"a"},{"name":"c"}]}}"#,
            patch: r#"{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"},{"name":"c"}],
                "containers":[{"name":"b","image":"new"}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"a"},{"name":"b","image":"new"},{"name":"c"}]}}"#,
        },
        Apply {
            // x was ahead of b in the live list, so it stays ahead of b.
            name: "live elements it does not name keep their place relative to named ones",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"a"},{"name":"x"},{"name":"b"}]}}"#,
            patch: r#"{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"x"},{"name":"b"},{"name":"a"}]}}"#,
        },
        Apply {
            name: "names that exist nowhere are ignored",
            kind: "Pod",
            original: r#"{"metadata":{"finalizers":["a","c"]}}"#,
            patch: r#"{"metadata":{"$setElementOrder/finalizers":["c","b","a"]}}"#,
            expected: r#"{"metadata":{"finalizers":["c","a"]}}"#,
        },
        Apply {
            name: "creates a list in the given order",
            kind: "Pod",
            original: r#"{"spec":{}}"#,
            patch: r#"{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],
                "containers":[{"name":"b"},{"name":"a"}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"b"},{"name":"a"}]}}"#,
        },
        Apply {
            name: "without it, patch order wins and live-only elements keep their place",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"1"},{"name":"2","image":"b"},{"name":"3"}]}}"#,
            patch: r#"{"spec":{"containers":[{"name":"3","image":"c"},{"name":"1","image":"a"}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"2","image":"b"},{"name":"3","image":"c"},
                {"name":"1","image":"a"}]}}"#,
        },
    ]);
}

#[test]
fn retain_keys() {
    check_apply(&[
        Apply {
            name: "switching a volume source",
            kind: "Pod",
            original: r#"{"spec":{"volumes":[{"name":"v","secret":{"secretName":"s"}}]}}"#,
            patch: r#"{"spec":{"$setElementOrder/volumes":[{"name":"v"}],"volumes":[{"name":"v",
                "$retainKeys":["configMap","name"],"configMap":{"name":"c"},"secret":null}]}}"#,
            expected: r#"{"spec":{"volumes":[{"name":"v","configMap":{"name":"c"}}]}}"#,
        },
        Apply {
            name: "an empty list clears everything the patch does not set",
            kind: "Deployment",
            original: r#"{"spec":{"strategy":{"type":"RollingUpdate"}}}"#,
            patch: r#"{"spec":{"strategy":{"$retainKeys":[]}}}"#,
            expected: r#"{"spec":{"strategy":{}}}"#,
        },
    ]);
}

#[test]
fn nulls() {
    check_apply(&[
        Apply {
            name: "null deletes a member",
            kind: "Pod",
            original: r#"{"spec":{"nodeName":"n1","hostNetwork":true}}"#,
            patch: r#"{"spec":{"nodeName":null}}"#,
            expected: r#"{"spec":{"hostNetwork":true}}"#,
        },
        Apply {
            name: "null for a missing member is ignored",
            kind: "Pod",
            original: r#"{"spec":{}}"#,
            patch: r#"{"spec":{"nodeName":null}}"#,
            expected: r#"{"spec":{}}"#,
        },
        Apply {
            name: "nulls inside new maps are dropped",
            kind: "Pod",
            original: r#"{"metadata":{}}"#,
            patch: r#"{"metadata":{"annotations":{"a":"1","b":null}}}"#,
            expected: r#"{"metadata":{"annotations":{"a":"1"}}}"#,
        },
        Apply {
            name: "nulls inside new list elements are dropped",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"a"}]}}"#,
            patch: r#"{"spec":{"containers":[{"name":"b","image":null,"resources":{"limits":null}}]}}"#,
            expected: r#"{"spec":{"containers":[{"name":"b","resources":{}},{"name":"a"}]}}"#,
        },
        Apply {
            name: "null deletes a whole list",
            kind: "Pod",
            original: r#"{"spec":{"containers":[{"name":"a"}],"volumes":[{"name":"v"}]}}"#,
            patch: r#"{"spec":{"volumes":null}}"#,
            expected: r#"{"spec":{"containers":[{"name":"a"}]}}"#,
        },
        Apply {
            name: "a change of JSON type takes the patch value",
            kind: "Pod",
            original: r#"{"spec":{"x":[1],"y":{"a":1},"z":"s"}}"#,
            patch: r#"{"spec":{"x":{"b":null,"c":2},"y":"now a string","z":[1]}}"#,
            expected: r#"{"spec":{"x":{"c":2},"y":"now a string","z":[1]}}"#,
        },
    ]);
}

#[test]
fn unknown_kinds_merge_maps_and_replace_lists() {
    check_apply(&[
        Apply {
            name: "custom resource",
            kind: "Widget",
            original: r#"{"spec":{"items":[{"name":"a","v":1},{"name":"b"}],"settings":{"a":1,"b":2}}}"#,
            patch: r#"{"spec":{"items":[{"name":"a","v":2}],"settings":{"b":null,"c":3}}}"#,
            expected: r#"{"spec":{"items":[{"name":"a","v":2}],"settings":{"a":1,"c":3}}}"#,
        },
        Apply {
            name: "directives still work",
            kind: "Widget",
            original: r#"{"spec":{"tags":["a","b"],"settings":{"a":1}}}"#,
            patch: r#"{"spec":{"$deleteFromPrimitiveList/tags":["a"],"settings":{"$patch":"replace","z":1}}}"#,
            expected: r#"{"spec":{"tags":["b"],"settings":{"z":1}}}"#,
        },
        Apply {
            name: "a known kind's untagged field behaves the same",
            kind: "Pod",
            original: r#"{"spec":{"dnsConfig":{"nameservers":["1.1.1.1"],"searches":["a"]}}}"#,
            patch: r#"{"spec":{"dnsConfig":{"nameservers":["8.8.8.8"]}}}"#,
            expected: r#"{"spec":{"dnsConfig":{"nameservers":["8.8.8.8"],"searches":["a"]}}}"#,
        },
    ]);
}

// ---------------------------------------------------------------------------------------------
// Errors.

#[test]
fn errors() {
    let cases: &[(&str, &str, &str, &str, PatchError)] = &[
        (
            "a keyed list element without its merge key",
            "Deployment",
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}"#,
            r#"{"spec":{"template":{"spec":{"containers":[{"image":"httpd"}]}}}}"#,
            PatchError::MissingMergeKey { item: "map[image:httpd]".into(), key: "name".into() },
        ),
        (
            "a delete directive without its merge key",
            "Pod",
            r#"{"spec":{"containers":[{"name":"a"}]}}"#,
            r#"{"spec":{"containers":[{"$patch":"delete"}]}}"#,
            PatchError::MissingMergeKey { item: "map[$patch:delete]".into(), key: "name".into() },
        ),
        (
            "a port without containerPort",
            "Pod",
            r#"{"spec":{"containers":[{"name":"a","ports":[{"containerPort":80}]}]}}"#,
            r#"{"spec":{"containers":[{"name":"a","ports":[{"name":"http"}]}]}}"#,
            PatchError::MissingMergeKey {
                item: "map[name:http]".into(),
                key: "containerPort".into(),
            },
        ),
        (
            "an unknown $patch value on a map",
            "Pod",
            r#"{"metadata":{"labels":{"a":"1"}}}"#,
            r#"{"metadata":{"labels":{"$patch":"frobnicate"}}}"#,
            PatchError::UnknownDirective {
                directive: "frobnicate".into(),
                item: "map[$patch:frobnicate]".into(),
            },
        ),
        (
            "a $patch value that is not a string",
            "Pod",
            r#"{"metadata":{"labels":{"a":"1"}}}"#,
            r#"{"metadata":{"labels":{"$patch":true}}}"#,
            PatchError::UnknownDirective {
                directive: "true".into(),
                item: "map[$patch:true]".into(),
            },
        ),
        (
            "an unknown $patch value in a list",
            "Pod",
            r#"{"spec":{"containers":[{"name":"a"}]}}"#,
            r#"{"spec":{"containers":[{"name":"a","$patch":"remove"}]}}"#,
            PatchError::UnknownDirective {
                directive: "remove".into(),
                item: "map[$patch:remove name:a]".into(),
            },
        ),
        (
            "$patch: merge as a list element",
            "Pod",
            r#"{"spec":{"containers":[{"name":"a"}]}}"#,
            r#"{"spec":{"containers":[{"$patch":"merge"}]}}"#,
            PatchError::MergeDirectiveInList,
        ),
        (
            "$retainKeys that is not a list",
            "Deployment",
            r#"{"spec":{"strategy":{"type":"Recreate"}}}"#,
            r#"{"spec":{"strategy":{"$retainKeys":"type"}}}"#,
            PatchError::BadRetainKeysDirective,
        ),
        (
            "a patch setting a key $retainKeys drops",
            "Deployment",
            r#"{"spec":{"strategy":{"type":"Recreate"}}}"#,
            r#"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":1}}}}"#,
            PatchError::BadRetainKeysDirective,
        ),
        (
            "$setElementOrder that is not a list",
            "Pod",
            r#"{"metadata":{"finalizers":["a"]}}"#,
            r#"{"metadata":{"$setElementOrder/finalizers":"a"}}"#,
            PatchError::BadSetElementOrderDirective,
        ),
        (
            "$setElementOrder without a field",
            "Pod",
            r#"{"metadata":{"finalizers":["a"]}}"#,
            r#"{"metadata":{"$setElementOrder":["a"]}}"#,
            PatchError::BadSetElementOrderDirective,
        ),
        (
            "$deleteFromPrimitiveList without a field",
            "Pod",
            r#"{"metadata":{"finalizers":["a"]}}"#,
            r#"{"metadata":{"$deleteFromPrimitiveList":["a"]}}"#,
            PatchError::BadPrimitiveListDirective,
        ),
        (
            "$deleteFromPrimitiveList that is not a list",
            "Pod",
            r#"{"metadata":{"finalizers":["a"]}}"#,
            r#"{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}"#,
            PatchError::BadPrimitiveListDirective,
        ),
        (
            "a patch list out of $setElementOrder's order",
            "Pod",
            r#"{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}"#,
            r#"{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],
                "containers":[{"name":"b","image":"x"},{"name":"a","image":"y"}]}}"#,
            PatchError::SetElementOrderMismatch {
                patch: "[map[image:x name:b] map[image:y name:a]]".into(),
                order: "[map[name:a] map[name:b]]".into(),
            },
        ),
        (
            "a merging list of lists",
            "Pod",
            r#"{"metadata":{"finalizers":[["a"]]}}"#,
            r#"{"metadata":{"finalizers":[["b"]]}}"#,
            PatchError::ListOfLists,
        ),
        (
            "a merging list mixing strings and numbers",
            "Pod",
            r#"{"metadata":{"finalizers":["a"]}}"#,
            r#"{"metadata":{"finalizers":[1]}}"#,
            PatchError::MixedListElements { lists: "[[a] [1]]".into() },
        ),
        (
            "objects in a merging primitive list",
            "Pod",
            r#"{"metadata":{"finalizers":[{"a":1}]}}"#,
            r#"{"metadata":{"finalizers":[{"b":1}]}}"#,
            PatchError::ListWithoutMergeKey { field: "finalizers".into() },
        ),
        (
            "$setElementOrder for something that is not a list",
            "Pod",
            r#"{"metadata":{"finalizers":"a"}}"#,
            r#"{"metadata":{"$setElementOrder/finalizers":["a"]}}"#,
            PatchError::UnexpectedType { expected: "[]interface {}", found: "string" },
        ),
        (
            "a patch that is not an object",
            "Pod",
            r#"{"metadata":{}}"#,
            r#"[{"op":"add"}]"#,
            PatchError::InvalidJsonDocument,
        ),
    ];
    for (name, kind, original, patch, expected) in cases {
        let original = json(original);
        let before = original.clone();
        let err = strategic_merge_patch(&original, &json(patch), kind).unwrap_err();
        assert_eq!(&err, expected, "{name}");
        assert_eq!(original, before, "{name}: the original is untouched");
    }
}

#[test]
fn error_messages_read_like_upstream() {
    let err = strategic_merge_patch(
        &json(r#"{"spec":{"template":{"spec":{"containers":[{"name":"nginx"}]}}}}"#),
        &json(r#"{"spec":{"template":{"spec":{"containers":[{"image":"httpd"}]}}}}"#),
        "Deployment",
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "map: map[image:httpd] does not contain declared merge key: name");
    assert_eq!(err.status_code(), 500);
    let err = strategic_merge_patch(&json("{}"), &json("[]"), "Pod").unwrap_err();
    assert_eq!(err.to_string(), "invalid JSON document");
    assert_eq!(err.status_code(), 400);
}

// ---------------------------------------------------------------------------------------------
// Two-way diffs: the patch must be the expected one and must turn original into modified.

/// (name, kind, original, modified, expected patch).
const TWO_WAY: &[(&str, &str, &str, &str, &str)] = &[
    ("no change", "Pod", DEPLOYMENT, DEPLOYMENT, r#"{}"#),
    (
        "change the image of one container",
        "Deployment",
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"v1"},{"name":"sidecar","image":"s1"}]}}}}"#,
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"v2"},{"name":"sidecar","image":"s1"}]}}}}"#,
        r#"{"spec":{"template":{"spec":{
            "$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
            "containers":[{"image":"v2","name":"app"}]}}}}"#,
    ),
    (
        "remove a port",
        "Deployment",
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"app","ports":[{"containerPort":80},{"containerPort":9090}]}]}}}}"#,
        r#"{"spec":{"template":{"spec":{"containers":[{"name":"app","ports":[{"containerPort":80}]}]}}}}"#,
        r#"{"spec":{"template":{"spec":{
            "$setElementOrder/containers":[{"name":"app"}],
            "containers":[{"name":"app",
                "$setElementOrder/ports":[{"containerPort":80}],
                "ports":[{"containerPort":9090,"$patch":"delete"}]}]}}}}"#,
    ),
    (
        "add an env var",
        "Pod",
        r#"{"spec":{"containers":[{"name":"app","env":[{"name":"A","value":"1"}]}]}}"#,
        r#"{"spec":{"containers":[{"name":"app","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}}"#,
        r#"{"spec":{"$setElementOrder/containers":[{"name":"app"}],
            "containers":[{"name":"app",
                "$setElementOrder/env":[{"name":"A"},{"name":"B"}],
                "env":[{"name":"B","value":"2"}]}]}}"#,
    ),
    (
        "reorder containers only",
        "Pod",
        r#"{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}"#,
        r#"{"spec":{"containers":[{"name":"b"},{"name":"a"}]}}"#,
        r#"{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}"#,
    ),
    (
        "add to a list that was empty",
        "Pod",
        r#"{"spec":{"containers":[]}}"#,
        r#"{"spec":{"containers":[{"name":"a"}]}}"#,
        r#"{"spec":{"containers":[{"name":"a"}]}}"#,
    ),
    (
        "finalizers: add one, drop one",
        "Pod",
        r#"{"metadata":{"finalizers":["a","b"]}}"#,
        r#"{"metadata":{"finalizers":["b","c"]}}"#,
        r#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],
            "$setElementOrder/finalizers":["b","c"],"finalizers":["c"]}}"#,
    ),
    (
        "labels: change, add and remove",
        "Pod",
        r#"{"metadata":{"labels":{"a":"1","b":"2"}}}"#,
        r#"{"metadata":{"labels":{"a":"9","c":"3"}}}"#,
        r#"{"metadata":{"labels":{"a":"9","b":null,"c":"3"}}}"#,
    ),
    (
        "untagged lists are sent whole",
        "Node",
        r#"{"spec":{"taints":[{"key":"a"}]}}"#,
        r#"{"spec":{"taints":[{"key":"a"},{"key":"b"}]}}"#,
        r#"{"spec":{"taints":[{"key":"a"},{"key":"b"}]}}"#,
    ),
    (
        "deployment strategy switch sends $retainKeys",
        "Deployment",
        r#"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"#,
        r#"{"spec":{"strategy":{"type":"Recreate"}}}"#,
        r#"{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}"#,
    ),
    (
        "volume source switch sends $retainKeys in the element",
        "Pod",
        r#"{"spec":{"volumes":[{"name":"data","emptyDir":{}}]}}"#,
        r#"{"spec":{"volumes":[{"name":"data","hostPath":{"path":"/mnt"}}]}}"#,
        r#"{"spec":{"$setElementOrder/volumes":[{"name":"data"}],"volumes":[{"name":"data",
            "$retainKeys":["hostPath","name"],"emptyDir":null,"hostPath":{"path":"/mnt"}}]}}"#,
    ),
    (
        "node condition heartbeat",
        "Node",
        r#"{"status":{"conditions":[{"type":"Ready","lastHeartbeatTime":"t1"},{"type":"DiskPressure","status":"False"}]}}"#,
        r#"{"status":{"conditions":[{"type":"Ready","lastHeartbeatTime":"t2"},{"type":"DiskPressure","status":"False"}]}}"#,
        r#"{"status":{"$setElementOrder/conditions":[{"type":"Ready"},{"type":"DiskPressure"}],
            "conditions":[{"type":"Ready","lastHeartbeatTime":"t2"}]}}"#,
    ),
];

#[test]
fn two_way_diffs() {
    for (name, kind, original, modified, expected) in TWO_WAY {
        let (original, modified) = (json(original), json(modified));
        let patch = create_two_way_merge_patch(&original, &modified, kind)
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(patch, json(expected), "{name}: patch");
        let applied = strategic_merge_patch(&original, &patch, kind)
            .unwrap_or_else(|err| panic!("{name}: applying {patch}: {err}"));
        assert_eq!(applied, modified, "{name}: round trip");
    }
}

/// Larger edits, checked only for the round trip.
#[test]
fn two_way_round_trips() {
    let pairs: &[(&str, &str, &str)] = &[
        (
            "Pod",
            r#"{"metadata":{"name":"p","labels":{"a":"1"},"finalizers":["x"],
                "ownerReferences":[{"uid":"1","name":"rs"}]},
               "spec":{"containers":[
                 {"name":"a","image":"1","env":[{"name":"E1","value":"1"},{"name":"E2","value":"2"}],
                  "ports":[{"containerPort":80}],"volumeMounts":[{"name":"v","mountPath":"/v"}]},
                 {"name":"b","image":"1","args":["x","y"]}],
                "volumes":[{"name":"v","emptyDir":{}},{"name":"w","secret":{"secretName":"s"}}],
                "tolerations":[{"key":"k"}]}}"#,
            r#"{"metadata":{"name":"p","labels":{"b":"2"},"finalizers":["y","x"],
                "ownerReferences":[{"uid":"2","name":"rs2"},{"uid":"1","name":"rs"}]},
               "spec":{"containers":[
                 {"name":"c","image":"3"},
                 {"name":"a","image":"2","env":[{"name":"E2","value":"22"},{"name":"E3","value":"3"}],
                  "ports":[{"containerPort":8080}],"volumeMounts":[{"name":"w","mountPath":"/v"}]}],
                "volumes":[{"name":"w","configMap":{"name":"c"}}],
                "tolerations":[]}}"#,
        ),
        (
            "Deployment",
            r#"{"spec":{"replicas":1,"strategy":{"type":"Recreate"},"template":{"metadata":{"labels":{"app":"a"}},
                "spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"c","image":"1"}]}}},
               "status":{"conditions":[{"type":"Available","status":"True"}]}}"#,
            r#"{"spec":{"replicas":3,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}},
                "template":{"metadata":{"labels":{"app":"a","v":"2"}},
                "spec":{"containers":[{"name":"c","image":"2"},{"name":"d","image":"1"}]}}},
               "status":{"conditions":[{"type":"Progressing","status":"True"},{"type":"Available","status":"False"}]}}"#,
        ),
        (
            "Widget",
            r#"{"spec":{"a":{"b":[1,2]},"c":"x"}}"#,
            r#"{"spec":{"a":{"b":[2]},"d":{"e":1}}}"#,
        ),
    ];
    for (kind, original, modified) in pairs {
        let (original, modified) = (json(original), json(modified));
        let patch = create_two_way_merge_patch(&original, &modified, kind).unwrap();
        let applied = strategic_merge_patch(&original, &patch, kind)
            .unwrap_or_else(|err| panic!("{kind}: applying {patch}: {err}"));
        assert_eq!(applied, modified, "{kind}: patch was {patch}");
    }
}

#[test]
fn two_way_requires_merge_keys() {
    let err = create_two_way_merge_patch(
        &json(r#"{"spec":{"containers":[{"name":"a"}]}}"#),
        &json(r#"{"spec":{"containers":[{"image":"b"}]}}"#),
        "Pod",
    )
    .unwrap_err();
    assert!(matches!(err, PatchError::MissingMergeKey { ref key, .. } if key == "name"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Three-way patches (kubectl apply).

/// (name, kind, last applied, new configuration, live object, expected patch, expected result).
const THREE_WAY: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "kubectl apply keeps fields others set and deletes what the config dropped",
        "Deployment",
        r#"{"metadata":{"name":"web","labels":{"app":"web"}},
            "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"app","image":"v1"}]}}}}"#,
        r#"{"metadata":{"name":"web","labels":{"app":"web","tier":"front"}},
            "spec":{"template":{"spec":{"containers":[{"name":"app","image":"v2"}]}}}}"#,
        r#"{"metadata":{"name":"web","labels":{"app":"web"},"annotations":{"rev":"1"}},
            "spec":{"replicas":5,"template":{"spec":{"containers":[
                {"name":"app","image":"v1","terminationMessagePath":"/dev/termination-log"}]}}},
            "status":{"replicas":5}}"#,
        r#"{"metadata":{"labels":{"tier":"front"}},
            "spec":{"replicas":null,"template":{"spec":{
                "$setElementOrder/containers":[{"name":"app"}],
                "containers":[{"image":"v2","name":"app"}]}}}}"#,
        r#"{"metadata":{"name":"web","labels":{"app":"web","tier":"front"},"annotations":{"rev":"1"}},
            "spec":{"template":{"spec":{"containers":[
                {"name":"app","image":"v2","terminationMessagePath":"/dev/termination-log"}]}}},
            "status":{"replicas":5}}"#,
    ),
    (
        "primitive deletions apply only to what the config had",
        "Pod",
        r#"{"metadata":{"finalizers":["a","b","c"]}}"#,
        r#"{"metadata":{"finalizers":["a","b"]}}"#,
        r#"{"metadata":{"finalizers":["a","b","c","d"]}}"#,
        r#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["c"],
            "$setElementOrder/finalizers":["a","b"]}}"#,
        r#"{"metadata":{"finalizers":["a","b","d"]}}"#,
    ),
    (
        "new keyed elements land in the configured order among live ones",
        "Pod",
        r#"{"spec":{"containers":[{"name":"1"},{"name":"2","image":"x"}]}}"#,
        r#"{"spec":{"containers":[{"name":"4","image":"y"},{"name":"1"},{"name":"2","image":"x"},{"name":"3","image":"z"}]}}"#,
        r#"{"spec":{"containers":[{"name":"1","tty":true},{"name":"2","image":"x","tty":false}]}}"#,
        r#"{"spec":{"$setElementOrder/containers":[{"name":"4"},{"name":"1"},{"name":"2"},{"name":"3"}],
            "containers":[{"name":"4","image":"y"},{"name":"3","image":"z"}]}}"#,
        r#"{"spec":{"containers":[{"name":"4","image":"y"},{"name":"1","tty":true},
            {"name":"2","image":"x","tty":false},{"name":"3","image":"z"}]}}"#,
    ),
    (
        "a container removed from the config is deleted from the live object",
        "Pod",
        r#"{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}"#,
        r#"{"spec":{"containers":[{"name":"a"}]}}"#,
        r#"{"spec":{"containers":[{"name":"a","image":"i"},{"name":"b"},{"name":"injected"}]}}"#,
        r#"{"spec":{"$setElementOrder/containers":[{"name":"a"}],
            "containers":[{"name":"b","$patch":"delete"}]}}"#,
        r#"{"spec":{"containers":[{"name":"a","image":"i"},{"name":"injected"}]}}"#,
    ),
    (
        "nothing changed",
        "Pod",
        r#"{"metadata":{"labels":{"a":"1"}}}"#,
        r#"{"metadata":{"labels":{"a":"1"}}}"#,
        r#"{"metadata":{"labels":{"a":"1","b":"2"}}}"#,
        r#"{}"#,
        r#"{"metadata":{"labels":{"a":"1","b":"2"}}}"#,
    ),
];

#[test]
fn three_way_patches() {
    for (name, kind, original, modified, current, expected_patch, expected_result) in THREE_WAY {
        let current = json(current);
        let patch = create_three_way_merge_patch(&json(original), &json(modified), &current, kind)
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(patch, json(expected_patch), "{name}: patch");
        let result = strategic_merge_patch(&current, &patch, kind)
            .unwrap_or_else(|err| panic!("{name}: applying {patch}: {err}"));
        assert_eq!(result, json(expected_result), "{name}: result");
    }
}

// ---------------------------------------------------------------------------------------------
// A synthetic type with every strategy, to pin down the algorithm apart from Kubernetes' tags.

static ITEM: TypeSchema = TypeSchema {
    name: "Item",
    fields: &[
        FieldSchema {
            name: "mergingList",
            strategy: Some(PatchStrategy::Merge),
            merge_key: Some("name"),
            schema: Some(&ITEM),
        },
        FieldSchema {
            name: "mergingIntList",
            strategy: Some(PatchStrategy::Merge),
            merge_key: None,
            schema: None,
        },
        FieldSchema {
            name: "replacingMap",
            strategy: Some(PatchStrategy::Replace),
            merge_key: None,
            schema: None,
        },
        FieldSchema {
            name: "retainKeysMap",
            strategy: Some(PatchStrategy::RetainKeys),
            merge_key: None,
            schema: Some(&ITEM),
        },
        FieldSchema {
            name: "retainKeysMergingList",
            strategy: Some(PatchStrategy::MergeRetainKeys),
            merge_key: Some("name"),
            schema: Some(&ITEM),
        },
    ],
};

/// (name, original, patch, expected) against [`ITEM`].
const ITEM_CASES: &[(&str, &str, &str, &str)] = &[
    (
        "unique scalars when merging lists",
        r#"{"mergingIntList":[1,2]}"#,
        r#"{"mergingIntList":[2,3]}"#,
        r#"{"mergingIntList":[1,2,3]}"#,
    ),
    (
        "patch order of a merging int list",
        r#"{"mergingIntList":[1,2,3]}"#,
        r#"{"mergingIntList":[3,1]}"#,
        r#"{"mergingIntList":[2,3,1]}"#,
    ),
    (
        "delete all duplicate entries of a merging list",
        r#"{"mergingList":[{"name":1},{"name":1},{"name":2,"value":"a"},{"name":3},{"name":3}]}"#,
        r#"{"mergingList":[{"name":1,"$patch":"delete"},{"name":3,"$patch":"delete"}]}"#,
        r#"{"mergingList":[{"name":2,"value":"a"}]}"#,
    ),
    (
        "merge empty merging lists",
        r#"{"mergingList":[]}"#,
        r#"{"mergingList":[]}"#,
        r#"{"mergingList":[]}"#,
    ),
    (
        "nested merging lists merge all the way down",
        r#"{"mergingList":[{"name":"a","mergingList":[{"name":"x","value":1}]}]}"#,
        r#"{"mergingList":[{"name":"a","mergingList":[{"name":"x","other":2},{"name":"y"}]}]}"#,
        r#"{"mergingList":[{"name":"a","mergingList":[{"name":"x","value":1,"other":2},{"name":"y"}]}]}"#,
    ),
    (
        "a replace-strategy map is replaced whole",
        r#"{"replacingMap":{"a":1,"b":2}}"#,
        r#"{"replacingMap":{"c":3}}"#,
        r#"{"replacingMap":{"c":3}}"#,
    ),
    (
        "retainKeys map without the directive merges",
        r#"{"retainKeysMap":{"name":"foo","value":"a"}}"#,
        r#"{"retainKeysMap":{"value":"b"}}"#,
        r#"{"retainKeysMap":{"name":"foo","value":"b"}}"#,
    ),
    (
        "retainKeys map with the directive clears the rest",
        r#"{"retainKeysMap":{"name":"foo","value":"a","other":"x"}}"#,
        r#"{"retainKeysMap":{"$retainKeys":["name","value"],"value":"b"}}"#,
        r#"{"retainKeysMap":{"name":"foo","value":"b"}}"#,
    ),
    (
        "retainKeys merging list element",
        r#"{"retainKeysMergingList":[{"name":"a","value":"1"},{"name":"b","value":"2"}]}"#,
        r#"{"retainKeysMergingList":[{"name":"b","$retainKeys":["name","other"],"other":"3"}]}"#,
        r#"{"retainKeysMergingList":[{"name":"a","value":"1"},{"name":"b","other":"3"}]}"#,
    ),
    (
        "$setElementOrder names an element neither list has",
        r#"{"mergingList":[{"name":1},{"name":3}]}"#,
        r#"{"$setElementOrder/mergingList":[{"name":3},{"name":2},{"name":1}],
            "mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}"#,
        r#"{"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}"#,
    ),
];

#[test]
fn synthetic_strategies() {
    for (name, original, patch, expected) in ITEM_CASES {
        let result = apply_with_schema(&json(original), &json(patch), Some(&ITEM))
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(result, json(expected), "{name}");
    }
}

#[test]
fn synthetic_replace_strategy_diff() {
    let patch = two_way_with_schema(
        &json(r#"{"replacingMap":{"a":1,"b":2}}"#),
        &json(r#"{"replacingMap":{"a":1}}"#),
        Some(&ITEM),
    )
    .unwrap();
    assert_eq!(patch, json(r#"{"replacingMap":{"a":1}}"#));
}
