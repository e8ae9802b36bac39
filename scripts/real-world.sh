#!/usr/bin/env bash
# Other people's code as dbcompat's test suite (issue 8, item 3). For every crate listed in
# real-world/crates.tsv, fetch its published source through cargo, unpack it under
# target/real-world/src/, and run its own `cargo test`, unmodified, three ways:
#
#   rusqlite         real rusqlite of the crate's line (crates.tsv: 0.34, 0.40 or 0.43; the
#                    exact version is BASELINE_VERSION below): the baseline
#   dbcompat-local   rusqlite patched to that line's facade (facade/rusqlite, rusqlite-0.40 or
#                    rusqlite-0.43, each dbcompat's surface for the line) with
#                    --config 'patch.crates-io.rusqlite.path=...'; nothing in the crate is edited
#                    (crates.tsv may name a facade variant, see use_facade)
#   dbcompat-remote  the same build plus the facade's `dbcompat-test-redirect` feature; each test
#                    that passed on the baseline runs alone against a fresh loopback test server
#                    (scripts/with-test-server.sh) with DBCOMPAT_TEST_REDIRECT_URL set, so every
#                    `Connection::open*` in it -- file, `:memory:` or URI -- reaches that server
#                    (a `:memory:` open first empties the server database, see
#                    src/open/test_redirect.rs)
#   dbcompat-replica the same, with DBCOMPAT_TEST_REDIRECT_REPLICA_DIR set too: every open is an
#                    embedded replica of that server, its local file in a fresh directory
#
# The only change to the unpacked crate is an empty `[workspace]` table appended to its
# Cargo.toml (it lives below this repository's workspace root) and the committed lock file
# (real-world/locks/<crate>-<version>-on-<line>.<rusqlite|dbcompat>.lock, used with --locked).
#
# A test that passes on the baseline and does not pass on a dbcompat backend is a regression
# unless real-world/expected-differences.tsv lists it with its reason. The closing lines
#   real-world-local: N passed, N failed
#   real-world-remote: N passed, N failed
#   real-world-replica: N passed, N failed
# count passes among the baseline's passing tests and *unlisted* failures; listed ones are
# reported on a line of their own. The exit status is non-zero when an unlisted one fails. Raw cargo output stays in target/real-world/logs/, so scripts/test.sh's
# summing awk sees only these lines.
#
# usage: scripts/real-world.sh [--update-locks | --locks-only] [--no-remote] [crate ...]
#   --update-locks  re-resolve the lock files (seeded from the root Cargo.lock, so the build
#                   shares the workspace's compiled libsql) and copy them to real-world/locks/
#   --locks-only    re-resolve the lock files as --update-locks does, then stop (no test runs;
#                   needed whenever dbcompat's own dependencies change)
#   --no-remote     skip the dbcompat-remote and dbcompat-replica runs
#   crate ...       only these crates from crates.tsv (a name, name-version, or
#                   name-version-on-line for one line)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIST="$ROOT/real-world/crates.tsv"
LOCKS="$ROOT/real-world/locks"
EXPECTED="$ROOT/real-world/expected-differences.tsv"
WORK="$ROOT/target/real-world"
# The root workspace's target dir: libsql's C engine and the other shared dependencies are
# compiled once for the workspace and reused here (same versions, thanks to the seeded locks).
export CARGO_TARGET_DIR="$ROOT/target"
PATCH=()
REDIRECT_FEATURE="rusqlite/dbcompat-test-redirect"
# One test against its own server must not hang the run.
REMOTE_TEST_TIMEOUT=300

update_locks=0
locks_only=0
remote=1
only=()
for arg in "$@"; do
    case "$arg" in
        --update-locks) update_locks=1 ;;
        --locks-only) update_locks=1; locks_only=1 ;;
        --no-remote) remote=0 ;;
        -*) echo "unknown option $arg" >&2; exit 2 ;;
        *) only+=("$arg") ;;
    esac
done

log() { echo "real-world: $*" >&2; }

mkdir -p "$WORK/src" "$WORK/logs" "$WORK/results" "$WORK/fetch"

