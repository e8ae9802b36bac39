//! dbcompat-test-server: a libSQL server for dbcompat's tests. Loopback only.
//!
//! * Hrana v2/v3 over HTTP (`/v2/pipeline`, `/v3/pipeline`, `/v3/cursor`), executed by the
//!   crates.io `hrana-server` crate (rusqlite, bundled SQLite), with statement errors rewritten
//!   to the code strings sqld sends.
//! * Embedded-replica primary for libsql 0.10's sync protocol v2 (`/info`, `/export/{g}`,
//!   `/sync/{g}/{start}/{end}`) over the same database file.
//!
//! See README.md for flags, endpoints and the exact error codes.

mod errors;
mod hrana_front;
mod http;
mod lifetime;
mod listener;
mod replica;

use errors::ErrorMode;
use hrana_front::{Backend, Front};
use http::{HttpReply, HttpRequest, IN_FLIGHT};
use replica::{Primary, Reply};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

static SHUTDOWN: AtomicBool = AtomicBool::new(false);

const USAGE: &str = "\
usage: dbcompat-test-server --db <path> [options]

  --addr 127.0.0.1:<port>   listen address; loopback 127.0.0.1 only; port 0 = pick a free port
                            (default 127.0.0.1:0)
  --db <path>               SQLite database file (created if missing; WAL mode, 4096-byte pages)
  --port-file <path>        after binding, write the bound port (decimal + newline) atomically
  --token <t>               require `Authorization: Bearer <t>` (401 otherwise; /health exempt)
  --log-requests <path>     append `METHOD /path` per HTTP request (written before handling)
  --error-codes <mode>      sqld (default) | extended | raw   (see README.md)
  --busy-timeout-ms <n>     SQLite busy timeout of server connections (default 5000)
  --stream-ttl-secs <n>     idle Hrana stream (baton) lifetime (default 10, like sqld)
  --threads <n>             requests handled at once (default 32; more wait their turn)
  --ignore-stdin            do not exit when stdin reaches EOF
  --verbose                 log each request and response summary to stderr
  --sqlite-vec              register the sqlite-vec extension (vec0 tables, vec_* functions)
                            on every connection, like sqld started with it in --extensions-path
  --help

Exits on SIGTERM/SIGINT/SIGHUP, and when stdin (if it is a pipe, FIFO or socket) reaches EOF.
";

struct Args {
    addr: SocketAddr,
    db: PathBuf,
    port_file: Option<PathBuf>,
    token: Option<String>,
    log_requests: Option<PathBuf>,
    error_mode: ErrorMode,
    busy_timeout_ms: u64,
    stream_ttl_secs: u64,
    threads: usize,
    ignore_stdin: bool,
    verbose: bool,
    sqlite_vec: bool,
}

fn die(msg: &str) -> ! {
    eprintln!("dbcompat-test-server: {msg}");
    std::process::exit(2);
}

