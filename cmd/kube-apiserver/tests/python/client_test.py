"""The official Python client against a running kube-apiserver.

Run by tests/python_client.rs with the server's URL as the only argument. Each check raises on
failure; the script prints one line per passed check and exits non-zero on the first failure.
"""

import sys
import time

from kubernetes import client, watch
from kubernetes.client.rest import ApiException

NS = "default"


def api_client(url):
    configuration = client.Configuration()
    configuration.host = url
    return client.ApiClient(configuration)


def expect_status(code, action):
    try:
        action()
    except ApiException as error:
        assert error.status == code, f"expected HTTP {code}, got {error.status}: {error.body}"
        return error
    raise AssertionError(f"expected HTTP {code}, the call succeeded")


def passed(name):
    print(f"ok {name}", flush=True)


def pod(name, image="nginx"):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": image}]},
    }


def check_namespaces(core):
    created = core.create_namespace({"metadata": {"name": "py-space"}})
    assert created.metadata.name == "py-space"
    assert created.status.phase == "Active", created.status
    assert any(n.metadata.name == "py-space" for n in core.list_namespace().items)
    patched = core.patch_namespace("py-space", {"metadata": {"labels": {"team": "a"}}})
    assert patched.metadata.labels["team"] == "a"
    read = core.read_namespace("py-space")
    read.metadata.labels["team"] = "b"
    replaced = core.replace_namespace("py-space", read)
    assert replaced.metadata.labels["team"] == "b"
    core.delete_namespace("py-space")
    passed("namespaces")


def check_pods(core):
    created = core.create_namespaced_pod(NS, pod("py-pod"))
    assert created.metadata.uid and created.metadata.resource_version
    read = core.read_namespaced_pod("py-pod", NS)
    assert read.spec.containers[0].image == "nginx"
    assert read.spec.restart_policy == "Always", "defaults applied"
    listed = core.list_namespaced_pod(NS, label_selector="app=web")
    assert [p.metadata.name for p in listed.items] == ["py-pod"]
    assert core.list_namespaced_pod(NS, label_selector="app=db").items == []
    patched = core.patch_namespaced_pod("py-pod", NS, {"metadata": {"annotations": {"a": "1"}}})
    assert patched.metadata.annotations == {"a": "1"}
    patched.metadata.labels["tier"] = "front"
    replaced = core.replace_namespaced_pod("py-pod", NS, patched)
    assert replaced.metadata.labels == {"app": "web", "tier": "front"}
    stale = client.V1Pod(**{
        "metadata": client.V1ObjectMeta(
            name="py-pod", resource_version=created.metadata.resource_version
        ),
        "spec": replaced.spec,
    })
    expect_status(409, lambda: core.replace_namespaced_pod("py-pod", NS, stale))
    core.delete_namespaced_pod("py-pod", NS)
    expect_status(404, lambda: core.read_namespaced_pod("py-pod", NS))
    passed("pods")


def check_services(core):
    service = {
        "metadata": {"name": "py-svc"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]},
    }
    created = core.create_namespaced_service(NS, service)
    assert created.spec.ports[0].port == 80
    assert created.spec.ports[0].protocol == "TCP"
    read = core.read_namespaced_service("py-svc", NS)
    assert read.spec.selector == {"app": "web"}
    assert "py-svc" in [s.metadata.name for s in core.list_namespaced_service(NS).items]
    patched = core.patch_namespaced_service("py-svc", NS, {"metadata": {"labels": {"x": "y"}}})
    assert patched.metadata.labels == {"x": "y"}
    patched.spec.selector = {"app": "api"}
    replaced = core.replace_namespaced_service("py-svc", NS, patched)
    assert replaced.spec.selector == {"app": "api"}
    core.delete_namespaced_service("py-svc", NS)
    expect_status(404, lambda: core.read_namespaced_service("py-svc", NS))
    passed("services")


def check_replication_controllers(core):
    rc = {
        "metadata": {"name": "py-rc"},
        "spec": {
            "replicas": 2,
            "selector": {"app": "web"},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx"}]},
            },
        },
    }
    created = core.create_namespaced_replication_controller(NS, rc)
    assert created.spec.replicas == 2
    read = core.read_namespaced_replication_controller("py-rc", NS)
    assert read.spec.template.spec.containers[0].name == "web"
    listed = core.list_namespaced_replication_controller(NS)
    assert [r.metadata.name for r in listed.items] == ["py-rc"]
    patched = core.patch_namespaced_replication_controller("py-rc", NS, {"spec": {"replicas": 3}})
    assert patched.spec.replicas == 3
    patched.spec.replicas = 1
    replaced = core.replace_namespaced_replication_controller("py-rc", NS, patched)
    assert replaced.spec.replicas == 1
    # A v1 RC orphans its pods by default: a plain delete adds the `orphan` finalizer and the
    # garbage collector (kube-controller-manager) finishes it, as upstream. kubectl sends
    # Background propagation, which deletes at once; do the same here.
    core.delete_namespaced_replication_controller(
        "py-rc", NS, propagation_policy="Background"
    )
    expect_status(404, lambda: core.read_namespaced_replication_controller("py-rc", NS))
    passed("replicationcontrollers")


