#!/usr/bin/env bash
# Regenerates every golden in this folder from the upstream serializers (see README.md).
#
#   bash crates/api-types/tests/golden/generate.sh
#
# Needs: a kubectl 1.33 binary (KUBECTL, default: kubectl.1.33 beside the `kubectl` on PATH, or
# `kubectl` itself if that is a 1.33) and python3 with venv; the official Python client is
# installed, pinned, into a virtualenv (GOLDEN_VENV, default ~/.cache/api-types-goldens/venv).
# No cluster is contacted: every kubectl command below is client-side only.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
INPUTS="$HERE/inputs"
KUBECTL_OUT="$HERE/kubectl"
PYTHON_OUT="$HERE/python-client"
PYTHON_CLIENT_VERSION="33.1.0"
KUBECTL_VERSION_WANTED="v1.33"

find_kubectl() {
    if [[ -n "${KUBECTL:-}" ]]; then
        echo "$KUBECTL"
        return
    fi
    local on_path
    on_path="$(command -v kubectl)" || { echo "kubectl not found; set KUBECTL" >&2; exit 1; }
    local beside
    beside="$(dirname "$(readlink -f "$on_path")")/kubectl.1.33"
    if [[ -x "$beside" ]]; then
        echo "$beside"
    else
        echo "$on_path"
    fi
}

KUBECTL="$(find_kubectl)"
KUBECTL_VERSION="$("$KUBECTL" version --client -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])')"
if [[ "$KUBECTL_VERSION" != "$KUBECTL_VERSION_WANTED".* ]]; then
    echo "expected kubectl $KUBECTL_VERSION_WANTED.x, $KUBECTL is $KUBECTL_VERSION" >&2
    exit 1
fi

VENV="${GOLDEN_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/api-types-goldens/venv}"
if ! "$VENV/bin/python" -c "import kubernetes, sys; sys.exit(kubernetes.__version__ != '$PYTHON_CLIENT_VERSION')" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "kubernetes==$PYTHON_CLIENT_VERSION"
fi
PYTHON="$VENV/bin/python"

rm -rf "$KUBECTL_OUT" "$PYTHON_OUT"
mkdir -p "$KUBECTL_OUT" "$PYTHON_OUT"

# Python-client goldens: every inputs/*.json, each checked to come back unchanged.
"$PYTHON" "$HERE/generate.py" python "$INPUTS" "$PYTHON_OUT"

# kubectl goldens. Commands run inside inputs/files so that file arguments are relative and the
# recorded command is the one a reader can rerun from there. No cluster: KUBECONFIG points at an
# empty file, so a command that tried to reach a server would fail rather than use one.
EMPTY_KUBECONFIG="$(mktemp)"
trap 'rm -f "$EMPTY_KUBECONFIG"' EXIT

# kubectl_golden NAME ARGS...: runs `kubectl ARGS` (which include `-o json`) and stores its output
# as kubectl/NAME.json.
kubectl_golden() {
    local name="$1"
    shift
    local output shown
    shown="$(printf ' %q' "$@")"
    output="$(cd "$INPUTS/files" && KUBECONFIG="$EMPTY_KUBECONFIG" "$KUBECTL" "$@")"
    if [[ -z "$output" ]]; then
        echo "kubectl$shown printed nothing (a no-op edit?)" >&2
        exit 1
    fi
    printf '%s' "$output" | "$PYTHON" "$HERE/generate.py" wrap \
        "kubectl $KUBECTL_VERSION, in tests/golden/inputs/files: kubectl$shown" "$KUBECTL_OUT/$name.json"
}

# typed_golden NAME INPUT EDIT ARGS...: passes inputs/INPUT.json through a typed local kubectl
# command (decoded into Go structs, encoded back), then checks that Go kept every input value
# except the command's own EDIT and added only zero values.
typed_golden() {
    local name="$1" input="$2" edit="$3"
    shift 3
    kubectl_golden "$name" "$@" --local -f "../$input.json" -o json
    "$PYTHON" "$HERE/generate.py" go-check "$KUBECTL_OUT/$name.json" "$INPUTS/$input.json" "$edit"
}

# Client-side generators (`create ... --dry-run=client`).
kubectl_golden deployment-create create deployment web --image=registry.example.com/web:1.4.2 --replicas=3 --port=8080 --namespace=shop --dry-run=client -o json
kubectl_golden deployment-create-command create deployment clock --image=busybox:1.36 --dry-run=client -o json -- sh -c 'while true; do date; sleep 5; done'
kubectl_golden deployment-create-multi create deployment sidecars --image=nginx:1.25 --image=registry.example.com/log-shipper:0.9 --dry-run=client -o json
kubectl_golden service-clusterip create service clusterip redis --tcp=6379:6379 --tcp=26379:26379 --dry-run=client -o json
kubectl_golden service-headless create service clusterip cassandra --clusterip=None --dry-run=client -o json
kubectl_golden service-nodeport create service nodeport web --tcp=80:8080 --node-port=30080 --dry-run=client -o json
kubectl_golden service-loadbalancer create service loadbalancer web --tcp=80:8080 --tcp=443:8443 --dry-run=client -o json
kubectl_golden service-externalname create service externalname my-database --external-name=db.example.com --tcp=5432 --dry-run=client -o json
kubectl_golden configmap-literal create configmap web-config --from-literal=color=blue --from-literal=mode=production --from-literal=empty= --dry-run=client -o json
kubectl_golden configmap-files create configmap web-files --from-file=app.properties --from-file=logo.png --dry-run=client -o json
kubectl_golden configmap-envfile create configmap web-env --from-env-file=web.env --dry-run=client -o json
kubectl_golden secret-generic create secret generic web-db --from-literal=username=web '--from-literal=password=s3cr3t!' --dry-run=client -o json
kubectl_golden secret-generic-file create secret generic ci-credentials --from-file=credentials.json --type=example.com/credentials --dry-run=client -o json
kubectl_golden secret-docker-registry create secret docker-registry registry-credentials --docker-server=registry.example.com --docker-username=ci --docker-password=hunter2 --docker-email=ci@example.com --dry-run=client -o json
kubectl_golden secret-tls create secret tls web-tls --cert=tls.crt --key=tls.key --dry-run=client -o json
kubectl_golden namespace create namespace shop --dry-run=client -o json
kubectl_golden serviceaccount create serviceaccount web --namespace=shop --dry-run=client -o json
kubectl_golden resourcequota create quota compute-resources --hard=cpu=2,memory=2Gi,pods=20,requests.storage=100Gi,services.loadbalancers=2 --scopes=NotTerminating,NotBestEffort --dry-run=client -o json

# Whole objects through Go's structs: `set image` / `set selector` with --local decode the file
# into the typed object, make one edit, and encode it again.
typed_golden pod-rich pod-rich 'spec.containers.0.image="registry.example.com/web:1.4.3"' \
    set image app=registry.example.com/web:1.4.3
typed_golden pod-minimal pod-minimal 'spec.containers.0.image="busybox:1.37"' \
    set image hello=busybox:1.37
typed_golden pod-volumes pod-volumes 'spec.containers.0.image="busybox:1.37"' \
    set image app=busybox:1.37
typed_golden replicationcontroller replicationcontroller 'spec.template.spec.containers.0.image="gcr.io/google_samples/gb-frontend:v4"' \
    set image php-redis=gcr.io/google_samples/gb-frontend:v4
typed_golden replicaset replicaset 'spec.template.spec.containers.0.image="registry.example.com/web:1.4.3"' \
    set image app=registry.example.com/web:1.4.3
typed_golden daemonset daemonset 'spec.template.spec.containers.0.image="quay.io/fluentd_elasticsearch/fluentd:v2.6.0"' \
    set image fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v2.6.0
typed_golden deployment-rolling deployment-rolling 'spec.template.spec.containers.0.image="registry.example.com/web:1.4.3"' \
    set image app=registry.example.com/web:1.4.3
typed_golden deployment-recreate deployment-recreate 'spec.template.spec.containers.0.image="registry.example.com/migrator:2.1"' \
    set image migrator=registry.example.com/migrator:2.1
typed_golden service-loadbalancer-typed service-loadbalancer 'spec.selector={"app":"web"}' \
    set selector app=web
typed_golden service-clusterip-typed service-clusterip 'spec.selector={"name":"redis-master","role":"master"}' \
    set selector name=redis-master,role=master
typed_golden service-headless-typed service-headless 'spec.selector={"app":"cassandra","component":"db"}' \
    set selector app=cassandra,component=db

echo "goldens: $(ls "$KUBECTL_OUT" | wc -l) from kubectl $KUBECTL_VERSION, $(ls "$PYTHON_OUT" | wc -l) from kubernetes==$PYTHON_CLIENT_VERSION"
