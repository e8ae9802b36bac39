//! What rusqlite 0.34's `extra_check` feature adds, asserted the same under both crates:
//! `execute`, `query_row` and `query_row_and_then` refuse any text after the first statement
//! (`MultipleStatement`, before anything runs); `execute` refuses a read-only statement with
//! result columns (`ExecuteReturnedResults`, even when it would return no row); and
//! `execute_batch` (so `pragma_update` too) stops at a statement that returns a row.
use rusqlite::{Connection, Error, Result};

fn open() -> Connection {
    Connection::open_in_memory().expect("in-memory database")
}

fn tables(db: &Connection) -> Vec<String> {
    let mut stmt = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    let names = stmt.query_map([], |r| r.get(0)).unwrap();
    names.collect::<Result<_>>().unwrap()
}

#[track_caller]
fn assert_multiple<T: std::fmt::Debug>(r: Result<T>) {
    match r {
        Err(Error::MultipleStatement) => {}
        other => panic!("expected MultipleStatement, got {other:?}"),
    }
}

#[track_caller]
fn assert_returned_results<T: std::fmt::Debug>(r: Result<T>) {
    match r {
        Err(Error::ExecuteReturnedResults) => {}
        other => panic!("expected ExecuteReturnedResults, got {other:?}"),
    }
}

#[test]
fn execute_refuses_a_second_statement_before_running_the_first() {
    let db = open();
    assert_multiple(db.execute("CREATE TABLE a(x); CREATE TABLE b(x)", []));
    assert!(tables(&db).is_empty());
}

#[test]
fn execute_refuses_any_tail_even_whitespace_or_a_comment() {
    let db = open();
    assert_multiple(db.execute("CREATE TABLE a(x); ", []));
    assert_multiple(db.execute("CREATE TABLE a(x); -- done", []));
    assert!(tables(&db).is_empty());
    // A statement that ends the text, with or without its `;`, has no tail.
    assert_eq!(db.execute("CREATE TABLE a(x);", []).unwrap(), 0);
    assert_eq!(db.execute("CREATE TABLE b(x)", []).unwrap(), 0);
    assert_eq!(tables(&db), ["a", "b"]);
}

#[test]
fn query_row_refuses_a_second_statement() {
    let db = open();
    assert_multiple(db.query_row("SELECT 1; SELECT 2", [], |r| r.get::<_, i64>(0)));
    assert_multiple(db.query_row_and_then("SELECT 1; ", [], |r| r.get::<_, i64>(0)));
    assert_eq!(
        db.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        1
    );
}

#[test]
fn execute_refuses_a_query_even_without_rows() {
    let db = open();
    db.execute_batch("CREATE TABLE t(x)").unwrap();
    assert_returned_results(db.execute("SELECT x FROM t", []));
    assert_returned_results(db.execute("SELECT 1 WHERE 1 < ?1", [1]));
    let mut stmt = db.prepare("SELECT x FROM t WHERE x > ?1").unwrap();
    assert_returned_results(stmt.execute([0]));
    // Writes with RETURNING are not read-only: they run, and their row is the usual error.
    assert_returned_results(db.execute("INSERT INTO t VALUES (7) RETURNING x", []));
    assert_eq!(
        db.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        1
    );
    assert_eq!(db.execute("INSERT INTO t VALUES (8)", []).unwrap(), 1);
}

#[test]
fn execute_batch_stops_at_a_statement_returning_rows() {
    let db = open();
    assert_returned_results(db.execute_batch("CREATE TABLE a(x); SELECT 1; CREATE TABLE b(x)"));
    // The statements up to the one with a row ran; the rest did not.
    assert_eq!(tables(&db), ["a"]);
    // A query without rows passes.
    db.execute_batch("SELECT x FROM a; CREATE TABLE c(x)")
        .unwrap();
    assert_eq!(tables(&db), ["a", "c"]);
}

#[test]
fn pragma_update_returning_a_row_is_refused() {
    let db = open();
    assert_returned_results(db.pragma_update(None, "locking_mode", "exclusive"));
    // A pragma that returns nothing is fine.
    db.pragma_update(None, "user_version", 3).unwrap();
    assert_eq!(
        db.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
            .unwrap(),
        3
    );
}
