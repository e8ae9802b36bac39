#!/usr/bin/env bash
# Runs the whole benchmark comparison of issue 4 and publishes it:
#
#   scripts/bench.sh
#
#   (a) native rusqlite 0.34 (bundled)     benches/under_rusqlite.rs
#   (b) dbcompat (local files; remote)     benches/under_dbcompat.rs
#   (c) raw libsql 0.10, async API         benches/raw_libsql.rs
#   (d) the naive block_on bridge          benches/naive_bridge.rs
#
# Builds the bench targets (release), starts the loopback test server through
# scripts/with-test-server.sh for workload 7, runs the four criterion targets one after the
# other, runs the peak-RSS probes (a 1M-row scan in a process of its own per crate), then prints
# a table of criterion's medians with the ratios b/a, b/c and d/b, and writes the same table,
# the machine, the date, the peak RSS and the HTTP request counts into docs/benchmarks.md
# (between the `bench:begin` / `bench:end` markers; the text around them is kept).
#
# Environment:
#   BENCH_ARGS        criterion flags (default "--warm-up-time 1 --measurement-time 3")
#   BENCH_ROUNDS      rounds of the four targets (default 3); each cell is the lowest median
#   BENCH_CALLGRIND=1 also count instructions per operation with valgrind (adds ~4 minutes)
#   BENCH_ONESHOT=0   skip the syscall / page-fault / peak-RSS runs (on by default; needs strace
#                     for the syscall counts)
#   BENCH_NO_DOCS=1   print the report only; leave docs/benchmarks.md alone
# Needs bash, cargo, a C compiler, sed and awk (valgrind for BENCH_CALLGRIND). About 7 minutes
# after the builds on 2 cores.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCHES=(under_rusqlite under_dbcompat raw_libsql naive_bridge)

if [ -z "${DBCOMPAT_BENCH_INNER:-}" ]; then
    bench_flags=()
    for b in "${BENCHES[@]}"; do bench_flags+=(--bench "$b"); done
    echo "bench.sh: building the bench targets (release)" >&2
    cargo bench --locked --no-run "${bench_flags[@]}" >&2
    export DBCOMPAT_BENCH_INNER=1
    if [ -n "${DBCOMPAT_TEST_URL:-}" ]; then
        exec "$0" "$@"
    fi
    exec "$ROOT/scripts/with-test-server.sh" "$0" "$@"
fi

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
CRIT="$TARGET_DIR/criterion"
NOTES="$CRIT/dbcompat-notes.txt"
mkdir -p "$CRIT"
rm -rf "$CRIT"/w[0-9]*_* "$NOTES"
read -r -a CRIT_ARGS <<<"${BENCH_ARGS:---warm-up-time 1 --measurement-time 3}"

note() {
    [ -f "$NOTES" ] || return 0
    awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { if (v != "") print v }' "$NOTES"
}

ROUNDS="${BENCH_ROUNDS:-3}"
MEDIANS="$CRIT/dbcompat-medians.txt"
rm -f "$MEDIANS"

# The median point estimate (ns) in one estimates.json.
median_of() {
    grep -o '"median":{"confidence_interval":{[^}]*},"point_estimate":[-0-9.eE+]*' "$1" |
        sed 's/.*"point_estimate"://'
}