# Unpacks crate $1 version $2 into $WORK/src/$1-$2 (fresh each run) from cargo's download cache,
# downloading it first through a throwaway manifest that depends on exactly that version.
fetch_source() {
    local name="$1" version="$2" dest="$WORK/src/$1-$2"
    local cargo_home="${CARGO_HOME:-$HOME/.cargo}"
    local crate_file
    crate_file="$(ls "$cargo_home"/registry/cache/*/"$name-$version.crate" 2>/dev/null | head -n1)"
    if [ -z "$crate_file" ]; then
        local fetch_dir="$WORK/fetch/$name-$version"
        mkdir -p "$fetch_dir/src"
        : >"$fetch_dir/src/lib.rs"
        printf '[package]\nname = "fetch-%s"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n%s = "=%s"\n\n[workspace]\n' \
            "$name" "$name" "$version" >"$fetch_dir/Cargo.toml"
        cargo fetch --quiet --manifest-path "$fetch_dir/Cargo.toml" || return 1
        crate_file="$(ls "$cargo_home"/registry/cache/*/"$name-$version.crate" 2>/dev/null | head -n1)"
        [ -n "$crate_file" ] || return 1
    fi
    rm -rf "$dest"
    tar -xzf "$crate_file" -C "$WORK/src" || return 1
    # Its own workspace: it is unpacked below this repository's workspace root.
    printf '\n[workspace]\n' >>"$dest/Cargo.toml"
}

# The facade and the real rusqlite release (the baseline) of each rusqlite line.
facade_dir() {
    case "$1" in
        0.34) echo "$ROOT/facade/rusqlite" ;;
        0.40) echo "$ROOT/facade/rusqlite-0.40" ;;
        0.43) echo "$ROOT/facade/rusqlite-0.43" ;;
        *) return 1 ;;
    esac
}
baseline_version() {
    case "$1" in
        0.34) echo 0.34.0 ;;
        0.40) echo 0.40.2 ;;
        0.43) echo 0.43.0 ;;
        *) return 1 ;;
    esac
}

# Points PATCH at line $1's facade in variant $2: "default" is the facade as shipped;
# "local-only" is a copy under target/real-world/ whose dbcompat dependency has no default
# features (no remote, no replica), for crates that the shipped facade cannot build
# (docs/real-world.md).
use_facade() {
    local facade
    facade="$(facade_dir "$1")" || return 1
    case "$2" in
        default) ;;
        local-only)
            local shipped="$facade"
            facade="$WORK/facade-local-only-$1"
            rm -rf "$facade"
            mkdir -p "$facade"
            cp -r "$shipped/src" "$shipped/Cargo.toml" "$facade/"
            sed -i "s|^dbcompat = { path = \"../..\" }|dbcompat = { path = \"$ROOT\", default-features = false }|" \
                "$facade/Cargo.toml"
            grep -q 'default-features = false' "$facade/Cargo.toml" || return 1
            ;;
        *) return 1 ;;
    esac
    PATCH=(--config "patch.crates-io.rusqlite.path=\"$facade\"")
}

# Re-resolves $1's lock for mode $2 starting from the root Cargo.lock, pins the baseline to
# the real rusqlite release $4, and stores it in $3.
update_lock() {
    local dir="$1" mode="$2" lock="$3" baseline="$4"
    cp "$ROOT/Cargo.lock" "$dir/Cargo.lock"
    local patch=()
    [ "$mode" = dbcompat ] && patch=("${PATCH[@]}")
    (cd "$dir" && cargo metadata --format-version 1 "${patch[@]}" >/dev/null) || return 1
    if [ "$mode" = rusqlite ]; then
        (cd "$dir" && cargo update --quiet -p rusqlite --precise "$baseline") || return 1
    fi
    if [ "$mode" = dbcompat ] && ! only_the_facade "$dir/Cargo.lock"; then
        log "$lock: rusqlite is not (only) the facade; Cargo ignored the [patch] (see the warning above)"
        return 1
    fi
    cp "$dir/Cargo.lock" "$lock"
}

# True when lock $1 has exactly one rusqlite and it is a facade (a path package, no source).
# When a crate names a rusqlite feature the facade lacks, Cargo drops the [patch] with only a
# warning, and the "dbcompat" run would test real rusqlite.
only_the_facade() {
    awk '
        /^\[\[package\]\]/ { in_rusqlite = 0 }
        /^name = "rusqlite"$/ { in_rusqlite = 1; n++ }
        in_rusqlite && /^source = / { registry = 1 }
        END { exit !(n == 1 && !registry) }
    ' "$1"
}

