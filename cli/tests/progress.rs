//! Progress when stderr is not a terminal (here a pipe, as in CI or a log file): whole
//! `dbcompat: …` lines, no `\r` and no escape codes — the steps in order, and a progress line
//! for each table once its rows are written.

mod common;

use common::*;
use dbcompat::Connection;

const FULL_BAR: &str = "[########################] 100%";

#[test]
fn non_tty_progress_is_plain_lines() {
    let dir = temp_dir("progress");
    let src = dir.join("src.db");
    let dst = dir.join("dst.db");
    {
        let c = Connection::open(&src).unwrap();
        c.execute_batch(
            "CREATE TABLE big(x, y);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
             INSERT INTO big SELECT i, printf('row %d', i) FROM n;
             CREATE TABLE empty(z);
             CREATE INDEX big_x ON big(x);",
        )
        .unwrap();
    }
    let out = cli()
        .args(["copy", "--batch-rows", "500"])
        .arg(&src)
        .arg(&dst)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains('\r') && !err.contains('\x1b'), "{err:?}");
    assert!(err.ends_with('\n'), "{err:?}");
    assert!(err.lines().all(|l| l.starts_with("dbcompat: ")), "{err}");

    let (progress, steps): (Vec<&str>, Vec<&str>) =
        err.lines().partition(|l| l.starts_with("dbcompat: ["));
    assert_eq!(
        steps,
        [
            format!(
                "dbcompat: copying {} -> {}: 1200 rows to copy, 2 tables, 1 index, 0 views, 0 triggers",
                src.display(),
                dst.display()
            )
            .as_str(),
            "dbcompat: creating 2 tables",
            "dbcompat: creating 1 index, 0 views, 0 triggers",
            "dbcompat: verifying: row counts and checksums on both sides",
        ],
        "{err}"
    );
    // Each table's last line; lines in between appear only on a copy slower than 2 s.
    let big_done = format!("dbcompat: {FULL_BAR}  big: 1200/1200 rows  (all tables: 1200/1200)");
    assert!(progress.contains(&big_done.as_str()), "{err}");
    assert!(
        progress.iter().any(
            |l| l.ends_with("  empty: 0/0 rows  (all tables: 1200/1200)")
                || l.ends_with("  empty: 0/0 rows  (all tables: 0/1200)")
        ),
        "{err}"
    );
    for line in &progress {
        let bar = &line["dbcompat: [".len()..];
        assert_eq!(bar.find(']'), Some(24), "{line}");
        assert!(bar[..24].chars().all(|c| c == '#' || c == '-'), "{line}");
    }
    // The copy's progress goes to stderr only: stdout is the report.
    assert!(stdout(&out).starts_with("table"), "{}", stdout(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn quiet_copy_prints_nothing_on_stderr() {
    let dir = temp_dir("progress-quiet");
    let src = dir.join("src.db");
    Connection::open(&src)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    for flag in ["-q", "--quiet"] {
        let dst = dir.join(format!("dst{flag}.db"));
        let out = cli()
            .args(["copy", flag])
            .arg(&src)
            .arg(&dst)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stderr(&out), "", "{flag}");
        assert!(stdout(&out).contains("copy OK: 1 row"), "{}", stdout(&out));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