started=$SECONDS
for round in $(seq 1 "$ROUNDS"); do
    for b in "${BENCHES[@]}"; do
        echo "bench.sh: round $round/$ROUNDS: $b" >&2
        cargo bench --locked --bench "$b" -- "${CRIT_ARGS[@]}"
        # Keep this run's medians as "<round> <group> <driver> <ns>", then clear them so the
        # next run starts without a baseline.
        for f in "$CRIT"/w[0-9]*_*/*/new/estimates.json; do
            [ -f "$f" ] || continue
            driver="$(basename "$(dirname "$(dirname "$f")")")"
            group="$(basename "$(dirname "$(dirname "$(dirname "$f")")")")"
            echo "$round $group $driver $(median_of "$f")" >>"$MEDIANS"
        done
        rm -rf "$CRIT"/w[0-9]*_*
    done
done
for b in under_rusqlite under_dbcompat naive_bridge; do
    echo "bench.sh: peak-RSS probe for $b" >&2
    DBCOMPAT_BENCH_RSS=1 cargo bench --locked --bench "$b"
done

# The bench binaries themselves, for the one-shot and callgrind modes (no cargo in between).
declare -A BIN
for b in "${BENCHES[@]}"; do
    BIN[$b]="$(cargo bench --locked --no-run --bench "$b" --message-format=json 2>/dev/null |
        grep -o '"executable":"[^"]*"' | tail -1 | sed 's/"executable":"//; s/"$//')"
done

# What the time is made of (issue 11). Each local workload runs n times in a process of its own
# (DBCOMPAT_BENCH_ONESHOT=<workload>:<n>, after its setup and one warm-up run), for a and b
# alternately: wall and CPU time, minor page faults and peak-RSS growth of the n runs come from
# inside the process (getrusage, VmHWM); syscalls are counted by `strace -f -c` as
# (total at n - total at 0) / n, in two more runs. "<workload> <n> <criterion group>":
ONESHOTS=(
    "lookup 20000 w1_point_lookup" "insert 5 w2_insert_10k_tx" "scan 50 w3_scan_10k"
    "scan_primed 50 w3_scan_10k , statement cached before the first scan"
    "fts 200 w4_fts_bm25_top20" "open_close 2000 w5_open_close" "mixed 20 w6_mixed_4_threads"
    "records 50 w8_records_10k" "wide 50 w9_wide_2k" "blob_values 50 w10_blob_1m_values"
    "blob_io 50 w11_blob_1m_io" "long_text 500 w12_text_64k" "autocommit 5 w13_autocommit_1k"
    "readers 20 w14_readers_4_threads" "prepare500 2000 w15_prepare_500b" "bind16 20000 w16_bind_16"
    "script 20 w17_script_10k"
)
# "<label> <workload> <n> <wall ns> <user ns> <sys ns> <minflt> <hwm kB> <syscalls> <brk>"
ONESHOT_OUT="$CRIT/dbcompat-oneshot.txt"
rm -f "$ONESHOT_OUT"
STRACE_OUT="$(mktemp)"
strace_counts() { # binary workload n -> "<syscalls> <brk>"
    if DBCOMPAT_BENCH_ONESHOT="$2:$3" strace -f -c -o "$STRACE_OUT" "$1" >/dev/null 2>&1; then
        awk '$NF == "total" { t = $4 } $NF == "brk" { b = $4 } END { printf "%d %d", t, b }' "$STRACE_OUT"
    fi
}
if [ "${BENCH_ONESHOT:-1}" = "1" ]; then
    for spec in "${ONESHOTS[@]}"; do
        read -r w n _ <<<"$spec"
        for b in under_rusqlite under_dbcompat; do
            label="$([ "$b" = under_rusqlite ] && echo a_rusqlite || echo b_dbcompat)"
            echo "bench.sh: one-shot $w x$n ($label)" >&2
            DBCOMPAT_BENCH_ONESHOT="$w:$n" "${BIN[$b]}" >/dev/null
            measured="$(note "oneshot.$label.$w")" # before the strace runs note theirs
            sys="" brk=""
            if command -v strace >/dev/null 2>&1; then
                read -r s1 b1 <<<"$(strace_counts "${BIN[$b]}" "$w" "$n")"
                read -r s0 b0 <<<"$(strace_counts "${BIN[$b]}" "$w" 0)"
                if [ -n "${s1:-}" ] && [ -n "${s0:-}" ]; then
                    sys=$((s1 - s0)) brk=$((b1 - b0))
                fi
            fi
            echo "$label $w $measured ${sys:--} ${brk:--}" >>"$ONESHOT_OUT"
        done
    done
fi
rm -f "$STRACE_OUT"
elapsed=$((SECONDS - started))

# Instructions per operation under callgrind (BENCH_CALLGRIND=1): stable where wall time is not.
# Each bench binary has a profile mode that runs one workload n times after its setup; the
# count per operation is (total at n - total at 0) / n.
CG_TABLE=""
if [ "${BENCH_CALLGRIND:-0}" = "1" ]; then
    if command -v valgrind >/dev/null 2>&1; then
        CG_DIR="$(mktemp -d)"
        cg_total() { # target workload n
            DBCOMPAT_BENCH_PROFILE="$2:$3" valgrind --tool=callgrind \
                --callgrind-out-file="$CG_DIR/out" "${BIN[$1]}" >/dev/null 2>&1 || { echo ""; return; }
            awk '/^(summary|totals):/ { print $2; exit }' "$CG_DIR/out"
        }
        cg_per_op() { # target workload n
            local t0 t1
            t0="$(cg_total "$1" "$2" 0)"
            t1="$(cg_total "$1" "$2" "$3")"
            if [ -n "$t0" ] && [ -n "$t1" ]; then echo $(((t1 - t0) / $3)); fi
        }
        CG_TABLE="$(
            echo "| workload | a rusqlite | b dbcompat | c raw libsql | d naive bridge | b/a | b/c | d/b |"
            echo "|---|---:|---:|---:|---:|---:|---:|---:|"
            for spec in "lookup 5000 1. point lookup" "insert 3 2. insert 10k rows in a transaction" \
                "scan 20 3. scan 10k rows" "fts 100 4. FTS query (average of the 8)" \
                "open_close 500 5. open + close" "records 5 8. scan 10k TEXT+BLOB rows" \
                "wide 5 9. scan 2k wide rows" "blob_values 5 10. 1 MiB BLOB as values" \
                "blob_io 5 11. 1 MiB BLOB, blob I/O" "long_text 50 12. 64 KiB TEXT" \
                "autocommit 2 13. 1000 autocommit upserts" "prepare500 500 15. prepare 500-byte query" \
                "bind16 2000 16. re-bind 16 parameters" "script 3 17. 10 000-statement script"; do
                read -r w n name <<<"$spec"
                echo "bench.sh: callgrind $w" >&2
                a="$(cg_per_op under_rusqlite "$w" "$n")"
                b="$(cg_per_op under_dbcompat "$w" "$n")"
                c="$(cg_per_op raw_libsql "$w" "$n")"
                d=""
                case "$w" in lookup | scan | fts) d="$(cg_per_op naive_bridge "$w" "$n")" ;; esac
                awk -v name="$name" -v a="$a" -v b="$b" -v c="$c" -v d="$d" '
                    function f(x) { return x == "" ? "—" : sprintf("%.0f", x) }
                    function r(x, y) { return (x == "" || y == "" || y == 0) ? "—" : sprintf("%.2f", x / y) }
                    BEGIN { printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", name, f(a), f(b), f(c), f(d), r(b, a), r(b, c), r(d, b) }'
            done
        )"
        rm -rf "$CG_DIR"
    else
        CG_TABLE="(valgrind is not installed: no instruction counts)"
    fi
fi

# The lowest of the rounds' medians (ns) of one benchmark, or nothing. Interference from other
# work on a shared machine only ever adds time, so the quietest round is the best estimate.
median() {
    awk -v g="$1" -v d="$2" '
        $2 == g && $3 == d && (m == "" || $4 < m) { m = $4 }
        END { if (m != "") print m }' "$MEDIANS"
}

# The spread of one benchmark's medians across rounds, as max/min.
spread() {
    awk -v g="$1" -v d="$2" '
        $2 == g && $3 == d { if (lo == "" || $4 < lo) lo = $4; if ($4 > hi) hi = $4 }
        END { if (lo != "" && lo > 0) printf "%.2f", hi / lo; else printf "—" }' "$MEDIANS"
}

WORKLOADS=(
    "w1_point_lookup|1. point lookup by PK, prepare_cached, 100k rows"
    "w2_insert_10k_tx|2. insert 10k rows in one transaction"
    "w3_scan_10k|3. scan 10k rows into structs (query_map)"
    "w4_fts_bm25_top20|4. FTS5 MATCH + bm25 + LIMIT 20, 10k docs"
    "w5_open_close|5. open + close a connection (file db)"
    "w6_mixed_4_threads|6. mixed read/write, 4 threads x 200 ops (WAL)"
    "w8_records_10k|8. scan 10k rows TEXT+REAL+64 B BLOB into structs"
    "w9_wide_2k|9. scan 2k wide rows (20 mixed columns)"
    "w10_blob_1m_values|10. 1 MiB BLOB write + read, as values"
    "w11_blob_1m_io|11. 1 MiB BLOB write + read, blob I/O"
    "w12_text_64k|12. 64 KiB TEXT write + read"
    "w13_autocommit_1k|13. 1000 autocommit upserts (WAL, sync=NORMAL)"
    "w14_readers_4_threads|14. 4 reader threads x 250 cached lookups (WAL)"
    "w15_prepare_500b|15. prepare (no cache) + finalize a 500-byte query"
    "w16_bind_16|16. re-bind 16 parameters + step (cached statement)"
    "w17_script_10k|17. execute_batch of a 10 000-statement script"
    "w7_remote_point_lookup|7. remote point lookup (test server)"
    "w7_remote_execute_batch_100|7. remote execute_batch, 100 statements"
    "w7_remote_first_row_of_10k|7. remote query_row on a 10 000-row query"
)

table() {
    echo "| workload | a rusqlite | b dbcompat | c raw libsql | d naive bridge | b/a | b/c | d/b |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    local w id name a b c d
    for w in "${WORKLOADS[@]}"; do
        id="${w%%|*}"
        name="${w#*|}"
        a="$(median "$id" a_rusqlite)"
        b="$(median "$id" b_dbcompat)"
        c="$(median "$id" c_raw_libsql)"
        d="$(median "$id" d_naive_bridge)"
        awk -v name="$name" -v a="$a" -v b="$b" -v c="$c" -v d="$d" '
            function t(x) {
                if (x == "") return "—"
                if (x < 1e3) return sprintf("%.0f ns", x)
                if (x < 1e6) return sprintf("%.2f µs", x / 1e3)
                if (x < 1e9) return sprintf("%.2f ms", x / 1e6)
                return sprintf("%.2f s", x / 1e9)
            }
            function r(x, y) { return (x == "" || y == "" || y == 0) ? "—" : sprintf("%.2f", x / y) }
            BEGIN {
                printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", name, t(a), t(b), t(c), t(d), r(b, a), r(b, c), r(d, b)
            }'
    done
}

spread_table() {
    echo "| workload | a | b | c | d |"
    echo "|---|---:|---:|---:|---:|"
    local w id
    for w in "${WORKLOADS[@]}"; do
        id="${w%%|*}"
        echo "| ${w#*|} | $(spread "$id" a_rusqlite) | $(spread "$id" b_dbcompat) | $(spread "$id" c_raw_libsql) | $(spread "$id" d_naive_bridge) |"
    done
}

rss_line() {
    local label="$1" name="$2" before peak rows
    before="$(note "rss.$label.before_kb")"
    peak="$(note "rss.$label.peak_kb")"
    rows="$(note "rss.$label.rows")"
    if [ -n "$peak" ]; then
        awk -v n="$name" -v b="$before" -v p="$peak" -v r="$rows" 'BEGIN {
            printf "| %s | %.1f MiB | %.1f MiB | +%.1f MiB | %s |\n", n, b / 1024, p / 1024, (p - b) / 1024, r }'
    else
        echo "| $name | — | — | — | — |"
    fi
}

# One row per workload: the one-shot measurements of a and b side by side, with b/a. CPU time
# (user + system, all threads) is the ratio to trust on a busy machine; system time is where
# page faults and syscalls show.
oneshot_table() {
    echo "| workload | b/a wall (criterion) | b/a CPU (one-shot) | sys µs/op a | b | syscalls/op a | b | b/a | brk/op a | b | minor faults/op a | b | b/a | peak RSS growth a | b | b/a |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    local spec w n id variant name
    for spec in "${ONESHOTS[@]}"; do
        read -r w n id variant <<<"$spec"
        name="$(printf '%s\n' "${WORKLOADS[@]}" | awk -F'|' -v id="$id" '$1 == id { print $2 }')${variant}"
        awk -v name="$name" -v w="$w" -v ca="$(median "$id" a_rusqlite)" -v cb="$(median "$id" b_dbcompat)" '
            $2 == w && $1 == "a_rusqlite" { an = $3; au = $5; ak = $6; af = $7; ah = $8; as = $9; ab = $10 }
            $2 == w && $1 == "b_dbcompat" { bn = $3; bu = $5; bk = $6; bf = $7; bh = $8; bs = $9; bb = $10 }
            function r(x, y) {
                if (x == "" || x == "-" || x == "?" || y == "" || y == "-" || y == "?") return "—"
                if (y == 0) return x == 0 ? "1.00" : "∞"
                return sprintf("%.2f", x / y)
            }
            # A ratio of counts only where one side reaches `floor` (0.5 per op, 1 MiB of RSS):
            # below that both are noise around zero.
            function rc(x, y, floor) {
                if (x == "" || x == "-" || x == "?" || y == "" || y == "-" || y == "?") return "—"
                if (x < floor && y < floor) return "≈ 0"
                return r(x, y)
            }
            # Per operation; a difference of two counts can come out at -1 (noise): floor at 0.
            function per(x, n) { return (x == "" || x == "-" || n == "" || n == 0) ? "-" : (x < 0 ? 0 : x / n) }
            function f(x) { return x == "-" ? "—" : (x >= 100 ? sprintf("%.0f", x) : sprintf("%.2f", x)) }
            function kb(x) { return (x == "" || x == "?") ? "—" : sprintf("%.1f MiB", x / 1024) }
            END {
                if (an == "" || bn == "") { printf "| %s | %s |%s\n", name, r(cb, ca), " — | — | — | — | — | — | — | — | — | — | — | — | — | — |"; exit }
                sa = per(as, an); sb = per(bs, bn); ba = per(ab, an); bbb = per(bb, bn)
                fa = per(af, an); fb = per(bf, bn)
                printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name, r(cb, ca),
                    r(per(bu + bk, bn), per(au + ak, an)), f(per(ak / 1000, an)), f(per(bk / 1000, bn)),
                    f(sa), f(sb), rc(sb, sa, 0.5), f(ba), f(bbb), f(fa), f(fb), rc(fb, fa, 0.5),
                    kb(ah), kb(bh), rc(bh, ah, 1024)
            }' "$ONESHOT_OUT"
    done
}

extras() {
    echo
    echo "Round-to-round spread (slowest round's median / fastest round's median; 1.00 = stable):"
    echo
    spread_table
    echo
    echo "Peak RSS while scanning 1M rows (one process per crate; VmHWM reset just before the scan):"
    echo
    echo "| crate | RSS before | peak during scan | growth | rows |"
    echo "|---|---:|---:|---:|---:|"
    rss_line a_rusqlite "a rusqlite (query_map, streamed)"
    rss_line b_dbcompat "b dbcompat local (query_map, streamed)"
    rss_line d_naive_bridge "d naive bridge (rows collected)"
    echo
    echo "HTTP requests at the test server (its request log), one call each:"
    echo
    echo "| call | b dbcompat | c raw libsql |"
    echo "|---|---|---|"
    echo "| point lookup (cached statement) | $(note requests.b_dbcompat.point_lookup) | $(note requests.c_raw_libsql.point_lookup) |"
    echo "| execute_batch, 100 statements | $(note requests.b_dbcompat.execute_batch) | $(note requests.c_raw_libsql.execute_batch) |"
    echo
    if [ -s "${ONESHOT_OUT:-}" ]; then
        echo "What the time is made of: each workload run n times in a process of its own, outside criterion"
        echo "(\`DBCOMPAT_BENCH_ONESHOT\`, a and b alternately). CPU time (user + system, all threads) and minor"
        echo "page faults: \`getrusage\` around the n runs; syscalls: \`strace -f -c\`, (count at n - count at 0) / n;"
        echo "peak RSS growth: VmHWM reset before the n runs, read after. b/a wall (criterion) repeats the main"
        echo "table's ratio; CPU time does not count the time other jobs hold the cores."
        echo
        oneshot_table
        echo
    fi
    if [ -n "$CG_TABLE" ]; then
        echo "Instructions per operation (\`valgrind --tool=callgrind\`, same workloads and data):"
        echo
        echo "$CG_TABLE"
    else
        echo "(Instruction counts per operation: run with \`BENCH_CALLGRIND=1\`; needs valgrind.)"
    fi
}

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
mem="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)"
machine="$(nproc) cores, ${cpu:-unknown CPU}, ${mem:-? RAM}, $(uname -sr)"
when="$(date -u '+%Y-%m-%d %H:%M UTC')"
rev="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git status --porcelain 2>/dev/null | head -1)"
[ -n "$dirty" ] && rev="$rev + uncommitted changes"

report="$(
    echo "Measured $when on: $machine; $(rustc -V 2>/dev/null || echo rustc ?); commit $rev."
    echo "Each cell: the lowest of $ROUNDS criterion medians (\`${CRIT_ARGS[*]}\`), one per round; a round"
    echo "runs the four bench targets one after another. One run of \`scripts/bench.sh\`, ${elapsed}s after"
    echo "the builds, on a machine shared with other jobs (see the spread below)."
    echo
    table
    extras
)"

echo
echo "$report"

DOC="$ROOT/docs/benchmarks.md"
if [ "${BENCH_NO_DOCS:-0}" != "1" ]; then
    mkdir -p "$ROOT/docs"
    if [ ! -f "$DOC" ] || ! grep -q '<!-- bench:begin -->' "$DOC"; then
        {
            echo "# Benchmarks"
            echo
            echo "Produced by \`scripts/bench.sh\`."
            echo
            echo "<!-- bench:begin -->"
            echo "<!-- bench:end -->"
        } >>"$DOC"
    fi
    tmp="$(mktemp)"
    printf '%s\n' "$report" >"$tmp.report"
    awk -v rf="$tmp.report" '
        /<!-- bench:begin -->/ { print; while ((getline line < rf) > 0) print line; skip = 1; next }
        /<!-- bench:end -->/ { skip = 0 }
        !skip { print }' "$DOC" >"$tmp"
    mv "$tmp" "$DOC"
    rm -f "$tmp.report"
    echo
    echo "bench.sh: wrote the table to docs/benchmarks.md" >&2
fi
