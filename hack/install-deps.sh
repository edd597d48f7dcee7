#!/usr/bin/env bash
# Installs what building, testing and running the cluster need on a Debian machine.
# Idempotent: packages already present are left alone and apt is not touched at all when nothing
# is missing. Needs root (or sudo) only when something must be installed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Debian packages: protoc and the well-known .proto files (libprotobuf-dev) for etcd-client's
# build, etcd and Docker as the real backends, iptables for kube-proxy, busybox-static for the
# locally built images, python3-pip for the official client.
packages=(
  protobuf-compiler
  libprotobuf-dev
  etcd-server
  docker.io
  iptables
  iproute2
  busybox-static
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
