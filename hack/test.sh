#!/usr/bin/env bash
# Runs every test tier on this machine, installing what it needs first:
#   1. formatting (cargo fmt --check) and lints (cargo clippy -D warnings)
#   2. unit tests and in-process integration tests of every crate (cargo test --workspace)
# Exits non-zero on the first failing tier. Usage: hack/test.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(repo_root)"

step "installing dependencies (hack/install-deps.sh)"
hack/install-deps.sh

step "checking formatting (cargo fmt --check)"
cargo fmt --all -- --check || die "cargo fmt found unformatted code: run 'cargo fmt --all'"

step "linting (cargo clippy --workspace --all-targets -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "unit and integration tests (cargo test --workspace)"
cargo test --workspace --locked

step "all test tiers passed"
