//! Starts the loopback test server (test-server/: Hrana + replica primary) for remote tests.
//!
//! With `DBCOMPAT_TEST_URL` set (scripts/with-test-server.sh does that), tests use that server.
//! Otherwise the first test that needs one builds test-server/ (its own Cargo project and
//! target dir) and starts a private instance on 127.0.0.1 with a free port; it exits when this
//! process does (its stdin is a pipe we hold) and is killed on drop.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running test server.
pub struct TestServer {
    pub url: String,
    pub db_path: Option<PathBuf>,
    pub request_log: Option<PathBuf>,
    child: Option<Child>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The dbcompat checkout: the nearest ancestor of the including package's directory that holds
/// test-server/ (this file is also included by cli/ and facade-tests/).
fn root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .ancestors()
        .find(|dir| dir.join("test-server/Cargo.toml").is_file())
        .unwrap_or(manifest_dir)
        .to_path_buf()
}

/// The server binary: `DBCOMPAT_TEST_SERVER_BIN`, else built from test-server/ once.
pub fn server_binary() -> PathBuf {
    if let Ok(bin) = std::env::var("DBCOMPAT_TEST_SERVER_BIN") {
        return PathBuf::from(bin);
    }
    let dir = root().join("test-server");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--locked", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(dir.join("target"))
        .stdout(Stdio::null())
        .status()
        .expect("run cargo to build test-server");
    assert!(status.success(), "building test-server failed");
    dir.join("target/release/dbcompat-test-server")
}

/// Starts a private server instance with its own database file in `dir`.
pub fn start_private(dir: &Path, extra_args: &[&str]) -> TestServer {
    start_with_binary(&server_binary(), dir, extra_args, None)
}

/// Starts `bin` on a free loopback port (or `fixed_port`) and waits until it answers.
pub fn start_with_binary(
    bin: &Path,
    dir: &Path,
    extra_args: &[&str],
    fixed_port: Option<u16>,
) -> TestServer {
    std::fs::create_dir_all(dir).expect("server dir");
    let db = dir.join("server.db");
    let port_file = dir.join(format!("port-{}", fixed_port.unwrap_or(0)));
    let _ = std::fs::remove_file(&port_file);
    let log = dir.join("requests.log");
    let addr = format!("127.0.0.1:{}", fixed_port.unwrap_or(0));
    let child = Command::new(bin)
        .args(["--addr", &addr, "--db"])
        .arg(&db)
        .arg("--port-file")
        .arg(&port_file)
        .arg("--log-requests")
        .arg(&log)
        .args(extra_args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start test server");
    let deadline = Instant::now() + Duration::from_secs(30);
    let port = loop {
        if let Ok(s) = std::fs::read_to_string(&port_file) {
            if let Ok(p) = s.trim().parse::<u16>() {
                break p;
            }
        }
        assert!(Instant::now() < deadline, "test server did not start");
        std::thread::sleep(Duration::from_millis(20));
    };
    let url = format!("http://127.0.0.1:{port}");
    wait_healthy(port, deadline);
    TestServer {
        url,
        db_path: Some(db),
        request_log: Some(log),
        child: Some(child),
    }
}

fn wait_healthy(port: u16, deadline: Instant) {
    loop {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let req = format!(
                "GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            );
            if s.write_all(req.as_bytes()).is_ok() {
                let mut buf = String::new();
                let _ = s.read_to_string(&mut buf);
                if buf.starts_with("HTTP/1.1 200") || buf.starts_with("HTTP/1.0 200") {
                    return;
                }
            }
        }
        assert!(Instant::now() < deadline, "test server is not healthy");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The shared server for this process: `DBCOMPAT_TEST_URL`, or one private instance.
pub fn shared() -> &'static TestServer {
    static SERVER: std::sync::OnceLock<TestServer> = std::sync::OnceLock::new();
    SERVER.get_or_init(|| match std::env::var("DBCOMPAT_TEST_URL") {
        Ok(url) if !url.is_empty() => TestServer {
            url,
            db_path: std::env::var("DBCOMPAT_TEST_DB").ok().map(PathBuf::from),
            request_log: std::env::var("DBCOMPAT_TEST_REQUEST_LOG")
                .ok()
                .map(PathBuf::from),
            child: None,
        },
        _ => {
            let dir =
                std::env::temp_dir().join(format!("dbcompat-test-server-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            start_private(&dir, &[])
        }
    })
}
