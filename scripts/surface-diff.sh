#!/usr/bin/env bash
# Lists what dbcompat's surfaces lack against real rusqlite 0.34.0, 0.40.2 and 0.43.0, from
# rustdoc's JSON output (scripts/surface_diff.py says what is compared). A developer tool, not
# part of the test suite: rustdoc's JSON output is unstable, so this sets RUSTC_BOOTSTRAP=1 on
# the stable toolchain, and its format may change with it.
#
# usage: scripts/surface-diff.sh [--signatures]
# Exit status 1 when a line is not among surface_diff.py's KNOWN differences.
#
# Everything it writes is under target/surface-diff/: a throwaway crate per real release (its
# lock file stays there), and the JSON files. Real rusqlite is documented with every feature
# the parity suites enable plus jiff, pointer, load_extension and cache. `session`,
# `preupdate_hook` and `modern_sqlite` need libclang at build time (bindgen; Debian's
# libclang-dev): SURFACE_DIFF_BINDGEN=1 adds them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/target/surface-diff"
FEATURES='"bundled", "jiff", "backup", "blob", "chrono", "collation", "functions", "hooks", "limits", "serde_json", "time", "trace", "url", "uuid", "window", "array", "csvtab", "series", "vtab", "rusqlite-macros", "serialize", "i128_blob", "load_extension"'
NEWER_FEATURES='"fallible_uint", "column_metadata", "pointer", "cache"'
export RUSTC_BOOTSTRAP=1
JSON_FLAGS=(-- -Zunstable-options --output-format json)

real_json() {
    local version="$1" features="$FEATURES"
    [ "$version" = 0.34.0 ] || features="$features, $NEWER_FEATURES"
    [ "${SURFACE_DIFF_BINDGEN:-0}" = 1 ] && features="$features, \"session\", \"preupdate_hook\", \"modern_sqlite\""
    local dir="$WORK/real-$version"
    mkdir -p "$dir/src"
    : >"$dir/src/lib.rs"
    printf '[package]\nname = "surface-diff-%s"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\nrusqlite = { version = "=%s", features = [%s] }\n\n[workspace]\n' \
        "${version//./-}" "$version" "$features" >"$dir/Cargo.toml"
    (cd "$dir" && cargo rustdoc --quiet -p rusqlite --target-dir "$WORK/target-real-$version" "${JSON_FLAGS[@]}")
    echo "$WORK/target-real-$version/doc/rusqlite.json"
}

(cd "$ROOT" && cargo rustdoc --quiet --locked -p dbcompat --all-features --lib \
    --target-dir "$WORK/target-dbcompat" "${JSON_FLAGS[@]}")
ours="$WORK/target-dbcompat/doc/dbcompat.json"
status=0
for pair in "0.34.0:" "0.40.2:v0_40" "0.43.0:v0_43"; do
    version="${pair%%:*}"
    echo "== rusqlite $version against dbcompat::${pair#*:}"
    real="$(real_json "$version")"
    python3 "$ROOT/scripts/surface_diff.py" "$real" "$ours" "${pair#*:}" "$@" || status=1
done
exit "$status"
