//! What rusqlite's `extra_check` feature does in 0.40 and 0.43 (`SURFACE` names the line),
//! asserted the same under real rusqlite and dbcompat:
//! * `execute` (connection and statement) refuses a read-only statement with result columns
//!   (`ExecuteReturnedResults`, before it runs, even when it would return no row);
//! * none of 0.34's other extra checks: `execute_batch` runs statements that return rows, and a
//!   trailing comment after the statement is fine (a second statement is `MultipleStatement`
//!   in every build since 0.35);
//! * 0.41+ only: the pragma functions accept only a name from the engine's
//!   `pragma_pragma_list`, compared exactly; anything else is
//!   `SqliteFailure(SQLITE_MISUSE, "Invalid pragma \"x\"")`. 0.40 checks only that the name is
//!   an identifier, and SQLite ignores an unknown one.
//!
//! The roots define `open()` (a fresh in-memory database, or a connection to the test server,
//! whose database the cases share: each case names its own tables).
use crate::{open, SURFACE};
use rusqlite::{ffi, Connection, Error, ErrorCode, Result};

/// Whether the pragma-name list check applies (rusqlite 0.41+).
fn checks_pragma_list() -> bool {
    SURFACE != "0.40"
}

fn drop_tables(db: &Connection, names: &[&str]) {
    for name in names {
        db.execute(&format!("DROP TABLE IF EXISTS {name}"), [])
            .unwrap();
    }
}

fn has_table(db: &Connection, name: &str) -> bool {
    db.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .unwrap()
        == 1
}

#[track_caller]
fn assert_err<T: std::fmt::Debug>(r: Result<T>, expected: Error) {
    match r {
        Err(e) if e == expected => {}
        other => panic!("expected {expected:?}, got {other:?}"),
    }
}

#[track_caller]
fn assert_returned_results<T: std::fmt::Debug>(r: Result<T>) {
    assert_err(r, Error::ExecuteReturnedResults);
}

/// The error rusqlite builds for a refused pragma name: `SQLITE_MISUSE` with its text.
#[track_caller]
fn assert_invalid_pragma<T: std::fmt::Debug>(r: Result<T>, name: &str) {
    let misuse = ffi::Error::new(ffi::SQLITE_MISUSE);
    assert_eq!(misuse.code, ErrorCode::ApiMisuse);
    assert_err(
        r,
        Error::SqliteFailure(misuse, Some(format!("Invalid pragma \"{name}\""))),
    );
}