fn parse_args() -> Args {
    let mut args = Args {
        addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        db: PathBuf::new(),
        port_file: None,
        token: None,
        log_requests: None,
        error_mode: ErrorMode::Sqld,
        busy_timeout_ms: 5000,
        stream_ttl_secs: 10,
        threads: 32,
        ignore_stdin: false,
        verbose: false,
        sqlite_vec: false,
    };
    let mut have_db = false;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> String {
            inline.clone().or_else(|| it.next()).unwrap_or_else(|| die(&format!("{name} needs a value")))
        };
        let number = |name: &str, v: String| -> u64 {
            v.parse().unwrap_or_else(|_| die(&format!("{name}: not a number: {v}")))
        };
        match flag.as_str() {
            "--addr" => {
                let v = value("--addr");
                let a: SocketAddr = v.parse().unwrap_or_else(|_| die(&format!("--addr: bad address {v}")));
                if a.ip() != std::net::IpAddr::V4(Ipv4Addr::LOCALHOST) {
                    die("--addr must be 127.0.0.1:<port> (loopback only)");
                }
                args.addr = a;
            }
            "--db" => {
                args.db = PathBuf::from(value("--db"));
                have_db = true;
            }
            "--port-file" => args.port_file = Some(PathBuf::from(value("--port-file"))),
            "--token" => args.token = Some(value("--token")),
            "--log-requests" => args.log_requests = Some(PathBuf::from(value("--log-requests"))),
            "--error-codes" => {
                let v = value("--error-codes");
                args.error_mode = ErrorMode::parse(&v)
                    .unwrap_or_else(|| die(&format!("--error-codes: expected sqld, extended or raw, got {v}")));
            }
            "--busy-timeout-ms" => args.busy_timeout_ms = number("--busy-timeout-ms", value("--busy-timeout-ms")),
            "--stream-ttl-secs" => args.stream_ttl_secs = number("--stream-ttl-secs", value("--stream-ttl-secs")),
            "--threads" => args.threads = number("--threads", value("--threads")).max(1) as usize,
            "--ignore-stdin" => args.ignore_stdin = true,
            "--verbose" => args.verbose = true,
            "--sqlite-vec" => args.sqlite_vec = true,
            "--help" | "-h" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            other => die(&format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if !have_db {
        die(&format!("--db is required\n{USAGE}"));
    }
    args
}

/// Each Hrana stream holds its own SQLite connection (file descriptors) until it is closed or
/// expires; raise the soft descriptor limit so a busy test suite cannot run out.
fn raise_fd_limit() {
    // SAFETY: getrlimit/setrlimit on a local struct.
    unsafe {
        let mut lim: libc::rlimit = std::mem::zeroed();
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 && lim.rlim_cur < lim.rlim_max {
            lim.rlim_cur = lim.rlim_max.min(65536);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
        }
    }
}

fn termination_signals() -> libc::sigset_t {
    // SAFETY: plain libc signal-set manipulation on a local value.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTERM);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGHUP);
        set
    }
}

/// Block the termination signals in this (main) thread, so every thread spawned afterwards
/// inherits the mask and only the `sigwait` thread receives them.
fn block_termination_signals() {
    let set = termination_signals();
    // SAFETY: valid signal set, null old-set pointer.
    unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
}

fn spawn_signal_thread() {
    std::thread::spawn(|| {
        let set = termination_signals();
        let mut sig: libc::c_int = 0;
        // SAFETY: valid signal set and output pointer.
        unsafe { libc::sigwait(&set, &mut sig) };
        eprintln!("dbcompat-test-server: signal {sig}, shutting down");
        SHUTDOWN.store(true, Ordering::SeqCst);
    });
}

struct App {
    front: Front,
    primary: Primary,
    token_header: Option<String>,
    request_log: Option<Mutex<File>>,
    verbose: bool,
}

impl App {
    fn log_request(&self, method: &str, path: &str) {
        if let Some(f) = &self.request_log {
            let line = format!("{method} {path}\n");
            let mut f = f.lock().unwrap();
            let _ = f.write_all(line.as_bytes());
            let _ = f.flush();
        }
    }

    fn authorized(&self, req: &HttpRequest) -> bool {
        let Some(expected) = &self.token_header else { return true };
        req.authorization.iter().any(|value| value.trim() == expected)
    }

    fn route(&self, method: &str, path: &str, body: &[u8]) -> HttpReply {
        let seg: Vec<&str> = path.trim_matches('/').split('/').collect();
        let plain = |status: u16, s: &str| HttpReply { status, body: s.as_bytes().to_vec(), content_type: "text/plain" };
        match (method, seg.as_slice()) {
            ("GET", ["health"]) => plain(200, "ok"),
            ("GET", ["v2"]) | ("GET", ["v3"]) | ("GET", [""]) => plain(200, "Hello, this is HTTP API v2 (Hrana over HTTP)"),
            ("POST", ["v2", "pipeline"]) | ("POST", ["v3", "pipeline"]) => {
                let _gate = self.primary.gate.read().unwrap();
                self.front.pipeline(body)
            }
            ("POST", ["v3", "cursor"]) => {
                let _gate = self.primary.gate.read().unwrap();
                self.front.cursor(body)
            }
            ("GET", ["info"]) => reply_of(self.primary.info()),
            ("GET", ["export", g]) => reply_of(self.primary.export(g)),
            ("GET", ["sync", g, start, end]) => reply_of(self.primary.sync(g, start, end)),
            ("POST", ["sync", ..]) => HttpReply {
                status: 405,
                body: br#"{"error":"frame push is not supported; replica writes go through Hrana"}"#.to_vec(),
                content_type: "application/json",
            },
            ("POST", ["admin", "checkpoint"]) => reply_of(self.primary.checkpoint(|| self.front.any_in_transaction())),
            _ => plain(404, "not found"),
        }
    }

    fn handle(&self, req: HttpRequest) -> HttpReply {
        let HttpRequest { method, path, body, .. } = &req;
        self.log_request(method, path);
        let started = Instant::now();
        let reply = if path != "/health" && !self.authorized(&req) {
            HttpReply {
                status: 401,
                body: br#"{"message":"Unauthorized: missing or invalid bearer token","code":"UNAUTHORIZED"}"#.to_vec(),
                content_type: "application/json",
            }
        } else {
            self.route(method, path, body)
        };
        if self.verbose {
            let shown = if reply.content_type == "application/octet-stream" {
                format!("<{} bytes>", reply.body.len())
            } else {
                String::from_utf8_lossy(&reply.body).chars().take(400).collect()
            };
            eprintln!(
                "{method} {path} {} -> {} ({:.1} ms) {shown}",
                String::from_utf8_lossy(body).chars().take(400).collect::<String>(),
                reply.status,
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        reply
    }
}

fn reply_of(r: Reply) -> HttpReply {
    match r {
        Reply::Json(status, s) => HttpReply { status, body: s.into_bytes(), content_type: "application/json" },
        Reply::Bytes(b) => HttpReply { status: 200, body: b, content_type: "application/octet-stream" },
    }
}

/// The signature of a SQLite extension entry point (`sqlite3_auto_extension` takes one).
type ExtensionInit = unsafe extern "C" fn(
    *mut rusqlite::ffi::sqlite3,
    *mut *mut std::ffi::c_char,
    *const rusqlite::ffi::sqlite3_api_routines,
) -> std::ffi::c_int;

/// Registers sqlite-vec for every connection opened from now on (Hrana streams and the
/// replica's pinned connection), the way its README does for rusqlite.
fn register_sqlite_vec() {
    // SAFETY: sqlite3_vec_init is a SQLite extension entry point (compiled with SQLITE_CORE
    // against this binary's bundled SQLite); only its pointer type is erased.
    let rc = unsafe {
        rusqlite::ffi::sqlite3_auto_extension(Some(std::mem::transmute::<*const (), ExtensionInit>(
            sqlite_vec::sqlite3_vec_init as *const (),
        )))
    };
    if rc != rusqlite::ffi::SQLITE_OK {
        die(&format!("--sqlite-vec: sqlite3_auto_extension failed with code {rc}"));
    }
}

fn main() {
    let args = parse_args();
    block_termination_signals();
    raise_fd_limit();
    errors::install_sqlite_log();
    if args.sqlite_vec {
        register_sqlite_vec();
    }

    let primary = Primary::open(&args.db, args.busy_timeout_ms).unwrap_or_else(|e| die(&e));
    let front = Front::new(
        Backend { path: args.db.clone(), busy_timeout_ms: args.busy_timeout_ms },
        args.error_mode,
        Duration::from_secs(args.stream_ttl_secs),
        args.verbose,
    );
    let request_log = args.log_requests.as_ref().map(|p| {
        let f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
            .unwrap_or_else(|e| die(&format!("--log-requests {}: {e}", p.display())));
        Mutex::new(f)
    });
    let app = Arc::new(App {
        front,
        primary,
        token_header: args.token.as_ref().map(|t| format!("Bearer {t}")),
        request_log,
        verbose: args.verbose,
    });

    let listener = listener::bind_nodelay(args.addr).unwrap_or_else(|e| die(&format!("cannot listen on {}: {e}", args.addr)));
    let bound = listener.local_addr().unwrap_or_else(|e| die(&format!("cannot serve on {}: {e}", args.addr)));
    if let Some(pf) = &args.port_file {
        replica::write_atomic(pf, format!("{}\n", bound.port()).as_bytes()).unwrap_or_else(|e| die(&e));
    }
    eprintln!(
        "dbcompat-test-server: listening on http://{bound} db={} generation={} error-codes={:?}",
        args.db.display(),
        app.primary.generation(),
        args.error_mode
    );

    spawn_signal_thread();
    if !args.ignore_stdin && lifetime::stdin_is_watchable() {
        lifetime::on_stdin_eof(|| {
            eprintln!("dbcompat-test-server: stdin closed, shutting down");
            SHUTDOWN.store(true, Ordering::SeqCst);
        });
    }
    {
        let app = app.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(500));
            app.front.janitor_tick();
        });
    }

    {
        let app = app.clone();
        http::spawn_server(listener, args.threads, move |req| app.handle(req))
            .unwrap_or_else(|e| die(&format!("cannot serve on {bound}: {e}")));
    }

    while !SHUTDOWN.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
    // Let in-flight requests finish (bounded), then exit without closing the pinned
    // connection: its WAL stays on disk and the next start archives it as a generation.
    let deadline = Instant::now() + Duration::from_secs(3);
    while IN_FLIGHT.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::process::exit(0);
}
