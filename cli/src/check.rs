//! `dbcompat check URL`: connects and reports what a user moving to libSQL wants to know
//! first. Connection failures (bad URL, bad token, dead server) end with one line on stderr;
//! once connected, each probe's outcome is a line of the report on stdout.

use crate::endpoint::{self, Target};
use crate::{Failure, Res, Token};
use dbcompat::Connection;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const LATENCY_SAMPLES: usize = 5;

pub fn run(arg: &str, token: &Token, replica: Option<&Path>) -> Res<ExitCode> {
    let target = Target::parse(arg)?;
    if replica.is_some() && !target.is_remote() {
        return Err(Failure::usage(
            "--replica needs a server URL, not a local file",
        ));
    }
    let mut conn = endpoint::open_any(&target, token)?;

    // The first statement opens the connection (nothing is sent before it).
    // It reads the schema too, so that a file that is not a database fails here.
    let t0 = Instant::now();
    let version: String = conn
        .query_row(
            "SELECT sqlite_version() FROM (SELECT count(*) FROM sqlite_master)",
            [],
            |r| r.get(0),
        )
        .map_err(|e| Failure::new(endpoint::describe(&target, "cannot read", &e)))?;
    let connect = t0.elapsed();

    let mut samples = Vec::with_capacity(LATENCY_SAMPLES);
    for _ in 0..LATENCY_SAMPLES {
        let t = Instant::now();
        conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
            .map_err(|e| Failure::new(endpoint::describe(&target, "cannot query", &e)))?;
        samples.push(t.elapsed());
    }
    samples.sort();

    let mut out = Vec::new();
    let kind = if target.is_remote() {
        "remote libSQL server (Hrana over HTTP)"
    } else {
        "local database file"
    };
    out.push(("target", format!("{} ({kind})", target.display())));
    if target.is_remote() {
        let token_line = if token.value.is_empty() {
            "none".to_owned()
        } else {
            format!("{} (from {})", token.redacted(), token.source)
        };
        out.push(("token", token_line));
    }
    out.push(("connect", format!("ok (first query {})", ms(connect))));
    out.push(("server", format!("SQLite {version}")));
    out.push((
        "latency",
        format!(
            "median {} over {LATENCY_SAMPLES} x SELECT 1 (min {}, max {})",
            ms(samples[samples.len() / 2]),
            ms(samples[0]),
            ms(samples[samples.len() - 1])
        ),
    ));
    out.push(("read", read_probe(&conn)));
    out.push(("write", write_probe(&mut conn)));
    let replica_line = match replica {
        None if target.is_remote() => "not a replica (direct remote connection)".to_owned(),
        None => "not a replica (local file)".to_owned(),
        Some(path) => replica_probe(&target, arg, token, path)?,
    };
    out.push(("replica", replica_line));

    let width = out.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 1;
    for (k, v) in out {
        println!("{:<width$} {v}", format!("{k}:"));
    }
    Ok(ExitCode::SUCCESS)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn read_probe(conn: &Connection) -> String {
    match crate::schema::user_object_count(conn) {
        Ok(n) => format!("ok ({n} schema objects)"),
        Err(e) => format!("FAILED: {}", crate::one_line(&e.to_string())),
    }
}

/// Creates a uniquely named table and a row in a transaction that is rolled back: proves
/// write access without leaving anything behind.
fn write_probe(conn: &mut Connection) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let table = format!("_dbcompat_check_{}_{nanos}", std::process::id());
    let result = (|| -> dbcompat::Result<()> {
        let tx = conn.transaction()?;
        tx.execute_batch(&format!(
            "CREATE TABLE \"{table}\"(x); INSERT INTO \"{table}\" VALUES (1);"
        ))?;
        tx.rollback()
    })();
    match result {
        Ok(()) => "ok (created a probe table and a row in a transaction, rolled back)".to_owned(),
        Err(e) => format!("no: {}", crate::one_line(&e.to_string())),
    }
}

#[cfg(feature = "replica")]
fn replica_probe(target: &Target, url: &str, token: &Token, path: &Path) -> Res<String> {
    let conn = Connection::open_replica(path, url, &token.value)
        .map_err(|e| Failure::new(endpoint::describe(target, "cannot open the replica of", &e)))?;
    let t = Instant::now();
    let frames = conn
        .sync()
        .map_err(|e| Failure::new(format!("syncing replica {} failed: {}", path.display(), e)))?;
    let elapsed = t.elapsed();
    let objects = crate::schema::user_object_count(&conn)
        .map(|n| format!("{n} schema objects"))
        .unwrap_or_else(|e| format!("local read failed: {e}"));
    Ok(format!(
        "{}: synced, {frames} frames applied in {}; local read ok ({objects})",
        path.display(),
        ms(elapsed)
    ))
}

#[cfg(not(feature = "replica"))]
fn replica_probe(_: &Target, _: &str, _: &Token, _: &Path) -> Res<String> {
    Err(Failure::new(
        "--replica: this dbcompat was built without embedded replica support",
    ))
}