# libtest output -> "target<TAB>test name<TAB>ok|FAILED|ignored" lines. The target is the
# test file ("src/lib.rs", "tests/test.rs") or "doc".
parse_results() {
    awk '
        /^ *Running / { t = $2; if (t == "unittests") t = $3; next }
        /^ *Doc-tests / { t = "doc"; next }
        /^test .* \.\.\. (ok|FAILED|ignored)/ {
            line = substr($0, 6)
            n = 0; pos = 0
            while ((i = index(substr(line, pos + 1), " ... ")) > 0) { pos += i; n = pos }
            name = substr(line, 1, n - 1)
            status = substr(line, n + 5)
            sub(/[ ,].*/, "", status)
            printf "%s\t%s\t%s\n", t, name, status
        }
    ' "$1"
}

# Test binaries of a `cargo test --no-run` log: "target<TAB>path".
parse_executables() {
    awk '
        /^ *Executable / {
            t = $2; if (t == "unittests") t = $3
            path = $NF; gsub(/[()]/, "", path)
            printf "%s\t%s\n", t, path
        }
    ' "$1"
}

# Runs the command "$@" with every open redirected to the test server at $DBCOMPAT_TEST_URL:
# remote connections, or, with REDIRECT_REPLICA=1, embedded replicas whose local files live in
# a directory made for this command and removed after it.
# shellcheck disable=SC2016 # expanded by the inner bash
REDIRECT='export DBCOMPAT_TEST_REDIRECT_URL="$DBCOMPAT_TEST_URL"
if [ "${REDIRECT_REPLICA:-0}" = 1 ]; then
    DBCOMPAT_TEST_REDIRECT_REPLICA_DIR="$(mktemp -d)" || exit 1
    export DBCOMPAT_TEST_REDIRECT_REPLICA_DIR
    "$@"; rc=$?
    rm -rf "$DBCOMPAT_TEST_REDIRECT_REPLICA_DIR"
    exit "$rc"
fi
exec "$@"'

# Runs one baseline-passing test per fresh server. $1 = source dir, $2 = cargo test args
# (array name), $3 = baseline results, $4 = output results file, $5 = log, $6 = remote or
# replica.
run_remote() {
    local dir="$1" args_name="$2" baseline="$3" out="$4" log_file="$5" backend="$6"
    local replica=0
    [ "$backend" = replica ] && replica=1
    local -n args_ref="$args_name"
    local build_log="$log_file.build"
    : >"$out"
    : >"$log_file"
    if ! (cd "$dir" && cargo test --locked --no-run "${PATCH[@]}" --features "$REDIRECT_FEATURE" \
        "${args_ref[@]}") >"$build_log" 2>&1; then
        log "remote build failed, see $build_log"
        return 0
    fi
    local executables
    executables="$(parse_executables "$build_log")"
    # Every doc test, one at a time (each private `:memory:` open empties the server database),
    # against one fresh server.
    local doc_results="$out.doc"
    : >"$doc_results"
    if grep -q $'^doc\t' "$baseline"; then
        (cd "$dir" && timeout "$REMOTE_TEST_TIMEOUT" "$ROOT/scripts/with-test-server.sh" \
            env REDIRECT_REPLICA="$replica" bash -c "$REDIRECT" _ \
            cargo test --locked --doc "${PATCH[@]}" --features "$REDIRECT_FEATURE" \
            "${args_ref[@]}" -- --test-threads=1) >"$log_file.doc" 2>&1
        parse_results "$log_file.doc" >"$doc_results"
    fi
    local target name status bin out_text rc
    while IFS=$'\t' read -r target name status; do
        [ "$status" = ok ] || continue
        if [ "$target" = doc ]; then
            # Doc tests cannot be picked one by one (cargo splits rustdoc's test arguments at
            # spaces, and their names have spaces): they ran together, one at a time, above.
            status="$(awk -F'\t' -v n="$name" '$1 == "doc" && $2 == n { print $3; exit }' "$doc_results")"
            printf '%s\t%s\t%s\n' "$target" "$name" "${status:-missing}" >>"$out"
            continue
        else
            bin="$(awk -F'\t' -v t="$target" '$1 == t { print $2; exit }' <<<"$executables")"
            if [ -z "$bin" ]; then
                printf '%s\t%s\t%s\n' "$target" "$name" "missing" >>"$out"
                continue
            fi
            # libtest lists a #[should_panic] test as "name - should panic"; --exact takes the name.
            out_text="$(cd "$dir" && CARGO_MANIFEST_DIR="$dir" timeout "$REMOTE_TEST_TIMEOUT" \
                "$ROOT/scripts/with-test-server.sh" \
                env REDIRECT_REPLICA="$replica" bash -c "$REDIRECT" _ \
                "$bin" --exact "${name% - should panic}" --test-threads=1 2>&1)"
        fi
        rc=$?
        printf '===== %s :: %s (exit %s)\n%s\n' "$target" "$name" "$rc" "$out_text" >>"$log_file"
        # Passed only if the test really ran: `--exact` with a name that matches nothing exits 0.
        if [ "$rc" -eq 0 ] && grep -q "test result: ok. 1 passed" <<<"$out_text"; then
            status=ok
        else
            status=FAILED
        fi
        printf '%s\t%s\t%s\n' "$target" "$name" "$status" >>"$out"
    done <"$baseline"
}

