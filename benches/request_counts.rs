//! A report, not a test: how many HTTP requests each remote call costs, counted at the loopback
//! test server from its request log (one `METHOD /path` line per request, written before the
//! server handles it), and how long the call took.
//!
//!     cargo bench --bench request_counts                # a private test server, on loopback
//!     scripts/latency.sh                                # also through a 10 ms-each-way proxy
//!
//! With `DBCOMPAT_TEST_URL` and `DBCOMPAT_TEST_REQUEST_LOG` set (scripts/with-test-server.sh),
//! it uses that server, or whatever forwards to it (scripts/latency.sh points the URL at
//! test-server's `delay-proxy`). Prints a Markdown table; the "requests" column is what
//! docs/benchmarks.md records per call.
extern crate dbcompat as rusqlite;

#[path = "common.rs"]
mod common;
#[path = "../compat-tests/server.rs"]
mod server;

use rusqlite::{params, Connection, Result};
use std::path::Path;
use std::time::{Duration, Instant};

/// Columns of the wide row: enough text that the response is well over 1 KiB, as a typical
/// application row (a record with a dozen text fields) is.
const WIDE_COLUMNS: usize = 15;
/// Timed repetitions of each row-width probe.
const WIDTH_RUNS: usize = 50;

struct Report<'a> {
    log: &'a Path,
    lines: Vec<String>,
}

impl Report<'_> {
    /// Runs `call` once, counting the requests it made and timing it.
    fn measure<T>(&mut self, name: &str, call: impl FnOnce() -> Result<T>) -> T {
        let mut out = None;
        let mut elapsed = Duration::ZERO;
        let (n, paths) = common::count_requests(self.log, || {
            let started = Instant::now();
            out = Some(call().unwrap_or_else(|e| panic!("{name}: {e}")));
            elapsed = started.elapsed();
        });
        self.lines.push(format!(
            "| {name} | {n} | {} | {} |",
            summarize(&paths),
            ms(elapsed)
        ));
        out.expect("measured call ran")
    }
}

/// "POST /v3/pipeline, POST /v3/pipeline, GET /sync/1/1/129" as
/// "2 × POST /v3/pipeline, 1 × GET /sync/…", in order of first appearance.
fn summarize(paths: &str) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for path in paths.split(", ").filter(|p| !p.is_empty()) {
        let path = match path.find("/sync/") {
            Some(i) => format!("{}/sync/…", &path[..i]),
            None => path.to_owned(),
        };
        match counts.iter_mut().find(|(p, _)| *p == path) {
            Some((_, n)) => *n += 1,
            None => counts.push((path, 1)),
        }
    }
    if counts.is_empty() {
        return "—".to_owned();
    }
    let parts: Vec<String> = counts.iter().map(|(p, n)| format!("{n} × {p}")).collect();
    parts.join(", ")
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn bulk_insert_batch(rows: usize) -> String {
    let mut sql = String::from("BEGIN;\n");
    for i in 0..rows {
        sql.push_str(&format!(
            "INSERT INTO rc_items (name, value) VALUES ('bulk row {i}', {i}.5);\n"
        ));
    }
    sql.push_str("COMMIT;");
    sql
}

fn create_tables(conn: &Connection) -> Result<()> {
    let wide_columns: Vec<String> = (1..=WIDE_COLUMNS).map(|i| format!("c{i} TEXT")).collect();
    let wide_values: Vec<String> = (1..=WIDE_COLUMNS)
        .map(|i| format!("'column {i}: a field of ordinary length, as in a real record'"))
        .collect();
    conn.execute_batch(&format!(
        "CREATE TABLE IF NOT EXISTS rc_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value REAL NOT NULL);
         CREATE TABLE IF NOT EXISTS rc_wide (id INTEGER PRIMARY KEY, {});
         INSERT OR REPLACE INTO rc_wide VALUES (1, {});",
        wide_columns.join(", "),
        wide_values.join(", ")
    ))
}

/// Wall times of `WIDTH_RUNS` cached `query_row`s of one row, sorted (after one warm-up run).
fn row_times(conn: &Connection, sql: &str) -> Result<Vec<Duration>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let width = stmt.column_count();
    let mut read_row = || {
        stmt.query_row([1], |row| {
            (0..width).try_for_each(|i| row.get_ref(i).map(drop))
        })
    };
    read_row()?;
    let mut times = Vec::with_capacity(WIDTH_RUNS);
    for _ in 0..WIDTH_RUNS {
        let started = Instant::now();
        read_row()?;
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times)
}

