#!/usr/bin/env bash
# The whole test suite, on a fresh machine: formatting and lints, the unit tests, the parity
# suite under real rusqlite, local dbcompat and remote dbcompat, the integration tests, the
# example app under both backends, the dbcompat CLI, the `rusqlite` facade under
# rusqlite_migration and r2d2_sqlite (facade-tests/, its own workspace and target dir), the
# 0.40 facade under today's companions (facade-tests-0.40/: rusqlite_migration 2.6, r2d2_sqlite
# 0.35, deadpool-sqlite 0.14, tokio-rusqlite 0.8), a rusqlite 0.43 project on the 0.43 facade
# (facade-tests-0.43/), the parity cases of the newer surfaces (compat-tests/surface-*), rusqlite's
# `extra_check` feature per line (compat-tests/extra-check*), and the unmodified test suites of published rusqlite crates (scripts/real-world.sh). The
# loopback test server (test-server/) is built and started by scripts/with-test-server.sh and
# stopped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

# Disk: a full run builds about thirty test binaries that each link libSQL's C engine, tokio and
# hyper, in seven target dirs. With full debug info and incremental caches a clean run needed
# over 20 GB and CI's machine ran out of space; without them it needs a fraction (set either
# variable to override, e.g. CARGO_PROFILE_DEV_DEBUG=true for line numbers in backtraces; panic
# messages carry file and line either way).
export CARGO_PROFILE_DEV_DEBUG="${CARGO_PROFILE_DEV_DEBUG:-false}"
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# DBCOMPAT_PRUNE_TARGETS=1 (set by .ci/run) also deletes each separate workspace's target dir
# once its suites have run, so those dirs never all exist at once.
prune_target() {
  if [ "${DBCOMPAT_PRUNE_TARGETS:-0}" = 1 ]; then
    rm -rf "$1"
  fi
}
export -f prune_target
# The newer-surface workspaces (facade-tests-0.40/0.43, compat-tests/surface-0.40/0.43,
# compat-tests/extra-check-0.40/0.43 and the 0.43 differential) share one target dir, as their .cargo/config.toml files say; that config
# is only read when cargo runs inside those directories, so it is passed here explicitly.
export NEWER_TARGET=target/newer-surfaces