# Compares a dbcompat backend's results with the baseline's. Prints the per-crate line and
# appends "passed failed expected" to $7. Failures are every baseline-passing test that did not
# pass; those listed in expected-differences.tsv for this crate and backend are "expected".
compare() {
    local crate="$1" version="$2" line="$3" backend="$4" baseline="$5" results="$6" totals="$7"
    awk -F'\t' -v crate="$crate" -v version="$version" -v line="$line" -v backend="$backend" -v totals="$totals" '
        FILENAME == ARGV[1] {
            if ($0 ~ /^#/ || NF == 0) next
            if (NF < 5 || $5 == "") { printf "real-world: %s: entry without a reason: %s\n", ARGV[1], $0 > "/dev/stderr"; bad = 1; next }
            if (($1 == crate || $1 == crate "@" version) && index("," $2 ",", "," backend ",")) listed[$3 "\t" $4] = $5
            next
        }
        FILENAME == ARGV[2] { if ($3 == "ok") base[$1 "\t" $2] = 1; next }
        { got[$1 "\t" $2] = $3 }
        END {
            for (k in base) {
                if (got[k] == "ok") { p++; continue }
                split(k, kk, "\t")
                if (k in listed) { e++; printf "    known   %s :: %s (%s)\n", kk[1], kk[2], (k in got ? got[k] : "not run") }
                else { f++; printf "    FAILED  %s :: %s (%s)\n", kk[1], kk[2], (k in got ? got[k] : "not run") }
            }
            for (k in listed) if (got[k] == "ok" && (k in base)) {
                split(k, kk, "\t"); printf "    note    %s :: %s passes now: remove it from expected-differences.tsv\n", kk[1], kk[2]
            }
            printf "  %s-%s (rusqlite %s) %s: %d passed, %d failed (%d known differences, %d unexpected)\n", crate, version, line, backend, p, e + f, e, f
            printf "%d %d %d\n", p, f, e >> totals
            exit bad
        }
    ' "$EXPECTED" "$baseline" "$results"
}

TOTALS="$WORK/results/totals"
rm -f "$TOTALS".*
: >"$TOTALS.rusqlite"
: >"$TOTALS.dbcompat-local"
: >"$TOTALS.dbcompat-remote"
: >"$TOTALS.dbcompat-replica"
status=0
start=$SECONDS

while IFS=$'\t' read -r name version extra line facade; do
    case "$name" in ''|'#'*) continue ;; esac
    use_facade "$line" "${facade:-default}" || { log "$name: unknown rusqlite line $line or facade variant $facade"; status=1; continue; }
    baseline_release="$(baseline_version "$line")"
    if [ "${#only[@]}" -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]] \
        && [[ " ${only[*]} " != *" $name-$version "* ]] \
        && [[ " ${only[*]} " != *" $name-$version-on-$line "* ]]; then
        continue
    fi
    # shellcheck disable=SC2034 # used through a nameref in run_remote
    args=()
    # shellcheck disable=SC2206 # word splitting intended
    [ "$extra" = "-" ] || args=($extra)
    # A crate can run on more than one line: the line is part of its lock and log names.
    id="$name-$version-on-$line"
    dir="$WORK/src/$name-$version"
    log "$id: fetching"
    if ! fetch_source "$name" "$version"; then
        log "$id: could not fetch the published source"
        status=1
        continue
    fi
    for mode in rusqlite dbcompat; do
        lock="$LOCKS/$id.$mode.lock"
        if [ "$update_locks" = 1 ] || [ ! -f "$lock" ]; then
            if [ "$update_locks" = 0 ]; then
                log "$id: $lock is missing (run with --update-locks)"
                status=1
                continue 2
            fi
            update_lock "$dir" "$mode" "$lock" "$baseline_release" || { log "$id: resolving the $mode lock failed"; status=1; continue 2; }
        fi
    done
    [ "$locks_only" = 1 ] && continue

    # The baseline: real rusqlite.
    cp "$LOCKS/$id.rusqlite.lock" "$dir/Cargo.lock"
    log "$id: cargo test under real rusqlite $baseline_release"
    t0=$SECONDS
    (cd "$dir" && cargo test --locked --no-fail-fast "${args[@]}") >"$WORK/logs/$id.rusqlite.log" 2>&1
    parse_results "$WORK/logs/$id.rusqlite.log" >"$WORK/results/$id.rusqlite.tsv"
    base="$WORK/results/$id.rusqlite.tsv"
    bp=$(awk -F'\t' '$3 == "ok"' "$base" | wc -l)
    bf=$(awk -F'\t' '$3 == "FAILED"' "$base" | wc -l)
    bi=$(awk -F'\t' '$3 == "ignored"' "$base" | wc -l)
    echo "  $id rusqlite: $bp passed, $bf failed, $bi ignored ($((SECONDS - t0)) s)"
    echo "$bp $bf 0" >>"$TOTALS.rusqlite"
    if [ "$bp" -eq 0 ]; then
        # Nothing to compare with: a dbcompat run could not fail.
        log "$id: no test passed under real rusqlite $baseline_release (see $WORK/logs/$id.rusqlite.log)"
        status=1
        continue
    fi

    # dbcompat, local files and in-memory databases.
    if ! only_the_facade "$LOCKS/$id.dbcompat.lock"; then
        log "$id: $LOCKS/$id.dbcompat.lock does not put the facade in place of rusqlite (run with --update-locks)"
        status=1
        continue
    fi
    cp "$LOCKS/$id.dbcompat.lock" "$dir/Cargo.lock"
    log "$id: cargo test under dbcompat (local)"
    t0=$SECONDS
    (cd "$dir" && cargo test --locked --no-fail-fast "${PATCH[@]}" "${args[@]}") \
        >"$WORK/logs/$id.dbcompat-local.log" 2>&1
    parse_results "$WORK/logs/$id.dbcompat-local.log" >"$WORK/results/$id.dbcompat-local.tsv"
    compare "$name" "$version" "$line" dbcompat-local "$base" "$WORK/results/$id.dbcompat-local.tsv" "$TOTALS.dbcompat-local" || status=1
    echo "    ($((SECONDS - t0)) s)"

    if [ "$remote" = 1 ] && [ "${facade:-default}" = local-only ]; then
        echo "  $name dbcompat-remote, dbcompat-replica: not run (a local-only dbcompat has no remote backend)"
    elif [ "$remote" = 1 ]; then
        for backend in remote replica; do
            log "$id: each test alone against a fresh test server (dbcompat $backend)"
            t0=$SECONDS
            run_remote "$dir" args "$base" "$WORK/results/$id.dbcompat-$backend.tsv" \
                "$WORK/logs/$id.dbcompat-$backend.log" "$backend"
            compare "$name" "$version" "$line" "dbcompat-$backend" "$base" \
                "$WORK/results/$id.dbcompat-$backend.tsv" "$TOTALS.dbcompat-$backend" || status=1
            echo "    ($((SECONDS - t0)) s)"
        done
    fi
