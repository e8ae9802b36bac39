#!/usr/bin/env bash
# The whole test suite, on a fresh machine: formatting and lints, the unit tests, the parity
# suite under real rusqlite, local dbcompat and remote dbcompat, the integration tests, the
# example app under both backends, the dbcompat CLI, and the `rusqlite` facade under
# rusqlite_migration and r2d2_sqlite (facade-tests/, its own workspace and target dir). The
# loopback test server (test-server/) is built and started by scripts/with-test-server.sh and
# stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo fmt --manifest-path facade-tests/Cargo.toml -- --check
rustfmt --edition 2021 --check facade/rusqlite/src/lib.rs
cargo clippy --workspace --all-targets --locked -- -D warnings

LOG="$(mktemp "${TMPDIR:-/tmp}/dbcompat-test.XXXXXX")"
trap 'rm -f "$LOG"' EXIT

scripts/with-test-server.sh bash -c '
  set -e
  cargo test --workspace --locked
  # The example app again, switched to libSQL by its feature flag (a separate build: libsql
  # and bundled rusqlite cannot be linked into one binary).
  cargo test --locked -p notes-store --no-default-features --features backend-libsql
  # Ecosystem crates on dbcompat through [patch.crates-io] rusqlite = facade/rusqlite.
  cargo test --locked --manifest-path facade-tests/Cargo.toml
  # Unit tests of test-server/, its own Cargo project (e.g. accepted sockets have TCP_NODELAY).
  cargo test --release --locked --manifest-path test-server/Cargo.toml --target-dir test-server/target
' 2>&1 | tee "$LOG"

# One closing line over every suite: libtest's "test result" lines and the custom harnesses'
# "label: N passed, N failed" lines.
awk '
  /^test result: / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed;?/) p += $i; if ($(i+1) ~ /^failed;?/) f += $i } }
  /^[^ ]+: [0-9]+ passed, [0-9]+ failed/ { p += $2; f += $4 }
  END { printf "all suites: %d passed, %d failed\n", p, f; exit (f > 0) }
' "$LOG"
