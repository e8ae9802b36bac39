#!/usr/bin/env bash
# The latency benchmark of issue 9: a realistic application's whole run at a real network
# distance, on one machine.
#
#   scripts/latency.sh
#
# Runs the notes example app (examples/notes, dbcompat build, release) once per mode:
#   local          the plain file, for reference
#   remote         LIBSQL_URL=<server>                     (Connection::open_from_env)
#   replica        LIBSQL_URL=<server> DBCOMPAT_REPLICA=1  (an embedded replica in the file)
# each against a fresh loopback test server, directly and through test-server's delay-proxy
# (LATENCY_DELAY_MS each way, default 10: a 20 ms round trip). It reports the HTTP requests
# the server logged, the wall time, the time per request, and checks that the app printed the
# same report with and without the delay. Then it runs `benches/request_counts.rs` through the
# proxy: the time of each kind of call at that distance.
#
# Environment: LATENCY_DELAY_MS (default 10). Needs bash, cargo, a C compiler, sed, sort, uniq.
# About a minute after the builds.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DELAY="${LATENCY_DELAY_MS:-10}"
NOTES_BIN="$ROOT/target/release/notes-store"
PROXY_BIN="$ROOT/test-server/target/release/delay-proxy"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# "2 × POST /v3/pipeline, 93 × GET /sync/…" for the request-log lines on stdin.
summarize_paths() {
    sed -E 's#/sync/.*#/sync/…#' | sort | uniq -c | sort -rn |
        awk '{ n = $1; $1 = ""; printf "%s%d ×%s", (NR > 1 ? ", " : ""), n, $0 }'
}

# Inside scripts/with-test-server.sh: one measured run (or the request-count report) against
# this server, through the proxy when the delay is not 0.
if [ -n "${DBCOMPAT_LATENCY_INNER:-}" ]; then
    read -r mode delay out <<<"$DBCOMPAT_LATENCY_INNER"
    url="$DBCOMPAT_TEST_URL"
    if [ "$delay" != "0" ]; then
        tmp="$(mktemp -d)"
        # The proxy's stdin is a FIFO held by this script: it exits with us, whatever happens.
        mkfifo "$tmp/stdin"
        "$PROXY_BIN" --upstream "${url#http://}" --delay-ms "$delay" --port-file "$tmp/port" \
            --max-secs 600 <"$tmp/stdin" 2>/dev/null &
        exec 8>"$tmp/stdin"
        for _ in $(seq 1 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
        url="http://127.0.0.1:$(tr -d '[:space:]' <"$tmp/port")"
    fi
    if [ "$mode" = "counts" ]; then
        DBCOMPAT_TEST_URL="$url" cargo bench --locked --bench request_counts 2>/dev/null
        exit 0
    fi
    dir="$(mktemp -d)"
    before="$(wc -l <"$DBCOMPAT_TEST_REQUEST_LOG")"
    env_vars=(LIBSQL_URL="$url")
    [ "$mode" = "replica" ] && env_vars+=(DBCOMPAT_REPLICA=1)
    started="$(now_ms)"
    env "${env_vars[@]}" "$NOTES_BIN" "$dir/notes.db" >"$out"
    elapsed=$(($(now_ms) - started))
    requests="$(tail -n +"$((before + 1))" "$DBCOMPAT_TEST_REQUEST_LOG" | wc -l)"
    paths="$(tail -n +"$((before + 1))" "$DBCOMPAT_TEST_REQUEST_LOG" | summarize_paths)"
    rm -rf "$dir"
    echo "latency-result|$mode|$delay|$requests|$elapsed|$paths"
    exit 0
fi

echo "latency.sh: building the test server, delay-proxy, the notes app and request_counts (release)" >&2
cargo build --release --locked --manifest-path test-server/Cargo.toml --target-dir test-server/target >&2
cargo build --release --locked -p notes-store --no-default-features --features backend-libsql >&2
cargo bench --locked --no-run --bench request_counts >&2

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
started="$(now_ms)"
"$NOTES_BIN" "$WORK/local.db" >"$WORK/local.out"
local_ms=$(($(now_ms) - started))

results=()
for mode in remote replica; do
    for delay in 0 "$DELAY"; do
        echo "latency.sh: $mode, ${delay} ms each way" >&2
        line="$(DBCOMPAT_LATENCY_INNER="$mode $delay $WORK/$mode-$delay.out" \
            scripts/with-test-server.sh "$0" 2>>"$WORK/inner.log" | grep '^latency-result|')" ||
            { tail -n 20 "$WORK/inner.log" >&2; exit 1; }
        results+=("$line")
    done
done
echo "latency.sh: request counts through the proxy" >&2
counts="$(DBCOMPAT_LATENCY_INNER="counts $DELAY -" scripts/with-test-server.sh "$0" 2>>"$WORK/inner.log")" ||
    { tail -n 20 "$WORK/inner.log" >&2; exit 1; }

same() {
    if [ "$1" = "$2" ]; then echo "—"; elif cmp -s "$1" "$2"; then echo "same"; else echo "DIFFERENT"; fi
}

echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores."
echo "The notes app (examples/notes, release, dbcompat) runs its whole demo once per row; local: ${local_ms} ms."
echo
echo "| mode | delay each way | requests | total | per request | added by the delay | report vs 0 ms |"
echo "|---|---:|---:|---:|---:|---:|---|"
declare -A base
for line in "${results[@]}"; do
    IFS='|' read -r _ mode delay requests elapsed _paths <<<"$line"
    [ "$delay" = "0" ] && base[$mode]="$elapsed"
    added="—"
    [ "$delay" != "0" ] && added="$((elapsed - ${base[$mode]})) ms"
    awk -v m="$mode" -v d="$delay" -v r="$requests" -v e="$elapsed" -v a="$added" \
        -v s="$(same "$WORK/$mode-0.out" "$WORK/$mode-$delay.out")" \
        'BEGIN { printf "| %s | %d ms | %d | %d ms | %.2f ms | %s | %s |\n", m, d, r, e, (r ? e / r : 0), a, s }'
done
echo
echo "Requests by path (${DELAY} ms runs):"
echo
for line in "${results[@]}"; do
    IFS='|' read -r _ mode delay _requests _elapsed paths <<<"$line"
    [ "$delay" != "0" ] && echo "* $mode: $paths"
done
echo
echo "Each kind of call through the proxy (${DELAY} ms each way), from benches/request_counts.rs:"
echo "$counts" | grep -v '^Remote calls against'