#[test]
fn execute_refuses_a_query_even_without_rows() {
    let db = open();
    drop_tables(&db, &["xc_query"]);
    assert_eq!(db.execute("CREATE TABLE xc_query(x)", []).unwrap(), 0);
    assert_returned_results(db.execute("SELECT x FROM xc_query", []));
    assert_returned_results(db.execute("SELECT 1 WHERE 1 < ?1", [1]));
    assert_returned_results(db.execute("PRAGMA user_version", []));
    let mut stmt = db.prepare("SELECT x FROM xc_query WHERE x > ?1").unwrap();
    assert_returned_results(stmt.execute([0]));
    drop(stmt);
    // A write with RETURNING is not read-only: it runs, and its row is the usual error.
    assert_returned_results(db.execute("INSERT INTO xc_query VALUES (7) RETURNING x", []));
    let count = || {
        db.query_row("SELECT count(*) FROM xc_query", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    assert_eq!(count(), 1);
    drop_tables(&db, &["xc_query"]);
}

#[test]
fn execute_runs_a_write() {
    let db = open();
    drop_tables(&db, &["xc_write"]);
    db.execute("CREATE TABLE xc_write(x)", []).unwrap();
    assert_eq!(
        db.execute("INSERT INTO xc_write VALUES (?1), (?2)", [1, 2])
            .unwrap(),
        2
    );
    let mut stmt = db.prepare("INSERT INTO xc_write VALUES (?1)").unwrap();
    assert_eq!(stmt.execute([3]).unwrap(), 1);
    assert_eq!(stmt.insert([4]).unwrap(), 4);
    drop(stmt);
    assert_eq!(db.execute("UPDATE xc_write SET x = x + 1", []).unwrap(), 4);
    assert_eq!(
        db.execute("DELETE FROM xc_write WHERE x > ?1", [3])
            .unwrap(),
        2
    );
    drop_tables(&db, &["xc_write"]);
}

#[test]
fn execute_batch_runs_statements_that_return_rows() {
    let db = open();
    drop_tables(&db, &["xc_batch_a", "xc_batch_b"]);
    db.execute_batch("CREATE TABLE xc_batch_a(x); SELECT 1; CREATE TABLE xc_batch_b(x)")
        .unwrap();
    assert!(has_table(&db, "xc_batch_a"));
    assert!(has_table(&db, "xc_batch_b"));
    // `pragma_update` runs through `execute_batch`: a pragma that answers with a row is fine.
    db.pragma_update(None, "busy_timeout", 1234).unwrap();
    drop_tables(&db, &["xc_batch_a", "xc_batch_b"]);
}

#[test]
fn a_trailing_comment_is_fine_a_second_statement_is_not() {
    let db = open();
    drop_tables(&db, &["xc_tail_a", "xc_tail_b"]);
    assert_eq!(
        db.execute("CREATE TABLE xc_tail_a(x); -- done", [])
            .unwrap(),
        0
    );
    assert_eq!(db.execute("CREATE TABLE xc_tail_b(x);  ", []).unwrap(), 0);
    match db.execute("DROP TABLE xc_tail_a; DROP TABLE xc_tail_b", []) {
        Err(Error::MultipleStatement) => {}
        other => panic!("expected MultipleStatement, got {other:?}"),
    }
    // Refused before anything ran.
    assert!(has_table(&db, "xc_tail_a"));
    assert!(has_table(&db, "xc_tail_b"));
    assert_eq!(
        db.query_row("SELECT 1; /* one */", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        1
    );
    drop_tables(&db, &["xc_tail_a", "xc_tail_b"]);
}

#[test]
fn pragmas_with_a_listed_name_run() {
    let db = open();
    drop_tables(&db, &["xc_pragma"]);
    db.execute("CREATE TABLE xc_pragma(a, b)", []).unwrap();
    db.pragma_update(None, "user_version", 7).unwrap();
    let version = |schema: Option<&str>| {
        db.pragma_query_value(schema, "user_version", |r| r.get::<_, i64>(0))
            .unwrap()
    };
    assert_eq!(version(None), 7);
    // A schema-qualified name: the schema is quoted as needed, the pragma name checked alone.
    assert_eq!(version(Some("main")), 7);
    let mut versions = Vec::new();
    db.pragma_query(None, "user_version", |r| {
        versions.push(r.get::<_, i64>(0)?);
        Ok(())
    })
    .unwrap();
    assert_eq!(versions, [7]);
    let mut columns = Vec::new();
    db.pragma(None, "table_info", "xc_pragma", |r| {
        columns.push(r.get::<_, String>(1)?);
        Ok(())
    })
    .unwrap();
    assert_eq!(columns, ["a", "b"]);
    let timeout = db
        .pragma_update_and_check(None, "busy_timeout", 1234, |r| r.get::<_, i64>(0))
        .unwrap();
    assert_eq!(timeout, 1234);
    #[cfg(rusqlite_0_43)]
    assert_eq!(
        db.pragma_query_one::<i64>(Some("main"), "user_version")
            .unwrap(),
        7
    );
    db.pragma_update(Some("main"), "user_version", 0).unwrap();
    assert_eq!(version(None), 0);
    drop_tables(&db, &["xc_pragma"]);
}

#[test]
fn pragmas_with_an_unknown_name() {
    let db = open();
    if checks_pragma_list() {
        assert_invalid_pragma(db.pragma_update(None, "boom", 1), "boom");
        assert_invalid_pragma(
            db.pragma_query_value(None, "boom", |r| r.get::<_, i64>(0)),
            "boom",
        );
        assert_invalid_pragma(db.pragma_query(None, "boom", |_| Ok(())), "boom");
        assert_invalid_pragma(db.pragma(None, "boom", 1, |_| Ok(())), "boom");
        assert_invalid_pragma(
            db.pragma_update_and_check(None, "boom", 1, |r| r.get::<_, i64>(0)),
            "boom",
        );
        assert_invalid_pragma(
            db.pragma_query_value(Some("main"), "boom", |r| r.get::<_, i64>(0)),
            "boom",
        );
        // The list holds lower-case names, compared exactly.
        assert_invalid_pragma(
            db.pragma_query_value(None, "USER_VERSION", |r| r.get::<_, i64>(0)),
            "USER_VERSION",
        );
        #[cfg(rusqlite_0_43)]
        assert_invalid_pragma(db.pragma_query_one::<i64>(None, "boom"), "boom");
    } else {
        // 0.40: an identifier goes to SQLite, which ignores a pragma it does not know.
        db.pragma_update(None, "boom", 1).unwrap();
        let value = |schema| db.pragma_query_value(schema, "boom", |r| r.get::<_, i64>(0));
        assert_err(value(None), Error::QueryReturnedNoRows);
        assert_err(value(Some("main")), Error::QueryReturnedNoRows);
        let mut rows = 0;
        db.pragma_query(None, "boom", |_| {
            rows += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(rows, 0);
        // Pragma names are case-insensitive to SQLite.
        assert_eq!(
            db.pragma_query_value(None, "ENCODING", |r| r.get::<_, String>(0))
                .unwrap(),
            "UTF-8"
        );
    }
}

#[test]
fn pragmas_with_an_invalid_identifier_are_refused_in_every_version() {
    let db = open();
    drop_tables(&db, &["xc_ident"]);
    db.execute("CREATE TABLE xc_ident(x)", []).unwrap();
    let injected = "user_version = 1; DROP TABLE xc_ident; --";
    assert_invalid_pragma(db.pragma_update(None, injected, 2), injected);
    assert_invalid_pragma(
        db.pragma_query_value(None, injected, |r| r.get::<_, i64>(0)),
        injected,
    );
    assert_invalid_pragma(db.pragma_update(None, "user version", 2), "user version");
    assert_invalid_pragma(db.pragma_query(None, "", |_| Ok(())), "");
    assert!(has_table(&db, "xc_ident"));
    drop_tables(&db, &["xc_ident"]);
}
