#!/usr/bin/env bash
# Shared helpers for the hack/ scripts: progress messages and failing loudly.

# Prints a step header so long runs show what they are doing.
step() { printf '\n==> %s\n' "$*"; }

# Prints a message to stderr and exits non-zero.
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The repository root, whatever the caller's working directory.
repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }
