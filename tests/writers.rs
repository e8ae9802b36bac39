//! Many OS processes writing to one database through the server, and a server killed and
//! restarted under writers. This binary is its own harness: run without arguments it is the
//! test driver; with `DBCOMPAT_WRITER_ROLE=writer` it is one writer process.
//!
//! * `sixteen_writers`: 16 processes each insert 500 rows at once through the test server;
//!   afterwards all 8,000 rows are there, none lost and none duplicated.
//! * `server_killed_and_restarted`: writers run while the server is killed and restarted on
//!   the same port and file. Every failed write returned an `Error` within a bounded time (no
//!   panic, no hang), and every acknowledged write is present afterwards.

#[path = "../compat-tests/server.rs"]
mod server;

use dbcompat::{params, Connection};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The fault run's upper bound for one failing call, well above its 2 s network timeout.
const CALL_BOUND: Duration = Duration::from_secs(10);

fn main() {
    if std::env::var("DBCOMPAT_WRITER_ROLE").as_deref() == Ok("writer") {
        writer_process();
        return;
    }
    type Test = (&'static str, fn() -> Result<(), String>);
    let tests: [Test; 2] = [
        ("sixteen_writers", sixteen_writers),
        ("server_killed_and_restarted", server_killed_and_restarted),
    ];
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let (mut passed, mut failed) = (0, 0);
    for (name, test) in tests {
        if filter.as_deref().is_some_and(|f| !name.contains(f)) {
            continue;
        }
        match test() {
            Ok(()) => {
                println!("ok   writers::{name}");
                passed += 1;
            }
            Err(e) => {
                println!("FAIL writers::{name}: {e}");
                failed += 1;
            }
        }
    }
    println!("writers: {passed} passed, {failed} failed");
    std::process::exit(if failed == 0 { 0 } else { 1 });
}

/// One writer: inserts `rows` rows `(writer, seq)` and reports each outcome on stdout as
/// `ok <seq>` or `err <seq> <millis> <error>`. It never retries a write whose outcome is
/// unknown, so an acknowledged row is exactly one row.
fn writer_process() {
    let url = std::env::var("DBCOMPAT_WRITER_URL").expect("url");
    let writer: i64 = std::env::var("DBCOMPAT_WRITER_ID")
        .unwrap()
        .parse()
        .unwrap();
    let rows: i64 = std::env::var("DBCOMPAT_WRITER_ROWS")
        .unwrap()
        .parse()
        .unwrap();
    let pause_ms: u64 = std::env::var("DBCOMPAT_WRITER_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let out = std::io::stdout();
    let mut out = out.lock();
    let db = Connection::open_remote(&url, "").expect("open");
    for seq in 0..rows {
        let started = Instant::now();
        let result = db.execute(
            "INSERT INTO writes(writer, seq) VALUES (?1, ?2)",
            params![writer, seq],
        );
        let ms = started.elapsed().as_millis();
        match result {
            Ok(1) => writeln!(out, "ok {seq}").unwrap(),
            Ok(n) => writeln!(out, "err {seq} {ms} changed {n} rows").unwrap(),
            Err(e) => writeln!(out, "err {seq} {ms} {}", e.to_string().replace('\n', " ")).unwrap(),
        }
        out.flush().unwrap();
        if pause_ms > 0 {
            std::thread::sleep(Duration::from_millis(pause_ms));
        }
    }
}

struct Outcome {
    writer: i64,
    acked: Vec<i64>,
    failed: Vec<(i64, u128, String)>,
}

fn spawn_writers(
    url: &str,
    writers: i64,
    rows: i64,
    pause_ms: u64,
    call_timeout_ms: u64,
) -> Result<Vec<Outcome>, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let children: Vec<_> = (0..writers)
        .map(|w| {
            Command::new(&exe)
                .env("DBCOMPAT_WRITER_ROLE", "writer")
                .env("DBCOMPAT_WRITER_URL", url)
                .env("DBCOMPAT_WRITER_ID", w.to_string())
                .env("DBCOMPAT_WRITER_ROWS", rows.to_string())
                .env("DBCOMPAT_WRITER_PAUSE_MS", pause_ms.to_string())
                .env("DBCOMPAT_REMOTE_TIMEOUT_MS", call_timeout_ms.to_string())
                .stdout(Stdio::piped())
                .spawn()
                .map(|c| (w, c))
        })
        .collect::<Result<_, _>>()
        .map_err(|e| format!("spawn writer: {e}"))?;
    let mut outcomes = Vec::new();
    for (writer, mut child) in children {
        let stdout = child.stdout.take().unwrap();
        let mut outcome = Outcome {
            writer,
            acked: Vec::new(),
            failed: Vec::new(),
        };
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.map_err(|e| e.to_string())?;
            let mut parts = line.splitn(4, ' ');
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some("ok"), Some(seq), _, _) => outcome.acked.push(seq.parse().unwrap()),
                (Some("err"), Some(seq), Some(ms), rest) => outcome.failed.push((
                    seq.parse().unwrap(),
                    ms.parse().unwrap(),
                    rest.unwrap_or("").to_owned(),
                )),
                _ => return Err(format!("writer {writer}: unexpected line {line:?}")),
            }
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("writer {writer} exited with {status} (a panic?)"));
        }
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