/// "median 0.20 ms, mean 0.25 ms, slowest 1.02 ms": a stall (a delayed ACK) shows in the mean
/// and the slowest run even when fewer than half the runs meet it.
fn describe_times(times: &[Duration]) -> String {
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    format!(
        "median {}, mean {}, slowest {}",
        ms(times[times.len() / 2]),
        ms(mean),
        ms(times[times.len() - 1])
    )
}

fn main() -> Result<()> {
    let srv = server::shared();
    let log = srv.request_log.as_deref().expect(
        "request_counts needs the server's request log: run it under scripts/with-test-server.sh \
         (DBCOMPAT_TEST_REQUEST_LOG) or without DBCOMPAT_TEST_URL (a private server)",
    );
    let token = std::env::var("DBCOMPAT_TEST_TOKEN").unwrap_or_default();
    let open = || Connection::open_remote(&srv.url, &token);
    let mut report = Report {
        log,
        lines: Vec::new(),
    };

    create_tables(&open()?)?;

    let conn = open()?;
    let batch = bulk_insert_batch(1000);
    report.measure(
        "`execute_batch(\"BEGIN; …1000 INSERTs…; COMMIT\")`",
        || conn.execute_batch(&batch),
    );
    report.measure("`query_row` on SQL not yet run", || {
        conn.query_row("SELECT name FROM rc_items WHERE id = ?1", [1], |r| {
            r.get::<_, String>(0)
        })
    });
    report.measure("`pragma_query_value` on SQL not yet run", || {
        conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
    });
    report.measure("`prepare` + `query_map` + collect, SQL not yet run", || {
        let mut stmt = conn.prepare("SELECT id, name FROM rc_items WHERE id <= 10 ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get::<_, i64>(0))?;
        rows.collect::<Result<Vec<i64>>>()
    });

    let fresh = open()?;
    report.measure("`prepare` with nothing run yet (fresh connection)", || {
        fresh
            .prepare("SELECT value FROM rc_items WHERE id = ?1")
            .map(drop)
    });

    report.measure("`execute` (autocommit INSERT)", || {
        conn.execute(
            "INSERT INTO rc_items (name, value) VALUES (?1, ?2)",
            params!["one more", 1.5],
        )
    });
    let lookup = "SELECT name, value FROM rc_items WHERE id = ?1";
    conn.prepare_cached(lookup)?
        .query_row([2], |r| r.get::<_, String>(0))?;
    report.measure(
        "a cached statement re-run (`prepare_cached` + `query_row`)",
        || {
            conn.prepare_cached(lookup)?
                .query_row([3], |r| r.get::<_, String>(0))
        },
    );

    let mut tx_conn = open()?;
    let tx = report.measure("`transaction()` before its first statement", || {
        tx_conn.transaction()
    });
    report.measure("first `execute` in that transaction", || {
        tx.execute(
            "INSERT INTO rc_items (name, value) VALUES (?1, ?2)",
            params!["in a transaction", 2.5],
        )
    });
    report.measure("`commit`", || tx.commit());

    let narrow_sql = "SELECT id, c1 FROM rc_wide WHERE id = ?1";
    let wide_sql = "SELECT * FROM rc_wide WHERE id = ?1";
    let narrow = row_times(&conn, narrow_sql)?;
    let wide = row_times(&conn, wide_sql)?;
    for (name, sql) in [
        (
            "`query_row` of a 2-column row (cached statement)",
            narrow_sql,
        ),
        (
            "`query_row` of a 15-column row (cached statement)",
            wide_sql,
        ),
    ] {
        report.measure(name, || {
            conn.prepare_cached(sql)?
                .query_row([1], |r| r.get::<_, i64>(0))
        });
    }

    println!(
        "Remote calls against {} (requests counted at the server):",
        srv.url
    );
    println!();
    println!("| call | requests | paths | time |");
    println!("|---|---:|---|---:|");
    for line in &report.lines {
        println!("{line}");
    }
    println!();
    println!("Row width, {WIDTH_RUNS} cached `query_row`s each:");
    println!("* 2 columns: {}", describe_times(&narrow));
    println!("* {WIDE_COLUMNS} columns: {}", describe_times(&wide));
    Ok(())
}
