#!/usr/bin/env bash
# The whole test suite, on a fresh machine: formatting and lints, the unit tests, the parity
# suite under real rusqlite, local dbcompat and remote dbcompat, the integration tests, and the
# example app under both backends. The loopback test server (test-server/) is built and started
# by scripts/with-test-server.sh and stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

scripts/with-test-server.sh bash -c '
  set -e
  cargo test --workspace
  # The example app again, switched to libSQL by its feature flag (a separate build: libsql
  # and bundled rusqlite cannot be linked into one binary).
  cargo test -p notes-store --no-default-features --features backend-libsql
'