fn reset_table(url: &str) -> Result<(), String> {
    let db = Connection::open_remote(url, "").map_err(|e| e.to_string())?;
    db.execute_batch(
        "DROP TABLE IF EXISTS writes;
         CREATE TABLE writes(writer INTEGER NOT NULL, seq INTEGER NOT NULL, UNIQUE(writer, seq));",
    )
    .map_err(|e| e.to_string())
}

fn stored_rows(url: &str) -> Result<Vec<(i64, i64)>, String> {
    let db = Connection::open_remote(url, "").map_err(|e| e.to_string())?;
    let mut stmt = db
        .prepare("SELECT writer, seq FROM writes ORDER BY writer, seq")
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(|e| e.to_string())?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    Ok(rows)
}

fn sixteen_writers() -> Result<(), String> {
    let url = server::shared().url.clone();
    reset_table(&url)?;
    let outcomes = spawn_writers(&url, 16, 500, 0, 30_000)?;
    for o in &outcomes {
        if !o.failed.is_empty() {
            return Err(format!(
                "writer {}: {} writes failed, first: {:?}",
                o.writer,
                o.failed.len(),
                o.failed[0]
            ));
        }
    }
    let rows = stored_rows(&url)?;
    let expected: Vec<(i64, i64)> = (0..16)
        .flat_map(|w| (0..500).map(move |s| (w, s)))
        .collect();
    if rows.len() != 8000 {
        return Err(format!("{} rows stored, expected 8000", rows.len()));
    }
    if rows != expected {
        return Err("stored rows differ from the rows written (lost or duplicated)".into());
    }
    Ok(())
}

fn server_killed_and_restarted() -> Result<(), String> {
    let dir: PathBuf = std::env::temp_dir().join(format!("dbcompat-fault-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let bin = server::server_binary();
    let first = server::start_with_binary(&bin, &dir, &[], None);
    let url = first.url.clone();
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    reset_table(&url)?;

    let writers = std::thread::spawn({
        let url = url.clone();
        move || spawn_writers(&url, 4, 400, 5, 2_000)
    });
    std::thread::sleep(Duration::from_millis(700));
    drop(first); // kill -9 equivalent: the child is killed
    std::thread::sleep(Duration::from_millis(700));
    let second = restart(&bin, &dir, port);
    let outcomes = writers
        .join()
        .map_err(|_| "writer driver panicked".to_string())??;

    let stored: std::collections::HashSet<(i64, i64)> =
        stored_rows(&second.url)?.into_iter().collect();
    let mut acked = 0;
    let mut failed = 0;
    for o in &outcomes {
        for seq in &o.acked {
            acked += 1;
            if !stored.contains(&(o.writer, *seq)) {
                return Err(format!(
                    "acknowledged write ({}, {seq}) is missing",
                    o.writer
                ));
            }
        }
        for (seq, ms, err) in &o.failed {
            failed += 1;
            if *ms > CALL_BOUND.as_millis() {
                return Err(format!(
                    "write ({}, {seq}) took {ms} ms to fail: {err}",
                    o.writer
                ));
            }
            if err.is_empty() {
                return Err(format!(
                    "write ({}, {seq}) failed without a message",
                    o.writer
                ));
            }
        }
    }
    if failed == 0 {
        return Err(
            "the server was killed but no write failed: the fault was not exercised".into(),
        );
    }
    if acked == 0 {
        return Err("no write succeeded".into());
    }
    println!("     fault run: {acked} writes acknowledged and present, {failed} failed with an error in bounded time");
    Ok(())
}

/// Restarts the server on the same port and database file (retrying while the port frees up).
fn restart(bin: &Path, dir: &Path, port: u16) -> server::TestServer {
    server::start_with_binary(bin, dir, &[], Some(port))
}
