#!/usr/bin/env bash
# Installs what building, testing and running the cluster need on a Debian machine.
# Idempotent: packages already present are left alone and apt is not touched at all when nothing
# is missing. Needs root (or sudo) only when something must be installed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Debian packages: protoc and the well-known .proto files (libprotobuf-dev) for etcd-client's
# build, etcd and Docker as the real backends, iptables for kube-proxy, busybox-static for the
# locally built images, python3 and python3-venv for the official Python client's venv.
packages=(
  protobuf-compiler
  libprotobuf-dev
  etcd-server
  docker.io
  iptables
  iproute2
  busybox-static
  python3
  python3-venv
  ca-certificates
  curl
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  step "installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root to install ${missing[*]}"
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "Debian packages: all present"
fi

step "checking the Rust toolchain"
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup"
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    command -v rustup >/dev/null || die "cargo $component missing and rustup not found"
    rustup component add "$component"
  fi
done
cargo --version

# The official Python client for cmd/kube-apiserver/tests/python_client.rs, pinned, in a venv at
# the repository root (.venv-test) so the system Python is left alone. Recreated only when the
# pinned version is not the one installed.
python_client_version="33.1.0"
venv="$(repo_root)/.venv-test"
step "checking the Python client venv ($venv, kubernetes==$python_client_version)"
command -v python3 >/dev/null || die "python3 not found: the Python client tests need it"
if [ -x "$venv/bin/python" ] &&
  "$venv/bin/python" -c "import kubernetes, sys; sys.exit(kubernetes.__version__ != '$python_client_version')" 2>/dev/null; then
  echo "Python client: kubernetes==$python_client_version present"
else
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "kubernetes==$python_client_version"
fi

# kubectl 1.20 from Debian's kubernetes-client package, the oldest client the apiserver tests
# drive (cmd/kube-apiserver/tests/kubectl_legacy.rs). Not installed system-wide: the package would
# replace /usr/bin/kubectl, next to which the versioned kubectl.1.XX binaries the other tests use
# live. Downloaded with apt-get download and unpacked into .tools/kubectl-1.20 (git-ignored);
# skipped when that binary is already there.
legacy_kubectl_dir="$(repo_root)/.tools/kubectl-1.20"
step "checking kubectl 1.20 ($legacy_kubectl_dir)"
if [ -x "$legacy_kubectl_dir/usr/bin/kubectl" ]; then
  echo "kubectl 1.20: present"
else
  download="$(mktemp -d)"
  chmod a+rwx "$download" # apt's unprivileged _apt user writes the download there
  if ! (cd "$download" && apt-get download -q kubernetes-client); then
    # A fresh machine may have no package lists yet.
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    (cd "$download" && apt-get download -q kubernetes-client) ||
      die "apt-get download kubernetes-client failed"
  fi
  rm -rf "$legacy_kubectl_dir"
  mkdir -p "$legacy_kubectl_dir"
  dpkg-deb -x "$download"/kubernetes-client_*.deb "$legacy_kubectl_dir"
  rm -rf "$download"
  "$legacy_kubectl_dir/usr/bin/kubectl" version --client --short 2>/dev/null ||
    "$legacy_kubectl_dir/usr/bin/kubectl" version --client
fi