def check_deployments(apps):
    deployment = {
        "metadata": {"name": "py-deploy"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx"}]},
            },
        },
    }
    created = apps.create_namespaced_deployment(NS, deployment)
    assert created.spec.strategy.type == "RollingUpdate", created.spec.strategy
    read = apps.read_namespaced_deployment("py-deploy", NS)
    assert read.spec.selector.match_labels == {"app": "web"}
    assert [d.metadata.name for d in apps.list_namespaced_deployment(NS).items] == ["py-deploy"]
    patched = apps.patch_namespaced_deployment("py-deploy", NS, {"spec": {"replicas": 4}})
    assert patched.spec.replicas == 4
    patched.spec.template.spec.containers[0].image = "nginx:2"
    replaced = apps.replace_namespaced_deployment("py-deploy", NS, patched)
    assert replaced.spec.template.spec.containers[0].image == "nginx:2"
    assert replaced.metadata.generation > created.metadata.generation
    apps.delete_namespaced_deployment("py-deploy", NS)
    expect_status(404, lambda: apps.read_namespaced_deployment("py-deploy", NS))
    passed("deployments")


def check_watch(core):
    start = core.list_namespaced_config_map(NS).metadata.resource_version
    core.create_namespaced_config_map(NS, {"metadata": {"name": "watched"}, "data": {"k": "1"}})
    core.patch_namespaced_config_map("watched", NS, {"data": {"k": "2"}})
    core.delete_namespaced_config_map("watched", NS)
    seen = []
    w = watch.Watch()
    for event in w.stream(
        core.list_namespaced_config_map, NS, resource_version=start, timeout_seconds=5
    ):
        seen.append((event["type"], event["object"].metadata.name))
        if len(seen) == 3:
            w.stop()
    assert seen == [("ADDED", "watched"), ("MODIFIED", "watched"), ("DELETED", "watched")], seen
    passed("watch sees ADDED, MODIFIED and DELETED")

    # Resuming from the revision of the modification replays only what came after it.
    core.create_namespaced_config_map(NS, {"metadata": {"name": "resumed"}})
    middle = core.patch_namespaced_config_map("resumed", NS, {"data": {"v": "1"}})
    core.patch_namespaced_config_map("resumed", NS, {"data": {"v": "2"}})
    resumed = []
    w = watch.Watch()
    for event in w.stream(
        core.list_namespaced_config_map,
        NS,
        resource_version=middle.metadata.resource_version,
        timeout_seconds=5,
    ):
        resumed.append((event["type"], event["object"].data))
        w.stop()
    assert resumed == [("MODIFIED", {"v": "2"})], resumed
    core.delete_namespaced_config_map("resumed", NS)
    passed("watch resumes from a resourceVersion")


def check_gone_after_compaction(core, wait_seconds):
    """The server runs with a short compaction interval; it always keeps the latest 1000
    revisions, so write more than that, let two compaction ticks pass, then ask for history
    before the compacted revision."""
    old = core.create_namespaced_config_map(NS, {"metadata": {"name": "churn"}, "data": {}})
    old_revision = old.metadata.resource_version
    for i in range(1100):
        core.patch_namespaced_config_map("churn", NS, {"data": {"n": str(i)}})
    time.sleep(wait_seconds)
    error = expect_status(
        410,
        lambda: core.list_namespaced_config_map(
            NS, resource_version=old_revision, resource_version_match="Exact"
        ),
    )
    assert "Expired" in error.body, error.body
    events = []
    w = watch.Watch()
    try:
        for event in w.stream(
            core.list_namespaced_config_map, NS, resource_version=old_revision, timeout_seconds=5
        ):
            events.append(event)
            w.stop()
    except ApiException as gone:
        # The client raises on an ERROR event with a 410 Status.
        assert gone.status == 410, gone
        events.append({"type": "ERROR", "raw_object": {"code": 410}})
    assert len(events) == 1 and events[0]["type"] == "ERROR", events
    assert events[0]["raw_object"]["code"] == 410, events
    passed("410 Gone after compaction")


def main():
    url = sys.argv[1]
    compaction_wait = float(sys.argv[2]) if len(sys.argv) > 2 else 0
    api = api_client(url)
    core = client.CoreV1Api(api)
    apps = client.AppsV1Api(api)
    # The server's bootstrap made `default`.
    assert core.read_namespace(NS).status.phase == "Active"
    check_namespaces(core)
    check_pods(core)
    check_services(core)
    check_replication_controllers(core)
    check_deployments(apps)
    check_watch(core)
    if compaction_wait:
        check_gone_after_compaction(core, compaction_wait)
    print("all passed", flush=True)


if __name__ == "__main__":
    main()
