#!/usr/bin/env bash
# Run a command against a fresh dbcompat test server (Hrana + embedded-replica primary).
#
#   scripts/with-test-server.sh <command> [args...]
#
# Builds test-server/ (release, own target dir test-server/target), starts it on 127.0.0.1 with
# a free port and a new database in a temporary directory, waits for /health, then runs the
# command with:
#   DBCOMPAT_TEST_URL=http://127.0.0.1:<port>
#   DBCOMPAT_TEST_SERVER_BIN=<path to dbcompat-test-server>   (fault tests start their own)
#   DBCOMPAT_TEST_DB=<server database file>
#   DBCOMPAT_TEST_REQUEST_LOG=<file with one "METHOD /path" line per HTTP request>
#   DBCOMPAT_TEST_TOKEN=<token>   (only when the caller set it: the server then requires it)
# The server is always stopped afterwards; the script exits with the command's status.
#
# Optional environment:
#   DBCOMPAT_TEST_TOKEN         start the server with --token (clients must send it)
#   DBCOMPAT_TEST_SERVER_ARGS   extra server flags, e.g. "--error-codes extended --verbose"
#   DBCOMPAT_TEST_SERVER_KEEP=1 keep the temporary directory (database, server log)
#   DBCOMPAT_TEST_SERVER_WAIT   seconds to wait for the server to answer (default 30)
#
# Needs only bash, cargo and a C compiler (SQLite is compiled from source). Uses curl for the
# health check when present, bash's /dev/tcp otherwise.

set -u

if [ "$#" -eq 0 ]; then
    echo "usage: $0 <command> [args...]" >&2
    exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER_DIR="$ROOT/test-server"
BIN="$SERVER_DIR/target/release/dbcompat-test-server"

log() { echo "with-test-server: $*" >&2; }

if ! cargo build --release --locked \
    --manifest-path "$SERVER_DIR/Cargo.toml" \
    --target-dir "$SERVER_DIR/target" >&2; then
    log "building the test server failed"
    exit 1
fi
if [ ! -x "$BIN" ]; then
    log "built, but $BIN is missing"
    exit 1
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/dbcompat-test-server.XXXXXX")" || { log "mktemp failed"; exit 1; }
DB="$TMP/test.db"
PORT_FILE="$TMP/port"
SERVER_LOG="$TMP/server.log"
REQUEST_LOG="$TMP/requests.log"
STDIN_FIFO="$TMP/stdin"
SERVER_PID=""

cleanup() {
    # Closing the FIFO's write end makes the server see EOF on stdin and exit; SIGTERM too.
    { exec 9>&-; } 2>/dev/null
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            log "server did not stop, killing it"
            kill -KILL "$SERVER_PID" 2>/dev/null
        fi
        wait "$SERVER_PID" 2>/dev/null
    fi
    if [ "${DBCOMPAT_TEST_SERVER_KEEP:-0}" = "1" ]; then
        log "kept $TMP"
    else
        rm -rf "$TMP"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

server_args=(--addr 127.0.0.1:0 --db "$DB" --port-file "$PORT_FILE" --log-requests "$REQUEST_LOG")
if [ -n "${DBCOMPAT_TEST_TOKEN:-}" ]; then
    server_args+=(--token "$DBCOMPAT_TEST_TOKEN")
fi
# shellcheck disable=SC2206 # word splitting intended
extra_args=(${DBCOMPAT_TEST_SERVER_ARGS:-})

# The server's stdin is a FIFO whose only writer is this script (fd 9): if the script dies,
# even by SIGKILL, the server sees EOF and exits, so it cannot outlive the test run.
mkfifo "$STDIN_FIFO" || { log "mkfifo failed"; exit 1; }
"$BIN" "${server_args[@]}" "${extra_args[@]}" <"$STDIN_FIFO" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
exec 9>"$STDIN_FIFO"

show_server_log() {
    if [ -s "$SERVER_LOG" ]; then
        log "server log (last 40 lines):"
        tail -n 40 "$SERVER_LOG" >&2
    fi
}

health_ok() {
    local port="$1"
    if command -v curl >/dev/null 2>&1; then
        curl -fsS --max-time 2 "http://127.0.0.1:$port/health" >/dev/null 2>&1
        return
    fi
    # No curl: a minimal HTTP request over bash's /dev/tcp.
    local status=""
    # (`exec 8<>... 2>/dev/null` would silence the script's stderr for good; the braces keep
    # that redirection temporary.)
    if { exec 8<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
        printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&8 2>/dev/null
        IFS= read -r -t 2 status <&8 || true
        exec 8<&- 8>&-
    fi
    case "$status" in
        "HTTP/1."?" 200"*) return 0 ;;
        *) return 1 ;;
    esac
}

wait_secs="${DBCOMPAT_TEST_SERVER_WAIT:-30}"
deadline=$((SECONDS + wait_secs))
PORT=""
while :; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        log "the test server exited during startup"
        show_server_log
        exit 1
    fi
    if [ -z "$PORT" ] && [ -s "$PORT_FILE" ]; then
        PORT="$(tr -d '[:space:]' <"$PORT_FILE")"
    fi
    if [ -n "$PORT" ] && health_ok "$PORT"; then
        break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
        log "the test server did not answer GET /health within ${wait_secs}s (port: ${PORT:-none})"
        show_server_log
        exit 1
    fi
    sleep 0.1
done

export DBCOMPAT_TEST_URL="http://127.0.0.1:$PORT"
export DBCOMPAT_TEST_SERVER_BIN="$BIN"
export DBCOMPAT_TEST_DB="$DB"
export DBCOMPAT_TEST_REQUEST_LOG="$REQUEST_LOG"
if [ -n "${DBCOMPAT_TEST_TOKEN:-}" ]; then
    export DBCOMPAT_TEST_TOKEN
fi
log "server ready at $DBCOMPAT_TEST_URL (pid $SERVER_PID, db $DB)"

# fd 9 is closed for the command so that its (grand)children do not keep the FIFO open.
"$@" 9>&-
status=$?
if [ "$status" -ne 0 ]; then
    show_server_log
fi
exit "$status"