cargo fmt --all -- --check
cargo fmt --manifest-path facade-tests/Cargo.toml -- --check
cargo fmt --manifest-path facade-tests-0.40/Cargo.toml -- --check
cargo fmt --manifest-path facade-tests-0.43/Cargo.toml -- --check
cargo fmt --manifest-path compat-tests/extra-check/Cargo.toml -- --check
cargo fmt --manifest-path differential/v0_43/Cargo.toml -- --check
rustfmt --edition 2021 --check compat-tests/cases/surfaces.rs compat-tests/surfaces/*.rs \
  compat-tests/remote_open.rs compat-tests/server_database.rs compat-tests/extra-check-newer/*.rs
rustfmt --edition 2021 --check facade/rusqlite/src/lib.rs facade/rusqlite-0.40/src/lib.rs \
  facade/rusqlite-0.43/src/lib.rs
cargo clippy --workspace --all-targets --locked -- -D warnings
# The other feature sets a user can pick: local only, and remote without embedded replicas.
cargo clippy --locked --lib --no-default-features -- -D warnings
cargo clippy --locked --lib --no-default-features --features remote -- -D warnings
# rusqlite 0.34's public paths under dbcompat with no features and with every feature.
cargo check --locked -p public-paths --no-default-features
cargo check --locked -p public-paths --all-features
cargo clippy --locked --manifest-path compat-tests/extra-check/Cargo.toml --target-dir target \
  --all-targets -- -D warnings
cargo clippy --locked --manifest-path differential/v0_43/Cargo.toml \
  --target-dir "$NEWER_TARGET" --all-targets -- -D warnings
for surface in 0.40 0.43; do
  cargo clippy --locked --manifest-path "compat-tests/extra-check-$surface/Cargo.toml" \
    --target-dir "$NEWER_TARGET" --all-targets -- -D warnings
done
# rusqlite 0.40's and 0.43's public paths under dbcompat's surfaces (through their facades)
# with no features and with every feature; the default-feature run is part of `cargo test` of
# each compat-tests/surface-* workspace below, next to the same list under real rusqlite.
for surface in 0.40 0.43; do
  for features in --no-default-features --all-features; do
    cargo check --locked --manifest-path "compat-tests/surface-$surface/Cargo.toml" \
      --target-dir "$NEWER_TARGET" --test public_paths_dbcompat "$features"
  done
done

LOG="$(mktemp "${TMPDIR:-/tmp}/dbcompat-test.XXXXXX")"
trap 'rm -f "$LOG"' EXIT

# Everything that needs the shared loopback test server (started once for all of it).
server_suites() {
  set -e
  # Includes the randomized differential test (differential/): 500 local seeds x 100 ops, and
  # 200 seeds x 100 ops on this test server against real rusqlite in memory (remote_seeds_agree,
  # about 35 s; a failing seed prints how to reproduce it).
  cargo test --workspace --locked
  # The example app again, switched to libSQL by its feature flag (a separate build: libsql
  # and bundled rusqlite cannot be linked into one binary).
  cargo test --locked -p notes-store --no-default-features --features backend-libsql
  # Ecosystem crates on dbcompat through [patch.crates-io] rusqlite = facade/rusqlite.
  cargo test --locked --manifest-path facade-tests/Cargo.toml
  prune_target facade-tests/target
  # Unit tests of test-server/, its own Cargo project (e.g. accepted sockets have TCP_NODELAY).
  cargo test --release --locked --manifest-path test-server/Cargo.toml --target-dir test-server/target
  # Today's companions (rusqlite ^0.40) through rusqlite = facade/rusqlite-0.40.
  cargo test --locked --manifest-path facade-tests-0.40/Cargo.toml --target-dir "$NEWER_TARGET"
  # A rusqlite 0.43 project switched by one [patch.crates-io] entry (facade/rusqlite-0.43).
  cargo test --locked --manifest-path facade-tests-0.43/Cargo.toml --target-dir "$NEWER_TARGET"
  # The parity cases of the newer surfaces, each under real rusqlite of that version and under
  # dbcompat local and remote (compat-tests/surface-*/, own workspaces).
  cargo test --locked --manifest-path compat-tests/surface-0.40/Cargo.toml --target-dir "$NEWER_TARGET"
  cargo test --locked --manifest-path compat-tests/surface-0.43/Cargo.toml --target-dir "$NEWER_TARGET"
  # rusqlite 0.34's extra_check feature under real rusqlite and dbcompat (own workspace; the
  # root target dir, so the engines are shared).
  cargo test --locked --manifest-path compat-tests/extra-check/Cargo.toml --target-dir target
  # The same feature in rusqlite 0.40 and 0.43 (0.43 adds the pragma-name check), under real
  # rusqlite and dbcompat local and remote (compat-tests/extra-check-newer/ cases).
  cargo test --locked --manifest-path compat-tests/extra-check-0.40/Cargo.toml --target-dir "$NEWER_TARGET"
  cargo test --locked --manifest-path compat-tests/extra-check-0.43/Cargo.toml --target-dir "$NEWER_TARGET"
  # The randomized differential test for 0.43: real rusqlite 0.43 vs dbcompat's v0_43 surface,
  # 500 seeds x 100 ops (about 5 s once built; both crates are already built in that dir).
  cargo test --locked --manifest-path differential/v0_43/Cargo.toml --target-dir "$NEWER_TARGET"
  prune_target "$NEWER_TARGET"
}
export -f server_suites
scripts/with-test-server.sh bash -c server_suites 2>&1 | tee "$LOG"

# Other people's code: the unmodified suites of published rusqlite crates, under real rusqlite,
# dbcompat locally and dbcompat against the test server (starts its own servers; see
# docs/real-world.md). Prints only its summary lines, in the format summed below.
scripts/real-world.sh 2>&1 | tee -a "$LOG"

# One closing line over every suite: libtest's "test result" lines and the custom harnesses'
# "label: N passed, N failed" lines.
awk '
  /^test result: / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed;?/) p += $i; if ($(i+1) ~ /^failed;?/) f += $i } }
  /^[^ ]+: [0-9]+ passed, [0-9]+ failed/ { p += $2; f += $4 }
  END { printf "all suites: %d passed, %d failed\n", p, f; exit (f > 0) }
' "$LOG"