done <"$LIST"

if [ "$locks_only" = 1 ]; then
    log "lock files re-resolved in $LOCKS"
    exit "$status"
fi

# The closing lines, in scripts/test.sh's `label: N passed, N failed` format.
sum_line() {
    local label="$1" file="$2"
    awk -v label="$label" '
        { p += $1; f += $2; e += $3 }
        END {
            printf "%s: %d passed, %d failed\n", label, p, f
            if (e > 0) printf "  (%s: %d further failures are known differences, each listed with its reason in real-world/expected-differences.tsv)\n", label, e
            exit (f > 0)
        }
    ' "$file"
}
echo "real-world: logs and per-test results in $WORK/logs and $WORK/results ($((SECONDS - start)) s)"
# The baseline's own failures (a published package that cannot pass its own suite, e.g. a doc
# test reading a file the package does not ship) are reported but not summed: the comparison
# covers the tests that pass on real rusqlite.
awk '{ p += $1; f += $2 } END { printf "real rusqlite (baseline): %d passed, %d failing in the published packages themselves\n", p, f }' \
    "$TOTALS.rusqlite"
sum_line real-world-local "$TOTALS.dbcompat-local" || status=1
if [ "$remote" = 1 ]; then
    sum_line real-world-remote "$TOTALS.dbcompat-remote" || status=1
    sum_line real-world-replica "$TOTALS.dbcompat-replica" || status=1
fi
exit "$status"
