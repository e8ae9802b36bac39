//! Helpers shared by the CLI tests: running the binary, reading its report, building and
//! dumping databases.
#![allow(dead_code)]

use dbcompat::types::Value;
use dbcompat::Connection;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_dbcompat");

/// A fresh directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dbcompat-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The CLI with no token in its environment unless a test adds one.
pub fn cli() -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("LIBSQL_AUTH_TOKEN")
        .env_remove("TURSO_AUTH_TOKEN")
        .env_remove("RUST_BACKTRACE");
    c
}

pub fn run(args: &[&str]) -> Output {
    cli().args(args).output().expect("run dbcompat")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts a failed run: non-zero exit and exactly one line on stderr, which is returned.
pub fn assert_one_line_failure(o: &Output) -> String {
    let err = stderr(o);
    assert!(
        !o.status.success(),
        "expected a failure, got success; stdout:\n{}",
        stdout(o)
    );
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "expected exactly one line on stderr, got:\n{err}"
    );
    assert!(err.starts_with("dbcompat: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("backtrace"), "{err}");
    err.trim_end().to_owned()
}

/// One line of the copy report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    pub kind: String,
    pub rows_src: u64,
    pub rows_dst: u64,
    pub sum_src: String,
    pub sum_dst: String,
    pub result: String,
}

/// Parses the table `dbcompat copy` prints on stdout: name → line.
pub fn parse_report(out: &str) -> BTreeMap<String, ReportLine> {
    let mut lines = out.lines();
    let header = lines.next().expect("report header");
    assert!(header.starts_with("table"), "{out}");
    assert!(lines.next().unwrap().starts_with("---"), "{out}");
    let mut map = BTreeMap::new();
    for line in lines {
        if line.starts_with("schema:") {
            break;
        }
        let cols: Vec<&str> = line
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(cols.len(), 7, "report line {line:?}");
        map.insert(
            cols[0].to_owned(),
            ReportLine {
                kind: cols[1].to_owned(),
                rows_src: cols[2].parse().unwrap(),
                rows_dst: cols[3].parse().unwrap(),
                sum_src: cols[4].to_owned(),
                sum_dst: cols[5].to_owned(),
                result: cols[6].to_owned(),
            },
        );
    }
    map
}

/// Every row of `sql`'s result, as values.
pub fn dump(conn: &Connection, sql: &str) -> Vec<Vec<Value>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap();
    rows.collect::<dbcompat::Result<Vec<Vec<Value>>>>().unwrap()
}

pub fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
        r.get(0)
    })
    .unwrap()
}

pub fn file_bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}
