//! Every client connection is served, however many arrive at once.
//!
//! Reproduces the stall dbcompat saw: several clients open keep-alive connections at the same
//! moment and each sends one Hrana pipeline. Behind tiny_http 0.12's connection pool, a burst of
//! accepts could queue connections with no thread left to read them: each pool thread stays on
//! its keep-alive connection, so the queued ones waited until some client hung up (for
//! dbcompat: its 30 s timeout). A fresh server per round, because the burst must meet the pool
//! in its start-up state; in that state 8 connections stalled in 4 of 5 rounds before the fix.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const CLIENTS: usize = 10;
const ROUNDS: usize = 5;
/// Far above a loopback answer (a few ms), far below dbcompat's 30 s timeout.
const ANSWER_WITHIN: Duration = Duration::from_secs(3);

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(dir: &Path) -> Server {
    let port_file = dir.join("port");
    let child = Command::new(env!("CARGO_BIN_EXE_dbcompat-test-server"))
        .arg("--db")
        .arg(dir.join("test.db"))
        .arg("--port-file")
        .arg(&port_file)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dbcompat-test-server");
    let mut server = Server { child, port: 0 };
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.port == 0 {
        assert!(Instant::now() < deadline, "server wrote no port file");
        match std::fs::read_to_string(&port_file) {
            Ok(s) if s.ends_with('\n') => server.port = s.trim().parse().unwrap(),
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    server
}

/// Sends one HTTP/1.1 keep-alive POST and reads the response; `Err` on timeout or I/O error.
fn post(conn: &mut BufReader<TcpStream>, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    conn.get_mut().write_all(head.as_bytes())?;
    conn.get_mut().write_all(body.as_bytes())?;
    let mut line = String::new();
    conn.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0;
    loop {
        line.clear();
        conn.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body)?;
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

fn connect(port: u16) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(ANSWER_WITHIN)).unwrap();
    BufReader::new(stream)
}

fn execute(sql: &str) -> String {
    let stmt = serde_json::json!({ "requests": [{ "type": "execute", "stmt": { "sql": sql } }] });
    stmt.to_string()
}

#[test]
fn simultaneous_keep_alive_connections_are_all_answered() {
    let tmp = std::env::temp_dir().join(format!(
        "dbcompat-test-server-concurrent-{}",
        std::process::id()
    ));
    for round in 0..ROUNDS {
        let dir = tmp.join(round.to_string());
        std::fs::create_dir_all(&dir).unwrap();
        let server = start_server(&dir);
        let mut setup = connect(server.port);
        let (status, _) = post(&mut setup, "/v2/pipeline", &execute("CREATE TABLE t(x)")).unwrap();
        assert_eq!(status, 200);

        let start = Arc::new(Barrier::new(CLIENTS));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|i| {
                let (start, port) = (start.clone(), server.port);
                std::thread::spawn(move || {
                    start.wait();
                    let mut conn = connect(port);
                    let reply = post(
                        &mut conn,
                        "/v2/pipeline",
                        &execute(&format!("INSERT INTO t VALUES ({i})")),
                    );
                    // Keep the connection open (as a pooled client does) until every client is done.
                    (reply, conn)
                })
            })
            .collect();
        let replies: Vec<_> = clients.into_iter().map(|c| c.join().unwrap()).collect();
        let unanswered = replies.iter().filter(|(r, _)| r.is_err()).count();
        assert_eq!(unanswered, 0, "round {round}: {unanswered} of {CLIENTS} connections got no answer within {ANSWER_WITHIN:?}");
        for (reply, _) in &replies {
            let (status, body) = reply.as_ref().unwrap();
            assert_eq!(*status, 200, "{body}");
            assert!(
                body.contains(r#""type":"ok""#) && !body.contains(r#""type":"error""#),
                "{body}"
            );
        }
        let (_, body) = post(
            &mut setup,
            "/v2/pipeline",
            &execute("SELECT count(*) FROM t"),
        )
        .unwrap();
        assert!(
            body.contains(&format!(r#""value":"{CLIENTS}""#)),
            "every insert landed: {body}"
        );
        drop(replies);
        drop(server);
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
