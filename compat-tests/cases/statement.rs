//! `Statement`: execute/insert/query family, column and parameter metadata, raw binding,
//! binding persistence, resets and lazy stepping.
use crate::support::one;
use rusqlite::{ffi, named_params, params, Error, ErrorCode};

fn sqlite_failure(code: ErrorCode, extended_code: i32, msg: &str) -> Error {
    Error::SqliteFailure(
        ffi::Error {
            code,
            extended_code,
        },
        Some(msg.to_string()),
    )
}

#[derive(Debug, PartialEq)]
enum AppError {
    Db(Error),
    Odd(i64),
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        AppError::Db(e)
    }
}

cases! {
    fn statement_text_ends_at_a_nul_and_readonly_is_sqlites() {
        // Found by the remote differential: a remote statement kept the text after a NUL, and
        // called BEGIN IMMEDIATE read-only and ATTACH not.
        let db = crate::open()?;
        assert_eq!(db.prepare("SELECT 1\0 junk")?.expanded_sql().as_deref(), Some("SELECT 1"));
        assert!(!db.prepare("BEGIN IMMEDIATE")?.readonly());
        assert!(!db.prepare("BEGIN EXCLUSIVE")?.readonly());
        assert!(db.prepare("BEGIN")?.readonly());
        assert!(db.prepare("ATTACH DATABASE ':memory:' AS aux")?.readonly());
        Ok(())
    }

    fn execute_batch_error_sql_runs_to_the_end_of_the_batch() {
        // Found by the remote differential: remotely the error named the failed statement only.
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        let err = db.execute_batch("SELECT 1; CREATE TABLE t(x); SELECT 2").unwrap_err();
        assert!(
            matches!(&err, Error::SqlInputError { sql, offset: 14, .. } if sql == " CREATE TABLE t(x); SELECT 2"),
            "{err:?}"
        );
        Ok(())
    }

    fn a_statement_whose_column_was_renamed_fails_at_its_step() {
        // Found by the remote differential: remotely the failed re-prepare was a SqlInputError.
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(a, c); INSERT INTO t VALUES (1, 2)")?;
        let mut stmt = db.prepare("SELECT a, c FROM t")?;
        db.execute_batch("ALTER TABLE t RENAME COLUMN c TO c2")?;
        let err = stmt.query_row([], |r| r.get::<_, i64>(0)).unwrap_err();
        assert_eq!(err.sqlite_error_code(), Some(ErrorCode::Unknown));
        assert!(matches!(&err, Error::SqliteFailure(_, Some(m)) if m == "no such column: c"), "{err:?}");
        Ok(())
    }

    fn prepare_after_a_rollback_knows_the_ddl_was_undone() {
        // Found by the remote differential: remotely, a table created in a transaction that
        // was rolled back (explicitly, or by INSERT OR ROLLBACK) still prepared.
        let db = crate::open()?;
        db.execute_batch("BEGIN; CREATE TABLE gone(x)")?;
        db.execute_batch("ROLLBACK")?;
        let err = db.prepare("SELECT x FROM gone").unwrap_err();
        assert_eq!(err.to_string(), "no such table: gone");
        db.execute_batch("BEGIN; CREATE TABLE gone2(x NOT NULL)")?;
        assert!(db.execute("INSERT OR ROLLBACK INTO gone2 VALUES (NULL)", []).is_err());
        assert!(db.is_autocommit());
        let err = db.prepare("SELECT x FROM gone2").unwrap_err();
        assert_eq!(err.to_string(), "no such table: gone2");
        // The same through a RETURNING write (rows are read differently remotely).
        db.execute_batch("BEGIN; CREATE TABLE gone3(id INTEGER PRIMARY KEY, x NOT NULL)")?;
        let returning = "INSERT OR ROLLBACK INTO gone3 (x) VALUES (NULL) RETURNING id";
        assert!(db.query_row(returning, [], |r| r.get::<_, i64>(0)).is_err());
        assert!(db.is_autocommit());
        let err = db.prepare("SELECT x FROM gone3").unwrap_err();
        assert_eq!(err.to_string(), "no such table: gone3");
        Ok(())
    }

    fn is_autocommit_right_after_a_returning_write_fails() {
        // Remotely a cursor's reply had no autocommit flag, so after such a failure
        // is_autocommit() was stale until the connection's next request.
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE ended(id INTEGER PRIMARY KEY, x NOT NULL)")?;
        db.execute_batch("BEGIN")?;
        db.execute("INSERT INTO ended (x) VALUES (1)", [])?;
        let mut stmt = db.prepare("INSERT OR ROLLBACK INTO ended (x) VALUES (NULL) RETURNING id")?;
        let mut rows = stmt.query([])?;
        assert!(rows.next().is_err());
        // The failure rolled the transaction back; the rows are still held.
        assert!(db.is_autocommit());
        drop(rows);
        drop(stmt);
        let count = |db: &rusqlite::Connection| {
            db.query_row("SELECT count(*) FROM ended", [], |r| r.get::<_, i64>(0))
        };
        assert_eq!(count(&db)?, 0);
        // A failure that leaves the transaction open keeps it open.
        db.execute_batch("BEGIN")?;
        db.execute("INSERT INTO ended (x) VALUES (2)", [])?;
        let failed = db.query_row("INSERT INTO ended (x) VALUES (NULL) RETURNING id", [], |r| {
            r.get::<_, i64>(0)
        });
        assert!(failed.is_err());
        assert!(!db.is_autocommit());
        db.execute_batch("COMMIT")?;
        assert_eq!(count(&db)?, 1);
        Ok(())
    }

    fn prepare_reports_an_unknown_function_with_an_attached_database() {
        // Found by the remote differential: with an ATTACHed database (which the remote
        // connection's local schema copy lacks) such errors surfaced at the first step.
        let db = crate::open()?;
        db.execute_batch("ATTACH DATABASE ':memory:' AS aux")?;
        let err = db.prepare("SELECT no_such_fn(1)").unwrap_err();
        assert!(matches!(err, Error::SqlInputError { offset: 7, .. }), "{err:?}");
        assert_eq!(err.to_string(), "no such function: no_such_fn in SELECT no_such_fn(1) at offset 7");
        // Also right after DDL on the attached database, which the local copy cannot follow.
        db.execute_batch("CREATE TABLE aux.x(a)")?;
        let err = db.prepare("SELECT no_such_fn(2)").unwrap_err();
        assert!(matches!(err, Error::SqlInputError { offset: 7, .. }), "{err:?}");
        Ok(())
    }

    fn execute_reused_with_new_params_inserts_each_value() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x INTEGER)")?;
        let mut st = db.prepare("INSERT INTO t VALUES (?1)")?;
        assert_eq!(st.execute([10])?, 1);
        assert_eq!(st.execute([20])?, 1);
        assert_eq!(st.execute([30])?, 1);
        drop(st);
        let mut q = db.prepare("SELECT x FROM t ORDER BY x")?;
        let v: Vec<i64> = q.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        assert_eq!(v, vec![10, 20, 30]);
        Ok(())
    }

    fn execute_on_update_returns_changes_each_run() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1), (2), (2), (3)")?;
        let mut st = db.prepare("UPDATE t SET x = x + 100 WHERE x = ?1")?;
        assert_eq!(st.execute([2])?, 2);
        assert_eq!(st.execute([1])?, 1);
        assert_eq!(st.execute([7])?, 0);
        Ok(())
    }

    fn execute_on_select_statement_is_execute_returned_results() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT ?1")?;
        assert_eq!(st.execute([1]).unwrap_err(), Error::ExecuteReturnedResults);
        // The statement is still usable afterwards.
        assert_eq!(st.query_row([2], |r| r.get::<_, i64>(0))?, 2);
        Ok(())
    }

    fn insert_returns_rowid() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x INTEGER UNIQUE)")?;
        let mut st = db.prepare("INSERT OR IGNORE INTO t(x) VALUES (?1)")?;
        assert_eq!(st.insert([5])?, 1);
        assert_eq!(st.insert([6])?, 2);
        assert_eq!(st.insert([5]).unwrap_err(), Error::StatementChangedRows(0));
        assert_eq!(db.last_insert_rowid(), 2);
        Ok(())
    }

    fn insert_of_several_rows_is_statement_changed_rows() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        let mut st = db.prepare("INSERT INTO t(x) SELECT 1 UNION ALL SELECT 2")?;
        assert_eq!(st.insert([]).unwrap_err(), Error::StatementChangedRows(2));
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 2);
        let mut st = db.prepare("INSERT INTO t(rowid, x) VALUES (50, 'a')")?;
        assert_eq!(st.insert([])?, 50);
        Ok(())
    }

    fn query_and_step_with_next() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x INTEGER, y TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')")?;
        let mut st = db.prepare("SELECT x, y FROM t WHERE x >= ?1 ORDER BY x")?;
        let mut rows = st.query([2])?;
        let mut seen = Vec::new();
        while let Some(row) = rows.next()? {
            seen.push((row.get::<_, i64>(0)?, row.get::<_, String>(1)?));
        }
        assert_eq!(seen, vec![(2, "b".to_string()), (3, "c".to_string())]);
        Ok(())
    }

    fn query_map_collects() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT value FROM (SELECT 1 AS value UNION ALL SELECT 2 UNION ALL SELECT 3) ORDER BY value DESC")?;
        let v: Vec<i64> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        assert_eq!(v, vec![3, 2, 1]);
        let doubled: Vec<i64> = st.query_map([], |r| Ok(r.get::<_, i64>(0)? * 2))?.map(|r| r.unwrap()).collect();
        assert_eq!(doubled, vec![6, 4, 2]);
        Ok(())
    }

    fn query_map_with_named_params() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(id INTEGER, name TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'one')")?;
        let mut st = db.prepare("SELECT id FROM t WHERE name = :name ORDER BY id")?;
        let ids: Vec<i64> = st.query_map(named_params! {":name": "one"}, |r| r.get(0))?.collect::<Result<_, _>>()?;
        assert_eq!(ids, vec![1, 3]);
        Ok(())
    }

    fn query_and_then_with_custom_error() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4")?;
        let out: Vec<Result<i64, AppError>> = st
            .query_and_then([], |r| -> Result<i64, AppError> {
                let v: i64 = r.get(0)?;
                if v % 2 == 1 { Err(AppError::Odd(v)) } else { Ok(v) }
            })?
            .collect();
        assert_eq!(out, vec![Ok(2), Err(AppError::Odd(3)), Ok(4)]);
        let out: Vec<Result<String, AppError>> = st.query_and_then([], |r| r.get::<_, String>(0).map_err(AppError::from))?.collect();
        assert_eq!(out.len(), 3);
        assert_eq!(
            out[0],
            Err(AppError::Db(Error::InvalidColumnType(0, "2".to_string(), rusqlite::types::Type::Integer)))
        );
        Ok(())
    }

    fn query_and_then_collect_stops_at_first_error() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT 1 UNION ALL SELECT 'x' UNION ALL SELECT 3")?;
        let r: rusqlite::Result<Vec<i64>> = st.query_and_then([], |r| r.get::<_, i64>(0))?.collect();
        assert_eq!(r.unwrap_err(), Error::InvalidColumnType(0, "1".to_string(), rusqlite::types::Type::Text));
        Ok(())
    }

    fn statement_query_row() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x INTEGER, y INTEGER); INSERT INTO t VALUES (1, 3), (2, 4)")?;
        let mut st = db.prepare("SELECT y FROM t WHERE x = ?1")?;
        assert_eq!(st.query_row([1], |r| r.get::<_, i64>(0))?, 3);
        assert_eq!(st.query_row([2], |r| r.get::<_, i64>(0))?, 4);
        assert_eq!(st.query_row([9], |r| r.get::<_, i64>(0)).unwrap_err(), Error::QueryReturnedNoRows);
        Ok(())
    }

    fn exists_reports_presence_of_rows() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)")?;
        let mut st = db.prepare("SELECT 1 FROM t WHERE x = ?1")?;
        assert!(st.exists([1])?);
        assert!(st.exists([2])?);
        assert!(!st.exists([0])?);
        assert!(db.prepare("SELECT * FROM t")?.exists([])?);
        assert!(!db.prepare("SELECT * FROM t WHERE 0")?.exists([])?);
        Ok(())
    }

    fn exists_on_insert_runs_it_and_returns_false() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        let mut st = db.prepare("INSERT INTO t VALUES (?1)")?;
        assert!(!st.exists([1])?);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 1);
        Ok(())
    }

    fn column_metadata() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(a INTEGER, b TEXT, c BLOB)")?;
        let st = db.prepare("SELECT a, b AS bee, c, 1 + 1, 'lit' FROM t")?;
        assert_eq!(st.column_count(), 5);
        assert_eq!(st.column_names().into_iter().collect::<Vec<_>>(), vec!["a", "bee", "c", "1 + 1", "'lit'"]);
        assert_eq!(st.column_name(1)?, "bee");
        assert_eq!(st.column_name(3)?, "1 + 1");
        assert_eq!(st.column_index("c")?, 2);
        assert_eq!(st.column_index("bee")?, 1);
        Ok(())
    }

    fn column_index_is_case_insensitive_first_match() {
        let db = crate::open()?;
        let st = db.prepare("SELECT 1 AS Foo, 2 AS foo, 3 AS BAR")?;
        assert_eq!(st.column_index("foo")?, 0);
        assert_eq!(st.column_index("FOO")?, 0);
        assert_eq!(st.column_index("bar")?, 2);
        let v: i64 = db.query_row("SELECT 1 AS Foo, 2 AS foo", [], |r| r.get("FOO"))?;
        assert_eq!(v, 1);
        Ok(())
    }

    fn column_lookup_errors() {
        let db = crate::open()?;
        let st = db.prepare("SELECT 1 AS a, 2 AS b")?;
        assert_eq!(st.column_name(2).unwrap_err(), Error::InvalidColumnIndex(2));
        assert_eq!(st.column_name(usize::MAX).unwrap_err(), Error::InvalidColumnIndex(usize::MAX));
        assert_eq!(st.column_index("c").unwrap_err(), Error::InvalidColumnName("c".to_string()));
        assert_eq!(st.column_index("").unwrap_err(), Error::InvalidColumnName(String::new()));
        Ok(())
    }

    fn column_count_of_non_queries() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, x)")?;
        assert_eq!(db.prepare("INSERT INTO t(x) VALUES (1)")?.column_count(), 0);
        assert_eq!(db.prepare("UPDATE t SET x = 2")?.column_count(), 0);
        assert_eq!(db.prepare("CREATE TABLE u(y)")?.column_count(), 0);
        let st = db.prepare("INSERT INTO t(x) VALUES (1) RETURNING id, x")?;
        assert_eq!(st.column_count(), 2);
        assert_eq!(st.column_names().into_iter().collect::<Vec<_>>(), vec!["id", "x"]);
        Ok(())
    }

    fn select_star_column_names_follow_table() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(alpha, beta, gamma)")?;
        let st = db.prepare("SELECT * FROM t")?;
        assert_eq!(st.column_names().into_iter().collect::<Vec<_>>(), vec!["alpha", "beta", "gamma"]);
        Ok(())
    }

    fn parameter_count_is_largest_index() {
        let db = crate::open()?;
        assert_eq!(db.prepare("SELECT 1")?.parameter_count(), 0);
        assert_eq!(db.prepare("SELECT ?, ?")?.parameter_count(), 2);
        assert_eq!(db.prepare("SELECT ?5")?.parameter_count(), 5);
        assert_eq!(db.prepare("SELECT ?1, ?1, ?2")?.parameter_count(), 2);
        assert_eq!(db.prepare("SELECT :a, :a, :b")?.parameter_count(), 2);
        assert_eq!(db.prepare("SELECT :a, ?, @b, $c, ?7")?.parameter_count(), 7);
        Ok(())
    }

    fn parameter_index_by_name() {
        let db = crate::open()?;
        let st = db.prepare("SELECT :a, @b, $c, ?4, :a")?;
        assert_eq!(st.parameter_index(":a")?, Some(1));
        assert_eq!(st.parameter_index("@b")?, Some(2));
        assert_eq!(st.parameter_index("$c")?, Some(3));
        assert_eq!(st.parameter_index("?4")?, Some(4));
        assert_eq!(st.parameter_index("a")?, None);
        assert_eq!(st.parameter_index(":zz")?, None);
        assert_eq!(st.parameter_index("")?, None);
        Ok(())
    }

    fn parameter_name_by_index() {
        let db = crate::open()?;
        let st = db.prepare("SELECT :a, ?, @b, $c, ?7")?;
        assert_eq!(st.parameter_name(0), None);
        assert_eq!(st.parameter_name(1), Some(":a"));
        assert_eq!(st.parameter_name(2), None);
        assert_eq!(st.parameter_name(3), Some("@b"));
        assert_eq!(st.parameter_name(4), Some("$c"));
        assert_eq!(st.parameter_name(5), None);
        assert_eq!(st.parameter_name(7), Some("?7"));
        assert_eq!(st.parameter_name(8), None);
        Ok(())
    }

    fn raw_bind_by_index_and_name_then_raw_execute() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(name TEXT, value INTEGER)")?;
        let mut st = db.prepare("INSERT INTO t(name, value) VALUES (:name, ?3)")?;
        st.raw_bind_parameter(":name", "example")?;
        st.raw_bind_parameter(3, 50i32)?;
        assert_eq!(st.raw_execute()?, 1);
        // Bindings stay for a second raw run.
        st.raw_bind_parameter(3usize, 51i64)?;
        assert_eq!(st.raw_execute()?, 1);
        drop(st);
        let mut q = db.prepare("SELECT name, value FROM t ORDER BY value")?;
        let rows: Vec<(String, i64)> = q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        assert_eq!(rows, vec![("example".to_string(), 50), ("example".to_string(), 51)]);
        Ok(())
    }

    fn raw_bind_then_raw_query() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT ?2 || ?1, ?3")?;
        st.raw_bind_parameter(1, "world")?;
        st.raw_bind_parameter(2, "hello ")?;
        let mut rows = st.raw_query();
        let row = rows.next()?.unwrap();
        assert_eq!(row.get::<_, String>(0)?, "hello world");
        assert_eq!(row.get::<_, Option<i64>>(1)?, None);
        assert!(rows.next()?.is_none());
        Ok(())
    }

    fn raw_bind_bad_index_is_parameter_out_of_range() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT 1")?;
        let err = st.raw_bind_parameter(1, 1).unwrap_err();
        assert_eq!(err.sqlite_error_code(), Some(ErrorCode::ParameterOutOfRange));
        assert_eq!(err, sqlite_failure(ErrorCode::ParameterOutOfRange, 25, "column index out of range"));
        let mut st = db.prepare("SELECT ?1, ?2")?;
        assert!(st.raw_bind_parameter(2, 1).is_ok());
        assert_eq!(st.raw_bind_parameter(3, 1).unwrap_err().sqlite_error_code(), Some(ErrorCode::ParameterOutOfRange));
        assert_eq!(st.raw_bind_parameter(0, 1).unwrap_err().sqlite_error_code(), Some(ErrorCode::ParameterOutOfRange));
        Ok(())
    }

    fn raw_bind_bad_name_is_invalid_parameter_name() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT :p")?;
        assert_eq!(st.raw_bind_parameter(":p1", 1).unwrap_err(), Error::InvalidParameterName(":p1".to_string()));
        assert_eq!(st.raw_bind_parameter("p", 1).unwrap_err(), Error::InvalidParameterName("p".to_string()));
        assert_eq!(st.raw_bind_parameter(c"x", 1).unwrap_err(), Error::InvalidParameterName("x".to_string()));
        st.raw_bind_parameter(c":p", 4)?;
        assert_eq!(st.raw_query().next()?.unwrap().get::<_, i64>(0)?, 4);
        Ok(())
    }

    fn clear_bindings_makes_values_null() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT ?1, ?2")?;
        st.raw_bind_parameter(1, 10)?;
        st.raw_bind_parameter(2, "x")?;
        {
            let mut rows = st.raw_query();
            let row = rows.next()?.unwrap();
            assert_eq!((row.get::<_, i64>(0)?, row.get::<_, String>(1)?), (10, "x".to_string()));
        }
        st.clear_bindings();
        let mut rows = st.raw_query();
        let row = rows.next()?.unwrap();
        assert_eq!((row.get::<_, Option<i64>>(0)?, row.get::<_, Option<String>>(1)?), (None, None));
        Ok(())
    }

    fn expanded_sql_shows_bound_values() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT ?1, ?2, ?3, ?4")?;
        assert_eq!(st.expanded_sql(), Some("SELECT NULL, NULL, NULL, NULL".to_string()));
        st.raw_bind_parameter(1, 1)?;
        st.raw_bind_parameter(2, "it's")?;
        st.raw_bind_parameter(3, 2.5)?;
        st.raw_bind_parameter(4, vec![1u8, 0xab])?;
        assert_eq!(st.expanded_sql(), Some("SELECT 1, 'it''s', 2.5, x'01ab'".to_string()));
        Ok(())
    }

    fn readonly_per_statement_kind() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        assert!(db.prepare("SELECT 1")?.readonly());
        assert!(db.prepare("SELECT * FROM t")?.readonly());
        assert!(!db.prepare("INSERT INTO t VALUES (1)")?.readonly());
        assert!(!db.prepare("DELETE FROM t")?.readonly());
        assert!(!db.prepare("CREATE TABLE u(y)")?.readonly());
        assert!(db.prepare("BEGIN")?.readonly());
        Ok(())
    }

    fn is_explain_values() {
        let db = crate::open()?;
        assert_eq!(db.prepare("SELECT 1")?.is_explain(), 0);
        assert_eq!(db.prepare("EXPLAIN SELECT 1")?.is_explain(), 1);
        assert_eq!(db.prepare("EXPLAIN QUERY PLAN SELECT 1")?.is_explain(), 2);
        Ok(())
    }

    fn positional_bindings_persist_between_raw_runs() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x, y)")?;
        let mut st = db.prepare("INSERT INTO t VALUES (?1, ?2)")?;
        st.raw_bind_parameter(1, "a")?;
        st.raw_bind_parameter(2, 1)?;
        st.raw_execute()?;
        st.raw_bind_parameter(2, 2)?;
        st.raw_execute()?;
        drop(st);
        let mut q = db.prepare("SELECT x, y FROM t ORDER BY y")?;
        let rows: Vec<(String, i64)> = q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        assert_eq!(rows, vec![("a".to_string(), 1), ("a".to_string(), 2)]);
        Ok(())
    }

    fn named_bindings_persist_between_runs() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x TEXT, y TEXT)")?;
        let mut st = db.prepare("INSERT INTO t(x, y) VALUES (:x, :y)")?;
        st.execute(&[(":x", "one")])?;
        st.execute(&[(":y", "two")])?;
        drop(st);
        let mut q = db.prepare("SELECT x, y FROM t ORDER BY rowid")?;
        let rows: Vec<(Option<String>, Option<String>)> = q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        assert_eq!(rows, vec![(Some("one".to_string()), None), (Some("one".to_string()), Some("two".to_string()))]);
        Ok(())
    }

    fn requery_after_partial_read_starts_over() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3")?;
        {
            let mut rows = st.query([])?;
            assert_eq!(rows.next()?.unwrap().get::<_, i64>(0)?, 1);
            assert_eq!(rows.next()?.unwrap().get::<_, i64>(0)?, 2);
        }
        let all: Vec<i64> = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        assert_eq!(all, vec![1, 2, 3]);
        let all: Vec<i64> = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        assert_eq!(all, vec![1, 2, 3]);
        Ok(())
    }

    fn requery_sees_new_data() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        let mut count = db.prepare("SELECT count(*) FROM t")?;
        assert_eq!(count.query_row([], |r| r.get::<_, i64>(0))?, 0);
        db.execute("INSERT INTO t VALUES (1)", [])?;
        assert_eq!(count.query_row([], |r| r.get::<_, i64>(0))?, 1);
        db.execute("INSERT INTO t VALUES (2)", [])?;
        assert_eq!(count.query_row([], |r| r.get::<_, i64>(0))?, 2);
        Ok(())
    }

    fn query_is_lazy_errors_come_from_next() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x UNIQUE); INSERT INTO t VALUES (1)")?;
        let mut st = db.prepare("INSERT INTO t VALUES (1) RETURNING x")?;
        let mut rows = st.query([])?;
        let err = rows.next().unwrap_err();
        assert_eq!(err, sqlite_failure(ErrorCode::ConstraintViolation, 2067, "UNIQUE constraint failed: t.x"));
        // After an error the rows are finished.
        assert!(rows.next()?.is_none());
        Ok(())
    }

    fn query_map_is_lazy_errors_come_from_iterator() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x NOT NULL)")?;
        let mut st = db.prepare("INSERT INTO t VALUES (NULL) RETURNING x")?;
        let mut it = st.query_map([], |r| r.get::<_, Option<i64>>(0))?;
        let err = it.next().unwrap().unwrap_err();
        assert_eq!(err, sqlite_failure(ErrorCode::ConstraintViolation, 1299, "NOT NULL constraint failed: t.x"));
        assert!(it.next().is_none());
        drop(it);
        drop(st);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 0);
        Ok(())
    }

    fn query_unused_does_not_run_statement() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        let mut st = db.prepare("INSERT INTO t VALUES (1) RETURNING x")?;
        {
            let _rows = st.query([])?;
        }
        drop(st);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 0);
        Ok(())
    }

    fn statement_debug_contains_sql() {
        let db = crate::open()?;
        let st = db.prepare("SELECT 12345")?;
        let s = format!("{st:?}");
        assert!(s.starts_with("Statement {"), "{s}");
        assert!(s.contains("SELECT 12345"), "{s}");
        Ok(())
    }

    fn finalize_returns_ok() {
        let db = crate::open()?;
        let mut st = db.prepare("SELECT 1")?;
        assert_eq!(st.query_row([], |r| r.get::<_, i64>(0))?, 1);
        st.finalize()?;
        db.prepare("SELECT 2")?.finalize()?;
        Ok(())
    }

    #[only_0_34("pins 0.34's silently dropped second statement; 0.35+ refuse it (newer::prepare_rejects_a_second_statement)")]
    fn prepare_ignores_trailing_statements() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        let mut st = db.prepare("SELECT 1 AS one; SELECT 2, 3; INSERT INTO t VALUES (1)")?;
        assert_eq!(st.column_count(), 1);
        assert_eq!(st.query_row([], |r| r.get::<_, i64>(0))?, 1);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 0);
        Ok(())
    }

    fn prepare_with_leading_comment() {
        let db = crate::open()?;
        let st = db.prepare("/* leading */ SELECT 1;")?;
        assert_eq!(st.column_count(), 1);
        let st = db.prepare("-- line\nSELECT 1, 2")?;
        assert_eq!(st.column_count(), 2);
        Ok(())
    }

    fn query_map_over_many_rows() {
        let db = crate::open()?;
        let mut st = db.prepare(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?1) SELECT x FROM c",
        )?;
        let sum: i64 = st.query_map([1000], |r| r.get::<_, i64>(0))?.map(|r| r.unwrap()).sum();
        assert_eq!(sum, 500500);
        let n = st.query_map([10], |_| Ok(()))?.count();
        assert_eq!(n, 10);
        Ok(())
    }

    fn statement_params_macro_mixed_types() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(a, b, c, d)")?;
        let mut st = db.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)")?;
        let name = String::from("n");
        let blob: Vec<u8> = vec![1, 2];
        st.execute(params![1i64, name, 0.5f64, blob])?;
        st.execute(params![2i32, "lit", None::<f64>, &[3u8][..]])?;
        drop(st);
        let mut q = db.prepare("SELECT typeof(a), typeof(b), typeof(c), typeof(d) FROM t ORDER BY a")?;
        let types: Vec<String> = q
            .query_map([], |r| Ok(format!("{} {} {} {}", r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)))?
            .collect::<Result<_, _>>()?;
        assert_eq!(types, vec!["integer text real blob", "integer text null blob"]);
        Ok(())
    }
}
