//! `Connection`: opening, execute / execute_batch, query_row, counters and connection state.
use crate::support::{one, temp_db_path};
#[cfg(not(rusqlite_surface))]
use rusqlite::DatabaseName;
use rusqlite::{ffi, params, Connection, Error, ErrorCode, OpenFlags, OptionalExtension};
use std::time::Duration;

/// The schema objects a case made. Internal tables are left out: `sqlite_sequence`, which
/// any AUTOINCREMENT table creates and nothing can drop, outlives the clean-up of the test
/// server's shared database (compat-tests/remote_open.rs) once a case has used AUTOINCREMENT.
const USER_OBJECTS: &str = "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'";

fn sqlite_failure(code: ErrorCode, extended_code: i32, msg: &str) -> Error {
    Error::SqliteFailure(
        ffi::Error {
            code,
            extended_code,
        },
        Some(msg.to_string()),
    )
}

/// A custom error type for `query_row_and_then`.
#[derive(Debug, PartialEq)]
enum MyError {
    Sqlite(String),
    TooSmall(i64),
}

impl From<Error> for MyError {
    fn from(e: Error) -> Self {
        MyError::Sqlite(e.to_string())
    }
}

cases! {
    fn open_in_memory_is_usable() {
        let db = Connection::open_in_memory()?;
        db.execute_batch("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (41)")?;
        assert_eq!(one::<i64>(&db, "SELECT x + 1 FROM t")?, 42);
        Ok(())
    }

    fn in_memory_databases_are_private() {
        let a = Connection::open_in_memory()?;
        let b = Connection::open_in_memory()?;
        a.execute_batch("CREATE TABLE only_in_a(x)")?;
        assert_eq!(one::<i64>(&a, "SELECT count(*) FROM sqlite_master WHERE name = 'only_in_a'")?, 1);
        assert_eq!(one::<i64>(&b, "SELECT count(*) FROM sqlite_master WHERE name = 'only_in_a'")?, 0);
        Ok(())
    }

    fn open_file_persists_across_reopen() {
        let path = crate::database("persist")?;
        {
            let db = Connection::open(&path)?;
            db.execute_batch("CREATE TABLE t(x TEXT); INSERT INTO t VALUES ('kept')")?;
        }
        if let Some(file) = path.local_file() {
            assert!(file.exists());
        }
        let db = Connection::open(&path)?;
        assert_eq!(one::<String>(&db, "SELECT x FROM t")?, "kept");
        Ok(())
    }

    fn open_accepts_str_string_and_pathbuf() {
        let db = crate::database("pathkinds")?;
        let s: String = db.name().to_string();
        let path = std::path::PathBuf::from(&s);
        Connection::open(&path)?.execute_batch("CREATE TABLE t(x)")?;
        let n1: i64 = one(&Connection::open(s.as_str())?, USER_OBJECTS)?;
        let n2: i64 = one(&Connection::open(s.clone())?, USER_OBJECTS)?;
        let n3: i64 = one(&Connection::open(path.clone())?, USER_OBJECTS)?;
        assert_eq!((n1, n2, n3), (1, 1, 1));
        Ok(())
    }

    fn two_connections_see_each_others_commits() {
        let path = crate::database("twoconn")?;
        let a = Connection::open(&path)?;
        let b = Connection::open(&path)?;
        a.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)")?;
        assert_eq!(one::<i64>(&b, "SELECT sum(x) FROM t")?, 3);
        b.execute("INSERT INTO t VALUES (?1)", [10])?;
        assert_eq!(one::<i64>(&a, "SELECT sum(x) FROM t")?, 13);
        Ok(())
    }

    fn open_with_flags_read_only_rejects_writes() {
        let path = crate::database("ro")?;
        Connection::open(&path)?.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (7)")?;
        let db = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        assert_eq!(one::<i64>(&db, "SELECT x FROM t")?, 7);
        let err = db.execute("INSERT INTO t VALUES (8)", []).unwrap_err();
        assert_eq!(err, sqlite_failure(ErrorCode::ReadOnly, 8, "attempt to write a readonly database"));
        assert_eq!(err.sqlite_error_code(), Some(ErrorCode::ReadOnly));
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 1);
        assert!(db.is_readonly(rusqlite::MAIN_DB)?);
        Ok(())
    }

    #[local_only("opens a missing file: a server's database always exists, so a remote open never fails for that")]
    fn open_with_flags_read_only_missing_file_cannot_open() {
        let path = temp_db_path("missing");
        let err = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap_err();
        let msg = format!("unable to open database file: {}", path.display());
        assert_eq!(err, sqlite_failure(ErrorCode::CannotOpen, 14, &msg));
        assert!(!path.exists());
        Ok(())
    }

    #[local_only("opens a missing file: a server's database always exists, so a remote open never fails for that")]
    fn open_with_flags_read_write_without_create_cannot_open() {
        let path = temp_db_path("nocreate");
        let err = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_WRITE).unwrap_err();
        assert_eq!(err.sqlite_error_code(), Some(ErrorCode::CannotOpen));
        assert!(!path.exists());
        Ok(())
    }

    #[local_only("a `file:` URI names a local file; a remote database is named by its server URL")]
    fn open_with_flags_uri_mode_ro() {
        let path = temp_db_path("uri");
        Connection::open(&path)?.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (5)")?;
        let uri = format!("file:{}?mode=ro", path.display());
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_URI;
        let db = Connection::open_with_flags(&uri, flags)?;
        assert_eq!(one::<i64>(&db, "SELECT x FROM t")?, 5);
        assert!(db.is_readonly(rusqlite::MAIN_DB)?);
        let err = db.execute("DELETE FROM t", []).unwrap_err();
        assert_eq!(err, sqlite_failure(ErrorCode::ReadOnly, 8, "attempt to write a readonly database"));
        Ok(())
    }

    #[local_only("a `file:` URI names a local file; a remote database is named by its server URL")]
    fn default_open_interprets_uri_filenames() {
        let path = temp_db_path("uridefault");
        Connection::open(&path)?.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (3)")?;
        let db = Connection::open(format!("file:{}?mode=ro", path.display()))?;
        assert_eq!(one::<i64>(&db, "SELECT x FROM t")?, 3);
        assert!(db.is_readonly(rusqlite::MAIN_DB)?);
        Ok(())
    }

    fn open_in_memory_with_default_flags() {
        let db = Connection::open_in_memory_with_flags(OpenFlags::default())?;
        db.execute_batch("CREATE TABLE t(x)")?;
        assert_eq!(db.execute("INSERT INTO t VALUES (1), (2)", [])?, 2);
        assert!(!db.is_readonly(rusqlite::MAIN_DB)?);
        Ok(())
    }

    fn open_in_memory_read_only_rejects_writes() {
        let db = Connection::open_in_memory_with_flags(OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        assert!(db.is_readonly(rusqlite::MAIN_DB)?);
        assert_eq!(one::<i64>(&db, "SELECT 1 + 1")?, 2);
        let err = db.execute_batch("CREATE TABLE t(x)").unwrap_err();
        assert_eq!(err, sqlite_failure(ErrorCode::ReadOnly, 8, "attempt to write a readonly database"));
        Ok(())
    }

    fn execute_returns_changed_rows() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x INTEGER)")?;
        assert_eq!(db.execute("INSERT INTO t VALUES (1)", [])?, 1);
        assert_eq!(db.execute("INSERT INTO t VALUES (2), (3), (4)", [])?, 3);
        assert_eq!(db.execute("UPDATE t SET x = x * 10 WHERE x > 2", [])?, 2);
        assert_eq!(db.execute("UPDATE t SET x = 0 WHERE 0", [])?, 0);
        assert_eq!(db.execute("DELETE FROM t", [])?, 4);
        Ok(())
    }

    fn execute_ddl_returns_stale_change_count() {
        let db = crate::open()?;
        assert_eq!(db.execute("CREATE TABLE a(x)", [])?, 0);
        assert_eq!(db.execute("INSERT INTO a VALUES (1), (2), (3)", [])?, 3);
        assert_eq!(db.execute("CREATE TABLE b(x)", [])?, 3);
        assert_eq!(db.changes(), 3);
        assert_eq!(db.execute("SELECT 1 WHERE 0", [])?, 3);
        assert_eq!(db.execute("UPDATE a SET x = 0 WHERE 0", [])?, 0);
        assert_eq!(db.execute("DROP TABLE b", [])?, 0);
        Ok(())
    }

    fn execute_select_returning_a_row_is_an_error() {
        let db = crate::open()?;
        assert_eq!(db.execute("SELECT 1", []).unwrap_err(), Error::ExecuteReturnedResults);
        db.execute_batch("CREATE TABLE t(x)")?;
        assert_eq!(db.execute("SELECT x FROM t", [])?, 0);
        Ok(())
    }

    fn execute_insert_returning_errors_but_inserts() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, x)")?;
        let err = db.execute("INSERT INTO t(x) VALUES (5) RETURNING id", []).unwrap_err();
        assert_eq!(err, Error::ExecuteReturnedResults);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 1);
        let id: i64 = db.query_row("INSERT INTO t(x) VALUES (6) RETURNING id", [], |r| r.get(0))?;
        assert_eq!(id, 2);
        Ok(())
    }

    fn execute_with_params_and_read_back() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(a INTEGER, b TEXT, c REAL)")?;
        assert_eq!(db.execute("INSERT INTO t VALUES (?1, ?2, ?3)", params![7, "seven", 7.5])?, 1);
        let row: (i64, String, f64) = db.query_row("SELECT a, b, c FROM t", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        assert_eq!(row, (7, "seven".to_string(), 7.5));
        Ok(())
    }

    fn execute_batch_runs_every_statement() {
        let db = crate::open()?;
        db.execute_batch(
            "CREATE TABLE t(x);
             INSERT INTO t VALUES (1);
             INSERT INTO t VALUES (2);
             UPDATE t SET x = x + 10;",
        )?;
        assert_eq!(one::<i64>(&db, "SELECT sum(x) FROM t")?, 23);
        Ok(())
    }

    fn execute_batch_stops_at_first_error_and_keeps_earlier_work() {
        let db = crate::open()?;
        let err = db
            .execute_batch(
                "CREATE TABLE t(x);
                 INSERT INTO t VALUES (1);
                 INSERT INTO nope VALUES (2);
                 INSERT INTO t VALUES (3);",
            )
            .unwrap_err();
        assert_eq!(err, sqlite_failure(ErrorCode::Unknown, 1, "no such table: nope"));
        assert_eq!(one::<i64>(&db, "SELECT sum(x) FROM t")?, 1);
        Ok(())
    }

    fn execute_batch_runtime_error_keeps_earlier_work() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x UNIQUE)")?;
        let err = db
            .execute_batch("INSERT INTO t VALUES (1); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);")
            .unwrap_err();
        assert_eq!(err, sqlite_failure(ErrorCode::ConstraintViolation, 2067, "UNIQUE constraint failed: t.x"));
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 1);
        Ok(())
    }

    fn execute_batch_accepts_empty_and_comment_only_sql() {
        let db = crate::open()?;
        db.execute_batch("")?;
        db.execute_batch("   \n\t ")?;
        db.execute_batch(";")?;
        db.execute_batch(";;;")?;
        db.execute_batch("-- just a comment")?;
        db.execute_batch("/* block */ ;")?;
        db.execute_batch("CREATE TABLE t(x); -- trailing comment")?;
        assert_eq!(one::<i64>(&db, USER_OBJECTS)?, 1);
        Ok(())
    }

    fn execute_batch_allows_select_statements() {
        let db = crate::open()?;
        db.execute_batch("SELECT 1")?;
        db.execute_batch("CREATE TABLE t(x); SELECT * FROM t; INSERT INTO t VALUES (9); SELECT x FROM t;")?;
        assert_eq!(one::<i64>(&db, "SELECT x FROM t")?, 9);
        Ok(())
    }

    fn execute_batch_syntax_error_reports_remaining_sql() {
        let db = crate::open()?;
        let err = db.execute_batch("CREATE TABLE t(x); SELEC 1").unwrap_err();
        match err {
            Error::SqlInputError { error, msg, sql, offset } => {
                assert_eq!(error.code, ErrorCode::Unknown);
                assert_eq!(error.extended_code, 1);
                assert_eq!(msg, "near \"SELEC\": syntax error");
                assert_eq!(sql, " SELEC 1");
                assert_eq!(offset, 1);
            }
            other => panic!("unexpected error: {other:?}"),
        }
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM sqlite_master WHERE name = 't'")?, 1);
        Ok(())
    }

    fn query_row_without_rows_is_query_returned_no_rows() {
        let db = crate::open()?;
        let r: rusqlite::Result<i64> = db.query_row("SELECT 1 WHERE 0", [], |r| r.get(0));
        assert_eq!(r.unwrap_err(), Error::QueryReturnedNoRows);
        let r: Option<i64> = db.query_row("SELECT 1 WHERE 0", [], |r| r.get(0)).optional()?;
        assert_eq!(r, None);
        let r: Option<i64> = db.query_row("SELECT 5", [], |r| r.get(0)).optional()?;
        assert_eq!(r, Some(5));
        Ok(())
    }

    fn query_row_returns_first_row_and_ignores_the_rest() {
        let db = crate::open()?;
        let v: i64 = db.query_row("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3", [], |r| r.get(0))?;
        assert_eq!(v, 1);
        let v: String = db.query_row("SELECT ?1 UNION ALL SELECT 'z'", ["a"], |r| r.get(0))?;
        assert_eq!(v, "a");
        Ok(())
    }

    fn query_row_closure_error_propagates() {
        let db = crate::open()?;
        let r: rusqlite::Result<i64> = db.query_row("SELECT 1", [], |r| r.get(3));
        assert_eq!(r.unwrap_err(), Error::InvalidColumnIndex(3));
        let r: rusqlite::Result<i64> = db.query_row("SELECT 1", [], |_| Err(Error::InvalidQuery));
        assert_eq!(r.unwrap_err(), Error::InvalidQuery);
        Ok(())
    }

    fn query_row_optional_keeps_other_errors() {
        let db = crate::open()?;
        let r = db.query_row("SELECT 'x'", [], |r| r.get::<_, i64>(0)).optional();
        assert!(matches!(r, Err(Error::InvalidColumnType(0, ref name, rusqlite::types::Type::Text)) if name == "'x'"));
        Ok(())
    }

    fn query_row_and_then_with_custom_error() {
        let db = crate::open()?;
        let check = |r: &rusqlite::Row<'_>| -> Result<i64, MyError> {
            let v: i64 = r.get(0)?;
            if v < 10 { Err(MyError::TooSmall(v)) } else { Ok(v) }
        };
        assert_eq!(db.query_row_and_then("SELECT 42", [], check), Ok(42));
        assert_eq!(db.query_row_and_then("SELECT 3", [], check), Err(MyError::TooSmall(3)));
        assert_eq!(
            db.query_row_and_then("SELECT 1 WHERE 0", [], check),
            Err(MyError::Sqlite("Query returned no rows".to_string()))
        );
        assert_eq!(
            db.query_row_and_then("SELECT 'a'", [], check),
            Err(MyError::Sqlite("Invalid column type Text at index: 0, name: 'a'".to_string()))
        );
        Ok(())
    }

    fn query_row_and_then_with_rusqlite_error() {
        let db = crate::open()?;
        let v: rusqlite::Result<String> = db.query_row_and_then("SELECT ?1 || ?2", ["ab", "cd"], |r| r.get(0));
        assert_eq!(v?, "abcd");
        Ok(())
    }

    fn last_insert_rowid_tracks_inserts() {
        let db = crate::open()?;
        assert_eq!(db.last_insert_rowid(), 0);
        db.execute_batch("CREATE TABLE t(x UNIQUE)")?;
        db.execute("INSERT INTO t VALUES ('a')", [])?;
        assert_eq!(db.last_insert_rowid(), 1);
        db.execute("INSERT INTO t VALUES ('b')", [])?;
        assert_eq!(db.last_insert_rowid(), 2);
        db.execute("INSERT INTO t(rowid, x) VALUES (100, 'c')", [])?;
        assert_eq!(db.last_insert_rowid(), 100);
        assert!(db.execute("INSERT INTO t VALUES ('a')", []).is_err());
        assert_eq!(db.last_insert_rowid(), 100);
        db.execute("DELETE FROM t", [])?;
        assert_eq!(db.last_insert_rowid(), 100);
        Ok(())
    }

    fn changes_and_total_changes() {
        let db = crate::open()?;
        assert_eq!((db.changes(), db.total_changes()), (0, 0));
        db.execute_batch("CREATE TABLE t(x)")?;
        assert_eq!((db.changes(), db.total_changes()), (0, 0));
        db.execute("INSERT INTO t VALUES (1), (2), (3)", [])?;
        assert_eq!((db.changes(), db.total_changes()), (3, 3));
        db.execute("UPDATE t SET x = 0 WHERE x < 3", [])?;
        assert_eq!((db.changes(), db.total_changes()), (2, 5));
        let _: i64 = one(&db, "SELECT count(*) FROM t")?;
        assert_eq!((db.changes(), db.total_changes()), (2, 5));
        db.execute("DELETE FROM t", [])?;
        assert_eq!((db.changes(), db.total_changes()), (3, 8));
        Ok(())
    }

    fn a_failed_write_sets_changes() {
        // Found by the remote differential: a failed write left the previous count.
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, x NOT NULL)")?;
        db.execute("INSERT INTO t (x) VALUES (1), (2)", [])?;
        assert_eq!((db.changes(), db.last_insert_rowid()), (2, 2));
        let err = db.execute("INSERT INTO t (x) VALUES (NULL)", []).unwrap_err();
        assert_eq!(err.sqlite_error_code(), Some(ErrorCode::ConstraintViolation));
        assert_eq!((db.changes(), db.last_insert_rowid()), (0, 2));
        assert!(db.execute_batch("UPDATE t SET x = 5; INSERT INTO t (x) VALUES (NULL)").is_err());
        assert_eq!(db.changes(), 0);
        // OR FAIL keeps the rows changed before the failing one.
        assert!(db.execute("INSERT OR FAIL INTO t (x) VALUES (3), (NULL)", []).is_err());
        assert_eq!((db.changes(), db.last_insert_rowid()), (1, 3));
        assert!(db
            .query_row("INSERT INTO t (x) VALUES (NULL) RETURNING id", [], |r| r.get::<_, i64>(0))
            .is_err());
        assert_eq!(db.changes(), 0);
        assert_eq!(db.total_changes(), 5);
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 3);
        Ok(())
    }

    fn a_returning_write_sets_changes_when_its_statement_ends() {
        // Found by the remote differential: the counters lagged until the next request.
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(id INTEGER PRIMARY KEY, x)")?;
        let id: i64 = db.query_row("INSERT INTO t (x) VALUES (7), (8) RETURNING id", [], |r| r.get(0))?;
        assert_eq!(id, 1);
        assert_eq!((db.changes(), db.last_insert_rowid(), db.total_changes()), (2, 2, 2));
        // `execute` refuses a statement that returns rows, but the write is done.
        let err = db.execute("INSERT INTO t (x) VALUES (9) RETURNING id", []).unwrap_err();
        assert_eq!(err, Error::ExecuteReturnedResults);
        assert_eq!((db.changes(), db.last_insert_rowid(), db.total_changes()), (1, 3, 3));
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 3);
        // A RETURNING write that changes nothing returns no rows: `execute` gives its count.
        db.execute_batch("CREATE UNIQUE INDEX tx ON t(x)")?;
        assert_eq!(db.execute("INSERT OR IGNORE INTO t (x) VALUES (7) RETURNING id", [])?, 0);
        assert_eq!((db.changes(), db.last_insert_rowid(), db.total_changes()), (0, 3, 3));
        Ok(())
    }

    fn is_autocommit_follows_explicit_transactions() {
        let db = crate::open()?;
        assert!(db.is_autocommit());
        db.execute_batch("BEGIN")?;
        assert!(!db.is_autocommit());
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1)")?;
        assert!(!db.is_autocommit());
        db.execute_batch("COMMIT")?;
        assert!(db.is_autocommit());
        db.execute_batch("BEGIN; INSERT INTO t VALUES (2); ROLLBACK")?;
        assert!(db.is_autocommit());
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 1);
        Ok(())
    }

    fn busy_timeout_default_and_set() {
        let db = crate::open()?;
        assert_eq!(one::<i64>(&db, "PRAGMA busy_timeout")?, 5000);
        db.busy_timeout(Duration::from_millis(1234))?;
        assert_eq!(one::<i64>(&db, "PRAGMA busy_timeout")?, 1234);
        db.busy_timeout(Duration::from_secs(2))?;
        assert_eq!(one::<i64>(&db, "PRAGMA busy_timeout")?, 2000);
        db.busy_timeout(Duration::ZERO)?;
        assert_eq!(one::<i64>(&db, "PRAGMA busy_timeout")?, 0);
        Ok(())
    }

    #[local_only("asserts rollback-journal locking (EXCLUSIVE blocks readers); a libSQL server keeps its database in WAL mode, where readers are never blocked")]
    fn locked_database_with_zero_timeout_is_busy() {
        let path = temp_db_path("busy");
        let a = Connection::open(&path)?;
        a.execute_batch("CREATE TABLE t(x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)")?;
        let b = Connection::open(&path)?;
        b.busy_timeout(Duration::ZERO)?;
        let err = b.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0)).unwrap_err();
        assert_eq!(err, sqlite_failure(ErrorCode::DatabaseBusy, 5, "database is locked"));
        a.execute_batch("COMMIT")?;
        assert_eq!(one::<i64>(&b, "SELECT count(*) FROM t")?, 1);
        Ok(())
    }

    fn path_of_in_memory_is_empty_string() {
        let db = Connection::open_in_memory()?;
        assert_eq!(db.path(), Some(""));
        assert_eq!(format!("{db:?}"), "Connection { path: Some(\"\") }");
        Ok(())
    }

    #[local_only("asserts the file name path() returns; path() of a remote connection is its server URL")]
    fn path_of_file_is_its_absolute_name() {
        let path = temp_db_path("path");
        let db = Connection::open(&path)?;
        assert_eq!(db.path(), Some(path.to_str().unwrap()));
        assert!(std::path::Path::new(db.path().unwrap()).is_absolute());
        assert_eq!(format!("{db:?}"), format!("Connection {{ path: Some({:?}) }}", path.to_str().unwrap()));
        Ok(())
    }

    fn close_returns_ok() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        {
            let mut st = db.prepare_cached("SELECT count(*) FROM t")?;
            assert_eq!(st.query_row([], |r| r.get::<_, i64>(0))?, 0);
        }
        assert!(db.close().is_ok());
        Ok(())
    }

    /// A statement that outlives its borrow (leaked, as tokio-rusqlite's own close test does)
    /// keeps the connection open: `sqlite3_close` refuses, and the connection comes back usable.
    fn close_with_a_leaked_statement_fails_and_returns_the_connection() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x)")?;
        std::mem::forget(db.prepare("INSERT INTO t VALUES (?1)")?);
        let (db, err) = db.close().unwrap_err();
        assert_eq!(
            err,
            sqlite_failure(
                ErrorCode::DatabaseBusy,
                5,
                "unable to close due to unfinalized statements or unfinished backups"
            )
        );
        db.execute("INSERT INTO t VALUES (1)", [])?;
        assert_eq!(one::<i64>(&db, "SELECT count(*) FROM t")?, 1);
        Ok(())
    }

    fn close_then_reopen_file_sees_data() {
        let path = crate::database("close")?;
        let db = Connection::open(&path)?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES ('after close')")?;
        db.close().map_err(|(_, e)| e)?;
        let db = Connection::open(&path)?;
        assert_eq!(one::<String>(&db, "SELECT x FROM t")?, "after close");
        Ok(())
    }

    #[only_0_34("uses `DatabaseName`, which rusqlite 0.36 replaced by the `Name` trait")]
    fn is_readonly_for_main_temp_and_unknown() {
        let db = crate::open()?;
        assert!(!db.is_readonly(rusqlite::MAIN_DB)?);
        assert!(!db.is_readonly(rusqlite::MAIN_DB)?);
        let err = db.is_readonly(DatabaseName::Attached("nope")).unwrap_err();
        assert_eq!(
            err,
            sqlite_failure(ErrorCode::ApiMisuse, 21, "Attached(\"nope\") is not the name of a database")
        );
        Ok(())
    }

    /// The bundled SQLite of rusqlite is built with SQLITE_DEFAULT_FOREIGN_KEYS=1.
    fn foreign_keys_are_on_at_open() {
        let db = crate::open()?;
        assert_eq!(one::<i64>(&db, "PRAGMA foreign_keys")?, 1);
        db.execute_batch(
            "CREATE TABLE p(id INTEGER PRIMARY KEY);
             CREATE TABLE c(pid INTEGER REFERENCES p(id));",
        )?;
        let err = db.execute("INSERT INTO c VALUES (99)", []).unwrap_err();
        assert_eq!(err, sqlite_failure(ErrorCode::ConstraintViolation, 787, "FOREIGN KEY constraint failed"));
        db.execute_batch("PRAGMA foreign_keys = OFF")?;
        assert_eq!(one::<i64>(&db, "PRAGMA foreign_keys")?, 0);
        assert_eq!(db.execute("INSERT INTO c VALUES (99)", [])?, 1);
        Ok(())
    }

    fn prepare_valid_and_invalid_sql() {
        let db = crate::open()?;
        let st = db.prepare("SELECT 1 AS one, 'two' AS two")?;
        assert_eq!(st.column_names().into_iter().collect::<Vec<_>>(), vec!["one", "two"]);
        let err = db.prepare("SELECT * FROM nope").unwrap_err();
        assert_eq!(err, sqlite_failure(ErrorCode::Unknown, 1, "no such table: nope"));
        assert_eq!(err.to_string(), "no such table: nope");
        Ok(())
    }

    fn is_busy_while_rows_are_pending() {
        let db = crate::open()?;
        assert!(!db.is_busy());
        let mut st = db.prepare("SELECT 1 UNION ALL SELECT 2")?;
        {
            let mut rows = st.query([])?;
            assert!(!db.is_busy());
            assert!(rows.next()?.is_some());
            assert!(db.is_busy());
        }
        assert!(!db.is_busy());
        Ok(())
    }

    fn release_memory_and_cache_flush_succeed() {
        let db = crate::open()?;
        db.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1)")?;
        db.release_memory()?;
        db.cache_flush()?;
        assert_eq!(one::<i64>(&db, "SELECT x FROM t")?, 1);
        Ok(())
    }

    fn db_name_by_index() {
        let db = crate::open()?;
        assert_eq!(db.db_name(0)?, "main");
        assert_eq!(db.db_name(1)?, "temp");
        assert_eq!(db.db_name(7).unwrap_err(), Error::InvalidDatabaseIndex(7));
        Ok(())
    }

    fn interrupt_mid_query_fails_next_step() {
        let db = crate::open()?;
        let handle = db.get_interrupt_handle();
        let mut st = db.prepare(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT x FROM c",
        )?;
        let mut rows = st.query([])?;
        assert_eq!(rows.next()?.unwrap().get::<_, i64>(0)?, 1);
        handle.interrupt();
        let err = rows.next().unwrap_err();
        assert_eq!(err, sqlite_failure(ErrorCode::OperationInterrupted, 9, "interrupted"));
        Ok(())
    }
}
